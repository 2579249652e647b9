"""`broadsheet migrate`: rewrite the lake's tables to this version's schema when they no longer fit."""

from __future__ import annotations

from flows.cli.options import LakeOption, console, fail
from tasks.config import DEFAULT_LAKE


def migrate(lake: LakeOption = DEFAULT_LAKE) -> None:
    """Rewrite tables whose schema this version cannot write to (a new version; old ones stay readable)."""
    from tasks.lake.schema_evolution import IncompatibleSchemaError, lake_schema_diffs, migrate_lake

    diffs = lake_schema_diffs(lake)
    if not diffs:
        raise fail(f"no lake at {lake}: nothing to migrate")
    try:
        migrations = migrate_lake(lake)
    except IncompatibleSchemaError as error:
        raise fail(str(error)) from None
    for migration in migrations:
        console.print(
            f"{migration.table}: version {migration.from_version} -> {migration.to_version} "
            f"({'; '.join(migration.changes)}); version {migration.from_version} stays readable by time travel",
            highlight=False,
        )
    for diff in diffs:
        if diff.compatible:
            added = f" (the next run adds {', '.join(diff.added)})" if diff.added else ""
            console.print(f"{diff.table}: already fits this version's schema{added}", highlight=False)

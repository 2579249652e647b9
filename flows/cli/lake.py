"""`broadsheet` commands over the lake's versions: diff, show, restore, export, maintain.

Thin by design: the work is in tasks/lake/versions.py, tasks/lake/export.py and tasks/lake/maintenance.py;
these commands print it. `maintain` runs the lake-maintenance flow, like `run` runs the
article pipeline, so manual and scheduled maintenance look the same in Prefect.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli_common import LakeOption, console, fail
from tasks.config import DEFAULT_LAKE

commands = typer.Typer()
VersionOption = Annotated[int | None, typer.Option("--version", min=0, help="table version [default: latest]")]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


class ExportFormat(StrEnum):
    parquet = "parquet"


@commands.command()
def diff(
    old: Annotated[int, typer.Argument(min=0, help="the earlier version")],
    new: Annotated[int | None, typer.Argument(min=0, help="the later version [default: latest]")] = None,
    lake: LakeOption = DEFAULT_LAKE,
    limit: Annotated[int, typer.Option(min=0, help="example ids of each kind; 0 lists them all")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Articles added, updated (with the columns that changed) and removed between two versions."""
    from tasks.lake.paths import articles_path
    from tasks.lake.versions import diff_versions

    try:
        change = diff_versions(articles_path(lake), old, new, limit or None)
    except LookupError as error:
        raise fail(str(error)) from None
    if as_json:
        typer.echo(json.dumps(asdict(change), indent=2, ensure_ascii=False))
        return
    console.print(
        f"articles, version {change.old_version} -> {change.new_version}: [green]{change.added} added[/], "
        f"[yellow]{change.updated} updated[/], [red]{change.removed} removed[/], {change.unchanged} unchanged",
        soft_wrap=True,
    )
    if change.changed_columns:
        console.print(
            "changed columns: " + ", ".join(f"{column} ({n})" for column, n in change.changed_columns.items()),
            soft_wrap=True,
        )
    for kind, total in (("added", change.added), ("updated", change.updated), ("removed", change.removed)):
        examples = change.examples[kind]
        if not examples:
            continue
        view = Table(title=f"{kind}: {len(examples)} of {total}", title_justify="left")
        view.add_column("id", no_wrap=True)
        view.add_column("headline")
        if kind == "updated":
            view.add_column("changed columns")
        for example in examples:
            changed = [", ".join(example.columns) or "-"] if kind == "updated" else []
            view.add_row(example.id, escape(example.headline or ""), *changed)
        console.print(view)


@commands.command()
def show(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="article id, or a unique prefix of it")],
    version: VersionOption = None,
    lake: LakeOption = DEFAULT_LAKE,
    as_json: JsonOption = False,
) -> None:
    """One article as it was at a version."""
    from tasks.lake.paths import articles_path
    from tasks.lake.versions import article_at, open_version

    try:
        table = open_version(articles_path(lake), version)
        article = article_at(table, article_id)
    except LookupError as error:
        raise fail(str(error)) from None
    at = table.version()
    if article is None:
        raise fail(f"no article {article_id} in version {at} of {articles_path(lake)}")
    if as_json:
        typer.echo(json.dumps(article | {"table_version": at}, indent=2, ensure_ascii=False, default=str))
        return
    view = Table(title=f"article {article['id']} at version {at}", show_header=False, title_justify="left")
    view.add_column("column", style="bold", no_wrap=True)
    view.add_column("value")
    for column, value in article.items():
        if column != "text":
            view.add_row(column, escape(_cell(value)))
    console.print(view)
    console.rule("text")
    console.print(escape(article["text"]), highlight=False)


@commands.command()
def restore(
    version: Annotated[int, typer.Argument(min=0, help="the version to make current again")],
    lake: LakeOption = DEFAULT_LAKE,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="restore without asking")] = False,
) -> None:
    """Make version V of the articles table current again, as a new commit (history is kept)."""
    from tasks.lake.paths import articles_path
    from tasks.lake.versions import diff_versions, restore_version
    from tasks.pipeline import PIPELINE_VERSION

    path = articles_path(lake)
    try:
        change = diff_versions(path, version, limit=0)
    except LookupError as error:
        raise fail(str(error)) from None
    if change.new_version == version:
        console.print(f"version {version} is already the latest: nothing to restore")
        return
    console.print(
        f"restoring {path} to version {version} (latest: {change.new_version}) brings back {change.removed} articles, "
        f"removes {change.added} and reverts {change.updated}; it commits version {change.new_version + 1}, "
        f"and versions 0-{change.new_version} stay in the history",
        soft_wrap=True,
    )
    if not yes:
        typer.confirm("restore?", abort=True)
    try:
        done = restore_version(path, version, {"deployment": "manual", "pipeline_version": PIPELINE_VERSION})
    except LookupError as error:
        raise fail(str(error)) from None
    console.print(f"restored version {done.restored_version} as version {done.version}")


@commands.command()
def export(
    dest: Annotated[
        str, typer.Argument(help="folder (or URL) to write the snapshot to: new, empty, or an earlier export")
    ],
    version: VersionOption = None,
    lake: LakeOption = DEFAULT_LAKE,
    file_format: Annotated[ExportFormat, typer.Option("--format", help="file format")] = ExportFormat.parquet,
    partitioned: Annotated[
        bool, typer.Option(help="Hive folders by the table's partition column (published_month)")
    ] = False,
    overwrite: Annotated[bool, typer.Option(help="replace an earlier export in DEST")] = False,
) -> None:
    """A plain Parquet snapshot of the articles table at a version, with _manifest.json naming it."""
    from tasks.lake.export import MANIFEST, ExportDestinationError, export_snapshot
    from tasks.lake.paths import articles_path

    try:
        manifest = export_snapshot(articles_path(lake), dest, version, partitioned=partitioned, overwrite=overwrite)
    except (LookupError, ExportDestinationError) as error:
        raise fail(str(error)) from None
    size = sum(f.bytes for f in manifest.files) / 1e6
    console.print(
        f"exported articles version {manifest.table_version} ({file_format.value}): {manifest.rows} rows in "
        f"{len(manifest.files)} files, {size:.2f} MB, to {dest} (manifest: {MANIFEST})",
        highlight=False,
        soft_wrap=True,
    )


@commands.command()
def maintain(
    lake: LakeOption = DEFAULT_LAKE,
    vacuum_hours: Annotated[
        int | None,
        typer.Option(
            min=0, help="delete files older versions needed after this many hours [default: the tables' retention, 168]"
        ),
    ] = None,
    repartition: Annotated[
        bool, typer.Option(help="first migrate an articles table written before partitioning")
    ] = False,
) -> None:
    """Compact small files, vacuum old ones and checkpoint the log (the lake-maintenance flow)."""
    from schemas.tables import ARTICLES_PARTITION_BY
    from tasks.lake.paths import articles_path
    from tasks.lake.storage import table_exists

    if not table_exists(articles_path(lake)):
        raise fail(f"no articles table at {articles_path(lake)}: run `broadsheet run --lake {lake}` first")

    import flows  # noqa: F401  (Prefect defaults before Prefect loads)
    from flows.maintenance import lake_maintenance

    reports = lake_maintenance(lake=lake, vacuum_hours=vacuum_hours, repartition_layout=repartition)
    view = Table(title=f"maintenance of {lake}")
    for column in ("table", "live files", "live MB", "stored files", "stored MB", "vacuumed", "readable from version"):
        view.add_column(column)
    for report in reports:
        before, after = report.before, report.after
        view.add_row(
            report.table.rsplit("/", 1)[-1],
            f"{before.live_files} -> {after.live_files}",
            f"{before.live_bytes / 1e6:.2f} -> {after.live_bytes / 1e6:.2f}",
            f"{before.stored_files} -> {after.stored_files}",
            f"{before.stored_bytes / 1e6:.2f} -> {after.stored_bytes / 1e6:.2f}",
            str(report.files_vacuumed),
            str(report.time_travel_from),
        )
    console.print(view)
    articles = reports[0]
    if articles.partition_columns != list(ARTICLES_PARTITION_BY):
        console.print(
            f"the articles table is partitioned by {articles.partition_columns or 'nothing'}, not {list(ARTICLES_PARTITION_BY)}: "
            "`broadsheet maintain --repartition` migrates it",
            soft_wrap=True,
        )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return "\n".join(_cell(item) for item in value)
    if isinstance(value, dict):  # a quote
        return f"{value.get('text')!s} - {value.get('speaker') or 'unknown speaker'}"
    return str(value)

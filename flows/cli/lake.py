"""`broadsheet` commands over the lake's versions: history, diff, show, restore, export.

Thin by design: the work is in tasks/lake/storage.py, tasks/lake/versions.py and tasks/lake/export.py;
these commands print it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli.options import JsonOption, LakeOption, console, fail
from tasks.config import DEFAULT_LAKE

VersionOption = Annotated[int | None, typer.Option("--version", min=0, help="table version [default: latest]")]


class ExportFormat(StrEnum):
    parquet = "parquet"


def history(
    lake: LakeOption = DEFAULT_LAKE,
    table_name: Annotated[str, typer.Option("--table", help="articles or quarantine")] = "articles",
    as_json: JsonOption = False,
) -> None:
    """The table's versions with their commit metadata, newest first."""
    from tasks.lake.paths import articles_path, quarantine_path
    from tasks.lake.storage import open_table, table_exists

    if table_name not in ("articles", "quarantine"):
        raise fail(f"--table must be articles or quarantine, not {table_name!r}")
    path = articles_path(lake) if table_name == "articles" else quarantine_path(lake)
    if not table_exists(path):
        raise fail(f"no {table_name} table at {path}: run `broadsheet run --lake {lake}` first")
    commits = open_table(path).history()
    if as_json:
        typer.echo(json.dumps(commits, indent=2, default=str))
        return
    # Five columns, so that 80 columns show every value whole: long run ids fold, one count a line.
    view = Table(title=f"{table_name} history ({path})")
    view.add_column("version", justify="right", no_wrap=True)
    view.add_column("time (UTC)", no_wrap=True)
    view.add_column("operation", min_width=7)
    view.add_column("run, deployment", overflow="fold", min_width=10)
    view.add_column("records", min_width=12)
    counted = (
        ("records_read", "read"),
        ("inserted", "inserted"),
        ("updated", "updated"),
        ("unchanged", "unchanged"),
        ("duplicates", "duplicates"),
        ("quarantined_records", "quarantined"),
    )
    for entry in commits:
        when = datetime.fromtimestamp(entry["timestamp"] / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
        operation = entry.get("operation", "") + (
            f" to {entry['restored_version']}" if "restored_version" in entry else ""
        )
        run = "\n".join(escape(str(entry[k])) for k in ("run_id", "deployment") if k in entry)
        counts = "\n".join(f"{entry[k]} {label}" for k, label in counted if k in entry)
        view.add_row(str(entry["version"]), when, escape(operation), run, counts)
    console.print(view)


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


def restore(
    version: Annotated[int, typer.Argument(min=0, help="the version to make current again")],
    lake: LakeOption = DEFAULT_LAKE,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="restore without asking")] = False,
) -> None:
    """Make version V of the articles table current again, as a new commit (history is kept);
    the next run reads again the inputs of the articles it removes or reverts."""
    from tasks.lake.paths import articles_path
    from tasks.lake.versions import diff_versions, restore_articles
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
        done = restore_articles(lake, version, {"deployment": "manual", "pipeline_version": PIPELINE_VERSION})
    except LookupError as error:
        raise fail(str(error)) from None
    console.print(f"restored version {done.restored_version} as version {done.version}")
    if done.inputs_forgotten:
        console.print(
            f"the inputs ledger no longer lists the {done.inputs_forgotten} input(s) of the articles removed or reverted:"
            " the next run reads them again",
            soft_wrap=True,
        )


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

"""The `broadsheet` command line: manual runs and a look at the lake."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from flows.cli_common import LakeOption, console, fail
from flows.lake_commands import commands as lake_commands
from tasks.config import DEFAULT_BATCH_SIZE, DEFAULT_LAKE, DEFAULT_SOURCE

app = typer.Typer(help="Turn raw news articles into clean, validated, versioned Parquet datasets.", no_args_is_help=True)
app.add_typer(lake_commands)  # diff, show, restore, export, maintain


@app.command()
def run(
    sources: Annotated[list[str] | None, typer.Argument(help="folders, files or fsspec URLs [default: data/raw]")] = None,
    lake: LakeOption = DEFAULT_LAKE,
    batch_size: Annotated[int, typer.Option(min=1, help="records per batch task")] = DEFAULT_BATCH_SIZE,
) -> None:
    """Run the article-pipeline flow over SOURCES into the lake, and print the run summary."""
    from tasks.ingest import SourceNotFoundError, discover_inputs
    from tasks.lake import LakeNotWritableError, ensure_writable

    sources = sources or [DEFAULT_SOURCE]
    try:
        discover_inputs(sources)  # fail fast, before Prefect starts, on a missing source
        ensure_writable(lake)
    except (SourceNotFoundError, LakeNotWritableError) as error:
        raise fail(str(error)) from None

    import flows  # noqa: F401  (Prefect defaults before Prefect loads)
    from flows.article_pipeline import article_pipeline
    from tasks.summary import summary_rows

    summary = article_pipeline(source=sources, lake=lake, batch_size=batch_size)
    table = Table(title=f"broadsheet run {summary.run_id}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for what, count in summary_rows(summary):
        table.add_row(what, count)
    console.print(table)
    if not summary.committed:
        console.print("nothing new: the articles table was not changed")


@app.command()
def history(
    lake: LakeOption = DEFAULT_LAKE,
    table_name: Annotated[str, typer.Option("--table", help="articles or quarantine")] = "articles",
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
) -> None:
    """The table's versions with their commit metadata, newest first."""
    from deltalake import DeltaTable

    from tasks.lake import articles_path, quarantine_path

    if table_name not in ("articles", "quarantine"):
        raise fail(f"--table must be articles or quarantine, not {table_name!r}")
    path = articles_path(lake) if table_name == "articles" else quarantine_path(lake)
    if not DeltaTable.is_deltatable(path):
        raise fail(f"no {table_name} table at {path}: run `broadsheet run --lake {lake}` first")
    commits = DeltaTable(path).history()
    if as_json:
        typer.echo(json.dumps(commits, indent=2, default=str))
        return
    view = Table(title=f"{table_name} history ({path})")
    counted = ("records_read", "inserted", "updated", "unchanged", "duplicates", "quarantined_records")
    for column in ("version", "time (UTC)", "operation", "run id", "deployment", "read", "inserted", "updated", "unchanged", "duplicates", "quarantined"):
        view.add_column(column)
    for entry in commits:
        when = datetime.fromtimestamp(entry["timestamp"] / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
        counts = [str(entry.get(k, "")) for k in counted]
        operation = entry.get("operation", "") + (f" to {entry['restored_version']}" if "restored_version" in entry else "")
        view.add_row(str(entry["version"]), when, operation, entry.get("run_id", ""), entry.get("deployment", ""), *counts)
    console.print(view)

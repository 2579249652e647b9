"""The `broadsheet` command line: manual runs and a look at the lake."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tasks.config import DEFAULT_BATCH_SIZE, DEFAULT_LAKE, DEFAULT_SOURCE, IO

app = typer.Typer(help="Turn raw news articles into clean, validated, versioned Parquet datasets.", no_args_is_help=True)
console = Console()
LakeOption = Annotated[str, typer.Option("--lake", help="lake folder or URL holding the articles and quarantine tables")]


def fail(message: str) -> typer.Exit:
    """A one-line error on stderr and exit code 2."""
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code=2)


@app.command()
def run(
    sources: Annotated[list[str] | None, typer.Argument(help="folders, files or fsspec URLs [default: data/raw]")] = None,
    lake: LakeOption = DEFAULT_LAKE,
    batch_size: Annotated[int, typer.Option(min=1, help="records per batch task")] = DEFAULT_BATCH_SIZE,
    full_refresh: Annotated[
        bool, typer.Option("--full-refresh", help="read every input again, not only new or changed ones")
    ] = False,
    lock_wait: Annotated[
        float, typer.Option(min=0, help="seconds to wait for another run on the same lake to finish")
    ] = IO.lock_wait_seconds,
) -> None:
    """Run the article-pipeline flow over the new inputs of SOURCES into the lake, and print the run summary."""
    from tasks.ingest import SourceNotFoundError, discover_inputs
    from tasks.lake import LakeNotWritableError, ensure_writable
    from tasks.lake_lock import LakeBusyError

    sources = sources or [DEFAULT_SOURCE]
    try:
        discover_inputs(sources)  # fail fast, before Prefect starts, on a missing source
        ensure_writable(lake)
    except (SourceNotFoundError, LakeNotWritableError) as error:
        raise fail(str(error)) from None

    import flows  # noqa: F401  (Prefect defaults before Prefect loads)
    from flows.article_pipeline import article_pipeline
    from flows.progress_bar import log_console, progress_bar
    from tasks.summary import STAGE_COLUMNS, nothing_new_line, stage_rows, summary_rows

    try:
        with progress_bar(log_console()):
            summary = article_pipeline(
                source=sources, lake=lake, batch_size=batch_size, full_refresh=full_refresh, lock_wait_seconds=lock_wait
            )
    except LakeBusyError as error:
        raise fail(str(error)) from None
    table = Table(title=f"broadsheet run {summary.run_id}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for what, count in summary_rows(summary):
        table.add_row(what, count)
    console.print(table)
    steps = Table(title="steps")
    for column in STAGE_COLUMNS:
        steps.add_column(column, justify="left" if column in ("step", "detail") else "right")
    for row in stage_rows(summary):
        steps.add_row(*(row[c] for c in STAGE_COLUMNS))
    console.print(steps)
    if said := nothing_new_line(summary):
        console.print(said)
    elif not summary.committed:
        console.print("no article changed: the articles table was not committed")


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
    for column in ("version", "time (UTC)", "operation", "run id", "deployment", "read", "inserted", "updated", "unchanged", "quarantined"):
        view.add_column(column)
    for entry in commits:
        when = datetime.fromtimestamp(entry["timestamp"] / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
        counts = [str(entry.get(k, "")) for k in ("records_read", "inserted", "updated", "unchanged", "quarantined_records")]
        view.add_row(str(entry["version"]), when, entry.get("operation", ""), entry.get("run_id", ""), entry.get("deployment", ""), *counts)
    console.print(view)

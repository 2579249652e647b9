"""The `broadsheet` command line: manual runs and a look at the lake."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from flows.cli_common import BatchSizeOption, LakeOption, RawCapOption, console, fail
from flows.lake_commands import commands as lake_commands
from tasks.config import DEFAULT_BATCH_SIZE, DEFAULT_LAKE, DEFAULT_SOURCE, IO, LIMITS

app = typer.Typer(
    help="Turn raw news articles into clean, validated, versioned Parquet datasets.", no_args_is_help=True
)
app.add_typer(lake_commands)  # diff, show, restore, export, maintain


@app.command()
def run(
    sources: Annotated[
        list[str] | None, typer.Argument(help="folders, files or fsspec URLs \\[default: data/raw]")
    ] = None,
    lake: LakeOption = DEFAULT_LAKE,
    batch_size: BatchSizeOption = DEFAULT_BATCH_SIZE,
    raw_cap_bytes: RawCapOption = LIMITS.raw_cap_bytes,
    full_refresh: Annotated[
        bool, typer.Option("--full-refresh", help="read every input again, not only new or changed ones")
    ] = False,
    lock_wait: Annotated[
        float, typer.Option(min=0, help="seconds to wait for another run on the same lake to finish")
    ] = IO.lock_wait_seconds,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            show_default=False,
            help="processes that clean and enrich documents side by side \\[default: one per core; on a Dask cluster, one per worker thread]",
        ),
    ] = None,
    dask_address: Annotated[
        str | None,
        typer.Option(
            metavar="tcp://HOST:PORT",
            help="process the batches on the Dask cluster of this scheduler (needs PREFECT_API_URL)",
        ),
    ] = None,
) -> None:
    """Run the article-pipeline flow over the new inputs of SOURCES into the lake, and print the run summary."""
    from flows.dask_cluster import ClusterUnavailableError, check_cluster
    from tasks.ingest.files import SourceNotFoundError, discover_inputs
    from tasks.lake.lock import LakeBusyError
    from tasks.lake.schema_evolution import IncompatibleSchemaError, check_lake_schema
    from tasks.lake.write import LakeNotWritableError, ensure_writable

    sources = sources or [DEFAULT_SOURCE]
    try:
        discover_inputs(sources)  # fail fast, before Prefect starts, on a missing source
        ensure_writable(lake)
        check_lake_schema(lake)
        if dask_address:
            check_cluster(dask_address)
    except (SourceNotFoundError, LakeNotWritableError, IncompatibleSchemaError, ClusterUnavailableError) as error:
        raise fail(str(error)) from None

    import flows  # noqa: F401  (Prefect defaults before Prefect loads)
    from flows.article_pipeline import article_pipeline
    from flows.progress_bar import log_console, progress_bar

    try:
        with progress_bar(log_console()):
            summary = article_pipeline(
                source=sources,
                lake=lake,
                batch_size=batch_size,
                raw_cap_bytes=raw_cap_bytes,
                full_refresh=full_refresh,
                lock_wait_seconds=lock_wait,
                workers=workers,
                dask_address=dask_address,
            )
    except LakeBusyError as error:
        raise fail(str(error)) from None
    print_summary(summary)


def print_summary(summary) -> None:
    """The run summary: a two-column table, the steps, then the lines too long for a table (never cut, so a path can be copied)."""
    from tasks.report.run_summary import STAGE_COLUMNS, nothing_new_line, stage_rows, summary_notes, summary_rows

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
    for what, note in summary_notes(summary):
        console.print(f"{what}: {note}", soft_wrap=True, highlight=False)
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
    view = Table(title=f"{table_name} history ({path})")
    counted = ("records_read", "inserted", "updated", "unchanged", "duplicates", "quarantined_records")
    for column in (
        "version",
        "time (UTC)",
        "operation",
        "run id",
        "deployment",
        "read",
        "inserted",
        "updated",
        "unchanged",
        "duplicates",
        "quarantined",
    ):
        view.add_column(column)
    for entry in commits:
        when = datetime.fromtimestamp(entry["timestamp"] / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
        counts = [str(entry.get(k, "")) for k in counted]
        operation = entry.get("operation", "") + (
            f" to {entry['restored_version']}" if "restored_version" in entry else ""
        )
        view.add_row(
            str(entry["version"]), when, operation, entry.get("run_id", ""), entry.get("deployment", ""), *counts
        )
    console.print(view)


# Registered here, defined apart: report, quarantine, reprocess and migrate.
from flows import cli_quarantine, cli_schema, report_command  # noqa: E402,F401

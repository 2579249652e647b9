"""The `broadsheet` app: every command registered here, in the order `broadsheet --help` lists them."""

from __future__ import annotations

import atexit
import gc

import typer

from flows.cli import lake, maintain, quarantine, report, run, schema

app = typer.Typer(
    help="Turn raw news articles into clean, validated, versioned Parquet datasets.", no_args_is_help=True
)
app.command(name="run")(run.run)
app.command(name="history")(lake.history)
app.command(name="quarantine")(quarantine.quarantine)
app.command(name="reprocess")(quarantine.reprocess)
app.command(name="migrate")(schema.migrate)
app.command(name="report")(report.report)
app.command(name="diff")(lake.diff)
app.command(name="show")(lake.show)
app.command(name="restore")(lake.restore)
app.command(name="export")(lake.export)
app.command(name="maintain")(maintain.maintain)


def main() -> None:
    """The `broadsheet` console script: the app, and an exit without a last full collection."""
    # A run leaves a large heap (Prefect, GX, pandas, lxml): the interpreter's final garbage
    # collection walks it for 1-2 s after the summary is printed, to free memory the OS frees
    # anyway. atexit runs handlers last-in first-out: registered first, this runs after every
    # other one (the temporary server's stop), and only the collection is skipped.
    atexit.register(gc.freeze)
    app()

"""The `broadsheet` app: every command registered here, in the order `broadsheet --help` lists them."""

from __future__ import annotations

import atexit
import gc
import signal

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
    # atexit runs handlers last-in first-out: registered first, these run after every other one
    # (the temporary server's stop). Then CPython tears the interpreter down and puts the default
    # signal handlers back: a second Ctrl-C in those last moments would end the process by the
    # signal instead of with the status it is exiting with (130 after a first Ctrl-C, see
    # flows/interrupts.py), so both signals are ignored from here on.
    atexit.register(_ignore_stop_signals)
    # A run leaves a large heap (Prefect, GX, pandas, lxml): the interpreter's final garbage
    # collection walks it for 1-2 s after the summary is printed, to free memory the OS frees
    # anyway; only that collection is skipped.
    atexit.register(gc.freeze)
    app()


def _ignore_stop_signals() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)

"""The `broadsheet` app: every command registered here, in the order `broadsheet --help` lists them."""

from __future__ import annotations

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

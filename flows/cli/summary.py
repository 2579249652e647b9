"""The run summary that `broadsheet run` and `broadsheet reprocess` print."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from flows.cli.options import console

if TYPE_CHECKING:
    from tasks.ingest.files import Discovery
    from tasks.pipeline import RunSummary


def print_summary(summary: RunSummary) -> None:
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


def print_nothing_new(found: Discovery) -> None:
    """What `run` prints when the lake holds every input already, as stamped: no flow run was needed."""
    from tasks.report.run_summary import discovery_notes

    for what, note in discovery_notes(found.excluded, found.skipped):
        console.print(f"{what}: {note}", soft_wrap=True, highlight=False)
    console.print(f"nothing new: all {len(found.inputs)} inputs are already in the lake; no commit", highlight=False)

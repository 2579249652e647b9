"""`broadsheet quarantine` and `broadsheet reprocess`: what was rejected, and trying it again."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from flows.cli.flow_runs import running_a_flow
from flows.cli.options import BatchSizeOption, JsonOption, LakeOption, RawCapOption, console, fail
from flows.cli.summary import print_summary
from schemas.reasons import Reason
from tasks.config import DEFAULT_BATCH_SIZE, DEFAULT_LAKE, LIMITS

if TYPE_CHECKING:
    from prefect import Flow

    from flows.quarantine_reprocess import ReprocessResult

ReasonOption = Annotated[
    str | None, typer.Option("--reason", help="only records with this reason code (see schemas/README.md)")
]
_ERROR_WIDTH = 100


def quarantine(
    lake: LakeOption = DEFAULT_LAKE,
    reason: ReasonOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the records in quarantine, with their stage, reasons and error."""
    from tasks.quarantine_replay import list_quarantine

    _check(lake, reason)
    rows = list_quarantine(lake, reason)
    if as_json:
        typer.echo(json.dumps(rows, indent=2, default=str))
        return
    view = Table(title=f"quarantine of {lake}" + (f", reason {reason}" if reason else ""))
    for column in ("input", "record", "format", "stage", "reasons", "error", "raw"):  # run ids: --json
        view.add_column(column, overflow="fold")
    for row in rows:
        error = row["error"] or ""
        view.add_row(
            row["source_uri"],
            str(row["source_record"]),
            row["source_format"],
            row["stage"],
            ", ".join(row["reasons"]),
            error if len(error) <= _ERROR_WIDTH else error[: _ERROR_WIDTH - 1] + "…",
            "cut at the raw cap" if row["raw_truncated"] else "whole",
        )
    console.print(view)
    by_reason = Counter(code for row in rows for code in row["reasons"])
    console.print(
        f"{len(rows)} records" + "".join(f"; {code}: {n}" for code, n in sorted(by_reason.items())), highlight=False
    )


def reprocess(
    lake: LakeOption = DEFAULT_LAKE,
    reason: ReasonOption = None,
    batch_size: BatchSizeOption = DEFAULT_BATCH_SIZE,
    raw_cap_bytes: RawCapOption = LIMITS.raw_cap_bytes,
) -> None:
    """Run quarantined records through the pipeline again (after a fix); those that pass leave quarantine."""
    from tasks.quarantine_replay import list_quarantine

    _check(lake, reason)
    selected = len(list_quarantine(lake, reason))
    if not selected:
        console.print("nothing to reprocess: no record in quarantine" + (f" has reason {reason}" if reason else ""))
        return

    with running_a_flow(_reprocess_flow, lake) as reprocess_quarantine:
        result = reprocess_quarantine(lake=lake, reason=reason, batch_size=batch_size, raw_cap_bytes=raw_cap_bytes)
    print_summary(result.summary)
    still = result.summary.quarantined_records
    passed = result.summary.records_read - still
    console.print(f"{passed} of {selected} records passed and left quarantine; {still} failed again", highlight=False)
    for left in result.unreplayable:
        console.print(f"not reprocessed: {left.source_uri} record {left.source_record}: {left.why}", highlight=False)


def _reprocess_flow() -> Flow[..., ReprocessResult]:
    from flows.quarantine_reprocess import reprocess_quarantine

    return reprocess_quarantine


def _check(lake: str, reason: str | None) -> None:
    """Exit with a one-line error for an unknown reason code or a folder that is no lake."""

    from tasks.lake.paths import articles_path, quarantine_path
    from tasks.lake.storage import table_exists

    if reason is not None and reason not in {str(r) for r in Reason}:
        raise fail(f"unknown reason code {reason!r}; known codes: {', '.join(str(r) for r in Reason)}")
    if not (table_exists(quarantine_path(lake)) or table_exists(articles_path(lake))):
        raise fail(f"no lake at {lake}: run `broadsheet run --lake {lake}` first")

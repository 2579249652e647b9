"""The run summary as rows of (what, how many), notes too long for a table cell (the
accounting, the Data Docs path) and the steps table: one source for the terminal and the
Prefect artifacts."""

from __future__ import annotations

from tasks.pipeline import RunSummary

STAGE_COLUMNS = ("step", "in", "out", "rejected", "seconds", "per second", "detail")
# Skipped files named in the summary; a folder of thousands of them must not bury the rest.
SKIPPED_FILES_NAMED = 5


def summary_rows(summary: RunSummary) -> list[tuple[str, str]]:
    plan = summary.inputs
    already = "inputs already in the lake" + (" (read again: full refresh)" if plan.full_refresh else " (not read)")
    rows = [
        ("inputs new", str(plan.new)),
        ("inputs changed", str(plan.changed)),
        (already, str(plan.unchanged)),
        ("records read", str(summary.records_read)),
        ("articles inserted", str(summary.inserted)),
        ("articles updated", str(summary.updated)),
        ("articles unchanged", str(summary.unchanged)),
        ("superseded in this run", str(summary.superseded)),
        ("duplicates marked", str(summary.duplicates)),
        ("records quarantined", str(summary.quarantined_records)),
    ]
    rows += [(f"  quarantined: {reason}", str(n)) for reason, n in summary.quarantined.items()]
    rows += [(f"  warning: {check}", str(n)) for check, n in summary.warnings.items()]
    rows += [
        ("articles table version", _version(summary.articles_version)),
        ("quarantine table version", _version(summary.quarantine_version)),
        ("inputs ledger version", _version(summary.inputs_version)),
    ]
    if summary.skipped_files:
        rows.append(("files skipped (unknown type)", str(len(summary.skipped_files))))
    if summary.report:
        rows.append(("dataset report", summary.report))
    return rows


def summary_notes(summary: RunSummary) -> list[tuple[str, str]]:
    skipped = [("skipped", f"{folder.kind} {folder.uri} inside the source") for folder in summary.inputs.excluded]
    if summary.skipped_files:
        skipped.append(("files skipped (unknown type)", _named_files(summary.skipped_files)))
    return [
        *skipped,
        ("accounting", accounting_line(summary)),
        ("data docs", summary.data_docs or "not written (the lake is not a local folder)"),
    ]


def _named_files(files: list[str]) -> str:
    named = ", ".join(files[:SKIPPED_FILES_NAMED])
    unnamed = len(files) - SKIPPED_FILES_NAMED
    return f"{named} and {unnamed} more" if unnamed > 0 else named


def accounting_line(summary: RunSummary) -> str:
    """The run's checked balance: every record read is an article, superseded, or quarantined."""
    parts = {
        "inserted": summary.inserted,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "superseded": summary.superseded,
        "quarantined": summary.quarantined_records,
    }
    return f"{summary.records_read} read = " + " + ".join(f"{n} {what}" for what, n in parts.items())


def stage_rows(summary: RunSummary) -> list[dict[str, str]]:
    """Counts and wall time of every step of the run, in run order (STAGE_COLUMNS)."""
    plan = summary.inputs
    listed = plan.new + plan.changed + plan.unchanged
    rows = [
        _step(
            "discover",
            listed,
            len(plan.pending),
            "",
            f"{plan.unchanged} already in the lake",
            summary.seconds["discover"],
        )
    ]
    for name, counters in summary.stages.items():
        rejected = counters.total - counters.forwarded
        detail = ", ".join(f"{reason} {n}" for reason, n in sorted(counters.rejected.items()))
        if counters.warned:
            detail = "; ".join(
                filter(None, [detail, "warned " + ", ".join(f"{c} {n}" for c, n in sorted(counters.warned.items()))])
            )
        rows.append(_step(name, counters.total, counters.forwarded, str(rejected), detail, counters.seconds))
    written = summary.inserted + summary.updated + summary.unchanged
    changes = f"{summary.inserted} inserted, {summary.updated} updated, {summary.unchanged} unchanged, {summary.duplicates} duplicates"
    quarantined = summary.quarantined_records
    rows += [
        _step(
            "write articles",
            written,
            summary.inserted + summary.updated,
            "",
            changes,
            summary.seconds["write articles"],
        ),
        _step("write quarantine", quarantined, quarantined, "", "", summary.seconds["write quarantine"]),
        _step(
            "record inputs",
            len(plan.pending) + len(plan.restamped),
            summary.inputs_recorded,
            "",
            f"{len(plan.restamped)} with a new stamp only" if plan.restamped else "",
            summary.seconds["record inputs"],
        ),
    ]
    return rows


def nothing_new_line(summary: RunSummary) -> str | None:
    """What a run that had nothing to read says about it; None when it read something."""
    if not summary.nothing_new:
        return None
    if not summary.inputs.unchanged:
        return "nothing to read: the sources hold no inputs; no commit"
    if summary.inputs_recorded:  # only stamps: files touched or copied again, with the bytes the lake holds
        return (
            f"nothing new: all {summary.inputs.unchanged} inputs are already in the lake; the inputs ledger notes"
            f" the new stamps of {summary.inputs_recorded} of them, no other commit"
        )
    return f"nothing new: all {summary.inputs.unchanged} inputs are already in the lake; no commit"


def summary_markdown(summary: RunSummary) -> str:
    lines = [f"# broadsheet run `{summary.run_id}`", ""]
    if said := nothing_new_line(summary):
        lines += [f"**{said}**", ""]
    lines += ["| | |", "|---|---:|"]
    lines += [f"| {what.strip()} | {count} |" for what, count in summary_rows(summary)]
    lines += [""] + [f"**{what}**: {note}  " for what, note in summary_notes(summary)]
    lines += ["", "## Steps", "", "| " + " | ".join(STAGE_COLUMNS) + " |", "|---|" + "---:|" * 5 + "---|"]
    lines += ["| " + " | ".join(row[c] for c in STAGE_COLUMNS) + " |" for row in stage_rows(summary)]
    return "\n".join(lines)


def _step(name: str, count_in: int, count_out: int, rejected: str, detail: str, seconds: float) -> dict[str, str]:
    rate = count_in / seconds if seconds > 0 and count_in else None
    shown = "" if rate is None else f"{rate:,.1f}" if rate < 10 else f"{rate:,.0f}"
    return {
        "step": name,
        "in": str(count_in),
        "out": str(count_out),
        "rejected": rejected,
        "detail": detail,
        "seconds": f"{seconds:.3f}",
        "per second": shown,
    }


def _version(version: int | None) -> str:
    return "none (no table yet)" if version is None else str(version)

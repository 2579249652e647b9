"""The run summary as rows of (what, how many), notes too long for a table cell (the
accounting, the Data Docs path) and the steps table: one source for the terminal and the
Prefect artifacts."""

from __future__ import annotations

from collections import Counter

from tasks.ingest.files import ExcludedFolder
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
        *_passed_over_rows(summary),
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


def _passed_over_rows(summary: RunSummary) -> list[tuple[str, str]]:
    """Records of WARC and ARC files that are no page (requests, metadata, revisits, images): passed over, counted."""
    ingest = summary.stages.get("ingest")
    if ingest is None or not ingest.passed_over:
        return []
    rows = [("records passed over (not pages)", str(ingest.passed_over.total()))]
    return rows + [(f"  passed over: {kind}", str(n)) for kind, n in sorted(ingest.passed_over.items())]


def summary_notes(summary: RunSummary) -> list[tuple[str, str]]:
    return [
        *discovery_notes(summary.inputs.excluded, summary.skipped_files),
        ("accounting", accounting_line(summary)),
        ("data docs", summary.data_docs or "not written (the lake is not a local folder)"),
    ]


def discovery_notes(excluded: list[ExcludedFolder], skipped_files: list[str]) -> list[tuple[str, str]]:
    """What discovery left out: folders under a source it never lists, files of a type it does not read."""
    notes = [("skipped", f"{folder.kind} {folder.uri} inside the source") for folder in excluded]
    if skipped_files:
        notes.append(("files skipped (unknown type)", _named_files(skipped_files)))
    return notes


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
        detail = "; ".join(
            filter(
                None,
                [
                    _counts("", counters.rejected),
                    _counts("warned ", counters.warned),
                    _counts("passed over ", counters.passed_over),
                ],
            )
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


def _counts(label: str, counts: Counter[str]) -> str:
    """`label` and each name with its count ("warned a 1, b 2"); "" when there are none."""
    return label + ", ".join(f"{name} {n}" for name, n in sorted(counts.items())) if counts else ""


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

"""The run summary as rows of (what, how many) and notes too long for a table cell (the
accounting, the Data Docs path): one source for the terminal and the Prefect artifact."""

from __future__ import annotations

from tasks.pipeline import RunSummary


def summary_rows(summary: RunSummary) -> list[tuple[str, str]]:
    rows = [
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
    ]
    if summary.skipped_files:
        rows.append(("files skipped (unknown type)", str(len(summary.skipped_files))))
    if summary.report:
        rows.append(("dataset report", summary.report))
    return rows


def summary_notes(summary: RunSummary) -> list[tuple[str, str]]:
    return [
        ("accounting", accounting_line(summary)),
        ("data docs", summary.data_docs or "not written (the lake is not a local folder)"),
    ]


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


def summary_markdown(summary: RunSummary) -> str:
    lines = [f"# broadsheet run `{summary.run_id}`", "", "| | |", "|---|---:|"]
    lines += [f"| {what.strip()} | {count} |" for what, count in summary_rows(summary)]
    lines += [""] + [f"**{what}**: {note}  " for what, note in summary_notes(summary)]
    return "\n".join(lines)


def _version(version: int | None) -> str:
    return "none (no table yet)" if version is None else str(version)

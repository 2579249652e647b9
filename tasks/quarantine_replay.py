"""Looking into quarantine, and replaying its records through the pipeline after a fix.

A replayed record is rebuilt the way ingest first made it: from the `raw` bytes stored in
quarantine, or, when those are not the whole record (cut at the raw cap, or never read:
unreadable, too large, broken gzip), by reading its input again. A record that now passes
becomes an article and leaves quarantine in that run's commit (tasks/pipeline.commit_run).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyarrow.compute as pc

from schemas.reasons import Reason, Stage
from schemas.tables import QUARANTINE_SCHEMA
from tasks.config import LIMITS, Limits
from tasks.ingest.files import InputFile, document_record, input_format, jsonl_record, read_records
from tasks.lake.paths import quarantine_path
from tasks.lake.storage import open_table, table_dataset, table_exists
from tasks.pipeline import RecordBatch
from tasks.records import RawRecord, Rejection

LISTED_COLUMNS = [name for name in QUARANTINE_SCHEMA.names if name != "raw"]  # raw can be MiBs per row
# Ingest rejections whose stored bytes are not the record: it has to be read from its input again.
_NOT_THE_RECORD = {str(Reason.UNREADABLE), str(Reason.TOO_LARGE), str(Reason.TRUNCATED_GZIP)}


def list_quarantine(lake: str, reason: str | None = None) -> list[dict[str, Any]]:
    """Quarantine rows without `raw`, by input and record; only those with `reason` when given."""
    path = quarantine_path(lake)
    if not table_exists(path):
        return []
    rows = table_dataset(open_table(path)).to_table(columns=LISTED_COLUMNS).to_pylist()
    selected = [row for row in rows if reason is None or reason in row["reasons"]]
    return sorted(selected, key=lambda row: (row["source_uri"], row["source_record"]))


@dataclass(frozen=True)
class Unreplayable:
    source_uri: str
    source_record: int
    why: str


@dataclass
class QuarantineReplay:
    """The quarantined records of `lake` (those with `reason`, or all), as record batches again."""

    lake: str
    reason: str | None = None
    limits: Limits = LIMITS
    unreplayable: list[Unreplayable] = field(default_factory=list)  # filled while batches are read

    def batches(self, batch_size: int) -> Iterator[RecordBatch]:
        ids = [row["id"] for row in list_quarantine(self.lake, self.reason)]
        if not ids:  # there may be no table to open
            return
        dataset = open_table(quarantine_path(self.lake)).to_pyarrow_dataset()
        for start in range(0, len(ids), batch_size):
            chunk = dataset.to_table(filter=pc.field("id").isin(ids[start : start + batch_size])).to_pylist()
            batch = RecordBatch()
            for row in sorted(chunk, key=lambda r: (r["source_uri"], r["source_record"])):
                record = self._rebuild(row)
                if record is not None:
                    batch.add(record)
            if batch.records or batch.rejections:
                yield batch

    def _rebuild(self, row: dict[str, Any]) -> RawRecord | Rejection | None:
        kind = input_format(row["source_uri"])
        item = InputFile(row["source_uri"], row["source_format"], bool(kind and kind[1]))
        if row["raw_truncated"] or (row["stage"] == Stage.INGEST and _NOT_THE_RECORD & set(row["reasons"])):
            return self._reread(item, row)
        if row["source_format"] == "jsonl":
            return jsonl_record(item, row["source_record"], row["raw"])
        return document_record(item, row["raw"])

    def _reread(self, item: InputFile, row: dict[str, Any]) -> RawRecord | Rejection | None:
        why = "its stored raw bytes are cut at the raw cap" if row["raw_truncated"] else "it was never read whole"
        for record in read_records(item, self.limits):
            if isinstance(record, Rejection) and Reason.UNREADABLE in record.reasons:
                why += f", and its input cannot be read again ({record.error})"
                break
            if record.source_record == row["source_record"]:
                return record
        else:
            why += ", and its input no longer has that record"
        # Left as it is in quarantine: replaying it would replace what is stored with less.
        self.unreplayable.append(Unreplayable(row["source_uri"], row["source_record"], why))
        return None

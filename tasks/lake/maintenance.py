"""Maintenance stage: compact small files, vacuum unneeded ones, checkpoint the log; migrate the layout.

Reads and writes one Delta table at a time. Every run's merge writes new files in each
partition it touches, so a table written by many small runs holds many small files;
compaction rewrites them into files of about LAKE.target_file_bytes (one OPTIMIZE commit,
same rows). Vacuum then deletes the files that no version younger than the retention still
needs, so time travel keeps working for at least the retention, and records in its commit
the oldest version that stays readable. Data files only: the log is never rewritten.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable
from fsspec.core import url_to_fs

from schemas.tables import ARTICLES_PARTITION_BY, ARTICLES_SCHEMA
from tasks.config import LAKE, LakeSettings
from tasks.lake.paths import RunInfo
from tasks.lake.storage import open_table, table_dataset, write_table
from tasks.lake.versions import TIME_TRAVEL_FROM
from tasks.lake.write import with_published_month

_LOG_FOLDER = "_delta_log"
_RETENTION = re.compile(r"interval\s+(\d+)\s+(hour|day|week)s?", re.IGNORECASE)
_HOURS_PER = {"hour": 1, "day": 24, "week": 168}


@dataclass(frozen=True)
class FileStats:
    live_files: int  # data files of the latest version
    live_bytes: int
    stored_files: int  # data files in storage: the latest version's and those older versions still use
    stored_bytes: int


@dataclass(frozen=True)
class MaintenanceReport:
    table: str
    version: int  # after maintenance
    partition_columns: list[str]
    before: FileStats
    after: FileStats
    files_compacted: int  # small files rewritten ...
    files_written: int  # ... into these
    files_vacuumed: int
    retention_hours: int
    time_travel_from: int  # the oldest version still readable


def file_stats(path: str) -> FileStats:
    """Data files of the latest version, and all data files in storage (the log excluded)."""
    live = pa.table(open_table(path).get_add_actions(flatten=True))
    fs, root = url_to_fs(path)
    stored = [
        info["size"]
        for name, info in fs.find(root, detail=True).items()
        if name.endswith(".parquet") and not name[len(root) :].lstrip("/").startswith(_LOG_FOLDER)
    ]
    return FileStats(live.num_rows, pc.sum(live["size_bytes"]).as_py() or 0, len(stored), sum(stored))


def retention_hours(table: DeltaTable, settings: LakeSettings = LAKE) -> int:
    """The table's own delta.deletedFileRetentionDuration, else the default (a week)."""
    configured = table.metadata().configuration.get("delta.deletedFileRetentionDuration") or ""
    match = _RETENTION.fullmatch(configured.strip())
    if match is None:
        return settings.vacuum_retention_hours
    return int(match.group(1)) * _HOURS_PER[match.group(2).lower()]


def readable_from(table: DeltaTable, retention: int, now_ms: int | None = None) -> int:
    """The oldest version a vacuum with `retention` hours keeps readable.

    Vacuum deletes a file when the commit that removed it is older than the retention. The
    newest version committed before that cutoff lost files only to younger commits, so it
    and every later version stay whole; older ones may not.
    """
    cutoff = (now_ms if now_ms is not None else int(time.time() * 1000)) - retention * 3_600_000
    commits = table.history()
    before_cutoff = [c["version"] for c in commits if c["timestamp"] <= cutoff]
    return max(before_cutoff) if before_cutoff else min(c["version"] for c in commits)


def maintain_table(
    path: str, run: RunInfo, vacuum_hours: int | None = None, settings: LakeSettings = LAKE
) -> MaintenanceReport:
    """Compact, vacuum (retention: `vacuum_hours`, else the table's own) and checkpoint one table."""
    table = open_table(path)
    before = file_stats(path)
    compacted = table.optimize.compact(
        target_size=settings.target_file_bytes, commit_properties=run.commit_properties({"maintenance": "compact"})
    )
    protected = retention_hours(table, settings)
    retention = protected if vacuum_hours is None else vacuum_hours
    travel_from = readable_from(table, retention)
    vacuumed = table.vacuum(
        retention,
        dry_run=False,
        enforce_retention_duration=retention >= protected,  # a shorter retention was asked for explicitly
        full=True,  # also files a crashed writer left behind, once older than the retention
        commit_properties=run.commit_properties({"maintenance": "vacuum", TIME_TRAVEL_FROM: travel_from}),
    )
    table = open_table(path)
    table.create_checkpoint()  # readers load one Parquet checkpoint instead of replaying every commit
    return MaintenanceReport(
        table=path,
        version=table.version(),
        partition_columns=table.metadata().partition_columns,
        before=before,
        after=file_stats(path),
        files_compacted=compacted["numFilesRemoved"],
        files_written=compacted["numFilesAdded"],
        files_vacuumed=len(vacuumed),
        retention_hours=retention,
        time_travel_from=travel_from,
    )


def repartition_articles(path: str, run: RunInfo) -> int | None:
    """Rewrite an articles table laid out otherwise into ARTICLES_PARTITION_BY, in one commit.

    The migration for tables written before partitioning (or by another layout): streams the
    latest version through with_published_month into an overwrite, so earlier versions stay
    readable by time travel until vacuum. Returns the new version, None when already laid out so.
    """
    table = open_table(path)
    if table.metadata().partition_columns == list(ARTICLES_PARTITION_BY):
        return None
    scanner = table_dataset(table).scanner()
    schema = _articles_order(with_published_month(scanner.projected_schema.empty_table())).schema

    def batches() -> Iterator[pa.RecordBatch]:
        for batch in scanner.to_batches():
            yield from _articles_order(with_published_month(pa.Table.from_batches([batch]))).to_batches()

    write_table(
        path,
        pa.RecordBatchReader.from_batches(schema, batches()),
        mode="overwrite",
        partition_by=list(ARTICLES_PARTITION_BY),
        schema_mode="overwrite",
        commit_properties=run.commit_properties(
            {"maintenance": "repartition", "partition_by": ",".join(ARTICLES_PARTITION_BY)}
        ),
    )
    return open_table(path).version()


def _articles_order(articles: pa.Table) -> pa.Table:
    """Columns in schema order, any the schema does not know at the end."""
    known = [name for name in ARTICLES_SCHEMA.names if name in articles.column_names]
    return articles.select(known + [name for name in articles.column_names if name not in known])

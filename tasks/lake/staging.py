"""Staging: each batch's articles and quarantine rows wait in Parquet files under the lake until the run commits.

A run never holds its corpus in memory. The batch task writes what it produced to

    <lake>/_staging/<run_id>/articles-<uuid>.parquet     STAGED_ARTICLES_SCHEMA: articles columns + minhash
    <lake>/_staging/<run_id>/quarantine-<uuid>.parquet   QUARANTINE_SCHEMA, raw already cut at the raw cap

and hands the flow only small things: the staged file's path and the article ids in row
order. `RunStage` keeps those, and for every article id the staged row that wins (a later
record of the same id supersedes an earlier one). The commit reads the files back one at a
time, only the winning rows and only the columns it asks for; after the last commit the run's
folder is deleted. Under the lake, not in a local temp folder, so that batch tasks on other
machines (a Dask cluster) and the commit see the same files, on a local disk or an object store.

A run that dies before its commit leaves its folder behind. A run reads only the files it
staged itself, so a leftover can never leak into another run's commit; `clear_leftover_staging`
deletes them: every other folder when the caller holds the lake lock (a local lake), and
on an object store, where no lock keeps runs apart, only folders nobody wrote to for
LAKE.staging_abandoned_hours.
"""

from __future__ import annotations

import errno
import posixpath
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.parquet as pq
from fsspec.core import url_to_fs

from schemas.tables import ARTICLES_SCHEMA, QUARANTINE_SCHEMA, SIGNATURES_SCHEMA
from tasks.config import LAKE, LakeSettings
from tasks.lake.paths import staging_root

# The column RunStage.article_tables adds to the staged rows: the article's place in the run
# (ids in the order first seen). Dedup orders the run's articles by it.
POSITION = "position"
QUARANTINE_ROWS_AT_ONCE = 32  # quarantine rows carry up to raw_cap_bytes each: read them back a few at a time
# What commit needs of an article beyond its columns: the MinHash that dedup compares and stores.
STAGED_ARTICLES_SCHEMA = ARTICLES_SCHEMA.append(SIGNATURES_SCHEMA.field("minhash"))


class StagedFile(NamedTuple):
    path: str
    keys: list[str]  # article ids, or quarantine ids, in row order


class _Winner(NamedTuple):
    file: int  # index into RunStage.article_files
    row: int
    position: int


def run_staging(lake: str, run_id: str) -> str:
    """The folder where the batches of run `run_id` stage their rows."""
    return f"{staging_root(lake)}/{run_id}"


def stage_articles(folder: str, rows: list[dict[str, Any]]) -> StagedFile | None:
    """Stage a batch's article rows (validated, with their minhash); None when there are none."""
    return _stage(folder, "articles", rows, STAGED_ARTICLES_SCHEMA)


def stage_quarantine(folder: str, rows: list[dict[str, Any]]) -> StagedFile | None:
    """Stage a batch's quarantine rows (tasks.lake.write.quarantine_row); None when there are none."""
    return _stage(folder, "quarantine", rows, QUARANTINE_SCHEMA, QUARANTINE_ROWS_AT_ONCE)


def _stage(
    folder: str, kind: str, rows: list[dict[str, Any]], schema: pa.Schema, rows_per_group: int | None = None
) -> StagedFile | None:
    if not rows:
        return None
    table = pa.Table.from_pylist(rows, schema=schema)
    fs, root = url_to_fs(folder)
    fs.makedirs(root, exist_ok=True)
    name = f"{kind}-{uuid.uuid4().hex}.parquet"  # unique: batches may run side by side, or again after a crash
    with fs.open(posixpath.join(root, name), "wb") as handle:
        pq.write_table(table, handle, row_group_size=rows_per_group)
    return StagedFile(f"{folder.rstrip('/')}/{name}", [row["id"] for row in rows])


def read_staged(path: str, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
    """A staged file (one batch), or only `columns` of it, one Parquet row group at a time."""
    fs, file = url_to_fs(path)
    try:
        handle = fs.open(file, "rb")
    except FileNotFoundError as error:
        raise FileNotFoundError(errno.ENOENT, "staged rows of this run were deleted while it ran", path) from error
    with handle:
        staged = pq.ParquetFile(handle)
        for group in range(staged.num_row_groups):
            yield staged.read_row_group(group, columns=list(columns) if columns is not None else None)


@dataclass
class RunStage:
    """The run's staged files, and which staged row of each article id is the one to commit."""

    article_files: list[str] = field(default_factory=list)
    quarantine_files: list[str] = field(default_factory=list)
    # article id -> its latest staged row; dict order is the order ids were first seen (the run order)
    winners: dict[str, _Winner] = field(default_factory=dict)
    superseded: int = 0  # staged article rows a later record of the same id replaced

    def add(self, articles: StagedFile | None, quarantine: StagedFile | None) -> None:
        """Take one batch's staged files, in batch order."""
        if articles is not None:
            file = len(self.article_files)
            self.article_files.append(articles.path)
            for row, article_id in enumerate(articles.keys):
                before = self.winners.get(article_id)
                self.superseded += before is not None
                self.winners[article_id] = _Winner(file, row, before.position if before else len(self.winners))
        if quarantine is not None:
            self.quarantine_files.append(quarantine.path)

    @property
    def articles(self) -> int:
        return len(self.winners)

    def article_tables(self, columns: Sequence[str] | None = None) -> Iterator[pa.Table]:
        """The winning rows, one staged file at a time, with `columns` (default: all) and their run `position`."""
        wanted = None if columns is None else list(dict.fromkeys(["id", *columns]))
        for file, path in enumerate(self.article_files):
            table = pa.concat_tables(read_staged(path, wanted))
            rows = [self.winners[i] for i in table.column("id").to_pylist()]
            keep = [w.file == file and w.row == row for row, w in enumerate(rows)]
            positions = pa.array([w.position for w, kept in zip(rows, keep, strict=True) if kept], pa.int32())
            kept = table.filter(pa.array(keep, pa.bool_()))
            if kept.num_rows:
                yield kept.append_column(POSITION, positions)

    def article_rows(self) -> Iterator[list[dict[str, Any]]]:
        """The winning rows as dicts (articles columns and minhash), one staged file at a time."""
        for table in self.article_tables():
            yield table.drop_columns([POSITION]).to_pylist()

    def quarantine_rows(self) -> Iterator[list[dict[str, Any]]]:
        """Every staged quarantine row, in batch order, a few at a time."""
        for path in self.quarantine_files:
            for table in read_staged(path):
                yield table.to_pylist()


def remove_run_staging(lake: str, run_id: str) -> None:
    """Delete the run's staging folder (after its last commit), and the staging root once it is empty."""
    fs, root = url_to_fs(run_staging(lake, run_id))
    if fs.exists(root):
        fs.rm(root, recursive=True)
    _, parent = url_to_fs(staging_root(lake))
    try:
        if fs.exists(parent) and not fs.ls(parent):
            fs.rmdir(parent)
    except OSError:
        pass  # another run staged meanwhile: its folder keeps the root


def clear_leftover_staging(
    lake: str, locked: bool, settings: LakeSettings = LAKE, now: datetime | None = None
) -> list[str]:
    """Delete the staging folders runs that died left behind; returns their run ids. Call it
    before the run stages anything.

    `locked`: the caller holds the lake lock, so no other run is staging and every folder is a
    leftover (one of this very run too, from an attempt that crashed). Without the lock only
    folders whose newest file is older than `settings.staging_abandoned_hours` are.
    """
    fs, root = url_to_fs(staging_root(lake))
    if not fs.exists(root):
        return []
    stale_before = (now or datetime.now(UTC)) - timedelta(hours=settings.staging_abandoned_hours)
    removed = []
    for entry in fs.ls(root, detail=True):
        run_id = posixpath.basename(entry["name"].rstrip("/"))
        if entry["type"] != "directory":
            continue
        if locked or _newest_write(fs, entry["name"]) < stale_before:
            fs.rm(entry["name"], recursive=True)
            removed.append(run_id)
    return removed


def _newest_write(fs: Any, folder: str) -> datetime:
    """When the newest file under `folder` was written (local files: mtime; object stores: LastModified)."""
    times = [_written_at(info) for info in fs.find(folder, detail=True).values()]
    return max(times, default=datetime.min.replace(tzinfo=UTC))


def _written_at(info: dict[str, Any]) -> datetime:
    stamp = info.get("LastModified", info.get("mtime", info.get("last_modified")))
    if isinstance(stamp, datetime):
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return datetime.fromtimestamp(float(stamp or 0), UTC)

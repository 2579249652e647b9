"""One Delta commit of rows that stream in, in memory that does not grow with them.

delta-rs 1.6 keeps what one `write_deltalake` call writes in memory until it commits, from a
RecordBatchReader too (benchmarks/commit_memory.py: the articles write of 50,000 articles took
450 MB more than that of 5,000), so a run's commit grew with its corpus. Here pyarrow writes each
partition's rows as row groups of one open data file per partition (rows wait in at most
LAKE.write_buffer_bytes of memory; files close at LAKE.target_file_bytes), and
`DeltaTable.create_write_transaction` commits the new files in one version together with the
rewrite of every file that held a replaced row: the effect of delta-rs's overwrite with a
predicate (copy on write), never a MERGE. A killed write leaves files no version refers to,
which readers never see and vacuum deletes.

The add actions carry each file's row count (numRecords), not min/max statistics: a filter on
another column reads the file instead of skipping it (partitions still prune), and the files
`broadsheet maintain` compacts are rewritten by delta-rs, statistics included.
"""

from __future__ import annotations

import contextlib
import json
import posixpath
import time
import uuid
from collections import OrderedDict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake import CommitProperties, DeltaTable, Schema
from deltalake.transaction import AddAction, RemoveAction, create_table_with_add_actions
from fsspec.core import url_to_fs

from tasks.config import LAKE, LakeSettings
from tasks.lake.storage import storage_options

NULL_PARTITION = (
    "__HIVE_DEFAULT_PARTITION__"  # the folder of rows whose partition value is null, as Hive and Delta name it
)
_PIECES_AT_MOST = 16  # rows of a partition waiting in more pieces are combined into one
_UPLOAD_PART_BYTES = 5 * 1024 * 1024  # what an object store file buffers before it uploads a part (S3's smallest)


def covers(table: DeltaTable, schema: pa.Schema) -> bool:
    """True when `table` has every column of `schema`: files of these rows need no schema change."""
    return set(schema.names) <= set(table.schema().to_arrow().names)


def commit_rows(
    path: str,
    table: DeltaTable | None,
    data: pa.RecordBatchReader,
    replaced_ids: Collection[str],
    key: str,
    properties: CommitProperties,
    partition_by: tuple[str, ...] = (),
    settings: LakeSettings = LAKE,
) -> None:
    """Add the rows of `data` to the table at `path` and drop its rows whose `key` is in
    `replaced_ids`, in one commit (creating the table, partitioned by `partition_by`, when
    `table` is None). The table must have every column of `data` (see `covers`); columns it has
    and `data` lacks are null in the new rows."""
    delta_schema = Schema.from_arrow(data.schema) if table is None else table.schema()
    columns = pa.schema(delta_schema.to_arrow())
    partitions = list(partition_by) if table is None else table.metadata().partition_columns
    files = _DataFiles(path, columns, partitions, settings)
    try:
        for batch in data:
            files.write(_in_columns(pa.Table.from_batches([batch]), columns))
        removed = _rewrite_without(table, set(replaced_ids), key, files) if table is not None and replaced_ids else []
        added = files.close()
    except BaseException:
        files.discard()  # a full disk keeps its room: no version will ever name these files
        raise
    # Past this point a failure never deletes a file: a commit whose answer was lost may have been made.
    if table is None:
        create_table_with_add_actions(
            path,
            delta_schema,
            added,
            mode="append",
            partition_by=partitions or None,
            storage_options=storage_options(path),
            commit_properties=properties,
        )
    elif added or removed:
        table.create_write_transaction(
            [*added, *removed],
            mode="append",
            schema=delta_schema,
            partition_by=partitions,
            commit_properties=properties,
        )


def _rewrite_without(table: DeltaTable, replaced: set[str], key: str, files: _DataFiles) -> list[RemoveAction]:
    """Rewrite every file of `table` holding a row whose `key` is replaced, without those rows:
    the survivors go to `files`, and the old files are removed."""
    wanted = pa.array(sorted(replaced), pa.string())
    fs, root = url_to_fs(table.table_uri)
    removed = []
    for action in pa.table(table.get_add_actions(flatten=False)).to_pylist():
        location = posixpath.join(root, unquote(action["path"]))
        with fs.open(location, "rb") as handle:
            stored = pq.ParquetFile(handle)
            if not pc.any(_is_in(stored.read(columns=[key]).column(key), wanted)).as_py():
                continue
            values = action.get("partition") or {}
            for group in range(stored.num_row_groups):
                rows = _in_columns(stored.read_row_group(group), files.columns, values)
                files.write(rows.filter(pc.invert(pc.is_in(rows.column(key), value_set=wanted))))
        removed.append(
            RemoveAction(
                path=action["path"],
                data_change=True,
                deletion_timestamp=_now_ms(),
                partition_values=values,
                size=action["size_bytes"],
            )
        )
    return removed


def _is_in(keys: pa.ChunkedArray, wanted: pa.Array) -> pa.ChunkedArray:
    # Files an old MERGE wrote hold string_view columns: compare as plain strings.
    return pc.is_in(keys.cast(pa.string()), value_set=wanted)


def _in_columns(rows: pa.Table, columns: pa.Schema, partition: dict[str, str | None] | None = None) -> pa.Table:
    """`rows` in the table's columns and types (string_view included): a stored file's partition
    values put back, columns the rows lack null."""
    values = partition or {}
    arrays = []
    for field in columns:
        if field.name in values:
            arrays.append(pa.array([values[field.name]] * rows.num_rows, field.type))
        elif field.name in rows.column_names:
            arrays.append(rows.column(field.name).cast(field.type))
        else:
            arrays.append(pa.nulls(rows.num_rows, field.type))
    return pa.Table.from_arrays(arrays, schema=columns)


@dataclass
class _OpenFile:
    path: str  # relative to the table
    handle: Any
    writer: pq.ParquetWriter
    partition: dict[str, str | None]
    rows: int = 0


class _DataFiles:
    """The data files of one commit, one per partition (more past LAKE.target_file_bytes).

    Rows wait in memory per partition until LAKE.write_buffer_bytes are waiting in all, then the
    partition holding the most is written out as a row group: memory stays bounded however many
    rows come, and row groups stay large where the rows are. Past LAKE.open_data_files open files
    the least recently used one is closed."""

    def __init__(self, table_path: str, columns: pa.Schema, partition_by: list[str], settings: LakeSettings) -> None:
        self.fs, self.root = url_to_fs(table_path)
        self.columns = columns
        self.partition_by = partition_by
        self.file_schema = pa.schema([field for field in columns if field.name not in partition_by])
        self.settings = settings
        self.waiting: dict[tuple[str | None, ...], list[pa.Table]] = {}
        self.waiting_bytes = 0
        self.open: OrderedDict[tuple[str | None, ...], _OpenFile] = OrderedDict()
        self.added: list[AddAction] = []
        self.started: list[_OpenFile] = []  # every file opened, finished or not, open or not

    def write(self, rows: pa.Table) -> None:
        """Write `rows` (every column, partition columns included) to the files of their partitions."""
        for key, part in self._by_partition(rows):
            if part.num_rows:
                pieces = self.waiting.setdefault(key, [])
                pieces.append(part.drop_columns(self.partition_by))
                self.waiting_bytes += pieces[-1].nbytes
                if len(pieces) >= _PIECES_AT_MOST:
                    self._combine(key)
        while self.waiting and self.waiting_bytes > self.settings.write_buffer_bytes:
            self._flush(max(self.waiting, key=lambda k: sum(t.nbytes for t in self.waiting[k])))

    def close(self) -> list[AddAction]:
        for key in list(self.waiting):
            self._flush(key)
        while self.open:
            self._finish(self.open.popitem(last=False)[1])
        return self.added

    def discard(self) -> None:
        """Delete every file this commit wrote, after a failure before the commit: best effort, since
        the storage may be what failed (what stays is what a killed write leaves, for vacuum)."""
        self.open.clear()
        for file in self.started:
            with contextlib.suppress(Exception):
                file.writer.close()
            with contextlib.suppress(Exception):
                _abandon(file.handle)
            with contextlib.suppress(Exception):
                self.fs.rm_file(posixpath.join(self.root, file.path))
        self.started.clear()
        self.added.clear()

    def _by_partition(self, rows: pa.Table) -> Iterator[tuple[tuple[str | None, ...], pa.Table]]:
        if not self.partition_by:
            yield (), rows
            return
        for values in rows.select(self.partition_by).group_by(self.partition_by).aggregate([]).to_pylist():
            mask = None
            for column, value in values.items():
                match = (
                    pc.is_null(rows.column(column))
                    if value is None
                    else pc.fill_null(pc.equal(rows.column(column), value), False)
                )
                mask = match if mask is None else pc.and_(mask, match)
            yield tuple(None if values[c] is None else str(values[c]) for c in self.partition_by), rows.filter(mask)

    def _combine(self, key: tuple[str | None, ...]) -> None:
        # Many small pieces that live for different times fragment the heap: measured, RSS grew
        # with the rows written although the pieces alive stayed under the budget.
        pieces = self.waiting[key]
        self.waiting[key] = [pa.concat_tables(pieces).combine_chunks()]
        self.waiting_bytes += self.waiting[key][0].nbytes - sum(piece.nbytes for piece in pieces)

    def _flush(self, key: tuple[str | None, ...]) -> None:
        parts = self.waiting.pop(key)
        rows = pa.concat_tables(parts)
        self.waiting_bytes -= sum(t.nbytes for t in parts)
        file = self.open.pop(key, None) or self._start(key)
        file.writer.write_table(rows)  # one row group
        file.rows += rows.num_rows
        if file.handle.tell() >= self.settings.target_file_bytes:
            self._finish(file)
        else:
            self.open[key] = file  # the most recently used is last
        while len(self.open) > self.settings.open_data_files:
            self._finish(self.open.popitem(last=False)[1])

    def _start(self, key: tuple[str | None, ...]) -> _OpenFile:
        folder = "/".join(
            f"{c}={NULL_PARTITION if v is None else quote(v, safe='')}"
            for c, v in zip(self.partition_by, key, strict=True)
        )
        relative = posixpath.join(folder, f"part-{uuid.uuid4()}-c000.snappy.parquet")
        location = posixpath.join(self.root, relative)
        self.fs.makedirs(posixpath.dirname(location), exist_ok=True)
        handle = self.fs.open(location, "wb", block_size=_UPLOAD_PART_BYTES)
        writer = pq.ParquetWriter(handle, self.file_schema, compression="snappy")
        self.started.append(_OpenFile(relative, handle, writer, dict(zip(self.partition_by, key, strict=True))))
        return self.started[-1]

    def _finish(self, file: _OpenFile) -> None:
        file.writer.close()
        size = file.handle.tell()
        file.handle.close()
        self.added.append(
            AddAction(file.path, size, file.partition, _now_ms(), True, json.dumps({"numRecords": file.rows}))
        )


def _abandon(handle: Any) -> None:
    """Close a file being written without finishing it: an object store's upload is aborted."""
    if hasattr(handle, "discard"):  # fsspec's buffered files (s3fs: aborts the multipart upload)
        handle.discard()
        handle.closed = True  # else its __del__ would finish the upload
    else:
        handle.close()


def _now_ms() -> int:
    return int(time.time() * 1000)

"""Streamed Delta commits: many batches, one version; replaced rows leave in the same version."""

import dataclasses
from datetime import UTC, datetime

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import CommitProperties, DeltaTable, Schema, write_deltalake
from deltalake.transaction import AddAction, create_table_with_add_actions

from tasks.config import LAKE
from tasks.lake.commit import NULL_PARTITION, commit_rows
from tasks.lake.write import replace_rows

SCHEMA = pa.schema(
    [pa.field("id", pa.string(), nullable=False), pa.field("text", pa.large_string()), pa.field("month", pa.string())]
)
TIGHT = dataclasses.replace(
    LAKE, write_buffer_bytes=1, open_data_files=1
)  # every batch written out at once, one file open


def _batches(rows, size=2):
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    return pa.RecordBatchReader.from_batches(SCHEMA, table.to_batches(max_chunksize=size))


def _rows(n, month_of=lambda i: f"2024-0{i % 3 + 1}" if i % 4 else None, text="text"):
    return [{"id": f"a{i:03d}", "text": f"{text} {i}", "month": month_of(i)} for i in range(n)]


def _stored(path, version=None):
    return sorted(DeltaTable(path, version=version).to_pyarrow_table().to_pylist(), key=lambda r: r["id"])


def _commit(path, rows, replaced=(), settings=LAKE, run="run-1"):
    table = DeltaTable(path) if DeltaTable.is_deltatable(path) else None
    commit_rows(
        path,
        table,
        _batches(rows),
        list(replaced),
        "id",
        CommitProperties(custom_metadata={"run_id": run}),
        ("month",),
        settings,
    )


def test_many_batches_make_one_version_partitioned_with_row_counts(tmp_path):
    path = str(tmp_path / "table")
    rows = _rows(40)

    _commit(path, rows)

    table = DeltaTable(path)
    assert table.version() == 0 and table.metadata().partition_columns == ["month"]
    assert _stored(path) == sorted(rows, key=lambda r: r["id"])
    assert pl.read_delta(path).height == 40
    actions = pa.table(table.get_add_actions(flatten=True)).to_pylist()
    assert sorted(a["partition.month"] or NULL_PARTITION for a in actions) == [
        "2024-01",
        "2024-02",
        "2024-03",
        NULL_PARTITION,
    ]
    assert sum(a["num_records"] for a in actions) == 40
    assert (tmp_path / "table" / f"month={NULL_PARTITION}").is_dir()
    assert table.history()[0]["run_id"] == "run-1"


def test_rows_written_out_batch_by_batch_with_one_file_open_are_all_there(tmp_path):
    path = str(tmp_path / "table")
    rows = _rows(40)

    _commit(path, rows, settings=TIGHT)

    assert _stored(path) == sorted(rows, key=lambda r: r["id"])
    assert DeltaTable(path).version() == 0 and len(DeltaTable(path).file_uris()) > 4  # partitions took turns


def test_replaced_rows_leave_in_the_same_version_and_other_files_stay(tmp_path):
    path = str(tmp_path / "table")
    _commit(path, _rows(12))
    before = set(DeltaTable(path).file_uris())
    corrected = [
        {"id": "a001", "text": "corrected", "month": "2024-02"},
        {"id": "a100", "text": "new", "month": "2024-03"},
    ]

    _commit(path, corrected, replaced=["a001"], run="run-2")

    now = {r["id"]: r for r in _stored(path)}
    assert DeltaTable(path).version() == 1 and len(now) == 13
    assert now["a001"]["text"] == "corrected" and now["a100"]["text"] == "new" and now["a005"]["text"] == "text 5"
    assert [r["text"] for r in _stored(path, version=0) if r["id"] == "a001"] == ["text 1"]  # time travel
    untouched = before & set(DeltaTable(path).file_uris())
    assert untouched and all("month=2024-02" not in uri for uri in untouched)  # only a001's file was rewritten


def test_rows_of_files_from_before_a_new_column_keep_their_values(tmp_path):
    """A row replaced in a file written before a column was added: the file's other rows survive, the column null."""
    path = str(tmp_path / "table")
    old = pa.Table.from_pylist(
        [{"id": "a", "text": "one", "month": "2024-01"}, {"id": "b", "text": "two", "month": "2024-01"}], schema=SCHEMA
    )
    write_deltalake(path, old, partition_by=["month"])
    wider = SCHEMA.append(pa.field("score", pa.float32()))
    stamp = datetime(2026, 1, 1, tzinfo=UTC)
    added = pa.Table.from_pylist([{"id": "c", "text": "three", "month": "2024-01", "score": 0.5}], schema=wider)
    replace_rows(
        path, DeltaTable(path), added, [], f"text = '{stamp.isoformat()}'", CommitProperties()
    )  # gains the column
    fixed = pa.Table.from_pylist([{"id": "a", "text": "one, fixed", "month": "2024-01", "score": 1.0}], schema=wider)

    replace_rows(path, DeltaTable(path), fixed, ["a"], "text = 'unused'", CommitProperties())

    assert [(r["id"], r["text"], r["score"]) for r in _stored(path)] == [
        ("a", "one, fixed", 1.0),
        ("b", "two", None),
        ("c", "three", 0.5),
    ]
    assert DeltaTable(path).version() == 2


def test_file_with_string_view_columns_is_rewritten_like_any_other(tmp_path):
    """delta-rs 1.6 merges wrote string_view columns; lakes that ran them still hold such files."""
    path = tmp_path / "table"
    (path / "month=2024-01").mkdir(parents=True)
    views = pa.table({"id": pa.array(["a", "b"], pa.string_view()), "text": pa.array(["one", "two"], pa.string_view())})
    pq.write_table(views, path / "month=2024-01" / "merged.parquet")
    add = AddAction(
        "month=2024-01/merged.parquet",
        (path / "month=2024-01" / "merged.parquet").stat().st_size,
        {"month": "2024-01"},
        0,
        True,
        '{"numRecords": 2}',
    )
    create_table_with_add_actions(str(path), Schema.from_arrow(SCHEMA), [add], mode="append", partition_by=["month"])

    _commit(str(path), [{"id": "a", "text": "one, fixed", "month": "2024-01"}], replaced=["a"])

    assert [(r["id"], r["text"]) for r in _stored(str(path))] == [("a", "one, fixed"), ("b", "two")]


def test_a_write_that_fails_before_its_commit_leaves_no_data_file(tmp_path):
    """The storage failing mid-write (here the rows' source, after several files were written and
    some finished): no version names the files, so the failed write deletes them; the table stays."""
    path = str(tmp_path / "table")
    _commit(path, _rows(12))
    stored = sorted(p for p in (tmp_path / "table").rglob("*.parquet"))

    def failing():
        yield from _batches(_rows(40, text="new"))
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        commit_rows(
            path,
            DeltaTable(path),
            pa.RecordBatchReader.from_batches(SCHEMA, failing()),
            ["a001"],
            "id",
            CommitProperties(custom_metadata={"run_id": "run-2"}),
            ("month",),
            TIGHT,
        )

    assert sorted(p for p in (tmp_path / "table").rglob("*.parquet")) == stored
    assert DeltaTable(path).version() == 0 and _stored(path) == sorted(_rows(12), key=lambda r: r["id"])

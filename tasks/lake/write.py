"""Write stage: upsert articles and quarantine rows into the lake's Delta tables.

One commit per table per run, carrying the run's metadata. Merges evolve the table's schema
with the columns a newer schema adds (tasks/lake/schema_evolution.py checks the rest first). Articles are merged by id and
skipped when their fingerprint (hash of every content column) is unchanged, so re-running
the same inputs commits nothing. Quarantine rows are keyed by input record; a record that
now becomes an article leaves quarantine in the same commit. A new articles table is
partitioned by published_month; an older one keeps its layout until
`broadsheet maintain --repartition` migrates it (tasks/lake/maintenance.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable

from schemas.tables import ARTICLES_PARTITION_BY, ARTICLES_SCHEMA, QUARANTINE_SCHEMA, RUN_COLUMNS
from tasks.config import LIMITS, Limits
from tasks.lake.commit import commit_rows, covers
from tasks.lake.paths import RunInfo, articles_path, local_root, quarantine_path
from tasks.lake.storage import existing_table, open_table, table_dataset, write_table
from tasks.records import Rejection

_CONTENT_COLUMNS = [name for name in ARTICLES_SCHEMA.names if name not in RUN_COLUMNS + ARTICLES_PARTITION_BY]
_RECENT_COMMITS = 10  # a run's own commit is among the last few while the lake lock is held
# Rows that come in batches: each call yields them again, one list at a time (writes read them twice).
RowBatches = Callable[[], Iterable[list[dict[str, Any]]]]


class LakeNotWritableError(OSError):
    """The lake folder cannot be created or written."""


@dataclass(frozen=True)
class ArticlesWrite:
    inserted: int
    updated: int
    unchanged: int
    version: int | None  # table version after the run; None when the table does not exist


@dataclass(frozen=True)
class QuarantineWrite:
    added: int  # new or changed quarantine rows
    released: int  # rows removed because their record is now an article
    version: int | None


def ensure_writable(lake: str) -> None:
    """Fail early, with the reason, when a local lake cannot be written."""
    root = local_root(lake)
    if root is None:
        return  # object stores report permissions at the first write
    try:
        os.makedirs(root, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".write-check-"):
            pass
    except OSError as error:
        raise LakeNotWritableError(f"lake not writable: {lake} ({error.strerror or error})") from error


def with_published_month(articles: pa.Table) -> pa.Table:
    """`articles` with published_month set from date_published: YYYY-MM in UTC, null when unknown."""
    month = pc.strftime(articles["date_published"], format="%Y-%m")
    index = articles.schema.get_field_index("published_month")
    if index < 0:
        return articles.append_column(ARTICLES_SCHEMA.field("published_month"), month)
    return articles.set_column(index, articles.schema.field(index), month)


def commit_of_run(table: DeltaTable, run_id: str) -> dict[str, Any] | None:
    """The commit `run_id` made to `table`, if any: a retried commit task reports it instead of redoing it."""
    return next((entry for entry in table.history(limit=_RECENT_COMMITS) if entry.get("run_id") == run_id), None)


def fingerprint(row: dict[str, Any]) -> str:
    content = {name: row.get(name) for name in _CONTENT_COLUMNS}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def write_articles(lake: str, rows: list[dict[str, Any]], run: RunInfo, metadata: dict[str, Any]) -> ArticlesWrite:
    """Upsert `rows` (ids unique) by id; returns what changed. Commits only when something did."""
    return write_article_batches(lake, [r["id"] for r in rows], lambda: [rows], run, metadata)


def write_article_batches(
    lake: str, ids: list[str], batches: RowBatches, run: RunInfo, metadata: dict[str, Any]
) -> ArticlesWrite:
    """write_articles for rows that come in batches: `batches()` yields the rows of `ids` (each
    once), one list at a time. Memory holds one batch and the ids: a first pass finds what
    changed, a second streams it into the commit."""
    path = articles_path(lake)
    table = existing_table(path)
    if table is not None and (done := commit_of_run(table, run.run_id)) is not None:
        return ArticlesWrite(done["inserted"], done["updated"], done["unchanged"], table.version())
    stored = _stored_values(table, "fingerprint", ids)
    changed = {row["id"] for rows in batches() for row in rows if _changed(row, stored)}
    inserted = sum(1 for i in changed if i not in stored)
    counts = {"inserted": inserted, "updated": len(changed) - inserted, "unchanged": len(ids) - len(changed)}
    if changed:
        ingested_at = datetime.now(UTC)
        stamp = {"run_id": run.run_id, "pipeline_version": run.pipeline_version, "ingested_at": ingested_at}

        def changed_rows() -> Iterator[pa.RecordBatch]:
            for rows in batches():
                if kept := [r | {"fingerprint": fingerprint(r)} | stamp for r in rows if r["id"] in changed]:
                    yield from with_published_month(pa.Table.from_pylist(kept, schema=ARTICLES_SCHEMA)).to_batches()

        data = pa.RecordBatchReader.from_batches(ARTICLES_SCHEMA, changed_rows())
        updated_ids = [i for i in ids if i in changed and i in stored]
        properties = run.commit_properties(metadata | counts)
        new_rows = timestamp_equals("ingested_at", ingested_at)
        replace_rows(path, table, data, updated_ids, new_rows, properties, ARTICLES_PARTITION_BY)
        table = open_table(path)
    return ArticlesWrite(**counts, version=table.version() if table else None)


def _changed(row: dict[str, Any], stored: dict[str, Any]) -> bool:
    """Whether `row` is new or differs from its stored version (`stored`: id -> fingerprint). A
    new row needs no fingerprint here: a whole first run would hash every row twice."""
    return (old := stored.get(row["id"])) is None or old != fingerprint(row)


def write_quarantine(
    lake: str,
    rejections: list[Rejection],
    released_ids: Iterable[str],
    run: RunInfo,
    metadata: dict[str, Any],
    limits: Limits = LIMITS,
) -> QuarantineWrite:
    """Upsert this run's rejections; remove rows of records (`released_ids`) that are now articles."""
    rows = [quarantine_row(r, limits) for r in rejections]
    return write_quarantine_batches(lake, lambda: [rows], released_ids, run, metadata)


def write_quarantine_batches(
    lake: str, batches: RowBatches, released_ids: Iterable[str], run: RunInfo, metadata: dict[str, Any]
) -> QuarantineWrite:
    """write_quarantine for quarantine rows (`quarantine_row`) that come in batches; a later row
    of the same record wins. Reads the batches twice: to find what changed, then to write it."""
    path = quarantine_path(lake)
    table = existing_table(path)
    if table is not None and (done := commit_of_run(table, run.run_id)) is not None:
        return QuarantineWrite(done["quarantined"], done["released"], table.version())
    latest: dict[str, tuple[int, int, str]] = {}  # quarantine id -> (batch, row, state) of its last row
    for batch, rows in enumerate(batches()):
        for index, row in enumerate(rows):
            latest[row["id"]] = (batch, index, _state(row))
    stored = _stored_values(table, "state", list(latest), state=True)
    added = {row_id: (batch, index) for row_id, (batch, index, state) in latest.items() if stored.get(row_id) != state}
    leaving = sorted(set(_stored_values(table, "id", list(set(released_ids) - latest.keys()))))
    if not added and not leaving:
        return QuarantineWrite(0, 0, table.version() if table else None)

    ingested_at = datetime.now(UTC)
    stamp = {"run_id": run.run_id, "pipeline_version": run.pipeline_version, "ingested_at": ingested_at}

    def added_rows() -> Iterator[pa.RecordBatch]:
        for batch, rows in enumerate(batches()):
            if kept := [row | stamp for index, row in enumerate(rows) if added.get(row["id"]) == (batch, index)]:
                yield from pa.Table.from_pylist(kept, schema=QUARANTINE_SCHEMA).to_batches()

    data = pa.RecordBatchReader.from_batches(QUARANTINE_SCHEMA, added_rows())
    replaced = [row_id for row_id in added if row_id in stored] + leaving
    properties = run.commit_properties(metadata | {"quarantined": len(added), "released": len(leaving)})
    replace_rows(path, table, data, replaced, timestamp_equals("ingested_at", ingested_at), properties)
    return QuarantineWrite(len(added), len(leaving), open_table(path).version())


def replace_rows(
    path: str,
    table: DeltaTable | None,
    data: pa.Table | pa.RecordBatchReader,
    replaced_ids: list[str],
    new_rows: str,
    properties: CommitProperties,
    partition_by: tuple[str, ...] = (),
    key: str = "id",
) -> None:
    """Add `data` and drop the stored rows whose `key` is in `replaced_ids`, in one commit.

    Streams `data` into data files and commits them with the rewrite of the files that held
    replaced rows (tasks/lake/commit.py), so memory does not grow with `data`. Only a write that
    adds columns to an existing table goes through write_deltalake, which merges the schema:
    once per schema change. `new_rows` is a predicate every row of `data` matches and no stored
    row does (this write's timestamp): Delta requires every new row of an overwrite with a
    predicate to match it. Never a MERGE: delta-rs 1.6 merges rewrite the rows they keep with
    string_view columns, which pyarrow cannot filter (our own lookups included) and older readers
    cannot read.
    """
    reader = data if isinstance(data, pa.RecordBatchReader) else data.to_reader()
    if table is None or covers(table, reader.schema):
        commit_rows(path, table, reader, replaced_ids, key, properties, partition_by)
        return
    # schema_mode merge: a table written by an older schema gains the new columns instead of failing the run
    if not replaced_ids:
        write_table(path, reader, mode="append", schema_mode="merge", commit_properties=properties)
        return
    ids = ", ".join("'" + i.replace("'", "''") + "'" for i in replaced_ids)
    predicate = f"{new_rows} OR {key} IN ({ids})"
    write_table(path, reader, mode="overwrite", predicate=predicate, schema_mode="merge", commit_properties=properties)


def timestamp_equals(column: str, at: datetime) -> str:
    """A Delta predicate matching the rows whose `column` is exactly `at`."""
    return f"{column} = '{at.isoformat()}'"


def quarantine_id(source_uri: str, source_record: int) -> str:
    return hashlib.sha256(f"{source_uri}#{source_record}".encode()).hexdigest()[:32]


def quarantine_row(rejection: Rejection, limits: Limits = LIMITS) -> dict[str, Any]:
    """The quarantine row of `rejection`, its raw bytes cut at the raw cap; the write adds the run's columns."""
    raw = rejection.raw
    return {
        "id": quarantine_id(rejection.source_uri, rejection.source_record),
        "source_uri": rejection.source_uri,
        "source_record": rejection.source_record,
        "source_format": rejection.source_format,
        "stage": str(rejection.stage),
        "reasons": list(rejection.reasons),
        "error": rejection.error,
        "raw": raw[: limits.raw_cap_bytes],
        "raw_truncated": len(raw) > limits.raw_cap_bytes,
        "source_sha256": hashlib.sha256(raw).hexdigest(),
    }


def _state(row: dict[str, Any]) -> str:
    # A quarantine row is rewritten only when the record or the verdict on it changed.
    return json.dumps([row["source_sha256"], row["stage"], sorted(row["reasons"])])


def _stored_values(table: DeltaTable | None, column: str, ids: list[str], *, state: bool = False) -> dict[str, Any]:
    """id -> `column` (or the quarantine state) for those of `ids` already in `table`."""
    if table is None or not ids:
        return {}
    columns = ["id", "source_sha256", "stage", "reasons"] if state else list(dict.fromkeys(["id", column]))
    # Filter after the scan: a pushed-down filter fails on files a merge wrote (string_view
    # statistics against a string column), and hash ids defeat min/max pruning anyway. Batch by
    # batch, so memory holds what is found, never the table.
    wanted = pa.array(ids, pa.string())
    found = {}
    for batch in table_dataset(table).to_batches(columns=columns):
        for row in batch.filter(pc.is_in(batch.column("id"), value_set=wanted)).to_pylist():
            found[row["id"]] = _state(row) if state else row[column]
    return found

"""Write stage: upsert articles and quarantine rows into the lake's Delta tables.

One commit per table per run, carrying the run's metadata. Articles are merged by id and
skipped when their fingerprint (hash of every content column) is unchanged, so re-running
the same inputs commits nothing. Quarantine rows are keyed by input record; a record that
now becomes an article leaves quarantine in the same commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable, write_deltalake
from fsspec.core import url_to_fs

from schemas.tables import ARTICLES_SCHEMA, QUARANTINE_SCHEMA, RUN_COLUMNS
from tasks.config import LIMITS, Limits
from tasks.records import Rejection

_CONTENT_COLUMNS = [name for name in ARTICLES_SCHEMA.names if name not in RUN_COLUMNS]
_DELETE_FLAG = "_leaves_quarantine"
_RECENT_COMMITS = 10  # a run's own commit is among the last few while the lake lock is held


class LakeNotWritableError(OSError):
    """The lake folder cannot be created or written."""


@dataclass(frozen=True)
class RunInfo:
    run_id: str
    deployment: str  # Prefect deployment name, or "manual"
    pipeline_version: str
    started_at: datetime

    def commit_properties(self, metadata: dict[str, Any]) -> CommitProperties:
        identity = {"run_id": self.run_id, "deployment": self.deployment, "pipeline_version": self.pipeline_version}
        return CommitProperties(custom_metadata=identity | metadata)


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


def articles_path(lake: str) -> str:
    return f"{lake.rstrip('/')}/articles"


def quarantine_path(lake: str) -> str:
    return f"{lake.rstrip('/')}/quarantine"


def ensure_writable(lake: str) -> None:
    """Fail early, with the reason, when a local lake cannot be written."""
    fs, root = url_to_fs(lake)
    if "file" not in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)):
        return  # object stores report permissions at the first write
    try:
        os.makedirs(root, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".write-check-"):
            pass
    except OSError as error:
        raise LakeNotWritableError(f"lake not writable: {lake} ({error.strerror or error})") from error


def _table(path: str) -> DeltaTable | None:
    return DeltaTable(path) if DeltaTable.is_deltatable(path) else None


def commit_of_run(table: DeltaTable | None, run_id: str) -> dict[str, Any] | None:
    """The commit `run_id` made to `table`, if any: a retried commit task reports it instead of redoing it."""
    if table is None:
        return None
    return next((entry for entry in table.history(limit=_RECENT_COMMITS) if entry.get("run_id") == run_id), None)


def known_content_hashes(lake: str) -> dict[str, str]:
    """content_hash -> id of the article that first had that text, for duplicate marking."""
    table = _table(articles_path(lake))
    if table is None:
        return {}
    originals = table.to_pyarrow_dataset().to_table(
        columns=["id", "content_hash"], filter=pc.field("duplicate_of").is_null()
    )
    return dict(zip(originals["content_hash"].to_pylist(), originals["id"].to_pylist(), strict=True))


def fingerprint(row: dict[str, Any]) -> str:
    content = {name: row.get(name) for name in _CONTENT_COLUMNS}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def write_articles(lake: str, rows: list[dict[str, Any]], run: RunInfo, metadata: dict[str, Any]) -> ArticlesWrite:
    """Upsert `rows` (ids unique) by id; returns what changed. Commits only when something did."""
    path = articles_path(lake)
    table = _table(path)
    if (done := commit_of_run(table, run.run_id)) is not None:
        return ArticlesWrite(done["inserted"], done["updated"], done["unchanged"], table.version())
    for row in rows:
        row["fingerprint"] = fingerprint(row)
    stored = _stored_values(table, "fingerprint", [r["id"] for r in rows])
    changed = [r for r in rows if stored.get(r["id"]) != r["fingerprint"]]
    inserted = sum(1 for r in changed if r["id"] not in stored)
    counts = {"inserted": inserted, "updated": len(changed) - inserted, "unchanged": len(rows) - len(changed)}
    if changed:
        stamped = [r | {"run_id": run.run_id, "pipeline_version": run.pipeline_version, "ingested_at": run.started_at} for r in changed]
        data = pa.Table.from_pylist(stamped, schema=ARTICLES_SCHEMA)
        upsert(path, table, data, "id", run.commit_properties(metadata | counts))
        table = DeltaTable(path)
    return ArticlesWrite(**counts, version=table.version() if table else None)


def upsert(path: str, table: DeltaTable | None, data: pa.Table, key: str, properties: CommitProperties) -> None:
    """One commit: create the table at `path` from `data`, or merge `data` into it by `key`."""
    if table is None:
        write_deltalake(path, data, mode="append", commit_properties=properties)
        return
    (
        table.merge(source=data, predicate=f"t.{key} = s.{key}", source_alias="s", target_alias="t", commit_properties=properties)
        .when_matched_update_all()
        .when_not_matched_insert_all()
        .execute()
    )


def write_quarantine(
    lake: str,
    rejections: list[Rejection],
    released_ids: Iterable[str],
    run: RunInfo,
    metadata: dict[str, Any],
    limits: Limits = LIMITS,
) -> QuarantineWrite:
    """Upsert this run's rejections; remove rows of records (`released_ids`) that are now articles."""
    path = quarantine_path(lake)
    table = _table(path)
    if (done := commit_of_run(table, run.run_id)) is not None:
        return QuarantineWrite(done["quarantined"], done["released"], table.version())
    rows = {row["id"]: row for row in (_quarantine_row(r, run, limits) for r in rejections)}
    stored = _stored_values(table, "state", list(rows), state=True)
    added = [row for row_id, row in rows.items() if stored.get(row_id) != _state(row)]
    leaving = sorted(set(_stored_values(table, "id", list(set(released_ids) - rows.keys()))))
    if not added and not leaving:
        return QuarantineWrite(0, 0, table.version() if table else None)

    properties = run.commit_properties(metadata | {"quarantined": len(added), "released": len(leaving)})
    if table is None:
        write_deltalake(path, pa.Table.from_pylist(added, schema=QUARANTINE_SCHEMA), mode="append", commit_properties=properties)
    else:
        source = pa.Table.from_pylist(
            [r | {_DELETE_FLAG: False} for r in added] + [_tombstone(i) for i in leaving],
            schema=QUARANTINE_SCHEMA.append(pa.field(_DELETE_FLAG, pa.bool_())),
        )
        columns = {name: f"s.{name}" for name in QUARANTINE_SCHEMA.names}
        (
            table.merge(source=source, predicate="t.id = s.id", source_alias="s", target_alias="t", commit_properties=properties)
            .when_matched_delete(predicate=f"s.{_DELETE_FLAG}")
            .when_matched_update(updates=columns)
            .when_not_matched_insert(updates=columns, predicate=f"NOT s.{_DELETE_FLAG}")
            .execute()
        )
    return QuarantineWrite(len(added), len(leaving), DeltaTable(path).version())


def quarantine_id(source_uri: str, source_record: int) -> str:
    return hashlib.sha256(f"{source_uri}#{source_record}".encode("utf-8")).hexdigest()[:32]


def _quarantine_row(rejection: Rejection, run: RunInfo, limits: Limits) -> dict[str, Any]:
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
        "run_id": run.run_id,
        "pipeline_version": run.pipeline_version,
        "ingested_at": run.started_at,
    }


def _state(row: dict[str, Any]) -> str:
    # A quarantine row is rewritten only when the record or the verdict on it changed.
    return json.dumps([row["source_sha256"], row["stage"], sorted(row["reasons"])])


def _tombstone(row_id: str) -> dict[str, Any]:
    return {"id": row_id, "source_uri": "", "source_record": 0, "stage": "", "reasons": [], _DELETE_FLAG: True}


def _stored_values(table: DeltaTable | None, column: str, ids: list[str], *, state: bool = False) -> dict[str, Any]:
    """id -> `column` (or the quarantine state) for those of `ids` already in `table`."""
    if table is None or not ids:
        return {}
    columns = ["id", "source_sha256", "stage", "reasons"] if state else list(dict.fromkeys(["id", column]))
    # Filter after the scan: a pushed-down filter fails on files a merge wrote (string_view
    # statistics against a string column), and hash ids defeat min/max pruning anyway.
    found = table.to_pyarrow_dataset().to_table(columns=columns).filter(pc.field("id").isin(ids)).to_pylist()
    return {row["id"]: _state(row) if state else row[column] for row in found}

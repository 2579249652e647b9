"""The inputs ledger `<lake>/_inputs`: which input files, by URI and content hash, the lake holds.

An incremental run reads only inputs whose URI is new or whose bytes changed since they were
recorded; a full refresh reads everything again (the upserts keep that idempotent). To tell,
a file is hashed only when its listing stamp (size and mtime, or the object store's ETag:
tasks.ingest.files.listing_stamp) differs from the recorded one, so a rerun over a large source
lists it and reads nothing. A file with a new stamp but the same bytes (touched, copied again)
is not read again either; the ledger notes its new stamp, so the next run does not hash it.

The ledger follows the articles table: a restore (tasks/lake/versions.py restore_articles)
first takes out of it the inputs of the articles it removes or reverts, so the next run reads
them again. Maintenance and migrations rewrite the tables' files but keep every row, so they
leave the ledger as it is.

Crash safety comes from the commit order: the ledger is committed last, after `articles` and
`quarantine`, so a ledger row means the file's records are in the lake. A run killed before
its ledger commit leaves its files unrecorded; the next run reads them again, and the
fingerprint upsert turns what the killed run had already written into `unchanged` rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field

import fsspec
import pyarrow as pa
from deltalake import CommitProperties

from schemas.tables import INPUTS_SCHEMA
from tasks.ingest.files import ExcludedFolder, InputFile
from tasks.lake.commit import commit_rows
from tasks.lake.paths import RunInfo, inputs_path
from tasks.lake.storage import existing_table, open_table, table_dataset, table_exists
from tasks.lake.write import commit_of_run, replace_rows, timestamp_equals

_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class HashedInput:
    file: InputFile
    sha256: str | None  # None when the file could not be read: it stays pending until it can
    size_bytes: int | None


@dataclass
class InputPlan:
    """The inputs a run reads, and how many it leaves alone."""

    pending: list[HashedInput] = field(default_factory=list)
    restamped: list[HashedInput] = field(default_factory=list)  # unchanged bytes, listed with a new stamp
    new: int = 0  # URI not in the ledger (or its bytes could not be hashed)
    changed: int = 0  # URI in the ledger with other bytes
    unchanged: int = 0  # already in the lake with these bytes
    full_refresh: bool = False  # unchanged inputs are read again too
    excluded: list[ExcludedFolder] = field(default_factory=list)  # folders under a source never listed

    @property
    def files(self) -> list[InputFile]:
        return [item.file for item in self.pending]


@dataclass(frozen=True)
class LedgerWrite:
    recorded: int  # inputs added to the ledger or recorded with new bytes
    version: int | None


def hash_input(item: InputFile) -> HashedInput:
    """sha256 and size of the file's bytes as stored (a .gz file: its compressed bytes)."""
    digest, size = hashlib.sha256(), 0
    try:
        with fsspec.open(item.uri, "rb") as handle:
            while chunk := handle.read(_CHUNK_BYTES):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return HashedInput(item, None, None)  # ingest reports why, as an `unreadable` rejection
    return HashedInput(item, digest.hexdigest(), size)


def plan_inputs(lake: str, inputs: list[InputFile], *, full_refresh: bool = False) -> InputPlan:
    """Compare `inputs` with the ledger: what is new or changed is pending. A file is hashed
    unless the ledger holds it with the stamp it is listed with (every file, with full_refresh)."""
    recorded = recorded_inputs(lake, columns=("sha256",))
    plan = InputPlan(full_refresh=full_refresh)
    for file in dict.fromkeys(inputs):  # a file named by two sources is read once
        before = recorded.get(file.uri)
        if before is not None and file.stamp is not None and before["stamp"] == file.stamp and not full_refresh:
            plan.unchanged += 1
            continue
        item = hash_input(file)
        if before is not None and item.sha256 == before["sha256"]:
            plan.unchanged += 1
            if full_refresh:
                plan.pending.append(item)
            elif before["stamp"] != file.stamp:
                plan.restamped.append(item)
            continue
        plan.pending.append(item)
        if before is None:
            plan.new += 1
        else:
            plan.changed += 1
    return plan


def all_recorded(lake: str, inputs: list[InputFile]) -> bool:
    """Whether the ledger holds every one of `inputs` with the stamp it is listed with, so that a
    run would read nothing. Hashes no file: a changed stamp is left to plan_inputs to judge."""
    recorded = recorded_inputs(lake, columns=())
    return bool(inputs) and all(
        file.stamp is not None and recorded.get(file.uri, {}).get("stamp") == file.stamp for file in inputs
    )


def recorded_inputs(lake: str, columns: tuple[str, ...] | None = None) -> dict[str, dict]:
    """uri -> the ledger's row (these columns of it, besides uri and stamp) of every input it
    holds; stamp is None in the rows of a ledger written before stamps were recorded."""
    path = inputs_path(lake)
    if not table_exists(path):
        return {}
    dataset = table_dataset(open_table(path))
    read = None if columns is None else ["uri", *columns, *(["stamp"] if "stamp" in dataset.schema.names else [])]
    rows = dataset.to_table(columns=read).to_pylist()
    return {row["uri"]: {"stamp": None} | row for row in rows}


def record_inputs(
    lake: str, read: list[HashedInput], unreadable: Collection[str], run: RunInfo, metadata: dict
) -> LedgerWrite:
    """Record the inputs this run read, except those it could not read (URIs in `unreadable`),
    and the new stamps of inputs whose bytes the ledger already holds (their rows otherwise
    unchanged: the run that processed those bytes stays the one named).

    Call it only after the articles and quarantine commits. Commits only when something is new.
    """
    path = inputs_path(lake)
    table = existing_table(path)
    if table is not None and (done := commit_of_run(table, run.run_id)) is not None:
        return LedgerWrite(int(done["inputs_recorded"]), table.version())  # a retried commit: already written
    recorded = recorded_inputs(lake)
    rows = []
    for item in read:
        if item.sha256 is None or item.file.uri in unreadable:
            continue
        before = recorded.get(item.file.uri)
        if before is not None and before["sha256"] == item.sha256:
            if before["stamp"] != item.file.stamp:
                rows.append(before | {"stamp": item.file.stamp})
            continue
        rows.append(
            {
                "uri": item.file.uri,
                "sha256": item.sha256,
                "size_bytes": item.size_bytes,
                "source_format": item.file.source_format,
                "run_id": run.run_id,
                "pipeline_version": run.pipeline_version,
                "processed_at": run.started_at,
                "stamp": item.file.stamp,
            }
        )
    if not rows:
        return LedgerWrite(0, table.version() if table else None)
    data = pa.Table.from_pylist(rows, schema=INPUTS_SCHEMA)
    changed = [row["uri"] for row in rows if row["uri"] in recorded]
    properties = run.commit_properties(metadata | {"inputs_recorded": len(rows)})
    replace_rows(path, table, data, changed, timestamp_equals("processed_at", run.started_at), properties, key="uri")
    return LedgerWrite(len(rows), open_table(path).version())


def forget_inputs(lake: str, uris: Collection[str], metadata: dict) -> int:
    """Take the inputs `uris` out of the ledger in one commit, so the next run reads them again
    (inputs whose rows the lake no longer holds). Returns how many the ledger held."""
    path = inputs_path(lake)
    table = existing_table(path)
    if table is None:
        return 0
    forgotten = set(recorded_inputs(lake, columns=())) & set(uris)
    if not forgotten:
        return 0
    nothing_added = pa.schema(table.schema().to_arrow()).empty_table().to_reader()
    properties = CommitProperties(custom_metadata=metadata | {"inputs_forgotten": len(forgotten)})
    commit_rows(path, table, nothing_added, forgotten, "uri", properties)
    return len(forgotten)

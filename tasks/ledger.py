"""The inputs ledger `<lake>/_inputs`: which input files, by URI and content hash, the lake holds.

An incremental run reads only inputs whose URI is new or whose bytes changed since they were
recorded; a full refresh reads everything again (the upserts keep that idempotent).

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

from schemas.tables import INPUTS_SCHEMA
from tasks.ingest import InputFile
from tasks.lake import RunInfo, commit_of_run, replace_rows, timestamp_equals
from tasks.storage import existing_table, open_table, table_exists

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
    new: int = 0  # URI not in the ledger (or its bytes could not be hashed)
    changed: int = 0  # URI in the ledger with other bytes
    unchanged: int = 0  # already in the lake with these bytes
    full_refresh: bool = False  # unchanged inputs are read again too

    @property
    def files(self) -> list[InputFile]:
        return [item.file for item in self.pending]


@dataclass(frozen=True)
class LedgerWrite:
    recorded: int  # inputs added to the ledger or recorded with new bytes
    version: int | None


def inputs_path(lake: str) -> str:
    return f"{lake.rstrip('/')}/_inputs"


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
    """Hash `inputs` and compare them with the ledger: what is new or changed is pending."""
    recorded = recorded_hashes(lake)
    plan = InputPlan(full_refresh=full_refresh)
    for item in map(hash_input, dict.fromkeys(inputs)):  # a file named by two sources is read once
        before = recorded.get(item.file.uri)
        if item.sha256 is not None and before == item.sha256:
            plan.unchanged += 1
            if full_refresh:
                plan.pending.append(item)
            continue
        plan.pending.append(item)
        if before is None:
            plan.new += 1
        else:
            plan.changed += 1
    return plan


def recorded_hashes(lake: str) -> dict[str, str]:
    """uri -> sha256 of every input the ledger holds."""
    path = inputs_path(lake)
    if not table_exists(path):
        return {}
    table = open_table(path).to_pyarrow_dataset().to_table(columns=["uri", "sha256"])
    return dict(zip(table["uri"].to_pylist(), table["sha256"].to_pylist(), strict=True))


def record_inputs(lake: str, read: list[HashedInput], unreadable: Collection[str], run: RunInfo, metadata: dict) -> LedgerWrite:
    """Record the inputs this run read, except those it could not read (URIs in `unreadable`).

    Call it only after the articles and quarantine commits. Commits only when something is new.
    """
    path = inputs_path(lake)
    table = existing_table(path)
    if (done := commit_of_run(table, run.run_id)) is not None:
        return LedgerWrite(int(done["inputs_recorded"]), table.version())  # a retried commit: already written
    recorded = recorded_hashes(lake)
    rows = [
        {
            "uri": item.file.uri,
            "sha256": item.sha256,
            "size_bytes": item.size_bytes,
            "source_format": item.file.source_format,
            "run_id": run.run_id,
            "pipeline_version": run.pipeline_version,
            "processed_at": run.started_at,
        }
        for item in read
        if item.sha256 is not None and item.file.uri not in unreadable and recorded.get(item.file.uri) != item.sha256
    ]
    if not rows:
        return LedgerWrite(0, table.version() if table else None)
    data = pa.Table.from_pylist(rows, schema=INPUTS_SCHEMA)
    changed = [row["uri"] for row in rows if row["uri"] in recorded]
    properties = run.commit_properties(metadata | {"inputs_recorded": len(rows)})
    replace_rows(path, table, data, changed, timestamp_equals("processed_at", run.started_at), properties, key="uri")
    return LedgerWrite(len(rows), open_table(path).version())

"""Clean and enrich each document in the worker processes, in one pass.

Cleaning and enriching a document are CPU work on that document alone, so a worker does
both before it answers: every core works on the two stages that cost most, and the parent
only hands out records and collects rows (validation and writing stay batch-wide). The
per-document time limit covers both stages. Counters stay per stage (datatrove style), and
the batch's wall time is split between clean and enrich in proportion to the time the workers
spent in each.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter
from typing import Any

from tasks.config import LIMITS, Limits
from tasks.enrich.enrich import count_enriched, enrich_or_reject
from tasks.extract.clean import clean_or_reject
from tasks.records import RawRecord, Rejection, StageCounters
from tasks.workers.document_workers import run_per_record, start_workers

Row = dict[str, Any]
_IN_WORKERS = "tasks.clean_and_enrich:clean_and_enrich_or_reject"  # what the worker processes import and run


@dataclass(frozen=True)
class DocumentOutcome:
    """One record's outcome: an enriched row (without its raw bytes) or a rejection, with the
    seconds the worker spent cleaning and enriching it."""

    outcome: Row | Rejection
    clean_seconds: float
    enrich_seconds: float


@dataclass
class CleanEnrichBatch:
    rows: list[Row]  # enriched rows, each with its record's `raw` bytes for later quarantine
    rejections: list[Rejection]
    clean: StageCounters
    enrich: StageCounters


def clean_and_enrich_or_reject(record: RawRecord) -> DocumentOutcome:
    """Clean, then enrich, one record; never raises."""
    started = perf_counter()
    cleaned = clean_or_reject(record)
    cleaned_at = perf_counter()
    if isinstance(cleaned, Rejection):
        return DocumentOutcome(cleaned, cleaned_at - started, 0.0)
    return DocumentOutcome(enrich_or_reject(cleaned, record), cleaned_at - started, perf_counter() - cleaned_at)


def start_clean_and_enrich_workers(limits: Limits = LIMITS) -> None:
    """Start the worker processes clean_and_enrich_batch will use with `limits`: their imports
    (seconds) then overlap whatever the caller does before its first batch."""
    start_workers(limits, _IN_WORKERS)


def clean_and_enrich_batch(records: list[RawRecord], limits: Limits = LIMITS) -> CleanEnrichBatch:
    """Clean and enrich every record, in `limits.clean_workers` processes side by side."""
    started = perf_counter()
    batch = CleanEnrichBatch([], [], StageCounters("clean", total=len(records)), StageCounters("enrich"))
    worker_seconds = {"clean": 0.0, "enrich": 0.0}
    for record, result in zip(
        records,
        run_per_record(records, limits, clean_and_enrich_or_reject, _IN_WORKERS),
        strict=True,
    ):
        if isinstance(result, Rejection):  # the record never reached its worker, or overran it
            _reject(batch, batch.clean, result)
            continue
        worker_seconds["clean"] += result.clean_seconds
        worker_seconds["enrich"] += result.enrich_seconds
        if isinstance(result.outcome, Rejection) and result.outcome.stage == batch.clean.stage:
            _reject(batch, batch.clean, result.outcome)
            continue
        batch.clean.forwarded += 1
        batch.enrich.total += 1
        count_enriched(result.outcome, batch.enrich)
        if isinstance(result.outcome, Rejection):
            batch.rejections.append(result.outcome)
        else:
            batch.rows.append(result.outcome | {"raw": record.raw})
    wall = perf_counter() - started
    spent = sum(worker_seconds.values()) or 1.0
    batch.clean.seconds = wall * worker_seconds["clean"] / spent
    batch.enrich.seconds = wall * worker_seconds["enrich"] / spent
    return batch


def _reject(batch: CleanEnrichBatch, counters: StageCounters, rejection: Rejection) -> None:
    batch.rejections.append(rejection)
    counters.reject(rejection.reasons)

"""The run as plain Python: batches through clean, enrich and validate, then one commit per table.

flows/article_pipeline.py wraps these functions in Prefect tasks; tests call them directly.
Accounting is checked, not assumed: records read = inserted + updated + unchanged +
superseded (same article id again later in the run) + quarantined, or the run fails.
Memory does not grow with the corpus: each batch stages its rows under the lake
(tasks/lake/staging.py) and the run keeps ids and counts; the commit streams the staged rows back.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from time import perf_counter
from typing import Any, NamedTuple

from schemas.reasons import Reason, Stage
from schemas.tables import SCHEMA_VERSION
from tasks.clean_and_enrich import clean_and_enrich_batch
from tasks.config import LIMITS, Limits
from tasks.ingest.files import InputFile, read_records
from tasks.lake.dedup import find_duplicates, write_signatures
from tasks.lake.ledger import InputPlan, record_inputs
from tasks.lake.paths import RunInfo
from tasks.lake.schema_evolution import check_lake_schema
from tasks.lake.staging import RunStage, StagedFile, remove_run_staging, stage_articles, stage_quarantine
from tasks.lake.write import quarantine_id, quarantine_row, write_article_batches, write_quarantine_batches
from tasks.pause_points import PausePoint, pause_at
from tasks.records import RawRecord, Rejection, StageCounters
from tasks.validate.datadocs import publish_data_docs
from tasks.validate.validate import validate_batch

PIPELINE_VERSION = version("broadsheet")
STAGES = tuple(str(stage) for stage in Stage)
# One batch at a time in the worker processes. With two batches in flight (flows/batch_window.py),
# one validates and stages in this process while the next one's documents are cleaned: the
# workers do not wait for validation, and each batch has the workers to itself.
_PREPARING = threading.Lock()


class AccountingError(RuntimeError):
    """Records were lost or counted twice: the run must not commit."""


@dataclass
class RecordBatch:
    records: list[RawRecord] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)  # what ingest could not make a record of
    read_seconds: float = 0.0  # time spent reading the records
    inputs_done: int = 0  # input files finished by the end of this batch
    passed_over: Counter[str] = field(default_factory=Counter)  # records read that are no document, by kind

    def add(self, read: RawRecord | Rejection) -> None:
        """A record into `records`, a rejection into `rejections`."""
        if isinstance(read, Rejection):
            self.rejections.append(read)
        else:
            self.records.append(read)


class Rejected(NamedTuple):
    """What the run keeps of a rejected record (its row waits in staging): for the summary and the ledger."""

    source_uri: str
    reasons: tuple[str, ...]


@dataclass
class BatchResult:
    articles: StagedFile | None  # the batch's article rows, staged under the lake; None when it has none
    quarantine: StagedFile | None  # its quarantine rows, staged alike
    rejected: list[Rejected]
    counters: dict[str, StageCounters]
    validation: dict[str, Any] | None  # the batch's GX validation result (JSON), for Data Docs


@dataclass
class RunTotals:
    """Everything a run produced before it commits: its staged files and a few numbers per record."""

    staged: RunStage = field(default_factory=RunStage)  # which staged row of each article id wins: a later record
    rejected: list[Rejected] = field(default_factory=list)
    counters: dict[str, StageCounters] = field(default_factory=lambda: {s: StageCounters(s) for s in STAGES})
    validations: list[dict[str, Any]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # steps outside the batches: discover, writes

    def add(self, result: BatchResult) -> None:
        self.staged.add(result.articles, result.quarantine)
        self.rejected.extend(result.rejected)
        for stage, counters in result.counters.items():
            self.counters[stage].merge(counters)
        if result.validation is not None:
            self.validations.append(result.validation)

    @property
    def records_read(self) -> int:
        return self.counters["ingest"].total

    @property
    def superseded(self) -> int:
        return self.staged.superseded


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    sources: list[str]
    records_read: int
    inserted: int
    updated: int
    unchanged: int
    superseded: int
    duplicates: int
    quarantined_records: int
    quarantined: dict[str, int]  # reason -> records with that reason (a record can have several)
    warnings: dict[str, int]  # warning expectation -> rows
    articles_version: int | None
    quarantine_version: int | None
    skipped_files: list[str]
    inputs: InputPlan  # which inputs were read, which were already in the lake
    inputs_recorded: int  # inputs added to the ledger, recorded with new bytes or with a new stamp
    inputs_version: int | None  # ledger table version after the run
    stages: dict[str, StageCounters]
    seconds: dict[str, float]  # wall time per step, in run order
    data_docs: str | None  # index.html of the lake's Data Docs; None for a lake that is not a local folder
    report: str | None = None  # the dataset report of articles_version, once written

    @property
    def committed(self) -> bool:
        return bool(self.inserted or self.updated)

    @property
    def nothing_new(self) -> bool:
        return self.records_read == 0 and not self.inputs.pending


def read_batches(inputs: Iterable[InputFile], batch_size: int) -> Iterator[RecordBatch]:
    """Records of `inputs` in batches of up to `batch_size` (records and ingest rejections); each
    batch also counts the records passed over (no document) since the batch before."""
    batch, started, done = RecordBatch(), perf_counter(), 0
    passed_over: Counter[str] = Counter()  # read_records counts into it; each batch takes what it holds
    for item in inputs:
        for record in read_records(item, passed_over=passed_over):
            batch.add(record)
            if len(batch.records) + len(batch.rejections) >= batch_size:
                batch.read_seconds, batch.inputs_done = perf_counter() - started, done
                batch.passed_over = Counter(passed_over)
                passed_over.clear()
                yield batch
                batch, started, done = RecordBatch(), perf_counter(), 0
        done += 1
    if batch.records or batch.rejections or passed_over:
        batch.read_seconds, batch.inputs_done, batch.passed_over = perf_counter() - started, done, passed_over
        yield batch


def process_batch(batch: RecordBatch, staging: str, limits: Limits = LIMITS) -> BatchResult:
    """Clean, enrich and validate one batch (cleaning and enriching in `limits.clean_workers`
    processes, while no other batch of this process is in them); stage its articles and its
    quarantine rows (raw cut at `limits.raw_cap_bytes`) in the folder `staging`."""
    ingest = StageCounters(
        "ingest",
        total=len(batch.records) + len(batch.rejections),
        forwarded=len(batch.records),
        seconds=batch.read_seconds,
        passed_over=Counter(batch.passed_over),
    )
    for rejection in batch.rejections:
        ingest.reject(rejection.reasons)
    with _PREPARING:
        prepared = clean_and_enrich_batch(batch.records, limits)
    started = perf_counter()
    validated = validate_batch(prepared.rows)
    validated.counters.seconds = perf_counter() - started
    rejections = batch.rejections + prepared.rejections + validated.rejections
    return BatchResult(
        articles=stage_articles(staging, validated.rows),
        quarantine=stage_quarantine(staging, [quarantine_row(r, limits) for r in rejections]),
        rejected=[Rejected(r.source_uri, r.reasons) for r in rejections],
        counters={"ingest": ingest, "clean": prepared.clean, "enrich": prepared.enrich, "validate": validated.counters},
        validation=validated.result,
    )


def commit_run(
    lake: str,
    totals: RunTotals,
    run: RunInfo,
    sources: list[str],
    skipped: list[str],
    plan: InputPlan | None = None,
) -> RunSummary:
    """Check the tables' schemas, mark duplicates against the lake, check the accounting, write
    articles, signatures, quarantine and the inputs ledger from the run's staged rows, publish the
    Data Docs, then delete the staged rows.

    One commit per table, and only when something in it changed. The order is what makes a
    crash harmless: the ledger, written last, only names inputs whose records are committed, and
    signatures missing after a crash are rebuilt from the articles by the next run. The staged
    rows stay until the Data Docs are written, so a retried commit finds them. Without a `plan`
    (records that come from no input file, like a quarantine replay) no input is recorded.
    """
    plan = plan or InputPlan()
    check_lake_schema(lake)
    staged = totals.staged
    duplicates = find_duplicates(lake, staged.article_tables, run)
    metadata = {
        "schema_version": SCHEMA_VERSION,
        "sources": json.dumps(sources),
        "sources_sha256": hashlib.sha256("\n".join(sorted(sources)).encode("utf-8")).hexdigest(),
        "records_read": totals.records_read,
        "duplicates": duplicates.total,
        "near_duplicates": duplicates.near,
        "quarantined_records": len(totals.rejected),
    }
    accounted = staged.articles + totals.superseded + len(totals.rejected)
    if accounted != totals.records_read:
        raise AccountingError(
            f"{totals.records_read} records read but {staged.articles} articles + {totals.superseded} superseded"
            f" + {len(totals.rejected)} quarantined = {accounted}"
        )
    pause_at(PausePoint.BEFORE_ARTICLES_COMMIT)
    seconds = totals.seconds
    started = perf_counter()

    def marked_rows() -> Iterator[list[dict[str, Any]]]:
        for rows in staged.article_rows():
            yield [duplicates.mark(row) for row in rows]

    articles = write_article_batches(lake, list(staged.winners), marked_rows, run, metadata)
    write_signatures(lake, duplicates, run, metadata)
    seconds["write articles"] = perf_counter() - started
    pause_at(PausePoint.AFTER_ARTICLES_COMMIT)
    released = [
        quarantine_id(uri, record)
        for table in staged.article_tables(["source_uri", "source_record"])
        for uri, record in zip(table["source_uri"].to_pylist(), table["source_record"].to_pylist(), strict=True)
    ]
    started = perf_counter()
    quarantine = write_quarantine_batches(lake, staged.quarantine_rows, released, run, metadata)
    seconds["write quarantine"] = perf_counter() - started
    pause_at(PausePoint.AFTER_QUARANTINE_COMMIT)
    # An input that could not be read stays out of the ledger, so the next run tries it again.
    unreadable = {r.source_uri for r in totals.rejected if str(Reason.UNREADABLE) in r.reasons}
    started = perf_counter()
    ledger = record_inputs(lake, [*plan.pending, *plan.restamped], unreadable, run, metadata)
    seconds["record inputs"] = perf_counter() - started
    pause_at(PausePoint.AFTER_LEDGER_COMMIT)
    docs = publish_data_docs(lake, totals.validations, run)
    # Last: a commit task retried after the Data Docs failed (a full disk) finds its staged rows,
    # and every table reports the commit this run made instead of writing it again.
    remove_run_staging(lake, run.run_id)
    reasons = Counter(reason for rejected in totals.rejected for reason in rejected.reasons)
    return RunSummary(
        run_id=run.run_id,
        sources=sources,
        records_read=totals.records_read,
        inserted=articles.inserted,
        updated=articles.updated,
        unchanged=articles.unchanged,
        superseded=totals.superseded,
        duplicates=duplicates.total,
        quarantined_records=len(totals.rejected),
        quarantined=dict(sorted(reasons.items())),
        warnings=dict(totals.counters["validate"].warned + totals.counters["enrich"].warned),
        articles_version=articles.version,
        quarantine_version=quarantine.version,
        skipped_files=skipped,
        inputs=plan,
        inputs_recorded=ledger.recorded,
        inputs_version=ledger.version,
        stages=totals.counters,
        seconds=_run_order(totals),
        data_docs=docs.index if docs else None,
    )


def _run_order(totals: RunTotals) -> dict[str, float]:
    steps = {"discover": totals.seconds.get("discover", 0.0)} | {s: c.seconds for s, c in totals.counters.items()}
    return steps | {k: v for k, v in totals.seconds.items() if k != "discover"}

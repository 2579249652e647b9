"""The `article-pipeline` flow: new inputs -> clean -> enrich -> validate -> one commit per table -> report.

Thin by design: each task wraps a plain function of tasks/ and adds retries and timeouts
(I/O only), logging and artifacts. Tasks take whole batches, never one article.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from time import perf_counter
from typing import Any

from prefect import State, Task, flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import TaskRun
from prefect.utilities.annotations import quote

from flows.batch_window import in_reading_order
from flows.dask_cluster import check_cluster, dask_worker, default_clean_workers, process_on_cluster
from flows.interrupts import RunInterrupted, commit_in_progress, reclaim_signals
from flows.run_info import current_run
from tasks.config import DEFAULT_BATCH_SIZE, DEFAULT_LAKE, DEFAULT_SOURCE, IO, LIMITS
from tasks.ingest.files import Discovery, discover_inputs
from tasks.lake.ledger import InputPlan, plan_inputs
from tasks.lake.lock import lake_lock
from tasks.lake.paths import RunInfo
from tasks.lake.schema_evolution import check_lake_schema
from tasks.lake.staging import clear_leftover_staging, remove_run_staging, run_staging
from tasks.pause_points import PausePoint, pause_at
from tasks.pipeline import (
    AccountingError,
    BatchResult,
    RecordBatch,
    RunSummary,
    RunTotals,
    commit_run,
    process_batch,
    read_batches,
)
from tasks.progress import RunProgress, publish
from tasks.report.charts import chart_helper
from tasks.report.page import write_report
from tasks.report.run_summary import nothing_new_line, stage_rows, summary_markdown
from tasks.workers.deadline import DeadlineRunner

# One batch validates while the next is cleaned; more would only hold more batches in memory.
LOCAL_BATCHES_IN_FLIGHT = 2


def io_task(name: str, timeout_seconds: float, **options: Any) -> Callable:
    """A task that does I/O: retried, with a time limit (parsing tasks get neither)."""
    return task(
        name=name,
        retries=IO.retries,
        retry_delay_seconds=IO.retry_delay_seconds,
        timeout_seconds=timeout_seconds,
        cache_policy=NO_CACHE,
        **options,
    )


@io_task("discover-inputs", IO.discover_timeout_seconds)
def discover(sources: list[str], lake: str, full_refresh: bool) -> tuple[Discovery, InputPlan]:
    """List and hash the inputs, never those in the lake's folder or a Delta table under a source;
    those the lake holds with the same bytes are left out unless full_refresh."""
    found = discover_inputs(sources, lake)
    plan = replace(plan_inputs(lake, found.inputs, full_refresh=full_refresh), excluded=found.excluded)
    get_run_logger().info(
        "%d inputs: %d new, %d changed, %d already in the lake%s",
        plan.new + plan.changed + plan.unchanged,
        plan.new,
        plan.changed,
        plan.unchanged,
        " (read again: full refresh)" if full_refresh else "",
    )
    return found, plan


@task(name="check-lake-schema", cache_policy=NO_CACHE)
def check_schema(lake: str) -> None:
    """Stop before hours of processing when the lake's tables cannot take this version's rows."""
    for diff in check_lake_schema(lake):
        if diff.added:
            get_run_logger().info("%s table gains column(s) %s (schema evolution)", diff.table, ", ".join(diff.added))


@task(name="process-batch", cache_policy=NO_CACHE)  # deterministic parsing: a retry would fail the same way
def process(
    batch: RecordBatch, staging: str, workers: int | None = None, raw_cap_bytes: int = LIMITS.raw_cap_bytes
) -> BatchResult:
    """Process one batch and stage its rows in the folder `staging` (under the lake)."""
    limits = replace(LIMITS, clean_workers=workers or default_clean_workers(), raw_cap_bytes=raw_cap_bytes)
    result = process_batch(batch, staging, limits)
    articles = len(result.articles.keys) if result.articles else 0
    worker = dask_worker()
    get_run_logger().info(
        "batch: %d records -> %d articles, %d quarantined%s",
        result.counters["ingest"].total,
        articles,
        len(result.rejected),
        f" (on Dask worker {worker.address})" if worker else "",
    )
    return result


def process_here(batches: Iterable[RecordBatch], options: dict[str, Any]) -> Generator[tuple[int, BatchResult]]:
    """(inputs finished, result) of each batch, processed by this process and its document
    workers, two batches in flight (`options`: process's arguments besides the batch).

    Each batch goes in quote(): unquoted, Prefect walks every record of a task's arguments
    looking for futures, several times a task, for 0.05-0.1 s of this process's CPU a batch
    of 500 (benchmarks/batch_submission.py); quoted, the task still gets the batch itself."""
    return in_reading_order(
        batches, lambda batch: process.submit(quote(batch), **options), lambda: LOCAL_BATCHES_IN_FLIGHT
    )


def _unless_accounting(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    # I/O errors and Delta commit conflicts are worth another try; lost records would be lost again.
    return not isinstance(state.result(raise_on_failure=False), AccountingError)


# A retry resumes: tables this run already committed report that commit instead of writing again.
@io_task("commit", IO.commit_timeout_seconds, retry_condition_fn=_unless_accounting)
def commit(
    lake: str,
    totals: RunTotals,
    run: RunInfo,
    sources: list[str],
    skipped: list[str],
    plan: InputPlan | None,
) -> RunSummary:
    summary = commit_run(lake, totals, run, sources, skipped, plan)
    if summary.data_docs:
        create_link_artifact(
            key="data-docs",
            link=Path(summary.data_docs).as_uri(),
            link_text="Data Docs: every run's validation results",
            description="Great Expectations Data Docs of the lake",
        )
    return summary


@task(name="write-report", cache_policy=NO_CACHE)
def write_dataset_report(lake: str, summary: RunSummary, helper: DeadlineRunner) -> RunSummary:
    """Write the dataset report of the version the run made (`helper` draws some of its charts);
    link it from the summary and the artifacts."""
    written = write_report(lake, summary.articles_version, helper=helper)
    create_link_artifact(
        key="dataset-report",
        link=written.url,
        link_text=f"articles v{written.version} report",
        description="broadsheet dataset report",
    )
    return replace(summary, report=written.path)


@contextmanager
def removing_staging_if_interrupted(
    lake: str, run_id: str, in_flight: Generator[tuple[int, BatchResult]] | None = None
) -> Iterator[None]:
    """An interrupted run leaves no staged rows: the batches `in_flight` end first (closing it
    waits for them; the document workers are stopped, so it takes moments)."""
    try:
        yield
    except RunInterrupted:
        if in_flight is not None:
            in_flight.close()
        remove_run_staging(lake, run_id)
        raise


def publish_artifacts(summary: RunSummary) -> None:
    """The run's Prefect artifacts: the summary with table versions, and counts and timings per step."""
    create_markdown_artifact(
        key="run-summary", markdown=summary_markdown(summary), description="broadsheet run summary"
    )
    create_table_artifact(
        key="run-steps", table=stage_rows(summary), description="records in/out, rejections and wall time per step"
    )


@flow(name="article-pipeline", log_prints=True)
def article_pipeline(
    source: str | list[str] = DEFAULT_SOURCE,
    lake: str = DEFAULT_LAKE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    raw_cap_bytes: int = LIMITS.raw_cap_bytes,
    full_refresh: bool = False,
    lock_wait_seconds: float = IO.lock_wait_seconds,
    workers: int | None = None,
    dask_address: str | None = None,
) -> RunSummary:
    """Read the inputs under `source` that the lake does not hold yet (every input with
    `full_refresh`), and commit their articles and rejects to the lake at `lake`.

    Quarantine keeps at most `raw_cap_bytes` of each rejected record's raw bytes; `workers`
    processes clean and enrich documents side by side (default: one per core). With `dask_address`
    (tcp://HOST:PORT of a Dask scheduler) the batches are processed on that cluster's workers,
    cleaning in `workers` processes per batch (default: one per worker thread).
    """
    if dask_address:
        check_cluster(dask_address)
    sources = [source] if isinstance(source, str) else list(source)
    run = current_run()
    logger = get_run_logger()
    with reclaim_signals(), lake_lock(lake, run.run_id, lock_wait_seconds, on_wait=logger.warning) as locked:
        if not locked:
            logger.info("%s is on an object store: no lake lock; Delta's conflict check guards the commits", lake)
        if leftovers := clear_leftover_staging(lake, locked):
            logger.info(
                "deleted the staged rows of %d run(s) that did not finish: %s", len(leftovers), ", ".join(leftovers)
            )
        check_schema(lake)
        started = perf_counter()
        found, plan = discover(sources, lake, full_refresh)
        totals = RunTotals(seconds={"discover": perf_counter() - started})
        progress = RunProgress("reading", inputs_total=len(plan.pending), inputs_done=0, records_done=0)
        publish(progress)
        staging = run_staging(lake, run.run_id)
        options = {"staging": staging, "workers": workers, "raw_cap_bytes": raw_cap_bytes}
        batches = read_batches(plan.files, batch_size)
        results = (
            process_on_cluster(process, batches, options, dask_address)
            if dask_address
            else process_here(batches, options)
        )
        with removing_staging_if_interrupted(lake, run.run_id, results):
            for inputs_done, result in results:
                totals.add(result)
                progress = replace(
                    progress, inputs_done=progress.inputs_done + inputs_done, records_done=totals.records_read
                )
                publish(progress)
                pause_at(PausePoint.AFTER_BATCH)
        publish(replace(progress, step="committing", inputs_done=len(plan.pending)))
        # The chart helper starts with the commit: its imports are done by the time the report is drawn.
        with commit_in_progress(), chart_helper() as helper:
            summary = commit(lake, totals, run, sources, found.skipped, plan)
            if summary.committed:  # a run that changed nothing leaves the last report as it is
                summary = write_dataset_report(lake, summary, helper)
            publish_artifacts(summary)
    if said := nothing_new_line(summary):
        logger.info(said)
    return summary

"""The `article-pipeline` flow: new inputs -> clean -> validate -> enrich -> one commit per table.

Thin by design: each task wraps a plain function of tasks/ and adds retries and timeouts
(I/O only), logging and artifacts. Tasks take whole batches, never one article.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import deployment, flow_run

from tasks.config import DEFAULT_BATCH_SIZE, DEFAULT_LAKE, DEFAULT_SOURCE, IO
from tasks.ingest import Discovery, discover_inputs
from tasks.lake import RunInfo
from tasks.lake_lock import lake_lock
from tasks.ledger import InputPlan, plan_inputs
from tasks.pause_points import PausePoint, pause_at
from tasks.pipeline import (
    PIPELINE_VERSION,
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
from tasks.summary import nothing_new_line, stage_rows, summary_markdown


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
    """List and hash the inputs; those the lake holds with the same bytes are left out unless full_refresh."""
    found = discover_inputs(sources)
    plan = plan_inputs(lake, found.inputs, full_refresh=full_refresh)
    get_run_logger().info(
        "%d inputs: %d new, %d changed, %d already in the lake%s",
        plan.new + plan.changed + plan.unchanged, plan.new, plan.changed, plan.unchanged,
        " (read again: full refresh)" if full_refresh else "",
    )  # fmt: skip
    return found, plan


@task(name="process-batch", cache_policy=NO_CACHE)  # deterministic parsing: a retry would fail the same way
def process(batch: RecordBatch) -> BatchResult:
    result = process_batch(batch)
    get_run_logger().info(
        "batch: %d records -> %d articles, %d quarantined", result.counters["ingest"].total, len(result.rows), len(result.rejections)
    )
    return result


def _unless_accounting(task, task_run, state) -> bool:  # noqa: ANN001 (Prefect's retry_condition_fn signature)
    # I/O errors and Delta commit conflicts are worth another try; lost records would be lost again.
    return not isinstance(state.result(raise_on_failure=False), AccountingError)


# A retry resumes: tables this run already committed report that commit instead of writing again.
@io_task("commit", IO.commit_timeout_seconds, retry_condition_fn=_unless_accounting)
def commit(lake: str, totals: RunTotals, run: RunInfo, sources: list[str], skipped: list[str], plan: InputPlan) -> RunSummary:
    return commit_run(lake, totals, run, sources, skipped, plan)


def publish_artifacts(summary: RunSummary) -> None:
    """The run's Prefect artifacts: the summary with table versions, and counts and timings per step."""
    create_markdown_artifact(key="run-summary", markdown=summary_markdown(summary), description="broadsheet run summary")
    create_table_artifact(key="run-steps", table=stage_rows(summary), description="records in/out, rejections and wall time per step")


@flow(name="article-pipeline", log_prints=True)
def article_pipeline(
    source: str | list[str] = DEFAULT_SOURCE,
    lake: str = DEFAULT_LAKE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    full_refresh: bool = False,
    lock_wait_seconds: float = IO.lock_wait_seconds,
) -> RunSummary:
    """Read the inputs under `source` that the lake does not hold yet (every input with
    `full_refresh`), and commit their articles and rejects to the lake at `lake`."""
    sources = [source] if isinstance(source, str) else list(source)
    run = RunInfo(
        run_id=str(flow_run.get_id() or uuid.uuid4()),
        deployment=deployment.name or "manual",
        pipeline_version=PIPELINE_VERSION,
        started_at=datetime.now(UTC),
    )
    logger = get_run_logger()
    with lake_lock(lake, run.run_id, lock_wait_seconds, on_wait=logger.warning) as locked:
        if not locked:
            logger.info("%s is on an object store: no lake lock; Delta's conflict check guards the commits", lake)
        started = perf_counter()
        found, plan = discover(sources, lake, full_refresh)
        totals = RunTotals(seconds={"discover": perf_counter() - started})
        progress = RunProgress("reading", inputs_total=len(plan.pending), inputs_done=0, records_done=0)
        publish(progress)
        for batch in read_batches(plan.files, batch_size):
            totals.add(process(batch))
            progress = replace(progress, inputs_done=progress.inputs_done + batch.inputs_done, records_done=totals.records_read)
            publish(progress)
            pause_at(PausePoint.AFTER_BATCH)
        publish(replace(progress, step="committing", inputs_done=len(plan.pending)))
        summary = commit(lake, totals, run, sources, found.skipped, plan)
    publish_artifacts(summary)
    if said := nothing_new_line(summary):
        logger.info(said)
    return summary

"""The `article-pipeline` flow: sources -> clean -> validate -> enrich -> one Delta commit.

Thin by design: each task wraps a plain function of tasks/ and adds retries (I/O only),
logging and artifacts. Tasks take whole batches, never one article.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows.run_info import current_run
from tasks.config import DEFAULT_BATCH_SIZE, DEFAULT_LAKE, DEFAULT_SOURCE
from tasks.ingest import Discovery, discover_inputs
from tasks.lake import RunInfo
from tasks.pipeline import BatchResult, RecordBatch, RunSummary, RunTotals, commit_run, process_batch, read_batches
from tasks.summary import summary_markdown


@task(name="discover-inputs", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def discover(sources: list[str]) -> Discovery:
    return discover_inputs(sources)


@task(name="process-batch", cache_policy=NO_CACHE)  # deterministic parsing: a retry would fail the same way
def process(batch: RecordBatch) -> BatchResult:
    result = process_batch(batch)
    get_run_logger().info(
        "batch: %d records -> %d articles, %d quarantined", result.counters["ingest"].total, len(result.rows), len(result.rejections)
    )
    return result


@task(name="commit", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)  # idempotent: a retry re-merges
def commit(lake: str, totals: RunTotals, run: RunInfo, sources: list[str], skipped: list[str]) -> RunSummary:
    summary = commit_run(lake, totals, run, sources, skipped)
    create_markdown_artifact(key="run-summary", markdown=summary_markdown(summary), description="broadsheet run summary")
    return summary


@flow(name="article-pipeline", log_prints=True)
def article_pipeline(
    source: str | list[str] = DEFAULT_SOURCE, lake: str = DEFAULT_LAKE, batch_size: int = DEFAULT_BATCH_SIZE
) -> RunSummary:
    """Read every input under `source`, and commit its articles and rejects to the lake at `lake`."""
    sources = [source] if isinstance(source, str) else list(source)
    run = current_run()
    found = discover(sources)
    totals = RunTotals()
    for batch in read_batches(found.inputs, batch_size):
        totals.add(process(batch))
    return commit(lake, totals, run, sources, found.skipped)

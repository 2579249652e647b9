"""The `article-pipeline` flow: sources -> clean -> enrich -> validate -> one Delta commit -> report.

Thin by design: each task wraps a plain function of tasks/ and adds retries (I/O only),
logging and artifacts. Tasks take whole batches, never one article.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from flows.run_info import current_run
from tasks.config import DEFAULT_BATCH_SIZE, DEFAULT_LAKE, DEFAULT_SOURCE, LIMITS
from tasks.ingest import Discovery, discover_inputs
from tasks.lake import RunInfo
from tasks.pipeline import BatchResult, RecordBatch, RunSummary, RunTotals, commit_run, process_batch, read_batches
from tasks.report import write_report
from tasks.schema_evolution import check_lake_schema
from tasks.summary import summary_markdown


@task(name="discover-inputs", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE)
def discover(sources: list[str]) -> Discovery:
    return discover_inputs(sources)


@task(name="check-lake-schema", cache_policy=NO_CACHE)
def check_schema(lake: str) -> None:
    """Stop before hours of processing when the lake's tables cannot take this version's rows."""
    for diff in check_lake_schema(lake):
        if diff.added:
            get_run_logger().info("%s table gains column(s) %s (schema evolution)", diff.table, ", ".join(diff.added))


@task(name="process-batch", cache_policy=NO_CACHE)  # deterministic parsing: a retry would fail the same way
def process(batch: RecordBatch) -> BatchResult:
    result = process_batch(batch)
    get_run_logger().info(
        "batch: %d records -> %d articles, %d quarantined", result.counters["ingest"].total, len(result.rows), len(result.rejections)
    )
    return result


@task(name="commit", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)  # idempotent: a retry re-merges
def commit(
    lake: str, totals: RunTotals, run: RunInfo, sources: list[str], skipped: list[str], raw_cap_bytes: int = LIMITS.raw_cap_bytes
) -> RunSummary:
    summary = commit_run(lake, totals, run, sources, skipped, replace(LIMITS, raw_cap_bytes=raw_cap_bytes))
    if summary.data_docs:
        create_link_artifact(
            key="data-docs", link=Path(summary.data_docs).as_uri(), link_text="Data Docs: every run's validation results",
            description="Great Expectations Data Docs of the lake",
        )  # fmt: skip
    return summary


@task(name="publish", cache_policy=NO_CACHE)
def publish(lake: str, summary: RunSummary) -> RunSummary:
    """Write the dataset report of the version the run left; link it from the summary and the artifacts."""
    if summary.articles_version is not None:
        written = write_report(lake, summary.articles_version)
        create_link_artifact(key="dataset-report", link=written.url, link_text=f"articles v{written.version} report", description="broadsheet dataset report")
        summary = replace(summary, report=written.path)
    create_markdown_artifact(key="run-summary", markdown=summary_markdown(summary), description="broadsheet run summary")
    return summary


@flow(name="article-pipeline", log_prints=True)
def article_pipeline(
    source: str | list[str] = DEFAULT_SOURCE,
    lake: str = DEFAULT_LAKE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    raw_cap_bytes: int = LIMITS.raw_cap_bytes,
) -> RunSummary:
    """Read every input under `source`, and commit its articles and rejects to the lake at `lake`.

    Quarantine keeps at most `raw_cap_bytes` of each rejected record's raw bytes.
    """
    sources = [source] if isinstance(source, str) else list(source)
    run = current_run()
    found = discover(sources)
    check_schema(lake)
    totals = RunTotals()
    for batch in read_batches(found.inputs, batch_size):
        totals.add(process(batch))
    return publish(lake, commit(lake, totals, run, sources, found.skipped, raw_cap_bytes))


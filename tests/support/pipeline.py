"""The article pipeline's plain functions, without Prefect: what the flow stages and commits, in seconds."""

from collections.abc import Iterable

from tasks.ingest.files import discover_inputs
from tasks.lake.paths import RunInfo
from tasks.lake.staging import run_staging
from tasks.pipeline import RecordBatch, RunSummary, RunTotals, commit_run, process_batch, read_batches


def stage_batches(lake: str, run_id: str, batches: Iterable[RecordBatch]) -> RunTotals:
    """Process `batches` into the staging of run `run_id` of `lake`: a run before its commit (or a run that died)."""
    totals = RunTotals()
    for batch in batches:
        totals.add(process_batch(batch, run_staging(lake, run_id)))
    return totals


def run_pipeline(sources: list[str], lake: str, run: RunInfo, batch_size: int = 500) -> RunSummary:
    """Read the inputs of `sources` in batches, process them and commit them to `lake` as `run`."""
    found = discover_inputs(sources)
    totals = stage_batches(lake, run.run_id, read_batches(found.inputs, batch_size))
    return commit_run(lake, totals, run, sources, found.skipped)

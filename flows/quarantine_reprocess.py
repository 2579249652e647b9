"""The `quarantine-reprocess` flow: quarantined records through the pipeline again, after a fix.

Same tasks as `article-pipeline`; only the records come from the quarantine table instead of
the sources. Records that pass become articles and leave quarantine in the run's commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from prefect import flow, get_run_logger

from flows.article_pipeline import commit, process, removing_staging_if_interrupted
from flows.interrupts import commit_in_progress, reclaim_signals
from flows.run_info import current_run
from tasks.config import DEFAULT_BATCH_SIZE, DEFAULT_LAKE, IO, LIMITS
from tasks.lake.lock import lake_lock
from tasks.lake.staging import run_staging
from tasks.pause_points import PausePoint, pause_at
from tasks.pipeline import RunSummary, RunTotals
from tasks.quarantine_replay import QuarantineReplay, Unreplayable


@dataclass(frozen=True)
class ReprocessResult:
    summary: RunSummary
    unreplayable: list[Unreplayable]  # left in quarantine untouched


@flow(name="quarantine-reprocess", log_prints=True)
def reprocess_quarantine(
    lake: str = DEFAULT_LAKE,
    reason: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    raw_cap_bytes: int = LIMITS.raw_cap_bytes,
) -> ReprocessResult:
    """Run the quarantined records of `lake` (those with `reason`, or all) through the pipeline again."""
    run = current_run()
    with reclaim_signals(), lake_lock(lake, run.run_id, IO.lock_wait_seconds, on_wait=get_run_logger().warning):
        replay = QuarantineReplay(lake, reason)
        totals = RunTotals()
        with removing_staging_if_interrupted(lake, run.run_id):
            for batch in replay.batches(batch_size):
                totals.add(process(batch, run_staging(lake, run.run_id), raw_cap_bytes=raw_cap_bytes))
                pause_at(PausePoint.AFTER_BATCH)
        source = f"quarantine of {lake}" + (f" (reason {reason})" if reason else "")
        # No input files are read, so the inputs ledger has nothing to record.
        with commit_in_progress():
            summary = commit(lake, totals, run, [source], [], None)
    return ReprocessResult(summary, replay.unreplayable)

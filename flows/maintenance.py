"""The `lake-maintenance` flow: compact and vacuum the lake's tables, on a schedule of its own.

Thin by design: each task wraps a function of tasks/lake/maintenance.py. `broadsheet maintain`
runs this flow; `python -m flows.maintenance` serves it weekly (Sunday 03:00 UTC unless
told otherwise), apart from the hourly article pipeline.
"""

from __future__ import annotations

import argparse

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.interrupts import commit_in_progress, reclaim_signals
from flows.run_info import current_run
from tasks.config import DEFAULT_LAKE, IO
from tasks.lake.lock import lake_lock
from tasks.lake.maintenance import MaintenanceReport, maintain_table, repartition_articles
from tasks.lake.paths import RunInfo, articles_path, inputs_path, quarantine_path, signatures_path
from tasks.lake.staging import clear_leftover_staging
from tasks.lake.storage import table_exists
from tasks.pause_points import PausePoint, pause_at

WEEKLY_CRON = "0 3 * * 0"


# A run committing at the same moment makes the compaction commit conflict: retrying re-plans it.
@task(name="maintain-table", retries=2, retry_delay_seconds=30, cache_policy=NO_CACHE)
def maintain(path: str, run: RunInfo, vacuum_hours: int | None) -> MaintenanceReport:
    report = maintain_table(path, run, vacuum_hours)
    get_run_logger().info(
        "%s: %d -> %d live files, %d -> %d stored files, %d vacuumed; versions %d and later readable",
        path,
        report.before.live_files,
        report.after.live_files,
        report.before.stored_files,
        report.after.stored_files,
        report.files_vacuumed,
        report.time_travel_from,
    )
    return report


@task(name="repartition-articles", retries=2, retry_delay_seconds=30, cache_policy=NO_CACHE)
def repartition(path: str, run: RunInfo) -> int | None:
    return repartition_articles(path, run)


@flow(name="lake-maintenance", log_prints=True)
def lake_maintenance(
    lake: str = DEFAULT_LAKE, vacuum_hours: int | None = None, repartition_layout: bool = False
) -> list[MaintenanceReport]:
    """Compact, vacuum and checkpoint every table of `lake`: articles, quarantine, signatures, the inputs ledger;
    delete the staged rows runs that died left behind (tasks/lake/staging.py).

    `vacuum_hours` below the tables' retention (a week) gives up time travel beyond it.
    `repartition_layout` first migrates an articles table written before partitioning.
    """
    run = current_run()
    tables = (articles_path(lake), quarantine_path(lake), signatures_path(lake), inputs_path(lake))
    # Compaction rewrites files a pipeline run may be reading or replacing: one writer per lake.
    with (
        reclaim_signals(),
        lake_lock(lake, run.run_id, IO.lock_wait_seconds, on_wait=get_run_logger().warning) as locked,
    ):
        if leftovers := clear_leftover_staging(lake, locked):
            get_run_logger().info(
                "deleted the staged rows of %d run(s) that did not finish: %s", len(leftovers), ", ".join(leftovers)
            )
        paths = [path for path in tables if table_exists(path)]
        # Each table's maintenance is one commit: a signal lets the one under way finish.
        if repartition_layout and articles_path(lake) in paths:
            with commit_in_progress():
                repartition(articles_path(lake), run)
        reports = []
        for path in paths:
            with commit_in_progress():
                reports.append(maintain(path, run, vacuum_hours))
            pause_at(PausePoint.AFTER_TABLE_MAINTAINED)
    create_table_artifact(
        key="lake-maintenance",
        table=[_artifact_row(report) for report in reports],
        description="files before and after maintenance",
    )
    return reports


def weekly_deployment(lake: str = DEFAULT_LAKE, cron: str = WEEKLY_CRON, timezone: str = "UTC") -> RunnerDeployment:
    """The maintenance deployment, scheduled on its own (weekly by default)."""
    # Prefect types to_deployment as "or a coroutine" (async_dispatch); called from sync code it is the deployment.
    return lake_maintenance.to_deployment(  # type: ignore[return-value]
        name="weekly", schedule=Cron(cron, timezone=timezone), parameters={"lake": lake}, tags=["maintenance"]
    )


def _artifact_row(report: MaintenanceReport) -> dict[str, object]:
    return {
        "table": report.table,
        "live files before": report.before.live_files,
        "live files after": report.after.live_files,
        "stored files before": report.before.stored_files,
        "stored files after": report.after.stored_files,
        "stored MB after": round(report.after.stored_bytes / 1e6, 2),
        "files vacuumed": report.files_vacuumed,
        "readable from version": report.time_travel_from,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Serve the lake-maintenance flow on its own schedule.")
    parser.add_argument("--lake", default=DEFAULT_LAKE)
    parser.add_argument("--cron", default=WEEKLY_CRON, help="when to run (default: Sundays 03:00)")
    parser.add_argument("--timezone", default="UTC", help="IANA time zone of --cron, e.g. Europe/Berlin")
    arguments = parser.parse_args()
    from prefect import serve

    serve(weekly_deployment(arguments.lake, arguments.cron, arguments.timezone))

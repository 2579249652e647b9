"""The lake-maintenance flow under a real Prefect API, and its own scheduled deployment."""

import shutil
from pathlib import Path

import pytest
from deltalake import DeltaTable
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.maintenance import lake_maintenance, weekly_deployment
from tasks.lake.paths import articles_path, quarantine_path, signatures_path
from tasks.lake.staging import run_staging

pytestmark = pytest.mark.slow


def test_flow_maintains_every_table_with_its_run_in_the_commits(versioned_lake, tmp_path):
    lake = tmp_path / "lake"
    shutil.copytree(versioned_lake, lake)
    leftover = Path(run_staging(str(lake), "killed-run"))
    leftover.mkdir(parents=True)
    (leftover / "articles-0.parquet").write_bytes(b"rows of a run killed before its commit")
    state = lake_maintenance(lake=str(lake), return_state=True)
    assert state.is_completed()
    assert not leftover.exists()
    reports = state.result()
    # The versioned lake was written without the flow's inputs ledger: its three other tables.
    assert [r.table for r in reports] == [
        articles_path(str(lake)),
        quarantine_path(str(lake)),
        signatures_path(str(lake)),
    ]
    articles = reports[0]
    assert articles.before.live_files > articles.after.live_files and articles.files_vacuumed == 0
    [optimize] = [c for c in DeltaTable(articles_path(str(lake))).history() if c["operation"] == "OPTIMIZE"]
    flow_run_id = str(state.state_details.flow_run_id)
    assert (optimize["run_id"], optimize["deployment"], optimize["maintenance"]) == (flow_run_id, "manual", "compact")
    with get_client(sync_client=True) as client:
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]))
        )
    assert artifact.key == "lake-maintenance" and artifact.type == "table"


def test_weekly_deployment_registers_on_its_own_schedule(tmp_path):
    deployment_id = weekly_deployment(lake=str(tmp_path), timezone="Europe/Berlin").apply()
    with get_client(sync_client=True) as client:
        deployment = client.read_deployment(deployment_id)
    assert deployment.name == "weekly" and deployment.parameters == {"lake": str(tmp_path)}
    [schedule] = deployment.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 3 * * 0", "Europe/Berlin")

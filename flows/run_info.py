"""Who is writing: the RunInfo every commit of a flow carries, read from Prefect's runtime."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from prefect.runtime import deployment, flow_run

from tasks.lake.paths import RunInfo
from tasks.pipeline import PIPELINE_VERSION


def current_run() -> RunInfo:
    """The running flow's id and deployment ("manual" when started by hand)."""
    return RunInfo(
        run_id=str(flow_run.get_id() or uuid.uuid4()),
        deployment=deployment.name or "manual",
        pipeline_version=PIPELINE_VERSION,
        started_at=datetime.now(UTC),
    )

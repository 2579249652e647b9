"""`broadsheet run --dask-address`: the pipeline on a real Dask cluster (`dask scheduler` and two
`dask worker` processes on 127.0.0.1) writes the same tables as a local run."""

from __future__ import annotations

import importlib
import itertools
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import dask
import psutil
import pytest
from deltalake import DeltaTable
from distributed import Client, fire_and_forget, get_task_stream
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId
from prefect.settings import PREFECT_API_URL, temporary_settings
from typer.testing import CliRunner

from flows.article_pipeline import article_pipeline, process
from flows.cli.app import app
from flows.dask_cluster import process_on_cluster
from schemas.tables import RUN_COLUMNS
from tasks.config import CLUSTER
from tasks.ingest.files import discover_inputs
from tasks.lake.paths import articles_path, quarantine_path
from tasks.lake.staging import read_staged, run_staging
from tasks.pipeline import read_batches
from tests.support.processes import free_port, stop_group

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
BATCH_SIZE = 3  # 20 records: 7 batches, more than the 4 (2 per worker thread) out on the cluster at once
WORKER_IMPORTS = ("flows.article_pipeline", "great_expectations")
LIBRARY_URL = "https://www.rivertonledger.example/2024/05/14/library-extends-weekend-hours/"


@dataclass(frozen=True)
class Cluster:
    address: str
    worker_pids: dict[str, int]  # worker address -> pid of its process
    logs: Path

    def log_tails(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in sorted(self.logs.glob("*.log"))
        )


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A scheduler and two single-thread workers, each its own process group, started from the
    project's .venv as a user would; stopped, children included, however the tests end."""
    logs = tmp_path_factory.mktemp("dask")
    scheduler_file = logs / "scheduler.json"
    dask_command = str(Path(sys.executable).parent / "dask")
    loopback = ["--host", "127.0.0.1", "--no-dashboard"]
    # If this process dies before stopping them: the scheduler quits after 10 idle minutes, workers a minute after it.
    commands = {
        "scheduler": [
            "scheduler",
            "--port",
            "0",
            "--scheduler-file",
            str(scheduler_file),
            "--idle-timeout",
            "600",
            *loopback,
        ],
        **{
            f"worker-{n}": [
                "worker",
                "--scheduler-file",
                str(scheduler_file),
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                "--name",
                f"worker-{n}",
                "--death-timeout",
                "60",
                *loopback,
            ]
            for n in (1, 2)
        },
    }
    # No PREFECT_API_URL: the workers learn the API from the flow run that sends them batches.
    environment = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {
        "PREFECT_HOME": str(logs / "prefect")
    }
    processes: list[subprocess.Popen] = []
    try:
        for name, arguments in commands.items():
            with (logs / f"{name}.log").open("wb") as log:
                processes.append(
                    subprocess.Popen(
                        [dask_command, *arguments],
                        cwd=ROOT,
                        env=environment,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            # What every batch needs, imported while the test's local run works (as on a long-lived cluster).
            for worker, module in itertools.product(client.nthreads(), WORKER_IMPORTS):
                fire_and_forget(client.submit(importlib.import_module, module, workers=[worker], pure=False))
            yield Cluster(client.scheduler.address, client.run(os.getpid), logs)
    finally:
        for process in reversed(processes):  # workers first: a worker without its scheduler waits for it
            stop_group(process, timeout=10)


@pytest.fixture
def source(tmp_path, raw_dir) -> Path:
    """data/raw, a page with OpenGraph metadata, three languages, and a second export whose first
    line is data/raw's library article again with changed text (read later, so it wins), a
    syndicated copy of it, a broken line and an empty article."""
    folder = tmp_path / "raw"
    shutil.copytree(raw_dir, folder)
    shutil.copy(FIXTURES / "html" / "og_meta_byline.html", folder)
    shutil.copy(FIXTURES / "report" / "second_run.jsonl", folder)
    for language in ("de", "ja", "zh-Hans"):
        shutil.copy(FIXTURES / "languages" / f"{language}.txt", folder / f"language_{language}.txt")
    return folder


def _content(path: str, key: list[str]) -> list[dict]:
    table = DeltaTable(path).to_pyarrow_table()
    return (
        table.drop_columns([c for c in RUN_COLUMNS if c in table.column_names])
        .sort_by([(k, "ascending") for k in key])
        .to_pylist()
    )


def _task_runs(flow_run_id: str) -> list:
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[uuid.UUID(flow_run_id)])))
    return [run for run in runs if run.name.startswith("process-batch")]


def _logged_workers(flow_run_id: str, expected: int, patience: float = 20) -> list[str]:
    """The workers named by the run's "batch: ... (on Dask worker ADDRESS)" log lines; workers send
    their logs to the API every few seconds, so wait a little for all `expected` of them."""
    deadline = time.monotonic() + patience
    with get_client(sync_client=True) as client:
        while True:
            logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[uuid.UUID(flow_run_id)])))
            workers = [
                m.group(1) for log in logs if (m := re.search(r"^batch: .* \(on Dask worker (\S+)\)$", log.message))
            ]
            if len(workers) >= expected or time.monotonic() > deadline:
                return workers
            time.sleep(0.5)


def test_run_on_a_dask_cluster_writes_what_a_local_run_writes(dask_cluster, source, tmp_path):
    batches = sum(1 for _ in read_batches(discover_inputs([str(source)]).inputs, BATCH_SIZE))
    local_lake, cluster_lake = str(tmp_path / "local-lake"), str(tmp_path / "cluster-lake")
    local = article_pipeline(source=str(source), lake=local_lake, batch_size=BATCH_SIZE, workers=1)

    with Client(dask_cluster.address, set_as_default=False) as client, get_task_stream(client) as stream:
        result = CliRunner().invoke(
            app,
            [
                "run",
                str(source),
                "--lake",
                cluster_lake,
                "--batch-size",
                str(BATCH_SIZE),
                "--dask-address",
                dask_cluster.address,
            ],
        )
    assert result.exit_code == 0, result.output + dask_cluster.log_tails()

    articles = _content(articles_path(cluster_lake), ["id"])
    assert articles == _content(articles_path(local_lake), ["id"])
    assert _content(quarantine_path(cluster_lake), ["id"]) == _content(quarantine_path(local_lake), ["id"])
    assert local.records_read == 20 and len(articles) + local.superseded + local.quarantined_records == 20
    # Batches came back in the order they were read: the library article's later record won.
    library = next(row for row in articles if row["url"] == LIBRARY_URL)
    assert "rose 19 percent" in library["text"] and library["source_uri"].endswith("second_run.jsonl")

    # Every batch ran on a Dask worker, both workers took some, and none ran in this process.
    cluster_run = DeltaTable(articles_path(cluster_lake)).history(1)[0]["run_id"]
    task_runs = _task_runs(cluster_run)
    assert len(task_runs) == batches >= 5 and {run.state.type.value for run in task_runs} == {"COMPLETED"}
    computed = [entry for entry in stream.data if entry["key"].startswith("process")]
    assert len(computed) == batches, [entry["key"] for entry in stream.data]
    assert {entry["worker"] for entry in computed} == set(dask_cluster.worker_pids)
    # Prefect has each batch's log line, sent by the worker that processed it.
    processed_on = _logged_workers(cluster_run, batches)
    assert len(processed_on) == batches and set(processed_on) == set(dask_cluster.worker_pids), processed_on
    # Each worker (a daemonic process) cleaned in a `python -m tasks.workers.deadline` child of its own.
    for worker, pid in dask_cluster.worker_pids.items():
        children = [" ".join(child.cmdline()) for child in psutil.Process(pid).children()]
        assert any(
            "-m tasks.workers.deadline tasks.clean_and_enrich:clean_and_enrich_or_reject" in child for child in children
        ), (worker, children)


def _result_origins(result) -> list[str]:
    """source_uri of every row a batch result staged or rejected."""
    staged = (
        [uri for table in read_staged(result.articles.path, ["source_uri"]) for uri in table["source_uri"].to_pylist()]
        if result.articles
        else []
    )
    return sorted(staged + [rejected.source_uri for rejected in result.rejected])


def test_batches_come_back_in_read_order_with_at_most_two_per_worker_thread_out(dask_cluster, raw_dir, tmp_path):
    read: list[list[str]] = []

    def batches():
        for batch in read_batches(discover_inputs([str(raw_dir)]).inputs, 1):
            read.append(sorted(o.source_uri for o in batch.records + batch.rejections))
            yield batch

    back: list[list[str]] = []
    out: list[int] = []  # batches read and not yet back when each result arrives
    options = {"staging": run_staging(str(tmp_path / "lake"), "order-run"), "workers": 1}
    for _, result in process_on_cluster(process, batches(), options, dask_cluster.address):
        out.append(len(read) - len(back))
        back.append(_result_origins(result))
    assert back == read and len(read) == 7
    assert max(out) == CLUSTER.batches_per_thread * len(dask_cluster.worker_pids)


def test_cluster_run_without_a_prefect_server_for_the_workers_is_a_one_line_error(tmp_path, seed_path):
    # A temporary server lives inside the flow's process, on 127.0.0.1: workers elsewhere could not report to it.
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        result = CliRunner().invoke(
            app, ["run", str(seed_path), "--lake", str(tmp_path / "lake"), "--dask-address", "tcp://127.0.0.1:8786"]
        )
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "error: a run on a Dask cluster needs a Prefect server its workers can reach, and PREFECT_API_URL is not set:"
        " start one (`prefect server start --host 0.0.0.0`) and export PREFECT_API_URL=http://HOST:4200/api"
    ]


def test_cluster_run_without_a_scheduler_is_a_one_line_error(tmp_path, seed_path):
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    with dask.config.set(
        {"distributed.comm.timeouts.connect": "1s"}
    ):  # Dask's default waits 30 s for a starting scheduler
        result = CliRunner().invoke(
            app, ["run", str(seed_path), "--lake", str(tmp_path / "lake"), "--dask-address", address]
        )
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"error: cannot reach a Dask scheduler at {address}: Timed out trying to connect to {address} after 1 s"
    ]
    assert not (tmp_path / "lake" / "articles").exists()

"""The deployment of prefect.yaml, served by `make serve` against the server of `make ui`, triggered by hand.

Everything is real: `make ui` starts a Prefect server on a free loopback port, `make serve`
registers and serves the deployments, `prefect deployment run` triggers one with parameters
and watches it to the end, and the lake gets its new table version.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from deltalake import DeltaTable

from tasks.lake.paths import articles_path
from tests.support.processes import free_port, stop_group

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).parent / "prefect")


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)
    except OSError:
        return None


def _wait_for(what, probe, log, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (found := probe()) is not None:
            return found
        time.sleep(0.5)
    pytest.fail(f"{what} not there after {timeout} s:\n{log.read_text()[-3000:]}")


def _make(target, env, log):
    with open(log, "wb") as out:
        return subprocess.Popen(
            ["make", "--no-print-directory", target],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.fixture(scope="module")
def project_server(tmp_path_factory):
    """`make ui` on a free port, for this module's tests; its scheduler is off so no hourly run
    fires into the project's data/lake."""
    home = tmp_path_factory.mktemp("project-server")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | {
        "PREFECT_HOME": str(home / "prefect-home"),
        "UI_PORT": str(port),
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    }
    log = home / "ui.log"
    server = _make("ui", env, log)
    try:
        yield f"http://127.0.0.1:{port}/api", env, log
    finally:
        stop_group(server, timeout=30)


# 31 s quiet, 82 s on a busy machine; its own limits (180 s for the server, 180 s for the deployment,
# 400 s for the triggered run) fail it with the logs first, so the default must not cut them short.
@pytest.mark.timeout(900)
def test_served_deployment_triggered_by_hand_commits_a_new_version(tmp_path, project_server, seed_path, raw_dir):
    api_url, server_env, server_log = project_server
    source, lake = tmp_path / "incoming", tmp_path / "lake"
    source.mkdir()
    shutil.copy(seed_path, source)
    shutil.copy(raw_dir / "riverton_ledger_export.jsonl", source)
    env = server_env | {"PREFECT_API_URL": api_url, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    log = tmp_path / "serve.log"
    served = _make("serve", env, log)  # while the server starts: make serve waits for it
    try:
        _wait_for("the Prefect server", lambda: _get(f"{api_url}/health"), server_log)
        deployment = _wait_for(
            "the served deployment", lambda: _get(f"{api_url}/deployments/name/article-pipeline/hourly"), log
        )
        [schedule] = deployment["schedules"]
        assert (schedule["schedule"]["cron"], schedule["schedule"]["timezone"]) == ("0 * * * *", "UTC")
        assert deployment["parameters"] == {
            "source": "data/raw",
            "lake": "data/lake",
            "batch_size": 500,
            "full_refresh": False,
        }
        assert (
            deployment["global_concurrency_limit"]["limit"],
            deployment["concurrency_options"]["collision_strategy"],
        ) == (1, "ENQUEUE")

        trigger = subprocess.run(
            [
                PREFECT,
                "deployment",
                "run",
                "article-pipeline/hourly",
                "--param",
                f"source={source}",
                "--param",
                f"lake={lake}",
                "--watch",
                "--watch-timeout",
                "300",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=400,
        )
    finally:
        stop_group(served, timeout=30)
    assert trigger.returncode == 0, trigger.stdout + trigger.stderr + log.read_text()[-3000:]
    assert "Flow run finished successfully in 'Completed'" in trigger.stdout
    table = DeltaTable(articles_path(str(lake)))
    [commit] = table.history()
    assert (table.version(), table.to_pyarrow_table().num_rows) == (0, 3)
    assert (commit["deployment"], commit["records_read"], commit["inserted"]) == ("hourly", 5, 3)


def _post(url, body):
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.mark.timeout(600)
def test_broadsheet_run_reports_to_the_project_server_and_keeps_prefect_out_of_home(
    tmp_path, project_server, seed_path
):
    """With `make ui` up, a plain `broadsheet run` (no PREFECT_API_URL, no PREFECT_HOME) shows up in it."""
    api_url, server_env, server_log = project_server
    _wait_for("the Prefect server", lambda: _get(f"{api_url}/health"), server_log)
    source, lake, home = tmp_path / "incoming", tmp_path / "lake", tmp_path / "home"
    source.mkdir()
    home.mkdir()
    shutil.copy(seed_path, source)
    env = {k: v for k, v in server_env.items() if k not in ("PREFECT_HOME", "UI_PORT")} | {
        "HOME": str(home),
        "BROADSHEET_UI_PORT": server_env["UI_PORT"],
    }
    run = subprocess.run(
        [sys.executable, "-c", "from flows.cli.app import main; main()", "run", str(source), "--lake", str(lake)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "temporary server" not in run.stdout + run.stderr
    [flow_run] = [r for r in _post(f"{api_url}/flow_runs/filter", {}) if r["parameters"].get("lake") == str(lake)]
    assert flow_run["state"]["type"] == "COMPLETED"
    assert not (home / ".prefect").exists()

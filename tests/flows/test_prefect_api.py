"""Which Prefect API a command's runs report to, and the temporary server started before the inputs are listed."""

import http.server
import json
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from prefect import flow
from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

from flows.prefect_api import (
    UI_PORT_ENV,
    TemporaryServer,
    prefect_api,
    server_is_up,
    start_server_if_needed,
    stop_process,
)


class _Health(http.server.BaseHTTPRequestHandler):
    """What a running Prefect server answers on /api/health."""

    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/api/health" else 404)
        self.end_headers()
        self.wfile.write(b"true")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def no_configured_api(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


def test_no_server_is_started_when_prefect_api_url_is_set(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert start_server_if_needed() is None


def test_no_server_is_started_when_the_project_server_answers(monkeypatch, no_configured_api):
    project = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=project.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv(UI_PORT_ENV, str(project.server_address[1]))
        assert start_server_if_needed() is None
    finally:
        project.shutdown()


@pytest.fixture
def nothing_to_report_to(monkeypatch, no_configured_api, tmp_path):
    """No configured API, no project server answering, and a fresh Prefect database."""
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health) as closed:
        free_port = closed.server_address[1]  # nothing listens there once closed
    monkeypatch.setenv(UI_PORT_ENV, str(free_port))
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))


def _wait_until_up(server: TemporaryServer) -> None:
    deadline = time.monotonic() + 120
    while not server_is_up(server.url, timeout=1) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert server_is_up(server.url)


@pytest.mark.slow
def test_a_temporary_server_starts_at_once_and_answers_later(nothing_to_report_to):
    server = start_server_if_needed()
    assert server is not None
    try:
        assert server.process.poll() is None  # started, not waited for
        _wait_until_up(server)
    finally:
        stop_process(server.process)
    assert server.process.poll() is not None


@pytest.mark.slow
def test_a_temporary_server_registers_no_block_types(nothing_to_report_to):
    """A run uses no blocks: the server answers without registering (or checking) them first."""
    server = start_server_if_needed()
    assert server is not None
    try:
        _wait_until_up(server)
        request = urllib.request.Request(f"{server.url}/block_types/filter", data=b"{}", method="POST")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response) == []
    finally:
        stop_process(server.process)


@flow
def _heartbeat_setting() -> int | None:
    """The heartbeat interval the flow run engine read as it started this run."""
    return PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value()


@pytest.fixture
def harness_as_temporary_server():
    """The test harness's API as a temporary server of prefect_api's (a stand-in process for
    the server's own), with the harness's settings out of the way, as in a fresh process."""
    url = PREFECT_API_URL.value()
    stand_in = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        with temporary_settings(restore_defaults={PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY}):
            yield TemporaryServer(url, stand_in)
    finally:
        stop_process(stand_in)


def test_flow_runs_on_a_temporary_server_send_no_heartbeats(harness_as_temporary_server):
    assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() == 180  # Prefect's default, outside the block
    with prefect_api(harness_as_temporary_server) as ready:
        assert ready() == harness_as_temporary_server.url
        assert _heartbeat_setting() is None
    assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() == 180


def test_flow_runs_on_the_project_server_keep_their_heartbeats(monkeypatch, no_configured_api):
    project = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    threading.Thread(target=project.serve_forever, daemon=True).start()
    monkeypatch.setenv(UI_PORT_ENV, str(project.server_address[1]))
    try:
        with temporary_settings(restore_defaults={PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY}):
            with prefect_api() as ready:
                assert ready() == f"http://127.0.0.1:{project.server_address[1]}/api"
                # the project's server outlives a run: it can tell a run that stopped beating
                assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() == 180
    finally:
        project.shutdown()

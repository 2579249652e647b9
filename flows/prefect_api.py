"""Which Prefect API a command's flow runs report to, and the temporary server when there is none.

In order: PREFECT_API_URL when set; else the project's own server (`make ui`) when it answers on
127.0.0.1:BROADSHEET_UI_PORT (4200), so `broadsheet run` shows up in the UI as `make run` does;
else a temporary server on the project's database, started here rather than by Prefect because
a run must control it: it is started outside the terminal's process group (Ctrl-C reaches the run,
which then stops cleanly, not the server it still has to report to), and it dies with the run
whatever ends the run (the kernel sends it SIGTERM when its parent dies).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import NamedTuple

UI_PORT_ENV = "BROADSHEET_UI_PORT"
DEFAULT_UI_PORT = 4200
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_UVICORN_OPTIONS = ("--log-level", "error", "--lifespan", "on", "--host", "127.0.0.1", "--port")


def server_is_up(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def project_api_url() -> str:
    """Where `make ui` serves the project's Prefect API."""
    return f"http://127.0.0.1:{os.environ.get(UI_PORT_ENV, DEFAULT_UI_PORT)}/api"


# Flow runs that report to a temporary server send no heartbeats. A heartbeat lets a server that
# outlives a run notice the run died; a temporary server dies with its run, so none can notice.
# And Prefect's heartbeat thread sleeps in whole seconds, which the end of every flow run waits
# out: 0 to 1 s, half a second on average.
TEMPORARY_SERVER_SETTINGS = {"flows.heartbeat_frequency": None}

# The temporary server's own environment: what Prefect's own temporary server sets (no UI, an
# ephemeral server's settings), and no block types registered at its start. A run uses no
# blocks, and the check whether the registered ones are current imports every installed Prefect
# collection (prefect-dask, and with it distributed) first: 0.5 s of CPU, before the server
# answers, in a start that is CPU-bound. The project's server (`make ui`) registers them.
_TEMPORARY_SERVER_ENVIRONMENT = {
    "PREFECT_UI_ENABLED": "0",
    "PREFECT__SERVER_EPHEMERAL": "1",
    "PREFECT__SERVER_FINAL": "1",
    "PREFECT_SERVER_REGISTER_BLOCKS_ON_START": "0",
    "PREFECT_SERVER_MEMOIZE_BLOCK_AUTO_REGISTRATION": "0",
}


class TemporaryServer(NamedTuple):
    url: str  # its API URL
    process: subprocess.Popen[bytes]


def start_server_if_needed() -> TemporaryServer | None:
    """The temporary server prefect_api would start, started now, so that its start overlaps
    what the caller does first (listing the inputs); None when PREFECT_API_URL is set or the
    project's server answers. Like any temporary server, it stops as this process exits."""
    if os.environ.get("PREFECT_API_URL") or server_is_up(project_api_url(), timeout=0.5):
        return None
    return _launch_temporary_server()


@contextlib.contextmanager
def prefect_api(started: TemporaryServer | None = None) -> Iterator[Callable[[], str]]:
    """Flow runs in this block report to the API the module's docstring says (`started`: the
    temporary server start_server_if_needed started). Yields `ready`, which returns that API's
    URL once it answers: a temporary server starts at once, before even Prefect's settings are
    imported, so whatever runs before `ready()` (imports of the flow) overlaps its start."""
    if started is None:
        if configured := os.environ.get("PREFECT_API_URL"):
            yield _known(configured)
            return
        started = None if server_is_up(project_api_url(), timeout=0.5) else _launch_temporary_server()
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if configured := PREFECT_API_URL.value():  # from a Prefect profile or prefect.toml
        if started is not None:
            stop_process(started.process)
        yield _known(configured)
        return
    if started is None:
        with temporary_settings({PREFECT_API_URL: project_api_url()}):
            yield _known(project_api_url())
        return
    with temporary_settings({PREFECT_API_URL: started.url, **TEMPORARY_SERVER_SETTINGS}):
        yield _once_up(started)


def _known(url: str) -> Callable[[], str]:
    """`ready` for a server that is up already."""
    return lambda: url


def _once_up(server: TemporaryServer) -> Callable[[], str]:
    """`ready` for a temporary server that may still be starting."""
    return lambda: _wait_until_up(server.url, server.process)


def start_temporary_server() -> str:
    """A temporary server (see _launch_temporary_server) that answers; its API URL."""
    return _wait_until_up(*_launch_temporary_server())


def _launch_temporary_server() -> TemporaryServer:
    """Start a Prefect API server (no UI) on the database of PREFECT_HOME, stopped as this process
    exits: after Prefect has sent it the run's last logs and events (that happens at thread
    shutdown, before atexit). Returns its API URL and process, without waiting for it."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "prefect.server.api.server:create_app",
            *_UVICORN_OPTIONS,
            str(port),
        ],
        env=os.environ | _TEMPORARY_SERVER_ENVIRONMENT,
        process_group=0,
        preexec_fn=_die_with_parent,
    )
    atexit.register(stop_process, server)
    return TemporaryServer(f"http://127.0.0.1:{port}/api", server)


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> str:
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    deadline = time.monotonic() + PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()
    while not server_is_up(url, timeout=1):
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the temporary Prefect server did not start (exit code {server.poll()})")
        time.sleep(0.1)
    return url


def stop_process(process: subprocess.Popen[bytes], grace_seconds: float = 5) -> None:
    """SIGTERM, and SIGKILL after `grace_seconds`; reaped either way."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace_seconds)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """In the child before exec: the kernel sends it SIGTERM when the process that started it ends."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

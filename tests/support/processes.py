"""Servers the end-to-end tests start as processes of their own: a port to give them, a way to stop them."""

import contextlib
import os
import signal
import socket
import subprocess


def free_port() -> int:
    """A loopback TCP port nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop_group(process: subprocess.Popen, timeout: float) -> None:
    """Stop `process`, started with start_new_session=True, and every process it started: SIGTERM to the
    group, then SIGKILL to whatever is left of it once `process` has exited or `timeout` seconds have passed."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def session_processes(session: int) -> list[int]:
    """Pids of the live processes (zombies aside) in session `session`: all a command started with
    start_new_session=True has running, however deep, unless one left the session itself."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if fields[0] != "Z" and int(fields[3]) == session:
            pids.append(int(entry))
    return pids

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


def process_stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name: [0] is the state ("T" stopped, "Z"
    zombie), [3] the session id. Raises OSError once the process is gone."""
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def session_processes(session: int) -> list[int]:
    """Pids of the live processes (zombies aside) in session `session`: all a command started with
    start_new_session=True has running, however deep, unless one left the session itself."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = process_stat(int(entry))
        except OSError:
            continue  # gone meanwhile
        if fields[0] != "Z" and int(fields[3]) == session:
            pids.append(int(entry))
    return pids

"""Real `broadsheet run` processes forked from one warm launcher (tests/flows/fork_runs.py): start one
with a pause point, see it stopped there, kill it -9 or let it go on, and read how it exited."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL

from tasks.pause_points import PAUSE_ENV
from tests.support.processes import process_stat

FORK_RUNS = Path(__file__).resolve().parents[1] / "flows" / "fork_runs.py"


class Runs:
    """`broadsheet run` processes forked by fork_runs.py: start, see stopped, kill -9, see exited."""

    def __init__(self, root):
        env = os.environ | {
            "PREFECT_API_URL": PREFECT_API_URL.value(),
            "PREFECT_HOME": str(root / "prefect"),
            "BROADSHEET_IO_RETRY_DELAY_SECONDS": "0.5",  # failing runs retry their commit twice: no need to wait 5 s
        }
        self.launcher = subprocess.Popen(
            [sys.executable, str(FORK_RUNS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
        )
        self.events, self.changed, self.alive = [], threading.Condition(), set()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.launcher.stdout:
            with self.changed:
                self.events.append(json.loads(line))
                self.changed.notify_all()

    def _event(self, key, pid=None, timeout=120):
        with self.changed:
            found = self.changed.wait_for(
                lambda: [e for e in self.events if key in e and pid in (None, e[key])], timeout
            )
            assert found, f"no {key} event for {pid} in {timeout} s"
            self.events.remove(found[0])
            return found[0]

    def start(self, argv, pause_at, log, env=None):
        """Start `broadsheet ARGV`, to stop itself at the pause point `pause_at` (None: nowhere), with `env`
        added to its environment and its stdout and stderr going to the file `log`."""
        env = ({PAUSE_ENV: str(pause_at)} if pause_at else {}) | (env or {})
        self.launcher.stdin.write(json.dumps({"argv": argv, "env": env, "log": str(log)}) + "\n")
        self.launcher.stdin.flush()
        pid = self._event("started")["started"]
        self.alive.add(pid)
        return pid

    def wait_until_stopped(self, pid, log, timeout=240):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(e.get("exited") == pid for e in self.events):
                pytest.fail(f"run exited before its pause point:\n{log.read_text()[-3000:]}")
            if process_stat(pid)[0] == "T":
                return
            time.sleep(0.05)
        pytest.fail(f"run never reached its pause point:\n{log.read_text()[-3000:]}")

    def exit_status(self, pid, timeout=120):
        status = self._event("exited", pid, timeout)["status"]
        self.alive.discard(pid)
        return status

    def close(self):
        for pid in self.alive:  # runs a failed test left stopped
            os.kill(pid, signal.SIGKILL)
        self.launcher.stdin.close()
        self.launcher.wait(timeout=60)

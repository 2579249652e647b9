"""Which worker processes are cheaper for a run's CPU work: Prefect's ProcessPoolTaskRunner, or
the processes a batch task starts itself (tasks/workers/deadline.py, what broadsheet uses)?

Times in one run, on the same machine, with a temporary Prefect server as `broadsheet run` has:
(a) a flow submitting 4 trivial tasks to ThreadPoolTaskRunner(2) (Prefect's own cost per task);
(b) the same to ProcessPoolTaskRunner(2), twice (each pool process starts its own temporary
Prefect server unless PREFECT_API_URL points at a running one); (c) two DeadlineRunner children
started and given the same 4 items (start-up included: each child imports the task's module,
and with it prefect).

usage: .venv/bin/python benchmarks/worker_startup.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # at run time prefect is imported only after the environment below is set
    from prefect.task_runners import TaskRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_PREFECT_HOME = tempfile.TemporaryDirectory(prefix="broadsheet-worker-startup-")  # removed when the script exits
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME.name)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
ITEMS = 4


def _flow_seconds(runner: TaskRunner[Any]) -> float:
    from prefect import flow

    from benchmarks.worker_startup_task import square

    @flow(task_runner=runner)
    def submit_all() -> list[int]:
        return [future.result() for future in [square.submit(i) for i in range(ITEMS)]]

    started = time.perf_counter()
    submit_all()
    return time.perf_counter() - started


def _deadline_seconds() -> float:
    from tasks.workers.deadline import DeadlineRunner

    runners = [DeadlineRunner("benchmarks.worker_startup_task:square_value") for _ in range(2)]
    started = time.perf_counter()
    for item in range(ITEMS):
        runners[item % 2].run(item, 60)
    return time.perf_counter() - started


def main() -> None:
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    _flow_seconds(ThreadPoolTaskRunner(max_workers=2))  # the temporary server starts here, once
    rows = [
        ("Prefect ThreadPoolTaskRunner(2), 4 tasks", _flow_seconds(ThreadPoolTaskRunner(max_workers=2))),
        ("Prefect ProcessPoolTaskRunner(2), 4 tasks", _flow_seconds(ProcessPoolTaskRunner(max_workers=2))),
        ("  again (new pool)", _flow_seconds(ProcessPoolTaskRunner(max_workers=2))),
        ("2 DeadlineRunner children, start + 4 items", _deadline_seconds()),
    ]
    for label, seconds in rows:
        print(f"{label:46s} {seconds:6.2f} s")


if __name__ == "__main__":
    main()

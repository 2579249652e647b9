"""Run a per-record function over a batch in child processes, each record under the time limit.

The children are tasks.workers.deadline workers, one per slot, started on first use and kept between
batches; threads of the calling process only wait on their child's pipe (the GIL is free
meanwhile), so the children do the work side by side. Results come back in the order of the
records whatever the children's pace. A record over `limits.max_document_bytes`, past the
deadline, or whose child dies, becomes a clean-stage rejection; the function itself must not
raise.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from queue import Queue
from typing import TypeVar

from schemas.reasons import Reason, Stage
from tasks.config import Limits
from tasks.records import RawRecord, Rejection
from tasks.workers.deadline import DeadlineExceeded, DeadlineRunner, WorkerDied

Result = TypeVar("Result")


def run_per_record(
    records: list[RawRecord], limits: Limits, function: Callable[[RawRecord], Result], name: str
) -> Iterator[Result | Rejection]:
    """``function(record)`` for each record, in order; `name` is its "module:name" for the children.

    Without a per-document time limit, records are worked on here, one at a time.
    """
    workers = min(limits.clean_workers, len(records)) if limits.document_timeout_s is not None else 1
    if workers <= 1:
        runner = _deadline_runner(name, limits.worker_memory_bytes, 0)
        return (_within_limits(record, limits, function, runner) for record in records)
    idle: Queue[DeadlineRunner] = Queue()
    for slot in range(workers):
        idle.put(_deadline_runner(name, limits.worker_memory_bytes, slot))

    def run_one(record: RawRecord) -> Result | Rejection:
        runner = idle.get()
        try:
            return _within_limits(record, limits, function, runner)
        finally:
            idle.put(runner)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="documents") as pool:
        return iter(list(pool.map(run_one, records)))


def start_workers(limits: Limits, name: str) -> None:
    """Start the children run_per_record will use for `name` under `limits` now, without waiting
    for their imports, so that they import while the caller does other things."""
    if limits.document_timeout_s is None:
        return
    for slot in range(limits.clean_workers):
        _deadline_runner(name, limits.worker_memory_bytes, slot).start()


def _within_limits(
    record: RawRecord, limits: Limits, function: Callable[[RawRecord], Result], runner: DeadlineRunner
) -> Result | Rejection:
    if len(record.raw) > limits.max_document_bytes:  # a JSONL line's html can be any size
        return Rejection.of(record, Stage.CLEAN, Reason.TOO_LARGE, f"over {limits.max_document_bytes} bytes")
    if limits.document_timeout_s is None:
        return function(record)
    try:
        return runner.run(record, limits.document_timeout_s)
    except DeadlineExceeded as error:
        return Rejection.of(record, Stage.CLEAN, Reason.TIMEOUT, f"cleaning {error}")
    except WorkerDied as error:
        return Rejection.of(record, Stage.CLEAN, Reason.EXTRACTION_ERROR, str(error))


_runners: dict[tuple[str, int | None, int], DeadlineRunner] = {}
_runners_lock = threading.Lock()


def _deadline_runner(name: str, memory_limit_bytes: int | None, slot: int) -> DeadlineRunner:
    """Worker `slot`'s child process for `name`: started on first use, kept between batches."""
    key = (name, memory_limit_bytes, slot)
    with _runners_lock:
        if (runner := _runners.get(key)) is None:
            runner = _runners[key] = DeadlineRunner(name, memory_limit_bytes)
        return runner


def stop_document_workers() -> None:
    """Kill every worker process now; the records still waiting for them become rejections at once
    (a stopping run commits none of them). Later batches start new workers."""
    with _runners_lock:
        runners = list(_runners.values())
        _runners.clear()
    for runner in runners:
        runner.retire()

"""Run one function over many items in a child process, each item under a wall-clock deadline.

Parsing untrusted HTML spends most of its time inside C (libxml2, regex engines), where no
Python-level alarm or thread can interrupt it. A separate process can always be stopped: the
parent sends one item, waits up to the deadline for the answer, and on silence kills the child
and starts a fresh one for the next item. The child is also capped in address space, so a
page that balloons in memory fails that page (MemoryError) instead of the machine.

The child is a fresh interpreter (``python -m tasks.workers.deadline``), not a fork: the caller may be
a Prefect worker with threads and an event loop, which fork() would copy in an undefined state,
and multiprocessing's spawn/forkserver would re-run the caller's main script in the child.
It runs in a process group of its own, so a terminal's Ctrl-C reaches only the parent, which
decides (see retire()); and it exits when its parent is gone, however the parent ended.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

_READY = "ready"
_STARTUP_SECONDS = 120
_PARENT_CHECK_SECONDS = 0.5


class DeadlineExceeded(TimeoutError):
    """The item was not done within the deadline; its worker was killed."""


class WorkerDied(RuntimeError):
    """The child process ended while working on the item (killed from outside, or crashed)."""


class DeadlineRunner:
    """Calls ``function(item)`` in a child process; reusable, and safe to share between threads.

    ``function`` is named as "module:name" so the child can import it; it must not raise, and
    its items and results must pickle.
    """

    def __init__(self, function: str, memory_limit_bytes: int | None = None) -> None:
        self._function = function
        self._memory_limit_bytes = memory_limit_bytes
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None
        self._lock = threading.Lock()
        self._retired = False
        self._ready = False  # the child has said it imported the function

    def start(self) -> None:
        """Start the child now, without waiting for its imports: a run starts its workers while
        it starts everything else. A failed start shows on the first item."""
        with self._lock:
            if not self._retired and self._process is None:
                self._spawn()

    def run(self, item: Any, seconds: float) -> Any:
        """``function(item)``, computed in the child; raises DeadlineExceeded or WorkerDied."""
        with self._lock:
            if self._retired:
                raise WorkerDied("worker stopped: the run is stopping")
            connection = self._ensure_started()
            try:
                connection.send(item)
                if connection.poll(seconds):
                    return connection.recv()
            except (EOFError, OSError) as error:
                code = self._stop()
                raise WorkerDied(f"worker process ended (exit code {code})") from error
            self._stop()
            raise DeadlineExceeded(f"not done within {seconds:g} s")

    def close(self) -> None:
        with self._lock:
            self._stop()

    def retire(self) -> None:
        """Kill the child now, even mid-item (the item's caller gets WorkerDied), and start no other."""
        self._retired = True
        process = self._process  # read once: a caller's thread may be replacing it
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()

    def _ensure_started(self) -> Connection:
        connection = self._connection
        if self._process is None or self._process.poll() is not None or connection is None:
            self._stop()
            connection = self._spawn()
        if not self._ready:
            self._await_ready(connection)
        return connection

    def _spawn(self) -> Connection:
        to_child_read, to_child_write = os.pipe()
        from_child_read, from_child_write = os.pipe()
        limit = str(self._memory_limit_bytes or 0)
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tasks.workers.deadline",
                self._function,
                str(to_child_read),
                str(from_child_write),
                limit,
                str(os.getpid()),
            ],
            pass_fds=(to_child_read, from_child_write),
            process_group=0,
            env=os.environ | {"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )
        os.close(to_child_read)
        os.close(from_child_write)
        self._connection = _Duplex(from_child_read, to_child_write)
        return self._connection

    def _await_ready(self, connection: Connection) -> None:
        # Imports take seconds on a busy machine: they must not count against the first item.
        try:
            self._ready = connection.poll(_STARTUP_SECONDS) and connection.recv() == _READY
        except (EOFError, OSError):
            self._ready = False
        if not self._ready:
            code = self._stop()
            raise WorkerDied(f"worker process did not start (exit code {code})")

    def _stop(self) -> int | None:
        """Kill the child (if any) and return its exit code."""
        process, connection = self._process, self._connection
        self._process = self._connection = None
        self._ready = False
        if connection is not None:
            connection.close()
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        return process.wait()


class _Duplex(Connection):
    """A Connection that reads from one pipe and writes to another."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        super().__init__(read_fd)
        self._writer = Connection(write_fd, readable=False)

    def _send(self, buf: bytes, write: Callable[..., int] = os.write) -> None:
        self._writer._send(buf)  # type: ignore[attr-defined]

    def close(self) -> None:
        self._writer.close()
        super().close()


def _exit_when_orphaned(parent: int) -> None:
    """Mid-item the child would not notice its parent's pipe closing; this thread does."""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(0)


def _serve(function: Callable[[Any], Any], connection: Connection) -> None:
    """The child's loop: one item in, one result out, until the parent hangs up."""
    connection.send(_READY)
    first = True
    while True:
        try:
            item = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(function(item))
        if first:
            freeze_what_is_loaded()
            first = False


def freeze_what_is_loaded() -> None:
    """Move every object alive now out of the collector's sight. What a worker's first item
    imported lazily (language model, word lists) lives as long as the worker: freezing it spares
    every later full collection a scan of it."""
    gc.collect()
    gc.freeze()


if __name__ == "__main__":
    module_name, _, name = sys.argv[1].partition(":")
    read_fd, write_fd, memory_limit = (int(value) for value in sys.argv[2:5])
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    threading.Thread(target=_exit_when_orphaned, args=(int(sys.argv[5]),), daemon=True).start()
    _serve(getattr(importlib.import_module(module_name), name), _Duplex(read_fd, write_fd))

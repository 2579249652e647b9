"""Ctrl-C and SIGTERM stop a command cleanly; a second one stops it at once.

A terminal sends SIGINT to its whole foreground process group, so the run's helpers (document
workers, the temporary Prefect server) run in process groups of their own and only this process
decides. The first SIGINT or SIGTERM stops the document workers (the batch in flight ends in
moments) and raises RunInterrupted in the main thread, where the flow waits for its batches: the
run then commits nothing and the command removes its staging. A signal that lands during a
commit waits for the commit to end: a half-made commit is what crash recovery is for, not Ctrl-C.
If the process has not ended `HARD_STOP_SECONDS` after the first signal, or on a second signal,
it exits at once (its helpers die with it; the next run deletes the staged rows).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from tasks.workers.document_workers import stop_document_workers

HANDLED = (signal.SIGINT, signal.SIGTERM)
HARD_STOP_SECONDS = 8.0


class RunInterrupted(BaseException):
    """The command was asked to stop. A BaseException, as KeyboardInterrupt is, so that Prefect
    marks the run crashed instead of retrying the task that was running."""

    def __init__(self, signum: int, after_commit: bool = False) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum
        self.after_commit = after_commit

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # what a shell reports for a process a signal ended: 130, 143

    @property
    def line(self) -> str:
        """What the command prints last."""
        if self.after_commit:
            return "interrupted after a commit: the lake keeps what was committed; run again to finish"
        return "interrupted: nothing was committed; run again to resume"


class _Guard:
    """What one guarded command has seen: the first signal, and whether a commit is under way."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.committing = 0
        self.committed = False  # a commit has ended: a stop now cannot say "nothing was committed"

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.received is not None:
            _exit_now(signum, "stopped at once: the next run deletes what this one staged")
        self.received = signum
        stop_document_workers()
        deadline = threading.Timer(HARD_STOP_SECONDS, _exit_now, (signum, "could not stop cleanly in time"))
        deadline.daemon = True  # it must not keep a process that ended in time alive
        deadline.start()
        if self.committing:
            print("stopping after the commit under way (again to stop at once)", file=sys.stderr, flush=True)
            return
        raise RunInterrupted(signum, after_commit=self.committed)


_guard: _Guard | None = None


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """The first SIGINT/SIGTERM in the block raises RunInterrupted; a second exits at once.

    Inside a flow it takes SIGTERM back from Prefect's handler, but only under a guarded command:
    a deployment's run keeps Prefect's handling (cancellation from the UI)."""
    global _guard
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outermost = _guard is None
    if outermost:
        _guard = _Guard()
    guard = _guard
    assert guard is not None
    previous = {signum: signal.signal(signum, guard.handle) for signum in HANDLED}
    try:
        yield
    finally:
        # Once stopped, the command still winds down (its line, its staging): a second signal
        # then must still exit at once with 128 + signum, not meet the default handler.
        if not (outermost and guard.received is not None):
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if outermost:
            _guard = None


@contextlib.contextmanager
def reclaim_signals() -> Iterator[None]:
    """stop_on_signals() for a flow's body when a guarded command runs it; nothing otherwise."""
    with stop_on_signals() if _guard is not None else contextlib.nullcontext():
        yield


@contextlib.contextmanager
def commit_in_progress() -> Iterator[None]:
    """A signal in the block lets it finish, then raises RunInterrupted."""
    guard = _guard
    if guard is None:
        yield
        return
    guard.committing += 1
    try:
        yield
    finally:
        guard.committing -= 1
    guard.committed = True
    if guard.received is not None and not guard.committing:
        raise RunInterrupted(guard.received, after_commit=True)


def _exit_now(signum: int, why: str) -> None:
    print(f"interrupted: {why}", file=sys.stderr, flush=True)
    stop_document_workers()
    os._exit(128 + signum)  # the temporary server gets SIGTERM from the kernel as this process ends

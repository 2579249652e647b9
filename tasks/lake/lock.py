"""One run at a time per lake: an exclusive lock on `<lake>/_lock` for the whole run.

An flock belongs to the open file, so the kernel drops it when its process dies, even by
kill -9: a crashed run never leaves a stale lock behind. The file holds who took the lock,
so a run that has to wait can say for whom. Lakes on object stores have no shared file
system to lock on; there the deployment's concurrency limit keeps scheduled runs apart and
Delta's commit conflict check (with the commit task's retries) keeps concurrent writers safe.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from fsspec.core import url_to_fs
from fsspec.utils import get_protocol

from tasks.lake.paths import LOCK_FILE

_POLL_SECONDS = 0.2


class LakeBusyError(RuntimeError):
    """Another run held the lake for longer than this run was willing to wait."""


def is_local(lake: str) -> bool:
    return get_protocol(lake) in ("file", "local")


@contextmanager
def lake_lock(lake: str, run_id: str, wait_seconds: float, on_wait: Callable[[str], object] = print) -> Iterator[bool]:
    """Hold the lake's lock for the block; waits up to `wait_seconds` for another run.

    Yields True when a lock is held, False for a lake that cannot be locked (object store).
    Raises LakeBusyError, naming the run that holds the lake, when the wait runs out.
    """
    if not is_local(lake):
        yield False
        return
    _, root = url_to_fs(lake)
    os.makedirs(root, exist_ok=True)
    descriptor = os.open(os.path.join(root, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(descriptor, lake, wait_seconds, on_wait)
        holder = {
            "run_id": run_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, json.dumps(holder).encode("utf-8"), 0)
        yield True
    finally:
        os.close(descriptor)  # releases the lock


def wait_until_free(lake: str, wait_seconds: float, on_wait: Callable[[str], object] = print) -> None:
    """Return once no run holds the lake's lock, at once for a lake that cannot be locked; raises
    LakeBusyError like lake_lock. Holds the lock only for a moment: a command checks with it so
    that a busy lake ends it with one line before it starts a run."""
    if not is_local(lake):
        return
    _, root = url_to_fs(lake)
    try:
        descriptor = os.open(os.path.join(root, LOCK_FILE), os.O_RDWR)
    except FileNotFoundError:
        return  # no run has ever locked this lake
    try:
        _acquire(descriptor, lake, wait_seconds, on_wait)
    finally:
        os.close(descriptor)


def _acquire(descriptor: int, lake: str, wait_seconds: float, on_wait: Callable[[str], object]) -> None:
    deadline = time.monotonic() + wait_seconds
    announced = False
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = _describe_holder(descriptor)
            if time.monotonic() >= deadline:
                raise LakeBusyError(
                    f"lake {lake} is busy: {holder} is writing to it; gave up after waiting {wait_seconds:g} s"
                ) from None
            if not announced:
                on_wait(f"lake {lake} is busy: {holder} is writing to it; waiting up to {wait_seconds:g} s")
                announced = True
            time.sleep(min(_POLL_SECONDS, max(deadline - time.monotonic(), 0.0)))


def _describe_holder(descriptor: int) -> str:
    try:
        holder = json.loads(os.pread(descriptor, 4096, 0) or b"{}")
        return f"run {holder['run_id']} (pid {holder['pid']} on {holder['host']}, since {holder['since']})"
    except (OSError, ValueError, KeyError):
        return "another run"  # the holder is still writing its name

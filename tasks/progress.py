"""How far a run has got, for whoever watches it in the same process (the CLI's progress bar).

The flow publishes; nothing listens unless a watcher subscribed, so scheduled runs pay nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class RunProgress:
    step: str  # "reading" or "committing"
    inputs_total: int  # inputs this run reads
    inputs_done: int
    records_done: int


Watcher = Callable[[RunProgress], None]
_watchers: list[Watcher] = []


@contextmanager
def watching(watcher: Watcher) -> Iterator[None]:
    _watchers.append(watcher)
    try:
        yield
    finally:
        _watchers.remove(watcher)


def publish(progress: RunProgress) -> None:
    for watcher in list(_watchers):
        watcher(progress)

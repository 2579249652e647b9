"""Batches in flight: each submitted as soon as it is read, results taken back in reading order.

A local run keeps two batches in flight, so one validates and stages while the worker processes
clean the next (tasks/pipeline.py lets one batch at a time into them); a Dask run keeps a few
per worker thread. Taking results back in the order the batches were read keeps "a later record
of the same id wins" meaning the same whatever the pace, and the window bounds memory: at most
`room()` batches are read and not yet taken back.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Generator, Iterable
from typing import Protocol

from tasks.pipeline import BatchResult, RecordBatch


class BatchFuture(Protocol):
    def result(self) -> BatchResult: ...


def in_reading_order(
    batches: Iterable[RecordBatch], submit: Callable[[RecordBatch], BatchFuture], room: Callable[[], int]
) -> Generator[tuple[int, BatchResult]]:
    """(inputs finished, result) of each batch, in the order of `batches`, each `submit`ted
    before the oldest result is waited for while fewer than `room()` are out."""
    out: deque[tuple[int, BatchFuture]] = deque()  # (inputs finished, future) submitted and not yet taken back

    def oldest() -> tuple[int, BatchResult]:
        inputs_done, future = out[0]
        result = future.result()
        out.popleft()
        return inputs_done, result

    try:
        for batch in batches:
            out.append((batch.inputs_done, submit(batch)))
            while len(out) >= max(1, room()):  # asked each time: cluster workers may come and go
                yield oldest()
        while out:
            yield oldest()
    finally:
        # Stopped early (a batch failed, the run was interrupted): the batches in flight still stage
        # rows; they end before the caller removes the staging folder.
        for _, future in out:
            with contextlib.suppress(Exception):
                future.result()

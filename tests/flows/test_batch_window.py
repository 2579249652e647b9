"""Batches in flight: reading order kept, the window bounds what is out, the next batch starts early."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor

from flows.batch_window import in_reading_order
from tasks.pipeline import RecordBatch


def test_results_come_back_in_reading_order_with_at_most_room_batches_out() -> None:
    batches = [RecordBatch(inputs_done=n) for n in range(6)]
    in_flight: list[int] = []  # batches submitted and not yet taken back, after each submit
    taken: list[int] = []
    # Later batches finish first: the order must come from the reading, not the pace.
    delays = {id(batch): 0.05 * (len(batches) - n) for n, batch in enumerate(batches)}

    with ThreadPoolExecutor(max_workers=4) as pool:

        def submit(batch: RecordBatch) -> Future:
            in_flight.append(len(in_flight) + 1 - len(taken))
            return pool.submit(lambda: (time.sleep(delays[id(batch)]), batch.inputs_done)[1])

        for inputs_done, result in in_reading_order(batches, submit, lambda: 3):
            assert inputs_done == result
            taken.append(result)

    assert taken == [0, 1, 2, 3, 4, 5]
    assert max(in_flight) == 3


def test_the_next_batch_is_submitted_before_the_previous_result_is_awaited() -> None:
    first_may_finish = threading.Event()
    submitted: list[int] = []

    with ThreadPoolExecutor(max_workers=2) as pool:

        def submit(batch: RecordBatch) -> Future:
            submitted.append(batch.inputs_done)
            if batch.inputs_done == 1:  # batch 0 finishes only once batch 1 is out
                first_may_finish.set()
            return pool.submit(lambda: first_may_finish.wait(5) and batch.inputs_done)

        results = [
            result
            for _, result in in_reading_order(
                [RecordBatch(inputs_done=0), RecordBatch(inputs_done=1)], submit, lambda: 2
            )
        ]

    assert results == [0, 1]
    assert submitted == [0, 1]

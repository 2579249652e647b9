import time

import pytest

from tasks.workers.deadline import DeadlineExceeded, DeadlineRunner, WorkerDied


@pytest.fixture
def sleeper():
    runner = DeadlineRunner("time:sleep")
    yield runner
    runner.close()


def test_item_over_the_deadline_is_stopped_and_the_next_one_runs_in_a_fresh_worker(sleeper):
    assert sleeper.run(0, seconds=30) is None  # starts the worker

    started = time.monotonic()
    with pytest.raises(DeadlineExceeded, match=r"not done within 0\.5 s"):
        sleeper.run(60, seconds=0.5)
    assert time.monotonic() - started < 10

    assert sleeper.run(0, seconds=30) is None


def test_worker_that_dies_mid_item_is_reported_and_replaced():
    runner = DeadlineRunner("os:_exit")
    try:
        with pytest.raises(WorkerDied, match="exit code 3"):
            runner.run(3, seconds=30)
        with pytest.raises(WorkerDied, match="exit code 4"):
            runner.run(4, seconds=30)
    finally:
        runner.close()


def test_a_started_worker_imports_before_its_first_item_arrives():
    from tests.support.slow_import import IMPORT_SECONDS

    runner = DeadlineRunner("tests.support.slow_import:echo")
    try:
        runner.start()  # returns at once: the child imports on its own
        time.sleep(IMPORT_SECONDS + 1.5)
        started = time.monotonic()
        assert runner.run("first", seconds=30) == "first"
        assert time.monotonic() - started < IMPORT_SECONDS / 2
    finally:
        runner.close()


def test_a_retired_worker_is_not_started_again():
    runner = DeadlineRunner("tests.support.slow_import:echo")
    runner.retire()
    runner.start()
    with pytest.raises(WorkerDied, match="the run is stopping"):
        runner.run("item", seconds=30)


def test_after_its_first_item_a_worker_freezes_what_it_loaded_so_full_collections_skip_it():
    runner = DeadlineRunner("tests.support.frozen:frozen_objects")
    try:
        assert runner.run("first", seconds=30) == 0
        assert runner.run("second", seconds=30) > 10_000  # the interpreter, the modules, the lazy import
    finally:
        runner.close()

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from tasks.lake.lock import LakeBusyError, lake_lock, wait_until_free
from tasks.lake.paths import LOCK_FILE


def test_second_run_waits_then_fails_naming_the_holder(tmp_path):
    said = []
    with lake_lock(str(tmp_path), "run-holding", wait_seconds=0):
        started = time.monotonic()
        with pytest.raises(LakeBusyError) as busy:
            with lake_lock(str(tmp_path), "run-waiting", wait_seconds=0.5, on_wait=said.append):
                pass
        assert time.monotonic() - started >= 0.5
    message = str(busy.value)
    assert message.startswith(f"lake {tmp_path} is busy: run run-holding (pid {os.getpid()} on ")
    assert message.endswith("gave up after waiting 0.5 s")
    assert len(said) == 1 and "waiting up to 0.5 s" in said[0]


def test_waiting_run_gets_the_lake_when_the_holder_finishes(tmp_path):
    order = []
    holding = threading.Event()

    def first():
        with lake_lock(str(tmp_path), "run-1", wait_seconds=0):
            holding.set()
            time.sleep(0.4)
            order.append("run-1 done")

    holder = threading.Thread(target=first)
    holder.start()
    holding.wait()
    with lake_lock(str(tmp_path), "run-2", wait_seconds=30, on_wait=lambda _: order.append("run-2 waits")) as locked:
        order.append("run-2 has the lake")
    holder.join()
    assert locked and order == ["run-2 waits", "run-1 done", "run-2 has the lake"]


def test_kill_9_of_the_holder_frees_the_lake(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from tasks.lake.lock import lake_lock\n"
            f"with lake_lock({str(tmp_path)!r}, 'doomed', 0):\n    print('held', flush=True); time.sleep(600)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LakeBusyError, match="run doomed"):
            with lake_lock(str(tmp_path), "run-2", wait_seconds=0):
                pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        with lake_lock(str(tmp_path), "run-2", wait_seconds=0) as locked:
            assert locked and (tmp_path / LOCK_FILE).read_text().startswith('{"run_id": "run-2"')
    finally:
        holder.kill()
        holder.wait()


def test_lake_on_an_object_store_is_not_file_locked(tmp_path):
    with lake_lock("s3://bucket/lake", "run-1", wait_seconds=0) as locked:
        assert locked is False


def test_wait_until_free_fails_on_a_held_lake_and_leaves_a_new_one_alone(tmp_path):
    with lake_lock(str(tmp_path / "held"), "run-holding", wait_seconds=0):
        with pytest.raises(LakeBusyError, match="run run-holding"):
            wait_until_free(str(tmp_path / "held"), wait_seconds=0)
    wait_until_free(str(tmp_path / "held"), wait_seconds=0)
    wait_until_free(str(tmp_path / "new"), wait_seconds=0)
    assert not (tmp_path / "new").exists()

"""Ctrl-C and SIGTERM stop real `broadsheet` processes: one line, exit 130 or 143, nothing committed,
no staging left, and no process of the run (document workers, the temporary Prefect server) left."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tasks.lake.paths import articles_path, quarantine_path, staging_root
from tasks.lake.storage import open_table, table_exists
from tasks.pause_points import PAUSE_ENV, PausePoint
from tests.support.processes import free_port, process_stat, session_processes, stop_group

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
PAGES = sorted((ROOT / "tests" / "fixtures" / "html").glob("*.html")) + sorted((ROOT / "data" / "raw").glob("*.html"))
STOP_SECONDS = 10  # the promise: a run stops within this after the signal


@pytest.fixture
def source(tmp_path):
    """Twelve pages, read two to a batch: a run has batches left when it is stopped after its first."""
    folder = tmp_path / "source"
    folder.mkdir()
    for n in range(12):
        page = PAGES[n % len(PAGES)]
        shutil.copy(page, folder / f"{n:02d}_{page.name}")
    return folder


def start(argv, tmp_path, pause_at=None, own_server=False):
    """`broadsheet ARGV` in a session of its own, as a terminal would start it in its own process group.
    own_server: no Prefect API configured (and no project server), so the run starts its temporary one."""
    env = os.environ | {"PREFECT_HOME": str(tmp_path / "prefect"), "BROADSHEET_UI_PORT": str(free_port())}
    if own_server:
        env.pop("PREFECT_API_URL", None)
    else:
        from prefect.settings import PREFECT_API_URL

        env["PREFECT_API_URL"] = PREFECT_API_URL.value()
    if pause_at:
        env[PAUSE_ENV] = str(pause_at)
    command = [sys.executable, "-c", "from flows.cli.app import main; main()", *argv]
    with open(tmp_path / "run.log", "w") as log:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_paused(process, tmp_path, timeout=240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"run ended before its pause point:\n{output(tmp_path)}"
        if process_stat(process.pid)[0] == "T":
            return
        time.sleep(0.05)
    pytest.fail(f"run never reached its pause point:\n{output(tmp_path)}")


def output(tmp_path) -> str:
    return (tmp_path / "run.log").read_text(errors="replace")


def ended(process, tmp_path, within):
    """The exit code, once the process has ended within `within` seconds; then nothing of its session is left."""
    try:
        code = process.wait(within)
    except subprocess.TimeoutExpired:
        stop_group(process, 5)
        pytest.fail(f"still running {within} s after the signal:\n{output(tmp_path)[-3000:]}")
    deadline = time.monotonic() + 3  # helpers notice their parent is gone within a second
    while (left := session_processes(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    if left:
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        pytest.fail(f"processes of the run outlived it: {left}")
    return code


def assert_nothing_committed(lake):
    assert not table_exists(articles_path(lake))
    assert not table_exists(quarantine_path(lake))
    assert not os.path.exists(staging_root(lake))


def stopped_mid_run(source, tmp_path, own_server=False):
    """A run with its document workers (and perhaps its temporary server) up, frozen after its first batch."""
    lake = str(tmp_path / "lake")
    process = start(
        ["run", str(source), "--lake", lake, "--batch-size", "2", "--workers", "2"],
        tmp_path,
        PausePoint.AFTER_BATCH,
        own_server,
    )
    wait_until_paused(process, tmp_path)
    assert len(session_processes(process.pid)) >= 3 + own_server, "the run, two document workers, the server"
    return process, lake


@pytest.mark.parametrize(
    ("send", "signum", "own_server", "code"),
    [
        (os.killpg, signal.SIGINT, True, 130),  # Ctrl-C: a terminal signals the whole foreground group
        (os.kill, signal.SIGTERM, False, 143),  # a scheduler or `kill PID`: the run's own process only
    ],
    ids=["ctrl-c-with-temporary-server", "sigterm"],
)
def test_a_signal_stops_a_run_cleanly_with_its_helpers(source, tmp_path, send, signum, own_server, code):
    process, lake = stopped_mid_run(source, tmp_path, own_server)

    send(process.pid, signum)
    send(process.pid, signal.SIGCONT)

    assert ended(process, tmp_path, STOP_SECONDS) == code
    assert output(tmp_path).rstrip().endswith("interrupted: nothing was committed; run again to resume")
    assert_nothing_committed(lake)


def test_a_second_ctrl_c_exits_at_once(source, tmp_path):
    process, lake = stopped_mid_run(source, tmp_path)

    os.killpg(process.pid, signal.SIGINT)
    os.killpg(process.pid, signal.SIGCONT)
    time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)

    assert ended(process, tmp_path, 2) == 130
    assert not table_exists(articles_path(lake))  # its staged rows wait for the next run to delete them


def test_kill_9_of_the_run_leaves_no_process_behind(source, tmp_path):
    process, _ = stopped_mid_run(source, tmp_path, own_server=True)

    os.kill(process.pid, signal.SIGKILL)

    assert ended(process, tmp_path, 5) == -signal.SIGKILL


@pytest.fixture(scope="module")
def quarantine_lake(tmp_path_factory):
    """A lake of data/raw: five articles and two quarantined JSONL lines."""
    folder = tmp_path_factory.mktemp("first-run")
    lake = str(folder / "lake")
    first = start(["run", str(ROOT / "data" / "raw"), "--lake", lake], folder)
    assert ended(first, folder, 240) == 0, output(folder)
    return lake


@pytest.fixture
def lake_with_quarantine(quarantine_lake, tmp_path):
    """A copy of quarantine_lake the test may change."""
    return shutil.copytree(quarantine_lake, tmp_path / "lake-copy").as_posix()


def test_ctrl_c_stops_reprocess_before_its_commit(lake_with_quarantine, tmp_path):
    versions = table_versions(lake_with_quarantine)
    process = start(
        ["reprocess", "--lake", lake_with_quarantine, "--batch-size", "1"], tmp_path, PausePoint.AFTER_BATCH
    )
    wait_until_paused(process, tmp_path)

    os.killpg(process.pid, signal.SIGINT)
    os.killpg(process.pid, signal.SIGCONT)

    assert ended(process, tmp_path, STOP_SECONDS) == 130
    assert output(tmp_path).rstrip().endswith("interrupted: nothing was committed; run again to resume")
    assert table_versions(lake_with_quarantine) == versions
    assert not os.path.exists(staging_root(lake_with_quarantine))


def test_sigterm_stops_maintain_after_the_table_under_way(lake_with_quarantine, tmp_path):
    process = start(["maintain", "--lake", lake_with_quarantine], tmp_path, PausePoint.AFTER_TABLE_MAINTAINED)
    wait_until_paused(process, tmp_path)

    os.kill(process.pid, signal.SIGTERM)
    os.kill(process.pid, signal.SIGCONT)

    assert ended(process, tmp_path, STOP_SECONDS) == 143
    assert (
        output(tmp_path)
        .rstrip()
        .endswith("interrupted after a commit: the lake keeps what was committed; run again to finish")
    )


def table_versions(lake):
    return [open_table(path).version() for path in (articles_path(lake), quarantine_path(lake))]

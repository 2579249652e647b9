"""Broken storage never costs a run: real `broadsheet run` processes meet a full disk, a lake made
read-only, an S3 endpoint that stops mid-commit and a staged file deleted mid-run.

Each faulted run works on its own copy of a lake that holds a first run, over the same grown
inputs, and stops itself at a pause point while the test breaks the storage. For each fault the
run ends with one `error:` line saying what failed, no traceback, and exit code 2; every table
stays at the version it had and reads the whole time; no data file of the failed write is left
behind; and the next run completes and leaves every input record exactly once in the lake, as an
article or as a quarantine row. Run with -s for the table of what each run printed.
"""

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from deltalake import DeltaTable

from tasks.lake.paths import articles_path, inputs_path, quarantine_path, signatures_path, staging_root
from tasks.lake.storage import storage_options
from tasks.pause_points import PausePoint
from tests.support.factories import export_article, write_jsonl
from tests.support.processes import free_port
from tests.support.s3 import CLIENT_ENVIRONMENT, LAKE_BUCKET, wait_for_port

pytestmark = pytest.mark.slow

BATCH_SIZE = 2  # five batches: the faulted run has staged several files when its commit starts
TABLES = {
    "articles": articles_path,
    "signatures": signatures_path,
    "quarantine": quarantine_path,
    "inputs": inputs_path,
}
# Every record of the inputs as (file, record): what the lake must hold once each after the next run.
RECORDS = sorted([("seed.txt", 0)] + [("sunday.jsonl", n) for n in range(3)] + [("monday.jsonl", n) for n in range(5)])
NEW_ARTICLES = 3  # of monday.jsonl, the input only the faulted run reads
DISK_BYTES = 32 * 1024 * 1024  # the small file system: the first run's lake (about 7 MB) and room to stage
CUTOFF_PROXY = Path(__file__).resolve().parents[1] / "support" / "cutoff_proxy.py"


@pytest.fixture(scope="module")
def first_run(runs, tmp_path_factory, seed_path):
    """A lake after a first run over the source folder, and the folder after it grew by
    `monday.jsonl` (three articles and two bad lines), which only the faulted run reads."""
    root = tmp_path_factory.mktemp("faults")
    source = root / "raw"
    source.mkdir()
    shutil.copy(seed_path, source / "seed.txt")
    write_jsonl(
        source / "sunday.jsonl",
        export_article("flood", "The river rose overnight and fell by noon."),
        '{"url": "https://news.example.com/cut", "text": "cut off mid',
        export_article("fair", "The fair opened on Monday with forty stalls."),
    )
    lake = str(root / "first-lake")
    _finish(runs, source, lake, root / "first.log")
    write_jsonl(
        source / "monday.jsonl",
        export_article("budget", "The council passed the budget after a long night."),
        "[not an object]",
        export_article("roads", "Two roads close for repairs from Tuesday."),
        {"title": "no url", "text": "Unidentifiable."},
        export_article("ferry", "The ferry runs again after the winter pause."),
    )
    return source, lake


def _start(runs, source, lake, log, pause=None, env=None):
    return runs.start(["run", str(source), "--lake", lake, "--batch-size", str(BATCH_SIZE)], pause, log, env)


def _finish(runs, source, lake, log, env=None):
    """A run that must complete."""
    pid = _start(runs, source, lake, log, env=env)
    assert runs.exit_status(pid) == 0, log.read_text()[-3000:]


def _versions(lake):
    """Each table's version and rows, read as users read them: every table must read."""
    state = {}
    for name, path in TABLES.items():
        table = DeltaTable(path(lake), storage_options=storage_options(lake))
        state[name] = (table.version(), table.to_pyarrow_table(columns=["uri" if name == "inputs" else "id"]).num_rows)
    return state


def _orphans(lake):
    """Data files in the folders of a local lake's tables that no current version names (none for
    an object store): what a failed write would leave behind. The lakes here never replace a row."""
    if "://" in lake:
        return []
    named = {
        Path(uri.removeprefix("file://")) for path in TABLES.values() for uri in DeltaTable(path(lake)).file_uris()
    }
    return sorted(
        str(file)
        for path in TABLES.values()
        for file in Path(path(lake)).rglob("*")
        if file.is_file() and "_delta_log" not in file.parts and file not in named
    )


def _records(lake):
    """(input file, record) of every article and every quarantine row."""
    found = []
    for path in (articles_path, quarantine_path):
        rows = DeltaTable(path(lake), storage_options=storage_options(lake)).to_pyarrow_table(
            columns=["source_uri", "source_record"]
        )
        uris, records = rows["source_uri"].to_pylist(), rows["source_record"].to_pylist()
        found += [(uri.rsplit("/", 1)[-1], record) for uri, record in zip(uris, records, strict=True)]
    return sorted(found)


def _fault_then_next_run(runs, source, lake, logs, pause, fault, repair, env=None, committed=()):
    """Start a run that stops at `pause` (None: goes on), break the storage with `fault()`, let the
    run go on and check how it fails; `repair()`, then the next run must finish the work. Returns
    the error line. `committed`: the tables the failed run still committed (the rest stay as they were)."""
    before = _versions(lake)
    assert _orphans(lake) == []
    log = logs / "faulted.log"
    pid = _start(runs, source, lake, log, pause, env)
    if pause is not None:
        runs.wait_until_stopped(pid, log)
        paused = _versions(lake)
        fault()
        assert _versions(lake) == paused  # every table reads with the fault in place
        os.kill(pid, signal.SIGCONT)
    status, output = runs.exit_status(pid), log.read_text()
    assert status == 2, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    [line] = [line for line in output.splitlines() if line.startswith("error: ")]
    assert output.rstrip().endswith(line)
    failed = _versions(lake)
    assert {t: v for t, v in failed.items() if t not in committed} == {
        t: v for t, v in before.items() if t not in committed
    }
    assert _orphans(lake) == []  # the failed write left no data file behind

    repair()
    _finish(runs, source, lake, logs / "next.log", env)
    after = _versions(lake)
    assert _records(lake) == RECORDS
    assert after["articles"] == (before["articles"][0] + 1, before["articles"][1] + NEW_ARTICLES)
    assert all(after[t] == failed[t] for t in committed)  # made by the failed run, unchanged by the next
    print(
        f"\n{line}\n  exit {status}; tables before {before}, after the failed run {failed}, after the next run {after}"
    )
    return line


def test_staged_file_deleted_mid_run(runs, first_run, tmp_path):
    source, first = first_run
    lake = str(tmp_path / "lake")
    shutil.copytree(first, lake)

    def delete_a_staged_file():
        staged = sorted(Path(staging_root(lake)).rglob("articles-*.parquet"))
        assert len(staged) > 1
        staged[0].unlink()

    line = _fault_then_next_run(
        runs, source, lake, tmp_path, PausePoint.BEFORE_ARTICLES_COMMIT, delete_a_staged_file, lambda: None
    )
    assert line.startswith("error: run failed: staged rows of this run were deleted while it ran (")
    assert line.endswith("Every table is at its last commit; run again: it reads whatever this run did not commit")


class Mounts:
    """File systems a test mounts (a size-limited tmpfs, a folder bound read-only over itself), each
    unmounted by `undo` or after the test, whatever happened. Skips the test where mounting is not allowed."""

    def __init__(self):
        self.mounted = []

    def tmpfs(self, folder, size):
        self._mount(["-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], folder)

    def read_only(self, folder):
        self._mount(["--bind", str(folder), str(folder)], folder)
        self._mount(["-o", "remount,bind,ro", str(folder)])

    def _mount(self, arguments, folder=None):
        done = subprocess.run(["mount", *arguments], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"mounting is not allowed here: {done.stderr.strip() or done.returncode}")
        if folder is not None:
            self.mounted.append(folder)

    def undo(self, folder):
        self.mounted.remove(folder)
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(folder)], check=True)

    def close(self):
        for folder in reversed(self.mounted):
            self.undo(folder)


@pytest.fixture
def mounts():
    made = Mounts()
    yield made
    made.close()


def _fill(disk):
    """Write a file until `disk` has not a byte left."""
    descriptor = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (1024 * 1024, 4096, 1):
            with contextlib.suppress(OSError):
                while os.write(descriptor, b"\0" * size):
                    pass
    finally:
        os.close(descriptor)
    with pytest.raises(OSError) as full:
        (disk / "probe").write_bytes(b"\0" * 4096)
    assert full.value.errno == errno.ENOSPC


@pytest.mark.parametrize(
    ("fills_up", "committed"),
    [
        (PausePoint.AFTER_BATCH, ()),
        (PausePoint.BEFORE_ARTICLES_COMMIT, ()),
        (PausePoint.AFTER_LEDGER_COMMIT, tuple(TABLES)),  # then the Data Docs and the report fail
    ],
    ids=["while-staging", "before-the-commit", "after-the-commits"],
)
def test_lake_on_a_disk_that_fills_up(runs, first_run, mounts, tmp_path, fills_up, committed):
    source, first = first_run
    disk = tmp_path / "disk"
    disk.mkdir()
    mounts.tmpfs(disk, DISK_BYTES)
    lake = str(disk / "lake")
    shutil.copytree(first, lake)
    line = _fault_then_next_run(
        runs,
        source,
        lake,
        tmp_path,
        fills_up,
        lambda: _fill(disk),
        lambda: (disk / "filler").unlink(),
        committed=committed,
    )
    assert line.startswith("error: run failed: no space left on the lake's storage (")
    assert "; run again once it has room: " in line


def test_lake_made_read_only_mid_run(runs, first_run, mounts, tmp_path):
    source, first = first_run
    lake = tmp_path / "lake"
    shutil.copytree(first, lake)
    # Root writes whatever the file modes say: read-only the way an administrator makes it, by a mount.
    line = _fault_then_next_run(
        runs,
        source,
        str(lake),
        tmp_path,
        PausePoint.BEFORE_ARTICLES_COMMIT,
        lambda: mounts.read_only(lake),
        lambda: mounts.undo(lake),
    )
    assert line.startswith(f"error: run failed: the lake's storage is read-only ({lake}/articles/")
    assert "; run again once it is writable: " in line


@pytest.mark.parametrize("stops", ["request", "response"], ids=["before-the-store-commits", "after-the-store-commits"])
def test_s3_endpoint_stops_mid_commit(runs, first_run, s3_endpoint, tmp_path, stops):
    """The endpoint stops when the run sends its articles commit (the data files are uploaded):
    before the store sees it, or once the store made it but before the run hears back."""
    source, first = first_run
    for table in TABLES.values():
        for path in Path(table(first)).rglob("*"):
            if path.is_file():
                key = f"lake/{path.relative_to(first)}"
                s3_endpoint.put_object(Bucket=LAKE_BUCKET, Key=key, Body=path.read_bytes())
    moto = s3_endpoint.meta.endpoint_url
    port = free_port()
    commit = f"PUT /{LAKE_BUCKET}/lake/articles/_delta_log/"
    with (tmp_path / "proxy.log").open("w") as proxy_log:
        proxy = subprocess.Popen(
            [sys.executable, str(CUTOFF_PROXY), str(port), moto.rsplit(":", 1)[1], commit, stops], stdout=proxy_log
        )
    env = CLIENT_ENVIRONMENT | {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}"}

    def reach_the_store_directly():  # it kept everything; the next run gets this `env`
        env["AWS_ENDPOINT_URL"] = moto

    try:
        wait_for_port(port, proxy)
        line = _fault_then_next_run(
            runs,
            source,
            f"s3://{LAKE_BUCKET}/lake",
            tmp_path,
            None,
            None,
            reach_the_store_directly,
            env,
            committed=("articles",) if stops == "response" else (),
        )
    finally:
        proxy.kill()
        proxy.wait()
    assert (tmp_path / "proxy.log").read_text().splitlines() == ["listening", "stopped"]
    assert line.startswith(f"error: run failed: the object store at http://127.0.0.1:{port} does not answer (")
    assert "; run again once it answers: " in line

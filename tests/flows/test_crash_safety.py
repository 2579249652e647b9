"""kill -9 of real `broadsheet run` processes at named points, and two runs on one lake at once.

Each killed run works on its own copy of a lake that already holds a first run, over the
same grown and edited inputs. After the kill, every table must read at its last commit; the
next run must leave the lake exactly as an uninterrupted run does: no duplicate, no missing row.
"""

import ctypes
import os
import select
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from deltalake import DeltaTable

from flows.article_pipeline import article_pipeline
from tasks.lake.lock import LakeBusyError
from tasks.lake.paths import articles_path, inputs_path, quarantine_path, staging_root
from tasks.pause_points import PausePoint
from tests.support.factories import export_article, write_jsonl

pytestmark = pytest.mark.slow

KILLED_AT = [
    PausePoint.AFTER_BATCH,
    PausePoint.AFTER_ARTICLES_COMMIT,
    PausePoint.AFTER_QUARANTINE_COMMIT,
    PausePoint.AFTER_LEDGER_COMMIT,
]
MID_WRITE = "mid-write"  # resumed at before-articles-commit, killed when its first data file appears
BATCH_SIZE = 4  # the killed run reads 9 records: a kill after its first batch is mid-way
IN_CREATE = 0x100  # inotify: an entry was created in the watched folder


def _tables(lake):
    """Version and rows of each table, read the way users read them."""
    state = {}
    for name, path, key in (
        ("articles", articles_path(lake), "id"),
        ("quarantine", quarantine_path(lake), "id"),
        ("inputs", inputs_path(lake), "uri"),
    ):
        table = DeltaTable(path)
        rows = table.to_pyarrow_table().to_pylist()
        on_disk = sum(len(files) for folder, _, files in os.walk(path) if "_delta_log" not in Path(folder).parts)
        state[name] = {
            "version": table.version(),
            "keys": [r[key] for r in rows],
            "rows": rows,
            "files": (on_disk, len(table.file_uris())),
        }
    return state


def _content(lake):
    """What must match an uninterrupted run: article fingerprints, quarantine verdicts, ledger hashes."""
    state = _tables(lake)
    return {
        "articles": sorted((r["id"], r["fingerprint"], r["duplicate_of"]) for r in state["articles"]["rows"]),
        "quarantine": sorted((r["id"], tuple(r["reasons"])) for r in state["quarantine"]["rows"]),
        "inputs": sorted((r["uri"], r["sha256"]) for r in state["inputs"]["rows"]),
    }


@pytest.fixture(scope="module")
def grown_source(tmp_path_factory, seed_path, raw_dir):
    """A lake after a first run, and the source folder after it grew and changed."""
    root = tmp_path_factory.mktemp("crash")
    source, base = root / "raw", str(root / "base-lake")
    source.mkdir()
    shutil.copy(seed_path, source / "seed.txt")
    monday = source / "monday.jsonl"
    write_jsonl(
        monday,
        export_article("flood", "The river rose overnight."),
        export_article("fair", "The fair opened on Monday."),
        '{"url": "https://news.example.com/cut", "text": "cut off mid',
        {"title": "no url", "text": "Unidentifiable."},
    )
    assert article_pipeline(source=str(source), lake=base, batch_size=BATCH_SIZE).inserted == 3

    write_jsonl(
        monday,
        export_article("flood", "The river rose overnight and fell by noon."),
        export_article("fair", "The fair opened on Monday."),
        export_article("cut", "The line is whole again."),
        {"title": "no url", "text": "Unidentifiable."},
    )
    write_jsonl(
        source / "tuesday.jsonl",
        export_article("budget", "The council passed the budget."),
        "[not an object]",
        export_article("fair-again", "The fair opened on Monday."),
        export_article("roads", "Two roads close for repairs."),
    )
    shutil.copy(raw_dir / "news_with_jsonld.html", source / "page.html")
    reference = str(root / "reference-lake")
    shutil.copytree(base, reference)
    uninterrupted = article_pipeline(source=str(source), lake=reference, batch_size=BATCH_SIZE)
    assert (uninterrupted.inputs.new, uninterrupted.inputs.changed, uninterrupted.inserted, uninterrupted.updated) == (
        2,
        1,
        5,
        1,
    )
    return root, source, base, _content(reference)


def _start_run(runs, root, source, base, point, name):
    lake = str(root / f"lake-{name}")
    shutil.copytree(base, lake)
    log = root / f"{name}.log"
    pid = runs.start(["run", str(source), "--lake", lake, "--batch-size", str(BATCH_SIZE)], point, log)
    return pid, lake, log


# 40-70 s on a quiet 2-core machine, about 2.5 times that on a busy one, plus the module's first run
# and, when it comes first, the Prefect test server's start (up to 120 s): over the 300 s default.
@pytest.mark.timeout(600)
def test_kill_9_at_every_point_loses_nothing_and_duplicates_nothing(runs, grown_source):
    root, source, base, expected = grown_source
    before = _tables(base)
    started = {str(p): _start_run(runs, root, source, base, p, str(p)) for p in KILLED_AT}
    started[MID_WRITE] = _start_run(runs, root, source, base, PausePoint.BEFORE_ARTICLES_COMMIT, MID_WRITE)
    report = []
    for name, (pid, lake, log) in started.items():
        runs.wait_until_stopped(pid, log)
        if name == MID_WRITE:
            _kill_when_a_file_appears(pid, articles_path(lake))
            killed_at = None  # the writes were moving: read the lake only after the kill
        else:
            killed_at = _tables(lake)
            os.kill(pid, signal.SIGKILL)
        assert runs.exit_status(pid) == -signal.SIGKILL
        after_kill = _tables(lake)  # every table still reads: at its last commit
        if killed_at is not None:
            assert {t: s["version"] for t, s in after_kill.items()} == {t: s["version"] for t, s in killed_at.items()}
        for table, state in after_kill.items():
            assert len(state["keys"]) == len(set(state["keys"])), f"{name}: duplicate rows in {table}"
            assert state["version"] in (before[table]["version"], before[table]["version"] + 1)

        recovery = article_pipeline(source=str(source), lake=lake, batch_size=BATCH_SIZE)
        assert _content(lake) == expected, f"killed {name}: the next run did not finish the work"
        assert not os.path.exists(staging_root(lake)), f"killed {name}: the killed run's staged rows were left behind"
        report.append((name, after_kill, recovery, _tables(lake)))
    _print_report(before, report)


def _kill_when_a_file_appears(pid, folder):
    """Resume the run and kill it the moment Delta creates a data file (or partition folder) in the table
    `folder`, before its log commit."""
    libc = ctypes.CDLL(None, use_errno=True)
    watch = libc.inotify_init1(os.O_CLOEXEC)
    assert watch >= 0, os.strerror(ctypes.get_errno())
    for place, subfolders, _ in os.walk(folder):
        subfolders[:] = [name for name in subfolders if name != "_delta_log"]
        assert libc.inotify_add_watch(watch, os.fsencode(place), IN_CREATE) >= 0, os.strerror(ctypes.get_errno())
    try:
        os.kill(pid, signal.SIGCONT)
        created, _, _ = select.select([watch], [], [], 120)
        os.kill(pid, signal.SIGKILL)
        assert created, "the run wrote no data file"
    finally:
        os.close(watch)


def _print_report(before, report):
    def rows(state):
        tables = " ".join(f"{t} v{s['version']} {len(s['keys'])} rows," for t, s in state.items())
        return f"{tables} article data files {state['articles']['files'][0]} on disk/{state['articles']['files'][1]} in the version"

    print(f"\nbefore the killed run: {rows(before)}")
    for name, after_kill, recovery, final in report:
        print(
            f"killed at {name}\n  after the kill: {rows(after_kill)}\n  next run: read {recovery.records_read}, inserted"
            f" {recovery.inserted}, updated {recovery.updated}, unchanged {recovery.unchanged}\n  after it: {rows(final)}"
        )


def test_second_run_on_a_busy_lake_fails_clearly_or_waits_and_loses_nothing(runs, grown_source, caplog):
    root, source, base, expected = grown_source
    holder, lake, log = _start_run(runs, root, source, base, PausePoint.AFTER_ARTICLES_COMMIT, "busy")
    runs.wait_until_stopped(holder, log)
    with pytest.raises(
        LakeBusyError, match=r"is busy: run [0-9a-f-]{36} \(pid \d+ on .*\) is writing to it; gave up after waiting 1 s"
    ):
        article_pipeline(source=str(source), lake=lake, batch_size=BATCH_SIZE, lock_wait_seconds=1)

    def resume_holder_once_the_second_run_waits():
        while not any("is busy" in record.getMessage() for record in caplog.records):
            time.sleep(0.05)
        os.kill(holder, signal.SIGCONT)

    caplog.clear()
    threading.Thread(target=resume_holder_once_the_second_run_waits, daemon=True).start()
    second = article_pipeline(source=str(source), lake=lake, batch_size=BATCH_SIZE, lock_wait_seconds=240)
    assert runs.exit_status(holder) == 0, log.read_text()[-3000:]
    assert second.nothing_new and second.records_read == 0
    assert _content(lake) == expected

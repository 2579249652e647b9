"""`broadsheet run`, in process, against a real Prefect API."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from flows.cli.app import app
from tasks.lake.lock import lake_lock

pytestmark = pytest.mark.slow
runner = CliRunner()


def test_run_prints_summary_then_history_lists_the_commit(tmp_path, seed_path):
    source = tmp_path / "raw"
    source.mkdir()
    shutil.copy(seed_path, source)
    lake = tmp_path / "lake"
    result = runner.invoke(app, ["run", str(source), "--lake", str(lake)])
    assert result.exit_code == 0, result.output
    assert "records read" in result.output and "articles inserted" in result.output
    assert "1 read = 1 inserted + 0 updated + 0 unchanged + 0 superseded + 0 quarantined" in result.output
    assert "data docs" in result.output and (lake / "validation" / "index.html").is_file()
    history = runner.invoke(app, ["history", "--lake", str(lake), "--json"])
    assert history.exit_code == 0
    [commit] = json.loads(history.output)
    assert (commit["version"], commit["records_read"], commit["inserted"]) == (0, 1, 1)


def test_missing_source_is_a_one_line_error(tmp_path):
    result = runner.invoke(app, ["run", str(tmp_path / "nowhere"), "--lake", str(tmp_path / "lake")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: source not found: {tmp_path / 'nowhere'}"]


def test_unsupported_file_is_a_one_line_error_and_creates_no_lake(tmp_path):
    named, lake = tmp_path / "x.csv", tmp_path / "lake"
    named.write_text("a,b\n")
    result = runner.invoke(app, ["run", str(named), "--lake", str(lake)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {named} is not an input broadsheet reads (.txt, .html, .htm, .jsonl, .warc, .arc, optionally .gz)"
    ]
    assert not lake.exists()


def test_unwritable_lake_is_a_one_line_error(tmp_path, seed_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the lake's parent folder should be")
    result = runner.invoke(app, ["run", str(seed_path), "--lake", str(blocker / "lake")])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"error: lake not writable: {blocker / 'lake'}")


def test_summary_names_the_first_skipped_files(tmp_path, seed_path):
    source = tmp_path / "raw"
    source.mkdir()
    shutil.copy(seed_path, source)
    notes = [source / f"note{n}.md" for n in range(7)]
    for note in notes:
        note.write_text("not an article")
    result = runner.invoke(app, ["run", str(source), "--lake", str(tmp_path / "lake")])
    assert result.exit_code == 0, result.output
    named = ", ".join(str(note) for note in notes[:5])
    assert f"files skipped (unknown type): {named} and 2 more" in result.stdout


def test_rerun_says_nothing_new_and_full_refresh_reads_everything_again(tmp_path, seed_path):
    source, lake = tmp_path / "raw", str(tmp_path / "lake")
    source.mkdir()
    shutil.copy(seed_path, source)
    assert runner.invoke(app, ["run", str(source), "--lake", lake]).exit_code == 0

    again = runner.invoke(app, ["run", str(source), "--lake", lake])
    assert again.exit_code == 0, again.output
    # Every input in the ledger with its stamp: said at once, no flow run (no summary table of one).
    assert again.stdout.splitlines() == ["nothing new: all 1 inputs are already in the lake; no commit"]

    os.utime(source / seed_path.name)  # touched, same bytes: the flow runs and the ledger notes the stamp
    touched = runner.invoke(app, ["run", str(source), "--lake", lake])
    assert touched.exit_code == 0, touched.output
    assert "│ records read " in touched.stdout
    assert " ".join(touched.stdout.split()).endswith(  # the console wraps the long line
        "nothing new: all 1 inputs are already in the lake; the inputs ledger notes the new stamps of 1 of them,"
        " no other commit"
    )

    refresh = runner.invoke(app, ["run", str(source), "--lake", lake, "--full-refresh"])
    assert refresh.exit_code == 0, refresh.output
    assert "inputs already in the lake (read again: full refresh)" in refresh.stdout
    assert refresh.stdout.rstrip().endswith("no article changed: the articles table was not committed")


def test_busy_lake_ends_with_a_one_line_error(tmp_path, seed_path):
    lake = str(tmp_path / "lake")
    with lake_lock(lake, "run-in-progress", wait_seconds=0):
        result = runner.invoke(app, ["run", str(seed_path), "--lake", lake, "--lock-wait", "0.2"])
    assert result.exit_code == 2 and result.stdout == ""
    # The wait, then why it ended: no Prefect log of a failed flow run, no traceback.
    waiting, line = result.stderr.strip().splitlines()
    assert waiting.startswith(f"lake {lake} is busy: run run-in-progress (pid ")
    assert waiting.endswith("is writing to it; waiting up to 0.2 s")
    assert line.startswith(f"error: lake {lake} is busy: run run-in-progress (pid ")
    assert line.endswith("is writing to it; gave up after waiting 0.2 s")


@pytest.mark.parametrize("prepare_validation", [False, True])
def test_great_expectations_is_imported_with_the_flow_only_when_asked(prepare_validation):
    # GX takes seconds to import: `broadsheet run` asks for it while a temporary Prefect server
    # starts, when the process would wait anyway; otherwise the first batch imports it.
    check = (
        "import sys; from flows.cli.run import _article_pipeline; "
        f"flow = _article_pipeline(prepare_validation={prepare_validation}); "
        "print(flow.name, 'great_expectations' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["article-pipeline", str(prepare_validation)]


def test_the_temporary_server_starts_before_the_pipeline_is_imported(tmp_path):
    # The server is a run's longest wait at start: the second of imports the command does first
    # (the pipeline's modules, for the checks before the flow) runs while it starts, not before.
    check = (
        "import sys; import flows.cli.run as command; from typer.testing import CliRunner; "
        "from flows.cli.app import app; seen = []; "
        "command.start_server_if_needed = lambda: seen.append('tasks.pipeline' in sys.modules); "
        f"result = CliRunner().invoke(app, ['run', {str(tmp_path / 'missing')!r}, '--lake', {str(tmp_path / 'lake')!r}]); "
        "print(result.exit_code, seen)"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["2", "[False]"]  # a missing source still fails fast

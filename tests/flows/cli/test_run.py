"""The `broadsheet` command line, in process, against a real Prefect API."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from flows.cli import app

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


def test_unwritable_lake_is_a_one_line_error(tmp_path, seed_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the lake's parent folder should be")
    result = runner.invoke(app, ["run", str(seed_path), "--lake", str(blocker / "lake")])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"error: lake not writable: {blocker / 'lake'}")


def test_history_without_a_table_says_so(tmp_path):
    result = runner.invoke(app, ["history", "--lake", str(tmp_path)])
    assert result.exit_code == 2 and "no articles table" in result.output

"""`broadsheet report`, in process, on real Delta tables."""

from pathlib import Path

import pytest
from deltalake import DeltaTable
from typer.testing import CliRunner

from flows.cli.app import app
from tasks.lake.paths import articles_path
from tasks.lake.write import write_articles
from tests.support.factories import article_row, run_info

runner = CliRunner()


@pytest.fixture
def lake(tmp_path):
    """An articles table with two versions."""
    lake = str(tmp_path / "lake")
    for n, ids in enumerate((["a"], ["a", "b"]), start=1):
        write_articles(lake, [article_row(i, language="en") for i in ids], run_info(n), {"records_read": len(ids)})
    return lake


def test_report_writes_the_latest_version_beside_the_tables_and_says_where(lake):
    result = runner.invoke(app, ["report", "--lake", lake])
    assert result.exit_code == 0, result.output
    path = f"{lake}/reports/v1.html"
    assert result.output.startswith("report of articles v1 (") and result.output.strip().endswith(path)
    assert "<h1>Articles table, version 1</h1>" in Path(path).read_text(encoding="utf-8")


def test_report_of_an_older_version_to_a_chosen_file(lake, tmp_path):
    out = tmp_path / "out" / "first.html"
    result = runner.invoke(app, ["report", "--lake", lake, "--version", "0", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "<h1>Articles table, version 0</h1>" in out.read_text(encoding="utf-8")


def test_missing_version_is_a_one_line_error(lake):
    result = runner.invoke(app, ["report", "--lake", lake, "--version", "5"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: no version 5 of the articles table at {lake}/articles (versions 0 to 1)"
    ]


def test_vacuumed_version_is_a_one_line_error_naming_what_is_readable(tmp_path):
    lake = str(tmp_path / "lake")
    write_articles(lake, [article_row("a")], run_info(1), {"records_read": 1})
    write_articles(lake, [article_row("a", text="new text")], run_info(2), {"records_read": 1})
    # Vacuum commits twice (start and end): the latest version is 3.
    DeltaTable(articles_path(lake)).vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
    result = runner.invoke(app, ["report", "--lake", lake, "--version", "0"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: the data files of version 0 of {lake}/articles were deleted by vacuum; "
        "the latest version, 3, is readable"
    ]


def test_missing_table_is_a_one_line_error(tmp_path):
    result = runner.invoke(app, ["report", "--lake", str(tmp_path)])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"error: no articles table at {tmp_path}/articles")


def test_unwritable_destination_is_a_one_line_error(lake, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    result = runner.invoke(app, ["report", "--lake", lake, "--out", str(blocker / "report.html")])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"error: cannot write the report to {blocker / 'report.html'}")

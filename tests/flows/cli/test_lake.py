"""`broadsheet diff / show / restore / export / maintain`, in process, on a real two-version lake."""

import json
import shutil

import duckdb
import pyarrow.compute as pc
import pytest
from deltalake import DeltaTable
from typer.testing import CliRunner

from flows.cli import app
from flows.cli_common import console
from tasks.lake.paths import articles_path
from tasks.lake.versions import open_version, read_version

runner = CliRunner()
LIBRARY_URL = "https://www.rivertonledger.example/2024/05/14/library-extends-weekend-hours/"


@pytest.fixture
def lake(versioned_lake, tmp_path):
    """A copy the test may change."""
    copy = tmp_path / "lake"
    shutil.copytree(versioned_lake, copy)
    return str(copy)


@pytest.fixture
def wide_console(monkeypatch):
    """Room for every column of the history table, as on a wide terminal."""
    monkeypatch.setattr(console, "width", 250)


def _library_id(lake: str) -> str:
    return read_version(open_version(articles_path(lake)), ["id"], pc.field("url") == LIBRARY_URL)["id"][0].as_py()


def _invoke(*args: str, **kwargs):
    return runner.invoke(app, list(args), **kwargs)


def test_show_prints_the_article_as_it_was_at_a_version(versioned_lake):
    library = _library_id(versioned_lake)
    old = _invoke("show", library, "--version", "0", "--lake", versioned_lake)
    assert old.exit_code == 0, old.output
    assert f"article {library} at version 0" in old.output
    assert "rose 18 percent" in old.output and "rose 21 percent" not in old.output
    new = _invoke("show", library[:8], "--lake", versioned_lake, "--json")
    article = json.loads(new.output)
    assert (article["table_version"], article["id"], article["run_id"]) == (1, library, "run-2")
    assert "rose 21 percent" in article["text"]


def test_show_of_an_unknown_id_or_version_is_a_one_line_error(versioned_lake):
    missing = _invoke("show", "0000", "--lake", versioned_lake)
    assert (missing.exit_code, missing.output.strip()) == (
        2,
        f"error: no article 0000 in version 1 of {articles_path(versioned_lake)}",
    )
    beyond = _invoke("show", "0000", "--version", "9", "--lake", versioned_lake)
    assert beyond.exit_code == 2 and "has no version 9 (versions run from 0 to 1)" in beyond.output


def test_diff_summarises_counts_and_lists_examples(versioned_lake):
    result = _invoke("diff", "0", "1", "--lake", versioned_lake)
    assert result.exit_code == 0, result.output
    assert "articles, version 0 -> 1: 1 added, 1 updated, 0 removed, 4 unchanged" in result.output
    assert "changed columns: content_hash (1), source_sha256 (1), text (1)" in result.output
    assert _library_id(versioned_lake) in result.output and "Ferry Service Resumes" in result.output


def test_diff_json_honours_the_limit(versioned_lake):
    result = _invoke("diff", "1", "0", "--lake", versioned_lake, "--json", "--limit", "1")
    change = json.loads(result.output)
    assert (change["added"], change["updated"], change["removed"]) == (0, 1, 1)
    assert [e["headline"] for e in change["examples"]["removed"]] == ["Ferry Service Resumes After Winter Pause"]
    assert change["examples"]["updated"][0]["columns"] == ["text", "content_hash", "source_sha256"]


def test_restore_asks_first_and_changes_nothing_when_declined(lake):
    result = _invoke("restore", "0", "--lake", lake, input="n\n")
    assert result.exit_code == 1
    assert "brings back 0 articles, removes 1 and reverts 1; it commits version 2" in result.output
    assert DeltaTable(articles_path(lake)).version() == 1


def test_restore_with_yes_commits_the_old_version_as_new(lake, wide_console):
    result = _invoke("restore", "0", "--lake", lake, "--yes")
    assert result.exit_code == 0, result.output
    assert "restored version 0 as version 2" in result.output
    shown = json.loads(_invoke("show", _library_id(lake), "--lake", lake, "--json").output)
    assert shown["table_version"] == 2 and "rose 18 percent" in shown["text"]
    [restore, *_] = json.loads(_invoke("history", "--lake", lake, "--json").output)
    assert (restore["operation"], restore["restored_version"]) == ("RESTORE", 0)
    assert "RESTORE to 0" in _invoke("history", "--lake", lake).output


def test_export_writes_a_snapshot_duckdb_reads(versioned_lake, tmp_path):
    dest = tmp_path / "export"
    result = _invoke("export", str(dest), "--version", "0", "--lake", versioned_lake, "--format", "parquet")
    assert result.exit_code == 0, result.output
    assert "exported articles version 0 (parquet): 5 rows in 1 files" in result.output
    [(rows, text)] = duckdb.sql(
        f"SELECT count(*) OVER (), text FROM read_parquet('{dest}/*.parquet') WHERE url = '{LIBRARY_URL}'"
    ).fetchall()
    assert rows == 1 and "rose 18 percent" in text
    again = _invoke("export", str(dest), "--lake", versioned_lake)
    assert again.exit_code == 2 and "holds an earlier export" in again.output


def test_history_shows_run_ids_and_counts_including_duplicates(versioned_lake, wide_console):
    result = _invoke("history", "--lake", versioned_lake)
    assert result.exit_code == 0
    assert "duplicates" in result.output and "run-1" in result.output and "run-2" in result.output


@pytest.mark.slow
def test_maintain_runs_the_flow_and_reports_files_before_and_after(lake):
    result = _invoke("maintain", "--lake", lake)
    assert result.exit_code == 0, result.output
    [articles_row] = [line for line in result.output.splitlines() if "│ articles" in line]
    live_before = len(DeltaTable(articles_path(lake), version=1).file_uris())
    partitions = len(DeltaTable(articles_path(lake)).file_uris())
    assert f"{live_before} -> {partitions}" in articles_row
    assert "repartition" not in result.output


def test_maintain_without_a_lake_is_a_one_line_error(tmp_path):
    result = _invoke("maintain", "--lake", str(tmp_path))
    assert result.exit_code == 2 and result.output.startswith("error: no articles table at")


@pytest.mark.slow
def test_maintain_names_an_old_layout_and_repartition_migrates_it(versioned_lake, tmp_path, wide_console):
    from deltalake import write_deltalake

    lake = str(tmp_path / "lake")
    old = DeltaTable(articles_path(versioned_lake)).to_pyarrow_table().drop_columns(["published_month"])
    write_deltalake(articles_path(lake), old)  # unpartitioned, as tables were before partitioning
    hinted = _invoke("maintain", "--lake", lake)
    assert hinted.exit_code == 0 and "`broadsheet maintain --repartition` migrates it" in hinted.output
    migrated = _invoke("maintain", "--lake", lake, "--repartition")
    assert migrated.exit_code == 0 and "repartition" not in migrated.output
    assert DeltaTable(articles_path(lake)).metadata().partition_columns == ["published_month"]

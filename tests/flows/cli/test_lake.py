"""`broadsheet history / diff / show / restore / export`, in process, on a real two-version lake."""

import json
import re
import shutil

import duckdb
import pyarrow.compute as pc
import pytest
from deltalake import DeltaTable
from typer.testing import CliRunner

from flows.cli.app import app
from flows.cli.options import console
from tasks.lake.paths import articles_path
from tasks.lake.versions import open_version, read_version
from tests.support.factories import export_article, write_jsonl

runner = CliRunner()
LIBRARY_URL = "https://www.rivertonledger.example/2024/05/14/library-extends-weekend-hours/"


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


def test_restore_asks_first_and_changes_nothing_when_declined(lake_copy):
    result = _invoke("restore", "0", "--lake", lake_copy, input="n\n")
    assert result.exit_code == 1
    assert "brings back 0 articles, removes 1 and reverts 1; it commits version 2" in result.output
    assert DeltaTable(articles_path(lake_copy)).version() == 1


def test_restore_with_yes_commits_the_old_version_as_new(lake_copy, wide_console):
    result = _invoke("restore", "0", "--lake", lake_copy, "--yes")
    assert result.exit_code == 0, result.output
    assert "restored version 0 as version 2" in result.output
    shown = json.loads(_invoke("show", _library_id(lake_copy), "--lake", lake_copy, "--json").output)
    assert shown["table_version"] == 2 and "rose 18 percent" in shown["text"]
    [restore, *_] = json.loads(_invoke("history", "--lake", lake_copy, "--json").output)
    assert (restore["operation"], restore["restored_version"]) == ("RESTORE", 0)
    assert "RESTORE to 0" in _invoke("history", "--lake", lake_copy).output


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


def test_history_without_a_table_says_so(tmp_path):
    result = _invoke("history", "--lake", str(tmp_path))
    assert result.exit_code == 2 and "no articles table" in result.output


@pytest.mark.slow
def test_the_run_after_a_restore_writes_the_articles_it_took_away_back(tmp_path, seed_path, wide_console):
    source, lake = tmp_path / "raw", str(tmp_path / "lake")
    source.mkdir()
    shutil.copy(seed_path, source)
    assert _invoke("run", str(source), "--lake", lake).exit_code == 0
    write_jsonl(source / "monday.jsonl", export_article("flood", "The river rose overnight."))
    assert _invoke("run", str(source), "--lake", lake).exit_code == 0

    restored = _invoke("restore", "0", "--lake", lake, "--yes")
    assert restored.exit_code == 0, restored.output
    assert "the inputs ledger no longer lists the 1 input(s) of the articles removed or reverted" in restored.output
    again = _invoke("run", str(source), "--lake", lake)
    assert again.exit_code == 0, again.output
    assert "1 read = 1 inserted" in again.output
    assert DeltaTable(articles_path(lake)).to_pyarrow_table().num_rows == 2


def test_history_stays_whole_at_80_columns(versioned_lake, monkeypatch):
    monkeypatch.setattr(console, "width", 80)
    result = _invoke("history", "--lake", versioned_lake)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(map(len, lines)) <= 80 and "…" not in result.output
    for version, run in ((1, "run-2"), (0, "run-1")):
        [row] = [line for line in lines if re.match(rf"│ +{version} │ \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d │", line)]
        assert run in row
    assert {"manual", "1 inserted", "1 updated", "4 unchanged", "0 duplicates"} <= {
        cell.strip() for line in lines for cell in line.split("│")
    }

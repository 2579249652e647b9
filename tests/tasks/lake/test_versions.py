import shutil

import pyarrow.compute as pc
import pytest
from deltalake import DeltaTable

from tasks.lake.paths import articles_path
from tasks.lake.versions import (
    AmbiguousIdError,
    TableNotFoundError,
    VersionUnavailableError,
    article_at,
    diff_versions,
    open_version,
    read_version,
    restore_version,
)

LIBRARY_URL = "https://www.rivertonledger.example/2024/05/14/library-extends-weekend-hours/"


def _library_id(path: str) -> str:
    [row] = read_version(open_version(path), ["id"], pc.field("url") == LIBRARY_URL).to_pylist()
    return row["id"]


def test_updated_article_keeps_its_old_text_at_the_earlier_version(versioned_lake):
    path = articles_path(versioned_lake)
    library = _library_id(path)
    before, after = article_at(open_version(path, 0), library), article_at(open_version(path), library)
    assert "rose 18 percent" in before["text"] and "rose 21 percent" in after["text"]
    assert (before["run_id"], after["run_id"]) == ("run-1", "run-2")
    assert before["url"] == after["url"]


def test_article_found_by_unique_id_prefix(versioned_lake):
    table = open_version(articles_path(versioned_lake))
    library = _library_id(articles_path(versioned_lake))
    assert article_at(table, library[:10])["id"] == library
    assert article_at(table, "not-an-id") is None


def test_ambiguous_prefix_lists_the_matches(versioned_lake):
    with pytest.raises(AmbiguousIdError, match="articles have ids starting with ''"):
        article_at(open_version(articles_path(versioned_lake)), "")


def test_diff_names_added_and_updated_articles_with_changed_columns(versioned_lake):
    path = articles_path(versioned_lake)
    change = diff_versions(path, 0, 1)
    assert (change.old_version, change.new_version) == (0, 1)
    assert (change.added, change.updated, change.removed, change.unchanged) == (1, 1, 0, 4)
    [added] = change.examples["added"]
    assert added.headline == "Ferry Service Resumes After Winter Pause"
    [updated] = change.examples["updated"]
    assert updated.id == _library_id(path)
    assert updated.columns == ("text", "content_hash", "source_sha256")  # run columns are not content
    assert change.changed_columns == {"content_hash": 1, "source_sha256": 1, "text": 1}


def test_diff_backwards_reports_removed_articles(versioned_lake):
    change = diff_versions(articles_path(versioned_lake), 1, 0)
    assert (change.added, change.updated, change.removed) == (0, 1, 1)
    assert [r.headline for r in change.examples["removed"]] == ["Ferry Service Resumes After Winter Pause"]


def test_diff_limit_caps_examples_not_counts(versioned_lake):
    change = diff_versions(articles_path(versioned_lake), 0, 1, limit=0)
    assert (change.added, change.updated) == (1, 1)
    assert change.examples == {"added": [], "updated": [], "removed": []}
    assert change.changed_columns["text"] == 1  # counted over every update, shown or not


def test_missing_version_says_which_exist(versioned_lake):
    with pytest.raises(VersionUnavailableError, match="has no version 7 \\(versions run from 0 to 1\\)"):
        open_version(articles_path(versioned_lake), 7)


def test_missing_table_is_its_own_error(tmp_path):
    with pytest.raises(TableNotFoundError, match="no table at"):
        open_version(str(tmp_path / "articles"))


def test_restore_commits_a_new_version_and_keeps_history(versioned_lake, tmp_path):
    lake = tmp_path / "lake"
    shutil.copytree(versioned_lake, lake)
    path = articles_path(str(lake))
    done = restore_version(path, 0, {"deployment": "manual"})
    assert (done.restored_version, done.previous_version, done.version) == (0, 1, 2)
    assert diff_versions(path, 0, 2).updated + diff_versions(path, 0, 2).added == 0
    [latest, *_] = DeltaTable(path).history()
    assert (latest["operation"], latest["restored_version"], latest["deployment"]) == ("RESTORE", 0, "manual")
    assert diff_versions(path, 1, 2).removed == 1  # version 1 is still there to compare with


def test_restore_of_the_latest_version_commits_nothing(versioned_lake):
    path = articles_path(versioned_lake)
    assert restore_version(path, 1, {}).version == 1
    assert DeltaTable(path).version() == 1

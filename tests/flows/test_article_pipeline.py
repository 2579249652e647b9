"""The whole flow on real files, into real Delta tables, under a real Prefect API."""

import json
import shutil
from datetime import UTC, datetime

import pytest
from deltalake import DeltaTable

from flows.article_pipeline import article_pipeline
from tasks.lake import articles_path, quarantine_path

pytestmark = pytest.mark.slow


def _articles(lake, version=None):
    return DeltaTable(articles_path(str(lake)), version=version).to_pyarrow_table().to_pylist()


@pytest.fixture(scope="module")
def sample_lake(tmp_path_factory, raw_dir):
    """data/raw as shipped, run once into a fresh lake."""
    lake = tmp_path_factory.mktemp("lake")
    state = article_pipeline(source=str(raw_dir), lake=str(lake), batch_size=2, return_state=True)
    assert state.is_completed()
    return lake, state.result()


def test_seed_article_comes_out_right(sample_lake, seed_path):
    lake, _ = sample_lake
    [seed] = [a for a in _articles(lake) if a["source_uri"] == str(seed_path)]
    assert seed["headline"] == "Chinese Officials Withdraw from the CCP"
    assert seed["date_published"] == datetime(2007, 9, 17, tzinfo=UTC)
    assert seed["date_modified"] == datetime(2007, 9, 17, tzinfo=UTC)
    assert seed["language"] == "en"
    assert seed["headings"] == [
        "“610 Office” Staff Members Quit the CCP",
        "Deputy Secretary of Political-Legal Committee Renounce the CCP",
        "Party Secretaries Withdraw from the CCP",
        "Officials of Various Ranking Resign from the CCP",
    ]
    speakers = [q["speaker"] for q in seed["quotes"]]
    for name in ("Ma Wen", "Wang Changxing", "Zheng Xianggui", "Zhao Defa", "Ma Shitu", "Wang San", "Zhao Minghui"):
        assert name in speakers
    assert all(q["text"] != "610 Office" for q in seed["quotes"])
    assert seed["text"].startswith("Since their publication")
    assert "( " not in seed["text"] and "website formally declaring" in seed["text"]
    assert seed["source_format"] == "txt" and seed["source_record"] == 0
    assert len(seed["content_hash"]) == 64 and seed["duplicate_of"] is None


def test_every_record_is_accounted_for(sample_lake):
    lake, summary = sample_lake
    articles = _articles(lake)
    quarantine = DeltaTable(quarantine_path(str(lake))).to_pyarrow_table().to_pylist()
    assert summary.records_read == len(articles) + len(quarantine)
    assert summary.inserted == len(articles) and summary.quarantined_records == len(quarantine)
    assert sorted(tuple(q["reasons"]) for q in quarantine) == [("invalid_json",), ("missing_field:url",)]
    assert all(q["raw"] for q in quarantine)


def test_jsonl_fields_fill_the_article(sample_lake):
    lake, _ = sample_lake
    [library] = [a for a in _articles(lake) if a["url"] and "library" in a["url"]]
    assert library["headline"] == "Riverton Library Extends Weekend Hours After Record Spring Attendance"
    assert library["authors"] == ["Priya Natarajan"]
    assert library["date_published"] == datetime(2024, 5, 14, 13, 30, tzinfo=UTC)
    assert library["source_domain"] == "rivertonledger.example"
    assert library["source_record"] == 0
    assert {"text": "We kept seeing families waiting at the door on Sunday mornings", "speaker": "Helen Okafor"} in library["quotes"]


def test_commit_metadata_carries_run_and_counts(sample_lake):
    lake, summary = sample_lake
    [commit] = DeltaTable(articles_path(str(lake))).history()
    assert commit["run_id"] == summary.run_id and commit["deployment"] == "manual"
    assert commit["records_read"] == summary.records_read and commit["inserted"] == summary.inserted
    assert json.loads(commit["sources"])[0].endswith("data/raw")


def test_second_run_adds_nothing_and_commits_nothing(tmp_path, seed_path):
    source = tmp_path / "raw"
    source.mkdir()
    shutil.copy(seed_path, source)
    lake = tmp_path / "lake"
    first = article_pipeline(source=str(source), lake=str(lake))
    second = article_pipeline(source=str(source), lake=str(lake))
    refresh = article_pipeline(source=str(source), lake=str(lake), full_refresh=True)
    assert (first.inserted, second.records_read, second.inserted, second.nothing_new) == (1, 0, 0, True)
    assert (refresh.records_read, refresh.inserted, refresh.updated, refresh.unchanged) == (1, 0, 0, 1)
    assert refresh.articles_version == second.articles_version == first.articles_version == 0
    assert len(DeltaTable(articles_path(str(lake))).history()) == 1


def test_identical_text_in_two_inputs_keeps_both_and_marks_the_later(tmp_path, seed_path):
    source = tmp_path / "raw"
    source.mkdir()
    shutil.copy(seed_path, source / "a.txt")
    shutil.copy(seed_path, source / "b.txt")
    summary = article_pipeline(source=str(source), lake=str(tmp_path / "lake"))
    rows = sorted(_articles(tmp_path / "lake"), key=lambda a: a["source_uri"])
    assert summary.duplicates == 1 and len(rows) == 2
    assert (rows[0]["duplicate_of"], rows[1]["duplicate_of"]) == (None, rows[0]["id"])


def test_same_url_with_changed_text_updates_the_row(tmp_path):
    source = tmp_path / "raw"
    source.mkdir()
    export = source / "export.jsonl"
    url = "https://news.example.com/2024/flood"
    export.write_text(json.dumps({"url": url, "title": "Flood", "text": "The river rose overnight."}) + "\n")
    lake = tmp_path / "lake"
    article_pipeline(source=str(source), lake=str(lake))
    export.write_text(json.dumps({"url": url, "title": "Flood", "text": "The river rose overnight and fell by noon."}) + "\n")
    summary = article_pipeline(source=str(source), lake=str(lake))
    assert (summary.inserted, summary.updated) == (0, 1)
    assert [a["text"] for a in _articles(lake)] == ["The river rose overnight and fell by noon."]
    assert [a["text"] for a in _articles(lake, version=0)] == ["The river rose overnight."]


def test_readme_readers_see_the_same_rows(sample_lake):
    lake, summary = sample_lake
    import polars as pl

    path = articles_path(str(lake))
    articles = DeltaTable(path).to_pandas()
    first = DeltaTable(path, version=0).to_pyarrow_table()
    frame = pl.read_delta(path)
    assert len(articles) == first.num_rows == frame.height == summary.inserted
    assert sorted(frame["id"].to_list()) == sorted(articles["id"])

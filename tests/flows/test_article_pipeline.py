"""The whole flow on real files, into real Delta tables, under a real Prefect API."""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from deltalake import DeltaTable

from flows.article_pipeline import article_pipeline
from tasks.lake.paths import articles_path, quarantine_path, signatures_path
from tests.support.factories import export_article, write_jsonl

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
    assert (seed["word_count"], seed["sentence_count"], seed["reading_time_minutes"]) == (1098, 60, pytest.approx(4.8))
    assert seed["keywords_source"] == "extracted" and seed["keywords"][:3] == [
        "Falun Gong",
        "Chinese Communist Party",
        "CCP",
    ]
    assert seed["flesch_reading_ease"] is not None and seed["quality_warnings"] == []


def test_page_tags_are_the_keywords_and_extracted_ones_sit_beside_them(sample_lake):
    lake, _ = sample_lake
    [page] = [a for a in _articles(lake) if a["source_uri"].endswith("news_with_jsonld.html")]
    assert (page["keywords"], page["keywords_source"]) == (["flooding", "city council", "Mill Creek"], "page")
    assert "Mill Creek" in page["extracted_keywords"] and page["language_matches_declared"] is True


def test_every_article_has_a_stored_signature(sample_lake):
    lake, _ = sample_lake
    signatures = DeltaTable(signatures_path(str(lake))).to_pyarrow_table()
    assert sorted(signatures["id"].to_pylist()) == sorted(a["id"] for a in _articles(lake))


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
    assert {
        "text": "We kept seeing families waiting at the door on Sunday mornings",
        "speaker": "Helen Okafor",
    } in library["quotes"]


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
    assert rows[1]["duplicate_similarity"] == 1.0


def test_near_duplicate_in_a_later_run_points_at_the_earlier_article(tmp_path, seed_path):
    source = tmp_path / "raw"
    source.mkdir()
    shutil.copy(seed_path, source / "a.txt")
    lake = tmp_path / "lake"
    article_pipeline(source=str(source), lake=str(lake))
    text = seed_path.read_text(encoding="utf-8")
    (source / "b.txt").write_text(text + "\n\nFollow us on Facebook for more news.\n", encoding="utf-8")
    summary = article_pipeline(source=str(source), lake=str(lake))
    rows = {a["source_uri"].rsplit("/", 1)[1]: a for a in _articles(lake)}
    assert (summary.inserted, summary.duplicates) == (1, 1)
    assert rows["b.txt"]["duplicate_of"] == rows["a.txt"]["id"] and 0.8 <= rows["b.txt"]["duplicate_similarity"] < 1.0


def test_same_url_with_changed_text_updates_the_row(tmp_path):
    source = tmp_path / "raw"
    source.mkdir()
    export = source / "export.jsonl"
    write_jsonl(export, export_article("flood", "The river rose overnight."))
    lake = tmp_path / "lake"
    article_pipeline(source=str(source), lake=str(lake))
    write_jsonl(export, export_article("flood", "The river rose overnight and fell by noon."))
    summary = article_pipeline(source=str(source), lake=str(lake))
    assert (summary.inserted, summary.updated) == (0, 1)
    assert [a["text"] for a in _articles(lake)] == ["The river rose overnight and fell by noon."]
    assert [a["text"] for a in _articles(lake, version=0)] == ["The river rose overnight."]


def test_run_writes_the_dataset_report_and_links_it(sample_lake):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    lake, summary = sample_lake
    assert summary.report == f"{lake}/reports/v0.html"
    assert "<h1>Articles table, version 0</h1>" in Path(summary.report).read_text(encoding="utf-8")
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[summary.run_id]))
        )
    by_key = {artifact.key: artifact for artifact in artifacts}
    assert by_key["dataset-report"].data == f"[articles v0 report]({Path(summary.report).as_uri()})"
    assert f"| dataset report | {summary.report} |" in by_key["run-summary"].data


def test_readme_readers_see_the_same_rows(sample_lake):
    lake, summary = sample_lake
    import polars as pl

    path = articles_path(str(lake))
    articles = DeltaTable(path).to_pandas()
    first = DeltaTable(path, version=0).to_pyarrow_table()
    frame = pl.read_delta(path)
    assert len(articles) == first.num_rows == frame.height == summary.inserted
    assert sorted(frame["id"].to_list()) == sorted(articles["id"])


def test_warc_crawl_flows_into_the_lake_with_crawl_dates_and_its_corrupt_record_quarantined(tmp_path):
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    starts = []
    for slug in ("ferry", "bridge", "tunnel"):
        starts.append(buffer.tell())
        body = (
            f"<html lang='en'><head><title>The {slug} opens</title></head><body><article><h1>The {slug} opens</h1>"
            f"<p>The new {slug} opened to traffic on Monday after three years of work, the city said, and the first"
            f" commuters crossed it before dawn.</p></article></body></html>"
        ).encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                f"https://news.example/{slug}",
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-03-05T06:07:08Z"},
            )
        )
    data = bytearray(buffer.getvalue())
    data[starts[1] + 10 : starts[1] + 30] = b"\x00" * 20  # the bridge record's gzip member is corrupt
    source = tmp_path / "crawl" / "CC-NEWS-20240305.warc.gz"
    source.parent.mkdir()
    source.write_bytes(bytes(data))

    summary = article_pipeline(source=str(source.parent), lake=str(tmp_path / "lake"))

    assert (summary.records_read, summary.inserted, summary.quarantined) == (3, 2, {"corrupt_warc": 1})
    articles = sorted(_articles(tmp_path / "lake"), key=lambda a: a["source_record"])
    assert [(a["url"], a["source_record"], a["source_format"]) for a in articles] == [
        ("https://news.example/ferry", 0, "warc"),
        ("https://news.example/tunnel", 2, "warc"),
    ]
    assert {a["date_crawled"] for a in articles} == {datetime(2024, 3, 5, 6, 7, 8, tzinfo=UTC)}
    assert {a["language_matches_declared"] for a in articles} == {True}


def test_run_writes_data_docs_and_links_them_from_prefect(sample_lake):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey, FlowRunFilter, FlowRunFilterId

    lake, summary = sample_lake
    assert summary.data_docs == str(lake / "validation" / "index.html")
    index = (lake / "validation" / "index.html").read_text(encoding="utf-8")
    assert summary.run_id in index  # the index's table data names the run
    with get_client(sync_client=True) as client:
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["data-docs"])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[summary.run_id])),
        )
    assert artifact.type == "markdown" and (lake / "validation" / "index.html").as_uri() in artifact.data

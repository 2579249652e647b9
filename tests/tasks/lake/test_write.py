from datetime import UTC, datetime

import pyarrow.compute as pc
from deltalake import DeltaTable

from schemas.reasons import Reason, Stage
from schemas.tables import ARTICLES_SCHEMA, QUARANTINE_SCHEMA
from tasks.lake.paths import articles_path, quarantine_path
from tasks.lake.write import quarantine_id, write_articles, write_quarantine
from tasks.records import Rejection
from tests.support.factories import article_row, run_info


def _rejection(record: int, reason: Reason = Reason.INVALID_JSON, raw: bytes = b"{bad") -> Rejection:
    return Rejection("/in/e.jsonl", record, "jsonl", Stage.INGEST, (str(reason),), "broken line", raw)


def test_insert_then_rerun_commits_nothing(tmp_path):
    lake = str(tmp_path)
    first = write_articles(lake, [article_row("a", "one"), article_row("b", "two")], run_info(1), {"records_read": 2})
    assert (first.inserted, first.updated, first.unchanged, first.version) == (2, 0, 0, 0)
    again = write_articles(lake, [article_row("a", "one"), article_row("b", "two")], run_info(2), {"records_read": 2})
    assert (again.inserted, again.updated, again.unchanged, again.version) == (0, 0, 2, 0)
    assert DeltaTable(articles_path(lake)).schema().to_arrow() is not None


def test_changed_text_updates_in_place_and_old_text_stays_reachable(tmp_path):
    lake = str(tmp_path)
    write_articles(lake, [article_row("a", "old text")], run_info(1), {})
    result = write_articles(lake, [article_row("a", "new text"), article_row("c", "three")], run_info(2), {})
    assert (result.inserted, result.updated, result.unchanged, result.version) == (1, 1, 0, 1)
    now = DeltaTable(articles_path(lake)).to_pyarrow_table().sort_by("id")
    assert now["text"].to_pylist() == ["new text", "three"]
    assert now["run_id"].to_pylist() == ["run-2", "run-2"]
    before = DeltaTable(articles_path(lake), version=0).to_pyarrow_table()
    assert before["text"].to_pylist() == ["old text"]


def test_rows_merged_before_are_compared_and_updated_again(tmp_path):
    lake = str(tmp_path)
    write_articles(lake, [article_row("a", "one"), article_row("b", "two")], run_info(1), {})
    write_articles(lake, [article_row("a", "one, revised")], run_info(2), {})  # a merge rewrites the file
    third = write_articles(lake, [article_row("a", "one, revised twice"), article_row("b", "two")], run_info(3), {})
    assert (third.inserted, third.updated, third.unchanged, third.version) == (0, 1, 1, 2)


def test_retried_write_reports_the_commit_it_already_made(tmp_path):
    lake = str(tmp_path)
    first = write_articles(lake, [article_row("a", "one")], run_info(1), {})
    retried = write_articles(lake, [article_row("a", "one"), article_row("b", "two")], run_info(1), {})
    assert retried == first and (first.inserted, first.version) == (1, 0)
    rejected = write_quarantine(lake, [_rejection(0)], [], run_info(1), {})
    assert write_quarantine(lake, [_rejection(0), _rejection(1)], [], run_info(1), {}) == rejected


def test_commit_metadata_names_run_and_counts(tmp_path):
    lake = str(tmp_path)
    write_articles(lake, [article_row("a", "one")], run_info(1), {"records_read": 3, "schema_version": "1"})
    [commit] = DeltaTable(articles_path(lake)).history()
    assert commit["run_id"] == "run-1" and commit["deployment"] == "manual"
    assert commit["pipeline_version"] == "0.1.0" and commit["schema_version"] == "1"
    assert (commit["records_read"], commit["inserted"], commit["updated"], commit["unchanged"]) == (3, 1, 0, 0)


def test_table_schema_is_the_arrow_contract(tmp_path):
    write_articles(str(tmp_path), [article_row("a", "one")], run_info(1), {})
    stored = DeltaTable(articles_path(str(tmp_path))).to_pyarrow_table().schema
    assert stored.names == ARTICLES_SCHEMA.names
    assert str(stored.field("date_published").type) == "timestamp[us, tz=UTC]"


def test_quarantine_upsert_is_idempotent_and_releases_fixed_records(tmp_path):
    lake = str(tmp_path)
    first = write_quarantine(lake, [_rejection(0), _rejection(1)], [], run_info(1), {})
    assert (first.added, first.released, first.version) == (2, 0, 0)
    same = write_quarantine(lake, [_rejection(0), _rejection(1)], [], run_info(2), {})
    assert (same.added, same.released, same.version) == (0, 0, 0)
    fixed = write_quarantine(lake, [_rejection(0)], [quarantine_id("/in/e.jsonl", 1)], run_info(3), {})
    assert (fixed.added, fixed.released, fixed.version) == (0, 1, 1)
    rows = DeltaTable(quarantine_path(lake)).to_pyarrow_table()
    assert rows["source_record"].to_pylist() == [0]
    assert rows.schema.names == QUARANTINE_SCHEMA.names
    worse = write_quarantine(lake, [_rejection(0, raw=b"{worse")], [], run_info(4), {})
    assert (worse.added, worse.released, worse.version) == (1, 0, 2)


def test_quarantine_caps_raw_bytes(tmp_path):
    from tasks.config import Limits

    write_quarantine(str(tmp_path), [_rejection(0, raw=b"x" * 100)], [], run_info(1), {}, Limits(raw_cap_bytes=10))
    [row] = DeltaTable(quarantine_path(str(tmp_path))).to_pyarrow_table().to_pylist()
    assert (row["raw"], row["raw_truncated"], row["reasons"]) == (b"x" * 10, True, ["invalid_json"])


def test_rows_kept_by_an_update_stay_filterable_by_pyarrow(tmp_path):
    # delta-rs merges rewrote kept rows as string_view, which pyarrow cannot filter: the third run crashed
    lake = str(tmp_path)
    write_articles(lake, [article_row("a", "one"), article_row("b", "two")], run_info(1), {})
    write_articles(lake, [article_row("a", "one, corrected")], run_info(2), {})
    third = write_articles(lake, [article_row("a", "one, corrected again"), article_row("b", "two")], run_info(3), {})
    assert (third.inserted, third.updated, third.unchanged, third.version) == (0, 1, 1, 2)
    dataset = DeltaTable(articles_path(lake)).to_pyarrow_dataset()
    assert dataset.to_table(filter=pc.field("id") == "b")["text"].to_pylist() == ["two"]


def test_articles_are_partitioned_by_publication_month_with_a_null_bucket(tmp_path):
    lake = str(tmp_path)
    september = datetime(2007, 9, 30, 23, 30, tzinfo=UTC)
    write_articles(lake, [article_row("a", "one", date_published=september), article_row("b", "two")], run_info(1), {})
    table = DeltaTable(articles_path(lake))
    assert table.metadata().partition_columns == ["published_month"]
    months = {r["id"]: r["published_month"] for r in table.to_pyarrow_table().to_pylist()}
    assert months == {"a": "2007-09", "b": None}
    moved = write_articles(
        lake, [article_row("a", "one", date_published=datetime(2008, 1, 2, tzinfo=UTC))], run_info(2), {}
    )
    assert moved.updated == 1
    rows = DeltaTable(articles_path(lake)).to_pyarrow_table().to_pylist()
    assert sorted((r["id"], r["published_month"]) for r in rows) == [("a", "2008-01"), ("b", None)]

"""Listing quarantine and replaying its records through the pipeline (plain Python, real Delta tables)."""

from deltalake import DeltaTable

from tasks.config import LIMITS, Limits
from tasks.ingest.files import discover_inputs, read_records
from tasks.lake.paths import articles_path, quarantine_path
from tasks.lake.write import write_quarantine
from tasks.pipeline import commit_run
from tasks.quarantine_replay import QuarantineReplay, list_quarantine
from tasks.records import Rejection
from tests.support.factories import export_article, run_info, write_jsonl
from tests.support.pipeline import stage_batches

LINES = [
    export_article("a", "The council met on Monday."),
    '{"url": "https://news.example.com/b", "text": "cut off',
    {"title": "No url", "text": "A body without an address."},
]


def _ingest_into_quarantine(folder, lake, limits: Limits) -> None:
    """Quarantine what ingest (with `limits`) rejects in `folder`, as a run would."""
    rejections = [
        r
        for item in discover_inputs([str(folder)]).inputs
        for r in read_records(item, limits)
        if isinstance(r, Rejection)
    ]
    write_quarantine(str(lake), rejections, [], run_info(1), {}, limits)


def _replay(lake, reason=None, limits=LIMITS):
    replay = QuarantineReplay(str(lake), reason, limits)
    totals = stage_batches(str(lake), run_info(2).run_id, replay.batches(batch_size=2))
    return replay, commit_run(str(lake), totals, run_info(2), ["quarantine"], [])


def test_listing_filters_by_reason_and_leaves_out_raw(tmp_path):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "export.jsonl", *LINES)
    _ingest_into_quarantine(tmp_path / "in", tmp_path / "lake", Limits())
    assert list_quarantine(str(tmp_path / "nowhere")) == []
    rows = list_quarantine(str(tmp_path / "lake"))
    assert [(r["source_record"], r["reasons"]) for r in rows] == [(1, ["invalid_json"]), (2, ["missing_field:url"])]
    assert "raw" not in rows[0] and rows[0]["stage"] == "ingest" and rows[0]["raw_truncated"] is False
    assert [r["source_record"] for r in list_quarantine(str(tmp_path / "lake"), "missing_field:url")] == [2]


def test_record_that_still_fails_stays_untouched(tmp_path):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "export.jsonl", *LINES)
    _ingest_into_quarantine(tmp_path / "in", tmp_path / "lake", Limits())
    before = DeltaTable(quarantine_path(str(tmp_path / "lake"))).version()
    replay, summary = _replay(tmp_path / "lake")  # rebuilt from the stored bytes: the same verdicts
    assert (summary.records_read, summary.quarantined_records, summary.inserted) == (2, 2, 0)
    assert summary.quarantined == {"invalid_json": 1, "missing_field:url": 1} and not replay.unreplayable
    assert DeltaTable(quarantine_path(str(tmp_path / "lake"))).version() == before  # nothing changed, nothing written


def test_raised_limit_lets_a_too_large_record_through_and_out_of_quarantine(tmp_path):
    (tmp_path / "in").mkdir()
    page = tmp_path / "in" / "long.txt"
    page.write_text("Council Approves Budget\n\n" + "The council approved the budget on Monday. " * 200)
    small = Limits(max_document_bytes=1000, raw_cap_bytes=100)
    _ingest_into_quarantine(tmp_path / "in", tmp_path / "lake", small)
    [row] = list_quarantine(str(tmp_path / "lake"))
    assert (row["reasons"], row["raw_truncated"]) == (["too_large"], True)

    _, summary = _replay(tmp_path / "lake", "too_large")  # default limits: re-read from the input
    assert (summary.records_read, summary.inserted, summary.quarantined_records) == (1, 1, 0)
    assert list_quarantine(str(tmp_path / "lake")) == []
    [article] = DeltaTable(articles_path(str(tmp_path / "lake"))).to_pyarrow_table().to_pylist()
    assert article["source_uri"] == str(page) and article["headline"] == "Council Approves Budget"


def test_cut_raw_whose_input_is_gone_is_left_in_quarantine(tmp_path):
    (tmp_path / "in").mkdir()
    page = tmp_path / "in" / "long.txt"
    page.write_bytes(b"x" * 2000)
    _ingest_into_quarantine(tmp_path / "in", tmp_path / "lake", Limits(max_document_bytes=1000, raw_cap_bytes=100))
    page.unlink()
    replay, summary = _replay(tmp_path / "lake")
    assert summary.records_read == 0 and [(u.source_uri, u.source_record) for u in replay.unreplayable] == [
        (str(page), 0)
    ]
    assert "cut at the raw cap" in replay.unreplayable[0].why and "cannot be read again" in replay.unreplayable[0].why
    [row] = DeltaTable(quarantine_path(str(tmp_path / "lake"))).to_pyarrow_table().to_pylist()
    assert row["raw"] == b"x" * 100 and row["reasons"] == ["too_large"]  # what was kept is kept

"""Clean and enrich in one pass per document, in worker processes, counted per stage."""

from pathlib import Path

from tasks.clean_and_enrich import clean_and_enrich_batch
from tasks.config import Limits
from tasks.enrich.enrich import enrich_batch
from tasks.extract.clean import clean_batch
from tasks.records import RawRecord

SEED = Path(__file__).resolve().parents[2] / "data" / "raw" / "000_b3c2f05c6aa84539.txt"


def _records() -> list[RawRecord]:
    return [
        RawRecord(str(SEED), 0, "txt", SEED.read_bytes()),
        RawRecord(
            "/in/empty.html",
            0,
            "html",
            b"<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
        ),
        RawRecord("/in/image.txt", 0, "txt", b"\x89PNG\x00\x00binary"),
        RawRecord("/in/huge.txt", 0, "txt", b"word " * 10_000),
    ]


def test_two_workers_give_the_rows_and_counts_of_cleaning_then_enriching_in_process():
    records = _records()
    limits = Limits(clean_workers=2, max_document_bytes=40_000)
    cleaned, clean_rejected, clean_counters = clean_batch(
        records, Limits(document_timeout_s=None, max_document_bytes=40_000)
    )
    expected, enrich_rejected, enrich_counters = enrich_batch(cleaned)

    prepared = clean_and_enrich_batch(records, limits)

    assert prepared.rows == expected
    assert [r.reasons for r in prepared.rejections] == [r.reasons for r in clean_rejected + enrich_rejected]
    assert sorted(r.reasons for r in prepared.rejections) == [("binary",), ("empty_body",), ("too_large",)]
    assert (
        (prepared.clean.total, prepared.clean.forwarded, dict(prepared.clean.rejected))
        == (
            clean_counters.total,
            clean_counters.forwarded,
            dict(clean_counters.rejected),
        )
        == (4, 1, {"empty_body": 1, "binary": 1, "too_large": 1})
    )
    assert (prepared.enrich.total, prepared.enrich.forwarded, prepared.enrich.warned) == (
        enrich_counters.total,
        enrich_counters.forwarded,
        enrich_counters.warned,
    )
    assert prepared.rows[0]["raw"] == SEED.read_bytes() and prepared.rows[0]["word_count"] > 500
    assert prepared.clean.seconds > 0 and prepared.enrich.seconds > 0

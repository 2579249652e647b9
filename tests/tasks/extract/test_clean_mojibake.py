"""Mojibake (UTF-8 text once read as cp1252) is repaired in what the clean stage takes from a record."""

import json

from tasks.config import Limits
from tasks.extract.clean import clean_batch
from tasks.records import RawRecord

SENTENCE = "The café’s owner said it’s the last day before the renovation starts next week. "
MOJIBAKE = SENTENCE.encode("utf-8").decode("cp1252")


def _clean(record: RawRecord) -> dict:
    [row], rejected, _ = clean_batch([record], Limits(document_timeout_s=None))
    assert not rejected
    return row


def test_mojibake_in_a_page_is_repaired_in_text_headline_and_authors():
    page = (
        f"<html><head><title>CafÃ© closes</title><meta name='author' content='JosÃ© GarcÃ­a'></head>"
        f"<body><article><h1>CafÃ© closes</h1><p>{MOJIBAKE * 5}</p><p>{MOJIBAKE * 4}</p></article></body></html>"
    )
    row = _clean(RawRecord("/in/cafe.html", 0, "html", page.encode("utf-8")))
    assert row["headline"] == "Café closes"
    assert row["authors"] == ["José García"]
    assert row["text"].startswith(SENTENCE.strip()) and "â€" not in row["text"]


def test_mojibake_in_a_jsonl_text_field_is_repaired():
    line = json.dumps({"url": "https://news.example.com/cafe", "text": (MOJIBAKE * 4).strip()})
    row = _clean(RawRecord("/in/export.jsonl", 0, "jsonl", line.encode(), json.loads(line)))
    assert row["text"] == (SENTENCE * 4).strip()

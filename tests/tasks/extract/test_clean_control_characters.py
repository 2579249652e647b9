"""A page holding control characters that XML forbids is read, not rejected: lxml refuses to
set such text on an element, and several readers of the clean stage rewrite element text."""

import json

import pytest

from tasks.config import Limits
from tasks.extract.clean import clean_batch
from tasks.records import RawRecord

STORY = "The council opened the school gym as a shelter for the families whose homes were flooded overnight. "
PAGE = (
    "<html><head><title>Flood closes the old bridge</title></head><body><article>"
    "<h1>Flood closes the old bridge</h1>"
    "<p>The old bridge was closed on Monday after the river reached its deck.{control} Engineers will inspect it.</p>"
    f"<p>{STORY * 3}</p><p>{STORY * 2}</p>"
    "</article></body></html>"
)
PARAGRAPH = "The old bridge was closed on Monday after the river reached its deck. Engineers will inspect it."


def _clean(record: RawRecord) -> dict:
    rows, rejected, _ = clean_batch([record], Limits(document_timeout_s=None))
    assert not rejected
    [row] = rows
    return row


@pytest.mark.parametrize("control", ["\x1d", "\x07", "\x0b", "\x01"])
def test_a_page_with_a_control_character_in_a_paragraph_becomes_an_article(control):
    row = _clean(RawRecord("/in/flood.html", 0, "html", PAGE.format(control=control).encode("utf-8")))

    assert row["text"].startswith(PARAGRAPH)
    assert row["headline"] == "Flood closes the old bridge"


def test_a_jsonl_page_with_a_control_character_becomes_an_article():
    fields = {"url": "https://example.com/flood", "html": PAGE.format(control="\x1d")}
    row = _clean(RawRecord("/in/feed.jsonl", 0, "jsonl", json.dumps(fields).encode(), fields))

    assert row["text"].startswith(PARAGRAPH)

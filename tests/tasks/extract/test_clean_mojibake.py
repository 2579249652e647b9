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


def test_utf8_page_with_a_paragraph_pasted_in_windows_1252_keeps_every_paragraph():
    # Read whole in one legacy charset (what detection did), this page was quarantined as undecodable.
    russian = [
        "Мэрия Москвы объявила во вторник о строительстве новой линии метро, которая соединит север с центром.",
        "По словам чиновников, первые станции откроются через три года, а проект обойдётся в сотни миллиардов.",
        "Жители районов, через которые пройдёт линия, говорят, что ждали этого решения больше десяти лет.",
    ]
    pasted = "Critics called it “a promise we’ve heard before”, the agency’s English service reported."
    page = (
        b'<html><head><meta charset="utf-8"><title>Metro</title></head><body><article><h1>Metro</h1>'
        + b"".join(b"<p>" + p.encode("utf-8") + b"</p>" for p in russian)
        + b"<p>"
        + pasted.encode("cp1252")
        + b"</p></article></body></html>"
    )
    row = _clean(RawRecord("/in/metro.html", 0, "html", page))
    assert row["text"].split("\n\n")[-4:] == [*russian, pasted]


def test_a_few_nul_bytes_in_a_long_page_or_text_cost_only_themselves():
    """Found on a real news page: 22 NULs among 194 KB of text had the page quarantined as binary."""
    story = SENTENCE * 40
    cut = len(story) // 2
    page = f"<html><head><title>Last Day</title></head><body><article><h1>Last Day</h1><p>{story[:cut]}\x00\x00{story[cut:]}</p></article></body></html>"
    text = f"Last Day\n\n{story[:cut]}\x00{story[cut:]}"

    for row in (
        _clean(RawRecord("file:///page.html", 0, "html", page.encode(), {})),
        _clean(RawRecord("file:///note.txt", 0, "txt", text.encode(), {})),
    ):
        assert row["headline"] == "Last Day"
        assert "\x00" not in row["text"] and "renovation starts next week" in row["text"]

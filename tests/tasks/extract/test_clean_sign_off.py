"""An article signed at its end: the clean stage takes the name when no byline shows one."""

import pytest

from tasks.config import Limits
from tasks.extract.clean import clean_batch
from tasks.records import RawRecord

STORY = (
    "<h1>Die Eisbären ziehen ins Halbfinale ein</h1>"
    + "<p>Im fünften Spiel der Serie entschied ein Treffer in der Verlängerung über das Weiterkommen. </p>" * 4
)


def _authors(body: str) -> list[str]:
    raw = f"<html><head><title>Halbfinale</title></head><body><article>{body}</article></body></html>".encode()
    [row], rejected, _ = clean_batch([RawRecord("/in/story.html", 0, "html", raw)], Limits(document_timeout_s=None))
    assert not rejected
    return row["authors"]


@pytest.mark.parametrize(
    ("sign_off", "expected"),
    [
        ("<p><b><i>Stefan Wasmer</i></b></p>", ["Stefan Wasmer"]),  # a name set in bold of its own
        ("<p>– David Dunkley</p>", ["David Dunkley"]),  # a dash before it
        ("<p>Stefan Wasmer</p>", []),  # a plain line: a heading, a product or a greeting ends many a text
        ("<p><strong>Top Picks:</strong></p>", []),  # a heading of what follows
        ("<p>Das Spiel endete mit <b>Stefan Wasmer</b></p>", []),  # bold inside a sentence
        ("<p><b>Hochspannung</b></p>", []),  # one word: no full name
    ],
)
def test_a_name_alone_at_the_end_signs_the_article(sign_off, expected):
    assert _authors(STORY + sign_off) == expected


def test_a_byline_wins_over_a_sign_off():
    byline = '<p class="byline">Von Anna Berg</p>'
    body = STORY.replace("</h1>", "</h1>" + byline, 1) + "<p><b>Stefan Wasmer</b></p>"
    assert _authors(body) == ["Anna Berg"]

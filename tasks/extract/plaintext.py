"""Structure of a plain-text article: title line, dateline, byline, section headings, body.

The layout it reads is the one news exports use: the title on the first line, then a short
dateline ("September 17, 2007 Updated: September 17, 2007") and/or byline ("By Jane Doe"),
then paragraphs separated by blank lines, with short title-like lines as section headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from tasks.extract.dates import find_dates, words_besides_dates
from tasks.extract.normalize import normalize_paragraph, normalize_text, split_paragraphs

_MAX_TITLE_CHARS = 250
_MAX_HEADING_WORDS = 15
_MAX_HEADING_CHARS = 120
_MAX_DATELINE_CHARS = 200
_UPDATED = re.compile(r"\b(?:updated|modified|last\s+updated|revised)\b", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+(?P<names>[^|\n]{3,120}?)\s*(?:\||$)", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|\band\b|&)\s*")
_SENTENCE_END = re.compile(r"[.!?,;:…][\"'”’)\]]*$")
_MINOR_WORDS = frozenset("a an and as at but by for from in into nor of on or over the to under up via with vs".split())


@dataclass(frozen=True)
class PlainArticle:
    headline: str | None
    text: str  # normalised body: paragraphs (headings included) separated by a blank line
    headings: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    date_published: datetime | None = None
    date_modified: datetime | None = None


def parse_plaintext(raw_text: str, *, title_line: bool = True) -> PlainArticle:
    """Split a plain-text article into its parts; `title_line` says the first line is the title."""
    headline = None
    body = raw_text.lstrip("\ufeff \t\r\n")
    if title_line:
        first, _, rest = body.partition("\n")
        candidate = normalize_paragraph(first)
        if candidate and len(candidate) <= _MAX_TITLE_CHARS and rest.strip():
            headline, body = candidate, rest
    paragraphs = split_paragraphs(normalize_text(body))

    published = modified = None
    authors: list[str] = []
    while paragraphs and len(paragraphs[0]) <= _MAX_DATELINE_CHARS:
        if (dates := parse_dateline(paragraphs[0])) is not None and published is None:
            published, modified = dates
        elif (names := parse_byline(paragraphs[0])) and not authors:
            authors = names
        else:
            break
        paragraphs.pop(0)

    headings = [p for i, p in enumerate(paragraphs[:-1]) if is_heading(p)]
    return PlainArticle(headline, "\n\n".join(paragraphs), headings, authors, published, modified)


def parse_dateline(line: str) -> tuple[datetime, datetime | None] | None:
    """(published, modified) when `line` is a dateline: dates and little else."""
    dates = find_dates(line)
    if not dates:
        return None
    update_words = sum(len(label.group(0).split()) for label in _UPDATED.finditer(line))
    if len(words_besides_dates(line, dates)) - update_words > 6:  # a sentence that mentions a date
        return None
    published = dates[0][1]
    modified = next((d for m, d in dates[1:] if _UPDATED.search(line[: m.start()])), None)
    return published, modified


def parse_byline(line: str) -> list[str]:
    """Names in a "By Jane Doe and John Roe" line, one each; [] when it is not a byline."""
    match = _BYLINE.match(line)
    if not match:
        return []
    names = [n.strip(" .") for n in _NAME_SEPARATORS.split(match.group("names"))]
    return [n for n in names if n and len(n.split()) <= 4 and n[0].isupper()]


def is_heading(paragraph: str) -> bool:
    """A short, title-like line with no sentence punctuation at its end."""
    words = paragraph.split()
    if not words or len(words) > _MAX_HEADING_WORDS or len(paragraph) > _MAX_HEADING_CHARS:
        return False
    if _SENTENCE_END.search(paragraph):
        return False
    major = [w.strip("\"'“”‘’()") for w in words if w.lower() not in _MINOR_WORDS]
    capitalised = sum(1 for w in major if w[:1].isupper() or w[:1].isdigit())
    return bool(major) and capitalised / len(major) >= 0.6

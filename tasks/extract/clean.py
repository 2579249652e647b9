"""Clean stage: raw records to article rows with normalised text and page metadata.

Reads: RawRecord (txt, html, jsonl, warc).
Writes: rows with the CLEAN_COLUMNS of the articles schema, plus `raw` (the record's bytes,
kept for quarantine by later stages and dropped before writing); validate types them.
Rejects (stage clean): too_large, timeout (over the per-document time limit), binary,
undecodable, empty_body, extraction_error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from schemas.reasons import Reason, Stage
from tasks.config import LIMITS, Limits
from tasks.extract.bylines import signed_at_the_end
from tasks.extract.dates import parse_date
from tasks.extract.decode import UndecodableError, declared_html_charset, decode_bytes, looks_binary, repair
from tasks.extract.html_page import parse_html
from tasks.extract.main_text import extract_main_text
from tasks.extract.metadata import extract_page_metadata
from tasks.extract.normalize import normalize_paragraph, normalize_text
from tasks.extract.plaintext import is_heading, parse_plaintext
from tasks.records import RawRecord, Rejection, StageCounters
from tasks.workers.document_workers import run_per_record

CLEAN_COLUMNS = (
    "id",
    "url",
    "source_domain",
    "headline",
    "description",
    "text",
    "authors",
    "publisher",
    "date_published",
    "date_modified",
    "date_crawled",
    "declared_language",
    "article_section",
    "keywords",
    "headings",
    "extractor",
    "source_uri",
    "source_record",
    "source_format",
    "source_sha256",
)

_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


class _Rejected(Exception):
    def __init__(self, reason: Reason, error: str) -> None:
        super().__init__(error)
        self.reason = reason


def clean_batch(
    records: Iterable[RawRecord], limits: Limits = LIMITS
) -> tuple[list[dict[str, Any]], list[Rejection], StageCounters]:
    """Clean every record; returns (cleaned rows, rejections, counters). Validate types them.

    With a per-document time limit (the default), records are cleaned in `limits.clean_workers`
    child processes side by side, each killed and replaced when its record overruns (see
    tasks.workers.deadline); rows come back in the order of `records` whatever the workers' pace.
    """
    counters = StageCounters("clean")
    rows: list[dict[str, Any]] = []
    rejections: list[Rejection] = []
    records = list(records)
    outcomes = run_per_record(records, limits, clean_or_reject, "tasks.extract.clean:clean_or_reject")
    for record, outcome in zip(records, outcomes, strict=True):
        counters.total += 1
        if isinstance(outcome, Rejection):
            rejections.append(outcome)
            counters.reject(outcome.reasons)
        else:
            rows.append(outcome | {"raw": record.raw})
            counters.forwarded += 1
    return rows, rejections, counters


def clean_or_reject(record: RawRecord) -> dict[str, Any] | Rejection:
    """The record's row (without its raw bytes), or its rejection; never raises."""
    try:
        return clean_record(record)
    except _Rejected as rejected:
        return Rejection.of(record, Stage.CLEAN, rejected.reason, str(rejected))
    except Exception as error:  # an extractor bug (or MemoryError) must cost one record, not the run
        return Rejection.of(record, Stage.CLEAN, Reason.EXTRACTION_ERROR, f"{type(error).__name__}: {error}")


def clean_record(record: RawRecord) -> dict[str, Any]:
    """One article row from one record; raises _Rejected for records that cannot be articles."""
    if record.source_format == "jsonl":
        row = _clean_jsonl(record)
    elif record.source_format == "warc":
        row = _clean_warc(record)
    else:
        text = _decode(record.raw, html=record.source_format == "html")
        row = _clean_html(text, None) if record.source_format == "html" else _clean_txt(text)
    if not row["text"]:
        raise _Rejected(Reason.EMPTY_BODY, "no article text found")
    url = canonical_url(row.get("url"))
    return row | {
        "date_modified": _modified_after_published(row.get("date_published"), row.get("date_modified")),
        "id": article_id(url, record.source_uri, record.source_record),
        "url": url,
        "source_domain": source_domain(url),
        "source_uri": record.source_uri,
        "source_record": record.source_record,
        "source_format": record.source_format,
        "source_sha256": record.sha256,
    }


def _modified_after_published(published: datetime | None, modified: datetime | None) -> datetime | None:
    """The update date, unless it comes before the publication date.

    Publishers' metadata does that (a story republished under a new datePublished keeps its
    old dateModified; clocks minutes apart). The publication date is the one readers rely on,
    so the impossible update date is dropped, not the article.
    """
    return None if published and modified and modified < published else modified


def _decode(raw: bytes, *, html: bool, http_charset: str | None = None) -> str:
    """Text of the record; an HTTP header's charset goes before the page's own <meta> (WHATWG order)."""
    if looks_binary(raw):
        raise _Rejected(Reason.BINARY, "NUL bytes: not a text document")
    try:
        return decode_bytes(raw, http_charset or (declared_html_charset(raw) if html else None), repaired=not html).text
    except UndecodableError as error:
        raise _Rejected(Reason.UNDECODABLE, str(error)) from error


def _clean_txt(text: str, *, title_line: bool = True) -> dict[str, Any]:
    article = parse_plaintext(text, title_line=title_line)
    return {
        "headline": article.headline,
        "text": article.text,
        "headings": article.headings,
        "authors": article.authors,
        "date_published": article.date_published,
        "date_modified": article.date_modified,
        "extractor": "plaintext",
    }


def _clean_html(html: str, url: str | None) -> dict[str, Any]:
    """The article of a page; mojibake is repaired in the text taken from it (see tasks.extract.decode)."""
    tree = parse_html(html)
    meta = extract_page_metadata(tree, url)
    body = extract_main_text(tree, url or meta.url)
    text = normalize_text(repair(body.text))
    headings = [h for h in (normalize_paragraph(repair(h)) for h in body.headings) if h]
    if not headings:  # extractors that flatten markup still leave headings as their own lines
        headings = [p for p in text.split("\n\n")[:-1] if is_heading(p)]
    return {
        "url": meta.url or url,
        "headline": _repaired(meta.headline),
        "description": _repaired(meta.description),
        "text": text,
        "headings": headings,
        "authors": [repair(a) for a in meta.authors or signed_at_the_end(tree, text.rpartition("\n\n")[2])],
        "publisher": _repaired(meta.publisher),
        "date_published": meta.date_published,
        "date_modified": meta.date_modified,
        "declared_language": meta.language,
        "article_section": [repair(s) for s in meta.section],
        "keywords": [repair(t) for t in meta.tags],
        "extractor": body.extractor,
    }


def _repaired(value: str | None) -> str | None:
    return repair(value) if value else value


def _clean_warc(record: RawRecord) -> dict[str, Any]:
    """A crawled response: the page, with the crawler's URL and date from the record headers."""
    fields = record.fields
    text = _decode(record.raw, html=True, http_charset=fields.get("charset"))
    return _clean_html(text, fields.get("url")) | {"date_crawled": fields.get("date_crawled")}


def _clean_jsonl(record: RawRecord) -> dict[str, Any]:
    """A JSONL export's explicit fields win over what the page itself says."""
    fields = record.fields
    url = fields["url"].strip()
    html = fields.get("html")
    if isinstance(html, str) and html.strip():
        row = _clean_html(html, url)
    else:
        row = _clean_txt(repair(fields["text"]), title_line=False) | {"extractor": "jsonl"}
    row["url"] = url
    if isinstance(title := fields.get("title"), str) and title.strip():
        row["headline"] = normalize_paragraph(title)
    if (published := _field_date(fields.get("date_published"))) is not None:
        row["date_published"] = published
    if authors := _field_authors(fields.get("authors")):
        row["authors"] = authors
    return row


def _field_date(value: object) -> datetime | None:
    return parse_date(value) if isinstance(value, str) else None


def _field_authors(value: object) -> list[str]:
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [normalize_paragraph(n) for n in names if isinstance(n, str) and n.strip()]


def canonical_url(url: str | None) -> str | None:
    """The URL without fragment or tracking parameters, scheme and host lower-cased."""
    if not url or not url.strip():
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(_TRACKING_PARAMS)
    ]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))


def source_domain(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def article_id(url: str | None, source_uri: str, source_record: int) -> str:
    """Stable id: the canonical URL when known (so a changed page updates its row), else the input position."""
    key = f"url:{url}" if url else f"src:{source_uri}#{source_record}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

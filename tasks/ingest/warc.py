"""Records of a WARC or WARC.gz file (Common Crawl, CC-NEWS, wget/heritrix crawls), streamed.

Yields a RawRecord per HTTP response record (status 2xx) whose body is HTML: `source_record`
is the record's index in the file (counting every record), `raw` its HTTP payload (transfer
and content encodings undone), and `fields` carry `url` (WARC-Target-URI), `date_crawled`
(WARC-Date) and `charset` (from the HTTP Content-Type). Request, metadata, warcinfo and
non-HTML or non-2xx response records are not articles and are passed over.

A record that cannot be parsed, or whose payload ends before its Content-Length, becomes a
Rejection (`corrupt_warc`) with its bytes; reading then resumes at the next record start found
in the file (the next gzip member, or the next "WARC/1." line), so one bad record never costs
the rest of the file. A payload over the size limit is rejected as `too_large` without being
read whole: memory stays bounded by one record.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO

import fsspec
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from schemas.reasons import Reason, Stage
from tasks.config import LIMITS, Limits
from tasks.extract.dates import parse_date
from tasks.records import RawRecord, Rejection

_GZIP_MEMBER_START = b"\x1f\x8b\x08"
_WARC_RECORD_START = b"\nWARC/1."
_SCAN_CHUNK = 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class _Position:
    """Where reading stands: the next record's index and byte offset, and the file's size."""

    size: int
    index: int = 0
    offset: int = 0


def read_warc(uri: str, limits: Limits = LIMITS) -> Iterator[RawRecord | Rejection]:
    """The HTML response records of the WARC file at ``uri``, and rejections for broken ones."""
    with fsspec.open(uri, "rb") as handle:
        position = _Position(size=handle.seek(0, 2))
        handle.seek(0)
        gzipped = handle.read(len(_GZIP_MEMBER_START)) == _GZIP_MEMBER_START
        while position.offset < position.size:
            broken_at = yield from _read_from(handle, uri, position, limits)
            if broken_at is None:
                return
            resume = _next_record_start(handle, broken_at + 1, gzipped)
            raw = _bytes_between(handle, broken_at, position.size if resume is None else resume, limits)
            lost = RawRecord(uri, position.index, "warc", raw)
            yield Rejection.of(
                lost, Stage.INGEST, Reason.CORRUPT_WARC, f"unreadable or cut-off record at byte {broken_at}"
            )
            position.index += 1
            if resume is None:
                return
            position.offset = resume


def _read_from(
    handle: IO[bytes], uri: str, position: _Position, limits: Limits
) -> Generator[RawRecord | Rejection, None, int | None]:
    """Read records from ``position.offset`` on; returns the offset of a broken record, or None at a clean end."""
    handle.seek(position.offset)
    records = ArchiveIterator(handle)
    try:
        for record in records:
            start = position.offset
            item = _record(uri, position.index, record, limits)
            records.read_to_end(record)
            if _cut_off(record):
                return start
            position.offset = records.offset
            if item is not None:
                yield item
            position.index += 1
    except Exception:  # warcio raises anything from ArchiveLoadFailed to AttributeError on bad bytes
        return position.offset
    # warcio stops quietly at a cut-off gzip member: bytes left over mean a lost record.
    return position.offset if position.offset < position.size else None


def _cut_off(record: ArcWarcRecord) -> bool:
    """True when the file ended inside the record: in its headers (no Content-Length read) or its block."""
    if record.rec_headers.get_header("Content-Length") is None:
        return True
    return bool(getattr(record.raw_stream, "limit", 0))


def _record(uri: str, index: int, record: ArcWarcRecord, limits: Limits) -> RawRecord | Rejection | None:
    """The RawRecord of an HTML response (or its too_large rejection); None for any other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    if not status.startswith("2") or (content_type and not content_type.startswith(_HTML_TYPES)):
        return None
    payload = record.content_stream().read(limits.max_document_bytes + 1)
    fields = {
        "url": record.rec_headers.get_header("WARC-Target-URI"),
        "date_crawled": _crawl_date(record.rec_headers.get_header("WARC-Date")),
        "charset": _charset(content_type),
    }
    raw = RawRecord(uri, index, "warc", payload, fields)
    if len(payload) > limits.max_document_bytes:
        return Rejection.of(raw, Stage.INGEST, Reason.TOO_LARGE, f"payload over {limits.max_document_bytes} bytes")
    if not content_type and b"<" not in payload[:1024]:
        return None  # no Content-Type and no markup: not a page
    if not payload.strip():
        return Rejection.of(raw, Stage.INGEST, Reason.EMPTY_INPUT, "the response has no body")
    return raw


def _crawl_date(value: str | None) -> datetime | None:
    return parse_date(value) if value else None


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def _next_record_start(handle: IO[bytes], offset: int, gzipped: bool) -> int | None:
    """Offset of the first record start at or after ``offset``, or None when there is none."""
    marker = _GZIP_MEMBER_START if gzipped else _WARC_RECORD_START
    handle.seek(offset)
    carry = b""
    base = offset
    while chunk := handle.read(_SCAN_CHUNK):
        window = carry + chunk
        found = window.find(marker)
        if found >= 0:
            return base - len(carry) + found + (0 if gzipped else 1)
        carry = window[-len(marker) :]
        base += len(chunk)
    return None


def _bytes_between(handle: IO[bytes], start: int, end: int, limits: Limits) -> bytes:
    handle.seek(start)
    return handle.read(min(end - start, limits.raw_cap_bytes))

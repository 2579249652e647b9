"""Records of a WARC or ARC file (Common Crawl, CC-NEWS, wget/heritrix/browser crawls), streamed.

Reads .warc, .warc.gz, .arc and .arc.gz as crawlers write them: one gzip member per record, one
gzip member (or a few) for the whole file, or uncompressed. Yields a RawRecord per HTML page: an
HTTP response record (status 2xx) whose body is HTML, or a `resource` record holding HTML (what
browser-based crawlers write: the block is the page, with no HTTP headers). `source_record` is the
record's index in the file (counting every record), `raw` the page's bytes (HTTP transfer and
content encodings undone), and `fields` carry `url` (WARC-Target-URI), `date_crawled` (WARC-Date)
and `charset` (from the HTTP, or the resource record's, Content-Type). Request, metadata, revisit,
warcinfo and non-HTML or non-2xx response records are not articles and are passed over.

A record that cannot be parsed, or whose block ends before its Content-Length, becomes a
Rejection (`corrupt_warc`) with its bytes and byte offset; reading then resumes at the next record
start found in the file (the next gzip member, or the next "WARC/1." line), so one bad record never
costs the rest of the file (an uncompressed ARC file has no such line: what follows a broken ARC
record is rejected with it). A file whose first gzip member holds more than one record is read as
its decompressed stream (spooled to a temporary file): warcio's offsets are in that stream, and so
are the offsets a rejection names. A gzip stream cut off or corrupt ends where it breaks: the
record it breaks in is rejected, those before it are read. A payload over the size limit is
rejected as `too_large` without being read whole: memory stays bounded by one record. Chunks that
lie about their size are left to warcio, which hands the payload over about as stored.

warcio writes its warnings (an invalid Content-Length, a broken gzip member) to stderr; here they
go to this module's logger, so they land in the run's log and not on the terminal.
"""

from __future__ import annotations

import logging
import sys
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from tempfile import SpooledTemporaryFile
from typing import IO, Any

import fsspec
from warcio import archiveiterator, bufferedreaders
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from schemas.reasons import Reason, Stage
from tasks.config import LIMITS, Limits
from tasks.extract.dates import parse_date
from tasks.records import RawRecord, Rejection

logger = logging.getLogger(__name__)

_GZIP_MEMBER_START = b"\x1f\x8b\x08"
_WARC_RECORD_START = b"\nWARC/1."
_SCAN_CHUNK = 1024 * 1024
_SPOOL_IN_MEMORY = 8 * 1024 * 1024  # a decompressed stream larger than this spools to disk
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _StderrToLog:
    """A file-like stderr whose writes become warnings of this module's logger, one per write
    (warcio writes each warning, lines and all, in one call)."""

    def write(self, text: str) -> int:
        if lines := [line.strip() for line in text.splitlines() if line.strip()]:
            logger.warning("warcio: %s", " | ".join(lines))
        return len(text)

    def flush(self) -> None:
        pass


class _SysWithLoggedStderr:
    """The `sys` module as warcio's modules see it: everything as it is, but stderr goes to the log.
    Swapping sys.stderr itself (contextlib.redirect_stderr) would capture every thread's output."""

    stderr = _StderrToLog()

    def __getattr__(self, name: str) -> Any:
        return getattr(sys, name)


for _module in (archiveiterator, bufferedreaders):
    _module.sys = _SysWithLoggedStderr()


@dataclass
class _Position:
    """Where reading stands: the next record's index and byte offset, and the stream's size."""

    size: int
    index: int = 0
    offset: int = 0


def read_warc(uri: str, limits: Limits = LIMITS) -> Iterator[RawRecord | Rejection]:
    """The HTML pages of the WARC or ARC file at ``uri``, and rejections for broken records."""
    arc = ".arc" in (suffix.lower() for suffix in PurePosixPath(uri).suffixes)
    with fsspec.open(uri, "rb") as stored:
        gzipped = stored.read(len(_GZIP_MEMBER_START)) == _GZIP_MEMBER_START
        if not gzipped or not _first_member_holds_many_records(stored):
            yield from _read_stream(stored, uri, limits, arc, gzipped, where="")
            return
        with SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as decompressed:
            _gunzip_into(decompressed, stored, every_member=True)
            yield from _read_stream(decompressed, uri, limits, arc, gzipped=False, where=" of the decompressed stream")


def _read_stream(
    handle: IO[bytes], uri: str, limits: Limits, arc: bool, gzipped: bool, where: str
) -> Iterator[RawRecord | Rejection]:
    """Every record of ``handle`` (one gzip member per record, or uncompressed); ``where`` names
    the stream its offsets are in, for the rejections' error text."""
    position = _Position(size=handle.seek(0, 2))
    while position.offset < position.size:
        broken_at = yield from _read_from(handle, uri, position, limits, arc)
        if broken_at is None:
            return
        resume = _next_record_start(handle, broken_at + 1, gzipped)
        raw = _bytes_between(handle, broken_at, position.size if resume is None else resume, limits)
        lost = RawRecord(uri, position.index, "warc", raw)
        yield Rejection.of(
            lost, Stage.INGEST, Reason.CORRUPT_WARC, f"unreadable or cut-off record at byte {broken_at}{where}"
        )
        position.index += 1
        if resume is None:
            return
        position.offset = resume


def _first_member_holds_many_records(handle: IO[bytes]) -> bool:
    """True when the first gzip member decompresses to more than one record (or to bytes past
    its first record): a file gzipped whole, not one member per record."""
    with SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as first_member:
        _gunzip_into(first_member, handle, every_member=False)
        size = first_member.seek(0, 2)
        first_member.seek(0)
        records = ArchiveIterator(first_member)
        try:
            for record in records:
                records.read_to_end(record)
                break
        except Exception:  # the first record is broken: look for a second record start instead
            return _next_record_start(first_member, 1, gzipped=False) is not None
        return records.offset < size


def _gunzip_into(target: IO[bytes], handle: IO[bytes], every_member: bool) -> None:
    """Decompress the gzip stream of ``handle`` from its start into ``target``: its first member
    only, or every member. A member cut off or corrupt ends it, keeping what came before."""
    handle.seek(0)
    inflater = zlib.decompressobj(wbits=31)
    pending = b""
    while True:
        if inflater.eof:
            if not every_member:
                return
            pending = inflater.unused_data or handle.read(_SCAN_CHUNK)
            if not pending:
                return
            inflater = zlib.decompressobj(wbits=31)
        elif not pending and not (pending := handle.read(_SCAN_CHUNK)):
            logger.warning("gzip stream cut off after %d decompressed bytes", target.tell())
            return
        try:
            target.write(inflater.decompress(pending, _SCAN_CHUNK))  # bounded: at most one chunk out per call
        except zlib.error as error:
            logger.warning("gzip stream broken after %d decompressed bytes: %s", target.tell(), error)
            return
        pending = inflater.unconsumed_tail


def _read_from(
    handle: IO[bytes], uri: str, position: _Position, limits: Limits, arc: bool
) -> Generator[RawRecord | Rejection, None, int | None]:
    """Read records from ``position.offset`` on; returns the offset of a broken record, or None at a clean end."""
    handle.seek(position.offset)
    # ARC records read with WARC header names (arc2warc); only for ARC files, since it also makes
    # warcio try bad WARC header bytes as an ARC header line instead of failing on them.
    records = ArchiveIterator(handle, arc2warc=arc)
    try:
        for record in records:
            start = position.offset
            item = _record(uri, position.index, record, limits)
            records.read_to_end(record)
            # A gzip member holding bytes past its record makes warcio's next offset run backwards
            # (it subtracts what is left decompressed from a compressed position): the record is broken.
            if _cut_off(record) or not start < records.offset <= position.size:
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
    """The RawRecord of an HTML page (or its too_large rejection); None for any other record."""
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if not status.startswith("2"):
            return None
    elif record.rec_type == "resource":
        content_type = (record.rec_headers.get_header("Content-Type") or "").lower()
    else:
        return None
    if content_type and not content_type.startswith(_HTML_TYPES):
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

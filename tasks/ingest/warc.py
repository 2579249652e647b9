"""Records of a WARC or ARC file (Common Crawl, CC-NEWS, wget/heritrix/browser crawls), streamed.

Reads .warc, .warc.gz, .arc and .arc.gz as crawlers write them: one gzip member per record, one
gzip member (or a few) for the whole file, or uncompressed. Yields a RawRecord per HTML page: an
HTTP response record (status 2xx) whose body is HTML, or a `resource` record holding HTML (what
browser-based crawlers write: the block is the page, with no HTTP headers). `source_record` is the
record's index in the file (counting every record), `raw` the page's bytes (HTTP transfer and
content encodings undone), and `fields` carry `url` (WARC-Target-URI), `date_crawled` (WARC-Date)
and `charset` (from the HTTP, or the resource record's, Content-Type). Request, metadata, revisit,
warcinfo and non-HTML or non-2xx response records are not articles: they are passed over and
counted by kind (`PassedOver`) in the Counter the caller hands in, which the run summary shows. A
page whose Content-Encoding cannot be undone here (gzip, deflate and br can; zstd, for one, cannot)
is rejected as `unsupported_encoding`, not handed on as compressed bytes.

A record that cannot be parsed, whose block ends before its Content-Length, or that was cut
short with the next record right after it (its length swallowing the next record's start, or two
records' headers in one) becomes a Rejection (`corrupt_warc`) with its bytes and byte offset;
reading then resumes at the next record start found in the file (the next gzip member, the next
"WARC/1.x" line, or in an ARC file the next ARC header line: URL, IP, 14-digit date, ..., length),
so one bad record never costs the rest of the file. A file that cannot be opened is rejected as
`unreadable`, for the next run to try again. A file whose first gzip member holds more than one
record is read as its decompressed stream (spooled to a temporary file): warcio's offsets are in
that stream, and so are the offsets a rejection names. A gzip stream cut off or corrupt ends
where it breaks: the record it breaks in is rejected, those before it are read. A payload over the
size limit is rejected as `too_large` without being read whole: memory stays bounded by one
record (a gzip bomb in a payload included). Chunks that lie about their size are left to warcio,
which hands the payload over about as stored.

warcio writes its warnings (an invalid Content-Length, a broken gzip member) to stderr; here they
go to this module's logger, so they land in the run's log and not on the terminal.
"""

from __future__ import annotations

import logging
import re
import sys
import zlib
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import PurePosixPath
from tempfile import SpooledTemporaryFile
from typing import IO, Any

import brotli
import fsspec
from warcio import archiveiterator, bufferedreaders
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.recordloader import ArcWarcRecord

from schemas.reasons import Reason, Stage
from tasks.config import LIMITS, Limits
from tasks.extract.dates import parse_date
from tasks.records import RawRecord, Rejection

logger = logging.getLogger(__name__)

_GZIP_MEMBER_START = b"\x1f\x8b\x08"
# A WARC record's version line, wherever it starts: after a record cut short, the next one
# follows the cut bytes on their line.
_WARC_RECORD_START = re.compile(rb"WARC/1\.[01]\r?\n")
# An ARC record's header line: URL, IP, 14-digit date, then the content type and the length (v1)
# or five more fields before the length (v2); the length is checked apart. Wherever it starts,
# as the version line of a WARC record: after a record cut short the next one follows on its line.
_ARC_HEADER_LINE = re.compile(rb"(?:https?|ftp|dns|filedesc)://\S+ \S+ \d{14} [^\n]{1,1024}\n")
_ARC_FIELDS = (5, 10)
_LONGEST_MARKER = 1100  # bytes a record start may take: scans carry this much from one chunk to the next
_SCAN_CHUNK = 1024 * 1024
_SPOOL_IN_MEMORY = 8 * 1024 * 1024  # a decompressed stream larger than this spools to disk
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class PassedOver(StrEnum):
    """Why a record of a WARC or ARC file is not a page: counted, never quarantined."""

    WARCINFO = "warcinfo"  # the file's own description (an ARC file's filedesc record too)
    REQUEST = "request"
    METADATA = "metadata"  # what the crawler noted about a capture (fetch time, outlinks)
    REVISIT = "revisit"  # a payload the crawler had stored already: a reference, no page
    NOT_HTML = "not_html"  # a response or resource of another type: images, scripts, PDFs, DNS
    NOT_2XX = "not_2xx"  # an HTTP status other than 2xx: redirects, errors
    OTHER = "other"  # conversion and continuation records, and types no standard names


# Headers a WARC record has exactly once: twice means the headers of a record cut short ran into the next one's.
_ONCE_PER_RECORD = ("warc-record-id", "warc-date", "warc-type", "content-length")
_PASSED_OVER_TYPES = {
    kind.value: kind for kind in (PassedOver.WARCINFO, PassedOver.REQUEST, PassedOver.METADATA, PassedOver.REVISIT)
}


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


def read_warc(
    uri: str, limits: Limits = LIMITS, passed_over: Counter[str] | None = None
) -> Iterator[RawRecord | Rejection]:
    """The HTML pages of the WARC or ARC file at ``uri``, and rejections for broken records;
    every other record is counted in ``passed_over`` by its kind (PassedOver)."""
    arc = ".arc" in (suffix.lower() for suffix in PurePosixPath(uri).suffixes)
    reading = _Reading(uri, limits, arc, Counter() if passed_over is None else passed_over)
    try:
        opened = fsspec.open(uri, "rb").open()
    except OSError as error:  # gone since it was listed, or not ours to read
        lost = RawRecord(uri, 0, "warc", b"")
        yield Rejection.of(lost, Stage.INGEST, Reason.UNREADABLE, f"{type(error).__name__}: {error}")
        return
    with opened as stored:
        gzipped = stored.read(len(_GZIP_MEMBER_START)) == _GZIP_MEMBER_START
        if not gzipped or not _first_member_holds_many_records(stored, arc):
            yield from _read_stream(stored, reading, gzipped, where="")
            return
        with SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as decompressed:
            _gunzip_into(decompressed, stored, every_member=True)
            yield from _read_stream(decompressed, reading, gzipped=False, where=" of the decompressed stream")


@dataclass(frozen=True)
class _Reading:
    """What stays the same while one file is read."""

    uri: str
    limits: Limits
    arc: bool
    passed_over: Counter[str]


def _read_stream(handle: IO[bytes], reading: _Reading, gzipped: bool, where: str) -> Iterator[RawRecord | Rejection]:
    """Every record of ``handle`` (one gzip member per record, or uncompressed); ``where`` names
    the stream its offsets are in, for the rejections' error text."""
    position = _Position(size=handle.seek(0, 2))
    while position.offset < position.size:
        broken_at = yield from _read_from(handle, reading, position, gzipped)
        if broken_at is None:
            return
        resume = _next_record_start(handle, broken_at + 1, gzipped, reading.arc)
        raw = _bytes_between(handle, broken_at, position.size if resume is None else resume, reading.limits)
        lost = RawRecord(reading.uri, position.index, "warc", raw)
        yield Rejection.of(
            lost, Stage.INGEST, Reason.CORRUPT_WARC, f"unreadable or cut-off record at byte {broken_at}{where}"
        )
        position.index += 1
        if resume is None:
            return
        position.offset = resume


def _first_member_holds_many_records(handle: IO[bytes], arc: bool) -> bool:
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
            return _next_record_start(first_member, 1, gzipped=False, arc=arc) is not None
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
    handle: IO[bytes], reading: _Reading, position: _Position, gzipped: bool
) -> Generator[RawRecord | Rejection, None, int | None]:
    """Read records from ``position.offset`` on; returns the offset of a broken record, or None at a clean end."""
    handle.seek(position.offset)
    # ARC records read with WARC header names (arc2warc); only for ARC files, since it also makes
    # warcio try bad WARC header bytes as an ARC header line instead of failing on them.
    records = ArchiveIterator(handle, arc2warc=reading.arc)
    try:
        for record in records:
            start, complaints = position.offset, records.err_count
            item = _record(reading.uri, position.index, record, reading.limits)
            records.read_to_end(record)
            # A gzip member holding bytes past its record makes warcio's next offset run backwards
            # (it subtracts what is left decompressed from a compressed position): the record is broken.
            if _broken(record) or not start < records.offset <= position.size:
                return start
            # warcio found no blank line after the record ("perhaps Content-Length is invalid"): a
            # length a little off is harmless, one that swallowed the next record is not.
            if (
                records.err_count > complaints
                and not gzipped
                and _holds_a_record_start(handle, start, records.offset, reading.arc)
            ):
                return start
            position.offset = records.offset
            if isinstance(item, PassedOver):
                reading.passed_over[item] += 1
            else:
                yield item
            position.index += 1
    except Exception:  # warcio raises anything from ArchiveLoadFailed to AttributeError on bad bytes
        return position.offset
    # warcio stops quietly at a cut-off gzip member: bytes left over mean a lost record.
    return position.offset if position.offset < position.size else None


def _broken(record: ArcWarcRecord) -> bool:
    """True when the file ended inside the record (in its headers: no Content-Length read, or in
    its block), or the record was cut short and the next one's headers ran into its own."""
    length = record.rec_headers.get_header("Content-Length")
    if length is None or not length.strip().isdigit():  # a damaged length reads as none
        return True
    names = Counter(name.lower() for name, _ in record.rec_headers.headers)
    if any(names[name] > 1 for name in _ONCE_PER_RECORD) or "WARC/1." in (record.rec_type or ""):
        return True  # two records' headers in one ("WARC-Type: responWARC/1.0" when cut inside it)
    return bool(getattr(record.raw_stream, "limit", 0))


def _record(uri: str, index: int, record: ArcWarcRecord, limits: Limits) -> RawRecord | Rejection | PassedOver:
    """The RawRecord of an HTML page (or why it is rejected); for any other record, its kind."""
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if not status.startswith("2"):
            return PassedOver.NOT_2XX
    elif record.rec_type == "resource":
        content_type = (record.rec_headers.get_header("Content-Type") or "").lower()
    elif record.rec_type == "response":  # without HTTP headers: a DNS lookup, an FTP file
        return PassedOver.NOT_HTML
    else:
        return _PASSED_OVER_TYPES.get(record.rec_type, PassedOver.OTHER)
    if content_type and not content_type.startswith(_HTML_TYPES):
        return PassedOver.NOT_HTML
    payload = record.content_stream().read(limits.max_document_bytes + 1)
    fields = {
        "url": record.rec_headers.get_header("WARC-Target-URI"),
        "date_crawled": _crawl_date(record.rec_headers.get_header("WARC-Date")),
        "charset": _charset(content_type),
    }
    raw = RawRecord(uri, index, "warc", payload, fields)
    if len(payload) > limits.max_document_bytes:
        return Rejection.of(raw, Stage.INGEST, Reason.TOO_LARGE, f"payload over {limits.max_document_bytes} bytes")
    if encoding := _unsupported_encoding(record):
        return Rejection.of(
            raw, Stage.INGEST, Reason.UNSUPPORTED_ENCODING, f"Content-Encoding {encoding} cannot be undone"
        )
    if not content_type and b"<" not in payload[:1024]:
        return PassedOver.NOT_HTML  # no Content-Type and no markup: not a page
    if not payload.strip():
        return Rejection.of(raw, Stage.INGEST, Reason.EMPTY_INPUT, "the response has no body")
    return raw


class _BoundedBrotli:
    """warcio's decompressor interface over Google's brotli. warcio was written for brotlipy, whose
    Decompressor has decompress(); brotli's has process(). Bounded: a brotli bomb (a few KiB that
    inflate to gigabytes) yields at most what the reader will take of a payload, then nothing."""

    unused_data = None  # one brotli stream per payload: nothing follows it

    def __init__(self) -> None:
        self._brotli = brotli.Decompressor()
        self._left = LIMITS.max_document_bytes + 1  # the most _record reads of a payload

    def decompress(self, data: bytes) -> bytes:
        if self._left <= 0:
            return b""
        out: bytes = self._brotli.process(data, output_buffer_limit=self._left)
        self._left -= len(out)
        return out


BufferedReader.DECOMPRESSORS["br"] = _BoundedBrotli  # replaces warcio's, which calls decompress()


def _unsupported_encoding(record: ArcWarcRecord) -> str | None:
    """The payload's Content-Encoding when warcio cannot undo it (it then hands the payload over encoded)."""
    header = record.http_headers.get_header("Content-Encoding") if record.http_headers else None
    encoding = (header or "").strip().lower()
    if encoding in ("", "identity") or encoding in BufferedReader.get_supported_decompressors():
        return None
    return encoding


def _crawl_date(value: str | None) -> datetime | None:
    return parse_date(value) if value else None


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def _next_record_start(handle: IO[bytes], offset: int, gzipped: bool, arc: bool, end: int | None = None) -> int | None:
    """Offset of the first record start at or after ``offset`` (and before ``end``), or None when there is none."""
    find = _gzip_member if gzipped else _arc_record if arc else _warc_record
    handle.seek(offset)
    carry = b""
    base = offset
    while (end is None or base < end) and (chunk := handle.read(_SCAN_CHUNK)):
        window = carry + chunk
        found = find(window)
        if found is not None:
            at = base - len(carry) + found
            return at if end is None or at < end else None
        carry = window[-_LONGEST_MARKER:]
        base += len(chunk)
    return None


def _holds_a_record_start(handle: IO[bytes], start: int, end: int, arc: bool) -> bool:
    """True when the uncompressed bytes of the record at ``start`` (to ``end``) hold another record's
    start; leaves ``handle`` where it was, for warcio reads on from there."""
    here = handle.tell()
    try:
        return _next_record_start(handle, start + 1, gzipped=False, arc=arc, end=end) is not None
    finally:
        handle.seek(here)


def _gzip_member(window: bytes) -> int | None:
    found = window.find(_GZIP_MEMBER_START)
    return found if found >= 0 else None


def _warc_record(window: bytes) -> int | None:
    found = _WARC_RECORD_START.search(window)
    return found.start() if found else None


def _arc_record(window: bytes) -> int | None:
    for line in _ARC_HEADER_LINE.finditer(window):
        fields = line.group().split()
        if len(fields) in _ARC_FIELDS and fields[-1].isdigit():
            return line.start()
    return None


def _bytes_between(handle: IO[bytes], start: int, end: int, limits: Limits) -> bytes:
    handle.seek(start)
    return handle.read(min(end - start, limits.raw_cap_bytes))

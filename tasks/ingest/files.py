"""Find input files under a source and turn them into raw records.

Reads: a folder (recursive), a single file, or an fsspec URL of either.
Yields: one RawRecord per .txt/.html/.htm file (also .gz), per JSONL line and per HTML
response record of a .warc/.warc.gz file (tasks/ingest/warc.py), or a Rejection (stage ingest) for
what cannot become a record: unreadable or empty files, oversized documents, truncated gzip,
JSONL lines that are not JSON objects or lack fields, corrupt WARC records.
Files with other suffixes under a folder are listed as skipped, never read; such a file named
as a source is an error. Folders that hold a lake's own
files are never listed: the run's lake, and any Delta table (a folder with a `_delta_log`).
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

import fsspec
import orjson
from fsspec.core import url_to_fs

from schemas.reasons import Reason, Stage
from tasks.config import LIMITS, Limits
from tasks.ingest.warc import read_warc
from tasks.records import RawRecord, Rejection

# ARC files are read by the WARC reader (warcio reads both) and their records are WARC records to
# every later stage, so they keep source_format "warc", one of the values the tables allow.
_FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".warc": "warc", ".arc": "warc"}
_READABLE = ", ".join(_FORMATS) + ", optionally .gz"


class SourceNotFoundError(FileNotFoundError):
    """A source given to the run does not exist."""


class UnsupportedInputError(ValueError):
    """A file named as a source has a suffix we do not read: skipping it would leave the run nothing to read."""


# What a listing shows that changes whenever a file's bytes do: an object store's ETag (or
# generation), a local file's modification time and inode (a file replaced by a rename gets a
# new one).
_CHANGE_MARKS = ("ETag", "etag", "md5Hash", "generation", "mtime", "ino", "LastModified", "last_modified")
# The folder that makes its parent a Delta table: a table's Parquet files are never inputs.
_DELTA_LOG = "_delta_log"


@dataclass(frozen=True)
class InputFile:
    uri: str  # absolute path for local files, the full URL otherwise
    source_format: str
    gzipped: bool
    stamp: str | None = None  # listing_stamp when it was listed; None when not listed or the store shows no such marks


class ExcludedKind(StrEnum):
    LAKE = "the lake folder"
    DELTA_TABLE = "the Delta table"


@dataclass(frozen=True)
class ExcludedFolder:
    """A folder under a source that discovery did not list: its files are the lake's, not inputs."""

    uri: str
    kind: ExcludedKind


@dataclass
class Discovery:
    inputs: list[InputFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files with a suffix we do not read
    excluded: list[ExcludedFolder] = field(default_factory=list)  # folders not listed at all


def input_format(name: str) -> tuple[str, bool] | None:
    """(format, gzipped) for a file name we read, else None."""
    suffixes = [s.lower() for s in PurePosixPath(name).suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    if gzipped:
        suffixes.pop()
    fmt = _FORMATS.get(suffixes[-1]) if suffixes else None
    return (fmt, gzipped) if fmt else None


def discover_inputs(sources: Iterable[str], lake: str | None = None) -> Discovery:
    """Every readable input under `sources`, sorted for a stable record order; the folder of
    `lake` and every Delta table under a source are left out whole, never listed."""
    found = Discovery()
    for source in sources:
        fs, root = url_to_fs(source)
        if not fs.exists(root):
            raise SourceNotFoundError(f"source not found: {source}")
        if fs.isdir(root):
            listing = _listing(fs, root, _lake_root(fs, lake), found.excluded)
        elif input_format(root) is None:
            raise UnsupportedInputError(f"{source} is not an input broadsheet reads ({_READABLE})")
        else:
            listing = {root: fs.info(root)}
        for path in sorted(listing):
            uri = _uri(fs, path)
            kind = input_format(path)
            if kind is None:
                found.skipped.append(uri)
            else:
                found.inputs.append(InputFile(uri, *kind, stamp=listing_stamp(listing[path])))
    # Two sources can hold the same folder; the summary names it once.
    found.excluded = sorted(set(found.excluded), key=lambda folder: folder.uri)
    return found


def _listing(
    fs: fsspec.AbstractFileSystem, root: str, lake_root: str | None, excluded: list[ExcludedFolder]
) -> dict[str, dict]:
    """path -> listing of every file under `root`, pruning (not listing) the lake and Delta tables.

    A walk instead of find: on an object store find lists the whole prefix in one go, including
    a lake's thousands of data files, only to throw them away.
    """
    files: dict[str, dict] = {}
    for folder, subfolders, folder_files in fs.walk(root, detail=True):
        folder = folder.rstrip("/")
        if (kind := _excluded_kind(folder, subfolders, lake_root)) is not None:
            excluded.append(ExcludedFolder(_uri(fs, folder), kind))
            subfolders.clear()  # walk descends only into the subfolders left in place
            continue
        files.update({info["name"]: info for info in folder_files.values()})
    return files


def _excluded_kind(folder: str, subfolders: dict, lake_root: str | None) -> ExcludedKind | None:
    if folder == lake_root:
        return ExcludedKind.LAKE
    if _DELTA_LOG in subfolders:
        return ExcludedKind.DELTA_TABLE
    return None


def _lake_root(fs: fsspec.AbstractFileSystem, lake: str | None) -> str | None:
    """The lake's path in the terms of `fs`, when the lake is on that same file system."""
    if lake is None:
        return None
    lake_fs, lake_root = url_to_fs(lake)
    return lake_root.rstrip("/") if lake_fs.protocol == fs.protocol else None


def _uri(fs: fsspec.AbstractFileSystem, path: str) -> str:
    return fs.unstrip_protocol(path) if _is_remote(fs) else path


def listing_stamp(info: dict) -> str | None:
    """A file's size and the _CHANGE_MARKS its listing shows, as one string: while it stays the
    same, so do the file's bytes. None when the listing shows no size or no mark."""
    marks = [f"{key}={info[key]}" for key in _CHANGE_MARKS if info.get(key) is not None]
    if info.get("size") is None or not marks:
        return None
    return ";".join([f"size={info['size']}", *marks])


def read_records(
    item: InputFile, limits: Limits = LIMITS, passed_over: Counter[str] | None = None
) -> Iterator[RawRecord | Rejection]:
    """The records of one input file, in order; never raises for bad content. Records that are
    not documents (a WARC file's requests, metadata, revisits, images) are counted in `passed_over`."""
    if item.source_format == "jsonl":
        yield from _read_jsonl(item)
        return
    if item.source_format == "warc":
        yield from read_warc(item.uri, limits, passed_over)  # warcio undoes the per-record gzip itself
        return
    whole = RawRecord(item.uri, 0, item.source_format, b"")
    try:
        with fsspec.open(item.uri, "rb") as handle:
            stored = handle.read(limits.max_document_bytes + 1)
    except OSError as error:
        yield Rejection.of(whole, Stage.INGEST, Reason.UNREADABLE, f"{type(error).__name__}: {error}")
        return
    record = RawRecord(item.uri, 0, item.source_format, stored)
    if len(stored) > limits.max_document_bytes:
        yield Rejection.of(record, Stage.INGEST, Reason.TOO_LARGE, f"over {limits.max_document_bytes} bytes")
        return
    if item.gzipped:
        try:
            content = _gunzip(stored, limits.max_document_bytes)
        except (EOFError, OSError, zlib.error) as error:
            yield Rejection.of(record, Stage.INGEST, Reason.TRUNCATED_GZIP, f"{type(error).__name__}: {error}")
            return
        except _TooLargeError as error:
            yield Rejection.of(record, Stage.INGEST, Reason.TOO_LARGE, str(error))
            return
        # Later stages and quarantine see the document's own bytes, not its gzip wrapper.
        stored = content
    yield document_record(item, stored)


def document_record(item: InputFile, content: bytes) -> RawRecord | Rejection:
    """The record of a one-record file, from its (decompressed) bytes."""
    record = RawRecord(item.uri, 0, item.source_format, content)
    if not content.strip():
        return Rejection.of(record, Stage.INGEST, Reason.EMPTY_INPUT, "the input has no content")
    return record


class _TooLargeError(ValueError):
    pass


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    # Bounded: a gzip bomb stops at max_bytes instead of filling memory.
    inflater = zlib.decompressobj(wbits=31)
    out = inflater.decompress(data, max_bytes + 1)
    if len(out) > max_bytes:
        raise _TooLargeError(f"decompresses to over {max_bytes} bytes")
    if not inflater.eof:
        raise EOFError("compressed data ends before the end-of-stream marker")
    return out


def _read_jsonl(item: InputFile) -> Iterator[RawRecord | Rejection]:
    line_no = -1
    try:
        with fsspec.open(item.uri, "rb") as raw_handle:
            handle = gzip.GzipFile(fileobj=raw_handle) if item.gzipped else raw_handle
            for line_no, line in enumerate(handle):
                if line.strip():
                    yield jsonl_record(item, line_no, line.rstrip(b"\r\n"))
    except (EOFError, OSError, zlib.error) as error:
        reason = Reason.TRUNCATED_GZIP if item.gzipped else Reason.UNREADABLE
        lost = RawRecord(item.uri, line_no + 1, "jsonl", b"")
        yield Rejection.of(lost, Stage.INGEST, reason, f"reading stopped after {_line_label(line_no)}: {error}")


def jsonl_record(item: InputFile, line_no: int, line: bytes) -> RawRecord | Rejection:
    """The record of one JSONL line (without its line break), or why it cannot be one."""
    bare = RawRecord(item.uri, line_no, "jsonl", line)
    where = _line_label(line_no)
    try:
        fields = _parse_json(line)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:  # deep nesting: RecursionError
        return Rejection.of(bare, Stage.INGEST, Reason.INVALID_JSON, f"{where}: {error}")
    if not isinstance(fields, dict):
        return Rejection.of(bare, Stage.INGEST, Reason.INVALID_JSON, f"{where}: not a JSON object")
    missing = []
    if not _non_empty_string(fields.get("url")):
        missing.append(Reason.MISSING_URL)
    if not (_non_empty_string(fields.get("html")) or _non_empty_string(fields.get("text"))):
        missing.append(Reason.MISSING_TEXT)
    if missing:
        return Rejection.of(
            bare, Stage.INGEST, missing, f"{where}: missing " + ", ".join(m.split(":")[1] for m in missing)
        )
    return RawRecord(item.uri, line_no, "jsonl", line, fields)


def _line_label(line_no: int) -> str:
    # source_record keeps the 0-based index; the error text counts lines as editors do, from 1.
    return f"line {line_no + 1}"


def _parse_json(line: bytes) -> Any:
    # The flow process parses every record: orjson does a benchmark page's line in half the time.
    # The standard library settles what orjson refuses (a BOM, NaN, a lone surrogate), so what is
    # accepted, and the error of what is not, stay as they were. (orjson reads integers past 64
    # bits as floats; every field we read is a string.)
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line.decode("utf-8-sig"))


def _non_empty_string(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_remote(fs: fsspec.AbstractFileSystem) -> bool:
    return "file" not in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))

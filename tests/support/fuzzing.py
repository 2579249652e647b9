"""Seeded mutations of small real inputs, and the check that reading and cleaning them never crash.

Shared by tests/tasks/test_fuzz_readers.py (a few hundred cases in `make test`) and
benchmarks/fuzz_readers.py (10,000). A case is named by (base seed, case number) alone: the
same pair rebuilds the same file, so a crash is reproduced by running that one case again.
"""

from __future__ import annotations

import gzip
import io
import random
import traceback
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from time import perf_counter

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tasks.clean_and_enrich import clean_and_enrich_or_reject
from tasks.ingest.files import discover_inputs, read_records
from tasks.records import RawRecord, Rejection

RAW_DATA = Path(__file__).resolve().parents[2] / "data" / "raw"
# Every input kind the readers take, each case one of them in turn.
SUFFIXES = (".txt", ".html", ".htm", ".html.gz", ".jsonl", ".warc", ".warc.gz", ".arc", ".arc.gz")
_MAX_INSERT = 64


@cache
def seed_files() -> dict[str, bytes]:
    """Uncompressed seed bytes per base suffix: the files of data/raw, and a WARC and an ARC file built here."""
    seeds = {path.suffix: path.read_bytes() for path in sorted(RAW_DATA.iterdir()) if path.is_file()}
    pages = [seeds[".html"], seeds[".htm"]]
    seeds[".warc"] = _warc(pages)
    seeds[".arc"] = b"".join(_arc_records(pages))
    return seeds


def _warc(pages: list[bytes]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    records = [writer.create_warcinfo_record("seed.warc", {"software": "fuzz"})]
    for number, body in enumerate(pages):
        url = f"https://news.example/{number}"
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        records.append(writer.create_warc_record(url, "request", http_headers=request))
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        records.append(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    for number, record in enumerate(records):
        # warcio stamps a random record id and the time of writing: fixed, so that a case is the same file every time
        record.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:{uuid.UUID(int=number)}>")
        record.rec_headers.replace_header("WARC-Date", "2024-03-05T06:07:08Z")
        writer.write_record(record)
    return buffer.getvalue()


def _arc_records(pages: list[bytes]) -> list[bytes]:
    # warcio writes no ARC, so these are written by hand as in tests/tasks/ingest/test_warc.py.
    def record(url: str, block: bytes, mime: str) -> bytes:
        return f"{url} 93.184.216.34 20240305060708 {mime} {len(block)}\n".encode() + block + b"\n"

    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    header = b"1 0 fuzz\nURL IP-address Archive-date Content-type Archive-length\n"
    return [record("filedesc://seed.arc", header, "text/plain")] + [
        record(f"http://news.example/{number}", http + body, "text/html") for number, body in enumerate(pages)
    ]


def _truncate(data: bytes, rng: random.Random, other: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _flip_bits(data: bytes, rng: random.Random, other: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _insert_bytes(data: bytes, rng: random.Random, other: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, _MAX_INSERT)) + data[at:]


def _delete_range(data: bytes, rng: random.Random, other: bytes) -> bytes:
    start = rng.randrange(len(data) + 1)
    return data[:start] + data[start + rng.randint(1, 256) :]


def _duplicate_range(data: bytes, rng: random.Random, other: bytes) -> bytes:
    start = rng.randrange(len(data) + 1)
    end = min(len(data), start + rng.randint(1, 512))
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[start:end] + data[at:]


def _splice(data: bytes, rng: random.Random, other: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1) :]


MUTATIONS: tuple[Callable[[bytes, random.Random, bytes], bytes], ...] = (
    _truncate,
    _flip_bits,
    _insert_bytes,
    _delete_range,
    _duplicate_range,
    _splice,
)


def _mutate(data: bytes, rng: random.Random, other: bytes) -> bytes:
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(MUTATIONS)(data, rng, other)
    return data


@dataclass(frozen=True)
class FuzzCase:
    case_id: str  # "<base seed>:<case number>", what reproduces it
    name: str  # the file name the case is written under, its suffix saying how it is read
    data: bytes


def fuzz_case(base_seed: int, number: int) -> FuzzCase:
    """Case `number` of the run seeded `base_seed`: one seed file, mutated; a .gz case is mutated
    before compressing, after, or both, so both the gzip layer and the payload break."""
    case_id = f"{base_seed}:{number}"
    rng = random.Random(case_id)
    suffix = SUFFIXES[number % len(SUFFIXES)]
    base = suffix.removesuffix(".gz")
    seeds = seed_files()
    other = seeds[rng.choice(sorted(seeds))]
    if not suffix.endswith(".gz"):
        return FuzzCase(case_id, f"case{number}{suffix}", _mutate(seeds[base], rng, other))
    where = rng.choice(("payload", "compressed", "both"))
    payload = seeds[base] if where == "compressed" else _mutate(seeds[base], rng, other)
    # Crawlers write one gzip member per WARC/ARC record; some files are gzipped whole.
    if base in (".warc", ".arc") and rng.random() < 0.5:
        compressed = b"".join(gzip.compress(record, mtime=0) for record in _split_records(payload, base))
    else:
        compressed = gzip.compress(payload, mtime=0)
    data = compressed if where == "payload" else _mutate(compressed, rng, other)
    return FuzzCase(case_id, f"case{number}{suffix}", data)


def _split_records(data: bytes, base: str) -> list[bytes]:
    """`data` cut before each record start still found in it (mutations may have broken some)."""
    start = b"WARC/1.0\r\n" if base == ".warc" else b"\nhttp://"
    cuts = [0]
    while (found := data.find(start, cuts[-1] + 1)) != -1:
        cuts.append(found + (1 if base == ".arc" else 0))
    return [data[begin:end] for begin, end in pairwise([*cuts, len(data)])]


@dataclass
class CaseResult:
    case: FuzzCase
    records: int = 0  # everything the reader yielded: records and rejections
    articles: int = 0  # records that came out of clean and enrich as rows
    quarantined: int = 0  # rejections, by the reader or by clean and enrich
    passed_over: int = 0  # records the reader counted and passed over: no page (WARC requests, images, ...)
    seconds: float = 0.0
    crash: str | None = None  # the traceback of what escaped, or the broken promise


def run_case(case: FuzzCase, folder: Path, clean: bool = True) -> CaseResult:
    """Write `case` under `folder`, read it, and (with `clean`) clean and enrich each record in
    this process; any exception that escapes, or a yield that is neither a record nor a
    rejection with reasons, is the case's crash."""
    result = CaseResult(case)
    path = folder / case.name
    path.write_bytes(case.data)
    started = perf_counter()
    passed_over: Counter[str] = Counter()
    try:
        for item in discover_inputs([str(path)]).inputs:
            for read in read_records(item, passed_over=passed_over):
                result.records += 1
                outcome = clean_and_enrich_or_reject(read).outcome if clean and isinstance(read, RawRecord) else read
                if isinstance(outcome, Rejection):
                    if not outcome.reasons:
                        raise AssertionError(f"rejection without reasons: {outcome.error}")
                    result.quarantined += 1
                elif isinstance(outcome, dict):
                    result.articles += 1
                elif not isinstance(outcome, RawRecord):
                    raise AssertionError(f"the reader yielded a {type(outcome).__name__}")
    except Exception:  # any escape is what the fuzzing looks for
        result.crash = traceback.format_exc()
    finally:
        result.seconds = perf_counter() - started
        result.passed_over = passed_over.total()
        path.unlink()
    return result

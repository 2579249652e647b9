import gzip
import io
import os
import tracemalloc
import zlib
from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import brotli
import pytest
from deltalake import DeltaTable
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tasks.config import LIMITS, Limits
from tasks.extract.clean import clean_batch
from tasks.ingest.files import discover_inputs, read_records
from tasks.lake.paths import articles_path, quarantine_path
from tasks.records import RawRecord, Rejection
from tasks.report.run_summary import summary_rows
from tests.support.factories import run_info
from tests.support.pipeline import run_pipeline

STORY = "<p>The harbour ferry runs again from Monday, the authority said, after five months of repairs.</p>"
RUSSIAN = "Мэрия Москвы объявила о новой линии метро, которая откроется в следующем году."


def page(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


class CrawlWriter:
    """A real WARC file written with warcio, record by record, remembering where each starts."""

    def __init__(self, gzipped: bool) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=gzipped)
        self.offsets: list[int] = []

    def _write(self, record) -> None:
        self.offsets.append(self.buffer.tell())
        self.writer.write_record(record)

    def warcinfo(self) -> None:
        self._write(self.writer.create_warcinfo_record("crawl.warc", {"software": "test"}))

    def request(self, url: str) -> None:
        headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        self._write(self.writer.create_warc_record(url, "request", http_headers=headers))

    def response(
        self,
        url: str,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        status: str = "200 OK",
        date: str = "2024-03-05T06:07:08Z",
        encoding: tuple[tuple[str, str], ...] = (),
    ) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type), *encoding], protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": date}
        )
        self._write(record)

    def resource(self, url: str, body: bytes, content_type: str) -> None:
        record = self.writer.create_warc_record(
            url, "resource", payload=io.BytesIO(body), warc_content_type=content_type
        )
        self._write(record)

    def revisit(self, url: str) -> None:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = self.writer.create_revisit_record(
            url, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", url, "2024-03-01T00:00:00Z", http_headers=headers
        )
        self._write(record)

    def metadata(self, url: str) -> None:
        record = self.writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 120\n"), warc_content_type="application/warc-fields"
        )
        self._write(record)

    def save(self, path) -> bytes:
        path.write_bytes(self.buffer.getvalue())
        return self.buffer.getvalue()


def crawl(gzipped: bool) -> CrawlWriter:
    """warcinfo, then request/response/metadata per page: a story, a KOI8-R page, an image, a 404."""
    crawl = CrawlWriter(gzipped)
    crawl.warcinfo()  # 0
    crawl.request("https://news.example/ferry")  # 1
    crawl.response("https://news.example/ferry", page("Ferry returns", STORY).encode())  # 2
    crawl.metadata("https://news.example/ferry")  # 3
    crawl.response(
        "https://news.example/metro",
        page("Метро", f"<p>{RUSSIAN}</p>").encode("koi8_r"),
        content_type="text/html; charset=KOI8-R",
    )  # 4
    crawl.response("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")  # 5
    crawl.response(
        "https://news.example/gone", page("Not found", "<p>No such page.</p>").encode(), status="404 Not Found"
    )  # 6
    crawl.response("https://news.example/bridge", page("Bridge opens", STORY.replace("ferry", "bridge")).encode())  # 7
    return crawl


def read_all(path, limits=LIMITS):
    [item] = discover_inputs([str(path)]).inputs
    return list(read_records(item, limits))


def read_counting(path):
    """The records of the file at `path`, and the records passed over, counted by kind."""
    [item] = discover_inputs([str(path)]).inputs
    passed_over = Counter()
    return list(read_records(item, passed_over=passed_over)), passed_over


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_html_responses_are_records_with_url_crawl_date_and_http_charset(tmp_path, name):
    crawl(gzipped=name.endswith(".gz")).save(tmp_path / name)

    records = read_all(tmp_path / name)

    assert all(isinstance(r, RawRecord) for r in records)
    assert [(r.source_record, r.fields["url"]) for r in records] == [
        (2, "https://news.example/ferry"),
        (4, "https://news.example/metro"),
        (7, "https://news.example/bridge"),
    ]
    assert {r.source_format for r in records} == {"warc"}
    assert records[0].fields["date_crawled"] == datetime(2024, 3, 5, 6, 7, 8, tzinfo=UTC)
    assert [r.fields["charset"] for r in records] == ["utf-8", "koi8-r", "utf-8"]
    assert records[0].raw == page("Ferry returns", STORY).encode()


def test_warc_records_clean_into_articles_with_crawl_date(tmp_path):
    crawl(gzipped=True).save(tmp_path / "crawl.warc.gz")

    rows, rejections, _ = clean_batch(read_all(tmp_path / "crawl.warc.gz"))

    assert rejections == []
    ferry, metro, _ = rows
    assert ferry["url"] == "https://news.example/ferry"
    assert ferry["date_crawled"] == datetime(2024, 3, 5, 6, 7, 8, tzinfo=UTC)
    assert ferry["text"].startswith("The harbour ferry runs again from Monday")
    assert metro["text"] == RUSSIAN  # decoded with the HTTP header's charset: the page has no <meta>


@pytest.mark.parametrize("gzipped", [False, True])
def test_corrupt_record_is_quarantined_and_the_rest_of_the_file_flows(tmp_path, gzipped):
    writer = crawl(gzipped)
    data = bytearray(writer.buffer.getvalue())
    start = writer.offsets[4]
    data[start + 3 : start + 40] = b"\x00 not a WARC header, not gzip either!"
    (tmp_path / "crawl.warc").write_bytes(bytes(data))

    records = read_all(tmp_path / "crawl.warc")

    assert [(type(r).__name__, r.source_record) for r in records] == [
        ("RawRecord", 2),
        ("Rejection", 4),
        ("RawRecord", 7),
    ]
    assert records[1].reasons == ("corrupt_warc",)
    assert records[1].raw == bytes(data[start : writer.offsets[5]])
    assert records[2].fields["url"] == "https://news.example/bridge"


@pytest.mark.parametrize("gzipped", [False, True])
def test_truncated_last_record_is_quarantined_after_the_records_before_it(tmp_path, gzipped):
    writer = crawl(gzipped)
    data = writer.buffer.getvalue()
    cut = data[: writer.offsets[7] + 150]  # inside the last response's payload (or its gzip member)
    (tmp_path / "crawl.warc").write_bytes(cut)

    records = read_all(tmp_path / "crawl.warc")

    assert [(type(r).__name__, r.source_record) for r in records] == [
        ("RawRecord", 2),
        ("RawRecord", 4),
        ("Rejection", 7),
    ]
    assert isinstance(records[-1], Rejection) and records[-1].reasons == ("corrupt_warc",)
    assert records[-1].raw == cut[writer.offsets[7] :]


def test_oversized_payload_is_rejected_without_reading_it_whole(tmp_path):
    writer = CrawlWriter(gzipped=True)
    writer.response("https://news.example/huge", page("Huge", "<p>" + "word " * 5000 + "</p>").encode())
    writer.response("https://news.example/ferry", page("Ferry returns", STORY).encode())
    writer.save(tmp_path / "crawl.warc.gz")

    records = read_all(tmp_path / "crawl.warc.gz", Limits(max_document_bytes=2000))

    assert [(type(r).__name__, r.source_record) for r in records] == [("Rejection", 0), ("RawRecord", 1)]
    assert records[0].reasons == ("too_large",) and len(records[0].raw) == 2001


def test_records_stream_from_a_crawl_without_reading_the_file_whole(tmp_path):
    """A crawl of 200 pages (8 MB) read record by record: memory holds a few records, never the file."""
    writer = CrawlWriter(gzipped=False)
    for n in range(200):
        writer.response(f"https://news.example/{n}", page(f"Story {n}", f"<p>Story {n}.</p>" + STORY * 400).encode())
    size = len(writer.save(tmp_path / "crawl.warc"))
    [item] = discover_inputs([str(tmp_path / "crawl.warc")]).inputs

    tracemalloc.start()
    try:
        records = read_records(item)
        first = next(records)  # a generator: the first page comes before the rest is read
        urls = [first.fields["url"]] + [record.fields["url"] for record in records]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert urls == [f"https://news.example/{n}" for n in range(200)]
    assert size > 7_500_000 and peak < 1_000_000, f"peak {peak} bytes while reading a {size}-byte crawl"


def test_one_gzip_member_for_the_whole_file_with_a_corrupt_record_inside(tmp_path):
    """An uncompressed WARC gzipped whole (`gzip crawl.warc`): warcio's offsets are in the decompressed stream."""
    writer = crawl(gzipped=False)
    data = bytearray(writer.buffer.getvalue())
    start = writer.offsets[4]
    data[start + 3 : start + 40] = b"\x00 not a WARC header, not gzip either!"
    (tmp_path / "crawl.warc.gz").write_bytes(gzip.compress(bytes(data)))

    records = read_all(tmp_path / "crawl.warc.gz")

    assert [(type(r).__name__, r.source_record) for r in records] == [
        ("RawRecord", 2),
        ("Rejection", 4),
        ("RawRecord", 7),
    ]
    assert records[1].reasons == ("corrupt_warc",)
    assert records[1].raw == bytes(data[start : writer.offsets[5]])
    assert f"byte {start} of the decompressed stream" in records[1].error
    assert records[2].fields["url"] == "https://news.example/bridge"


def kinds(records) -> list[tuple[str, int]]:
    return [(type(r).__name__, r.source_record) for r in records]


@pytest.mark.parametrize("members", [1, 2], ids=["one-member", "two-whole-files-concatenated"])
def test_whole_file_gzip_reads_every_record(tmp_path, members):
    writer = crawl(gzipped=False)
    data = writer.buffer.getvalue()
    halves = [data] if members == 1 else [data[: writer.offsets[4]], data[writer.offsets[4] :]]
    (tmp_path / "crawl.warc.gz").write_bytes(b"".join(gzip.compress(half) for half in halves))

    records = read_all(tmp_path / "crawl.warc.gz")

    assert kinds(records) == [("RawRecord", 2), ("RawRecord", 4), ("RawRecord", 7)]
    assert records[0].raw == page("Ferry returns", STORY).encode()


def test_gzip_member_with_bytes_past_its_record_is_a_corrupt_record_not_a_crash(tmp_path):
    """Found by fuzzing: warcio's offset after such a member ran backwards, and seeking there raised."""
    writer = crawl(gzipped=False)
    data = writer.buffer.getvalue()
    bounds = [*writer.offsets, len(data)]
    records = [data[start:end] for start, end in pairwise(bounds)]
    records[2] += b"x" * 200_000  # decompresses to far more than the member's compressed size
    (tmp_path / "crawl.warc.gz").write_bytes(b"".join(gzip.compress(record) for record in records))

    records_read = read_all(tmp_path / "crawl.warc.gz")

    assert kinds(records_read) == [("Rejection", 2), ("RawRecord", 4), ("RawRecord", 7)]
    assert records_read[0].reasons == ("corrupt_warc",)


def test_truncated_whole_file_gzip_keeps_the_records_before_the_cut(tmp_path):
    writer = crawl(gzipped=False)
    compressed = gzip.compress(writer.buffer.getvalue())
    (tmp_path / "crawl.warc.gz").write_bytes(compressed[:-60])  # the stream ends inside the last record

    records = read_all(tmp_path / "crawl.warc.gz")

    assert kinds(records) == [("RawRecord", 2), ("RawRecord", 4), ("Rejection", 7)]
    assert records[-1].reasons == ("corrupt_warc",)
    assert records[-1].error.endswith("of the decompressed stream")


def test_warcio_warnings_go_to_the_log_not_the_terminal(tmp_path, capsys, caplog):
    """A Content-Length one byte short: warcio warns "Record not followed by newline" on stderr."""
    writer = crawl(gzipped=False)
    data = writer.buffer.getvalue()
    start = writer.offsets[2]
    header_end = data.index(b"\r\n\r\n", start)
    length_at = data.index(b"Content-Length: ", start, header_end) + len(b"Content-Length: ")
    length_end = data.index(b"\r\n", length_at)
    short = str(int(data[length_at:length_end]) - 1).encode()
    (tmp_path / "crawl.warc").write_bytes(data[:length_at] + short + data[length_end:])

    records = read_all(tmp_path / "crawl.warc")

    assert capsys.readouterr().err == ""
    assert any("Content-Length is invalid" in message for message in caplog.messages)
    assert [r.fields["url"] for r in records if isinstance(r, RawRecord)][-1] == "https://news.example/bridge"


def test_resource_records_holding_html_are_pages_and_revisits_and_metadata_are_passed_over(tmp_path):
    """What browser-based crawlers write: the page as a resource record, without HTTP headers."""
    writer = CrawlWriter(gzipped=True)
    writer.warcinfo()  # 0
    writer.resource("https://news.example/ferry", page("Ferry returns", STORY).encode(), "text/html; charset=utf-8")
    writer.resource("https://news.example/shot.png", b"\x89PNG\r\n\x1a\n", "image/png")  # 2
    writer.revisit("https://news.example/ferry")  # 3
    writer.metadata("https://news.example/ferry")  # 4
    writer.response("https://news.example/bridge", page("Bridge opens", STORY).encode())  # 5
    writer.save(tmp_path / "crawl.warc.gz")

    records, passed_over = read_counting(tmp_path / "crawl.warc.gz")

    assert kinds(records) == [("RawRecord", 1), ("RawRecord", 5)]
    assert passed_over == {"warcinfo": 1, "not_html": 1, "revisit": 1, "metadata": 1}
    assert records[0].raw == page("Ferry returns", STORY).encode()
    assert records[0].fields["url"] == "https://news.example/ferry"
    assert records[0].fields["charset"] == "utf-8"


def chunked(body: bytes, sizes: tuple[int, int] | None = None) -> bytes:
    """``body`` in two chunks of HTTP chunked transfer encoding; ``sizes`` overrides the sizes the chunks claim."""
    parts = [body[:40], body[40:]]
    claimed = sizes or tuple(len(part) for part in parts)
    return b"".join(b"%x\r\n" % size + part + b"\r\n" for size, part in zip(claimed, parts, strict=True)) + b"0\r\n\r\n"


HTML = page("Ferry returns", STORY).encode()
ENCODED_PAYLOADS = {
    "chunked": ((("Transfer-Encoding", "chunked"),), chunked(HTML)),
    "gzip": ((("Content-Encoding", "gzip"),), gzip.compress(HTML)),
    "deflate": ((("Content-Encoding", "deflate"),), zlib.compress(HTML)),
    "raw-deflate": ((("Content-Encoding", "deflate"),), zlib.compress(HTML)[2:-4]),
    "chunked-gzip": ((("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")), chunked(gzip.compress(HTML))),
}


@pytest.mark.parametrize("name", ENCODED_PAYLOADS)
def test_transfer_and_content_encodings_are_undone(tmp_path, name):
    encoding, payload = ENCODED_PAYLOADS[name]
    writer = CrawlWriter(gzipped=True)
    writer.response("https://news.example/ferry", payload, encoding=encoding)
    writer.save(tmp_path / "crawl.warc.gz")

    [record] = read_all(tmp_path / "crawl.warc.gz")

    assert record.raw == HTML


def test_wrong_chunk_sizes_leave_the_payload_as_stored_and_the_rest_flows(tmp_path):
    """warcio gives up on chunks that lie about their size and hands over the payload about as
    stored (chunk sizes in it, and two bytes lost where it expected a chunk's line break)."""
    writer = CrawlWriter(gzipped=False)
    writer.response(
        "https://news.example/ferry", chunked(HTML, sizes=(90, 7)), encoding=(("Transfer-Encoding", "chunked"),)
    )
    writer.response("https://news.example/bridge", HTML)
    writer.save(tmp_path / "crawl.warc")

    records = read_all(tmp_path / "crawl.warc")

    assert kinds(records) == [("RawRecord", 0), ("RawRecord", 1)]
    assert records[0].raw.startswith(b"5a\r\n<html>") and b"The harbour ferry runs again" in records[0].raw
    assert records[1].raw == HTML


def test_spaces_in_the_target_uri_are_escaped(tmp_path):
    writer = CrawlWriter(gzipped=False)
    writer.response("https://news.example/ferry returns", HTML)
    writer.save(tmp_path / "crawl.warc")

    [record] = read_all(tmp_path / "crawl.warc")

    assert record.fields["url"] == "https://news.example/ferry%20returns"


def arc_record(url: str, block: bytes, mime: str = "text/html") -> bytes:
    """One ARC v1 record: its header line (URL, IP, date, type, length) and its block."""
    return f"{url} 93.184.216.34 20240305060708 {mime} {len(block)}\n".encode() + block + b"\n"


def arc_records() -> list[bytes]:
    """An ARC file's records: the filedesc header, then two HTTP responses."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    return [
        arc_record(
            "filedesc://crawl.arc", b"1 0 test\nURL IP-address Archive-date Content-type Archive-length\n", "text/plain"
        ),
        arc_record("http://news.example/ferry", http + HTML),
        arc_record("http://news.example/bridge", http + page("Bridge opens", STORY).encode()),
    ]


@pytest.mark.parametrize(
    ("name", "compress"),
    [
        ("crawl.arc", b"".join),
        ("crawl.arc.gz", lambda records: b"".join(gzip.compress(record) for record in records)),
        ("whole.arc.gz", lambda records: gzip.compress(b"".join(records))),
    ],
)
def test_arc_files_are_read_as_warc_records(tmp_path, name, compress):
    (tmp_path / name).write_bytes(compress(arc_records()))

    records = read_all(tmp_path / name)

    assert kinds(records) == [("RawRecord", 1), ("RawRecord", 2)]
    assert [r.fields["url"] for r in records] == ["http://news.example/ferry", "http://news.example/bridge"]
    assert records[0].fields["date_crawled"] == datetime(2024, 3, 5, 6, 7, 8, tzinfo=UTC)
    assert {r.source_format for r in records} == {"warc"}
    assert records[0].raw == HTML


def test_corrupt_arc_record_in_its_own_gzip_member_is_quarantined(tmp_path):
    members = [gzip.compress(record) for record in arc_records()]
    members[1] = members[1][:-30]  # the ferry's member cut off: its gzip stream ends early
    (tmp_path / "crawl.arc.gz").write_bytes(b"".join(members))

    records = read_all(tmp_path / "crawl.arc.gz")

    assert kinds(records) == [("Rejection", 1), ("RawRecord", 2)]
    assert records[0].reasons == ("corrupt_warc",)
    assert records[1].fields["url"] == "http://news.example/bridge"


def test_a_damaged_whole_file_gzip_crawl_costs_only_its_bad_record_in_a_run(tmp_path):
    """Through the plain pipeline: the good records of the crawl and the file next to it are committed,
    the damaged record is quarantined with its reason, and the run completes."""
    writer = crawl(gzipped=False)
    data = bytearray(writer.buffer.getvalue())
    start = writer.offsets[4]
    data[start + 3 : start + 40] = b"\x00 not a WARC header, not gzip either!"
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "crawl.warc.gz").write_bytes(gzip.compress(bytes(data)))
    (inputs / "notice.txt").write_text(f"Council notice\n\n{STORY} " * 3)
    lake = str(tmp_path / "lake")

    summary = run_pipeline([str(inputs)], lake, run_info(1, "damaged-crawl"))

    articles = DeltaTable(articles_path(lake)).to_pyarrow_table().to_pylist()
    quarantine = DeltaTable(quarantine_path(lake)).to_pyarrow_table().to_pylist()
    committed = {(Path(r["source_uri"]).name, r["source_record"]) for r in articles}
    assert committed == {("crawl.warc.gz", 2), ("crawl.warc.gz", 7), ("notice.txt", 0)}
    [bad] = quarantine
    assert (Path(bad["source_uri"]).name, bad["source_record"]) == ("crawl.warc.gz", 4)
    assert (bad["stage"], bad["reasons"]) == ("ingest", ["corrupt_warc"])
    assert summary.records_read == len(articles) + len(quarantine)
    # The records that are no page are passed over, and the run summary counts them by kind.
    passed_over = {"warcinfo": 1, "request": 1, "metadata": 1, "not_html": 1, "not_2xx": 1}
    assert summary.stages["ingest"].passed_over == passed_over
    rows = summary_rows(summary)
    assert ("records passed over (not pages)", "5") in rows and ("  passed over: not_2xx", "1") in rows


def test_every_record_that_is_no_page_is_counted_by_kind(tmp_path):
    writer = crawl(gzipped=False)
    writer.revisit("https://news.example/ferry")  # 8
    writer.save(tmp_path / "crawl.warc")

    records, passed_over = read_counting(tmp_path / "crawl.warc")

    assert kinds(records) == [("RawRecord", 2), ("RawRecord", 4), ("RawRecord", 7)]
    assert passed_over == {"warcinfo": 1, "request": 1, "metadata": 1, "not_html": 1, "not_2xx": 1, "revisit": 1}
    assert len(records) + passed_over.total() == 9  # every record of the file, read or passed over


def test_a_content_encoding_that_cannot_be_undone_is_quarantined_not_passed_on_compressed(tmp_path):
    """warcio hands over a payload it cannot decompress as stored: cleaned, its compressed bytes
    could pass for text in some legacy charset."""
    compressed = b"\x1b\x8f\x00\xf8\x05\x88\x8a\x9c\x0f\xbd\x81\x81\xd5\x97\x0b" * 8
    writer = CrawlWriter(gzipped=True)
    writer.response("https://news.example/ferry", compressed, encoding=(("Content-Encoding", "zstd"),))
    writer.response("https://news.example/bridge", HTML)
    writer.save(tmp_path / "crawl.warc.gz")

    records = read_all(tmp_path / "crawl.warc.gz")

    assert kinds(records) == [("Rejection", 0), ("RawRecord", 1)]
    assert records[0].reasons == ("unsupported_encoding",) and records[0].raw == compressed
    assert records[0].error == "Content-Encoding zstd cannot be undone"


def test_brotli_payloads_are_decompressed(tmp_path):
    writer = CrawlWriter(gzipped=True)
    writer.response("https://news.example/ferry", brotli.compress(HTML), encoding=(("Content-Encoding", "br"),))
    writer.save(tmp_path / "crawl.warc.gz")

    [record] = read_all(tmp_path / "crawl.warc.gz")

    assert record.raw == HTML


def test_a_brotli_bomb_stops_at_the_size_limit_in_bounded_memory(tmp_path):
    """1 GB of zeros is a few kB of brotli: read up to the limit, never whole."""
    writer = CrawlWriter(gzipped=True)
    bomb = brotli.compress(b"\0" * 1_000_000_000, quality=1)
    writer.response("https://news.example/bomb", bomb, encoding=(("Content-Encoding", "br"),))
    writer.response("https://news.example/bridge", HTML)
    writer.save(tmp_path / "crawl.warc.gz")
    del bomb

    tracemalloc.start()
    records = read_all(tmp_path / "crawl.warc.gz")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert kinds(records) == [("Rejection", 0), ("RawRecord", 1)]
    assert records[0].reasons == ("too_large",)
    assert peak < 3 * LIMITS.max_document_bytes


def test_a_gzip_bomb_in_a_payload_stops_at_the_size_limit_in_bounded_memory(tmp_path):
    """200 MB of zeros, gzipped to 200 KB, as a page's Content-Encoding: read up to the limit, never
    whole. warcio inflates 16 KiB of input at a time, up to about 16 MB out of a block of zeros: the
    peak is the same for a bomb four times the size (measured: 48 MB for 50, 200 and 800 MB)."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip framing
    zeros = b"\0" * (1024 * 1024)
    bomb = b"".join(squeeze.compress(zeros) for _ in range(200)) + squeeze.flush()
    writer = CrawlWriter(gzipped=True)
    writer.response("https://news.example/bomb", bomb, encoding=(("Content-Encoding", "gzip"),))
    writer.response("https://news.example/bridge", HTML)
    writer.save(tmp_path / "crawl.warc.gz")

    tracemalloc.start()
    try:
        records = read_all(tmp_path / "crawl.warc.gz", Limits(max_document_bytes=1024 * 1024))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert len(bomb) < 300_000
    assert kinds(records) == [("Rejection", 0), ("RawRecord", 1)]
    assert records[0].reasons == ("too_large",) and len(records[0].raw) == 1024 * 1024 + 1
    assert peak < 64_000_000, f"peak {peak} bytes reading a 200 MB payload capped at 1 MiB"


ARC_DAMAGE = {
    "a length past its end": lambda record: record.replace(b" text/html 2", b" text/html 9", 1),
    "a length that is no number": lambda record: record.replace(b" text/html 2", b" text/html x2", 1),
    "cut short, the next record right after": lambda record: record[:120],
    "bytes before its header line": lambda record: b"\x00\x01 not an ARC header\n" + record,  # the record is whole
}


@pytest.mark.parametrize("damage", ARC_DAMAGE)
@pytest.mark.parametrize("name", ["crawl.arc", "whole.arc.gz"])
def test_a_damaged_record_in_the_middle_of_an_uncompressed_arc_costs_only_itself(tmp_path, damage, name):
    records = arc_records()
    metro = arc_record("http://news.example/metro", records[1].split(b"\n", 1)[1][: -len(b"\n")])
    records = [records[0], ARC_DAMAGE[damage](records[1]), records[2], metro]
    data = b"".join(records)
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)

    read = read_all(tmp_path / name)

    after = ["http://news.example/bridge", "http://news.example/metro"]
    if damage == "bytes before its header line":  # they are the broken record; the ferry after them is whole
        after.insert(0, "http://news.example/ferry")
    assert kinds(read) == [("Rejection", 1)] + [("RawRecord", n) for n in range(2, 2 + len(after))]
    assert read[0].reasons == ("corrupt_warc",) and f"at byte {len(records[0])}" in read[0].error
    assert [r.fields["url"] for r in read[1:]] == after


@pytest.mark.parametrize("cut", [5, 120, 500, 590])
def test_a_warc_record_cut_short_with_the_next_record_right_after_is_quarantined(tmp_path, cut):
    """What a crawler that died mid-record and went on appending to the same file leaves."""
    writer = crawl(gzipped=False)
    data = writer.buffer.getvalue()
    bounds = [*writer.offsets, len(data)]
    records = [data[start:end] for start, end in pairwise(bounds)]
    records[4] = records[4][:cut]  # the KOI8-R page: in its version line, headers, HTTP headers, payload
    (tmp_path / "crawl.warc").write_bytes(b"".join(records))

    read, passed_over = read_counting(tmp_path / "crawl.warc")

    assert kinds(read) == [("RawRecord", 2), ("Rejection", 4), ("RawRecord", 7)]
    assert read[1].raw == records[4] and read[2].fields["url"] == "https://news.example/bridge"
    assert passed_over.total() == 5  # warcinfo, request, metadata, the image, the 404: nothing else lost


def test_a_warc_file_gone_since_it_was_listed_is_unreadable_not_a_failed_run(tmp_path):
    crawl(gzipped=True).save(tmp_path / "crawl.warc.gz")
    [item] = discover_inputs([str(tmp_path / "crawl.warc.gz")]).inputs
    os.remove(tmp_path / "crawl.warc.gz")

    [record] = read_records(item)

    assert isinstance(record, Rejection) and record.reasons == ("unreadable",)
    assert record.error.startswith("FileNotFoundError")

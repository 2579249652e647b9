import io
import tracemalloc
from datetime import UTC, datetime

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tasks.config import LIMITS, Limits
from tasks.extract.clean import clean_batch
from tasks.ingest.files import discover_inputs, read_records
from tasks.records import RawRecord, Rejection

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
    ) -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": date}
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

"""A corpus of hostile and broken inputs through the whole pipeline (plain Python, real Delta tables).

The run completes, every record ends in `articles` or in `quarantine` with a specific reason,
and nothing from an external entity, an entity expansion or a script reaches any column.
"""

import gzip
import json
import unicodedata
from pathlib import Path

import pytest
from deltalake import DeltaTable

from tasks.lake.paths import articles_path, quarantine_path
from tests.support.factories import run_info
from tests.support.pipeline import run_pipeline

STORY = "The city council approved the new budget on Tuesday after a long debate about school funding. " * 5
PASSWD_FIRST_LINE = Path("/etc/passwd").read_text().splitlines()[0]
FORBIDDEN = ("alert(", "pwned", "document.write", "lollol", "<script", PASSWD_FIRST_LINE)


def _page(body: str, head: str = "", doctype: str = "<!DOCTYPE html>") -> str:
    return f"{doctype}<html lang='en'><head><title>Budget Passes</title>{head}</head><body>{body}</body></html>"


def _jsonl_lines() -> list[str]:
    xxe_html = (
        '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f"<html><body><article><p>{STORY}</p><p>&xxe;</p><script>alert('pwned')</script></article></body></html>"
    )
    return [
        json.dumps({"url": "https://news.example.com/ok", "title": "Fine", "text": STORY}),  # 0
        '{"url": "https://news.example.com/cut", "text": "broken',  # 1: broken line
        json.dumps({"title": "no url", "text": STORY}),  # 2
        json.dumps({"url": "https://news.example.com/no-text"}),  # 3
        json.dumps([1, 2, 3]),  # 4: not an object
        "[" * 100_000 + "]" * 100_000,  # 5: 100k-deep nesting
        json.dumps({"url": "https://news.example.com/xxe", "html": xxe_html}),  # 6
        json.dumps(
            {"url": "https://news.example.com/future", "text": STORY, "date_published": "2999-01-01T00:00:00Z"}
        ),  # 7
        json.dumps({"url": "javascript:alert('pwned')", "text": STORY}),  # 8: not an http(s) URL
    ]


def hostile_corpus() -> dict[str, bytes]:
    complete_gzip = gzip.compress(_page(f"<article><p>{STORY}</p></article>").encode())
    entities = "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10))
    export = "\n".join(_jsonl_lines()).encode() + b"\n\xff\xfe not UTF-8 \n"  # 9: undecodable line
    many = "".join(
        json.dumps({"url": f"https://news.example.com/gz-{i}", "text": f"Story {i}. {STORY}"}) + "\n" for i in range(50)
    )
    paragraph = "<p>" + "Council news paragraph with enough words to count. " * 20 + "</p>"
    return {
        "empty.txt": b"",
        "whitespace.html": b"  \n\t \r\n",
        "binary.html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "nul_bytes.txt": b"Budget\x00Passes\n\n" + STORY.encode(),
        "truncated.html.gz": complete_gzip[: len(complete_gzip) // 2],
        "gzip_bomb.html.gz": gzip.compress(b"<p>" + b"a" * (12 * 1024 * 1024) + b"</p>"),
        "huge_30mb.html": _page(paragraph * 30_000).encode(),
        "invalid_utf8.txt": f"Budget Passes\n\n{STORY}".encode() + b"\xff\xfe\xc3\x28 caf\xe9 \x80\x81",
        "lying_charset.html": _page(
            f"<article><p>Caf\xe9 cr\xe8me. {STORY}</p></article>", '<meta charset="utf-8">'
        ).encode("latin-1"),
        "utf16_bom.txt": f"Budget Passes\n\n{STORY}".encode("utf-16"),
        "billion_laughs.html": (
            f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{entities}]>'
            + _page(f"<article><p>{STORY}</p><p>&lol9;</p></article>", doctype="")
        ).encode(),
        "xxe_passwd.html": (
            '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + _page(f"<article><p>{STORY}</p><p>&xxe;</p></article>", doctype="")
        ).encode(),
        "deep_nesting.html": _page("<div>" * 100_000 + f"<p>{STORY}</p>" + "</div>" * 100_000).encode(),
        "control_chars.txt": (
            "Budget\x07 Passes\n\n" + STORY.replace("council", "coun\x01cil\x1b[31m") + "\x0b\x0c\x7f"
        ).encode(),
        "script_only.html": _page("<script>alert('pwned')</script><style>p{color:red}</style>").encode(),
        "script_in_article.html": _page(
            f"<article><p>{STORY}</p><script>document.write('pwned')</script>"
            "<p onclick=\"alert('pwned')\">A second paragraph of the story, with a handler on it.</p></article>"
        ).encode(),
        "export.jsonl": export,
        "truncated.jsonl.gz": gzip.compress(many.encode())[:-40],
        "name with spaces.txt": f"Spaces\n\n{STORY}".encode(),
        "ünïcödé 文章.txt": f"Unicode\n\n{STORY}".encode(),
        "new\nline.txt": f"Newline\n\n{STORY}".encode(),
        "-leading-dash.txt": f"Dash\n\n{STORY}".encode(),
        "crawl.warc": _warc_with_a_record_cut_short(),
    }


def _warc_with_a_record_cut_short() -> bytes:
    """A crawl whose first response is whole and whose second claims more bytes than the file holds."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    page = _page(f"<article><p>{STORY}</p></article>").encode()
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/budget", "response", payload=io.BytesIO(page), http_headers=headers
        )
    )
    return buffer.getvalue() + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ncut short"


# input -> (table, stage, reasons) of its one record; JSONL and gzip JSONL are checked per line below.
EXPECTED = {
    "empty.txt": ("quarantine", "ingest", ["empty_input"]),
    "whitespace.html": ("quarantine", "ingest", ["empty_input"]),
    "binary.html": ("quarantine", "clean", ["binary"]),
    "nul_bytes.txt": ("quarantine", "clean", ["binary"]),
    "truncated.html.gz": ("quarantine", "ingest", ["truncated_gzip"]),
    "gzip_bomb.html.gz": ("quarantine", "ingest", ["too_large"]),
    "huge_30mb.html": ("quarantine", "ingest", ["too_large"]),
    "deep_nesting.html": ("quarantine", "clean", ["empty_body"]),  # the parser caps the depth: no text left
    "invalid_utf8.txt": ("articles", None, None),
    "lying_charset.html": ("articles", None, None),
    "utf16_bom.txt": ("articles", None, None),
    "billion_laughs.html": ("articles", None, None),
    "xxe_passwd.html": ("articles", None, None),
    "control_chars.txt": ("articles", None, None),
    "script_only.html": ("quarantine", "clean", ["empty_body"]),
    "script_in_article.html": ("articles", None, None),
    "name with spaces.txt": ("articles", None, None),
    "ünïcödé 文章.txt": ("articles", None, None),
    "new\nline.txt": ("articles", None, None),
    "-leading-dash.txt": ("articles", None, None),
    "crawl.warc": ("articles", None, None),  # its first record; the second is checked below
}
EXPECTED_JSONL = {
    0: ("articles", None, None),
    1: ("quarantine", "ingest", ["invalid_json"]),
    2: ("quarantine", "ingest", ["missing_field:url"]),
    3: ("quarantine", "ingest", ["missing_field:text"]),
    4: ("quarantine", "ingest", ["invalid_json"]),
    5: ("quarantine", "ingest", ["invalid_json"]),
    6: ("articles", None, None),
    7: ("quarantine", "validate", ["date_out_of_range"]),
    8: ("articles", None, None),
    9: ("quarantine", "ingest", ["invalid_json"]),
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, data in hostile_corpus().items():
        (folder / name).write_bytes(data)
    lake = str(tmp_path_factory.mktemp("lake"))
    summary = run_pipeline([str(folder)], lake, run_info(1, "hostile-run"), batch_size=8)
    articles = DeltaTable(articles_path(lake)).to_pyarrow_table().to_pylist()
    quarantine = DeltaTable(quarantine_path(lake)).to_pyarrow_table().to_pylist()
    outcomes = {(Path(r["source_uri"]).name, r["source_record"]): ("articles", None, None) for r in articles}
    for r in quarantine:
        outcomes[(Path(r["source_uri"]).name, r["source_record"])] = ("quarantine", r["stage"], r["reasons"])
    return summary, articles, quarantine, outcomes


def test_corpus_has_at_least_twenty_hostile_inputs():
    assert len(hostile_corpus()) >= 20 and len(EXPECTED) + len(EXPECTED_JSONL) >= 20


def test_every_record_lands_where_expected_with_its_reason(hostile_run):
    _, _, _, outcomes = hostile_run
    for name, expected in EXPECTED.items():
        assert outcomes[(name, 0)] == expected, name
    for line, expected in EXPECTED_JSONL.items():
        assert outcomes[("export.jsonl", line)] == expected, f"export.jsonl line {line}"


def test_truncated_gzip_jsonl_keeps_the_lines_before_the_cut(hostile_run):
    _, _, _, outcomes = hostile_run
    lines = sorted(record for name, record in outcomes if name == "truncated.jsonl.gz")
    *complete, last = lines
    assert complete == list(range(len(complete))) and len(complete) >= 40
    assert all(outcomes[("truncated.jsonl.gz", n)][0] == "articles" for n in complete)
    assert outcomes[("truncated.jsonl.gz", last)] == ("quarantine", "ingest", ["truncated_gzip"])


def test_every_record_read_is_accounted_for(hostile_run):
    summary, articles, quarantine, _ = hostile_run
    assert summary.records_read == len(articles) + len(quarantine) + summary.superseded
    assert summary.superseded == 0
    assert summary.skipped_files == []


def test_warc_record_cut_short_is_quarantined_and_the_rest_flows(hostile_run):
    _, _, _, outcomes = hostile_run
    assert outcomes[("crawl.warc", 0)] == ("articles", None, None)
    assert outcomes[("crawl.warc", 1)] == ("quarantine", "ingest", ["corrupt_warc"])


def test_no_entity_expansion_external_entity_or_script_reaches_any_column(hostile_run):
    _, articles, quarantine, _ = hostile_run
    for row in articles + [{k: v for k, v in r.items() if k != "raw"} for r in quarantine]:
        text = json.dumps(row, default=str, ensure_ascii=False)
        assert not [bad for bad in FORBIDDEN if bad in text], row["source_uri"]


def test_text_columns_hold_no_control_characters(hostile_run):
    _, articles, _, _ = hostile_run
    for row in articles:
        for value in (row["text"], row["headline"] or ""):
            assert not [c for c in value if unicodedata.category(c) == "Cc" and c != "\n"], row["source_uri"]


def test_odd_file_names_are_kept_exactly(hostile_run):
    _, articles, _, _ = hostile_run
    names = {Path(r["source_uri"]).name: r["headline"] for r in articles}
    assert {
        n: names[n] for n in ("name with spaces.txt", "ünïcödé 文章.txt", "new\nline.txt", "-leading-dash.txt")
    } == {
        "name with spaces.txt": "Spaces",
        "ünïcödé 文章.txt": "Unicode",
        "new\nline.txt": "Newline",
        "-leading-dash.txt": "Dash",
    }


def test_oversized_raw_is_capped_and_flagged(hostile_run):
    _, _, quarantine, _ = hostile_run
    huge = next(r for r in quarantine if r["source_uri"].endswith("huge_30mb.html"))
    assert huge["raw_truncated"] is True and len(huge["raw"]) == 1024 * 1024


def test_lying_charset_page_is_decoded_as_what_its_bytes_are(hostile_run):
    _, articles, _, _ = hostile_run
    [page] = [r for r in articles if r["source_uri"].endswith("lying_charset.html")]
    assert page["text"].startswith("Café crème.")  # Latin-1 bytes under <meta charset="utf-8">

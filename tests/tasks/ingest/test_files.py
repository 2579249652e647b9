import gzip
import json
import re
import tracemalloc

import pytest
from fsspec.implementations.local import LocalFileSystem

from tasks.config import LIMITS, Limits
from tasks.ingest.files import (
    ExcludedFolder,
    ExcludedKind,
    SourceNotFoundError,
    UnsupportedInputError,
    discover_inputs,
    input_format,
    read_records,
)
from tasks.records import RawRecord, Rejection


def _read_all(folder, limits=LIMITS):
    found = discover_inputs([str(folder)])
    return [r for item in found.inputs for r in read_records(item, limits)], found


def test_formats_by_suffix():
    assert input_format("a/b.TXT") == ("txt", False)
    assert input_format("page.htm.gz") == ("html", True)
    assert input_format("export.jsonl") == ("jsonl", False)
    assert input_format("CC-NEWS-20240305.warc.gz") == ("warc", True)
    assert input_format("notes.md") is None
    assert input_format("archive.gz") is None


def test_folder_is_read_recursively_in_stable_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.html").write_text("<p>two</p>")
    (tmp_path / "one.txt").write_text("One\n\nbody")
    (tmp_path / "README.md").write_text("not an article")
    records, found = _read_all(tmp_path)
    assert [r.source_uri for r in records] == [str(tmp_path / "b" / "two.html"), str(tmp_path / "one.txt")]
    assert [r.source_format for r in records] == ["html", "txt"]
    assert found.skipped == [str(tmp_path / "README.md")]


def test_missing_source_raises(tmp_path):
    with pytest.raises(SourceNotFoundError, match="source not found"):
        discover_inputs([str(tmp_path / "nope")])


def test_unsupported_file_named_as_source_raises(tmp_path):
    named = tmp_path / "x.csv"
    named.write_text("a,b\n")
    expected = "x.csv is not an input broadsheet reads (.txt, .html, .htm, .jsonl, .warc, .arc, optionally .gz)"
    with pytest.raises(UnsupportedInputError, match=re.escape(expected)):
        discover_inputs([str(named)])


def test_jsonl_lines_become_records_or_rejections(tmp_path):
    lines = [
        json.dumps({"url": "https://example.com/a", "text": "Body A."}),
        "",
        '{"url": "https://example.com/b", "text": "cut off',
        json.dumps({"text": "no url"}),
        json.dumps({"url": "https://example.com/c"}),
        json.dumps(["not", "an", "object"]),
    ]
    (tmp_path / "x.jsonl").write_text("\n".join(lines) + "\n")
    records, _ = _read_all(tmp_path)
    assert [(type(r).__name__, r.source_record) for r in records] == [
        ("RawRecord", 0),
        ("Rejection", 2),
        ("Rejection", 3),
        ("Rejection", 4),
        ("Rejection", 5),
    ]
    assert records[0].fields["text"] == "Body A."
    assert [r.reasons for r in records[1:]] == [
        ("invalid_json",),
        ("missing_field:url",),
        ("missing_field:text",),
        ("invalid_json",),
    ]
    # source_record is the 0-based index; the error text counts lines from 1, as editors do.
    assert [r.error.split(":")[0] for r in records[1:]] == ["line 3", "line 4", "line 5", "line 6"]
    assert records[1].raw == lines[2].encode()


def test_jsonl_lines_the_fast_parser_refuses_are_read_as_before(tmp_path):
    # orjson refuses a byte-order mark, NaN and a lone surrogate; Python's json reads all three.
    lines = [
        b"\xef\xbb\xbf" + json.dumps({"url": "https://example.com/bom", "text": "Body."}).encode(),
        b'{"url": "https://example.com/nan", "text": "Body.", "score": NaN}',
        b'{"url": "https://example.com/surrogate", "text": "Body \\ud800."}',
        b'{"url": "https://example.com/bad-utf8", "text": "Body \xff."}',
        b"[" * 5000 + b"]" * 5000,
    ]
    (tmp_path / "x.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    records, _ = _read_all(tmp_path)
    assert [r.fields.get("url") if isinstance(r, RawRecord) else r.reasons for r in records] == [
        "https://example.com/bom",
        "https://example.com/nan",
        "https://example.com/surrogate",
        ("invalid_json",),
        ("invalid_json",),
    ]
    assert records[2].fields["text"] == "Body \ud800."
    assert "utf-8" in records[3].error and "recursion" in records[4].error
    assert [r.raw for r in records] == lines


def test_gzipped_html_is_decompressed(tmp_path):
    (tmp_path / "p.html.gz").write_bytes(gzip.compress(b"<p>hello</p>"))
    [record], _ = _read_all(tmp_path)
    assert isinstance(record, RawRecord) and record.raw == b"<p>hello</p>"


def test_truncated_gzip_is_quarantined_with_its_bytes(tmp_path):
    data = gzip.compress(b"<p>" + b"news " * 2000 + b"</p>")
    (tmp_path / "p.html.gz").write_bytes(data[: len(data) // 2])
    [rejection], _ = _read_all(tmp_path)
    assert isinstance(rejection, Rejection)
    assert rejection.reasons == ("truncated_gzip",)
    assert rejection.raw == data[: len(data) // 2]


def test_truncated_gzip_jsonl_keeps_lines_before_the_break(tmp_path):
    body = "".join(json.dumps({"url": f"https://example.com/{i}", "text": "x" * 300}) + "\n" for i in range(50))
    data = gzip.compress(body.encode())
    (tmp_path / "e.jsonl.gz").write_bytes(data[: len(data) - 40])
    records, _ = _read_all(tmp_path)
    assert all(isinstance(r, RawRecord) for r in records[:-1]) and len(records) > 1
    assert records[-1].reasons == ("truncated_gzip",)


def test_empty_and_oversized_inputs_are_rejected(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "huge.html").write_bytes(b"<p>" + b"a" * 5000 + b"</p>")
    records, _ = _read_all(tmp_path, Limits(max_document_bytes=1000))
    assert [(r.source_uri.rsplit("/", 1)[1], r.reasons) for r in records] == [
        ("empty.txt", ("empty_input",)),
        ("huge.html", ("too_large",)),
    ]


def test_gzip_bomb_stops_at_the_limit(tmp_path):
    (tmp_path / "bomb.html.gz").write_bytes(gzip.compress(b"\0" * 5_000_000))
    [rejection], _ = _read_all(tmp_path, Limits(max_document_bytes=100_000))
    assert rejection.reasons == ("too_large",)


@pytest.mark.parametrize("name", ["export.jsonl", "export.jsonl.gz"])
def test_jsonl_records_stream_without_reading_the_file_whole(tmp_path, name):
    """2,000 lines (8 MB of JSON) read line by line: memory holds a few records, never the file."""
    lines = "".join(
        json.dumps({"url": f"https://news.example/{n}", "text": f"Story {n}. " + "word " * 800}) + "\n"
        for n in range(2000)
    )
    path = tmp_path / name
    path.write_bytes(gzip.compress(lines.encode()) if name.endswith(".gz") else lines.encode())
    [item] = discover_inputs([str(path)]).inputs

    tracemalloc.start()
    try:
        records = read_records(item)
        first = next(records)  # a generator: the first line comes before the rest is read
        count = 1 + sum(1 for _ in records)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert first.fields["url"] == "https://news.example/0" and count == 2000
    assert len(lines) > 8_000_000 and peak < 1_000_000, f"peak {peak} bytes while reading {len(lines)} bytes of JSONL"


def test_the_lake_folder_and_delta_tables_under_a_source_are_never_listed(tmp_path, monkeypatch):
    source, lake = tmp_path / "raw", tmp_path / "raw" / "lake"
    for folder in (lake / "articles" / "_delta_log", lake / "reports", source / "export" / "_delta_log"):
        folder.mkdir(parents=True)
    (source / "one.txt").write_text("One\n\nbody")
    (lake / "reports" / "v0.html").write_text("<p>the lake's own report</p>")
    (lake / "LICENSE.txt").write_text("a vendored licence")
    (source / "export" / "part-0.txt").write_text("a Delta table's file")
    listed = []
    real_ls = LocalFileSystem.ls
    monkeypatch.setattr(
        LocalFileSystem, "ls", lambda fs, path, *a, **kw: listed.append(path) or real_ls(fs, path, *a, **kw)
    )

    found = discover_inputs([str(source), str(source)], lake=str(lake))

    assert [item.uri for item in found.inputs] == [str(source / "one.txt")] * 2
    assert found.skipped == []
    assert found.excluded == [
        ExcludedFolder(str(source / "export"), ExcludedKind.DELTA_TABLE),
        ExcludedFolder(str(lake), ExcludedKind.LAKE),
    ]
    # Pruned, not filtered: nothing below an excluded folder is listed.
    assert not [path for path in listed if path.startswith((f"{lake}/", f"{source / 'export'}/"))]

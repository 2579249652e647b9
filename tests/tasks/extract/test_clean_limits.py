"""The clean stage's bounds: time and size per document, deep nesting, hostile markup."""

from tasks.config import Limits
from tasks.extract.clean import clean_batch
from tasks.records import RawRecord

STORY = "<p>" + "The harbour ferry runs again from Monday after five months of repairs. " * 6 + "</p>"


def html_record(name: str, html: str) -> RawRecord:
    return RawRecord(f"/in/{name}.html", 0, "html", html.encode())


def story_page(extra: str = "") -> str:
    return f"<html><head><title>Ferry</title></head><body><article>{STORY}{extra}</article></body></html>"


def test_page_over_the_time_limit_is_quarantined_as_timeout_and_the_batch_goes_on():
    # Thousands of table cells keep trafilatura busy for many seconds.
    table = "<table>" + ("<tr>" + "<td>cell text here</td>" * 50 + "</tr>") * 1500 + "</table>"
    records = [
        html_record("before", story_page()),
        html_record("slow", story_page(table)),
        html_record("after", story_page()),
    ]

    rows, rejections, counters = clean_batch(records, Limits(document_timeout_s=1.5))

    assert [row["source_uri"] for row in rows] == ["/in/before.html", "/in/after.html"]
    assert [(r.source_uri, r.reasons, r.stage) for r in rejections] == [("/in/slow.html", ("timeout",), "clean")]
    assert rejections[0].error == "cleaning not done within 1.5 s"
    assert counters.as_dict() == {"total": 3, "forwarded": 2, "rejected_timeout": 1}


def test_in_process_cleaning_gives_the_same_rows_as_the_worker():
    records = [html_record("a", story_page()), html_record("b", story_page("<p>Second paragraph here.</p>"))]

    in_worker, _, _ = clean_batch(records)
    in_process, _, _ = clean_batch(records, Limits(document_timeout_s=None))

    assert in_worker == in_process


def test_jsonl_html_over_the_size_limit_is_quarantined_as_too_large():
    line = b'{"url": "https://news.example/a", "html": "' + b"x" * 3000 + b'"}'
    record = RawRecord("/in/export.jsonl", 7, "jsonl", line, {"url": "https://news.example/a", "html": "x" * 3000})

    rows, [rejection], _ = clean_batch([record], Limits(max_document_bytes=2000))

    assert rows == [] and rejection.reasons == ("too_large",)


def test_deeply_nested_page_does_not_crash_the_worker():
    nested = "<div>" * 100_000 + STORY + "</div>" * 100_000
    records = [html_record("deep", f"<html><body>{nested}</body></html>"), html_record("next", story_page())]

    rows, rejections, _ = clean_batch(records)

    # libxml2 stops building the tree at its depth limit: the text below it is lost, the page
    # is rejected for having no body, and the next page is cleaned as usual.
    assert [(r.source_uri, r.reasons) for r in rejections] == [("/in/deep.html", ("empty_body",))]
    assert [row["source_uri"] for row in rows] == ["/in/next.html"]


def test_scripts_styles_and_event_handlers_never_reach_any_column():
    page = (
        """<html lang="en"><head><title>Ferry <script>alert('t')</script></title>
    <meta name="description" content="Ferry back &lt;script&gt;steal()&lt;/script&gt;">
    <style>.x{background:url(javascript:evil())}</style></head>
    <body onload="evil()"><article><h1 onclick="evil()">Ferry returns</h1>"""
        + STORY
        + """
    <p onmouseover="evil()">It runs hourly <img src=x onerror="evil()"> from the pier.</p>
    <script>document.write('injected')</script></article></body></html>"""
    )

    [row], _, _ = clean_batch([html_record("hostile", page)])

    text_columns = [value for key, value in row.items() if isinstance(value, str) and key != "source_uri"]
    list_columns = [item for value in row.values() if isinstance(value, list) for item in value]
    for value in text_columns + list_columns:
        assert "evil" not in value and "alert(" not in value and "injected" not in value


def test_two_workers_give_the_same_rows_in_input_order():
    records = [html_record(f"page-{n}", story_page(f"<p>Paragraph number {n} of this page.</p>")) for n in range(6)]

    one, _, _ = clean_batch(records, Limits(clean_workers=1))
    two, _, counters = clean_batch(records, Limits(clean_workers=2))

    assert two == one
    assert [row["source_uri"] for row in two] == [f"/in/page-{n}.html" for n in range(6)]
    assert counters.as_dict() == {"total": 6, "forwarded": 6}


def test_a_timeout_in_one_worker_leaves_the_other_workers_pages_alone():
    table = "<table>" + ("<tr>" + "<td>cell text here</td>" * 50 + "</tr>") * 1500 + "</table>"
    records = [
        html_record("a", story_page()),
        html_record("slow", story_page(table)),
        html_record("b", story_page()),
        html_record("c", story_page()),
    ]

    rows, rejections, _ = clean_batch(records, Limits(document_timeout_s=1.5, clean_workers=2))

    assert [row["source_uri"] for row in rows] == ["/in/a.html", "/in/b.html", "/in/c.html"]
    assert [(r.source_uri, r.reasons) for r in rejections] == [("/in/slow.html", ("timeout",))]

"""The dataset report, built from real pipeline runs into real Delta tables, and opened in headless Chromium."""

import base64
import fcntl
import io
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from deltalake import DeltaTable, write_deltalake
from lxml import html as lxml_html
from PIL import Image

from schemas.reasons import Reason, Stage
from schemas.tables import ARTICLES_SCHEMA
from tasks.ingest.files import discover_inputs
from tasks.lake.paths import RunInfo, articles_path, report_path
from tasks.lake.staging import run_staging
from tasks.lake.write import write_articles, write_quarantine
from tasks.pipeline import RunTotals, commit_run, process_batch, read_batches
from tasks.records import Rejection
from tasks.report.page import (
    CURRENT,
    NOT_PROFILED,
    QUARANTINE,
    ReportError,
    build_report,
    load_report_data,
    write_report,
)

SECOND_RUN = Path(__file__).resolve().parents[2] / "fixtures" / "report" / "second_run.jsonl"
HOSTILE_LANGUAGE = "<img src=x onerror=\"document.title='owned'\">"
HOSTILE_DOMAIN = "$\\frac{1}{0}$.example\x07"


def _run_info(n: int) -> RunInfo:
    return RunInfo(f"run-{n}", "manual", "0.1.0", datetime(2026, 1, n, tzinfo=UTC))


def _pipeline_run(lake: str, sources: list[str], n: int):
    """The article pipeline's plain-Python stages, without Prefect: what the flow commits."""
    found = discover_inputs(sources)
    totals = RunTotals()
    for batch in read_batches(found.inputs, 500):
        totals.add(process_batch(batch, run_staging(lake, _run_info(n).run_id)))
    return commit_run(lake, totals, _run_info(n), sources, found.skipped)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, raw_dir):
    """data/raw, then data/raw again with a second export: an update, a duplicate, new languages, bad lines."""
    lake = str(tmp_path_factory.mktemp("lake"))
    first = _pipeline_run(lake, [str(raw_dir)], 1)
    second = _pipeline_run(lake, [str(raw_dir), str(SECOND_RUN)], 2)
    assert (first.articles_version, second.articles_version) == (0, 1)
    return lake, first, second


@pytest.fixture(scope="module")
def latest_page(two_runs) -> str:
    return build_report(two_runs[0])


def _article(article_id: str, **values):
    return (
        dict.fromkeys(ARTICLES_SCHEMA.names)
        | {
            "id": article_id,
            "text": f"text of {article_id}",
            "content_hash": article_id,
            "source_uri": f"/in/{article_id}.txt",
            "source_record": 0,
            "word_count": 3,
            "char_count": 12,
        }
        | values
    )


@pytest.fixture
def hostile_lake(tmp_path):
    """Values a table written by anyone could hold: markup, TeX, control characters."""
    lake = str(tmp_path / "hostile")
    rows = [
        _article("a", language=HOSTILE_LANGUAGE, source_domain=HOSTILE_DOMAIN),
        _article("b", source_domain="</svg><script>x()</script>"),
    ]
    write_articles(lake, rows, _run_info(1), {"records_read": 2})
    return lake


def _charts(page: str) -> dict:
    return {figure.get("data-chart"): figure for figure in lxml_html.fromstring(page).xpath("//figure[@data-chart]")}


def _rows(figure, table: int = 0) -> list[list[str]]:
    return [
        [cell.text_content() for cell in row.xpath("./th|./td")]
        for row in figure.xpath(".//table")[table].xpath(".//tr")
    ]


def _expected_charts(schema: pa.Schema) -> set[str]:
    numeric = {
        f.name
        for f in schema
        if (pa.types.is_integer(f.type) or pa.types.is_floating(f.type)) and f.name not in NOT_PROFILED
    }
    return {"run", "languages", "domains", "timeline", "quarantine"} | {f"dist-{name}" for name in numeric}


def test_profile_counts_languages_domains_months_and_duplicates(two_runs, latest_page):
    lake, first, second = two_runs
    data = load_report_data(lake)
    current, previous = data.current, data.previous
    assert (current.version, previous.version) == (1, 0)
    assert (current.rows, previous.rows) == (first.inserted + second.inserted, first.inserted)
    assert current.languages == {"en": 6, "de": 2, "es": 1, "fr": 1, "zh": 1}
    assert current.domains["stadtanzeiger.example"] == 2 and current.domains["(no domain)"] == 2
    assert current.duplicates == second.duplicates == 1
    timeline = _rows(_charts(latest_page)["timeline"])
    assert timeline[0] == ["month", "articles", "v0", "change"]
    assert (
        ["2007-09", "1", "1", "0"] in timeline
        and ["2024-05", "4", "3", "+1"] in timeline
        and ["2023-11", "1", "0", "+1"] in timeline
    )


def test_change_since_previous_version_comes_from_commit_metadata(two_runs, latest_page):
    _, first, second = two_runs
    run = _rows(_charts(latest_page)["run"])
    counts = ("records_read", "inserted", "updated", "unchanged", "duplicates", "quarantined_records")
    assert run[0] == ["", "v0", "v1"]
    assert [row[1:] for row in run[1:]] == [[str(getattr(first, c)), str(getattr(second, c))] for c in counts]
    assert [row[0] for row in run[1:]] == [
        "records read",
        "inserted",
        "updated",
        "unchanged",
        "duplicates marked",
        "quarantined",
    ]


def test_quarantine_is_shown_as_it_stood_at_the_reported_version(two_runs, latest_page):
    lake, _, _ = two_runs
    then, now = load_report_data(lake, 0).quarantine, load_report_data(lake).quarantine
    assert (then.version, then.records, then.reasons) == (0, 2, {"invalid_json": 1, "missing_field:url": 1})
    assert (now.version, now.records) == (1, 4)
    assert now.reasons == {"invalid_json": 2, "missing_field:text": 1, "missing_field:url": 1}
    assert _rows(_charts(latest_page)["quarantine"])[1] == ["invalid_json", "ingest", "2"]


def test_first_version_has_nothing_to_compare_with(two_runs):
    lake, _, _ = two_runs
    charts = _charts(build_report(lake, 0))
    assert _rows(charts["run"])[0] == ["", "v0"]
    assert "nothing to compare it with" in charts["run"].xpath(".//p[@class='caption']")[0].text_content()
    assert _rows(charts["languages"])[0] == ["languages", "articles", "share"]


def test_numeric_columns_of_the_stored_table_each_get_a_distribution(tmp_path):
    lake = str(tmp_path)
    write_articles(lake, [_article("a", word_count=120), _article("b", word_count=800)], _run_info(1), {})
    signal = pa.field(
        "boilerplate_ratio", pa.float32(), metadata={"description": "share of lines that look like boilerplate"}
    )
    extra = pa.Table.from_pylist([_article("c", boilerplate_ratio=0.25)], schema=ARTICLES_SCHEMA.append(signal))
    write_deltalake(articles_path(lake), extra, mode="append", schema_mode="merge")
    charts = _charts(build_report(lake))
    distributions = [key for key in charts if key.startswith("dist-")]
    assert distributions[:2] == ["dist-word_count", "dist-char_count"] and "dist-boilerplate_ratio" in distributions
    assert "dist-source_record" not in charts
    assert "share of lines that look like boilerplate" in charts["dist-boilerplate_ratio"].text_content()
    assert charts["dist-boilerplate_ratio"].xpath(".//svg")


def test_a_long_tail_is_cut_and_counted_instead_of_squashing_the_rest(tmp_path):
    lake = str(tmp_path)
    rows = [_article(f"a{i}", word_count=300 + i) for i in range(30)] + [_article("long", word_count=250_000)]
    write_articles(lake, rows, _run_info(1), {})
    word_count = _charts(build_report(lake))["dist-word_count"]
    assert "up to 250,000) not drawn" in word_count.xpath(".//p[@class='caption']")[0].text_content()
    bins = _rows(word_count, table=1)
    assert bins[-1] == ["above 367", "(not drawn)", "1"] and bins[1][:2] == ["300", "301"]
    assert sum(int(row[2]) for row in bins[1:-1]) == 30 and len(bins) > 10


def test_page_loads_nothing_from_outside(latest_page):
    assert "default-src 'none'" in latest_page and "<script" not in latest_page.lower() and "@import" not in latest_page
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", latest_page) + re.findall(
        r"url\(\s*([^)]*)\)", latest_page
    )
    assert references and all(reference.startswith("#") for reference in references)


def test_values_from_the_table_are_text_not_markup(hostile_lake):
    page = build_report(hostile_lake)
    assert "<script" not in page and "<img" not in page
    assert {row[0] for row in _rows(_charts(page)["languages"])[1:]} == {HOSTILE_LANGUAGE, "(unknown)"}
    assert {row[0] for row in _rows(_charts(page)["domains"])[1:]} == {HOSTILE_DOMAIN, "</svg><script>x()</script>"}


def test_unreadable_previous_version_is_said_not_fatal(tmp_path):
    lake = str(tmp_path)
    write_articles(lake, [_article("a")], _run_info(1), {"records_read": 1})
    write_articles(lake, [_article("a", text="new text")], _run_info(2), {"records_read": 1})
    DeltaTable(articles_path(lake)).vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
    data = load_report_data(lake, 1)
    assert data.previous is None and data.previous_note.startswith("version 0 can no longer be read")
    latest = _charts(build_report(lake))["run"]
    assert "without broadsheet's run counts" in latest.text_content() and not latest.xpath(".//svg")
    with pytest.raises(ReportError, match=r"version 0 of .* can no longer be read"):
        load_report_data(lake, 0)


def test_missing_table_or_version_is_a_report_error(tmp_path, hostile_lake):
    with pytest.raises(ReportError, match="no articles table at"):
        load_report_data(str(tmp_path / "empty"))
    with pytest.raises(ReportError, match=r"no version 7 of the articles table .* \(versions 0 to 0\)"):
        load_report_data(hostile_lake, 7)


def test_report_goes_beside_the_tables_unless_told_otherwise(hostile_lake, tmp_path):
    written = write_report(hostile_lake)
    assert written.path == report_path(hostile_lake, 0) == f"{hostile_lake}/reports/v0.html"
    assert written.url == Path(written.path).as_uri() and Path(written.path).stat().st_size == written.size_bytes
    elsewhere = write_report(hostile_lake, 0, out=str(tmp_path / "new" / "folder" / "page.html"))
    assert elsewhere.version == 0 and b"<h1>Articles table, version 0</h1>" in Path(elsewhere.path).read_bytes()


def test_quarantine_without_reasons_shows_a_note_not_an_empty_chart(tmp_path):
    lake = str(tmp_path)
    write_articles(lake, [_article("a")], _run_info(1), {})
    assert "there was no quarantine table yet" in _charts(build_report(lake))["quarantine"].text_content()
    rejection = Rejection("/in/e.jsonl", 0, "jsonl", Stage.INGEST, (str(Reason.INVALID_JSON),), "broken line", b"{")
    write_quarantine(lake, [rejection], [], _run_info(2), {})
    assert _charts(build_report(lake))["quarantine"].xpath(".//svg")


# --- the page in a real browser -----------------------------------------------------------------


def test_report_renders_in_chromium_with_every_chart_drawn(two_runs, hostile_lake, tmp_path):
    binary = shutil.which("chromium") or pytest.skip("chromium is not installed (.ci/run installs the Debian package)")
    lake = two_runs[0]
    report = write_report(lake, out=str(tmp_path / "report.html"))
    hostile = write_report(hostile_lake, out=str(tmp_path / "hostile.html"))
    browser = Chromium(binary)
    try:
        browser.open(report.url)
        charts = browser.evaluate(CHART_BOXES)
        screenshot = Image.open(io.BytesIO(browser.screenshot())).convert("RGB")
        problems = browser.problems(report.url)
        browser.open(hostile.url)
        hostile_problems = browser.problems(hostile.url)
        hostile_state = browser.evaluate("[document.title, document.scripts.length, document.images.length]")
    finally:
        browser.close()
    screenshot.save(tmp_path / "report.png")
    assert problems == [] and hostile_problems == []
    assert hostile_state == ["articles v0 · broadsheet dataset report", 0, 0]
    assert {chart["key"] for chart in charts} == _expected_charts(
        DeltaTable(articles_path(lake)).to_pyarrow_dataset().schema
    )
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 120 and chart["marks"] > 5, chart
        box = screenshot.crop(
            (chart["left"], chart["top"], chart["left"] + chart["width"], chart["top"] + chart["height"])
        )
        ink = QUARANTINE if chart["key"] == "quarantine" else CURRENT
        assert _pixels_of(box, ink) > 100, f"{chart['key']}: no bars or areas painted"


CHART_BOXES = """[...document.querySelectorAll('figure[data-chart]')].map(figure => {
  const svg = figure.querySelector(':scope > svg');
  const box = svg ? svg.getBoundingClientRect() : {left: 0, top: 0, width: 0, height: 0};
  return {key: figure.dataset.chart, left: box.left + scrollX, top: box.top + scrollY, width: box.width, height: box.height,
          marks: svg ? svg.querySelectorAll('path, use').length : 0};
})"""


def _pixels_of(image: Image.Image, color: str) -> int:
    target = tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))
    return sum(
        n
        for n, rgb in image.getcolors(maxcolors=1 << 24)
        if max(abs(a - b) for a, b in zip(rgb, target, strict=True)) <= 8
    )


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4): no driver package, no download."""

    FLAGS = (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1280,900",
        "--remote-debugging-pipe",
    )

    def __init__(self, binary: str, timeout: float = 60.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        commands_in, self._commands = os.pipe()
        self._replies, replies_out = os.pipe()
        # The child's ends go above 10 first, so placing them on 3 and 4 cannot overwrite one with the other.
        child_ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (commands_in, replies_out)]
        os.close(commands_in)
        os.close(replies_out)

        def place_pipes() -> None:
            os.dup2(child_ends[0], 3)
            os.dup2(child_ends[1], 4)

        self.process = subprocess.Popen(
            [binary, *self.FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=place_pipes,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fd in child_ends:
            os.close(fd)
        self._buffer, self._last_id, self.events, self._session = b"", 0, [], None

    def call(self, method: str, **params):
        self._last_id += 1
        message = {"id": self._last_id, "method": method, "params": params}
        if self._session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while (reply := self._read()).get("id") != self._last_id:
            self.events.append(reply)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def _read(self) -> dict:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            if not select.select([self._replies], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> None:
        """Load `url` in a new tab, recording from scratch what the page logs and requests."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.events.clear()
        self.call("Page.navigate", url=url)
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            self.events.append(self._read())

    def problems(self, url: str) -> list[str]:
        """Errors, warnings, exceptions and any request but the page itself, since the last open()."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown" or (
                method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning", "assert")
            ):
                found.append(f"{method}: {json.dumps(params)[:300]}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(f"log: {params['entry']['text']}")
            elif method == "Network.requestWillBeSent" and params["request"]["url"] != url:
                found.append(f"request: {params['request']['url']}")
        return found

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self) -> bytes:
        """The whole page, not only the window, as PNG."""
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        return base64.b64decode(
            self.call("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
        )

    def close(self) -> None:
        try:
            self.call("Browser.close")
            self.process.wait(timeout=10)
        except (OSError, EOFError, TimeoutError, RuntimeError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self._commands)
            os.close(self._replies)
            shutil.rmtree(self.profile, ignore_errors=True)

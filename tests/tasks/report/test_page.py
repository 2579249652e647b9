"""The dataset report's page: self-contained, values escaped, written beside the tables; opened in headless Chromium."""

import io
import re
from pathlib import Path

import pyarrow as pa
import pytest
from deltalake import DeltaTable
from lxml import html as lxml_html
from PIL import Image

from tasks.lake.paths import articles_path, report_path
from tasks.lake.write import write_articles
from tasks.report.charts import CURRENT, QUARANTINE
from tasks.report.data import NOT_PROFILED
from tasks.report.page import TEMPLATES, build_report, write_report
from tests.support.chromium import Chromium, requires_chromium
from tests.support.factories import article_row, run_info

HOSTILE_LANGUAGE = "<img src=x onerror=\"document.title='owned'\">"
HOSTILE_DOMAIN = "$\\frac{1}{0}$.example\x07"


@pytest.fixture
def hostile_lake(tmp_path):
    """Values a table written by anyone could hold: markup, TeX, control characters."""
    lake = str(tmp_path / "hostile")
    rows = [
        article_row("a", language=HOSTILE_LANGUAGE, source_domain=HOSTILE_DOMAIN),
        article_row("b", source_domain="</svg><script>x()</script>"),
    ]
    write_articles(lake, rows, run_info(1), {"records_read": 2})
    return lake


def _expected_charts(schema: pa.Schema) -> set[str]:
    numeric = {
        f.name
        for f in schema
        if (pa.types.is_integer(f.type) or pa.types.is_floating(f.type)) and f.name not in NOT_PROFILED
    }
    return {"run", "languages", "domains", "timeline", "quarantine"} | {f"dist-{name}" for name in numeric}


def test_page_loads_nothing_from_outside(latest_page):
    assert "default-src 'none'" in latest_page and "<script" not in latest_page.lower() and "@import" not in latest_page
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", latest_page) + re.findall(
        r"url\(\s*([^)]*)\)", latest_page
    )
    assert references and all(reference.startswith("#") for reference in references)


def test_page_holds_its_stylesheet(latest_page):
    (style,) = lxml_html.fromstring(latest_page).xpath("/html/head/style")
    assert style.text.strip() == (TEMPLATES / "report.css").read_text(encoding="utf-8").strip()


def test_values_from_the_table_are_text_not_markup(hostile_lake, charts_in, rows_of):
    page = build_report(hostile_lake)
    assert "<script" not in page and "<img" not in page
    assert {row[0] for row in rows_of(charts_in(page)["languages"])[1:]} == {HOSTILE_LANGUAGE, "(unknown)"}
    assert {row[0] for row in rows_of(charts_in(page)["domains"])[1:]} == {HOSTILE_DOMAIN, "</svg><script>x()</script>"}


def test_a_script_in_a_value_is_escaped_in_text_and_in_attributes(tmp_path, charts_in, rows_of):
    lake, script = str(tmp_path), "<script>alert('x')</script>"
    write_articles(lake, [article_row("a", language=script)], run_info(1), {"records_read": 1})
    page = build_report(lake)
    assert "<script" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert rows_of(charts_in(page)["languages"])[1][0] == script
    (tile,) = lxml_html.fromstring(page).xpath("//div[@class='tile'][div[@class='label']='languages']")
    assert tile.get("title") == tile.xpath("./div[@class='sub']")[0].text_content() == f"most: {script}"


def test_report_goes_beside_the_tables_unless_told_otherwise(hostile_lake, tmp_path):
    written = write_report(hostile_lake)
    assert written.path == report_path(hostile_lake, 0) == f"{hostile_lake}/reports/v0.html"
    assert written.url == Path(written.path).as_uri() and Path(written.path).stat().st_size == written.size_bytes
    elsewhere = write_report(hostile_lake, 0, out=str(tmp_path / "new" / "folder" / "page.html"))
    assert elsewhere.version == 0 and b"<h1>Articles table, version 0</h1>" in Path(elsewhere.path).read_bytes()


# --- the page in a real browser -----------------------------------------------------------------


@requires_chromium
def test_report_renders_in_chromium_with_every_chart_drawn(two_runs, hostile_lake, tmp_path):
    lake = two_runs[0]
    report = write_report(lake, out=str(tmp_path / "report.html"))
    hostile = write_report(hostile_lake, out=str(tmp_path / "hostile.html"))
    browser = Chromium()
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

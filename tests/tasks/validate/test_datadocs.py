"""Data Docs under <lake>/validation/: written per run, listing every run, rendering offline."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tasks.lake.paths import validation_root
from tasks.validate.datadocs import CDN_ASSETS, localize_assets, publish_data_docs
from tasks.validate.validate import validate_batch
from tests.support.chromium import rendered_dom, requires_chromium
from tests.support.factories import enriched_row, run_info

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def docs_lake(tmp_path_factory):
    """Two runs: the first with a failing batch (a bad url, a missing headline) and a clean one."""
    lake = str(tmp_path_factory.mktemp("lake"))
    failing = validate_batch(
        [enriched_row(0), enriched_row(1, url="not a url"), enriched_row(2, headline=None)], NOW
    ).result
    passing = validate_batch([enriched_row(3)], NOW).result
    first = publish_data_docs(lake, [failing, passing], run_info(1, "run-first"))
    second = publish_data_docs(lake, [passing], run_info(2, "run-second"))
    return lake, first, second


def test_each_run_adds_its_batch_pages_to_one_site(docs_lake):
    lake, first, second = docs_lake
    assert first.index == second.index == str(Path(validation_root(lake)) / "index.html")
    assert [Path(p).name for p in first.pages] == ["batch-0001.html", "batch-0002.html"]
    assert all("run-first" in p for p in first.pages) and all("run-second" in p for p in second.pages)
    assert all(Path(p).is_file() for p in first.pages + second.pages)
    assert (Path(validation_root(lake)) / "gx" / "expectations" / "articles.json").is_file()


def test_run_without_results_leaves_the_site_as_it_is(docs_lake, tmp_path):
    lake, _, second = docs_lake
    index = Path(second.index)
    before = (index.read_bytes(), index.stat().st_mtime_ns)

    unchanged = publish_data_docs(lake, [], run_info(3, "run-nothing-new"))

    assert unchanged.index == second.index and unchanged.pages == []
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before
    assert publish_data_docs(str(tmp_path / "new-lake"), [], run_info(4, "run-empty")) is None


def test_pages_load_nothing_from_the_network(docs_lake):
    lake, _, _ = docs_lake
    pages = list(Path(validation_root(lake)).glob("**/*.html"))
    assert len(pages) >= 5  # index, suite, three batch pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert localize_assets(page, Path(validation_root(lake))) == [], page
        assert not any(url in html for url in CDN_ASSETS) and "great-expectations-web-assets" not in html
    for asset in filter(None, CDN_ASSETS.values()):
        assert (Path(validation_root(lake)) / "static" / "vendor" / asset).is_file(), asset


def test_remote_lake_gets_no_docs():
    assert publish_data_docs("memory://lake", [], run_info(1, "run-x")) is None


@pytest.mark.slow
@requires_chromium
def test_index_lists_every_run_in_headless_chromium(docs_lake):
    _lake, first, _ = docs_lake
    dom = rendered_dom(Path(first.index))
    # bootstrap-table draws the rows from data in a script: they exist only if the scripts ran.
    rows = dom.xpath("//tbody/tr[starts-with(@data-href, 'validations/')]")
    seen = {
        (row.xpath("string(td[3])").strip(), row.xpath("string(td[5])").split()[0], row.xpath("td[1]//i/@class")[0])
        for row in rows
    }
    assert len(rows) == 3
    assert {(run, batch, "failed" if "fa-times" in icon else "passed") for run, batch, icon in seen} == {
        ("run-second", "batch-0001", "passed"),
        ("run-first", "batch-0001", "failed"),
        ("run-first", "batch-0002", "passed"),
    }
    assert "Showing 1 to 3 of 3 rows" in dom.text_content()


@pytest.mark.slow
@requires_chromium
def test_batch_page_shows_the_failed_expectations_in_headless_chromium(docs_lake):
    _, first, _ = docs_lake
    dom = rendered_dom(Path(first.pages[0]))
    text = " ".join(dom.text_content().split())
    cells = {
        row.xpath("string(td[1])").strip(): row.xpath("string(td[2])").strip()
        for row in dom.xpath("//tr[count(td) = 2]")
    }
    assert "Status: Failed" in text and "Run Name run-first" in " ".join(f"{k} {v}" for k, v in cells.items())
    assert (cells["Evaluated Expectations"], cells["Unsuccessful Expectations"]) == ("17", "2")
    assert "values must match this regular expression" in text and "1 unexpected values found" in text
    assert "Values in word_count must equal the number of words in text." in text

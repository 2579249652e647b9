"""The two-run lake and its page, and readers of a page's charts, that the dataset report's tests share."""

from pathlib import Path

import pytest
from lxml import html as lxml_html

from tasks.report.page import build_report
from tests.support.factories import run_info
from tests.support.pipeline import run_pipeline

SECOND_RUN = Path(__file__).resolve().parents[2] / "fixtures" / "report" / "second_run.jsonl"


@pytest.fixture(scope="session")
def two_runs(tmp_path_factory, raw_dir):
    """data/raw, then data/raw again with a second export: an update, a duplicate, new languages, bad lines."""
    lake = str(tmp_path_factory.mktemp("lake"))
    first = run_pipeline([str(raw_dir)], lake, run_info(1))
    second = run_pipeline([str(raw_dir), str(SECOND_RUN)], lake, run_info(2))
    assert (first.articles_version, second.articles_version) == (0, 1)
    return lake, first, second


@pytest.fixture(scope="session")
def latest_page(two_runs) -> str:
    return build_report(two_runs[0])


@pytest.fixture(scope="session")
def charts_in():
    """The charts of a page, by key: its <figure data-chart> elements."""

    def read(page: str) -> dict:
        return {
            figure.get("data-chart"): figure for figure in lxml_html.fromstring(page).xpath("//figure[@data-chart]")
        }

    return read


@pytest.fixture(scope="session")
def rows_of():
    """The cells' text of a chart's numbers table, header row first."""

    def read(figure, table: int = 0) -> list[list[str]]:
        return [
            [cell.text_content() for cell in row.xpath("./th|./td")]
            for row in figure.xpath(".//table")[table].xpath(".//tr")
        ]

    return read

"""What the dataset report reads from the lake: the profiles of two articles versions and of quarantine."""

import pyarrow as pa
import pytest
from deltalake import DeltaTable, write_deltalake

from schemas.tables import ARTICLES_SCHEMA
from tasks.lake.maintenance import maintain_table
from tasks.lake.paths import articles_path
from tasks.lake.write import write_articles
from tasks.report.data import ReportError, load_report_data
from tasks.report.page import build_report
from tests.support.factories import article_row, run_info


def test_profile_counts_languages_domains_months_and_duplicates(two_runs, latest_page, charts_in, rows_of):
    lake, first, second = two_runs
    data = load_report_data(lake)
    current, previous = data.current, data.previous
    assert (current.version, previous.version) == (1, 0)
    assert (current.rows, previous.rows) == (first.inserted + second.inserted, first.inserted)
    assert current.languages == {"en": 6, "de": 2, "es": 1, "fr": 1, "zh": 1}
    assert current.domains["stadtanzeiger.example"] == 2 and current.domains["(no domain)"] == 2
    assert current.duplicates == second.duplicates == 1
    timeline = rows_of(charts_in(latest_page)["timeline"])
    assert timeline[0] == ["month", "articles", "v0", "change"]
    assert (
        ["2007-09", "1", "1", "0"] in timeline
        and ["2024-05", "4", "3", "+1"] in timeline
        and ["2023-11", "1", "0", "+1"] in timeline
    )


def test_quarantine_is_shown_as_it_stood_at_the_reported_version(two_runs, latest_page, charts_in, rows_of):
    lake, _, _ = two_runs
    then, now = load_report_data(lake, 0).quarantine, load_report_data(lake).quarantine
    assert (then.version, then.records, then.reasons) == (0, 2, {"invalid_json": 1, "missing_field:url": 1})
    assert (now.version, now.records) == (1, 4)
    assert now.reasons == {"invalid_json": 2, "missing_field:text": 1, "missing_field:url": 1}
    assert rows_of(charts_in(latest_page)["quarantine"])[1] == ["invalid_json", "ingest", "2"]


def test_numeric_columns_of_the_stored_table_each_get_a_distribution(tmp_path, charts_in):
    lake = str(tmp_path)
    write_articles(lake, [article_row("a", word_count=120), article_row("b", word_count=800)], run_info(1), {})
    signal = pa.field(
        "boilerplate_ratio", pa.float32(), metadata={"description": "share of lines that look like boilerplate"}
    )
    extra = pa.Table.from_pylist([article_row("c", boilerplate_ratio=0.25)], schema=ARTICLES_SCHEMA.append(signal))
    write_deltalake(articles_path(lake), extra, mode="append", schema_mode="merge")
    charts = charts_in(build_report(lake))
    distributions = [key for key in charts if key.startswith("dist-")]
    assert distributions[:2] == ["dist-word_count", "dist-char_count"] and "dist-boilerplate_ratio" in distributions
    assert "dist-source_record" not in charts
    assert "share of lines that look like boilerplate" in charts["dist-boilerplate_ratio"].text_content()
    assert charts["dist-boilerplate_ratio"].xpath(".//svg")


def test_unreadable_previous_version_is_said_not_fatal(tmp_path, charts_in):
    lake = str(tmp_path)
    write_articles(lake, [article_row("a")], run_info(1), {"records_read": 1})
    write_articles(lake, [article_row("a", text="new text")], run_info(2), {"records_read": 1})
    DeltaTable(articles_path(lake)).vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
    data = load_report_data(lake, 1)
    assert data.previous is None and data.previous_note.startswith("version 0 can no longer be read")
    latest = charts_in(build_report(lake))["run"]
    assert "without broadsheet's run counts" in latest.text_content() and not latest.xpath(".//svg")
    with pytest.raises(
        ReportError, match=r"version 0 of .* were deleted by vacuum; the latest version, 3, is readable"
    ):
        load_report_data(lake, 0)


def test_missing_table_or_version_is_a_report_error(tmp_path):
    with pytest.raises(ReportError, match="no articles table at"):
        load_report_data(str(tmp_path / "empty"))
    lake = str(tmp_path / "lake")
    write_articles(lake, [article_row("a")], run_info(1), {"records_read": 1})
    with pytest.raises(ReportError, match=r"no version 7 of the articles table .* \(versions 0 to 0\)"):
        load_report_data(lake, 7)


def test_version_vacuumed_by_maintain_names_the_versions_it_kept(tmp_path):
    lake = str(tmp_path)
    write_articles(lake, [article_row("a")], run_info(1), {"records_read": 1})
    write_articles(lake, [article_row("a", text="new text")], run_info(2), {"records_read": 1})
    maintain_table(articles_path(lake), run_info(3), vacuum_hours=0)
    latest = DeltaTable(articles_path(lake)).version()
    with pytest.raises(
        ReportError, match=rf"version 0 of .* were deleted by vacuum; versions \d+ to {latest} are readable"
    ):
        load_report_data(lake, 0)

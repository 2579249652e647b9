"""The dataset report's charts, read back from the page: what each draws, and the numbers tables under them;
and the helper process that draws some of them."""

from schemas.reasons import Reason, Stage
from tasks.lake.write import write_articles, write_quarantine
from tasks.records import Rejection
from tasks.report.charts import OTHER_CHARTS, Chart, Section, chart_helper, chart_sections
from tasks.report.data import load_report_data
from tasks.report.page import build_report
from tasks.workers.deadline import DeadlineRunner
from tests.support.factories import article_row, run_info
from tests.support.marked_charts import MARK


def test_change_since_previous_version_comes_from_commit_metadata(two_runs, latest_page, charts_in, rows_of):
    _, first, second = two_runs
    run = rows_of(charts_in(latest_page)["run"])
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


def test_first_version_has_nothing_to_compare_with(two_runs, charts_in, rows_of):
    lake, _, _ = two_runs
    charts = charts_in(build_report(lake, 0))
    assert rows_of(charts["run"])[0] == ["", "v0"]
    assert "nothing to compare it with" in charts["run"].xpath(".//p[@class='caption']")[0].text_content()
    assert rows_of(charts["languages"])[0] == ["languages", "articles", "share"]


def test_a_long_tail_is_cut_and_counted_instead_of_squashing_the_rest(tmp_path, charts_in, rows_of):
    lake = str(tmp_path)
    rows = [article_row(f"a{i}", word_count=300 + i) for i in range(30)] + [article_row("long", word_count=250_000)]
    write_articles(lake, rows, run_info(1), {})
    word_count = charts_in(build_report(lake))["dist-word_count"]
    assert "up to 250,000) not drawn" in word_count.xpath(".//p[@class='caption']")[0].text_content()
    bins = rows_of(word_count, table=1)
    assert bins[-1] == ["above 367", "(not drawn)", "1"] and bins[1][:2] == ["300", "301"]
    assert sum(int(row[2]) for row in bins[1:-1]) == 30 and len(bins) > 10


def test_quarantine_without_reasons_shows_a_note_not_an_empty_chart(tmp_path, charts_in):
    lake = str(tmp_path)
    write_articles(lake, [article_row("a")], run_info(1), {})
    assert "there was no quarantine table yet" in charts_in(build_report(lake))["quarantine"].text_content()
    rejection = Rejection("/in/e.jsonl", 0, "jsonl", Stage.INGEST, (str(Reason.INVALID_JSON),), "broken line", b"{")
    write_quarantine(lake, [rejection], [], run_info(2), {})
    assert charts_in(build_report(lake))["quarantine"].xpath(".//svg")


def _in_page_order(sections: list[Section]) -> list[Chart]:
    return [chart for section in sections for chart in section.charts]


def test_a_chart_helper_leaves_every_chart_as_this_process_draws_it(two_runs):
    data = load_report_data(two_runs[0])  # v1, drawn over v0: the helper draws both versions
    drawn_here = _in_page_order(chart_sections(data))
    with chart_helper() as helper:
        assert _in_page_order(chart_sections(data, helper=helper)) == drawn_here
        assert _in_page_order(chart_sections(data, helper=helper)) == drawn_here  # one helper, report after report


def test_the_helper_draws_the_first_distributions_while_this_process_draws_the_other_charts(two_runs):
    data = load_report_data(two_runs[0])
    marking = DeadlineRunner("tests.support.marked_charts:draw_marked")
    try:
        sections = {section.key: section.charts for section in chart_sections(data, helper=marking)}
    finally:
        marking.close()
    distributions = [chart.caption.endswith(MARK) for chart in sections.pop("distributions")]
    theirs = (len(distributions) + OTHER_CHARTS) // 2  # half of all the charts
    assert distributions == [True] * theirs + [False] * (len(distributions) - theirs)
    assert not any(chart.caption.endswith(MARK) for charts in sections.values() for chart in charts)


def test_charts_the_helper_could_not_draw_are_drawn_here(two_runs):
    data = load_report_data(two_runs[0])
    with chart_helper() as helper:
        helper.retire()  # its process killed: it answers nothing
        assert _in_page_order(chart_sections(data, helper=helper)) == _in_page_order(chart_sections(data))

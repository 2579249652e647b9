from datetime import UTC, datetime

from tasks.extract.plaintext import is_heading, parse_byline, parse_dateline, parse_plaintext

SEED_HEADINGS = [
    "“610 Office” Staff Members Quit the CCP",
    "Deputy Secretary of Political-Legal Committee Renounce the CCP",
    "Party Secretaries Withdraw from the CCP",
    "Officials of Various Ranking Resign from the CCP",
]


def test_seed_title_dateline_headings_and_body(seed_path):
    article = parse_plaintext(seed_path.read_text(encoding="utf-8"))
    assert article.headline == "Chinese Officials Withdraw from the CCP"
    assert article.date_published == datetime(2007, 9, 17, tzinfo=UTC)
    assert article.date_modified == datetime(2007, 9, 17, tzinfo=UTC)
    assert article.headings == SEED_HEADINGS
    assert article.text.startswith("Since their publication nearly three years ago")
    assert "( " not in article.text
    assert "Tuidang website formally declaring" in article.text
    assert "September 17, 2007" not in article.text


def test_dateline_without_update_has_no_modified_date():
    assert parse_dateline("March 3, 2024") == (datetime(2024, 3, 3, tzinfo=UTC), None)


def test_updated_dateline_gives_modified_date():
    published, modified = parse_dateline("Published 3 March 2024 10:15 | Updated: 4 March 2024")
    assert published == datetime(2024, 3, 3, 10, 15, tzinfo=UTC)
    assert modified == datetime(2024, 3, 4, tzinfo=UTC)


def test_sentence_mentioning_a_date_is_not_a_dateline():
    assert parse_dateline("The council voted on March 3, 2024 to close the old library branch for good.") is None


def test_byline_gives_one_name_each():
    assert parse_byline("By Jane Doe and John Roe | March 3, 2024") == ["Jane Doe", "John Roe"]
    assert parse_byline("Bylines are rare in wire copy.") == []


def test_byline_and_dateline_lines_leave_the_body():
    article = parse_plaintext("Flood Warning Lifted\n\nBy Ana Ruiz\n\nJune 2, 2023\n\nThe river fell overnight.")
    assert article.authors == ["Ana Ruiz"]
    assert article.date_published == datetime(2023, 6, 2, tzinfo=UTC)
    assert article.text == "The river fell overnight."


def test_heading_needs_title_case_and_no_final_punctuation():
    assert is_heading("Party Secretaries Withdraw from the CCP")
    assert not is_heading("The river fell overnight.")
    assert not is_heading("and then the council went home without a vote")


def test_without_title_line_first_line_stays_body():
    article = parse_plaintext("The river fell overnight.\nCrews reopened the road.", title_line=False)
    assert article.headline is None
    assert article.text == "The river fell overnight. Crews reopened the road."

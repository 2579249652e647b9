from datetime import UTC, datetime

import pytest

from tasks.extract.dates import find_dates, parse_date, reads_both_ways, words_besides_dates


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-03T10:15:00Z", utc(2024, 3, 3, 10, 15)),
        ("2024-03-03T10:15:00.000-0500", utc(2024, 3, 3, 15, 15)),
        ("2024-03-03 10:15:00", utc(2024, 3, 3, 10, 15)),  # naive: taken as UTC
        ("2024-03-03", utc(2024, 3, 3)),
        ("Sun, 03 Mar 2024 10:15:00 GMT", utc(2024, 3, 3, 10, 15)),
        ("March 3, 2024", utc(2024, 3, 3)),
        ("3rd Sept 2024", utc(2024, 9, 3)),
        ("Mar 3, 2024 4:05 PM", utc(2024, 3, 3, 16, 5)),
        ("2024/03/03", utc(2024, 3, 3)),
        ("04 mayo 2022 - 00:00", utc(2022, 5, 4)),  # as a page wrote it into <time datetime>
        ("4 de mayo de 2022", utc(2022, 5, 4)),
        ("Viernes 22 abril, 2022", utc(2022, 4, 22)),
        ("3. März 2024 10:15", utc(2024, 3, 3, 10, 15)),
        ("mardi 3 décembre 2019", utc(2019, 12, 3)),
        ("last Tuesday", None),
        ("March 3", None),  # no year: not a date we can place
        ("1750-01-01", None),  # before 1800: not a news date
        ("", None),
    ],
)
def test_parse_date_reads_common_formats_as_utc(text, expected):
    assert parse_date(text) == expected


def test_find_dates_locates_each_date_in_a_dateline():
    found = find_dates("September 17, 2007 Updated: September 18, 2007 10:30 a.m.")
    assert [(m.group(0), d) for m, d in found] == [
        ("September 17, 2007", utc(2007, 9, 17)),
        ("September 18, 2007 10:30 a.m.", utc(2007, 9, 18, 10, 30)),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Stand: 20.04.2018 16:22", ("20.04.2018 16:22", utc(2018, 4, 20, 16, 22))),
        ("1. Februar 2022, Daniel Dillenburg", ("1. Februar 2022", utc(2022, 2, 1))),
        ("Jueves, 21 de Abril de 2022", ("21 de Abril de 2022", utc(2022, 4, 21))),
        ("Mise en ligne 23 mai 2019", ("23 mai 2019", utc(2019, 5, 23))),
        ("17. September 2007", ("17. September 2007", utc(2007, 9, 17))),
        ("Von Tennis Bund 4. 2. 2022.", ("4. 2. 2022", utc(2022, 2, 4))),  # dotted with spaces, day first
        ("15 августа 2016, 13:43", ("15 августа 2016, 13:43", utc(2016, 8, 15, 13, 43))),  # Russian
        ("Opublikowano 3 listopada 2021", ("3 listopada 2021", utc(2021, 11, 3))),  # Polish: November
        ("Publikováno 15. srpna 2016", ("15. srpna 2016", utc(2016, 8, 15))),  # Czech
        ("Yayın: 15 Ağustos 2016", ("15 Ağustos 2016", utc(2016, 8, 15))),  # Turkish
        ("Julkaistu 5. toukokuuta 2020", ("5. toukokuuta 2020", utc(2020, 5, 5))),  # Finnish
        ("Creado 27/04/2022 00:00", ("27/04/2022 00:00", utc(2022, 4, 27))),  # slashed
        ("Ref. 1/2/3/2020", None),  # a slashed reference number, no date
        ("2024年03月03日 10:20 来源：新华网", ("2024年03月03日 10:20", utc(2024, 3, 3, 10, 20))),  # Chinese
        ("公開日 2024年3月3日", ("2024年3月3日", utc(2024, 3, 3))),  # Japanese
        ("입력 2024년 3월 3일", ("2024년 3월 3일", utc(2024, 3, 3))),  # Korean
        ("입력 2024.03.03 09:30", ("2024.03.03 09:30", utc(2024, 3, 3, 9, 30))),  # year first, dotted
        ("Posted 2024/03/04", ("2024/03/04", utc(2024, 3, 4))),  # year first: never day first
    ],
)
def test_find_dates_locates_dates_written_in_other_languages_and_dotted(line, expected):
    found = find_dates(line)
    assert ((found[0][0].group(0), found[0][1]) if found else None) == expected


def test_zone_abbreviations_news_pages_print_keep_their_offset():
    assert parse_date("Nov 19, 2019 10:30 AM EST") == utc(2019, 11, 19, 15, 30)
    assert parse_date("19 Nov 2019 14:00 IST") == utc(2019, 11, 19, 8, 30)


@pytest.mark.parametrize(
    ("value", "both_ways"),
    [
        ("02/10/2020", True),
        ("27/04/2022", False),
        ("04/27/2022", False),
        ("05/05/2022", False),
        ("2/02/2020", False),  # the same day either way
        ("05.10.2022", False),  # dotted: always day first
    ],
)
def test_a_slashed_date_reads_both_ways_when_day_and_month_could_swap(value, both_ways):
    assert reads_both_ways(value) is both_ways


def test_dotted_numeric_dates_are_day_first():
    assert parse_date("05.10.2022") == datetime(2022, 10, 5, tzinfo=UTC)


def test_slashed_numeric_dates_are_month_first_unless_the_page_writes_the_day_first():
    assert parse_date("10/05/2022") == datetime(2022, 10, 5, tzinfo=UTC)
    assert parse_date("10/05/2022", day_first=True) == datetime(2022, 5, 10, tzinfo=UTC)
    assert parse_date("2022/05/10", day_first=True) == datetime(2022, 5, 10, tzinfo=UTC)  # year first stays


def test_a_zone_name_nobody_defines_reads_as_utc_without_a_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # dateutil's UnknownTimezoneWarning would fail the test
        assert parse_date("2021-03-04 10:30 ZZ") == datetime(2021, 3, 4, 10, 30, tzinfo=UTC)
        assert parse_date("2021-03-04 10:30 +0200") == datetime(2021, 3, 4, 8, 30, tzinfo=UTC)
        assert parse_date("March 4, 2021 10:30 EST") == datetime(2021, 3, 4, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("September 17, 2007 Updated: September 17, 2007", ["Updated"]),
        ("20.04.2018 16:22 Uhr, Berlin", ["Uhr", "Berlin"]),
        ("1. Februar 2022, Daniel Dillenburg", ["Daniel", "Dillenburg"]),
        (
            "The council met on March 3, 2021 to vote on the 2022 budget",
            ["The", "council", "met", "on", "to", "vote", "on", "the", "budget"],
        ),
        ("no date at all", ["no", "date", "at", "all"]),
    ],
)
def test_words_besides_dates_are_the_letters_outside_every_date(line, words):
    assert words_besides_dates(line, find_dates(line)) == words

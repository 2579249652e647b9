from datetime import UTC, datetime

from tasks.clean import CLEAN_COLUMNS
from tasks.validate import validate_batch

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _row(n: int, **values):
    row = dict.fromkeys(CLEAN_COLUMNS) | {
        "id": f"id-{n}",
        "text": f"Article {n} body.",
        "headline": f"Headline {n}",
        "url": f"https://news.example.com/{n}",
        "date_published": datetime(2024, 1, 1, tzinfo=UTC),
        "source_uri": "/data/raw/export.jsonl",
        "source_record": n,
        "source_format": "jsonl",
        "raw": f'{{"n": {n}}}'.encode(),
    }
    return row | values


def test_good_rows_pass_untouched():
    valid, rejected, counters = validate_batch([_row(0), _row(1)], NOW)
    assert valid["id"].to_pylist() == ["id-0", "id-1"]
    assert rejected == [] and counters.forwarded == 2


def test_failed_critical_expectations_quarantine_the_row_with_reasons():
    rows = [
        _row(0),
        _row(1, date_published=datetime(2026, 12, 5, tzinfo=UTC)),  # beyond a day of clock skew
        _row(2, date_published=datetime(1799, 12, 31, tzinfo=UTC)),
        _row(3, url="not a url"),
        _row(4, date_modified=datetime(2023, 6, 1, tzinfo=UTC)),  # before date_published
        _row(5, text=""),
    ]
    valid, rejected, counters = validate_batch(rows, NOW)
    assert valid["id"].to_pylist() == ["id-0"]
    assert {r.source_record: r.reasons for r in rejected} == {
        1: ("date_out_of_range",),
        2: ("date_out_of_range",),
        3: ("invalid_url",),
        4: ("dates_out_of_order",),
        5: ("empty_body",),
    }
    assert all(r.stage == "validate" for r in rejected)
    assert rejected[0].raw == b'{"n": 1}'
    assert counters.rejected["date_out_of_range"] == 2


def test_tomorrow_within_clock_skew_passes():
    valid, rejected, _ = validate_batch([_row(0, date_published=datetime(2026, 11, 27, 6, tzinfo=UTC))], NOW)
    assert valid.num_rows == 1 and not rejected


def test_warning_expectations_keep_the_row_and_count_it():
    valid, rejected, counters = validate_batch([_row(0, headline=None, date_published=None), _row(1)], NOW)
    assert valid.num_rows == 2 and not rejected
    assert counters.warned == {
        "expect_column_values_to_not_be_null:headline": 1,
        "expect_column_values_to_not_be_null:date_published": 1,
    }


def test_value_that_does_not_fit_the_schema_rejects_only_its_row():
    valid, rejected, _ = validate_batch([_row(0), _row(1, source_record=2**40)], NOW)
    assert valid["id"].to_pylist() == ["id-0"]
    assert [r.reasons for r in rejected] == [("schema_mismatch",)]

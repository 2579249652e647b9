from datetime import UTC, datetime

import pyarrow as pa
import pytest

from schemas.expectations import CRITICAL, WARNING, articles_suite
from schemas.reasons import Reason
from tasks.validate.validate import VALIDATE_SCHEMA, SuiteError, run_suite, validate_batch
from tests.support.factories import enriched_row

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_good_rows_pass_untouched():
    valid, rejected, counters, result = validate_batch([enriched_row(0), enriched_row(1)], NOW)
    assert [r["id"] for r in valid] == ["id-0", "id-1"]
    assert rejected == [] and counters.forwarded == 2
    assert result["success"] is True and result["statistics"]["evaluated_expectations"] == len(
        articles_suite().expectations
    )


def test_failed_critical_expectations_quarantine_the_row_with_reasons():
    rows = [
        enriched_row(0),
        enriched_row(1, date_published=datetime(2026, 12, 5, tzinfo=UTC)),  # beyond a day of clock skew
        enriched_row(2, date_published=datetime(1799, 12, 31, tzinfo=UTC)),
        enriched_row(3, url="not a url"),
        enriched_row(4, date_modified=datetime(2023, 6, 1, tzinfo=UTC)),  # before date_published
        enriched_row(5, text=""),
        enriched_row(6, text="x" * 2_000_001),
        enriched_row(7, id=None),
        enriched_row(8, source_uri=None),
    ]
    valid, rejected, counters, _ = validate_batch(rows, NOW)
    assert [r["id"] for r in valid] == ["id-0"]
    assert {r.source_record: r.reasons for r in rejected} == {
        1: ("date_out_of_range",),
        2: ("date_out_of_range",),
        3: ("invalid_url",),
        4: ("dates_out_of_order",),
        5: ("empty_body",),
        6: ("text_too_long",),
        7: ("missing_field:id",),
        8: ("missing_field:source",),
    }
    assert all(r.stage == "validate" for r in rejected)
    assert rejected[0].raw == b'{"n": 1}'
    assert counters.rejected["date_out_of_range"] == 2


def test_language_must_be_iso_639_1():
    rows = [
        enriched_row(0, language="zh"),
        enriched_row(1, language="ary"),
        enriched_row(2, language=None),
        enriched_row(3, language="EN"),
    ]
    valid, rejected, _, _ = validate_batch(rows, NOW)
    assert [r["language"] for r in valid] == ["zh"]
    assert {r.source_record: r.reasons for r in rejected} == dict.fromkeys((1, 2, 3), ("invalid_language",))


def test_counts_must_match_the_text_by_the_project_word_definition():
    cjk = "新华社北京电，国务院今天召开常务会议。"
    rows = [
        enriched_row(0, text=cjk),  # CJK: one word per character, so 17 words
        enriched_row(1, text="Three short words", word_count=2),
        enriched_row(2, text="Three short words", char_count=3),
    ]
    valid, rejected, _, _ = validate_batch(rows, NOW)
    assert [(r["source_record"], r["word_count"]) for r in valid] == [(0, 17)]
    assert {r.source_record: r.reasons for r in rejected} == {1: ("inconsistent_counts",), 2: ("inconsistent_counts",)}


def test_several_failures_give_every_reason_once():
    [rejection] = validate_batch([enriched_row(0, url="ftp://x", language="xx", word_count=0)], NOW).rejections
    assert rejection.reasons == ("inconsistent_counts", "invalid_language", "invalid_url")


def test_tomorrow_within_clock_skew_passes():
    valid, rejected, _, _ = validate_batch([enriched_row(0, date_published=datetime(2026, 11, 27, 6, tzinfo=UTC))], NOW)
    assert len(valid) == 1 and not rejected


def test_warning_expectations_keep_the_row_and_count_it():
    rows = [
        enriched_row(0, headline=None, date_published=None),
        enriched_row(1, declared_language="english"),
        enriched_row(2, id="id-1"),
    ]
    valid, rejected, counters, _ = validate_batch(rows, NOW)
    assert len(valid) == 3 and not rejected
    assert counters.warned == {
        "expect_column_values_to_not_be_null:headline": 1,
        "expect_column_values_to_not_be_null:date_published": 1,
        "expect_column_values_to_be_in_set:declared_language": 1,
        "expect_column_values_to_be_unique:id": 2,  # GX flags every copy of a duplicate
    }


def test_value_that_does_not_fit_the_schema_rejects_only_its_row():
    valid, rejected, _, _ = validate_batch([enriched_row(0), enriched_row(1, source_record=2**40)], NOW)
    assert [r["id"] for r in valid] == ["id-0"]
    assert [r.reasons for r in rejected] == [("schema_mismatch",)]


def test_each_rejection_keeps_its_own_record_bytes_after_a_row_that_did_not_fit():
    # The bytes ride beside the Arrow table: a row left out of it must not shift them.
    rows = [enriched_row(0, source_record=2**40), enriched_row(1), enriched_row(2, url="not a url")]
    valid, rejected, _, _ = validate_batch(rows, NOW)
    assert [r["id"] for r in valid] == ["id-1"] and "raw" not in valid[0]
    assert [(r.reasons, r.raw) for r in rejected] == [
        (("schema_mismatch",), b'{"n": 0}'),
        (("invalid_url",), b'{"n": 2}'),
    ]


def test_every_expectation_declares_its_severity_and_critical_ones_a_known_reason():
    for expectation in articles_suite().expectations:
        assert expectation.severity in (CRITICAL, WARNING)
        if expectation.severity == CRITICAL:
            assert Reason(expectation.meta["reason"])


def test_validation_result_holds_counts_but_no_input_values():
    hostile = "<script>alert('x')</script>"
    result = validate_batch([enriched_row(0, url=hostile, headline=None)], NOW).result
    assert hostile not in str(result) and "alert" not in str(result)
    [url_check] = [r for r in result["results"] if r["expectation_config"]["kwargs"].get("column") == "url"]
    assert url_check["success"] is False and url_check["result"]["unexpected_count"] == 1


def test_an_expectation_that_cannot_run_is_an_error_not_a_pass():
    table = pa.Table.from_pylist([enriched_row(0)], schema=VALIDATE_SCHEMA).drop_columns(["language"])
    with pytest.raises(SuiteError, match="language"):
        run_suite(table, NOW)

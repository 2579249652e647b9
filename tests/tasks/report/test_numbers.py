"""How the dataset report writes numbers."""

import pytest

from tasks.report.numbers import Number, count, delta, month, number, share


@pytest.mark.parametrize(
    ("write", "arguments", "expected"),
    [
        (count, (1234567,), "1,234,567"),
        (delta, (1500,), "+1,500"),
        (delta, (-2,), "-2"),
        (delta, (0,), "0"),
        (share, (1, 3), "33.3%"),
        (share, (0, 0), "–"),
        (number, (250_000.0,), "250,000"),
        (number, (1234.56,), "1,234.6"),
        (number, (0.123456,), "0.123"),
        (number, (-12.345,), "-12.3"),
    ],
)
def test_numbers_are_written_for_reading_and_set_as_numbers(write, arguments, expected):
    written = write(*arguments)
    assert written == expected and isinstance(written, Number)


def test_a_month_index_is_written_as_year_and_month():
    assert month(2024 * 12 + 4) == "2024-05" and month(2007 * 12 + 8) == "2007-09"

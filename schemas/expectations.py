"""The Great Expectations suite every batch of articles must meet.

Severity is declared here, nowhere else: `critical` expectations send the failing rows to
quarantine under the reason code in the expectation's meta; `warning` ones are counted and
reported but keep the row. Great Expectations is imported lazily (it costs seconds to load).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from schemas.reasons import Reason
from tasks.config import LIMITS

if TYPE_CHECKING:
    import great_expectations as gx

SUITE_NAME = "articles"
CRITICAL = "critical"  # the row is quarantined
WARNING = "warning"  # the row is kept; the run reports the count
EARLIEST_DATE = datetime(1800, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(days=1)
URL_PATTERN = r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$"


def articles_suite(now: datetime) -> gx.ExpectationSuite:
    """The suite for cleaned articles, with date bounds relative to `now`."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    def critical(reason: Reason) -> dict:
        return {"severity": CRITICAL, "meta": {"reason": str(reason)}}

    suite = gx.ExpectationSuite(name=SUITE_NAME)
    for expectation in (
        gxe.ExpectColumnValuesToNotBeNull(column="id", **critical(Reason.MISSING_ID)),
        gxe.ExpectColumnValuesToNotBeNull(column="text", **critical(Reason.EMPTY_BODY)),
        gxe.ExpectColumnValueLengthsToBeBetween(column="text", min_value=LIMITS.min_text_chars, **critical(Reason.EMPTY_BODY)),
        gxe.ExpectColumnValueLengthsToBeBetween(column="text", max_value=LIMITS.max_text_chars, **critical(Reason.TEXT_TOO_LONG)),
        gxe.ExpectColumnValuesToNotBeNull(column="source_uri", **critical(Reason.MISSING_SOURCE)),
        gxe.ExpectColumnValuesToNotBeNull(column="source_record", **critical(Reason.MISSING_SOURCE)),
        gxe.ExpectColumnValuesToMatchRegex(column="url", regex=URL_PATTERN, **critical(Reason.INVALID_URL)),
        gxe.ExpectColumnValuesToBeBetween(
            column="date_published", min_value=EARLIEST_DATE, max_value=now + CLOCK_SKEW, **critical(Reason.DATE_OUT_OF_RANGE)
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="date_modified", column_B="date_published", or_equal=True,
            ignore_row_if="either_value_is_missing", **critical(Reason.DATES_OUT_OF_ORDER),
        ),  # fmt: skip
        # Kept but reported: an article without a headline or a date is still an article.
        gxe.ExpectColumnValuesToNotBeNull(column="headline", severity=WARNING),
        gxe.ExpectColumnValuesToNotBeNull(column="date_published", severity=WARNING),
    ):
        suite.add_expectation(expectation)
    return suite

"""The Great Expectations suite every batch of enriched articles must meet before it is written.

The suite runs on the rows as they will be written (after enrich), so it covers enrich outputs
(language, counts) as well as the cleaned fields. Severity is declared here, nowhere else:
`critical` expectations send the failing rows to quarantine under the reason code in the
expectation's meta; `warning` ones are counted and reported but keep the row. The suite is
static (the clock enters as the `latest_date_published` parameter), so one copy serves every
batch and Data Docs show the same suite for every run. GX is imported lazily (seconds to load).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from schemas.iso639 import ISO_639_1
from schemas.reasons import Reason
from tasks.config import LIMITS

if TYPE_CHECKING:
    import great_expectations as gx

SUITE_NAME = "articles"
CRITICAL = "critical"  # the row is quarantined
WARNING = "warning"  # the row is kept; the run reports the count
EARLIEST_DATE = datetime(1800, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(days=1)
LATEST_DATE_PARAMETER = "latest_date_published"
URL_PATTERN = r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$"


def suite_parameters(now: datetime) -> dict[str, Any]:
    """The run-time values of the suite's parameters: dates may lie up to a day ahead of `now`."""
    return {LATEST_DATE_PARAMETER: now + CLOCK_SKEW}


def articles_suite() -> gx.ExpectationSuite:
    """A new copy of the suite, bound to no GX context (each context that stores it binds its own)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    from schemas.text_measure_expectation import ExpectColumnPairValuesToMatchTextMeasure

    def critical(reason: Reason) -> dict[str, Any]:
        return {
            "severity": CRITICAL,
            "meta": {"reason": str(reason)},
            "notes": f"critical: failing rows are quarantined as `{reason}`",
        }

    def warning(why: str) -> dict[str, Any]:
        return {"severity": WARNING, "notes": f"warning: failing rows are kept and counted; {why}"}

    # Given to the constructor, expectations are not looked up in (or saved to) a context's store.
    return gx.ExpectationSuite(
        name=SUITE_NAME,
        expectations=[
            gxe.ExpectColumnValuesToNotBeNull(column="id", **critical(Reason.MISSING_ID)),
            gxe.ExpectColumnValuesToNotBeNull(column="text", **critical(Reason.EMPTY_BODY)),
            gxe.ExpectColumnValueLengthsToBeBetween(
                column="text", min_value=LIMITS.min_text_chars, **critical(Reason.EMPTY_BODY)
            ),
            gxe.ExpectColumnValueLengthsToBeBetween(
                column="text", max_value=LIMITS.max_text_chars, **critical(Reason.TEXT_TOO_LONG)
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="source_uri", **critical(Reason.MISSING_SOURCE)),
            gxe.ExpectColumnValuesToNotBeNull(column="source_record", **critical(Reason.MISSING_SOURCE)),
            gxe.ExpectColumnValuesToMatchRegex(column="url", regex=URL_PATTERN, **critical(Reason.INVALID_URL)),
            gxe.ExpectColumnValuesToBeBetween(
                column="date_published",
                min_value=EARLIEST_DATE,
                max_value={"$PARAMETER": LATEST_DATE_PARAMETER},
                **critical(Reason.DATE_OUT_OF_RANGE),
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="date_modified",
                column_B="date_published",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                **critical(Reason.DATES_OUT_OF_ORDER),
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="language", **critical(Reason.INVALID_LANGUAGE)),
            gxe.ExpectColumnValuesToBeInSet(
                column="language", value_set=sorted(ISO_639_1), **critical(Reason.INVALID_LANGUAGE)
            ),
            ExpectColumnPairValuesToMatchTextMeasure(
                column_A="text", column_B="word_count", measure="words", **critical(Reason.INCONSISTENT_COUNTS)
            ),
            ExpectColumnPairValuesToMatchTextMeasure(
                column_A="text", column_B="char_count", measure="characters", **critical(Reason.INCONSISTENT_COUNTS)
            ),
            gxe.ExpectColumnValuesToBeUnique(
                column="id", **warning("the later record of the same article supersedes the earlier (see superseded)")
            ),
            gxe.ExpectColumnValuesToNotBeNull(
                column="headline", **warning("an article without a headline is still an article")
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="date_published", **warning("many pages give no date")),
            gxe.ExpectColumnValuesToBeInSet(
                column="declared_language",
                value_set=sorted(ISO_639_1),
                **warning("the page's own language tag is not ISO 639-1"),
            ),
        ],
    )

"""Dates written in text ("September 17, 2007", "17 Sep 2007 10:30", "2007-09-17T10:30:00+02:00").

Every datetime returned is tz-aware UTC; a date or time without a zone is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:UTC|GMT|Z))?)?"
DATE_PATTERN = re.compile(
    r"\b(?:"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}{_TIME}"  # September 17, 2007
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}{_TIME}"  # 17 September 2007
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"  # ISO 8601
    r")",
    re.IGNORECASE,
)
_EARLIEST = datetime(1800, 1, 1, tzinfo=UTC)
# Zone abbreviations news pages print; dateutil knows none of them and would drop the offset.
# IST is taken as India's, the commonest on news sites.
_ZONES = {
    name: timezone(timedelta(hours=hours))
    for name, hours in {
        "EST": -5,
        "EDT": -4,
        "CST": -6,
        "CDT": -5,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "EET": 2,
        "EEST": 3,
        "IST": 5.5,
        "JST": 9,
        "KST": 9,
        "AEST": 10,
        "AEDT": 11,
    }.items()
}
_NO_DEFAULT = datetime(1, 1, 1)
# A numeric date that starts with the day or the month ("10/05/2022", "05.10.2022"); dates
# that start with the year are always year-month-day.
_DAY_OR_MONTH_FIRST = re.compile(r"^\s*\d{1,2}(?P<separator>[./-])\d{1,2}(?P=separator)\d{2,4}\b")


def parse_date(value: str | None, *, day_first: bool = False) -> datetime | None:
    """The instant `value` names, in UTC, or None when it is not a plausible date.

    "10/05/2022" is 5 October unless `day_first` (the page's language writes the day first);
    "05.10.2022" is 5 October in every language that writes dates with dots.
    """
    if not value or not value.strip():
        return None
    numeric = _DAY_OR_MONTH_FIRST.match(value)
    dayfirst = numeric is not None and (day_first or numeric["separator"] == ".")
    try:
        # Missing parts come from year 1, so "March 3" (no year) falls below the 1800 floor.
        parsed = dateutil_parser.parse(
            value.strip().replace(" at ", " "), default=_NO_DEFAULT, tzinfos=_ZONES, dayfirst=dayfirst
        )
    except (ValueError, OverflowError):
        return None
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return parsed if parsed >= _EARLIEST else None


def find_dates(text: str) -> list[tuple[re.Match[str], datetime]]:
    """Each date written in `text`, with where it stands, in order."""
    found = []
    for match in DATE_PATTERN.finditer(text):
        parsed = parse_date(match.group(0))
        if parsed is not None:
            found.append((match, parsed))
    return found

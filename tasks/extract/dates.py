"""Dates written in text ("September 17, 2007", "17 Sep 2007 10:30", "17. März 2007", "17.09.2007",
"2007-09-17T10:30:00+02:00").

Every datetime returned is tz-aware UTC; a date or time without a zone is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from dateutil import parser as dateutil_parser

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:UTC|GMT|Z))?)?"
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


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's tzinfos: a zone of _ZONES, else the offset written; None for a zone name nobody
    defines ("ZZ"), read as UTC below. (Given a table instead, dateutil warns on such a name.)"""
    if name in _ZONES:
        return _ZONES[name]
    return timezone(timedelta(seconds=offset)) if offset is not None else None


# Month and weekday names in German, Spanish, French, Italian, Portuguese and Dutch, which dateutil
# does not know: pages write such dates into datetime attributes and meta tags too ("04 mayo
# 2022 - 00:00"). They are put in English before parsing (a weekday is dropped, and so is the "de"
# of "4 de mayo de 2022"). Only full names: short forms such as Spanish "ago" are English words.
_ENGLISH_MONTHS = {
    "January": ("januar", "jänner", "enero", "janvier", "gennaio", "janeiro", "januari"),
    "February": ("februar", "febrero", "février", "fevrier", "febbraio", "fevereiro", "februari"),
    "March": ("märz", "maerz", "marzo", "mars", "março", "maart"),
    "April": ("abril", "avril", "aprile"),
    "May": ("mai", "mayo", "maggio", "maio", "mei"),
    "June": ("juni", "junio", "juin", "giugno", "junho"),
    "July": ("juli", "julio", "juillet", "luglio", "julho"),
    "August": ("agosto", "août", "aout", "augustus"),
    "September": ("septiembre", "setiembre", "septembre", "settembre", "setembro"),
    "October": ("oktober", "octubre", "octobre", "ottobre", "outubro"),
    "November": ("noviembre", "novembre", "novembro"),
    "December": ("dezember", "diciembre", "décembre", "decembre", "dicembre", "dezembro"),
}
_WEEKDAYS = (
    "montag dienstag mittwoch donnerstag freitag samstag sonntag lunes martes miércoles miercoles jueves viernes"
    " sábado sabado domingo lundi mardi mercredi jeudi vendredi samedi dimanche lunedì lunedi martedì martedi"
    " mercoledì mercoledi giovedì giovedi venerdì venerdi sabato domenica maandag dinsdag woensdag donderdag"
    " vrijdag zaterdag zondag"
).split()
_IN_ENGLISH = {name: english for english, names in _ENGLISH_MONTHS.items() for name in names}
_IN_ENGLISH |= dict.fromkeys((*_WEEKDAYS, "de", "del"), "")
_FOREIGN_WORD = re.compile(r"\b(?:" + "|".join(sorted(_IN_ENGLISH, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_FOREIGN_MONTH = (
    "(?:" + "|".join(sorted((n for names in _ENGLISH_MONTHS.values() for n in names), key=len, reverse=True)) + ")"
)
DATE_PATTERN = re.compile(
    r"\b(?:"
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}{_TIME}"  # September 17, 2007
    rf"|\d{{1,2}}(?:st|nd|rd|th|\.)?\s+{_MONTH},?\s+\d{{4}}{_TIME}"  # 17 September 2007, 17. September 2007
    rf"|\d{{1,2}}\.?\s+(?:de\s+)?{_FOREIGN_MONTH}\s+(?:de\s+)?\d{{4}}{_TIME}"  # 17. März 2007, 4 de mayo de 2022
    rf"|\d{{1,2}}\.\s?\d{{1,2}}\.\s?\d{{4}}{_TIME}"  # 17.09.2007, 4. 2. 2022: dotted, always day first
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"  # ISO 8601
    r")",
    re.IGNORECASE,
)
_NO_DEFAULT = datetime(1, 1, 1)
_LETTERS = re.compile(r"[^\W\d_]+")
# A numeric date that starts with the day or the month ("10/05/2022", "05.10.2022"); dates
# that start with the year are always year-month-day.
_DAY_OR_MONTH_FIRST = re.compile(r"^\s*\d{1,2}(?P<separator>[./-])\s?\d{1,2}(?P=separator)\s?\d{2,4}\b")


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
        in_english = _FOREIGN_WORD.sub(lambda word: _IN_ENGLISH[word[0].lower()], value.strip())
        parsed = dateutil_parser.parse(
            in_english.replace(" at ", " "), default=_NO_DEFAULT, tzinfos=_zone, dayfirst=dayfirst
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


def words_besides_dates(text: str, dates: list[tuple[re.Match[str], datetime]]) -> list[str]:
    """The words of `text` (letters only) outside its `dates` (find_dates' of it): few of them
    make a dateline ("Updated: September 17, 2007"), many a sentence that mentions a date."""
    outside, last = [], 0
    for match, _ in dates:
        outside.append(text[last : match.start()])
        last = match.end()
    outside.append(text[last:])
    return _LETTERS.findall(" ".join(outside))

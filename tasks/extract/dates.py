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


# Month and weekday names in German, Spanish, French, Italian, Portuguese and Dutch, and month names
# in Russian, Ukrainian, Polish, Czech, Slovak, the Scandinavian languages, Finnish, Turkish,
# Romanian, Slovenian, Hungarian, Greek, Bulgarian and Serbian (CLDR's, as babel ships them, both
# the form after a day and the one alone: "15 августа 2016"), which dateutil does not know: pages
# write such dates into datetime attributes and meta tags too ("04 mayo 2022 - 00:00"). They are
# put in English before parsing (a weekday is dropped, and so is the "de" of "4 de mayo de 2022").
# Only full names: short forms such as Spanish "ago" are English words. Not Croatian, whose
# "listopad" is October where Polish has it for November.
_ENGLISH_MONTHS = {
    "January": (
        "januar jänner enero janvier gennaio janeiro januari января январь січня січень stycznia "
        "styczeń ledna leden januára január tammikuuta tammikuu ocak ianuarie ιανουαρίου ιανουάριος "
        "януари јануар"
    ).split(),
    "February": (
        "februar febrero février fevrier febbraio fevereiro februari февраля февраль лютого лютий "
        "lutego luty února únor februára február helmikuuta helmikuu şubat februarie φεβρουαρίου "
        "φεβρουάριος февруари фебруар"
    ).split(),
    "March": (
        "märz maerz marzo mars março maart марта март березня березень marca marzec března březen marec "
        "marts maaliskuuta maaliskuu mart martie március μαρτίου μάρτιος"
    ).split(),
    "April": (
        "abril avril aprile апреля апрель квітня квітень kwietnia kwiecień dubna duben apríla apríl "
        "huhtikuuta huhtikuu nisan aprilie április απριλίου απρίλιος април"
    ).split(),
    "May": (
        "mai mayo maggio maio mei мая май травня травень maja maj května květen mája máj toukokuuta "
        "toukokuu mayıs május μαΐου μάιος мај"
    ).split(),
    "June": (
        "juni junio juin giugno junho июня июнь червня червень czerwca czerwiec června červen júna jún "
        "kesäkuuta kesäkuu haziran iunie junij június ιουνίου ιούνιος юни јун"
    ).split(),
    "July": (
        "juli julio juillet luglio julho июля июль липня липень lipca lipiec července červenec júla júl "
        "heinäkuuta heinäkuu temmuz iulie julij július ιουλίου ιούλιος юли јул"
    ).split(),
    "August": (
        "agosto août aout augustus августа август серпня серпень sierpnia sierpień srpna srpen augusta "
        "augusti elokuuta elokuu ağustos avgust augusztus αυγούστου αύγουστος"
    ).split(),
    "September": (
        "septiembre setiembre septembre settembre setembro сентября сентябрь вересня вересень "
        "września wrzesień září septembra syyskuuta syyskuu eylül septembrie szeptember σεπτεμβρίου "
        "σεπτέμβριος септември септембар"
    ).split(),
    "October": (
        "oktober octubre octobre ottobre outubro октября октябрь жовтня жовтень października "
        "październik října říjen októbra október lokakuuta lokakuu ekim octombrie οκτωβρίου οκτώβριος "
        "октомври октобар"
    ).split(),
    "November": (
        "noviembre novembre novembro ноября ноябрь листопада листопад listopada listopad listopadu "
        "novembra marraskuuta marraskuu kasım noiembrie νοεμβρίου νοέμβριος ноември новембар"
    ).split(),
    "December": (
        "dezember diciembre décembre decembre dicembre dezembro декабря декабрь грудня грудень "
        "grudnia grudzień prosince prosinec decembra desember joulukuuta joulukuu aralık decembrie "
        "δεκεμβρίου δεκέμβριος декември децембар"
    ).split(),
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
    rf"|(?<!/)\d{{1,2}}/\d{{1,2}}/\d{{4}}{_TIME}"  # 27/04/2022, 04/27/2022: the page's language says which comes first
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"  # ISO 8601
    rf"|\d{{4}}([/.])\d{{1,2}}\1\d{{1,2}}\b{_TIME}"  # 2024/03/03, 2024.03.03: year first, always year-month-day
    r"|\d{4}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]"  # 2024年3月3日, 2024년 3월 3일
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r")",
    re.IGNORECASE,
)
_CJK_DATE_MARK = re.compile(r"\s*[年년月월日일]\s*")  # 2024年3月3日 read as 2024-3-3
_NO_DEFAULT = datetime(1, 1, 1)
_LETTERS = re.compile(r"[^\W\d_]+")
# A numeric date that starts with the day or the month ("10/05/2022", "05.10.2022"); dates
# that start with the year are always year-month-day.
_DAY_OR_MONTH_FIRST = re.compile(
    r"^\s*(?P<first>\d{1,2})(?P<separator>[./-])\s?(?P<second>\d{1,2})(?P=separator)\s?\d{2,4}\b"
)


def reads_both_ways(value: str) -> bool:
    """True for a slashed date whose day and month could be swapped: "02/10/2020" is 2 October in
    Britain and February 10 in the United States (an English page rarely says which it follows)."""
    numeric = _DAY_OR_MONTH_FIRST.match(value)
    if numeric is None or numeric["separator"] != "/":
        return False
    first, second = int(numeric["first"]), int(numeric["second"])
    return first <= 12 and second <= 12 and first != second


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
        in_english = _CJK_DATE_MARK.sub(lambda mark: "-" if mark[0] in "年년月월" else " ", in_english)
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

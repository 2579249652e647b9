"""The word lists of the enrich steps: stop words and date words per language, for keywords and
the stop-word-ratio quality signal, and the speech verbs, for quotes and keywords.

Stop words come from the lists yake ships (34 languages), read from its package folder without
importing yake; Korean, which yake lacks, gets the particles and function words below. Date
words (month and weekday names, wide and abbreviated) come from the CLDR data babel ships.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

# yake names two lists by country, not by ISO 639-1 language code.
_YAKE_LIST_NAME = {"cs": "cz"}
# Korean writes particles onto the word: keywords strip these endings ("서울시는" -> "서울시").
KOREAN_PARTICLES = (
    "에서는",
    "에게서",
    "으로는",
    "까지는",
    "부터는",
    "에서",
    "에게",
    "으로",
    "까지",
    "부터",
    "보다",
    "처럼",
    "하고",
    "이나",
    "이라",
    "에는",
    "와는",
    "과는",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
    "만",
    "나",
    "께",
)
# Endings of Korean verb and adjective forms (했다, 확대하는, 발표하고): never a keyword.
KOREAN_PREDICATE_ENDINGS = ("다", "하는", "되는", "있는", "없는", "하고", "하며", "해야", "하기", "했고", "된", "한")
_KOREAN_STOP_WORDS = (
    "그리고 그러나 하지만 또한 또는 및 등 이 그 저 것 수 때 중 더 또 잘 안 못 다 및 위해 대한 대해 통해 "
    "따라 있다 없다 했다 한다 하는 있는 없는 된다 됐다 이다 있다고 밝혔다 말했다 전했다 것으로 것이다 "
    "우리 저희 그는 그녀는 이번 지난 오늘 어제 내일 올해 작년 내년"
)
# Verbs that report speech: quotes finds a quote's speaker next to one, and keywords never
# picks one (news reports speech in every other sentence).
SPEECH_VERBS = (
    "said",
    "says",
    "wrote",
    "writes",
    "told",
    "tells",
    "added",
    "adds",
    "asked",
    "asks",
    "explained",
    "explains",
    "noted",
    "notes",
    "stated",
    "states",
    "declared",
    "declares",
    "insisted",
    "insists",
    "recalled",
    "recalls",
    "replied",
    "replies",
    "continued",
    "argued",
    "claimed",
    "warned",
    "admitted",
    "according to",
    "說",
    "说",
    "寫道",
    "写道",
    "表示",
    "問",
    "问",
    "指出",
    "回憶",
    "回忆",
)
# Relative dates that CLDR does not list as month or weekday names.
_RELATIVE_DATES = {
    "en": "today yesterday tomorrow tonight",
    "zh": "今天 昨天 明天 今年 去年 明年 本周 上周 下周 今日 昨日 明日",
    "ja": "今日 昨日 明日 今年 昨年 去年 来年 今週 先週 来週 本日",
    "ko": "오늘 어제 내일 올해 작년 내년 이번주 지난주 다음주",
}


@cache
def stop_words(language: str | None) -> frozenset[str]:
    """Lower-case stop words of `language` (ISO 639-1); empty when no list exists."""
    if language == "ko":
        return frozenset(_KOREAN_STOP_WORDS.split()) | frozenset(KOREAN_PARTICLES)
    path = _yake_lists() / f"stopwords_{_YAKE_LIST_NAME.get(language or '', language)}.txt"
    if not language or not path.is_file():
        return frozenset()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # two of yake's lists are Latin-1
        text = raw.decode("latin-1")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


@cache
def date_words(language: str | None) -> frozenset[str]:
    """Lower-case month and weekday names (and relative dates) of `language`."""
    words = set(_RELATIVE_DATES.get(language or "", "").split())
    if not language:
        return frozenset(words)
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return frozenset(words)
    for names in (locale.months, locale.days):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                words.update(name.lower().rstrip(".") for name in names[context][width].values())
    return frozenset(words)


@cache
def _yake_lists() -> Path:
    spec = importlib.util.find_spec("yake")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("yake (a dependency) is not installed: its stop-word lists are needed")
    return Path(spec.submodule_search_locations[0]) / "core" / "StopwordsList"

"""Quality signals of an article's text (Gopher and C4 style), stored as columns, never used to drop.

Each signal is a number a user can filter on; QualityThresholds (tasks/config.py) says where a
value starts to look wrong, and every crossed threshold adds a warning code
(schemas.reasons.QualityWarning) to the article's `quality_warnings`. A line here is a
paragraph of the clean text. Signals that mean nothing for a script are null: word length for
Chinese, Japanese and Korean (a word is one character there), stop words for languages
without a list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from schemas.reasons import QualityWarning
from tasks.config import QUALITY, QualityThresholds
from tasks.text.lexicon import stop_words
from tasks.text.writing_systems import CJK_SCRIPTS

# Lines that belong to the page, not the article (C4's list, widened to today's sites); matched
# as lower-case substrings, as C4 does.
BOILERPLATE_PHRASES = (
    "javascript",
    "cookie",
    "privacy policy",
    "terms of use",
    "terms of service",
    "all rights reserved",
    "lorem ipsum",
    "subscribe",
    "newsletter",
    "sign up",
    "log in",
    "click here",
    "share this",
    "share on",
    "follow us",
    "advertisement",
    "read more",
    "copyright",
    "©",
)
_SYMBOLS = re.compile(r"#|\.\.\.|…")
_TERMINAL = re.compile(r"[.!?。！？…\"'”’»」』)）]$")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class QualitySignals:
    mean_word_length: float | None
    symbol_word_ratio: float
    alpha_word_ratio: float
    stop_word_ratio: float | None
    boilerplate_line_ratio: float
    duplicate_line_ratio: float
    terminal_punctuation_ratio: float


def quality_signals(text: str, words: Sequence[str], language: str | None, script: str | None) -> QualitySignals:
    """The signals of `text`, whose words (tasks.text.words.WORD) are `words`."""
    lines = [line.strip() for line in text.split("\n\n") if line.strip()]
    count = max(1, len(words))
    stops = stop_words(language)
    seen: set[str] = set()
    repeated = 0
    for line in lines:
        key = line.casefold()
        repeated += key in seen
        seen.add(key)
    return QualitySignals(
        mean_word_length=None if script in CJK_SCRIPTS or not words else round(sum(map(len, words)) / len(words), 3),
        symbol_word_ratio=round(len(_SYMBOLS.findall(text)) / count, 4),
        alpha_word_ratio=round(sum(map(_has_letter, words)) / count, 4),
        stop_word_ratio=round(sum(map(stops.__contains__, map(str.lower, words))) / count, 4) if stops else None,
        boilerplate_line_ratio=_share(lines, _looks_like_boilerplate),
        duplicate_line_ratio=round(repeated / max(1, len(lines)), 4),
        terminal_punctuation_ratio=_share(lines, lambda line: bool(_TERMINAL.search(line))),
    )


def quality_warnings(signals: QualitySignals, word_count: int, thresholds: QualityThresholds = QUALITY) -> list[str]:
    """The warning codes for every threshold the signals cross, in a fixed order."""
    checks = (
        (QualityWarning.TOO_FEW_WORDS, word_count < thresholds.min_words),
        (QualityWarning.TOO_MANY_WORDS, word_count > thresholds.max_words),
        (
            QualityWarning.MEAN_WORD_LENGTH,
            signals.mean_word_length is not None
            and not thresholds.min_mean_word_length <= signals.mean_word_length <= thresholds.max_mean_word_length,
        ),
        (QualityWarning.SYMBOLS, signals.symbol_word_ratio > thresholds.max_symbol_word_ratio),
        (QualityWarning.FEW_ALPHA_WORDS, signals.alpha_word_ratio < thresholds.min_alpha_word_ratio),
        (
            QualityWarning.FEW_STOP_WORDS,
            signals.stop_word_ratio is not None and signals.stop_word_ratio < thresholds.min_stop_word_ratio,
        ),
        (QualityWarning.BOILERPLATE_LINES, signals.boilerplate_line_ratio > thresholds.max_boilerplate_line_ratio),
        (QualityWarning.DUPLICATE_LINES, signals.duplicate_line_ratio > thresholds.max_duplicate_line_ratio),
        (
            QualityWarning.UNTERMINATED_LINES,
            signals.terminal_punctuation_ratio < thresholds.min_terminal_punctuation_ratio,
        ),
    )
    return [str(code) for code, crossed in checks if crossed]


def _looks_like_boilerplate(line: str) -> bool:
    lowered = line.lower()
    return any(phrase in lowered for phrase in BOILERPLATE_PHRASES)


def _has_letter(word: str) -> bool:
    return word.isalpha() or (not word.isdigit() and bool(_LETTER.search(word)))


def _share(lines: list[str], predicate: Callable[[str], bool]) -> float:
    return round(sum(1 for line in lines if predicate(line)) / len(lines), 4) if lines else 0.0

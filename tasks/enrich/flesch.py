"""Flesch reading ease and Flesch-Kincaid grade, for English text only.

The formulas' constants were fitted to English syllable and sentence lengths, so for any other
language they measure nothing and the columns stay null (as for text without sentences).
Syllables are counted by rule (vowel groups, silent endings, vowel pairs spoken as two), which
agrees with dictionary counts on most words; tests pin it on a list of common news words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_LETTERS = re.compile(r"[a-z]+")
# Endings without a syllable of their own: silent e ("made", not "table" or "free"), -es and
# -ed after most consonants ("takes", "jumped", not "boxes" or "wanted").
_SILENT_ENDING = re.compile(r"(?:(?<![^aeiouy]l)(?<!e)e|(?<=[^aeiouysxzhcg])es|(?<=[^aeioutd])ed)$")
# Vowel groups that make no syllable: the e of "state" in "statements", "something", "likely";
# the -gue of "league".
_SILENT_GROUP = re.compile(
    r"[aeiouy][^aeiouy]e(?:ments?|ly|ful|less|ness|thing|times|one|where|body)$|[aeiou]gu(?:es)?$"
)
# Vowel pairs spoken as two syllables: "radio", "serious", "video", "actual", "ruin", "poem",
# "diet", "science", "idea", "create", "being", "stadium", "museum", "criticism".
_HIATUS = re.compile(
    r"(?<![ct])ia|(?<![ctsgxln])io(?!u)|(?<![ctgxs])iou|(?<!p)eo|(?<![qg])ua|(?<![gq])ui[nd]|oe[mt]"
    r"|[^tcr]ie[tn]|scien|ea$|^[cp]?rea[lt]|[aeiou]ing$|ism$|(?<!c)iu|eum"
)


@dataclass(frozen=True)
class Readability:
    flesch_reading_ease: float  # 206.835 - 1.015 words/sentence - 84.6 syllables/word; higher is easier
    flesch_kincaid_grade: float  # 0.39 words/sentence + 11.8 syllables/word - 15.59: US school grade


def readability(words: list[str], sentences: int, language: str | None) -> Readability | None:
    """Both Flesch scores for English `words` in `sentences` sentences; None for other languages."""
    if language != "en" or sentences < 1:
        return None
    words = [w for w in words if _LETTERS.search(w.lower())]
    if not words:
        return None
    syllables = sum(map(count_syllables, words))
    per_sentence = len(words) / sentences
    per_word = syllables / len(words)
    return Readability(
        flesch_reading_ease=round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 2),
        flesch_kincaid_grade=round(0.39 * per_sentence + 11.8 * per_word - 15.59, 2),
    )


@lru_cache(maxsize=100_000)  # news repeats its words: most lookups are hits
def count_syllables(word: str) -> int:
    """Syllables of an English word by rule; at least one per word."""
    letters = "".join(_LETTERS.findall(word.lower()))
    if len(letters) <= 3:
        return 1 if letters else 0
    stem = _SILENT_ENDING.sub("", letters)
    count = len(_VOWEL_GROUP.findall(stem)) - len(_SILENT_GROUP.findall(stem)) + len(_HIATUS.findall(stem))
    return max(1, count)

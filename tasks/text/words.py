"""What counts as a word and as a sentence, for every script: one definition for counts,
readability, keywords, quality signals and quote lengths."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tasks.text.writing_systems import HAN, HANGUL_SYLLABLES_BLOCK, KANA_BLOCKS

# Han ideographs, kana and hangul syllables are written without spaces: each counts as one word.
CJK_CHARS = KANA_BLOCKS + HAN + HANGUL_SYLLABLES_BLOCK
WORD = re.compile(rf"[{CJK_CHARS}]|[^\W{CJK_CHARS}]+(?:['’\-][^\W{CJK_CHARS}]+)*")
CJK_CHAR = re.compile(rf"[{CJK_CHARS}]")

# Abbreviations whose period does not end a sentence ("Dr. Smith", "U.S. officials", "a.m.").
TITLE_ABBREVIATIONS = (
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Prof",
    "Sen",
    "Rep",
    "Gov",
    "Gen",
    "Col",
    "Capt",
    "Sgt",
    "Lt",
    "Rev",
    "St",
    "Jr",
    "Sr",
)
_OTHER_ABBREVIATIONS = (
    "Mt",
    "vs",
    "Inc",
    "Corp",
    "Ltd",
    "Co",
    "Jan",
    "Feb",
    "Aug",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "approx",
    "dept",
    "est",
    "fig",
    "no",
)
TITLE_ABBREVIATION = rf"\b(?:{'|'.join(TITLE_ABBREVIATIONS)})\."
_ABBREVIATIONS = frozenset(a.lower() for a in TITLE_ABBREVIATIONS + _OTHER_ABBREVIATIONS)
# A sentence ends at . ! ? … (then a space), at CJK 。！？ (no space needed), at Arabic ؟ and
# Devanagari । — each with the closing quotes and brackets that follow it.
_SENTENCE_END = re.compile(r"(?:[.!?…]+[\"'”’»)\]]*(?=\s)|[。！？!?．؟।]+[」』”’»）)\]]*)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_INITIAL_OR_ACRONYM = re.compile(r"[A-Z](?:\.[A-Z])*")
_NEXT_CHAR = re.compile(r"\s*(\S)")


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def count_cjk_chars(text: str) -> int:
    return len(CJK_CHAR.findall(text))


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`; a paragraph break always ends one. Pieces without a word are dropped."""
    sentences: list[str] = []
    for paragraph in text.split("\n\n"):
        start = 0
        for match in _SENTENCE_END.finditer(paragraph):
            if match.group().startswith(".") and not _ends_sentence(paragraph, match.start(), match.end()):
                continue
            sentences.append(paragraph[start : match.end()].strip())
            start = match.end()
        sentences.append(paragraph[start:].strip())
    return [s for s in sentences if WORD.search(s)]


def _ends_sentence(paragraph: str, period: int, after: int) -> bool:
    """A period ends a sentence unless it closes an abbreviation, an initial or an acronym
    (J. K. Rowling, Dr. Smith, U.S. officials), or a lower-case word follows (3 p.m. on Tuesday)."""
    before = _WORD_BEFORE.search(paragraph, max(0, period - 12), period)  # abbreviations are short
    word = before.group(1) if before else ""
    following = _NEXT_CHAR.match(paragraph, after)
    if following is None:
        return True
    if word.lower() in _ABBREVIATIONS or _INITIAL_OR_ACRONYM.fullmatch(word):
        return False
    return not following.group(1).islower()


_NON_WORD = re.compile(r"[\W_]+")
# What sites put between a headline and their name: "Park Opens | Riverton Ledger".
TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|·|•|[⋆★☆✦◆♦●▪■])\s+")  # a theme's star too: "Post ⋆ Site"


def comparison_key(text: str) -> str:
    """Lower-case letters and digits only, so "Park Opens!" matches "park opens"."""
    return _NON_WORD.sub("", text.casefold())


def unique_ignoring_case(values: Iterable[str]) -> list[str]:
    """Values without case-insensitive duplicates, first spelling and order kept."""
    seen: set[str] = set()
    unique = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            unique.append(value)
    return unique

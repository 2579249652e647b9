"""Keywords of an article: up to ten phrases that say what it is about.

Scripts written with spaces use YAKE (Campos et al., 2020), implemented here on plain dicts
because the yake package spends more time per article than our whole clean stage does. Each
term is scored by its casing, position, frequency, spread over sentences and the variety of
its neighbours; a phrase of up to three terms scores by its terms and its own frequency. Lower
YAKE scores are better. Korean terms drop their particles (서울시는 -> 서울시), and verb forms
never make a keyword. Chinese and Japanese have no spaces: their keywords are the character
sequences (2-6 Han characters, or a katakana word) that recur with different characters on
either side, which whole words do and pieces of words do not; longer, more frequent and earlier
ones first.

No keyword is a stop word, starts or ends with one, holds a number, or names a month, a
weekday or a relative date; a keyword contained in a better one ("Gong" in "Falun Gong") is
left out, so are its plural and a phrase that runs on from it ("Gong practitioners" after
"Falun Gong").
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache, lru_cache
from operator import itemgetter
from typing import NamedTuple

from tasks.config import ENRICH, EnrichSettings
from tasks.text.lexicon import (
    KOREAN_PARTICLES,
    KOREAN_PREDICATE_ENDINGS,
    SPEECH_VERBS,
    date_words,
    stop_words,
)
from tasks.text.words import split_sentences
from tasks.text.writing_systems import HAN, HAN_EXTENSION_A, HAN_UNIFIED, KATAKANA, YIJING_HEXAGRAMS

# A word, or punctuation, which ends a phrase (an apostrophe or hyphen inside a word is neither).
_WORD_OR_PUNCTUATION = re.compile(r"([^\W_]+(?:['’\-][^\W_]+)*)|[^\w\s'’\-]+|(?<!\w)['’\-]|['’\-](?!\w)")
_HAS_DIGIT = re.compile(r"\d")
_POSSESSIVE = ("'s", "’s")
_HAN_RUN = re.compile(rf"[{HAN}]{{2,}}")
# 2-8 Han characters ending a run, or a katakana run (with ー). The lookahead spans extension A to
# the unified block as it always has: the Yijing symbols between them in, the compatibility ideographs out.
_JAPANESE_WORD = re.compile(
    rf"[{HAN}]{{2,8}}(?![{HAN_EXTENSION_A}{YIJING_HEXAGRAMS}{HAN_UNIFIED}])|[{KATAKANA}ー]{{2,}}"
)
_CJK_NUMERALS = frozenset("〇一二三四五六七八九十百千万億兆")  # 二十代 and 三十日 hold numbers
_CJK_LANGUAGES = frozenset({"zh", "ja"})
_NOUNS_CAPITALISED = frozenset({"de", "lb"})  # a capital there marks any noun, not a name
# News reports speech in every other sentence: "said" and "wrote" say nothing about the topic.
_ENGLISH_SPEECH_VERBS = frozenset(verb for verb in SPEECH_VERBS if verb.isascii() and " " not in verb)
MIN_WORD_CHARS = 3  # shorter words ("of", "UN" aside) act as stop words, as in YAKE
MAX_HAN_CHARS = 6  # longest Chinese or Japanese keyword
CLASSIFIED_WORDS_KEPT = 20_000


def extract_keywords(
    text: str,
    language: str | None,
    headline: str | None = None,
    settings: EnrichSettings = ENRICH,
    sentences: list[str] | None = None,
) -> list[str]:
    """Best keywords first, at most settings.keywords_max. The headline counts as the first
    sentence; `sentences` are the text's, when the caller has split them already."""
    sentences = (split_sentences(headline) if headline else []) + (
        sentences if sentences is not None else split_sentences(text)
    )
    if language in _CJK_LANGUAGES:
        return _cjk_keywords(sentences, language, settings.keywords_max)
    return _yake_keywords(sentences, language, settings, headline_first=bool(headline))


# --- YAKE, for scripts with spaces ----------------------------------------------------------


class _Word(NamedTuple):
    key: str  # the term: lower case, Korean particles and a possessive 's dropped
    edge: bool  # may start or end a phrase: no stop word
    blocked: bool  # in no phrase at all: a number or a date word
    closes: bool  # ends any phrase it is in: a Korean word with a particle


def _yake_keywords(
    sentences: list[str], language: str | None, settings: EnrichSettings, *, headline_first: bool
) -> list[str]:
    stops = _stop_words(language)
    sentence_ids: dict[str, list[int]] = defaultdict(list)  # one entry per occurrence, in order
    # Counts in plain dicts (get() for a new key): a Counter's missing key is a Python call per word.
    capitalised: dict[str, int] = {}  # capitalised or all capitals, not as a sentence's first word
    varied: dict[str, int] = {}  # occurrences written otherwise than the term
    neighbours: dict[tuple[str, str], int] = {}  # (left term, right term) side by side
    forms: dict[str, dict[str, int]] = {}  # term -> how it is written where that differs, and its weight
    phrases: dict[tuple[str, ...], int] = {}
    names_capitalised = language not in _NOUNS_CAPITALISED
    longest = settings.keyword_max_words
    budget = settings.keyword_text_words
    for index, sentence in enumerate(sentences):
        opener = True  # a sentence's first word is capitalised whatever it is
        title_case = headline_first and index == 0  # a headline's capitals say nothing
        for chunk in _chunks(sentence):
            words = [_classify(word, language) for word in chunk]
            keys = [w.key for w in words]
            previous = None
            for written, key in zip(chunk, keys, strict=False):
                sentence_ids[key].append(index)
                if written != key:
                    weight = 1 if opener else 2  # a sentence opener's capital is no evidence
                    variants = forms.get(key)
                    if variants is None:
                        forms[key] = {written: weight}
                    else:
                        variants[written] = variants.get(written, 0) + weight
                    varied[key] = varied.get(key, 0) + 1
                    if not opener and not title_case and written[0].isupper():
                        capitalised[key] = capitalised.get(key, 0) + 1
                opener = False
                if previous is not None:
                    pair = (previous, key)
                    neighbours[pair] = neighbours.get(pair, 0) + 1
                previous = key
            # Phrases neither start nor end with a stop word and hold no number or date; stop
            # words inside only in names: "Bank of America", not "financement des écoles".
            size = len(words)
            for start, first in enumerate(words):
                if not first.edge:
                    continue
                inner_stop = False
                for end in range(start, min(start + longest, size)):
                    word = words[end]
                    if word.blocked:
                        break
                    if word.edge and (
                        not inner_stop or (names_capitalised and chunk[start][0].isupper() and chunk[end][0].isupper())
                    ):
                        phrase = tuple(keys[start : end + 1])
                        phrases[phrase] = phrases.get(phrase, 0) + 1
                    inner_stop = inner_stop or not word.edge
                    if word.closes:
                        break
            budget -= size
        if budget <= 0:  # a long article's keywords are settled by its first pages
            sentences = sentences[: index + 1]
            break
    weights = _term_weights(sentence_ids, capitalised, neighbours, stops, len(sentences))
    scored = []
    for phrase, count in phrases.items():
        content = [weights[key] for key in phrase if key in weights]
        if content:
            scored.append((math.prod(content) / (count * (1 + sum(content))), phrase))
    scored.sort()
    lower_case = {key: 2 * (len(ids) - varied.get(key, 0)) for key, ids in sentence_ids.items()}
    text = "\n".join(sentences)
    lowered = text.lower()
    same_offsets = len(lowered) == len(text)  # lower() keeps offsets for all but a few letters (İ)

    def surface(phrase: tuple[str, ...]) -> str:
        """The phrase as the text most often writes it whole ("Mill Creek"), else term by term."""
        if len(phrase) > 1 and same_offsets and language != "ko":
            needle = " ".join(phrase)
            written: Counter[str] = Counter()
            start = lowered.find(needle)
            while start >= 0:
                end = start + len(needle)
                if not (start and lowered[start - 1].isalnum()) and not (end < len(lowered) and lowered[end].isalnum()):
                    written[text[start:end]] += 1
                start = lowered.find(needle, end)
            if written:
                return written.most_common(1)[0][0]
        return " ".join(_written(key, forms, lower_case, language) for key in phrase)

    ranked = ((phrase, surface(phrase)) for _, phrase in scored)
    return _best(ranked, settings.keywords_max, cjk=False)


def _written(key: str, forms: dict[str, dict[str, int]], lower_case: dict[str, int], language: str | None) -> str:
    """A term as the text most often writes it ("Falun", "CCP", "budget"); Korean without particles.
    A form counts 2 per occurrence, 1 as a sentence's first word (whose capital is no evidence);
    of forms with the same weight, the first written."""
    variants = forms.get(key)
    if language == "ko" or not variants:
        return key
    best, weight = max(variants.items(), key=itemgetter(1))
    return best if weight > lower_case[key] else key


@cache
def _stop_words(language: str | None) -> frozenset[str]:
    return stop_words(language) | (_ENGLISH_SPEECH_VERBS if language == "en" else frozenset())


# Articles share most of their words: a word's class is kept across articles (a few MB at most).
@lru_cache(maxsize=CLASSIFIED_WORDS_KEPT)
def _classify(word: str, language: str | None) -> _Word:
    key = _term_key(word, language)
    stops, dates = _stop_words(language), date_words(language)
    return _Word(
        key=key,
        edge=not _is_stop(key, word, stops, language),
        blocked=key in dates or key.removesuffix("s") in dates or bool(_HAS_DIGIT.search(key)),
        closes=language == "ko" and key != word.lower(),
    )


def _chunks(sentence: str) -> list[list[str]]:
    """Runs of words between punctuation marks (a phrase never spans a comma), possessive 's dropped."""
    chunks: list[list[str]] = []
    chunk: list[str] = []
    for word in _WORD_OR_PUNCTUATION.findall(sentence):  # "" for punctuation
        if word:
            chunk.append(word[:-2] if word.endswith(_POSSESSIVE) else word)
        elif chunk:
            chunks.append(chunk)
            chunk = []
    if chunk:
        chunks.append(chunk)
    return chunks


def _term_key(word: str, language: str | None) -> str:
    key = word.lower()
    if language == "ko":  # 서울시는 / 서울시가 / 서울시 are one term
        for particle in KOREAN_PARTICLES:
            if key.endswith(particle) and len(key) - len(particle) >= 2:
                return key[: -len(particle)]
    return key


def _is_stop(key: str, word: str, stops: frozenset[str], language: str | None) -> bool:
    if language == "ko":  # two hangul syllables make a word (정책, 교통); predicates are no keywords
        return key in stops or len(key) < 2 or word.endswith(KOREAN_PREDICATE_ENDINGS)
    short = len(key) < MIN_WORD_CHARS and not (word.isupper() and len(word) > 1)  # "UN" stays
    return key in stops or short


def _term_weights(
    sentence_ids: dict[str, list[int]],
    capitalised: dict[str, int],
    neighbours: dict[tuple[str, str], int],
    stops: frozenset[str],
    sentence_count: int,
) -> dict[str, float]:
    """YAKE's H(t) for every term that is not a stop word; lower means more important."""
    content = [key for key in sentence_ids if key not in stops and not _HAS_DIGIT.search(key)]
    if not content:
        return {}
    counts = [len(sentence_ids[key]) for key in content]
    mean = sum(counts) / len(counts)
    spread = math.sqrt(sum((f - mean) ** 2 for f in counts) / len(counts))
    top = max(counts)
    # Distinct neighbours per co-occurrence, on each side: high for words that go with anything.
    distinct_left: dict[str, int] = {}
    distinct_right: dict[str, int] = {}
    total_left: dict[str, int] = {}
    total_right: dict[str, int] = {}
    for (left, right), n in neighbours.items():
        distinct_left[right] = distinct_left.get(right, 0) + 1
        total_left[right] = total_left.get(right, 0) + n
        distinct_right[left] = distinct_right.get(left, 0) + 1
        total_right[left] = total_right.get(left, 0) + n
    weights = {}
    for key, tf in zip(content, counts, strict=False):
        ids = sentence_ids[key]  # in sentence order
        on_left, on_right = total_left.get(key), total_right.get(key)
        dispersion = (distinct_left[key] / on_left if on_left else 0.0) + (
            distinct_right[key] / on_right if on_right else 0.0
        )
        relatedness = 1 + dispersion * tf / top
        casing = capitalised.get(key, 0) / (1 + math.log(tf))
        distinct = ids if tf == 1 else sorted(set(ids))  # most terms occur once
        middle = (distinct[(len(distinct) - 1) // 2] + distinct[len(distinct) // 2]) / 2  # median of its sentences
        position = math.log(math.log(3 + middle))
        normalised_frequency = tf / (mean + spread)
        spread_over = len(distinct) / max(1, sentence_count)
        weights[key] = (
            relatedness * position / (casing + normalised_frequency / relatedness + spread_over / relatedness)
        )
    return weights


# --- Chinese and Japanese -------------------------------------------------------------------


def _cjk_keywords(sentences: list[str], language: str, limit: int) -> list[str]:
    edges = stop_words(language) | _CJK_NUMERALS  # no keyword starts or ends with one
    dates = date_words(language)
    frequency: Counter[str] = Counter()
    first_sentence: dict[str, int] = {}
    left: dict[str, set[str]] = defaultdict(set)
    right: dict[str, set[str]] = defaultdict(set)
    for index, sentence in enumerate(sentences):
        for candidate, before, after in _cjk_candidates(sentence, language):
            if candidate in dates or candidate[0] in edges or candidate[-1] in edges:
                continue
            frequency[candidate] += 1
            first_sentence.setdefault(candidate, index)
            left[candidate].add(before or f"^{index}")  # each text edge counts as a different neighbour
            right[candidate].add(after or f"${index}")
    # A word recurs with different characters on either side (accessor variety, Feng et al.
    # 2004); a piece of a longer word does not: 务院常务 always sits in 国务院常务会议.
    words = {
        c: n for c, n in frequency.items() if language == "ja" or (n >= 2 and min(len(left[c]), len(right[c])) >= 2)
    }
    ranked = sorted(words, key=lambda c: (-words[c] * len(c) / math.log2(2 + first_sentence[c]), first_sentence[c], c))
    return _best((((c,), c) for c in ranked), limit, cjk=True)


def _cjk_candidates(sentence: str, language: str) -> list[tuple[str, str, str]]:
    """(candidate, character before, character after). Chinese: every sequence of 2-6 Han
    characters, words or not (accessor variety tells). Japanese: the runs of Han characters and
    of katakana, which kana and punctuation already cut into words."""
    candidates = []
    if language == "ja":
        for run in _JAPANESE_WORD.finditer(sentence):
            start, end = run.span()
            candidates.append((run.group(), f"<{start}", f">{end}"))  # cut by script: its edges vary by definition
        return candidates
    for run in _HAN_RUN.finditer(sentence):
        start, end = run.span()
        for n in range(2, MAX_HAN_CHARS + 1):
            for i in range(start, end - n + 1):
                candidates.append((sentence[i : i + n], sentence[i - 1 : i], sentence[i + n : i + n + 1]))
    return candidates


# --- both ---------------------------------------------------------------------------------


def _best(ranked: Iterable[tuple[tuple[str, ...], str]], limit: int, *, cjk: bool) -> list[str]:
    """The first `limit` phrases of `ranked` ((term keys, surface form) pairs, best first) that
    neither hold nor are held by a phrase already chosen, plurals aside."""
    chosen: list[tuple[str, ...]] = []
    keywords: list[str] = []
    for phrase, surface in ranked:
        singular = tuple(key.removesuffix("s") for key in phrase)
        if any(_overlaps(singular, other, cjk=cjk) for other in chosen):
            continue
        chosen.append(singular)
        keywords.append(surface)
        if len(keywords) == limit:
            break
    return keywords


def _overlaps(a: tuple[str, ...], b: tuple[str, ...], *, cjk: bool) -> bool:
    """One phrase holds the other, or they are pieces of one run of text: "Gong practitioners"
    after "Falun Gong". CJK phrases are compared as runs of characters."""
    if cjk:
        return a[0] in b[0] or b[0] in a[0]
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1)):
        return True
    return any(a[-n:] == b[:n] or b[-n:] == a[:n] for n in range(1, len(short)))

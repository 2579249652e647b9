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
from statistics import median

from tasks.config import ENRICH, EnrichSettings
from tasks.stopwords import KOREAN_PARTICLES, KOREAN_PREDICATE_ENDINGS, date_words, stop_words
from tasks.words import split_sentences

# A word, or one punctuation mark (which ends a phrase).
_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*|[^\w\s]")
_HAS_DIGIT = re.compile(r"\d")
_POSSESSIVE = re.compile(r"['’]s$")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
_JAPANESE_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,8}(?![\u3400-\u9fff])|[\u30a1-\u30faー]{2,}")
_CJK_NUMERALS = frozenset("〇一二三四五六七八九十百千万億兆")  # 二十代 and 三十日 hold numbers
_CJK_LANGUAGES = frozenset({"zh", "ja"})
_NOUNS_CAPITALISED = frozenset({"de", "lb"})  # a capital there marks any noun, not a name
MIN_WORD_CHARS = 3  # shorter words ("of", "UN" aside) act as stop words, as in YAKE
MAX_HAN_CHARS = 6  # longest Chinese or Japanese keyword


def extract_keywords(text: str, language: str | None, headline: str | None = None, settings: EnrichSettings = ENRICH) -> list[str]:
    """Best keywords first, at most settings.keywords_max. The headline counts as the first sentence."""
    full_text = f"{headline}\n\n{text}" if headline else text
    if language in _CJK_LANGUAGES:
        return _cjk_keywords(full_text, language, settings.keywords_max)
    return _yake_keywords(full_text, language, settings, headline_first=bool(headline))


# --- YAKE, for scripts with spaces ----------------------------------------------------------


def _yake_keywords(text: str, language: str | None, settings: EnrichSettings, *, headline_first: bool) -> list[str]:
    stops = stop_words(language)
    dates = date_words(language)
    frequency: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()  # capitalised or all capitals, not as a sentence's first word
    sentence_ids: dict[str, list[int]] = defaultdict(list)
    neighbours: Counter[tuple[str, str]] = Counter()  # (left term, right term) side by side
    forms: Counter[tuple[str, str]] = Counter()  # (term, as written)
    phrases: Counter[tuple[str, ...]] = Counter()
    names_capitalised = language not in _NOUNS_CAPITALISED
    sentences = split_sentences(text)
    for index, sentence in enumerate(sentences):
        opener = True  # a sentence's first word is capitalised whatever it is
        for chunk in _chunks(sentence):
            keys = [_term_key(word, language) for word in chunk]
            for position, (word, key) in enumerate(zip(chunk, keys)):
                frequency[key] += 1
                sentence_ids[key].append(index)
                forms[key, word] += 1 if opener else 2  # a sentence opener's capital is no evidence
                if not opener and word[0].isupper() and not (headline_first and index == 0):  # Title Case says nothing
                    capitalised[key] += 1
                opener = False
                if position:
                    neighbours[keys[position - 1], key] += 1
            # Phrases neither start nor end with a stop word and hold no number or date.
            edge = [not _is_stop(key, word, stops, language) for key, word in zip(keys, chunk)]
            blocked = [key in dates or key.removesuffix("s") in dates or bool(_HAS_DIGIT.search(key)) for key in keys]
            # A Korean particle closes its noun phrase: 정책은 대중교통 is no phrase.
            closes = [language == "ko" and key != word.lower() for key, word in zip(keys, chunk)]
            for start in range(len(keys)):
                if not edge[start]:
                    continue
                for end in range(start, min(start + settings.keyword_max_words, len(keys))):
                    if blocked[end]:
                        break
                    # Stop words inside a phrase only in names: "Bank of America", not "financement des écoles".
                    if edge[end] and (all(edge[start:end]) or (names_capitalised and chunk[start][0].isupper() and chunk[end][0].isupper())):
                        phrases[tuple(keys[start : end + 1])] += 1
                    if closes[end]:
                        break
    weights = _term_weights(frequency, capitalised, sentence_ids, neighbours, stops, len(sentences))
    scored = []
    for phrase, count in phrases.items():
        content = [weights[key] for key in phrase if key in weights]
        if content:
            scored.append((math.prod(content) / (count * (1 + sum(content))), phrase))
    scored.sort()
    written: dict[str, str] = {}  # each term as most often written: "Falun", "CCP", "budget"
    for (key, word), _ in sorted(forms.items(), key=lambda item: -item[1]):
        written.setdefault(key, key if language == "ko" else word)  # Korean: the word without particles
    ranked = ((phrase, " ".join(written[key] for key in phrase)) for _, phrase in scored)
    return _best(ranked, settings.keywords_max, cjk=False)


def _chunks(sentence: str) -> list[list[str]]:
    """Runs of words between punctuation marks (a phrase never spans a comma), possessive 's dropped."""
    chunks: list[list[str]] = [[]]
    for token in _TOKEN.findall(sentence):
        if token[0].isalnum():
            chunks[-1].append(_POSSESSIVE.sub("", token))
        elif chunks[-1]:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


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
    frequency: Counter[str],
    capitalised: Counter[str],
    sentence_ids: dict[str, list[int]],
    neighbours: Counter[tuple[str, str]],
    stops: frozenset[str],
    sentence_count: int,
) -> dict[str, float]:
    """YAKE's H(t) for every term that is not a stop word; lower means more important."""
    content = [key for key in frequency if key not in stops and not _HAS_DIGIT.search(key)]
    if not content:
        return {}
    counts = [frequency[key] for key in content]
    mean = sum(counts) / len(counts)
    spread = math.sqrt(sum((f - mean) ** 2 for f in counts) / len(counts))
    top = max(counts)
    # Distinct neighbours per co-occurrence, on each side: high for words that go with anything.
    distinct_left: Counter[str] = Counter()
    distinct_right: Counter[str] = Counter()
    total_left: Counter[str] = Counter()
    total_right: Counter[str] = Counter()
    for (left, right), n in neighbours.items():
        distinct_left[right] += 1
        total_left[right] += n
        distinct_right[left] += 1
        total_right[left] += n
    weights = {}
    for key in content:
        tf = frequency[key]
        dispersion = _ratio(distinct_left[key], total_left[key]) + _ratio(distinct_right[key], total_right[key])
        relatedness = 1 + dispersion * tf / top
        casing = capitalised[key] / (1 + math.log(tf))
        position = math.log(math.log(3 + median(sentence_ids[key])))
        normalised_frequency = tf / (mean + spread)
        spread_over = len(set(sentence_ids[key])) / max(1, sentence_count)
        weights[key] = relatedness * position / (casing + normalised_frequency / relatedness + spread_over / relatedness)
    return weights


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# --- Chinese and Japanese -------------------------------------------------------------------


def _cjk_keywords(text: str, language: str, limit: int) -> list[str]:
    edges = stop_words(language) | _CJK_NUMERALS  # no keyword starts or ends with one
    dates = date_words(language)
    frequency: Counter[str] = Counter()
    first_sentence: dict[str, int] = {}
    left: dict[str, set[str]] = defaultdict(set)
    right: dict[str, set[str]] = defaultdict(set)
    for index, sentence in enumerate(split_sentences(text)):
        for candidate, before, after in _cjk_candidates(sentence, language):
            if candidate in dates or candidate[0] in edges or candidate[-1] in edges:
                continue
            frequency[candidate] += 1
            first_sentence.setdefault(candidate, index)
            left[candidate].add(before or f"^{index}")  # each text edge counts as a different neighbour
            right[candidate].add(after or f"${index}")
    # A word recurs with different characters on either side (accessor variety, Feng et al.
    # 2004); a piece of a longer word does not: 务院常务 always sits in 国务院常务会议.
    words = {c: n for c, n in frequency.items() if language == "ja" or (n >= 2 and min(len(left[c]), len(right[c])) >= 2)}
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

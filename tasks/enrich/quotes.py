"""Direct quotes in an article's clean text, each attributed to its speaker.

Reads plain text whose paragraphs are separated by a blank line and returns every
direct quote in order, with the full name of its speaker where the text gives one
("wrote Ma Wen", "Ana Ruiz said:") and None where it gives only a description
("a veteran Party member"), a pronoun ("he said"), someone else's possessive ("Ruiz's
spokesman") or nothing. Titles are not part of a name ("said Mayor Ana Ruiz", "said Dr. Lee"),
a name in apposition is ("said the mayor's spokesman, Tom Lee"). Double quote marks
delimit quotes: curly “ ”, straight ", CJK 「」 and 『』. Single quotes and
apostrophes never do, so ‘nested’ quotes and "Dafa's" stay inside the outer quote.
Speakers in Chinese text are found but not named (names there are not capitalised),
so their speaker is None. A quote with no attribution is speech only where it stands as a
sentence of its own or a speech verb is in its sentence; words quoted inside the writer's own
sentence (called it “politics in this town” and left) are scare quotes or titles, not speech.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tasks.text.lexicon import SPEECH_VERBS
from tasks.text.words import TITLE_ABBREVIATION, count_words


@dataclass(frozen=True)
class Quote:
    text: str  # the quoted words, without the enclosing marks
    speaker: str | None  # full name of the speaker where the text says it, else None


@dataclass(frozen=True)
class _Span:
    start: int  # offset of the opening mark in the paragraph
    end: int  # offset of the closing mark, or the paragraph's length when unclosed
    closed: bool


@dataclass(frozen=True)
class _Attribution:
    speaker: str | None  # the name as written (maybe one word), None when not a name


@dataclass(frozen=True)
class _Candidate:
    text: str
    speaker: str | None
    attributed: bool  # by its own attribution or by the quote just before it
    opens_paragraph: bool
    closed: bool
    stands_alone: bool  # a sentence of its own, not words quoted inside someone else's sentence


# Chinese has no word boundaries: its verbs get a pattern without \b.
_LATIN_VERBS = [verb for verb in SPEECH_VERBS if verb.isascii()]
_LATIN_VERB = r"\b(?:" + "|".join(_LATIN_VERBS) + r")\b"
_CJK_VERB = "(?:" + "|".join(v for v in SPEECH_VERBS if not v.isascii()) + ")"

CLOSERS = "”」』"
QUOTE_MARK = re.compile(r'[“”「」『』"]')
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")

_WORD = r"[\w'’-]+"
QUOTE_ENDS_CLAUSE = re.compile(r"[,?!—–，？！。]\s*$")
AFTER_STARTS_CLAUSE = re.compile(r"\s*[,—–]")
# Text right after a closing mark: `,” wrote Ma.` / `, according to Ana Ruiz.` / `said Dr. Lee.`
VERB_THEN_SPEAKER = re.compile(rf"[\s,—–]*{_LATIN_VERB}(?P<rest>(?:{TITLE_ABBREVIATION}|[^.!?;:])*)")
_SUBJECT_WORDS = 4  # "one of the officers", "council member Ana Ruiz"
# `,” Ma wrote.` / `,” one of the officers wrote.`
SPEAKER_THEN_VERB = re.compile(rf"[\s,—–]*(?P<subject>(?:{_WORD}\s+){{0,{_SUBJECT_WORDS - 1}}}{_WORD})\s+{_LATIN_VERB}")
# Text right before an opening mark: `Ana Ruiz said: “` / `Zhao wrote, “` / `Ruiz told reporters: “`.
# Words after the verb need a colon or comma, so "wrote about the “Nine Commentaries”" is no quote.
_WORDS_AFTER_VERB = 3
SPEAKER_BEFORE_QUOTE = re.compile(
    rf"(?P<subject>(?:{_WORD}\s+){{0,{_SUBJECT_WORDS - 1}}}{_WORD})\s+{_LATIN_VERB}"
    rf"(?:(?:\s+[a-z]\w*){{1,{_WORDS_AFTER_VERB}}}\s*[,:]|\s*[,:]?)\s*$"
)
# The most whitespace-separated words an attribution before a quote spans (its colon may stand alone).
_ATTRIBUTION_BEFORE_WORDS = _SUBJECT_WORDS + max(len(verb.split()) for verb in _LATIN_VERBS) + _WORDS_AFTER_VERB + 1
CJK_VERB_AFTER_QUOTE = re.compile(rf"[\s,，]*[^\s。！？.!?「」“”『』]{{0,10}}?{_CJK_VERB}")
CJK_VERB_BEFORE_QUOTE = re.compile(rf"{_CJK_VERB}[:：,，]?\s*$")
# Where a quote is a sentence of its own: after a sentence end, a colon or a parenthesis, and
# before the next sentence (a capital, a new quote, a closing parenthesis); sentences end at
# . ! ? ; before a capital, not after initials or abbreviations ("Nov. 5", "U.S. Army").
OPENS_BEFORE = re.compile(r"[.!?…:;(。！？：（]\s*$")
ENDS_INSIDE = re.compile(r"[.!?…,。！？，]\s*$")
SENTENCE_BOUNDARY = re.compile(r"(?<![A-Z][a-z])(?<![A-Z])[.!?…;]\s+(?=[A-Z“\"(])|[。！？]")
LATIN_VERB = re.compile(_LATIN_VERB)
CJK_VERB = re.compile(_CJK_VERB)
SENTENCE_STARTS = '.!?…;)。！？）“「『"'
# Between two quotes of one speaker there is only the first one's attribution clause.
SINGLE_CLAUSE = re.compile(rf"(?:{TITLE_ABBREVIATION}|[^.!?。！？])*[.!?。！？]?\s*")

# A name word is capitalised but not an acronym: Ana, McDonald, O'Brien, Jean-Luc.
NAME_WORD = re.compile(r"(?:Mc|Mac|O['’])?[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ]+)*")
TOKEN = re.compile(r"[\w'’-]+|[^\w\s]")
POSSESSIVE = re.compile(r"['’]s$")
PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you", "it"})
# Words that open a description rather than a name: "wrote a veteran Party member".
DETERMINERS = frozenset({"a", "an", "the", "one", "another", "some", "this", "that", "his", "her", "their", "its"})
# Capitalised words that are not names: sentence openers and dates ("said on Tuesday").
NOT_NAMES = (
    PRONOUNS
    | DETERMINERS
    | frozenset(
        {
            "and",
            "but",
            "so",
            "then",
            "in",
            "on",
            "at",
            "for",
            "as",
            "when",
            "after",
            "before",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        }
    )
)

# Titles and offices in front of a name are not part of it: "Mayor Ana Ruiz" is Ana Ruiz.
TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "doctor",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "mayor",
        "president",
        "vice",
        "prime",
        "minister",
        "premier",
        "chancellor",
        "governor",
        "gov",
        "senator",
        "sen",
        "representative",
        "rep",
        "congressman",
        "congresswoman",
        "councilman",
        "councilwoman",
        "councillor",
        "councilor",
        "secretary",
        "ambassador",
        "commissioner",
        "director",
        "chairman",
        "chairwoman",
        "chair",
        "judge",
        "justice",
        "general",
        "gen",
        "colonel",
        "col",
        "captain",
        "capt",
        "lieutenant",
        "lt",
        "sergeant",
        "sgt",
        "officer",
        "detective",
        "inspector",
        "chief",
        "sheriff",
        "deputy",
        "superintendent",
        "principal",
        "dean",
        "coach",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "bishop",
        "archbishop",
        "cardinal",
        "rabbi",
        "imam",
        "pastor",
        "father",
        "sister",
        "brother",
        "rev",
        "reverend",
        "st",
        "saint",
    }
)

SCARE_QUOTE_MAX_WORDS = 4
MAX_NAME_WORDS = 3
MAX_DESCRIPTOR_WORDS = 3  # "CCP official", "council member" before the name


def extract_quotes(text: str, headings: Sequence[str] = ()) -> list[Quote]:
    """Direct quotes in `text` (paragraphs separated by a blank line), in order of appearance."""
    heading_set = {heading.strip() for heading in headings}
    names = FullNames(text)
    quotes: list[Quote] = []
    last_quote_open = False  # the previous paragraph ended inside a kept quote
    for offset, paragraph in _paragraphs(text):
        if paragraph.strip() in heading_set:
            last_quote_open = False
            continue
        continues_quote, last_quote_open = last_quote_open, False
        for index, candidate in enumerate(_paragraph_candidates(paragraph, names, offset)):
            if index == 0 and continues_quote and candidate.opens_paragraph and not candidate.attributed:
                # A multi-paragraph quote: the speaker is named once, in its first paragraph.
                previous = quotes[-1]
                quotes[-1] = Quote(f"{previous.text} {candidate.text}", previous.speaker)
            elif candidate.attributed or (
                candidate.stands_alone and count_words(candidate.text) > SCARE_QUOTE_MAX_WORDS
            ):
                quotes.append(Quote(candidate.text, candidate.speaker))
            else:
                # A scare quote such as the “610 Office”, or words quoted inside the writer's own
                # sentence (called it “politics in this town” and left): not speech.
                continue
            last_quote_open = not candidate.closed
    return quotes


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Each paragraph with its offset in `text`, so names before a quote can be looked up."""
    start = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def find_quote_spans(paragraph: str) -> list[_Span]:
    """Outermost quotes of a paragraph; a quote still open at its end runs to the end."""
    spans: list[_Span] = []
    open_marks: list[int] = []  # a stack, so “the “610 Office” in China” stays one quote
    for match in QUOTE_MARK.finditer(paragraph):
        mark = match.group()
        # A straight mark closes a straight quote and opens anything else.
        closes = paragraph[open_marks[-1]] == '"' if mark == '"' and open_marks else mark in CLOSERS
        if not closes:
            open_marks.append(match.start())
        elif open_marks:  # a closing mark with nothing open is a typo: ignore it
            start = open_marks.pop()
            if not open_marks:
                spans.append(_Span(start, match.start(), closed=True))
    if open_marks:
        spans.append(_Span(open_marks[0], len(paragraph), closed=False))
    return spans


def _paragraph_candidates(paragraph: str, names: FullNames, offset: int) -> list[_Candidate]:
    """Every quote of the paragraph with its speaker, scare quotes included."""
    spans = find_quote_spans(paragraph)
    candidates: list[_Candidate] = []
    previous_attribution_after = False  # the previous quote's own attribution follows it
    for index, span in enumerate(spans):
        before = paragraph[spans[index - 1].end + 1 if index else 0 : span.start]
        after = paragraph[span.end + 1 : spans[index + 1].start if index + 1 < len(spans) else None]
        quoted = paragraph[span.start + 1 : span.end]
        attribution = find_attribution(quoted, before, after)
        # The previous speaker goes on when nothing but their attribution lies between:
        # “…,” wrote Wang. “I realize now…”
        inherits = (
            attribution is None
            and bool(candidates)
            and candidates[-1].attributed
            and (not before.strip() or (previous_attribution_after and bool(SINGLE_CLAUSE.fullmatch(before))))
        )
        speaker: str | None
        if attribution is not None and attribution.speaker is not None:
            speaker = names.resolve(attribution.speaker, offset + span.start)
        else:
            speaker = candidates[-1].speaker if inherits else None
        candidates.append(
            _Candidate(
                text=_clean(quoted),
                speaker=speaker,
                attributed=attribution is not None or inherits,
                opens_paragraph=not paragraph[: span.start].strip(),
                closed=span.closed,
                stands_alone=_stands_alone(paragraph, span, before, after),
            )
        )
        previous_attribution_after = _attribution_after(quoted, after) is not None
    return candidates


def _stands_alone(paragraph: str, span: _Span, before: str, after: str) -> bool:
    """True when the quote is speech by its place: a speech verb in its sentence ("Ruiz told
    reporters “…”", "“…” working there, she said"), or a sentence of its own: it starts the
    paragraph or a sentence (or follows a colon, a parenthesis, or a comma when it starts with a
    capital) and ends one (its words end with . ! ? or a comma handing over to an attribution,
    or what follows starts anew)."""
    quoted = paragraph[span.start + 1 : span.end]
    sentence_before = SENTENCE_BOUNDARY.split(paragraph[: span.start])[-1]
    sentence_after = SENTENCE_BOUNDARY.split(paragraph[span.end + 1 :])[0] if span.closed else ""
    if any(LATIN_VERB.search(text) or CJK_VERB.search(text) for text in (sentence_before, sentence_after)):
        return True
    opens = (
        not before.strip()
        or bool(OPENS_BEFORE.search(before))
        or (before.rstrip().endswith(",") and quoted.lstrip()[:1].isupper())
    )
    rest = after.lstrip()
    ends = not span.closed or bool(ENDS_INSIDE.search(quoted)) or not rest or _starts_sentence(rest[0])
    return opens and ends


def _starts_sentence(character: str) -> bool:
    """True for a sentence end, an opening quote, a capital, or a letter of a script without
    case (Chinese, Japanese)."""
    return character in SENTENCE_STARTS or character.isupper() or (character.isalpha() and not character.islower())


def _clean(quoted: str) -> str:
    """The quoted words without a trailing comma (it belongs to the sentence around them)."""
    quoted = quoted.strip()
    return quoted[:-1].rstrip() if quoted.endswith((",", "，")) else quoted


def find_attribution(quoted: str, before: str, after: str) -> _Attribution | None:
    """The attribution next to a quote; one that names someone wins, the one after it first."""
    found = [a for a in (_attribution_after(quoted, after), _attribution_before(before)) if a is not None]
    for attribution in found:
        if attribution.speaker is not None:
            return attribution
    return found[0] if found else None


def _attribution_after(quoted: str, after: str) -> _Attribution | None:
    # Speech hands over to its attribution with a comma, ? or ! (`,” wrote Ma`, `”, according to`);
    # after a scare quote the sentence just goes on (the “610 Office” wrote to him).
    if not (QUOTE_ENDS_CLAUSE.search(quoted) or AFTER_STARTS_CLAUSE.match(after)):
        return None
    if match := VERB_THEN_SPEAKER.match(after):
        return _Attribution(_name_after_verb(match["rest"]))
    if match := SPEAKER_THEN_VERB.match(after):
        return _Attribution(_name_at_end(match["subject"]))
    if CJK_VERB_AFTER_QUOTE.match(after):
        return _Attribution(None)
    return None


def _attribution_before(before: str) -> _Attribution | None:
    # Both patterns end the text and span a few of its words: they are searched for in those
    # words only, which finds the same match (the text before a quote can be a whole paragraph,
    # and each of its characters would start another try).
    words = before.rsplit(None, _ATTRIBUTION_BEFORE_WORDS)
    ending = before[len(words[0]) :] if len(words) > _ATTRIBUTION_BEFORE_WORDS else before
    if match := SPEAKER_BEFORE_QUOTE.search(ending):
        return _Attribution(_name_at_end(match["subject"]))
    if CJK_VERB_BEFORE_QUOTE.search(ending):
        return _Attribution(None)
    return None


def _is_name_word(word: str) -> bool:
    return bool(NAME_WORD.fullmatch(word)) and word.lower() not in NOT_NAMES


def _name_after_verb(rest: str) -> str | None:
    """`council member Ana Ruiz` / `Mayor Ana Ruiz` / `Dr. Lee` → the name; `a veteran Party
    member` → None (a description); `Ruiz's spokesman` → None (someone else); after either, a
    name in apposition counts: `said the mayor's spokesman, Tom Lee` → Tom Lee."""
    segments = rest.split(",")
    words = [word.rstrip(".") for word in segments[0].split()]
    name = _leading_name(words) if words and words[0].lower() not in DETERMINERS | PRONOUNS else None
    if name is None and len(segments) > 1:
        return _appositive_name(segments[1])
    return name


def _leading_name(words: list[str]) -> str | None:
    """The name after up to MAX_DESCRIPTOR_WORDS descriptor words; None when a possessive
    ("Ruiz's", "the city's") shows the speaker is someone else."""
    skipped = 0
    while skipped < min(MAX_DESCRIPTOR_WORDS, len(words)) and not _is_name_word(words[skipped]):
        if POSSESSIVE.search(words[skipped]):
            return None
        skipped += 1
    name: list[str] = []
    for word in words[skipped:]:
        if not _is_name_word(word) or len(name) == MAX_NAME_WORDS + 2:
            if POSSESSIVE.search(word):
                return None
            break
        name.append(word)
    return _without_titles(name)


def _appositive_name(segment: str) -> str | None:
    """A segment that is nothing but a name: `Tom Lee` in `said his spokesman, Tom Lee`."""
    words = [word.rstrip(".") for word in segment.split()]
    if words and len(words) <= MAX_NAME_WORDS + 2 and all(_is_name_word(word) for word in words):
        return _without_titles(words)
    return None


def _without_titles(words: list[str]) -> str | None:
    """The name without the titles before it, at most MAX_NAME_WORDS words; None if only titles."""
    start = 0
    while start < len(words) and words[start].lower() in TITLES:
        start += 1
    return " ".join(words[start : start + MAX_NAME_WORDS]) or None


def _name_at_end(subject: str) -> str | None:
    """The capitalised words ending `subject` without titles (`Mayor Ana Ruiz` → Ana Ruiz);
    None for `he`, `one of the officers` or a possessive (`Ruiz's spokesman`)."""
    name: list[str] = []
    for word in reversed(subject.split()):
        if not _is_name_word(word) or len(name) == MAX_NAME_WORDS + 2:
            break
        name.insert(0, word)
    return _without_titles(name)


class FullNames:
    """The full names a text introduces, to resolve a surname used later ("wrote Ma" -> Ma Wen).

    Built once per text, on first use: every one-word name maps to the full names containing
    it, each with the offset where its run ends, so a lookup costs a binary search however many
    quotes the text has.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._index: dict[str, tuple[list[int], list[str]]] | None = None

    def resolve(self, name: str, position: int) -> str:
        """The latest full name ending before `position` that starts or ends with `name`."""
        if " " in name:
            return name
        if self._index is None:
            self._index = self._build()
        ends, names = self._index.get(name, ([], []))
        latest = bisect_right(ends, position) - 1
        return names[latest] if latest >= 0 else name

    def _build(self) -> dict[str, tuple[list[int], list[str]]]:
        index: dict[str, tuple[list[int], list[str]]] = {}
        for end, run in _name_runs(self._text):
            for i, word in enumerate(run):
                if i + 1 < len(run):  # "Ma Wen": the name leads
                    full_name = " ".join(run[i : i + MAX_NAME_WORDS])
                elif i > 0:  # "Ana Ruiz" for "Ruiz": the name ends it
                    full_name = " ".join(run[max(0, i - MAX_NAME_WORDS + 1) : i + 1])
                else:
                    continue
                ends, names = index.setdefault(word, ([], []))
                ends.append(end)
                names.append(full_name)
        return index


def _name_runs(text: str) -> list[tuple[int, list[str]]]:
    """Runs of consecutive name words with the offset where each ends, titles left out;
    punctuation, lowercase words and a possessive end a run ("Ana Ruiz's plan": Ana Ruiz)."""
    runs: list[tuple[int, list[str]]] = []
    run: list[str] = []
    end = 0
    for match in TOKEN.finditer(text):
        token = match.group()
        owner = POSSESSIVE.sub("", token)
        if _is_name_word(owner) and not (owner.lower() in TITLES and not run):
            run.append(owner)
            end = match.end()
            if owner == token:
                continue
        if run:
            runs.append((end, run))
            run = []
    if run:
        runs.append((end, run))
    return runs

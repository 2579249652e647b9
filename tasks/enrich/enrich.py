"""Enrich stage: language, counts, readability, keywords, quotes, quality signals, hashes.

Each step declares the columns it reads and writes (NeMo Curator style); `enrich_batch`
applies them in order to the rows of a cleaned batch (validate then checks what they wrote). Words and sentences are split once per
article and shared by the steps (TextUnits). Rows whose enrichment raises go to quarantine
(stage enrich, reason enrich_error) instead of failing the batch. Quality warnings are counted
per code in the stage's `warned` counters; they never drop a row.

`minhash` is not an articles column: it rides with the row to the write stage, where
tasks/lake/dedup.py marks duplicates with it and stores it in <lake>/signatures.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

from schemas.reasons import QualityWarning, Reason, Stage
from tasks.config import ENRICH
from tasks.enrich.flesch import readability
from tasks.enrich.keywords import extract_keywords
from tasks.enrich.language import identify_language
from tasks.enrich.minhash import minhash_signature
from tasks.enrich.quality import quality_signals, quality_warnings
from tasks.enrich.quotes import extract_quotes
from tasks.records import RawRecord, Rejection, StageCounters
from tasks.text.words import WORD, count_cjk_chars, split_sentences

Row = dict[str, Any]

_WHITESPACE = re.compile(r"\s+")


class TextUnits:
    """The words and sentences of one text, split on first use and shared by the steps."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def words(self) -> list[str]:
        return WORD.findall(self.text)

    @cached_property
    def sentences(self) -> list[str]:
        return split_sentences(self.text)


@dataclass(frozen=True)
class EnrichStep:
    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    apply: Callable[[Row, TextUnits], Row]  # returns the values of `writes`


def detect_language(row: Row, units: TextUnits) -> Row:
    found = identify_language(row["text"], row.get("declared_language"))
    return {
        "language": found.language,
        "language_score": found.score,
        "language_matches_declared": found.matches_declared,
        "script": found.script,
        "script_share": found.script_share,
    }


def count_text(row: Row, units: TextUnits) -> Row:
    """Words (a CJK character is one), sentences, characters, paragraphs and reading time:
    words/230 for scripts written with spaces plus CJK characters/500, in minutes."""
    text = row["text"]
    cjk = count_cjk_chars(text)
    minutes = (len(units.words) - cjk) / ENRICH.words_per_minute + cjk / ENRICH.cjk_chars_per_minute
    return {
        "word_count": len(units.words),
        "sentence_count": len(units.sentences),
        "char_count": len(text),
        "paragraph_count": text.count("\n\n") + 1 if text else 0,
        "reading_time_minutes": round(minutes, 1),
    }


def score_readability(row: Row, units: TextUnits) -> Row:
    scores = readability(units.words, len(units.sentences), row["language"])
    return {
        "flesch_reading_ease": scores.flesch_reading_ease if scores else None,
        "flesch_kincaid_grade": scores.flesch_kincaid_grade if scores else None,
    }


def pick_keywords(row: Row, units: TextUnits) -> Row:
    """Extracted keywords always; `keywords` stays the page's tags when it has any."""
    extracted = extract_keywords(row["text"], row["language"], row.get("headline"), sentences=units.sentences)
    tags = row.get("keywords") or []
    return {
        "keywords": tags or extracted,
        "keywords_source": "page" if tags else "extracted" if extracted else None,
        "extracted_keywords": extracted,
    }


def attribute_quotes(row: Row, units: TextUnits) -> Row:
    quotes = extract_quotes(row["text"], row.get("headings") or ())
    return {"quotes": [{"text": q.text, "speaker": q.speaker} for q in quotes]}


def measure_quality(row: Row, units: TextUnits) -> Row:
    signals = quality_signals(row["text"], units.words, row["language"], row["script"])
    warnings = quality_warnings(signals, row["word_count"])
    if row.get("language_matches_declared") is False:
        warnings.append(str(QualityWarning.DECLARED_LANGUAGE_MISMATCH))
    return asdict(signals) | {"quality_warnings": warnings}


def hash_content(row: Row, units: TextUnits) -> Row:
    return {"content_hash": content_hash(row["text"]), "minhash": minhash_signature(units.words)}


def content_hash(text: str) -> str:
    """sha256 of the text with case and whitespace differences removed."""
    canonical = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


ENRICH_STEPS: tuple[EnrichStep, ...] = (
    EnrichStep(
        "language",
        ("text", "declared_language"),
        ("language", "language_score", "language_matches_declared", "script", "script_share"),
        detect_language,
    ),
    EnrichStep(
        "counts",
        ("text",),
        ("word_count", "sentence_count", "char_count", "paragraph_count", "reading_time_minutes"),
        count_text,
    ),
    EnrichStep("readability", ("text", "language"), ("flesch_reading_ease", "flesch_kincaid_grade"), score_readability),
    EnrichStep(
        "keywords",
        ("text", "headline", "language", "keywords"),
        ("keywords", "keywords_source", "extracted_keywords"),
        pick_keywords,
    ),
    EnrichStep("quotes", ("text", "headings"), ("quotes",), attribute_quotes),
    EnrichStep(
        "quality",
        ("text", "language", "script", "word_count", "language_matches_declared"),
        (
            "mean_word_length",
            "symbol_word_ratio",
            "alpha_word_ratio",
            "stop_word_ratio",
            "boilerplate_line_ratio",
            "duplicate_line_ratio",
            "terminal_punctuation_ratio",
            "quality_warnings",
        ),
        measure_quality,
    ),
    EnrichStep("hashes", ("text",), ("content_hash", "minhash"), hash_content),
)
# The articles columns enrich fills; `minhash` only rides along to the write stage.
ENRICH_COLUMNS = tuple(c for step in ENRICH_STEPS for c in step.writes if c != "minhash")


def enrich_batch(rows: list[Row]) -> tuple[list[Row], list[Rejection], StageCounters]:
    """Apply every step to every row of a cleaned batch (validate then checks the results)."""
    counters = StageCounters("enrich", total=len(rows))
    enriched: list[Row] = []
    rejections: list[Rejection] = []
    for row in rows:
        outcome = enrich_or_reject(
            row, RawRecord(row["source_uri"], row["source_record"], row["source_format"], row["raw"])
        )
        count_enriched(outcome, counters)
        if isinstance(outcome, Rejection):
            rejections.append(outcome)
        else:
            enriched.append(outcome)
    return enriched, rejections, counters


def enrich_or_reject(row: Row, record: RawRecord) -> Row | Rejection:
    """``row`` with every step's columns (in place), or the rejection of its `record`; never raises."""
    units = TextUnits(row["text"])
    for step in ENRICH_STEPS:
        try:
            row |= step.apply(row, units)
        except Exception as error:  # one odd text must not cost the batch
            return Rejection.of(
                record, Stage.ENRICH, Reason.ENRICH_ERROR, f"{step.name}: {type(error).__name__}: {error}"
            )
    return row


def count_enriched(outcome: Row | Rejection, counters: StageCounters) -> None:
    """Add one row's outcome to the stage's counters: forwarded with its quality warnings, or rejected."""
    if isinstance(outcome, Rejection):
        counters.reject(outcome.reasons)
    else:
        counters.forwarded += 1
        counters.warned.update(f"quality:{code}" for code in outcome["quality_warnings"])

"""Enrich stage: language, counts, quotes, content hash, duplicates.

Each step declares the columns it reads and writes (NeMo Curator style); `enrich_batch`
applies them in order to the rows of a cleaned batch
(validate then checks what they wrote). Rows whose enrichment raises go to
quarantine (stage enrich, reason enrich_error) instead of failing the batch.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from schemas.reasons import Reason, Stage
from tasks.quotes import extract_quotes
from tasks.records import RawRecord, Rejection, StageCounters
from tasks.words import count_words

Row = dict[str, Any]

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class EnrichStep:
    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    apply: Callable[[Row], Row]  # returns the values of `writes`


def detect_language(row: Row) -> Row:
    language, score = _language_identifier().classify(row["text"])
    return {"language": language, "language_score": round(float(score), 4)}


def check_declared_language(row: Row) -> Row:
    """Whether the language the page declares (<html lang>, inLanguage...) is the one its text is in.

    Null when the page declares none. A mismatch flags a template's default ("en" on every page
    of a multilingual site) or a translated page that kept its source's markup.
    """
    declared = row.get("declared_language")
    return {"language_matches_declared": None if not declared else declared == row["language"]}


def count_text(row: Row) -> Row:
    text = row["text"]
    return {
        "word_count": count_words(text),
        "char_count": len(text),
        "paragraph_count": text.count("\n\n") + 1 if text else 0,
    }


def attribute_quotes(row: Row) -> Row:
    quotes = extract_quotes(row["text"], row.get("headings") or ())
    return {"quotes": [{"text": q.text, "speaker": q.speaker} for q in quotes]}


def hash_content(row: Row) -> Row:
    return {"content_hash": content_hash(row["text"])}


def content_hash(text: str) -> str:
    """sha256 of the text with case and whitespace differences removed."""
    canonical = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


ENRICH_STEPS: tuple[EnrichStep, ...] = (
    EnrichStep("language", ("text",), ("language", "language_score"), detect_language),
    EnrichStep("language_check", ("declared_language", "language"), ("language_matches_declared",), check_declared_language),
    EnrichStep("counts", ("text",), ("word_count", "char_count", "paragraph_count"), count_text),
    EnrichStep("quotes", ("text", "headings"), ("quotes",), attribute_quotes),
    EnrichStep("content_hash", ("text",), ("content_hash",), hash_content),
)
ENRICH_COLUMNS = tuple(c for step in ENRICH_STEPS for c in step.writes)


def enrich_batch(rows: list[Row]) -> tuple[list[Row], list[Rejection], StageCounters]:
    """Apply every step to every row of a cleaned batch (validate then checks the results)."""
    counters = StageCounters("enrich", total=len(rows))
    enriched: list[Row] = []
    rejections: list[Rejection] = []
    for row in rows:
        try:
            for step in ENRICH_STEPS:
                row |= step.apply(row)
        except Exception as error:  # one odd text must not cost the batch
            record = RawRecord(row["source_uri"], row["source_record"], row["source_format"], row["raw"])
            rejections.append(Rejection.of(record, Stage.ENRICH, Reason.ENRICH_ERROR, f"{step.name}: {type(error).__name__}: {error}"))
            counters.reject((Reason.ENRICH_ERROR,))
            continue
        enriched.append(row)
    counters.forwarded = len(enriched)
    return enriched, rejections, counters


def mark_duplicates(rows: Iterable[Row], known: dict[str, str]) -> int:
    """Set duplicate_of to the earliest article with the same content_hash; returns how many.

    `known` maps content_hash -> id of the earliest article with it (from the table and
    earlier batches) and is extended with the hashes first seen here.
    """
    duplicates = 0
    for row in rows:
        first = known.setdefault(row["content_hash"], row["id"])
        row["duplicate_of"] = first if first != row["id"] else None
        duplicates += row["duplicate_of"] is not None
    return duplicates


@cache
def _language_identifier():
    # Loading the model takes most of a second: once per process.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


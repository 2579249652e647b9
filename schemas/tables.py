"""The Arrow schemas of the lake's Delta tables: the single source of truth.

Every column is declared once here, with its meaning in the field metadata; writers cast
to these schemas, the GX suite and the docs read them. Bump SCHEMA_VERSION whenever a
column is added, removed or changes type.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1"

TIMESTAMP = pa.timestamp("us", tz="UTC")
QUOTE = pa.struct([pa.field("text", pa.string()), pa.field("speaker", pa.string())])


def _column(name: str, type_: pa.DataType, meaning: str, *, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": meaning})


ARTICLES_SCHEMA = pa.schema(
    [
        _column(
            "id",
            pa.string(),
            "stable article id: hash of the canonical URL, else of source_uri#source_record",
            nullable=False,
        ),
        _column("url", pa.string(), "canonical URL when known"),
        _column("source_domain", pa.string(), "host of url, without a leading www."),
        _column("headline", pa.string(), "title"),
        _column("description", pa.string(), "summary / standfirst when the page has one"),
        _column("text", pa.large_string(), "clean article body, paragraphs separated by a blank line", nullable=False),
        _column("authors", pa.list_(pa.string()), "bylines, one name each"),
        _column("publisher", pa.string(), "site or publication name"),
        _column("date_published", TIMESTAMP, "first publication"),
        _column("date_modified", TIMESTAMP, "last update"),
        _column("date_crawled", TIMESTAMP, "when the page was fetched (WARC-Date of its WARC record), else null"),
        _column(
            "published_month",
            pa.string(),
            "YYYY-MM of date_published (UTC), null when unknown; the articles table is partitioned by it",
        ),
        _column("language", pa.string(), "ISO 639-1 code (en, zh, ...)"),
        _column("language_score", pa.float32(), "language confidence 0-1"),
        _column(
            "declared_language", pa.string(), "language the page declares (<html lang>, JSON-LD inLanguage), ISO 639-1"
        ),
        _column(
            "language_matches_declared",
            pa.bool_(),
            "declared_language equals the detected language; null when the page declares none",
        ),
        _column("script", pa.string(), "main writing system, ISO 15924: Latn, Cyrl, Arab, Hans, Hant, Jpan, Kore, ..."),
        _column(
            "script_share", pa.float32(), "share of the letters written in script, 0-1 (under ~0.8: mixed scripts)"
        ),
        _column("article_section", pa.list_(pa.string()), "sections / categories"),
        _column("keywords", pa.list_(pa.string()), "the page's own tags when it has any, else extracted_keywords"),
        _column("keywords_source", pa.string(), "where keywords come from: page (tags) or extracted"),
        _column(
            "extracted_keywords",
            pa.list_(pa.string()),
            "up to 10 keywords extracted from headline and text, best first",
        ),
        _column("headings", pa.list_(pa.string()), "section headings inside the body"),
        _column("quotes", pa.list_(QUOTE), "quoted speech; speaker null when unknown"),
        _column("word_count", pa.int32(), "words (CJK counted per character)"),
        _column("char_count", pa.int32(), "characters of text"),
        _column("paragraph_count", pa.int32(), "paragraphs of text"),
        _column("sentence_count", pa.int32(), "sentences of text (. ! ? and CJK 。！？ end one, abbreviations do not)"),
        _column("reading_time_minutes", pa.float32(), "words/230 plus CJK characters/500, one decimal"),
        _column("flesch_reading_ease", pa.float32(), "Flesch reading ease (higher is easier); English only, else null"),
        _column("flesch_kincaid_grade", pa.float32(), "Flesch-Kincaid US school grade; English only, else null"),
        _column("mean_word_length", pa.float32(), "characters per word; null for Chinese, Japanese, Korean"),
        _column("symbol_word_ratio", pa.float32(), "'#' and ellipses per word"),
        _column("alpha_word_ratio", pa.float32(), "share of words with at least one letter"),
        _column("stop_word_ratio", pa.float32(), "share of words that are stop words of language; null without a list"),
        _column(
            "boilerplate_line_ratio",
            pa.float32(),
            "share of paragraphs that look like site boilerplate (cookies, subscribe, ...)",
        ),
        _column("duplicate_line_ratio", pa.float32(), "share of paragraphs repeating an earlier one"),
        _column("terminal_punctuation_ratio", pa.float32(), "share of paragraphs ending like a sentence"),
        _column(
            "quality_warnings",
            pa.list_(pa.string()),
            "quality thresholds crossed (schemas.reasons.QualityWarning); never a reason to drop",
        ),
        _column("content_hash", pa.string(), "sha256 of the text, case-folded with whitespace collapsed"),
        _column(
            "duplicate_of",
            pa.string(),
            "id of the earliest article with the same or nearly the same text (Jaccard >= 0.8), else null",
        ),
        _column(
            "duplicate_similarity",
            pa.float32(),
            "1.0 for the same text, else estimated Jaccard similarity to duplicate_of; null when no duplicate",
        ),
        _column(
            "extractor",
            pa.string(),
            "what produced text: plaintext, trafilatura, trafilatura+readability, readability, jsonld, fallback, jsonl",
        ),
        _column(
            "source_uri", pa.string(), "the input file (absolute path or URL) the record came from", nullable=False
        ),
        _column(
            "source_record",
            pa.int32(),
            "index of the record inside its input (0 for one-record files, line for JSONL, record for WARC)",
            nullable=False,
        ),
        _column("source_format", pa.string(), "txt, html, jsonl, warc"),
        _column("source_sha256", pa.string(), "sha256 of the record's raw input bytes"),
        _column(
            "fingerprint", pa.string(), "hash of every content column; an upsert with the same fingerprint is skipped"
        ),
        _column("run_id", pa.string(), "Prefect flow run id that wrote the row"),
        _column("pipeline_version", pa.string(), "version of broadsheet that wrote the row"),
        _column("ingested_at", TIMESTAMP, "when the row was written"),
    ],
    metadata={"schema_version": SCHEMA_VERSION},
)

QUARANTINE_SCHEMA = pa.schema(
    [
        _column("id", pa.string(), "hash of source_uri#source_record: one row per input record", nullable=False),
        _column(
            "source_uri", pa.string(), "the input file (absolute path or URL) the record came from", nullable=False
        ),
        _column("source_record", pa.int32(), "index of the record inside its input", nullable=False),
        _column("source_format", pa.string(), "txt, html, jsonl, warc, or unknown"),
        _column(
            "stage", pa.string(), "stage that rejected the record: ingest, clean, validate, enrich", nullable=False
        ),
        _column(
            "reasons", pa.list_(pa.string()), "machine-readable reason codes (schemas.reasons.Reason)", nullable=False
        ),
        _column("error", pa.string(), "human-readable explanation"),
        _column("raw", pa.binary(), "the original bytes, or their first raw_cap_bytes"),
        _column("raw_truncated", pa.bool_(), "true when raw holds only the first raw_cap_bytes"),
        _column("source_sha256", pa.string(), "sha256 of the record's full raw bytes"),
        _column("run_id", pa.string(), "Prefect flow run id that wrote the row"),
        _column("pipeline_version", pa.string(), "version of broadsheet that wrote the row"),
        _column("ingested_at", TIMESTAMP, "when the row was written"),
    ],
    metadata={"schema_version": SCHEMA_VERSION},
)

# <lake>/signatures: what near-duplicate detection keeps of every article, so that a run compares
# its articles with all earlier ones without reading their texts (tasks/lake/dedup.py).
SIGNATURES_SCHEMA = pa.schema(
    [
        _column("id", pa.string(), "article id (articles.id)", nullable=False),
        _column("content_hash", pa.string(), "articles.content_hash of the text the signature was made from"),
        _column(
            "minhash",
            pa.binary(),
            "MinHash of the text's word shingles: 128 little-endian uint32 (datasketch affine32, seed 1)",
        ),
        _column("band_keys", pa.list_(pa.int64()), "one key per LSH band of minhash; texts sharing a key are compared"),
        _column(
            "first_seen", TIMESTAMP, "start of the run that first wrote the article: earlier articles are the originals"
        ),
        _column("run_position", pa.int32(), "the article's position in that run, to order articles of one run"),
    ],
    metadata={"schema_version": SCHEMA_VERSION},
)

# <lake>/_inputs: the ledger of input files whose records the lake holds, so a run reads only
# what is new or changed (tasks/lake/ledger.py).
INPUTS_SCHEMA = pa.schema(
    [
        _column(
            "uri", pa.string(), "an input file (absolute path or URL) whose records the lake holds", nullable=False
        ),
        _column("sha256", pa.string(), "sha256 of the file's bytes as stored when it was processed", nullable=False),
        _column("size_bytes", pa.int64(), "size of the file as stored"),
        _column("source_format", pa.string(), "txt, html, jsonl, warc"),
        _column("run_id", pa.string(), "Prefect flow run id that processed this content of the file"),
        _column("pipeline_version", pa.string(), "version of broadsheet that processed it"),
        _column("processed_at", TIMESTAMP, "when that run started"),
        _column(
            "stamp",
            pa.string(),
            "size and modification marks (mtime and inode, or the object store's ETag) the file was listed with when"
            " last hashed: a file listed with the same stamp is taken to hold the same bytes and is not read to hash it",
        ),
    ],
    metadata={"schema_version": SCHEMA_VERSION},
)

# Columns that change with every run; everything else is content and goes into the fingerprint.
RUN_COLUMNS = ("fingerprint", "run_id", "pipeline_version", "ingested_at")
# How the articles table is laid out on disk (README "Partitioning"); derived by the writer, so not content.
ARTICLES_PARTITION_BY = ("published_month",)

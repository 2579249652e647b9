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
        _column("id", pa.string(), "stable article id: hash of the canonical URL, else of source_uri#source_record", nullable=False),
        _column("url", pa.string(), "canonical URL when known"),
        _column("source_domain", pa.string(), "host of url, without a leading www."),
        _column("headline", pa.string(), "title"),
        _column("description", pa.string(), "summary / standfirst when the page has one"),
        _column("text", pa.large_string(), "clean article body, paragraphs separated by a blank line", nullable=False),
        _column("authors", pa.list_(pa.string()), "bylines, one name each"),
        _column("publisher", pa.string(), "site or publication name"),
        _column("date_published", TIMESTAMP, "first publication"),
        _column("date_modified", TIMESTAMP, "last update"),
        _column("language", pa.string(), "ISO 639-1 code (en, zh, ...)"),
        _column("language_score", pa.float32(), "language confidence 0-1"),
        _column("declared_language", pa.string(), "language the page declares (<html lang>, JSON-LD inLanguage), ISO 639-1"),
        _column("article_section", pa.list_(pa.string()), "sections / categories"),
        _column("keywords", pa.list_(pa.string()), "tags or extracted keywords"),
        _column("headings", pa.list_(pa.string()), "section headings inside the body"),
        _column("quotes", pa.list_(QUOTE), "quoted speech; speaker null when unknown"),
        _column("word_count", pa.int32(), "words (CJK counted per character)"),
        _column("char_count", pa.int32(), "characters of text"),
        _column("paragraph_count", pa.int32(), "paragraphs of text"),
        _column("content_hash", pa.string(), "sha256 of the text, case-folded with whitespace collapsed"),
        _column("duplicate_of", pa.string(), "id of the earliest article with the same text, else null"),
        _column("extractor", pa.string(), "what produced text: plaintext, trafilatura, jsonld, fallback, jsonl"),
        _column("source_uri", pa.string(), "the input file (absolute path or URL) the record came from", nullable=False),
        _column("source_record", pa.int32(), "index of the record inside its input (0 for one-record files, line for JSONL)", nullable=False),
        _column("source_format", pa.string(), "txt, html, jsonl, warc"),
        _column("source_sha256", pa.string(), "sha256 of the record's raw input bytes"),
        _column("fingerprint", pa.string(), "hash of every content column; an upsert with the same fingerprint is skipped"),
        _column("run_id", pa.string(), "Prefect flow run id that wrote the row"),
        _column("pipeline_version", pa.string(), "version of broadsheet that wrote the row"),
        _column("ingested_at", TIMESTAMP, "when the row was written"),
    ],
    metadata={"schema_version": SCHEMA_VERSION},
)

QUARANTINE_SCHEMA = pa.schema(
    [
        _column("id", pa.string(), "hash of source_uri#source_record: one row per input record", nullable=False),
        _column("source_uri", pa.string(), "the input file (absolute path or URL) the record came from", nullable=False),
        _column("source_record", pa.int32(), "index of the record inside its input", nullable=False),
        _column("source_format", pa.string(), "txt, html, jsonl, warc, or unknown"),
        _column("stage", pa.string(), "stage that rejected the record: ingest, clean, validate, enrich", nullable=False),
        _column("reasons", pa.list_(pa.string()), "machine-readable reason codes (schemas.reasons.Reason)", nullable=False),
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

INPUTS_SCHEMA = pa.schema(
    [
        _column("uri", pa.string(), "an input file (absolute path or URL) whose records the lake holds", nullable=False),
        _column("sha256", pa.string(), "sha256 of the file's bytes as stored when it was processed", nullable=False),
        _column("size_bytes", pa.int64(), "size of the file as stored"),
        _column("source_format", pa.string(), "txt, html, jsonl, warc"),
        _column("run_id", pa.string(), "Prefect flow run id that processed this content of the file"),
        _column("pipeline_version", pa.string(), "version of broadsheet that processed it"),
        _column("processed_at", TIMESTAMP, "when that run started"),
    ],
    metadata={"schema_version": SCHEMA_VERSION},
)

# Columns that change with every run; everything else is content and goes into the fingerprint.
RUN_COLUMNS = ("fingerprint", "run_id", "pipeline_version", "ingested_at")

"""Quarantine reason codes and stages: stable, machine-readable, each defined once with its meaning.

Every member is declared as `NAME = "code", "meaning"`: the code is what the `reasons` and
`stage` columns hold, the meaning is what schemas/README.md and `broadsheet quarantine` show.
"""

from __future__ import annotations

from enum import StrEnum


class _Coded(StrEnum):
    """A StrEnum whose members also carry a one-line meaning."""

    meaning: str

    def __new__(cls, code: str, meaning: str) -> _Coded:
        member = str.__new__(cls, code)
        member._value_ = code
        member.meaning = meaning
        return member


class Stage(_Coded):
    """The stage that rejected a record; the order a record goes through them."""

    INGEST = "ingest", "reading inputs and splitting them into records"
    CLEAN = "clean", "decoding bytes and extracting the article text and metadata"
    ENRICH = "enrich", "language, counts, quotes and content hash"
    VALIDATE = "validate", "the Arrow schema and the Great Expectations suite, on the enriched rows"


class Reason(_Coded):
    """Why a record went to quarantine. The value is what the `reasons` column holds."""

    UNREADABLE = "unreadable", "the input could not be opened or read"
    EMPTY_INPUT = "empty_input", "zero bytes, or only whitespace"
    TOO_LARGE = "too_large", "over the per-document size limit (before or after gunzip)"
    BINARY = "binary", "not text: NUL bytes outside a UTF-16/32 byte order mark"
    UNDECODABLE = "undecodable", "no charset decodes the bytes to sensible text"
    TRUNCATED_GZIP = "truncated_gzip", "a .gz input ends early or is corrupt"
    CORRUPT_WARC = "corrupt_warc", "a WARC record that cannot be parsed or is cut off; the rest of the file still flows"
    UNSUPPORTED_ENCODING = (
        "unsupported_encoding",
        "a WARC page whose Content-Encoding cannot be undone here (zstd, for one)",
    )
    INVALID_JSON = "invalid_json", "a JSONL line that is not a JSON object (or nests too deeply to parse)"
    MISSING_URL = "missing_field:url", "a JSONL record without url"
    MISSING_TEXT = "missing_field:text", "a JSONL record with neither html nor text"
    UNPARSABLE_HTML = "unparsable_html", "the HTML parser gave up on the page"
    EMPTY_BODY = "empty_body", "no article text could be extracted, or the text is empty"
    EXTRACTION_ERROR = "extraction_error", "the extractor raised (see error)"
    TIMEOUT = "timeout", "cleaning the page took longer than the per-document time limit"
    ENRICH_ERROR = "enrich_error", "an enrichment step raised (see error)"
    SCHEMA_MISMATCH = "schema_mismatch", "a value does not fit the articles Arrow schema"
    MISSING_ID = "missing_field:id", "no article id"
    MISSING_SOURCE = "missing_field:source", "no source_uri or source_record"
    TEXT_TOO_LONG = "text_too_long", "text over the contract's length bound"
    INVALID_URL = "invalid_url", "url present but not an absolute http(s) URL"
    DATE_OUT_OF_RANGE = "date_out_of_range", "date_published before 1800 or more than a day in the future"
    DATES_OUT_OF_ORDER = "dates_out_of_order", "date_modified before date_published"
    INVALID_LANGUAGE = "invalid_language", "language missing or not an ISO 639-1 code"
    INCONSISTENT_COUNTS = "inconsistent_counts", "word_count or char_count does not match the text"
    VALIDATION_ERROR = "validation_error", "an expectation could not be evaluated on the record's batch (see error)"


class QualityWarning(_Coded):
    """Why an article looks odd: kept, listed in its `quality_warnings`, counted in the run summary.
    Thresholds are in tasks.config.QualityThresholds."""

    TOO_FEW_WORDS = "too_few_words", "word_count under min_words"
    TOO_MANY_WORDS = "too_many_words", "word_count over max_words"
    MEAN_WORD_LENGTH = "mean_word_length", "mean_word_length outside its bounds (gibberish, code, lists)"
    SYMBOLS = "symbols", "symbol_word_ratio over its bound ('#', ellipses)"
    FEW_ALPHA_WORDS = "few_alpha_words", "alpha_word_ratio under its bound (tables of numbers)"
    FEW_STOP_WORDS = "few_stop_words", "stop_word_ratio under its bound: not running prose"
    BOILERPLATE_LINES = "boilerplate_lines", "boilerplate_line_ratio over its bound"
    DUPLICATE_LINES = "duplicate_lines", "duplicate_line_ratio over its bound"
    UNTERMINATED_LINES = "unterminated_lines", "terminal_punctuation_ratio under its bound: menus, lists"
    DECLARED_LANGUAGE_MISMATCH = "declared_language_mismatch", "the page declares another language"

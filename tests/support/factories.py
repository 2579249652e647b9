"""Runs and rows for tests that write lakes, validate batches or feed the pipeline an export."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas.tables import ARTICLES_SCHEMA
from tasks.extract.clean import CLEAN_COLUMNS
from tasks.lake.paths import RunInfo
from tasks.text.words import count_words


def run_info(n: int, run_id: str | None = None) -> RunInfo:
    """Run `n` of a test lake, `run-n` unless named: started on 2026-01-n (UTC), so a later run starts later."""
    return RunInfo(run_id or f"run-{n}", "manual", "0.1.0", datetime(2026, 1, n, tzinfo=UTC))


def article_row(article_id: str, text: str | None = None, **values: Any) -> dict[str, Any]:
    """A row of the articles table as write_articles takes it: `text` ("text of ID" unless given), what
    every article has (hash, source, counts) and `values`; every other column None."""
    text = f"text of {article_id}" if text is None else text
    return (
        dict.fromkeys(ARTICLES_SCHEMA.names)
        | {
            "id": article_id,
            "text": text,
            "content_hash": f"h:{text}",
            "source_uri": f"/in/{article_id}.txt",
            "source_record": 0,
            "word_count": count_words(text),
            "char_count": len(text),
        }
        | values
    )


def enriched_row(n: int, **values: Any) -> dict[str, Any]:
    """Record `n` of a JSONL export, cleaned and enriched as validate receives it: valid unless `values` say
    otherwise; the counts follow `text` unless given."""
    text = values.pop("text", f"Article {n} body.")
    return (
        dict.fromkeys(CLEAN_COLUMNS)
        | {
            "id": f"id-{n}",
            "text": text,
            "headline": f"Headline {n}",
            "url": f"https://news.example.com/{n}",
            "date_published": datetime(2024, 1, 1, tzinfo=UTC),
            "source_uri": "/data/raw/export.jsonl",
            "source_record": n,
            "source_format": "jsonl",
            "raw": f'{{"n": {n}}}'.encode(),
            "language": "en",
            "language_score": 0.9,
            "word_count": count_words(text) if text is not None else None,
            "char_count": len(text) if text is not None else None,
        }
        | values
    )


def export_article(slug: str, text: str) -> dict[str, str]:
    """One article of a JSONL export: at https://news.example.com/SLUG, titled after its slug."""
    return {"url": f"https://news.example.com/{slug}", "title": slug.title(), "text": text}


def write_jsonl(path: Path, *lines: dict[str, Any] | str) -> None:
    """A JSONL export at `path`: each object as one JSON line, each string as it is (to write a broken line)."""
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))

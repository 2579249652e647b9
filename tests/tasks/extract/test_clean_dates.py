"""Dates the clean stage hands on: an update is never dated before the publication."""

import json
from datetime import UTC, datetime

from tasks.config import Limits
from tasks.extract.clean import clean_batch
from tasks.records import RawRecord

BODY = "<p>" + "The harbour ferry runs again from Monday after five months of repairs. " * 6 + "</p>"


def _page(published: str, modified: str) -> bytes:
    jsonld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Ferry returns",
        "datePublished": published,
        "dateModified": modified,
    }
    return (
        f'<html><head><title>Ferry returns</title><script type="application/ld+json">{json.dumps(jsonld)}</script>'
        f"</head><body><article>{BODY}</article></body></html>"
    ).encode()


def _clean(raw: bytes) -> dict:
    [row], rejected, _ = clean_batch([RawRecord("/in/ferry.html", 0, "html", raw)], Limits(document_timeout_s=None))
    assert not rejected
    return row


def test_update_dated_before_publication_is_dropped_and_the_article_kept():
    # A republished story: new datePublished, the old dateModified left behind by the CMS.
    row = _clean(_page("2024-03-05T10:00:00Z", "2024-03-05T09:58:00Z"))
    assert (row["date_published"], row["date_modified"]) == (datetime(2024, 3, 5, 10, tzinfo=UTC), None)


def test_update_after_publication_is_kept():
    row = _clean(_page("2024-03-05T10:00:00Z", "2024-03-06T08:30:00Z"))
    assert (row["date_published"], row["date_modified"]) == (
        datetime(2024, 3, 5, 10, tzinfo=UTC),
        datetime(2024, 3, 6, 8, 30, tzinfo=UTC),
    )

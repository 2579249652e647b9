import json
import socket
from datetime import UTC, datetime

import pytest

from tasks.extract.metadata import PageMetadata, extract_page_metadata


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def page(head: str = "", body: str = "<p>Story text.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_news_page_metadata_comes_from_jsonld_graph(page):
    meta = extract_page_metadata(page("news_with_jsonld.html"))

    assert meta == PageMetadata(
        headline="Council approves $14 million flood wall for Mill Creek",
        description=(
            "After a decade of spring sandbagging on Mill Street, the city council voted 6-1 to build"
            " a concrete flood wall along the creek. Construction starts in August."
        ),
        authors=["Maria Okafor", "Daniel Reyes"],
        date_published=utc(2024, 5, 14, 12, 30),
        date_modified=utc(2024, 5, 14, 21, 5),
        publisher="The Riverton Ledger",  # resolved from an {"@id": ...} reference
        url="https://www.rivertonledger.example/news/2024/05/14/mill-creek-flood-wall",
        language="en",
        section=["Local News"],
        tags=["flooding", "city council", "Mill Creek"],
    )


def test_opengraph_page_metadata_with_authors_from_the_byline(page):
    meta = extract_page_metadata(page("og_meta_byline.html"), url="https://www.eastsideweekly.example/community/")

    assert meta == PageMetadata(
        headline="Eastside library to open on Sundays from April",  # " - Eastside Weekly" removed
        description=(
            "The branch on Carver Road will open from noon to five on Sundays, a first in its forty-year history."
        ),
        authors=["Jane Doe", "John Roe"],
        date_published=utc(2024, 3, 3, 9, 15),
        date_modified=utc(2024, 3, 4, 10, 0),
        publisher="Eastside Weekly",
        url="https://www.eastsideweekly.example/community/eastside-library-sunday-hours",
        language="en",
        section=["Community"],
        tags=["libraries", "Carver Road", "opening hours"],
    )


def test_relative_canonical_url_without_a_base_url_is_not_reported(page):
    assert extract_page_metadata(page("og_meta_byline.html")).url is None


def test_page_without_metadata_has_only_its_title_and_the_url_it_came_from(page):
    meta = extract_page_metadata(page("blog_no_metadata.htm"), url="https://alderlane.example/lawn")

    assert meta == PageMetadata(
        headline="Why I finally dug up my front lawn",
        description=None,
        authors=[],
        date_published=None,
        date_modified=None,
        publisher=None,
        url="https://alderlane.example/lawn",
        language=None,
        section=[],
        tags=[],
    )


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("By Sam Lee, Staff Writer", ["Sam Lee"]),
        ({"@type": "Person", "name": "Sam Lee"}, ["Sam Lee"]),
        (
            [{"@type": "Person", "name": "Sam Lee"}, "Ana Ruiz", {"@type": "Person", "name": "sam lee"}],
            ["Sam Lee", "Ana Ruiz"],
        ),
        ([{"@type": "Organization", "name": "Bay Courier"}, {"@type": "Person", "name": "Sam Lee"}], ["Sam Lee"]),
        ({"@type": "Person", "givenName": "Sam", "familyName": "Lee"}, ["Sam Lee"]),
        ("Troy L. Smith, Cleveland.com", ["Troy L. Smith"]),
        (["Mike Wuerthele", "Malcolm Owen Monday, November 18, 2019"], ["Mike Wuerthele", "Malcolm Owen"]),
    ],
)
def test_jsonld_authors_are_single_people_without_duplicates_or_the_publisher(author, expected):
    publisher = {"@type": "Organization", "name": "Bay Courier"}
    article = {"@type": "NewsArticle", "author": author, "publisher": publisher}

    assert extract_page_metadata(page(jsonld([article]))).authors == expected


def test_broken_jsonld_is_ignored_and_the_next_source_used():
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    head += '<meta property="og:title" content="Pier reopens">'

    assert extract_page_metadata(page(head)).headline == "Pier reopens"


def test_author_meta_tag_is_used_and_profile_urls_skipped():
    head = '<meta property="article:author" content="https://facebook.com/baycourier">'
    head += '<meta name="author" content="Sam Lee; Ana Ruiz">'

    assert extract_page_metadata(page(head)).authors == ["Sam Lee", "Ana Ruiz"]


def test_byline_authors_ignore_comment_authors_and_related_stories():
    body = """<article><div class="byline">By <span class="author">Sam Lee</span></div><p>Story.</p></article>
    <aside><span class="author">Other Writer</span></aside>
    <section id="comments"><span class="comment-author">RiverRat42</span></section>"""

    assert extract_page_metadata(page(body=body)).authors == ["Sam Lee"]


def test_publication_date_from_time_element_when_there_is_no_date_meta():
    body = '<article><time datetime="2024-06-01T08:00:00+02:00">1 June</time><p>Story.</p></article>'

    assert extract_page_metadata(page(body=body)).date_published == utc(2024, 6, 1, 6, 0)


def test_publication_date_falls_back_to_htmldate_reading_the_url():
    meta = extract_page_metadata(page(), url="https://baycourier.example/news/2024/06/01/pier-reopens")

    assert meta.date_published == utc(2024, 6, 1)


def test_title_suffix_naming_the_host_is_removed():
    html = page("<title>Pier reopens | BayCourier</title>")

    meta = extract_page_metadata(html, url="https://www.baycourier.example/a")

    assert meta.headline == "Pier reopens"


def test_title_suffix_that_is_not_the_site_name_is_kept():
    meta = extract_page_metadata(page("<title>Cats - the musical</title>"), url="https://www.baycourier.example/a")

    assert meta.headline == "Cats - the musical"


@pytest.mark.parametrize(
    ("html_tag", "expected"),
    [('<html lang="pt-BR">', "pt"), ('<html lang="x-default">', None), ("<html>", None)],
)
def test_language_is_reduced_to_an_iso_639_1_code(html_tag, expected):
    assert extract_page_metadata(f"{html_tag}<body><p>Text.</p></body></html>").language == expected


def test_language_falls_back_to_og_locale():
    assert extract_page_metadata(page('<meta property="og:locale" content="de_DE">')).language == "de"


def test_html_that_looks_like_a_url_is_never_fetched(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)

    meta = extract_page_metadata("https://example.com/2024/06/01/story")

    assert attempts == []
    assert meta.headline is None and meta.date_published is None


def test_empty_html_gives_empty_metadata():
    assert extract_page_metadata("") == PageMetadata(None, None, [], None, None, None, None, None, [], [])

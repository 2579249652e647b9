"""Article metadata (headline, authors, dates, publisher, ...) read from one HTML page.

Each field is taken from the first source that has it, most trustworthy first: JSON-LD article
objects, OpenGraph / ``article:`` meta, standard meta tags, in-page markup (``<time>``, bylines),
and finally heuristics (htmldate for the publication date, ``<title>`` for the headline).

The page is untrusted: it is parsed by tasks.extract.html_page, its JSON-LD is read by
tasks.extract.jsonld, and nothing is ever fetched (htmldate is only given the parsed tree).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from htmldate import find_date
from lxml import etree

from tasks.extract.dates import parse_date
from tasks.extract.html_page import Page, page_tree
from tasks.extract.jsonld import articles_in, jsonld_blocks, objects_by_id, resolve
from tasks.text.words import TITLE_SEPARATOR, comparison_key


@dataclass(frozen=True)
class PageMetadata:
    headline: str | None
    description: str | None
    authors: list[str]  # one person per item, no "By ", no dates, no duplicates, not the publisher
    date_published: datetime | None  # tz-aware UTC
    date_modified: datetime | None  # tz-aware UTC
    publisher: str | None
    url: str | None  # canonical URL, absolute
    language: str | None  # ISO 639-1, lower-case
    section: list[str]
    tags: list[str]


# Meta names/properties per field, in priority order (all compared lower-case).
_HEADLINE_META = ("og:title", "twitter:title", "parsely-title", "sailthru.title", "dc.title", "title")
_DESCRIPTION_META = ("og:description", "description", "twitter:description", "dc.description")
_AUTHOR_META = (
    "article:author",
    "author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
)
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.issued",
    "dcterms.date",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
)
_PUBLISHER_META = ("og:site_name", "publisher", "dc.publisher", "dcterms.publisher", "application-name")
_LANGUAGE_META = ("content-language", "language", "dc.language")
_SECTION_META = ("article:section", "parsely-section")
_TAG_META = ("article:tag", "news_keywords", "keywords", "parsely-tags", "sailthru.tags")

_WHITESPACE = re.compile(r"\s+")
_SCRIPT_BLOCK = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_MARKUP_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_LANGUAGE_CODE = re.compile(r"^([a-z]{2})(?:[-_]|$)", re.IGNORECASE)
# Everything after one of these is not part of the names: "By A and B | March 3, 2024".
_BYLINE_TAIL = re.compile(
    r"\s*(?:[|•·—–]|\b(?:updated|published|posted|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b).*",
    re.IGNORECASE | re.DOTALL,
)
_BYLINE_PREFIX = re.compile(r"^\s*(?:written\s+)?by\b[:\s]*", re.IGNORECASE)
_NAME_SEPARATOR = re.compile(r"\s*(?:,|;|&|\band\b)\s*", re.IGNORECASE)
# A byline part containing one of these words is a job title ("Jane Doe, Staff Writer").
_ROLE_WORDS = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|contributor|columnist|photographer)s?\b",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"[0-9@/]|https?:|www\.|\w\.[a-z]{2,}\b", re.IGNORECASE)  # "cleveland.com" is a site
_MAX_NAME_WORDS = 5
_MAX_BYLINE_CHARS = 200  # longer "author" elements are bio boxes, not bylines

# Page regions whose dates and names belong to something else: menus, related-article rails,
# reader comments, and the site footer (a <footer> inside <article> holds the byline, though).
_OUTSIDE_CHROME = (
    "not(ancestor-or-self::*[self::nav or self::aside or self::footer[not(ancestor::article)]"
    " or contains(@class, 'comment') or contains(@id, 'comment') or contains(@class, 'related')])"
)
_BYLINE_ELEMENTS = etree.XPath(
    "//body//*[(@itemprop='author' or @rel='author' or contains(@class, 'byline')"
    " or contains(@id, 'byline') or contains(@class, 'author')) and " + _OUTSIDE_CHROME + "]"
)
# Two expressions, not one union: a union returns document order and the marked one must win.
_MARKED_PUBLISHED_TIME = etree.XPath(
    "//time[@datetime and (@itemprop='datePublished' or @pubdate) and " + _OUTSIDE_CHROME + "]/@datetime"
)
_ANY_TIME = etree.XPath("//time[@datetime and not(@itemprop='dateModified') and " + _OUTSIDE_CHROME + "]/@datetime")
_MODIFIED_TIME = etree.XPath("//time[@datetime and @itemprop='dateModified']/@datetime")


def extract_page_metadata(html: str | Page, url: str | None = None) -> PageMetadata:
    """Read the metadata of the article page ``html`` (fetched from ``url``, if known); the
    page's text or its tree from parse_html, which is only read.

    Returns a PageMetadata whose fields are None or empty when the page does not say.
    """
    tree = page_tree(html)
    if tree is None:
        return PageMetadata(
            headline=None,
            description=None,
            authors=[],
            date_published=None,
            date_modified=None,
            publisher=None,
            url=_absolute_url(url, None),
            language=None,
            section=[],
            tags=[],
        )
    meta = _meta_index(tree)
    blocks = jsonld_blocks(tree)
    articles = articles_in(blocks)
    by_id = objects_by_id(blocks)

    publisher = _publisher(articles, by_id, meta)
    canonical = _canonical_url(tree, meta, articles, url)
    return PageMetadata(
        headline=_headline(tree, meta, articles, _site_keys(publisher, meta, canonical)),
        description=_first(_jsonld_texts(articles, "description"), _meta_values(meta, _DESCRIPTION_META)),
        authors=_authors(tree, meta, articles, by_id, publisher),
        date_published=_date_published(tree, meta, articles, canonical),
        date_modified=_date_modified(tree, meta, articles),
        publisher=publisher,
        url=canonical,
        language=_language(tree, meta, articles),
        section=_first_list(
            _jsonld_list(articles, "articleSection", split=False),
            [_clean(value) for value in _meta_all(meta, _SECTION_META)],
        ),
        tags=_first_list(
            _jsonld_list(articles, "keywords", split=True),
            [tag for value in _meta_all(meta, _TAG_META) for tag in _split_list(value)],
        ),
    )


# --- JSON-LD values ----------------------------------------------------------------------------


def _jsonld_texts(articles: list[dict[str, Any]], key: str) -> Iterator[str | None]:
    """Yield the cleaned string value of ``key`` from each article object."""
    for article in articles:
        value = article.get(key)
        yield _clean(value) if isinstance(value, str) else None


def _jsonld_list(articles: list[dict[str, Any]], key: str, *, split: bool) -> list[str]:
    """Values of a string-or-list field of the first article that has it (comma-split if asked)."""
    for article in articles:
        value = article.get(key)
        items = value if isinstance(value, list) else [value]
        strings = [item for item in items if isinstance(item, str)]
        parts = [part for item in strings for part in (_split_list(item) if split else [_clean(item)])]
        values = _unique(part for part in parts if part)
        if values:
            return values
    return []


def _node_name(node: Any) -> str | None:
    """The name of a JSON-LD Person/Organization given as a string or an object."""
    if isinstance(node, str):
        return _clean(node)
    if isinstance(node, dict):
        name = node.get("name")
        if isinstance(name, list):
            name = next((item for item in name if isinstance(item, str)), None)
        if isinstance(name, str):
            return _clean(name)
        given, family = node.get("givenName"), node.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            return _clean(f"{given} {family}")
    return None


# --- meta tags ---------------------------------------------------------------------------------


def _meta_index(tree: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Map each lower-cased meta name/property/itemprop/http-equiv to its contents, in page order."""
    index: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if not content or not content.strip():
            continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attribute)
            if key:
                index.setdefault(key.strip().lower(), []).append(content)
    return index


def _meta_all(meta: dict[str, list[str]], keys: Iterable[str]) -> list[str]:
    """All contents of the first key that is present (article:tag may repeat, for example)."""
    for key in keys:
        if key in meta:
            return meta[key]
    return []


def _meta_values(meta: dict[str, list[str]], keys: Iterable[str]) -> Iterator[str | None]:
    """Yield the cleaned first content of each key, in key order."""
    for key in keys:
        if key in meta:
            yield _clean(meta[key][0])


# --- fields ------------------------------------------------------------------------------------


def _headline(
    tree: lxml.html.HtmlElement,
    meta: dict[str, list[str]],
    articles: list[dict[str, Any]],
    site_keys: set[str],
) -> str | None:
    """JSON-LD headline/name, else title meta tags, else <title>; a trailing " | Site" is dropped."""
    candidate = _first(
        _jsonld_texts(articles, "headline"),
        _jsonld_texts(articles, "name"),
        _meta_values(meta, _HEADLINE_META),
        [_clean(tree.findtext(".//title"))],
    )
    return _strip_site_suffix(candidate, site_keys) if candidate else None


def _strip_site_suffix(title: str, site_keys: set[str]) -> str:
    """Remove a trailing " | Site" / " - Site" part when it names the site."""
    separators = list(TITLE_SEPARATOR.finditer(title))
    if separators and comparison_key(title[separators[-1].end() :]) in site_keys:
        return title[: separators[-1].start()].strip() or title
    return title


def _site_keys(publisher: str | None, meta: dict[str, list[str]], url: str | None) -> set[str]:
    """Normalised spellings of the site's name: publisher, og:site_name and the URL's host."""
    names = [publisher, *_meta_all(meta, ("og:site_name",)), *_meta_all(meta, ("application-name",))]
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        names += [host, host.split(".")[0]]
    return {comparison_key(name) for name in names if name} - {""}


def _publisher(
    articles: list[dict[str, Any]], by_id: dict[str, dict[str, Any]], meta: dict[str, list[str]]
) -> str | None:
    """JSON-LD publisher (an Organization or a string), else og:site_name and publisher meta."""
    for article in articles:
        publisher = article.get("publisher")
        candidates = publisher if isinstance(publisher, list) else [publisher]
        for candidate in candidates:
            name = _node_name(resolve(candidate, by_id))
            if name:
                return name
    return _first(_meta_values(meta, _PUBLISHER_META))


def _authors(
    tree: lxml.html.HtmlElement,
    meta: dict[str, list[str]],
    articles: list[dict[str, Any]],
    by_id: dict[str, dict[str, Any]],
    publisher: str | None,
) -> list[str]:
    """Author names from the first source that has any: JSON-LD, author meta tags, bylines.

    Sources are not merged: the same person is spelled differently across them.
    """
    # Lazily evaluated: the byline search only runs when structured data has no author.
    sources = (
        lambda: _jsonld_author_names(articles, by_id),
        lambda: [value for key in _AUTHOR_META for value in meta.get(key, [])],
        lambda: _byline_texts(tree),
    )
    for source in sources:
        names = _person_names(source(), publisher)
        if names:
            return names
    return []


def _jsonld_author_names(articles: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Author names of the first article object that has an author (string, object or list)."""
    for article in articles:
        author = article.get("author")
        candidates = author if isinstance(author, list) else [author]
        names = [name for candidate in candidates if (name := _node_name(resolve(candidate, by_id)))]
        if names:
            return names
    return []


def _byline_texts(tree: lxml.html.HtmlElement) -> list[str]:
    """Texts of byline/author elements of the article (not of comments, menus or related links)."""
    texts = []
    for element in _BYLINE_ELEMENTS(tree):
        named = element.find(".//*[@itemprop='name']")
        text = (named if named is not None else element).text_content()
        if text.strip() and len(text) <= _MAX_BYLINE_CHARS:
            texts.append(text)
    return texts


def _person_names(texts: Iterable[str], publisher: str | None) -> list[str]:
    """Split bylines into single names: no "By", dates, job titles, duplicates or publisher."""
    publisher_key = comparison_key(publisher or "")
    names = []
    for text in texts:
        text = _BYLINE_PREFIX.sub("", _BYLINE_TAIL.sub("", html_lib.unescape(text).strip()))
        for part in _NAME_SEPARATOR.split(text):
            name = _BYLINE_PREFIX.sub("", _WHITESPACE.sub(" ", part)).strip(" .:")
            if _looks_like_name(name) and comparison_key(name) != publisher_key:
                names.append(name)
    return _unique(names)


def _looks_like_name(text: str) -> bool:
    """True for a short run of words with letters and no digits, URLs, e-mails or job titles."""
    return (
        any(character.isalpha() for character in text)
        and len(text.split()) <= _MAX_NAME_WORDS
        and not _NOT_A_NAME.search(text)
        and not _ROLE_WORDS.search(text)
    )


def _date_published(
    tree: lxml.html.HtmlElement,
    meta: dict[str, list[str]],
    articles: list[dict[str, Any]],
    url: str | None,
) -> datetime | None:
    """JSON-LD datePublished, else date meta tags, else <time datetime>, else htmldate's guess."""
    return _first_date(
        _jsonld_texts(articles, "datePublished"),
        _meta_values(meta, _PUBLISHED_META),
        _MARKED_PUBLISHED_TIME(tree),
        _ANY_TIME(tree),
    ) or _htmldate_published(tree, url)


def _date_modified(
    tree: lxml.html.HtmlElement, meta: dict[str, list[str]], articles: list[dict[str, Any]]
) -> datetime | None:
    """JSON-LD dateModified, else modified meta tags, else <time itemprop=dateModified>.

    htmldate is not asked: the latest date on a page is too often a comment, a related story
    or the copyright year.
    """
    return _first_date(
        _jsonld_texts(articles, "dateModified"),
        _meta_values(meta, _MODIFIED_META),
        _MODIFIED_TIME(tree),
    )


def _htmldate_published(tree: lxml.html.HtmlElement, url: str | None) -> datetime | None:
    """htmldate's guess of the original publication date from the parsed tree (never a fetch:
    given a string that looks like a URL, htmldate would download it)."""
    try:
        found = find_date(
            tree,
            original_date=True,
            extensive_search=False,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
            url=url,
        )
    except Exception:  # htmldate is a heuristic last resort: its failure means "no date", not a failed page
        return None
    return parse_date(found) if found else None


def _canonical_url(
    tree: lxml.html.HtmlElement,
    meta: dict[str, list[str]],
    articles: list[dict[str, Any]],
    url: str | None,
) -> str | None:
    """<link rel=canonical>, else og:url, else JSON-LD url/mainEntityOfPage, else ``url``."""
    links = [link.get("href") for link in tree.iter("link") if "canonical" in (link.get("rel") or "").lower().split()]
    entity_ids = []
    for article in articles:
        entity = article.get("mainEntityOfPage")
        entity_ids.append(entity.get("@id") if isinstance(entity, dict) else entity)
    candidates = [
        *links,
        *_meta_all(meta, ("og:url",)),
        *(article.get("url") for article in articles),
        *entity_ids,
        url,
    ]
    return next((found for candidate in candidates if (found := _absolute_url(candidate, url))), None)


def _language(tree: lxml.html.HtmlElement, meta: dict[str, list[str]], articles: list[dict[str, Any]]) -> str | None:
    """ISO 639-1 code from <html lang>, og:locale, JSON-LD inLanguage or content-language meta."""
    in_language = []
    for article in articles:
        value = article.get("inLanguage")
        in_language.append(value.get("alternateName") if isinstance(value, dict) else value)
    candidates = [
        tree.get("lang"),
        tree.get("xml:lang"),
        *_meta_all(meta, ("og:locale",)),
        *in_language,
        *(value for key in _LANGUAGE_META for value in meta.get(key, [])),
    ]
    for candidate in candidates:
        match = _LANGUAGE_CODE.match(candidate.strip()) if isinstance(candidate, str) else None
        if match:
            return match.group(1).lower()
    return None


# --- values ------------------------------------------------------------------------------------


def _first_date(*sources: Iterable[str | None]) -> datetime | None:
    """The first value across ``sources`` that parses as a date."""
    for source in sources:
        for value in source:
            parsed = parse_date(value) if value else None
            if parsed:
                return parsed
    return None


def _absolute_url(candidate: Any, base: str | None) -> str | None:
    """``candidate`` made absolute against ``base``; None unless it is an http(s) URL."""
    if not isinstance(candidate, str) or not candidate.strip():
        return None
    absolute = urljoin(base or "", candidate.strip())
    parts = urlsplit(absolute)
    return absolute if parts.scheme in ("http", "https") and parts.netloc else None


def _clean(value: str | None) -> str | None:
    """Unescape entities, drop markup and collapse whitespace; None for an empty result.

    Titles and meta contents are plain text, but pages put escaped or literal markup in them
    ("<title>A <script>...</script></title>"): script/style blocks and tags never reach a column.
    """
    if value is None:
        return None
    text = _MARKUP_TAG.sub(" ", _SCRIPT_BLOCK.sub(" ", html_lib.unescape(value)))
    text = _WHITESPACE.sub(" ", text).strip()
    return text or None


def _split_list(value: str) -> list[str]:
    """Split a comma-separated keyword list into cleaned items."""
    return [item for part in value.split(",") if (item := _clean(part))]


def _unique(values: Iterable[str]) -> list[str]:
    """Values without case-insensitive duplicates, first spelling and order kept."""
    seen: set[str] = set()
    unique = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            unique.append(value)
    return unique


def _first(*sources: Iterable[str | None]) -> str | None:
    """The first non-empty value across ``sources``."""
    return next((value for source in sources for value in source if value), None)


def _first_list(*lists: Sequence[str | None]) -> list[str]:
    """The first list that has any non-empty value, without duplicates."""
    for values in lists:
        present = _unique(value for value in values if value)
        if present:
            return present
    return []

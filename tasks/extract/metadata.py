"""Article metadata (headline, authors, dates, publisher, ...) read from one HTML page.

Each field is taken from the first source that has it, most trustworthy first: JSON-LD article
objects; for authors then microdata and the article's own byline (tasks.extract.bylines); then
OpenGraph / ``article:`` meta, standard meta tags and Dublin Core (of a title tag, the part the
page shows as its visible <h1>); then in-page markup (the <time> after the headline); and
finally heuristics (htmldate for the publication date, ``<title>`` for the headline).

The page is untrusted: it is parsed by tasks.extract.html_page, its JSON-LD is read by
tasks.extract.jsonld, and nothing is ever fetched (htmldate is only given the parsed tree).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from htmldate import find_date
from lxml import etree

from tasks.extract.bylines import (
    AuthorElements,
    BylineNames,
    byline_texts,
    byline_words,
    microdata_authors,
    names_shown_in_bylines,
    organisation_names,
    person_names,
)
from tasks.extract.dates import find_dates, parse_date, reads_both_ways, words_besides_dates
from tasks.extract.html_page import (
    Page,
    document_position,
    elements_above,
    elements_after,
    hides_itself,
    in_page_chrome,
    inside,
    inside_a_sentence,
    is_hidden,
    page_tree,
    spaced_text,
)
from tasks.extract.jsonld import articles_in, jsonld_blocks, node_types, objects_by_id, resolve
from tasks.text.words import TITLE_SEPARATOR, comparison_key, unique_ignoring_case
from tasks.text.writing_systems import HAN, KANA_BLOCKS


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
    "og:author",
    "author",
    "parsely-author",
    "sailthru.author",
    "shareaholic:article_author_name",
    "byl",
)
# Dublin Core's creators and the Highwire Press tags scholarly pages give Google Scholar: written
# the catalogue's way, surname first, one person per tag
_CATALOGUE_AUTHOR_META = ("dc.creator", "dcterms.creator", "citation_author")
# "Harm, Robert", "Anderson, Michael L.": a surname of one word, then given names and initials
_SURNAME_FIRST = re.compile(r"\s*([^\W\d_][\w'’-]*)\s*,\s*([^\W\d_][\w'’-]*\.?(?:\s+[^\W\d_][\w'’-]*\.?){0,2})\s*")
# Yoast SEO's Twitter card rows (twitter:label1 "Written by", twitter:data1 the author), in the
# site's language.
_WRITTEN_BY_LABEL = re.compile(
    r"^\s*(?:written\s+by|verfasst\s+von|geschrieben\s+von|escrito\s+por|écrit\s+par|scritto\s+da|geschreven\s+door"
    r"|napisane\s+przez|skrevet\s+af|skriven\s+av|author|autor|auteur|autore)\s*:?\s*$",
    re.IGNORECASE,
)
_TWITTER_ROWS = 4
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
# Two expressions, not one union: a union returns document order and the marked one must win.
# Marked dates: a <time pubdate>, and microdata on any element, its date in datetime or content
# ("<span itemprop=datePublished content=2022-12-26T10:33:00+01:00>Veröffentlicht: 26.12.2022</span>").
# Attribute first (`//@itemprop[...]/parent::*`, not `//*[@itemprop=...]`): the test runs only
# where the attribute is, not on every element of the page.
_MARKED_PUBLISHED_DATES = etree.XPath(
    "//@itemprop[. = 'datePublished']/parent::*[@datetime or @content] | //time[@pubdate][@datetime]"
)
_ALL_PAGE_TIMES = etree.XPath("//time[@datetime and not(@itemprop='dateModified')]")
_MARKED_MODIFIED_DATES = etree.XPath("//@itemprop[. = 'dateModified']/parent::*[@datetime or @content]")
# A <time> labelled as an update ("Last updated", "Aktualisiert", class="updated"), or a dateline
# labelled so, gives the modification date, never the publication date.
_UPDATE_WORDS = (
    r"(?:updated?|modified|aktualisiert|actualizad[oa]|mis\s+à\s+jour|aggiornat[oa]|ultima\s+modifica"
    r"|bijgewerkt|zaktualizowano|atualizad[oa])"
)
_UPDATE_LABEL = re.compile(_UPDATE_WORDS + r"\W*$", re.IGNORECASE)
_UPDATE_WORD = re.compile(_UPDATE_WORDS)  # on lower-cased text: IGNORECASE takes four times as long
_UPDATE_CLASS = re.compile(r"update|modified", re.IGNORECASE)
_LABEL_CHARS = 40  # how much text before a <time> may label it
# A dateline: a short line after the headline that is a date and little else ("21. Januar 2022",
# "Stand: 25.01.2022", "Published March 3, 2024 at 10:00"), where a page marks no date up.
_DATELINE_SEARCH_ELEMENTS = 60
_MAX_DATELINE_CHARS = 80
_MAX_RAW_DATELINE_CHARS = 500  # the same with the markup's indentation still in it
_MAX_DATELINE_WORDS = 4  # besides the date: a label, a place, a weekday
# The first day of a span right before a date: "9-23 Feb 2017", "9. – 23. Februar 2017".
_RANGE_START = re.compile(r"\d\.?\s?[-–]\s?$")
# Elements that end a line of text: the text after one starts a line ("<br>Hamburg, den 2. Dezember 2022<br>").
_LINE_ENDS = frozenset({"br", "hr", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "section"})
_MAX_PLACE_WORDS = 3  # before the date a press release opens with: "Frankfurt am Main, 3. März 2022 –"
_AFTER_PRESS_DATELINE = re.compile(r"\s*\)?\s*[.:–—|-]\s")
_LINES_ABOVE = 3  # elements before the headline (or the block it opens) read for a dateline
# A year alone (a founding year in an infobox, a copyright line) is no publication date.
_YEAR_ONLY = re.compile(r"^\s*\d{4}\s*$")
# A title that is a URL slug ("adac-kindersitztest-herbst-2018") or a URL is no headline.
_SLUG = re.compile(r"^(?:https?://\S+|[a-z0-9]+(?:[-_][a-z0-9]+)+)$")
# Where a page title joins its parts: "Headline | Section | Site", "Opinion | Headline",
# "Headline -Author - Site", "Kicker: Headline", "Headline « Site", "Site › Headline"; between
# Chinese or Japanese characters, written without spaces, also a bare dash, bar or underscore
# ("短缺药品保供稳价-新华网": no word of theirs holds one).
_CJK = f"[{KANA_BLOCKS}{HAN}]"
_TITLE_JOINT = (
    r"\s+[-|–—/·•»«›‹⋆★☆✦◆♦●▪■]+\s*|\s*[|–—/·•»«›‹⋆★☆✦◆♦●▪■]+\s+"
    rf"|(?<={_CJK})[-|_–—｜－＿]+(?={_CJK})"
)
_TITLE_PARTS = re.compile(_TITLE_JOINT + r"|:\s+")
_TITLE_JOINTS = re.compile(_TITLE_JOINT)  # without the colon, which may stand inside a headline
# Before a site's name also a colon with a space on both sides: "Headline : Site" (a site's name
# is known, so a French "Titre : sous-titre" is never cut).
_SITE_SEPARATOR = re.compile(rf"{TITLE_SEPARATOR.pattern}|\s+[:«»›‹]+\s+")
_MAX_NAME_NESTING = 3  # a JSON-LD name that is an object again, and again: an untrusted page may nest it deep
_TAG_SEPARATOR = re.compile(r"[,;|，、；]")
# A list without those separators is split at spaces only where a space cannot be inside a tag:
# between hashtags ("#flut #hochwasser"), or where each space touches a Chinese or Japanese
# character (written without spaces between words: "防洪 市议会 2024"). Anything else with
# spaces ("plague in china", "United States", a headline pasted as keywords) is one tag.
_HASHTAGS = re.compile(r"#[^\s#]+(?:\s+#[^\s#]+)+")
_SPACE_INSIDE_A_TAG = re.compile(rf"(?<!{_CJK})\s+(?!{_CJK})")
_TAG_PLACEHOLDER = re.compile(
    r"\b(?:your|enter|add|insert|some)\b.*\b(?:keywords?|tags?)\b|\b(?:keywords?|tags?)\s+(?:here|go here)\b"
    r"|^(?:keyword|tag)\s*\d*$|lorem ipsum",
    re.IGNORECASE,
)
# A CMS writes a date it never set as zero seconds since 1970 ("1970-01-01T01:00:00+01:00").
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TRUNCATED_SHARE = 0.6  # a title this much of a longer one's start was cut short
# "von jesusfreak", "by Ann Lee": a user or author credited at the end of a title part (not "de",
# "di", "por": "Historia de España" has no author in it).
_USER_CREDIT = re.compile(r"\s+(?:von|by)\s+\S+(?:\s+\S+)?$")
# A host name written out ("chadim.net", "Gipfelbuch.ch"): a site's name, whichever site. The
# top-level domain in lower case and a common one: "Node.js" and "ASP.NET" are no sites.
_HOST_NAME = re.compile(
    r"^\s*(?i:www\.)?[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*"
    r"\.(?:com|net|org|info|biz|eu|de|at|ch|li|fr|be|lu|nl|it|es|pt|uk|ie|dk|se|no|fi|pl|cz|sk|hu|ro|gr|ru|ua"
    r"|tr|us|ca|mx|br|ar|cl|co|pe|uy|au|nz|in|jp|cn|kr|tw|hk|sg|za|ng|ke|news|online|blog)\s*$"
)
# A kicker, a section label or a subline inside a headline element ("<h1><span class=kicker>
# Auftragshoch</span> Headline</h1>", "<h1><div class=entry-section>Local News | </div> Headline
# </h1>"), its small print ("<h1><small>Einheit der Woche</small><br>Headline</h1>", a subtitle
# in <small>) and its hidden text (a screen reader's "Headline:") are not the headline.
_KICKER_CLASS = re.compile(
    r"kicker|roofline|topline|overline|dachzeile|spitzmarke|eyebrow|supertitle|pretitle|antetitulo|surtitre|occhiello"
    r"|toptitle|section|subline|sub-?heading|sub-?headline",
    re.IGNORECASE,
)
_BYLINE_CLASS = re.compile(r"byline|author|autor", re.IGNORECASE)
_NO_TEXT_TAGS = frozenset({"script", "style", "noscript", "template"})  # a logo's <h1><style>...</style>
_HEADING_EDGE = " :-–—|·"  # what a removed kicker leaves before the headline
# A heading this long that is one part of a title ("Headline | Subtitle | Site") is the headline,
# not a section name ("Opinion").
_MIN_HEADLINE_WORDS = 4
_WORD = re.compile(r"\w+")
_MIN_SHARED_WORD = 4  # letters: "the", "for", "und" are shared by unrelated titles
_MIN_LONE_HEADLINE_WORDS = 3  # a shorter lone h1 names a product or a page ("Design", "Blockhaus 3")
# A title part of this many words or fewer that holds one of the site's names (a host label, the
# publisher) of this many letters or more ("blog" or "news" alone says nothing) names the site.
_MAX_SITE_NAME_WORDS = 4
_LEADING_ARTICLE = re.compile(r"^(?:the|der|die|das|le|la|les|el|il|lo|de|het)\s+", re.IGNORECASE)
_MIN_HELD_SITE_KEY = 5
# A longer title part names the site when its host's name is spelled with its words' letters
# ("Parco Nazionale d'Abruzzo, Lazio e Molise" on parcoabruzzo.it): elided articles split off.
_MAX_SPELLED_SITE_NAME_WORDS = 10
_NAME_PIECES = re.compile(r"[\W_]+")


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
    site_keys = _site_keys(publisher, meta, canonical)
    headline = _headline(tree, meta, articles, site_keys)
    anchor = _headline_element(tree, headline)
    language = _language(tree, meta, articles)
    # Numeric dates are read day first ("10/05/2022" is 10 May) except on English pages.
    day_first = language is not None and language != "en"
    return PageMetadata(
        headline=headline,
        description=_first(_jsonld_texts(articles, "description"), _meta_values(meta, _DESCRIPTION_META)),
        authors=_authors(tree, meta, articles, by_id, publisher, site_keys, anchor),
        date_published=_date_published(tree, meta, articles, canonical, anchor, day_first=day_first),
        date_modified=_date_modified(tree, meta, articles, anchor, day_first=day_first),
        publisher=publisher,
        url=canonical,
        language=language,
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
        values = unique_ignoring_case(part for part in parts if part)
        if values:
            return values
    return []


def _node_name(node: Any) -> str | None:
    """The name of a JSON-LD Person/Organization given as a string or an object (whose name may
    be an object again: {"name": {"@type": "Person", "name": "Kimberley Lovato"}})."""
    if isinstance(node, str):
        return _clean(node)
    for _ in range(_MAX_NAME_NESTING):
        if not isinstance(node, dict):
            return None
        name = node.get("name")
        if isinstance(name, list):
            name = next((item for item in name if isinstance(item, str)), None)
        if isinstance(name, str):
            return _clean(name)
        given, family = node.get("givenName"), node.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            return _clean(f"{given} {family}")
        node = name
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


def _meta_contents(meta: dict[str, list[str]], keys: Iterable[str]) -> list[str]:
    """Every content of every key, in key order, as plain text (see _clean: a template leaves
    markup in some, "By <a href=...>Amir Vera</a>, ...")."""
    return [text for key in keys for value in meta.get(key, []) if (text := _clean(value))]


def _twitter_written_by(meta: dict[str, list[str]]) -> list[str]:
    """The author a Twitter card row labelled "Written by" gives."""
    return [
        value
        for row in range(1, _TWITTER_ROWS + 1)
        if any(_WRITTEN_BY_LABEL.match(label) for label in meta.get(f"twitter:label{row}", []))
        for value in meta.get(f"twitter:data{row}", [])
    ]


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
    """JSON-LD headline/name, else the page's visible <h1> (see _visible_h1_texts) where a
    title tag holds it as one of its parts ("Opinion | Headline | Site"), else its only visible
    <h1> where it shares a word with a title, else title meta tags, else <title>, a leading
    "Site | " or trailing " | Site" dropped. Titles that are URL slugs are passed over; one cut
    short (a JSON-LD headline or og:title truncated to a length) is completed from a longer <h1>
    or title that starts with it.
    """
    titles = [
        title
        for title in (*_meta_values(meta, _HEADLINE_META), _clean(tree.findtext(".//title")))
        if title and not _SLUG.match(title)
    ]
    candidate = _first(_jsonld_texts(articles, "headline"), _jsonld_texts(articles, "name"))
    h1_texts = list(_visible_h1_texts(tree, titles))
    headings = [heading for heading in h1_texts if not _heading_names_the_site(heading, titles, site_keys)]
    if candidate:
        headline = _strip_site_name(candidate, site_keys)
        key = comparison_key(headline)
        # the visible headline, which a title confirms, over a headline written for search engines,
        # also where another title repeats that one; unless it is that headline after a kicker
        # ("Nutzerbasierte Abrechnung: Musik-Stars fordern ..." over the JSON-LD "Musik-Stars fordern ...")
        shown = [
            heading
            for heading in headings
            if any(_in_title(heading, title) for title in titles) and not comparison_key(heading).endswith(key)
        ]
        if shown:
            return shown[0]
        if len(headings) == 1 and _rewords(headings[0], headline):
            return headings[0]  # the page's one headline, which the JSON-LD words for search engines
        # the visible headline without the kicker the JSON-LD one puts before it ("Chronik: Headline",
        # or "Chronik Headline" where a title with the same words shows the joint: "Chronik - Headline")
        joined = [headline, *(title for title in titles if comparison_key(title) == key)]
        within = [
            heading
            for heading in headings
            if comparison_key(heading) != key and any(_is_title_part(heading, title) for title in joined)
        ]
        if within:
            return within[0]
        longer = [*headings, *(_strip_site_name(title, site_keys) for title in titles)]
        return next((text for text in longer if _cut_short(headline, text)), headline)
    for heading in headings:
        if any(_in_title(heading, title) for title in titles):
            return heading
    # No <h1> shows the title's main part: a smaller heading may (a blog's <h1> is its name, each
    # post's title an <h2>; the title joins the two)
    h2_texts: list[str] = []  # all of them once the loop ends without a headline, for the titles' order below
    for tag, heading in _visible_headings(tree, "h2", "h3"):
        if tag == "h2":
            h2_texts.append(heading)
        if any(_is_title_part(heading, title) for title in titles) and not (
            _heading_names_the_site(heading, titles, site_keys)
        ):
            return heading
    if (
        len(headings) == 1
        and len(headings[0].split()) >= _MIN_LONE_HEADLINE_WORDS
        # the story's words in a title, or titles that say nothing of it
        and (_shares_a_word(headings[0], titles, site_keys) or all(_says_nothing(title, site_keys) for title in titles))
        and not any(_is_title_part(title, headings[0]) for title in titles)  # "Title | Blog name" in the h1
    ):
        return headings[0]  # the story's visible headline; a title words it for search engines
    if not headings and titles and all(_says_nothing(title, site_keys) and _is_short(title) for title in titles):
        # the <h1> is the site's banner and the titles say nothing: the story's headline is the
        # first <h2> long enough for one ("Bay Courier" over "Pier reopens after storm repairs").
        # Not where a title is as long as a headline: a page may give its headline as its
        # application-name, which makes it a site key.
        story = (
            heading
            for heading in h2_texts
            if len(heading.split()) >= _MIN_LONE_HEADLINE_WORDS
            and not _heading_names_the_site(heading, titles, site_keys)
        )
        if (story_headline := next(story, None)) is not None:
            return story_headline
    if not titles:
        # a page with no title of any kind (a fragment, an export's body): its first heading is all
        # that names it, however short
        return next(iter([*headings, *h2_texts]), None)
    names = _site_names_shown(h1_texts[:1], titles)  # the banner's: the first <h1>
    stripped = [_strip_site_name(title, site_keys | names) for title in titles]
    # a title the page shows as a heading before one it does not (an og:title holding the site's slogan)
    on_page = {comparison_key(heading) for heading in [*headings, *h2_texts]}
    stripped.sort(key=lambda title: comparison_key(title) not in on_page)
    return next((longer for longer in stripped if _cut_short(stripped[0], longer)), stripped[0])


def _says_nothing(title: str, site_keys: set[str]) -> bool:
    """True for a title that names no story: only the site's name, or one word ("Home",
    "Startseite", "Untitled"), which a template leaves on every page."""
    return comparison_key(title) in site_keys or len(title.split()) == 1


def _is_short(title: str) -> bool:
    return len(title.split()) < _MIN_HEADLINE_WORDS


def _site_names_shown(headings: Sequence[str], titles: list[str]) -> set[str]:
    """The comparison keys of the ``headings`` that are one part of a title but not its longest:
    the site's name over its pages ("Küchenblog" of "Küchenblog » Post" or "Post : Küchenblog |
    Since 2005")."""
    names = set()
    for title in titles:
        keys = [comparison_key(part) for part in _TITLE_PARTS.split(title)]
        others = set(keys) - {max(keys, key=len)} if len(keys) > 1 else set()
        names |= {comparison_key(heading) for heading in headings if comparison_key(heading) in others}
    return names - {""}


def _visible_headings(tree: lxml.html.HtmlElement, *tags: str) -> Iterator[tuple[str, str]]:
    """The tag and text of each visible ``tags`` element, in document order."""
    for element in tree.iter(*tags):
        if not is_hidden(element) and (text := _clean(spaced_text(element))):
            yield element.tag, text


def _visible_h1_texts(tree: lxml.html.HtmlElement, titles: list[str]) -> Iterator[str]:
    """The texts of the visible <h1> elements, each without the kicker it may hold unless a
    title shows the two as its headline ("Klimaschutz: Bohren, bis es heiß wird | ZEIT ONLINE")
    and no title shows the headline alone (an og:title without the kicker the <title> has)."""
    for heading in tree.iter("h1"):
        if is_hidden(heading):
            continue
        text, without_kicker = _clean(spaced_text(heading)), _clean(_without_kicker(heading))
        if text != without_kicker and (
            not any(_is_title_part(text or "", title) for title in titles)
            or comparison_key(without_kicker or "") in {comparison_key(title) for title in titles}
        ):
            text = without_kicker
        if text:
            yield text


def _without_kicker(heading: lxml.html.HtmlElement) -> str:
    """The text of a headline element without the kicker it may hold (see _KICKER_CLASS)."""
    if not any(_is_kicker(element) for element in heading.iterdescendants()):
        return spaced_text(heading)
    texts: list[str] = []
    _append_texts_but_kickers(heading, texts)
    return " ".join(" ".join(texts).split()).lstrip(_HEADING_EDGE)


def _append_texts_but_kickers(element: lxml.html.HtmlElement, texts: list[str]) -> None:
    texts.append(element.text or "")
    for child in element:
        if isinstance(child.tag, str) and not _is_kicker(child):
            _append_texts_but_kickers(child, texts)
        texts.append(child.tail or "")


def _is_kicker(element: lxml.html.HtmlElement) -> bool:
    """True for a kicker or section class (see _KICKER_CLASS), small print, hidden text, a style
    or a script, or a byline the heading holds after its words ("<h1>Pier reopens<br><span
    class=byline>By Sam Lee</span></h1>"): no part of the headline."""
    classes = element.get("class") or ""
    return (
        element.tag == "small"
        or element.tag in _NO_TEXT_TAGS
        or bool(_KICKER_CLASS.search(classes))
        or bool(_BYLINE_CLASS.search(classes))
        or element.get("rel") == "author"
        or hides_itself(element)  # the heading itself is visible: its children hide themselves or not
    )


def _shares_a_word(heading: str, titles: list[str], site_keys: set[str]) -> bool:
    """True when ``heading`` has a word of a few letters in common with the main part of one of
    ``titles``, its longest ("Homemade Spiced Honey Pear Jam" and "Spiced Honey Pear Jam Recipe |
    Site"; not "Aktuelle Artikel", the heading of a list, and "Wir haben bereits die Zusage";
    not "Politik" and "Politik | Merkel tritt zurück"). Words of the site's name do not count:
    a blog's name in its h1 shares them with every title."""
    words = {
        word
        for word in _WORD.findall(heading.casefold())
        if len(word) >= _MIN_SHARED_WORD and not any(word in key or key in word for key in site_keys)
    }
    return any(not words.isdisjoint(_WORD.findall(_main_part(title).casefold())) for title in titles)


def _rewords(heading: str, headline: str) -> bool:
    """True when ``heading`` says what ``headline`` says in other words: most of the longer words
    of the shorter one in common, not one the other with words added."""
    words = [
        {word for word in _WORD.findall(text.casefold()) if len(word) >= _MIN_SHARED_WORD}
        for text in (heading, headline)
    ]
    fewer = min(words, key=len)
    return (
        len(heading.split()) >= _MIN_HEADLINE_WORDS
        and bool(fewer)
        and 2 * len(words[0] & words[1]) >= len(fewer)
        and comparison_key(headline) not in comparison_key(heading)
        and comparison_key(heading) not in comparison_key(headline)
    )


def _main_part(title: str) -> str:
    """The longest of the parts a title joins ("Headline" of "Section | Headline | Site"; a
    colon is not a joint here: "Adblue nachfüllen: wo kaufen" is one headline)."""
    return max(_TITLE_JOINTS.split(title), key=len)


def _in_title(heading: str, title: str) -> bool:
    """True when ``title`` holds ``heading`` as its main part (see _is_title_part), or as one
    part of its own when the heading is too long for a section name ("Headline | Subtitle"; not
    the last part: "Headline | Blog name")."""
    if _is_title_part(heading, title):
        return True
    key = comparison_key(heading)
    parts = _TITLE_PARTS.split(title)
    if len(heading.split()) >= _MIN_HEADLINE_WORDS and any(comparison_key(part) == key for part in parts[:-1]):
        return True
    # the title credits the page's user after the headline ("Mandarinen-Schmand-Kuchen von jesusfreak | Chefkoch")
    main = max(parts, key=len)
    credit = _USER_CREDIT.search(main)
    return credit is not None and comparison_key(main[: credit.start()]) == key


def _is_title_part(heading: str, title: str) -> bool:
    """True when ``heading`` is a run of the parts of ``title`` that holds its longest part, or
    one of its longest where two are as long ("Headline" in "Opinion | Headline | Site"; not
    "Site" or "Opinion"; "Der WindRebell" in "SONNENENERGIE: Der WindRebell")."""
    parts = [part for part in _TITLE_PARTS.split(title) if part.strip()]
    key = comparison_key(heading)
    if not key or not parts:
        return False
    lengths = [len(comparison_key(part)) for part in parts]
    return any(
        comparison_key("".join(parts[start:end])) == key
        for longest in range(len(parts))
        if lengths[longest] == max(lengths)
        for start in range(longest + 1)
        for end in range(longest + 1, len(parts) + 1)
    )


def _cut_short(title: str, longer: str) -> bool:
    """True when ``title`` is the start of ``longer`` cut off mid-title (a quote mark in a meta
    attribute ends it early: 'Biden de "incapacitado"' as 'Biden de ')."""
    key, longer_key = comparison_key(title), comparison_key(longer)
    return (
        len(longer_key) > len(key) >= _TRUNCATED_SHARE * len(longer_key)
        and longer_key.startswith(key)
        and not _is_title_part(title, longer)
    )


def _headline_element(tree: lxml.html.HtmlElement, headline: str | None) -> lxml.html.HtmlElement | None:
    """The visible <h1>/<h2> that shows the headline, else the first visible <h1>, else an <h3>
    or <h4> that shows it (a press portal's <h4>): where the article starts, so its byline and
    date are the ones after it."""
    key = comparison_key(headline or "")
    first_h1 = None
    for heading in tree.iter("h1", "h2"):
        if is_hidden(heading):
            continue
        if key and _shows(heading, key):
            return heading
        if first_h1 is None and heading.tag == "h1" and spaced_text(heading):
            first_h1 = heading
    if first_h1 is not None or not key:
        return first_h1
    return next((heading for heading in tree.iter("h3", "h4") if not is_hidden(heading) and _shows(heading, key)), None)


def _shows(heading: lxml.html.HtmlElement, key: str) -> bool:
    """True when ``heading`` shows the headline whose comparison key is ``key``, with or without its kicker."""
    return comparison_key(spaced_text(heading)) == key or comparison_key(_without_kicker(heading)) == key


def _heading_names_the_site(heading: str, titles: list[str], site_keys: set[str]) -> bool:
    """True when the <h1> ``heading`` is the site's name: one of ``site_keys``, or a name holding
    one that a title joins to another part ("Vortex Cannon Entertainment" of "About bugs – Vortex
    Cannon Entertainment" on vortexcannon.org; not "Vortex Cannon's new game" over its text)."""
    key = comparison_key(heading)
    return key in site_keys or (
        _names_the_site(heading, site_keys)
        and any(
            key in {comparison_key(part) for part in _TITLE_PARTS.split(title)} - {comparison_key(title)}
            for title in titles
        )
    )


def _names_the_site(text: str, site_keys: set[str]) -> bool:
    """True when ``text`` is one of ``site_keys`` or a few words that begin with one, an article
    aside ("MyOOS Community Forum" on foren.myoos.de, "Die PARTEI Lübeck" on die-partei.net; not
    "Tote Hummeln unter Linden" on a site named "Hummeln"), or with its acronym as a word of its own."""
    key = comparison_key(text)
    if key in site_keys or _HOST_NAME.match(text):
        return True
    words = text.split()
    if 0 < len(words) <= _MAX_SITE_NAME_WORDS:
        if words[0].isupper() and comparison_key(words[0]) in site_keys:
            return True  # the site's acronym before a desk's name: "CNN Business", "BBC News"
        starts = (key, comparison_key(_LEADING_ARTICLE.sub("", text)))
        if any(len(site) >= _MIN_HELD_SITE_KEY and start.startswith(site) for site in site_keys for start in starts):
            return True
    # the costliest test last: it splits the text and tries the site's names word by word
    return 1 < len(words) <= _MAX_SPELLED_SITE_NAME_WORDS and _spells_a_site_key(text, site_keys)


def _spells_a_site_key(text: str, site_keys: set[str]) -> bool:
    """True when one of ``site_keys`` is ``text``'s first word and one or more of the others run
    together, in order, others left out ("parcoabruzzo" in "Parco Nazionale d'Abruzzo, Lazio e
    Molise"; not "gipfelbuchch" in "Schneekarten auf Gipfelbuch.ch", a headline)."""
    pieces = [piece for piece in map(comparison_key, _NAME_PIECES.split(text)) if piece]

    def spelled(site: str, start: int, used: int) -> bool:
        if not site:
            return used >= 2
        return any(
            site.startswith(piece) and spelled(site[len(piece) :], i + 1, used + 1)
            for i, piece in enumerate(pieces[start:], start)
        )

    return bool(pieces) and any(
        len(site) >= _MIN_HELD_SITE_KEY and site.startswith(pieces[0]) and spelled(site[len(pieces[0]) :], 1, 1)
        for site in site_keys
    )


def _strip_site_name(title: str, site_keys: set[str]) -> str:
    """Remove a trailing " | Site" / " - Site" part and any tagline after it, else a leading
    "Site | " part, when it names the site (a site name may hold a separator itself: " | AOC
    media - Analyse Opinion Critique"; a tagline follows it: " | Site | Since 2005")."""
    separators = list(_SITE_SEPARATOR.finditer(title))
    for index, separator in enumerate(separators):
        ends = [later.start() for later in separators[index + 1 :]] + [len(title)]
        if separator.start() and any(_names_the_site(title[separator.end() : end], site_keys) for end in ends):
            return title[: separator.start()].strip()
    for separator in separators:
        if separator.end() < len(title) and _names_the_site(title[: separator.start()], site_keys):
            return title[separator.end() :].strip()
    return title


def _site_keys(publisher: str | None, meta: dict[str, list[str]], url: str | None) -> set[str]:
    """Normalised spellings of the site's name: publisher, og:site_name and the URL's host, and
    the name alone where og:site_name adds a tagline ("LinkNaija | Nigeria's popular news
    platform"; not the publisher, which may be an application-name holding the page's title)."""
    site_names = _meta_all(meta, ("og:site_name",))
    names = [publisher, *site_names, *_meta_all(meta, ("application-name",))]
    names += [TITLE_SEPARATOR.split(name)[0] for name in site_names]
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        labels = host.split(".")
        # and a longer label inside it: "myoos" of foren.myoos.de, not "co" of bbc.co.uk
        names += [host, labels[0], *(label for label in labels[1:-1] if len(label) >= _MIN_HELD_SITE_KEY)]
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
    site_keys: set[str],
    headline: lxml.html.HtmlElement | None,
) -> list[str]:
    """Author names from the first source that has any, most trustworthy first: the JSON-LD
    article, microdata, the article's byline, the JSON-LD WebPage (pages without an article
    object), OpenGraph and author meta tags, Dublin Core and citation_author, then an author meta
    tag that an author element shows whole, in lower case too ("Mobasir hassan"). When none names
    a person, the organisation the article's structured data or marked byline names
    ("Redaktion", "The Associated Press"); never one from meta tags alone, where sites put their
    placeholders.

    Sources are not merged: the same person is spelled differently across them; only a byline
    that names the JSON-LD's authors and more names them all (its co-authors). A site's
    placeholder in <meta name=author> never beats the page's structured data or byline, and
    the site's own name (``site_keys``) is no author on the page (JSON-LD aside: a one-person
    blog's Person, see _jsonld_author_names).
    """

    def found(names: Callable[[Iterable[str], str | None], list[str]]) -> BylineNames:
        return lambda texts: [name for name in names(texts, publisher) if not _names_the_site(name, site_keys)]

    people, organisations = found(person_names), found(organisation_names)
    elements = AuthorElements(tree)
    byline_people = cache(lambda: people(byline_texts(elements, headline)))

    def jsonld_authors() -> list[str]:
        # A JSON-LD author that is only the site's name (a one-person blog's, see above) yields
        # to a byline naming someone else: there the site stood in for the writer ("El
        # Colombiano" in JSON-LD, "Jacobo Betancur Peláez" over the story).
        names = _jsonld_author_names(articles, by_id, publisher)
        if names and all(_names_the_site(name, site_keys) for name in names):
            return people(microdata_authors(tree)) or byline_people() or names
        if names:
            # the byline naming the JSON-LD's authors and more: a co-author the site's CMS has no
            # account for ("Tariq Malik, Mike Wall" over a JSON-LD naming Tariq Malik)
            shown = byline_people()
            if len(shown) > len(names) and {comparison_key(name) for name in names} <= {
                comparison_key(name) for name in shown
            }:
                return shown
        return names

    # Lazily evaluated: a source runs only when those before it named no one (the byline search
    # also runs under a JSON-LD author, for its co-authors).
    sources = (
        jsonld_authors,
        lambda: people(microdata_authors(tree)),
        byline_people,
        lambda: _jsonld_author_names(_web_pages(by_id), by_id, publisher),
        lambda: people(_meta_contents(meta, _AUTHOR_META)),
        lambda: people(_twitter_written_by(meta)),
        lambda: people(_given_name_first(_meta_contents(meta, _CATALOGUE_AUTHOR_META))),
        lambda: [
            name
            for name in names_shown_in_bylines(elements, _meta_contents(meta, _AUTHOR_META))
            if comparison_key(name) not in site_keys
        ],
        lambda: organisations(_jsonld_author_texts(articles, by_id)),
        lambda: organisations(microdata_authors(tree)),
        lambda: organisations(byline_texts(elements, headline, organisations, marked_only=True)),
    )
    for source in sources:
        names = source()
        if names:
            return names
    return []


def _given_name_first(creators: list[str]) -> list[str]:
    """Catalogue creators (Dublin Core, citation_author) written surname first ("Harm, Robert"),
    as "Robert Harm": not two people named "Harm" and "Robert"."""
    return [
        f"{inverted[2]} {inverted[1]}" if (inverted := _SURNAME_FIRST.fullmatch(creator)) else creator
        for creator in creators
    ]


def _jsonld_author_names(
    articles: list[dict[str, Any]], by_id: dict[str, dict[str, Any]], publisher: str | None
) -> list[str]:
    """Author names of the first article object that has an author (string, object or list).

    An author named like the publisher is the site, not a writer, unless it is a Person and the
    publisher is not said to be an organisation only (a one-person blog; Yoast types such a
    site's publisher ["Person", "Organization"]).
    """
    for article in articles:
        publisher_node = resolve(article.get("publisher"), by_id)
        publisher_types = node_types(publisher_node) if isinstance(publisher_node, dict) else set()
        personal_site = "Person" in publisher_types or not publisher_types
        names = []
        for node in _author_nodes(article, by_id):
            name = _node_name(node)
            if name:
                names += person_names([name], None if personal_site and _is_person(node) else publisher)
        if names:
            return unique_ignoring_case(names)
    return []


def _jsonld_author_texts(articles: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> list[str]:
    """The author names the first JSON-LD article with an author gives, as written."""
    for article in articles:
        names = [name for node in _author_nodes(article, by_id) if (name := _node_name(node))]
        if names:
            return names
    return []


def _author_nodes(article: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> list[Any]:
    """The article's author objects or strings (one, or a list), references resolved; an object
    whose name is a list ({"@type": "Person", "name": ["Bill Birtles", "John Smith"]}) as one
    object per name."""
    author = article.get("author")
    nodes = []
    for candidate in author if isinstance(author, list) else [author]:
        node = resolve(candidate, by_id)
        names = node.get("name") if isinstance(node, dict) else None
        if isinstance(names, list):
            nodes += [{**node, "name": name} for name in names]
        else:
            nodes.append(node)
    return nodes


def _web_pages(by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's JSON-LD WebPage objects (WebPage, ItemPage, MedicalWebPage, ...) with an @id."""
    return [node for node in by_id.values() if any(kind.endswith(("WebPage", "ItemPage")) for kind in node_types(node))]


def _is_person(node: Any) -> bool:
    return isinstance(node, dict) and "Person" in node_types(node)


def _date_published(
    tree: lxml.html.HtmlElement,
    meta: dict[str, list[str]],
    articles: list[dict[str, Any]],
    url: str | None,
    headline: lxml.html.HtmlElement | None,
    *,
    day_first: bool,
) -> datetime | None:
    """JSON-LD datePublished, else date meta tags, else the date marked as the publication date
    (microdata on any element, <time pubdate>), else the article's own <time datetime> (the
    first after the headline, else the first on the page; never one labelled as an update or a
    year alone), else the first dateline after the headline, else one right above it, else htmldate's guess from the
    markup (it roams the page: the earliest <time> of the comments under a recipe). A value of the
    first five that reads both ways is read as the dateline shows it (see _settled_by_dateline)."""
    return (
        _settled_by_dateline(
            _first_date_value(
                _jsonld_texts(articles, "datePublished"),
                _meta_values(meta, _PUBLISHED_META),
                _marked_dates(tree, _MARKED_PUBLISHED_DATES),
                _time_values(_times_after(tree, headline), updates=False),
                _time_values(_page_times(tree), updates=False),
                day_first=day_first,
            ),
            tree,
            headline,
            day_first=day_first,
        )
        or _first_date(_readable(_datelines_after(tree, headline, updates=False), day_first), day_first=day_first)
        or _first_date(_readable(_datelines_above(headline), day_first), day_first=day_first)
        or _htmldate_published(tree, url)
    )


def _date_modified(
    tree: lxml.html.HtmlElement,
    meta: dict[str, list[str]],
    articles: list[dict[str, Any]],
    headline: lxml.html.HtmlElement | None,
    *,
    day_first: bool,
) -> datetime | None:
    """JSON-LD dateModified, else modified meta tags, else microdata dateModified, else a
    <time> after the headline labelled as an update ("Last updated"), else a dateline after it
    labelled so.

    htmldate is not asked: the latest date on a page is too often a comment, a related story
    or the copyright year.
    """
    return _first_date(
        _jsonld_texts(articles, "dateModified"),
        _meta_values(meta, _MODIFIED_META),
        _marked_dates(tree, _MARKED_MODIFIED_DATES),
        _time_values(_times_after(tree, headline) if headline is not None else _page_times(tree), updates=True),
        _readable(_datelines_after(tree, headline, updates=True), day_first),
        day_first=day_first,
    )


def _readable(datelines: Iterable[str], day_first: bool) -> Iterator[str]:
    """The dates of ``datelines`` that read one way only: where the day does not come first (an
    English page), not a slashed date that reads both ways (see reads_both_ways)."""
    return (value for value in datelines if day_first or not reads_both_ways(value))


def _marked_dates(tree: lxml.html.HtmlElement, marked: etree.XPath) -> Iterator[str]:
    """The dates of the elements ``marked`` finds outside the page's chrome, lazily: the
    search reads every element of the page, so it runs only when no earlier source had a date."""
    for element in marked(tree):
        if not in_page_chrome(element):
            yield element.get("datetime") or element.get("content") or ""


def _page_times(tree: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """The page's <time datetime> elements outside its chrome, but dateModified ones, lazily
    (most pages have their dates in JSON-LD or meta tags, and never get here)."""
    yield from (element for element in _ALL_PAGE_TIMES(tree) if not in_page_chrome(element))


def _times_after(
    tree: lxml.html.HtmlElement, headline: lxml.html.HtmlElement | None
) -> Iterator[lxml.html.HtmlElement]:
    """The page's <time> elements after the headline (none without one), lazily."""
    if headline is None:
        return
    start = document_position(headline)
    yield from (element for element in _page_times(tree) if document_position(element) > start)


def _time_values(times: Iterable[lxml.html.HtmlElement], *, updates: bool) -> Iterator[str]:
    """The datetime of each <time> that is (``updates``) or is not labelled as an update; years
    alone are left out."""
    for element in times:
        value = element.get("datetime") or ""
        if not _YEAR_ONLY.match(value) and _is_update(element) == updates:
            yield value


def _is_update(element: lxml.html.HtmlElement) -> bool:
    """True when a <time> (or its parent) is classed as an update, or labelled as one."""
    parent = element.getparent()
    classes = " ".join(node.get("class") or "" for node in (element, parent) if node is not None)
    if _UPDATE_CLASS.search(classes) and "publish" not in classes.lower():  # WordPress: "published updated"
        return True
    return _labelled_as_update(element)


def _labelled_as_update(element: lxml.html.HtmlElement) -> bool:
    """True when the text just before ``element`` says it is an update ("Last updated", "Aktualisiert am")."""
    parent = element.getparent()
    before = element.getprevious()
    label = (before.tail if before is not None else parent.text if parent is not None else None) or ""
    if before is not None and not label.strip():
        label = before.text_content()
    return bool(_UPDATE_LABEL.search(label[-_LABEL_CHARS:].rstrip(" :")))


def _datelines_after(
    tree: lxml.html.HtmlElement, headline: lxml.html.HtmlElement | None, *, updates: bool
) -> Iterator[str]:
    """A date of each dateline (see _DATELINE_SEARCH_ELEMENTS) among the elements after the
    headline, lazily, none in the page's chrome (a teaser's): with ``updates``, the date the line
    labels as an update ("Updated: 19 November 2019", "3. März 2022 | Aktualisiert 4. März 2022",
    a date alone after an "Updated :" label), else the first date of a line not labelled so. Not
    by class: themes class the publication date "updated" for hAtom's sake."""
    if headline is None:
        return
    window = elements_after(headline, _DATELINE_SEARCH_ELEMENTS)
    if updates and not _mentions_an_update(headline, window):
        return  # most pages: no update label near the headline, and nothing more to read
    # the block right under the headline is its meta line, whatever its class says ("infobox")
    meta_block = next(headline.itersiblings(etree.Element), None)
    for element, raw, of_tail in _lines(window, headline):
        if updates and not _may_be_an_update_line(element, raw):
            continue
        text = " ".join(raw.split()) if of_tail else spaced_text(element)
        if len(text) > _MAX_DATELINE_CHARS:
            opening = None if updates else _press_dateline(text)
            if opening and not in_page_chrome(element):
                yield opening
            continue
        dates = _dateline_dates(element, text, meta_block)
        if not dates:
            continue
        labelled = [bool(_UPDATE_LABEL.search(text[: match.start()].rstrip(" :"))) for match, _ in dates]
        labelled[0] = labelled[0] or _labelled_as_update(element)
        if updates:
            yield from (match.group(0) for (match, _), update in zip(dates, labelled, strict=True) if update)
        elif not labelled[0]:
            yield dates[0][0].group(0)


def _lines(
    elements: Iterable[lxml.html.HtmlElement], headline: lxml.html.HtmlElement
) -> Iterator[tuple[lxml.html.HtmlElement, str, bool]]:
    """The lines after ``headline`` for the dateline search, each with the element it belongs
    to, its raw text and whether that is the element's tail: the line the headline's tail holds
    ("<h2>Site Update</h2> 24. März 2004, 19:49 |"), then for each of ``elements`` its text (not a
    container's, whose lines come one by one, nor a phrase inside a sentence) and the line its
    tail holds (see _tail_line)."""
    line = _tail_line(headline, label=False)
    if line is not None:
        yield headline, line, True
    for element in elements:
        if len(element) <= 3 and not inside_a_sentence(element):
            yield element, element.text_content(), False
        line = None if len(element) else _tail_line(element)
        if line is not None:
            yield element, line, True


def _tail_line(element: lxml.html.HtmlElement, *, label: bool = True) -> str | None:
    """The line the text after ``element`` holds, when the element ends a line of its own (a
    <br>, a heading, with ``label`` a label: "<h5>Datum:</h5>03.11.2021<br>", read with the label)
    and the text runs to the end of the line (the end of the parent, a block, a script); None
    for most elements (no text after them, or no digit in it)."""
    tail = element.tail
    if not tail or not any(character.isdigit() for character in tail):
        return None
    own = (element.text or "").strip() if label else ""
    if element.tag not in _LINE_ENDS and not own.endswith(":"):
        return None
    following = element.getnext()
    if following is None or following.tag in _LINE_ENDS or following.tag in _NO_TEXT_TAGS or is_hidden(following):
        return f"{own} {tail}" if own.endswith(":") else tail
    return None


def _press_dateline(text: str) -> str | None:
    """The date a paragraph opens with, as press releases do ("Karlsruhe, (12.11.2021). Text",
    "Berlin, 11.10.2021 – Text", "Pressemitteilung vom 25. Januar 2022 | Berlin – Text"): a place
    or label of a few words before it and a full stop, colon, dash or bar after it (not "Am
    12.11.2021 gedenken", a sentence about a day), or nothing before it ("01.02.2022 „Der
    Arbeitsmarkt ...")."""
    dates = find_dates(text[:_MAX_DATELINE_CHARS])
    if not dates:
        return None
    match = dates[0][0]
    place = words_besides_dates(text[: match.start()], [])
    if place and (len(place) > _MAX_PLACE_WORDS or not _AFTER_PRESS_DATELINE.match(text[match.end() :])):
        return None
    return match.group(0)


def _datelines_above(headline: lxml.html.HtmlElement | None) -> Iterator[str]:
    """The date of a dateline right above the headline, lazily, nearest first: among the few
    elements before it ("<span>Bonn, 11.10.2021</span><h1>"), or before the block it opens
    ("<div><b>Fama</b>: 28 de abril de 2022</div><div><h1>"). Hidden or not: a layout shows one
    of two variants by screen width."""
    if headline is None:
        return
    for element in elements_above(headline, _LINES_ABOVE):
        text = spaced_text(element)
        dates = _dateline_dates(element, text)
        if dates and not _UPDATE_WORD.search(text.lower()):
            yield dates[0][0].group(0)


def _dateline_dates(
    element: lxml.html.HtmlElement, text: str, meta_block: lxml.html.HtmlElement | None = None
) -> list[tuple[re.Match[str], datetime]]:
    """The dates of ``text`` (``element``'s) when it is a dateline: short, a date and few other
    words, outside the page's chrome (in ``meta_block``, the block under the headline, whatever
    its class says); else none."""
    if len(text) > _MAX_DATELINE_CHARS or not any(character.isdigit() for character in text):
        return []
    dates = find_dates(text)
    if not dates:
        return []
    words = words_besides_dates(text, dates)
    if len(words) > _MAX_DATELINE_WORDS:  # unless the line is a byline too: its names do not count
        names = byline_words(text)
        words = [word for word in words if word not in names] if names else words
    if len(words) > _MAX_DATELINE_WORDS:
        return []
    if in_page_chrome(element) and not (
        meta_block is not None and (element is meta_block or inside(element, meta_block))
    ):
        return []
    if any(_RANGE_START.search(text, 0, match.start()) for match, _ in dates):
        return []  # an event's days ("9-23 Feb 2017 | Mo-Fr 9–16"), not when the page was written
    return dates


def _mentions_an_update(headline: lxml.html.HtmlElement, elements: list[lxml.html.HtmlElement]) -> bool:
    """Whether the text after ``headline``, over ``elements`` (elements_after's), has an update
    label anywhere: in the outermost elements' text (it holds the others'), in their tails, or in
    the tails of the headline and its ancestors ("<h1>...</h1> Updated: <span>4 March</span>")."""
    members = set(elements)
    texts = [node.tail or "" for node in (headline, *headline.iterancestors())]
    texts += [
        element.text_content() + (element.tail or "") for element in elements if element.getparent() not in members
    ]
    return any(_UPDATE_WORD.search(text.lower()) for text in texts)


def _may_be_an_update_line(element: lxml.html.HtmlElement, raw: str) -> bool:
    """A quick test before a line (``raw``, ``element``'s, its whitespace not yet collapsed: more
    than a dateline's characters) is read as a dateline: short, and an update label in it or just
    before it."""
    return len(raw) <= _MAX_RAW_DATELINE_CHARS and (
        bool(_UPDATE_WORD.search(raw.lower())) or _labelled_as_update(element)
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


def _first_date(*sources: Iterable[str | None], day_first: bool = False) -> datetime | None:
    """The first value across ``sources`` that parses as a date, other than an empty timestamp."""
    found = _first_date_value(*sources, day_first=day_first)
    return found[0] if found else None


def _first_date_value(*sources: Iterable[str | None], day_first: bool = False) -> tuple[datetime, str] | None:
    """The date _first_date finds, with the value it was read from."""
    for source in sources:
        for value in source:
            if not value:
                continue
            parsed = parse_date(value, day_first=day_first)
            if parsed and abs(parsed - _UNIX_EPOCH) > timedelta(days=1):
                return parsed, value
    return None


def _settled_by_dateline(
    found: tuple[datetime, str] | None,
    tree: lxml.html.HtmlElement,
    headline: lxml.html.HtmlElement | None,
    *,
    day_first: bool,
) -> datetime | None:
    """The date of ``found``, read the other way where its value reads both ways ("11/01/2023":
    a German page's CMS writing the American way) and the dateline under the headline shows that
    day ("Erstellt am: 01.11.2023") and not the first reading's."""
    if found is None:
        return None
    parsed, value = found
    if not reads_both_ways(value):
        return parsed
    swapped = parse_date(value, day_first=not day_first)
    shown = _first_date(_datelines_after(tree, headline, updates=False), day_first=day_first)
    if swapped is not None and shown is not None and shown.date() == swapped.date() != parsed.date():
        return swapped
    return parsed


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
    """Split a keyword list ("a, b, c", "a;b;c", "a | b", "甲、乙", "#a #b", "甲 乙") into cleaned
    items, without template placeholders ("YOUR KEYWORDS HERE", "keyword1") or items with no
    letter or digit (the quote of "&amp;quot" that a double escape splits off at its ";")."""
    parts = _TAG_SEPARATOR.split(value)
    if len(parts) == 1:
        parts = _space_separated_items(value.strip())
    return [
        item
        for part in parts
        if (item := _clean(part)) and not _TAG_PLACEHOLDER.search(item) and any(map(str.isalnum, item))
    ]


def _space_separated_items(value: str) -> list[str]:
    """The items of a list separated by spaces alone, where that is sure (see _HASHTAGS);
    otherwise ``value`` as one item."""
    if _HASHTAGS.fullmatch(value):
        return [tag.removeprefix("#") for tag in value.split()]
    return [value] if _SPACE_INSIDE_A_TAG.search(value) else value.split()


def _first(*sources: Iterable[str | None]) -> str | None:
    """The first non-empty value across ``sources``."""
    return next((value for source in sources for value in source if value), None)


def _first_list(*lists: Sequence[str | None]) -> list[str]:
    """The first list that has any non-empty value, without duplicates."""
    for values in lists:
        present = unique_ignoring_case(value for value in values if value)
        if present:
            return present
    return []

"""Main article text of an HTML page, without navigation, ads, scripts, footers or comments.

Two extractors vote. trafilatura (precision mode) gives the body; readability-lxml reads the
page independently. When readability agrees with trafilatura about where the article is (it
holds a fifth or more of trafilatura's text), the prose paragraphs only readability found are added in
readability's order: they are the parts of a body split across several containers, which
trafilatura cuts off. Short lines readability adds (captions, teasers, labels) are not taken.
Lists and tables of the page that stand between two paragraphs of the body that follow each
other, and are not mostly links, are put back between them (precision mode can drop them).
When trafilatura finds little or nothing, readability, the JSON-LD ``articleBody``, the
page's visible ``<p>`` texts and its paragraphs of prose wherever they stand (<div>s and <br>s)
are tried in turn, and the longest wins. When the two found different texts and readability's
has clearly more prose, readability's is the article, with the prose paragraphs trafilatura
found above it (a lead that readability's container leaves out). A page where all of them find
little is read again with its <noscript>s unwrapped. Whichever wins loses the
page furniture extractors leave inside an article's container (tasks.extract.boilerplate_lines).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial
from html import unescape
from typing import Any, NamedTuple

import lxml.html
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.metadata import Document

from tasks.extract.boilerplate_lines import without_boilerplate
from tasks.extract.html_page import BODY, Page, leading_text, page_tree, parse_html
from tasks.extract.jsonld import DISCUSSION_TYPES, articles_in, jsonld_blocks, objects_of_types
from tasks.extract.readability_paragraphs import NOT_ARTICLE_BOXES, page_paragraphs, readability_paragraphs
from tasks.text.words import CJK_CHARS, TITLE_SEPARATOR, comparison_key


@dataclass(frozen=True)
class ExtractedBody:
    text: str  # paragraphs separated by "\n\n"; section headings are paragraphs of their own
    headings: list[str]  # h2-h6 of the main content, in order, never the page title
    extractor: str  # "trafilatura", "trafilatura+readability", "readability", "jsonld", "fallback", or "none"


# Below this many characters trafilatura has probably caught a teaser, a caption or a paywall
# stub (trafilatura itself switches to its fallbacks under 250 characters).
MIN_BODY_CHARS = 250
# readability's extra paragraphs are trusted only when it holds this share of trafilatura's
# text (both found the same article, even where trafilatura kept one part and readability
# another), and only if they read as prose: this many words and a sentence end (captions and
# teasers are shorter or unpunctuated). Chosen on both benchmarks: 0.8 -> 0.6 -> 0.4 -> 0.2
# each found more wanted snippets on trafilatura-eval and left article-extraction unchanged.
MIN_AGREEMENT = 0.2
MIN_PROSE_WORDS = 25
# Below this agreement the extractors found different texts; the one with clearly more prose
# (twice as many words in prose paragraphs) is taken to be the article.
DISAGREEMENT = 0.2
_SHINGLE_WORDS = 4
# A paragraph cut short with an ellipsis ("…", "...", "[…]") is an excerpt of another page when
# readability's text holds a list of them: this many, and at least this share of its prose
# (a blog's other posts, a press service's latest releases, a quotes site's other quotes).
MIN_TEASERS = 2
MIN_TEASER_SHARE = 1 / 3
_CUT_SHORT = re.compile(r"(?:…|\.\.\.)[\s\])]*$")
# A list or table of facts has two lines or more, each short; one holding a longer line is a page
# laid out in a table, or a list of paragraphs the extractors judged already.
MAX_LIST_LINE_CHARS = 200
# Words: runs of letters and digits, but each Chinese, Japanese or Korean character is one, as
# those scripts put no spaces between words (a whole CJK paragraph would be one \w+ "word",
# never prose, and the vote would never add the half of a story trafilatura missed).
_WORD = re.compile(rf"[{CJK_CHARS}]|[^\W{CJK_CHARS}]+")
_SENTENCE_END = re.compile(r"[.!?…\"”’»)\]。！？」』）]$")

_START_CHARS = 200  # characters of a paragraph's start that _start_key reads
_HEADING_LEVELS = {"h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = ("p", "head", "list", "quote", "table", "code")
_LEAF_BLOCK_TAGS = frozenset({"p", "head", "list", "table", "code"})  # never descended into
_SPACES = re.compile(r"[^\S\n]+")
_SPACES_AROUND_NEWLINE = re.compile(r" *\n *")
_WHITESPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")
_MARKUP = re.compile(r"<[a-zA-Z/][^>]*>")
# A word (not part of an address or a dotted name) ending a sentence, the letter after it, and
# the letter or space after that.
_GLUED_SENTENCES = re.compile(r"(?<![\w./@:-])([^\W\d_]{3,})([.!?])([^\W\d_])(?=([^\W\d_]|\s))")
_SENTENCE_PUNCTUATION = re.compile(r"[^\W\d_][.!?][^\W\d_]")

# <p>s of the page outside menus, headers, footers, sidebars, forms and reader comments.
_CONTENT_PARAGRAPHS = etree.XPath(
    f"{BODY}//p[not(ancestor::*[self::nav or self::header or self::footer or self::aside or self::form"
    " or self::noscript or self::template or contains(@class, 'comment') or contains(@id, 'comment')])]"
)
# Text nodes that a reader sees: never the source of scripts, styles or inert templates.
_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
)
# Hover cards (see _readable_tree).
LINK_CARD_LINKS = 3
LINK_CARD_SHARE = 0.8
_LINKED_SPANS = etree.XPath(f"//p//span[count(.//a) >= {LINK_CARD_LINKS}]")
_LINKED_SPANS_INSIDE = etree.XPath(f".//span[count(.//a) >= {LINK_CARD_LINKS}]")
# Boxes trafilatura keeps that are not the article (see NOT_ARTICLE_BOXES): elements under <body>
# whose class or id holds one of the names (case-sensitive, like XPath's contains()); a box holding
# BOX_MAX_CHARS characters or more is a wrapper, whatever its name, and stays. The names are
# looked for in the page's class and id values, read as plain strings (no element objects), and
# trafilatura prunes the boxes from its copy by their positions among the elements with a class
# (or an id): an XPath testing every element's names cost 1-1.5 ms a page, two to three times as much.
BOX_MAX_CHARS = 1000
_BODY_NAMES = {
    attribute: etree.XPath(f"{BODY}/descendant::*/@{attribute}", smart_strings=False) for attribute in ("class", "id")
}
_BOX_NAMES = re.compile("|".join(map(re.escape, NOT_ARTICLE_BOXES)))
_OG_TITLE = etree.XPath("//meta[@property='og:title' or @name='og:title']/@content")


class _Segment(NamedTuple):
    text: str
    is_heading: bool
    level: str | None  # "h1".."h6" for headings converted from HTML, None otherwise


@dataclass
class _Page:
    tree: lxml.html.HtmlElement
    url: str | None
    articles: list[dict[str, Any]]  # JSON-LD article objects
    title_keys: frozenset[str]  # normalised spellings of the page title, to drop repeats of it
    discussion: bool  # the page's JSON-LD says it is a forum thread (DiscussionForumPosting), and no article
    readability: list[str] | None = None  # readability's paragraphs, once asked for


def extract_main_text(html: str | Page, url: str | None = None) -> ExtractedBody:
    """Extract the article body of ``html`` (fetched from ``url``, if known): the page's text
    or its tree from parse_html, which is left unchanged.

    Returns the body text and headings, or an ExtractedBody with empty text when the page has
    no readable content.
    """
    tree = page_tree(html)
    if tree is None:
        return ExtractedBody("", [], "none")
    body = _main_text(_readable_tree(tree), url)
    if len(body.text) < MIN_BODY_CHARS and any(_has_text(noscript) for noscript in tree.iter("noscript")):
        # The page's text may be only in its <noscript>s: the copy a script renders the page
        # from, given to readers without scripts. Read again with the noscripts unwrapped.
        unwrapped = _main_text(_readable_tree(_with_noscripts_unwrapped(tree)), url)
        body = unwrapped if len(unwrapped.text) >= MIN_BODY_CHARS else body  # not a bare "enable JavaScript"
    return body if body.text else ExtractedBody("", [], "none")


def _main_text(tree: lxml.html.HtmlElement, url: str | None) -> ExtractedBody:
    """The article body of ``tree`` (see extract_main_text), possibly empty."""
    blocks = jsonld_blocks(tree)
    articles = articles_in(blocks)
    # A thread, not an article whose comment section is marked up as one.
    discussion = not articles and bool(objects_of_types(blocks, DISCUSSION_TYPES))
    page = _Page(tree, url, articles, _title_keys(tree, articles), discussion)
    extractors: tuple[Callable[[_Page], ExtractedBody], ...] = (
        _from_trafilatura,
        _from_readability,
        _from_jsonld,
        _from_paragraphs,
        _from_page_prose,
    )
    candidates = []
    for extractor in extractors:
        body = extractor(page)
        if len(body.text) >= MIN_BODY_CHARS:
            if body.extractor == "trafilatura":
                body = _with_lists_between(_with_section_headings(_with_readability_prose(body, page), page), page)
            return _without_furniture(body)
        candidates.append(body)
    return _without_furniture(max(candidates, key=lambda body: len(body.text)))


def _has_text(element: lxml.html.HtmlElement) -> bool:
    return any(piece.strip() for piece in element.itertext())


def _with_noscripts_unwrapped(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of ``tree`` with the content of each <noscript> in its place (scripts inside stay
    scripts, never read)."""
    tree = copy.deepcopy(tree)
    for noscript in list(tree.iter("noscript")):
        noscript.drop_tag()
    return tree


def _without_furniture(body: ExtractedBody) -> ExtractedBody:
    """``body`` without related-article lists, rights lines and follow-us calls (see
    tasks.extract.boilerplate_lines), and without the headings those took with them; sentences
    glued together are set apart (see _unglued)."""
    paragraphs = without_boilerplate([_unglued(p) for p in body.text.split("\n\n")], _is_prose)
    kept = set(paragraphs)
    headings = [heading for heading in map(_unglued, body.headings) if heading in kept]
    return ExtractedBody("\n\n".join(paragraphs), headings, body.extractor)


def _unglued(text: str) -> str:
    """``text`` with a space after each sentence end that runs into the next sentence.

    Blocks a page sets apart by style alone (spans, links, cells shown as blocks) have no space
    between them in the markup, and every extractor joins them: "DHB jetzt auch digital!Einfach
    hier klicken", "the hearing.At current rates". A word of three letters or more ending in
    . ! or ? and followed by a capitalised word is taken to be that; shorter words are
    abbreviations ("St.Gallen", "Dr.Meinhard"), and web addresses are left as they are.
    """
    return _GLUED_SENTENCES.sub(_sentence_apart, text) if _SENTENCE_PUNCTUATION.search(text) else text


def _sentence_apart(match: re.Match[str]) -> str:
    word, end, capital, after = match.groups()
    if word.lower() == "www" or not capital.isupper() or after.isupper():
        return match.group(0)
    return f"{word}{end} {capital}"


def _with_section_headings(body: ExtractedBody, page: _Page) -> ExtractedBody:
    """``body`` with the page's h2-h4 headings it lacks, each before the paragraph that follows it
    on the page when the body has that paragraph (not the first: a heading before it belongs to
    the page header): subheadings inside the article, which precision mode can drop."""
    page_headings = list(page.tree.iter("h2", "h3", "h4"))
    if not page_headings:
        return body
    paragraphs = body.text.split("\n\n")
    starts = _positions_by_start(paragraphs)
    before: dict[int, list[str]] = {}
    for heading in page_headings:
        text = _WHITESPACE.sub(" ", heading.text_content()).strip()
        following = heading.getnext()
        key = _start_key(text)
        if not key or len(text) > 200 or key in starts or comparison_key(text) in page.title_keys or following is None:
            continue
        index = starts.get(_start_key(leading_text(following, _START_CHARS)))
        if index:
            before.setdefault(index, []).append(text)
            starts[key] = index
    if not before:
        return body
    merged = [line for i, p in enumerate(paragraphs) for line in (*before.get(i, []), p)]
    headings = [*body.headings, *(h for added in before.values() for h in added)]
    return ExtractedBody("\n\n".join(merged), headings, body.extractor)


def _with_lists_between(body: ExtractedBody, page: _Page) -> ExtractedBody:
    """``body`` with the lists and tables of the page it lacks that stand between two of its
    paragraphs that follow each other (ingredients, event details, key facts inside the story,
    which precision mode can drop); not lists that are mostly links (menus, teasers)."""
    paragraphs = body.text.split("\n\n")
    starts = _positions_by_start(paragraphs)
    after: dict[int, list[str]] = {}
    for block in page.tree.iter("ul", "ol", "dl", "table"):
        before, following = block.getprevious(), block.getnext()
        if before is None or following is None:
            continue
        index = starts.get(_start_key(leading_text(before, _START_CHARS)))
        if index is None or starts.get(_start_key(leading_text(following, _START_CHARS))) != index + 1:
            continue
        lines = [line for line in _block_lines(block) if line]
        text = "\n".join(lines)
        linked = sum(len(link.text_content()) for link in block.iter("a"))
        is_list = len(lines) >= 2 and max(map(len, lines)) <= MAX_LIST_LINE_CHARS  # not a layout table
        if is_list and linked < len(text) / 2 and _start_key(text) not in starts:
            after.setdefault(index, []).append(text)
    if not after:
        return body
    merged = [line for i, p in enumerate(paragraphs) for line in (p, *after.get(i, []))]
    return ExtractedBody("\n\n".join(merged), body.headings, body.extractor)


def _block_lines(block: lxml.html.HtmlElement) -> list[str]:
    """The lines of a list or table: its items, terms and definitions, or rows (cells joined by " | ")."""
    if block.tag == "table":
        return [" | ".join(filter(None, map(_visible_text, row.iter("td", "th")))) for row in block.iter("tr")]
    return [_visible_text(child) for child in block if child.tag in ("li", "dt", "dd")]


def _visible_text(element: lxml.html.HtmlElement) -> str:
    return _WHITESPACE.sub(" ", "".join(_VISIBLE_TEXT(element))).strip()


def _positions_by_start(paragraphs: list[str]) -> dict[str, int]:
    """Each paragraph's _start_key -> its position; the first paragraph wins a key two share."""
    return {_start_key(p): i for i, p in reversed(list(enumerate(paragraphs)))}


def _start_key(text: str) -> str:
    """The first 60 letters and digits of a paragraph, lower-cased, to find it again."""
    return comparison_key(text[:_START_CHARS])[:60]


def _readable_tree(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """``tree``, or a copy of it (the caller's tree stays as it was) with what a reader sees in
    place of what the extractors would read wrong:

    - the <noscript> of the article body unwrapped when it holds text: a page that renders its
      article with a script (Blogger's ``<script type="text/template">`` in the
      ``itemprop=articleBody`` element) gives readers without scripts the same HTML there, and
      every extractor drops noscripts. Script text itself is never read;
    - hover cards dropped: a span inside a paragraph made of three links or more and little
      else (a person's card of article links, shown on hover), which extractors glue into the
      sentence ("Ilhan OmarIlhan OmarHillicon Valley: ...");
    - dialogs dropped (see _dialogs): a video page's login forms were its "article".
    """
    noscripts = [n for n in _article_noscripts(tree) if len(n.text_content().strip()) >= MIN_BODY_CHARS]
    if not noscripts and not _link_cards(tree) and not _dialogs(tree):
        return tree
    tree = copy.deepcopy(tree)
    for dialog in _dialogs(tree):
        if dialog.getparent() is not None:
            dialog.drop_tree()
    if noscripts:
        for noscript in _article_noscripts(tree):
            noscript.drop_tag()
    for card in _link_cards(tree):
        card.drop_tree()  # its tail, the rest of the sentence, stays
    return tree


# Dialogs' marks, as attributes (a third cheaper than testing each element for four marks):
# <dialog>, role=dialog or alertdialog, aria-modal, or a class word that is or ends in "modal".
_DIALOG_MARKS = etree.XPath(
    f"{BODY}//dialog | {BODY}//@class[contains(., 'modal')] | {BODY}//@role[. = 'dialog' or . = 'alertdialog']"
    f" | {BODY}//@aria-modal[. = 'true']"
)


def _dialogs(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The page's dialogs (login and sign-up forms, notices, pop-ups): no part of the article,
    whatever an extractor makes of their text."""
    dialogs = []
    for mark in _DIALOG_MARKS(tree):
        if isinstance(mark, etree._ElementUnicodeResult):  # an attribute's value, which knows its element
            element = mark.getparent()
            if mark.attrname == "class" and not any(
                word == "modal" or word.endswith("-modal") for word in mark.lower().split()
            ):
                continue
        else:
            element = mark
        if element.find(".//h1") is None and element.find(".//article") is None:  # not an article shown in an overlay
            dialogs.append(element)
    return dialogs


def _link_cards(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Innermost spans in a paragraph with LINK_CARD_LINKS links or more, that are links for
    LINK_CARD_SHARE or more of their text (see _readable_tree)."""
    cards = []
    for span in _LINKED_SPANS(tree):
        text = span.text_content().strip()
        linked = sum(len(link.text_content().strip()) for link in span.iter("a"))
        if text and linked >= LINK_CARD_SHARE * len(text) and not _LINKED_SPANS_INSIDE(span):
            cards.append(span)
    return cards


def _article_noscripts(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The <noscript> elements inside an itemprop=articleBody element (found from the few
    noscripts up: an XPath over every element's attributes costs three times as much)."""
    return [
        noscript
        for noscript in tree.iter("noscript")
        if any(ancestor.get("itemprop") == "articleBody" for ancestor in noscript.iterancestors())
    ]


def _from_readability(page: _Page) -> ExtractedBody:
    """readability-lxml's article (see tasks.extract.readability_paragraphs), without the page title."""
    paragraphs = [p for p in _readability(page) if comparison_key(p) not in page.title_keys]
    return ExtractedBody("\n\n".join(paragraphs), [], "readability")


def _with_readability_prose(body: ExtractedBody, page: _Page) -> ExtractedBody:
    """``body`` plus the prose paragraphs that only readability found, where readability has them.

    Each added paragraph goes after the last paragraph both extractors share that precedes it
    in readability's order (before everything when none does).
    """
    ours = body.text.split("\n\n")
    shingles = cache(partial(_shingles, body.text))  # most pages never need them
    if not _has_missed_prose(page, body.text, shingles):
        return body
    found = _readability(page)
    teasers = _teasers(found)
    agreement = _containment(shingles(), _shingles("\n\n".join(found)))
    # A list of teasers is no article, however much prose it holds: it never outvotes.
    if not teasers and agreement < DISAGREEMENT and _prose_words(found) > 2 * _prose_words(ours):
        # Different texts: the one with more prose is the article, with the prose trafilatura
        # alone found (the lead above readability's container).
        readability = _from_readability(page)
        merged = _merged(
            readability.text, cache(partial(_shingles, readability.text)), _lead(ours, readability.text, page)
        )
        return ExtractedBody("\n\n".join(merged), [], "readability") if merged else readability
    if agreement < MIN_AGREEMENT:
        return body
    merged = _merged(body.text, shingles, [paragraph for paragraph in found if paragraph not in teasers])
    return ExtractedBody("\n\n".join(merged), body.headings, "trafilatura+readability") if merged else body


def _teasers(paragraphs: list[str]) -> frozenset[str]:
    """The prose ``paragraphs`` cut short with an ellipsis, when they make a list of teasers (see
    MIN_TEASERS); none otherwise, as an article may end a paragraph or two that way."""
    prose = [paragraph for paragraph in paragraphs if _is_prose(paragraph)]
    cut_short = [paragraph for paragraph in prose if _CUT_SHORT.search(paragraph)]
    if len(cut_short) >= MIN_TEASERS and len(cut_short) >= MIN_TEASER_SHARE * len(prose):
        return frozenset(cut_short)
    return frozenset()


def _lead(paragraphs: list[str], text: str, page: _Page) -> list[str]:
    """The ``paragraphs`` that stand on the page before ``text`` starts."""
    page_text = _WHITESPACE.sub(" ", " ".join(_VISIBLE_TEXT(page.tree)))
    start = page_text.find(_WHITESPACE.sub(" ", text[:80]).strip())
    if start < 0:
        return []
    return [p for p in paragraphs if 0 <= page_text.find(_WHITESPACE.sub(" ", p[:80]).strip()) < start]


def _merged(text: str, text_shingles: Callable[[], Counter[tuple[str, ...]]], found: list[str]) -> list[str] | None:
    """The paragraphs of ``text`` (whose shingles ``text_shingles`` gives) plus the prose
    paragraphs of ``found`` that ``text`` lacks (see _lacks_prose), or None when there are none.

    Each added paragraph goes after the last paragraph both share that precedes it in ``found``'s
    order (before everything when none does).
    """
    ours = text.split("\n\n")
    shared = {comparison_key(p) for p in ours}
    inserted_after: dict[str | None, list[str]] = {}
    anchor: str | None = None
    seen: set[str] = set()
    for paragraph in found:
        key = comparison_key(paragraph)
        if key in shared:
            anchor = key
        elif key not in seen and _lacks_prose(text, text_shingles, paragraph):
            inserted_after.setdefault(anchor, []).append(paragraph)
        seen.add(key)
    if not inserted_after:
        return None
    merged = list(inserted_after.pop(None, []))
    for paragraph in ours:
        merged.append(paragraph)
        merged.extend(inserted_after.pop(comparison_key(paragraph), []))
    return merged


def _has_missed_prose(page: _Page, text: str, text_shingles: Callable[[], Counter[tuple[str, ...]]]) -> bool:
    """Whether the page has a paragraph of prose length that trafilatura's ``text`` (whose
    shingles ``text_shingles`` gives) lacks, outside what readability drops before reading a page
    (comment sections, footers, hidden elements).

    Without one, readability can add nothing (it adds only such paragraphs) and cannot outvote
    trafilatura (that takes twice trafilatura's prose), so the page is spared its cost: it reads
    about as long as trafilatura itself, and few pages need it (on the article-extraction
    benchmark, 51 of 181; 77 when paragraphs readability drops counted too, with the same output).
    """
    return any(_lacks_prose(text, text_shingles, paragraph) for paragraph in page_paragraphs(page.tree))


def _lacks_prose(text: str, text_shingles: Callable[[], Counter[tuple[str, ...]]], paragraph: str) -> bool:
    """Whether ``paragraph`` is prose that ``text`` (whose shingles ``text_shingles`` gives) lacks:
    half its shingles or more are not in the text's.

    A paragraph found whole in ``text`` lacks none of its shingles but the first and the last
    (whose end words may run into the text around it): at MIN_PROSE_WORDS words or more, far
    from half of them. That is nine prose paragraphs in ten on the benchmark pages, and most
    pages then need no shingles at all.
    """
    return paragraph not in text and _is_prose(paragraph) and _containment(_shingles(paragraph), text_shingles()) < 0.5


def _readability(page: _Page) -> list[str]:
    """readability's paragraphs of the page, computed once per page."""
    if page.readability is None:
        page.readability = readability_paragraphs(page.tree)
    return page.readability


def _prose_words(paragraphs: list[str]) -> int:
    return sum(len(_WORD.findall(p)) for p in paragraphs if _is_prose(p))


def _is_prose(paragraph: str) -> bool:
    return len(_WORD.findall(paragraph)) >= MIN_PROSE_WORDS and bool(_SENTENCE_END.search(paragraph))


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    """Runs of four words (one run for shorter texts), as a multiset."""
    words = _WORD.findall(text.casefold())
    if len(words) < _SHINGLE_WORDS:
        return Counter([tuple(words)] if words else [])
    return Counter(tuple(words[i : i + _SHINGLE_WORDS]) for i in range(len(words) - _SHINGLE_WORDS + 1))


def _containment(part: Counter[tuple[str, ...]], whole: Counter[tuple[str, ...]]) -> float:
    """Share of ``part``'s shingles that ``whole`` also has."""
    total = sum(part.values())
    return sum((part & whole).values()) / total if total else 0.0


def _from_trafilatura(page: _Page) -> ExtractedBody:
    """trafilatura's main content (precision mode, comments excluded) as paragraphs and headings.

    Without trafilatura's own fallbacks (fast): its readability and jusText passes nearly double
    its time, and the readability vote (_with_readability_prose) does their work. Measured on
    the article-extraction benchmark, F1 0.976 -> 0.973 (one page of 181 worse), 1.8x faster.
    """
    document = bare_extraction(
        page.tree,  # trafilatura copies a tree it is given, so the page stays intact
        url=page.url,
        # A forum thread's replies are its content: precision mode keeps the first post only;
        # balanced mode with its fallbacks reads the others (its recall retry for a text that
        # covers little of the page).
        fast=not page.discussion,
        favor_precision=not page.discussion,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=False,
        prune_xpath=_not_article_boxes(page.tree),
    )
    # Without as_dict, bare_extraction gives a Document or None, never a dict.
    if not isinstance(document, Document) or document.body is None:
        return ExtractedBody("", [], "trafilatura")
    paragraphs: list[str] = []
    headings: list[str] = []
    for line_break in document.body.iter("lb"):
        line_break.text = "\n"
    for segment in _segments(document.body):
        if segment.is_heading and comparison_key(segment.text) in page.title_keys:
            continue
        paragraphs.append(segment.text)
        if segment.level in _HEADING_LEVELS:
            headings.append(segment.text)
    return ExtractedBody("\n\n".join(paragraphs), headings, "trafilatura")


def _not_article_boxes(tree: lxml.html.HtmlElement) -> str | None:
    """An XPath selecting the boxes that are not the article (see BOX_MAX_CHARS) in ``tree``
    or a copy of it, in document order; None when no class or id names one."""
    selections = []
    for attribute, body_names in _BODY_NAMES.items():
        values = body_names(tree)
        if _BOX_NAMES.search("\n".join(values)) is None:  # most pages: one search, no box
            continue
        positions = " or ".join(f"position() = {k}" for k, value in enumerate(values, 1) if _BOX_NAMES.search(value))
        selections.append(f"({BODY}/descendant::*[@{attribute}])[{positions}][string-length(.) < {BOX_MAX_CHARS}]")
    return " | ".join(selections) or None


def _segments(container: etree._Element) -> Iterator[_Segment]:
    """Yield the paragraphs of trafilatura's output tree in reading order.

    Blocks (p, head, list, table, ...) are paragraphs; wrappers that hold blocks (a div, a quote
    of several paragraphs) are descended into; loose text and inline elements between blocks
    form paragraphs of their own.
    """
    loose = [container.text or ""]
    for child in container:
        if child.tag not in _LEAF_BLOCK_TAGS and next(child.iterdescendants(*_BLOCK_TAGS), None) is not None:
            yield from _loose_segment(loose)
            yield from _segments(child)
            loose = []
        elif child.tag in _BLOCK_TAGS:
            yield from _loose_segment(loose)
            text = _block_text(child)
            if text:
                is_heading = child.tag == "head"
                yield _Segment(text, is_heading, child.get("rend") if is_heading else None)
            loose = []
        else:
            loose.append("".join(child.itertext()))
        loose.append(child.tail or "")
    yield from _loose_segment(loose)


def _loose_segment(pieces: list[str]) -> Iterator[_Segment]:
    """Yield the text collected between two blocks as a paragraph, if it is not blank."""
    text = _normalise_inline("".join(pieces))
    if text:
        yield _Segment(text, False, None)


def _block_text(block: etree._Element) -> str:
    """Text of one block: list items and table rows on their own lines, cells joined by " | "."""
    if block.tag == "list":
        lines = [_inline_text(item) for item in block.iter("item")]
    elif block.tag == "table":
        lines = [" | ".join(_inline_text(cell) for cell in row.iter("cell")) for row in block.iter("row")]
    else:
        lines = [_inline_text(block)]
    return "\n".join(line for line in lines if line)


def _inline_text(element: etree._Element) -> str:
    """All text inside ``element``, normalised by _normalise_inline."""
    return _normalise_inline("".join(element.itertext()))


def _normalise_inline(text: str) -> str:
    """Collapse runs of spaces, keep line breaks (from <br>) and trim."""
    return _SPACES_AROUND_NEWLINE.sub("\n", _SPACES.sub(" ", text)).strip()


def _from_jsonld(page: _Page) -> ExtractedBody:
    """The ``articleBody`` of the page's JSON-LD article, one paragraph per line of it."""
    for article in page.articles:
        body = article.get("articleBody")
        if isinstance(body, str) and body.strip():
            # Some sites put HTML in articleBody although schema.org defines it as text.
            paragraphs = _markup_paragraphs(body) if _MARKUP.search(body) else _PARAGRAPH_BREAK.split(body)
            return ExtractedBody(_join_paragraphs(paragraphs), [], "jsonld")
    return ExtractedBody("", [], "jsonld")


def _markup_paragraphs(markup: str) -> list[str]:
    """Paragraph texts of an HTML fragment: its <p>s, or its whole visible text if it has none."""
    fragment = parse_html(f"<div>{markup}</div>")
    if fragment is None:
        return []
    paragraphs = _paragraph_texts(fragment)
    return paragraphs or ["".join(_VISIBLE_TEXT(fragment))]


def _from_paragraphs(page: _Page) -> ExtractedBody:
    """The visible text of the page's <p> elements outside menus, footers, sidebars and comments."""
    return ExtractedBody(_join_paragraphs(_paragraph_texts(page.tree)), [], "fallback")


def _from_page_prose(page: _Page) -> ExtractedBody:
    """The page's paragraphs of prose, wherever they stand, read as readability reads a page
    (see page_paragraphs): the article of a page that sets it in <div>s and <br>s rather than
    <p>s, where every other extractor found less than MIN_BODY_CHARS."""
    return ExtractedBody("\n\n".join(p for p in page_paragraphs(page.tree) if _is_prose(p)), [], "fallback")


def _paragraph_texts(root: lxml.html.HtmlElement) -> list[str]:
    """Visible text of each content <p> under ``root``."""
    return ["".join(_VISIBLE_TEXT(paragraph)) for paragraph in _CONTENT_PARAGRAPHS(root)]


def _join_paragraphs(paragraphs: list[str]) -> str:
    """Whitespace-collapsed, non-empty paragraphs joined by blank lines."""
    cleaned = (_WHITESPACE.sub(" ", paragraph).strip() for paragraph in paragraphs)
    return "\n\n".join(paragraph for paragraph in cleaned if paragraph)


def _title_keys(tree: lxml.html.HtmlElement, articles: list[dict[str, Any]]) -> frozenset[str]:
    """Normalised forms of the page title: <title> and its parts, og:title, JSON-LD headline."""
    titles = [tree.findtext(".//title") or "", *_OG_TITLE(tree)]
    titles += [unescape(article["headline"]) for article in articles if isinstance(article.get("headline"), str)]
    keys = {comparison_key(part) for title in titles for part in [title, *TITLE_SEPARATOR.split(title)]}
    return frozenset(keys - {""})

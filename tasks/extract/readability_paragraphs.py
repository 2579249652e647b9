"""The article text that readability-lxml (arc90's algorithm, 0.9) finds in a parsed page.

readability scores containers by their text and merges sibling containers of the article,
so it catches bodies split into several blocks (a story interrupted by ad slots), which
trafilatura, taking one main container, can cut short. Its weak spot is the other way round:
image captions, credits and related-story teasers inside the chosen container. Those are
dropped here before the text is read, by element name and by class/id words.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

import lxml.html
from lxml import etree
from lxml.etree import tounicode
from lxml.html import fragment_fromstring
from lxml_html_clean import Cleaner
from readability import Document
from readability.readability import REGEXES, Unparseable

from tasks.extract.html_page import parse_html

# Block elements start a new paragraph; a <br> starts a new line.
_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "footer",
        "li",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tr",
        "ul",
    }
)
_DROPPED_TAGS = ("script", "style", "noscript", "template", "figure", "figcaption", "aside", "nav", "button")
# Class and id words are matched in lower case, against lower-cased names: case-insensitive
# matching of these alternations costs six times as much, and every element of a page is checked.
# Boxes inside an article's container that are not the article, by the class or id words themes
# give them: the author's bio, the post's filing line ("Posted in ... tagged ..."), a newsletter
# sign-up.
NOT_ARTICLE_BOXES = (
    "author-bio",
    "author-box",
    "authorbox",
    "author-info",
    "author-description",
    "about-author",
    "about-the-author",
    "postmetadata",
    "entry-meta",
    "newsletter",
)
_NOT_ARTICLE_CLASS = re.compile(
    "|".join(("caption|credit|related|share|sharing|promo|subscribe|social|byline|advert", *NOT_ARTICLE_BOXES))
)
_UNLIKELY_CANDIDATE = re.compile(REGEXES["unlikelyCandidatesRe"].pattern)
_MAYBE_CANDIDATE = re.compile(REGEXES["okMaybeItsACandidateRe"].pattern)
# "<" and the name of a block element, in a div's markup: a div without one is a paragraph.
_BLOCK_MARKUP = REGEXES["divToPElementsRe"]
# The inline elements readability gathers into a paragraph with a div's loose text.
_INLINE_TAGS = frozenset({"a", "b", "cite", "code", "em", "font", "i", "small", "span", "strong", "sub", "sup", "u"})
# The only elements an is_dropped rule can drop (each reads the class, the id, `hidden` or the
# style): the other elements, about 40 % of a page's, are not checked one by one in Python.
_MAY_BE_DROPPED = etree.XPath("descendant::*[@class or @id or @hidden or @style]")
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_WHITESPACE = re.compile(r"\s+")


# readability's own cleaner, but for the javascript option: that one also rewrites every link
# of the page (to strip javascript: URLs), a good part of readability's time, and only the
# text is read here. Scripts, styles and comments still go.
_CLEANER = Cleaner(
    scripts=True,
    javascript=False,
    comments=True,
    style=True,
    links=True,
    meta=False,
    add_nofollow=False,
    page_structure=False,
    processing_instructions=True,
    embedded=False,
    frames=False,
    forms=False,
    annoying_tags=False,
    remove_tags=(),
    remove_unknown_tags=False,
    safe_attrs_only=False,
)


class _TextDocument(Document):
    """readability's Document for a parsed tree, cleaned by _CLEANER and with links left as they
    are; its first pass drops unlikely candidates by readability's own rule, a quarter faster."""

    def _parse(self, input: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
        # A copy on each call: readability reads the page again when its first pass dropped too
        # much, and the caller's tree stays as it is. The cleaner cleans the copy in place (its
        # clean_html would copy the tree once more).
        self.encoding = "utf-8"
        document = copy.deepcopy(input)
        for element in document.xpath("//*[@hidden or @style]"):
            if _is_hidden(element):
                element.drop_tree()
        _CLEANER(document)
        return document

    def remove_unlikely_candidates(self) -> None:
        # readability's loop matches every element case-insensitively and formats a debug message
        # for each one it drops, logged or not: a quarter of readability's time on news pages.
        _drop_where(self.html, _is_unlikely_candidate)

    def transform_misused_divs_into_paragraphs(self) -> None:
        # readability's (0.9), but for how its first loop finds the divs that hold a block
        # element: it serialised each div's children and searched the markup, every element once
        # for each div above it (3.7 ms a parsed benchmark page); _holding_blocks looks at each
        # element once (0.6 ms). The second loop, which puts a div's loose text and runs of inline
        # children into paragraphs of their own, is readability's as it is.
        holding = _holding_blocks(self.html)
        for div in self.html.findall(".//div"):
            if div not in holding:
                div.tag = "p"
        for div in self.html.findall(".//div"):
            children = list(div)
            paragraph = None
            if div.text and div.text.strip():
                paragraph = fragment_fromstring("<p/>")
                paragraph.text = div.text
                div.text = None
                div.insert(0, paragraph)
            for child in children:
                if child.tag not in _INLINE_TAGS or _BLOCK_MARKUP.search(tounicode(child, method="html")):
                    paragraph = None
                    continue
                if paragraph is None:
                    paragraph = fragment_fromstring("<p/>")
                    child.addprevious(paragraph)
                paragraph.append(child)
            for position, child in reversed(list(enumerate(div))):
                if child.tail and child.tail.strip():
                    tail = fragment_fromstring("<p/>")
                    tail.text = child.tail
                    child.tail = None
                    div.insert(position + 1, tail)
                if child.tag == "br":
                    child.drop_tree()


def _holding_blocks(root: lxml.html.HtmlElement) -> set[lxml.html.HtmlElement]:
    """The elements under ``root`` with a block element below them, as readability's first loop
    tells one: a descendant whose markup starts with _BLOCK_MARKUP."""
    holding: set[lxml.html.HtmlElement] = set()
    for element in root.iter():
        if isinstance(element.tag, str) and _BLOCK_MARKUP.match(f"<{element.tag}"):
            for ancestor in element.iterancestors():
                if ancestor in holding:
                    break  # and so are the ones above it
                holding.add(ancestor)
    return holding


def _drop_where(root: lxml.html.HtmlElement, is_dropped: Callable[[lxml.html.HtmlElement, str], bool]) -> None:
    """Drop the elements under ``root`` that ``is_dropped`` (given the element and its class and
    id, from _names) says to, in document order; it must drop only elements with a class, an id,
    `hidden` or a style."""
    gone: set[lxml.html.HtmlElement] = set()  # dropped, or inside an element that was
    for element in _MAY_BE_DROPPED(root):
        if element.getparent() in gone:
            gone.add(element)  # out with its parent: no need to check it
        elif is_dropped(element, _names(element)):
            gone.add(element)
            element.drop_tree()


def _is_hidden(element: lxml.html.HtmlElement) -> bool:
    """Hidden the ways readability (and so _TextDocument._parse) drops before reading a page."""
    return element.get("hidden") is not None or bool(REGEXES["displayNoneRe"].search(element.get("style") or ""))


def _names(element: lxml.html.HtmlElement) -> str:
    """The element's class and id, lower-cased, as the class and id rules read them."""
    return f"{element.get('class', '')} {element.get('id', '')}".lower()


def _is_unlikely_candidate(element: lxml.html.HtmlElement, names: str) -> bool:
    """Whether readability's first, ruthless pass drops ``element`` (``names`` from _names)
    before scoring: readability's rule, for the gate and for _TextDocument."""
    return (
        _UNLIKELY_CANDIDATE.search(names) is not None
        and _MAYBE_CANDIDATE.search(names) is None
        and element.tag not in ("html", "body", "pre", "code")
        and next(element.iterancestors("pre", "code"), None) is None
        and next(element.iter("main", "article", "math"), None) is None
    )


def readability_paragraphs(tree: lxml.html.HtmlElement) -> list[str]:
    """The paragraphs of the article readability finds in ``tree`` (left unchanged), in order."""
    try:
        summary = _TextDocument(tree).summary(html_partial=True)
    except (Unparseable, etree.LxmlError, ValueError, RecursionError):
        return []
    fragment = parse_html(summary)
    if fragment is None:
        return []
    body = fragment.find("body")
    return _paragraphs(body if body is not None else fragment, _is_not_article)


def page_paragraphs(tree: lxml.html.HtmlElement) -> list[str]:
    """Every paragraph of the page (left unchanged) that readability could return: read by the
    rules readability's are read by, without what readability drops before it scores the page
    (hidden elements, and unlikely candidates such as comments, footers and sidebars).

    readability reads the page again without dropping unlikely candidates only when its first
    pass finds under 250 characters; a page whose main text trafilatura found rarely does that.
    """
    body = tree.find("body")
    return _paragraphs(copy.deepcopy(body if body is not None else tree), _is_not_readable)


def _is_not_article(element: lxml.html.HtmlElement, names: str) -> bool:
    return _NOT_ARTICLE_CLASS.search(names) is not None


def _is_not_readable(element: lxml.html.HtmlElement, names: str) -> bool:
    return _is_not_article(element, names) or _is_hidden(element) or _is_unlikely_candidate(element, names)


def _paragraphs(root: lxml.html.HtmlElement, is_dropped: Callable[[lxml.html.HtmlElement, str], bool]) -> list[str]:
    """The text paragraphs under ``root`` (which is changed), without the _DROPPED_TAGS and the
    elements ``is_dropped`` says to leave out (see _drop_where)."""
    for element in list(root.iter(*_DROPPED_TAGS)):
        element.drop_tree()
    _drop_where(root, is_dropped)
    for element in root.iter("br", "td", "th", *_BLOCK_TAGS):
        if element.tag == "br":
            element.tail = "\n" + (element.tail or "")
        elif element.tag in _BLOCK_TAGS:
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
        elif element.tag in ("td", "th"):
            element.tail = " | " + (element.tail or "")
    text = root.text_content()
    paragraphs = (_WHITESPACE.sub(" ", part).strip() for part in _PARAGRAPH_BREAK.split(text))
    return [paragraph for paragraph in paragraphs if paragraph]

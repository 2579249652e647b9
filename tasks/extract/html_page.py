"""The parsed HTML page that every reader of the clean stage shares, and how it is parsed.

The HTML is untrusted: it is parsed with a non-networking lxml parser, without lxml's huge-tree
mode (which lifts libxml2's limits on depth and text size), and nothing in it is ever fetched.
"""

from __future__ import annotations

import re
from itertools import islice
from typing import TypeAlias

import lxml.html
from lxml import etree

# A page as parse_html gives it: its tree, or None for an empty document. Parsing is a good
# part of a page's cost, so the clean stage parses once and hands the tree to each reader.
Page: TypeAlias = lxml.html.HtmlElement | None

# No network, no comments or processing instructions in the tree; bytes are always passed as
# UTF-8 so a stray <?xml encoding=...?> or <meta charset> in the string cannot re-decode it.
_PARSER = lxml.html.HTMLParser(
    no_network=True,
    remove_comments=True,
    remove_pis=True,
    collect_ids=False,
    huge_tree=False,
    encoding="utf-8",
)
# Every element gets lxml.html's HtmlElement class, chosen in C. lxml.html's own lookup calls a
# Python method each time an element is first touched (thousands a page, in our readers, in
# trafilatura and readability, which read copies of this tree) only to give form fields their
# own classes, whose methods nothing here uses: about 0.5 ms a page.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)

# The <body> of a parse_html tree, for XPaths: there is one, under the <html> root. "//body" would
# walk every node of the page to find it first, once for each part of an XPath that starts so.
BODY = "/html/body"

# Characters XML forbids, which lxml refuses in any text set on an element (and readers of the
# page rewrite element text): C0 controls but tab, newline and carriage return, and U+FFFE/FFFF.
# The ones Python counts as whitespace become a space, as normalize_text would make them; lone
# surrogates are replaced when the text is encoded.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_FORBIDDEN_SPACE = re.compile("[\x0b\x0c\x1c-\x1f]")
# The C0 controls among them, read off _XML_FORBIDDEN so the two agree, as UTF-8 bytes (one byte
# each, never part of another character): bytes.translate finds them in a page's bytes in a
# twentieth of the time a search of the text takes (0.05 against 0.8 ms a 170 KB page), and `in`
# finds U+FFFE and U+FFFF at once in a text too narrow to hold them.
_XML_FORBIDDEN_BYTES = bytes(c for c in range(0x20) if _XML_FORBIDDEN.match(chr(c)))


def parse_html(html: str) -> Page:
    """Parse untrusted HTML without network access; None for an empty document.

    Characters XML forbids are taken out of the text first (see _XML_FORBIDDEN).
    """
    if not html or not html.strip():
        return None
    data = html.encode("utf-8", errors="replace")
    if len(data.translate(None, _XML_FORBIDDEN_BYTES)) != len(data) or "\ufffe" in html or "\uffff" in html:
        data = _XML_FORBIDDEN.sub("", _XML_FORBIDDEN_SPACE.sub(" ", html)).encode("utf-8", errors="replace")
    try:
        return lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.LxmlError, ValueError):
        return None


def page_tree(page: str | Page) -> Page:
    """The tree of a page given as text or already parsed (None: an empty document)."""
    return parse_html(page) if isinstance(page, str) else page


# Page regions whose dates and names belong to something else: menus, related-article rails,
# teasers, reader comments, infoboxes, and the site footer (a <footer> inside <article> holds
# the byline). Class words other than "comment" and "related" must start a class name
# ("sidebar-left", not "content-sidebar-wrap", the wrapper of many a whole page).
_CHROME_TAGS = frozenset({"nav", "aside"})
_ARTICLE_FOOTER_CLASS = re.compile(r"(?:^|\s)(?:article|entry|post)[-_]footer(?:\s|$)")
_CHROME_CLASS_STARTS = (
    "teaser",
    "Teaser",
    "recommend",
    "sidebar",
    "widget",
    "popular",
    "trending",
    "promo",
    "listPosts",
    "carousel",
    "infobox",
)


def in_page_chrome(element: lxml.html.HtmlElement, article: lxml.html.HtmlElement | None = None) -> bool:
    """True when the element lies in a menu, a sidebar, a teaser list, a comment section, an
    infobox or the site footer (see _CHROME_CLASS_STARTS; a region classed so that holds an <h1>
    wraps the article itself); checked in Python, element by element, so a reader stops at the
    first element it keeps. An <aside> inside ``article`` (the <article> of the headline) is the
    column beside its text that holds its byline and date, not a sidebar."""
    node: lxml.html.HtmlElement | None = element
    while node is not None and node.tag not in ("body", "html"):  # their classes describe the layout
        in_article_column = node.tag == "aside" and article is not None and inside(node, article)
        if not in_article_column and (
            node.tag in _CHROME_TAGS or (node.tag == "footer" and not is_article_footer(node))
        ):
            return True
        classes = node.get("class") or ""
        if "comment" in classes or "related" in classes or "comment" in (node.get("id") or ""):
            return True
        if (
            classes
            and any(word.startswith(_CHROME_CLASS_STARTS) for word in classes.split())
            and node.find(".//h1") is None  # the page's layout ("sidebar-included", Blogger's "widget Blog")
            and not _right_under_h1(node)
        ):
            return True
        node = node.getparent()
    return False


def _right_under_h1(node: lxml.html.HtmlElement) -> bool:
    """True when ``node`` comes right after an <h1>, its previous sibling: the headline's own meta
    block, whatever component class the site reuses for it ("teaser-small__metadata" holding the
    byline under the h1 on cicero.de); teaser lists, sidebars and infoboxes sit further off."""
    previous = next(node.itersiblings(etree.Element, preceding=True), None)  # past comments between them
    return previous is not None and previous.tag == "h1"


def enclosing_article(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The nearest <article> around ``element``, or None."""
    return next(element.iterancestors("article"), None)


def is_article_footer(footer: lxml.html.HtmlElement) -> bool:
    """True for the <footer> of an article (inside its <article>, or classed as its footer),
    where a blog signs and files a post; other footers are the site's."""
    return enclosing_article(footer) is not None or is_classed_article_footer(footer)


def is_classed_article_footer(footer: lxml.html.HtmlElement) -> bool:
    """True for a footer classed "article-footer", "entry-footer" or "post-footer"."""
    return bool(_ARTICLE_FOOTER_CLASS.search(footer.get("class") or ""))


def inside(element: lxml.html.HtmlElement, container: lxml.html.HtmlElement) -> bool:
    """True when ``element`` is a descendant of ``container``."""
    return any(ancestor is container for ancestor in element.iterancestors())


# Elements a browser lays out within a line of text.
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span strong sub sup time u var".split()
)


def inside_a_sentence(element: lxml.html.HtmlElement) -> bool:
    """True for an inline element with a word of its line's text right before it and a word in
    lower case right after it: "blickt sie am <strong>Mittwoch, 13.10.2021</strong> auf 50 Jahre
    zurück" marks a phrase of a sentence, not a line of its own (a dateline after "By Jane Doe |"
    or before "– Berlin" is one)."""
    parent = element.getparent()
    if element.tag not in _INLINE_TAGS or parent is None:
        return False
    previous = element.getprevious()
    if previous is None:
        before = parent.text or ""
    else:  # a comment has no text content, only its tail
        before = (previous.text_content() if isinstance(previous.tag, str) else "") + (previous.tail or "")
    before = before.rstrip()
    after = (element.tail or "").lstrip()
    return bool(before) and before[-1].isalpha() and bool(after) and after[0].islower()


def _is_styled_letter(element: lxml.html.HtmlElement) -> bool:
    """True for an inline element holding one letter and nothing else."""
    text = element.text
    return element.tag in _INLINE_TAGS and text is not None and len(text) == 1 and not len(element)


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_HIDDEN_CLASSES = frozenset(
    {"hidden", "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "d-none", "hide"}
)


def is_hidden(element: lxml.html.HtmlElement) -> bool:
    """True when the element or one of its ancestors is hidden from readers (see hides_itself)."""
    node: lxml.html.HtmlElement | None = element
    while node is not None:
        if hides_itself(node):
            return True
        node = node.getparent()
    return False


def hides_itself(element: lxml.html.HtmlElement) -> bool:
    """True when the element's own attributes hide it: display:none, visibility:hidden, the
    hidden attribute, aria-hidden, or a hiding class."""
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
        or not _HIDDEN_CLASSES.isdisjoint((element.get("class") or "").split())
    )


_NO_TEXT_TAGS = frozenset({"script", "style", "template"})


def spaced_text(element: lxml.html.HtmlElement) -> str:
    """The element's text with a space between the texts of its children, whitespace collapsed
    (text_content() glues "<span>By</span><a>Jane</a>" into "ByJane"); but a letter an inline
    element styles on its own stays in its word, as a browser shows it ("Molly
    Woo<span class=last-letter-spacing>d</span>"; a longer piece may be spaced by CSS)."""
    pieces: list[str] = []

    def add(text: str | None, beside_styled_letter: bool) -> None:
        if not text:
            return
        if beside_styled_letter and pieces and pieces[-1][-1:].islower() and text[:1].islower():
            pieces[-1] += text
        else:
            pieces.append(text)

    add(element.text, False)
    # iterative, not recursive: a page may nest elements thousands deep
    stack = [(element, iter(element))]
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if stack:
                add(node.tail, _is_styled_letter(node))
        elif isinstance(child.tag, str) and child.tag not in _NO_TEXT_TAGS:
            add(child.text, _is_styled_letter(child))
            stack.append((child, iter(child)))
        else:  # a comment, a style or script (CSS-in-JS puts one in a heading): no text of the page, no boundary
            add(child.tail, True)
    return " ".join(" ".join(pieces).split())


def leading_text(element: lxml.html.HtmlElement, length: int) -> str:
    """The element's text up to the piece that brings it to ``length`` characters besides the
    white space at its ends: enough to read a label or a start, without the rest of a long element."""
    text = ""
    for piece in element.itertext():
        text += piece
        if len(text.strip()) >= length:
            break
    return text


def document_position(element: lxml.html.HtmlElement) -> tuple[int, ...]:
    """Where the element stands in document order: the index of it and of each ancestor among
    their siblings, from the root (compare two positions to know which element comes first)."""
    indexes = []
    node = element
    parent = node.getparent()
    while parent is not None:
        indexes.append(parent.index(node))
        node, parent = parent, parent.getparent()
    return tuple(reversed(indexes))


def elements_above(element: lxml.html.HtmlElement, limit: int, levels: int = 2) -> list[lxml.html.HtmlElement]:
    """The ``limit`` elements right before ``element``, nearest first: its preceding siblings, or
    those of the block it opens, up to ``levels`` levels up ("<div>meta</div><div><h1>")."""
    node: lxml.html.HtmlElement | None = element
    for _ in range(levels):
        if node is None or node.getprevious() is not None:
            break
        node = node.getparent()
    if node is None:
        return []
    return list(islice(node.itersiblings(etree.Element, preceding=True), limit))


def elements_after(element: lxml.html.HtmlElement, limit: int) -> list[lxml.html.HtmlElement]:
    """The first ``limit`` elements after ``element`` in document order (its own descendants
    excluded): the following siblings of it and of each ancestor, each with its descendants, since
    an XPath following:: axis reads the whole rest of the page. lxml skips comments and stops at
    the limit, so no more than ``limit`` elements are ever visited."""
    found: list[lxml.html.HtmlElement] = []
    node: lxml.html.HtmlElement | None = element
    while node is not None and len(found) < limit:
        for sibling in node.itersiblings(etree.Element):
            found.extend(islice(sibling.iter(etree.Element), limit - len(found)))
            if len(found) >= limit:
                break
        node = node.getparent()
    return found

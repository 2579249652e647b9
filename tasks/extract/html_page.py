"""The parsed HTML page that every reader of the clean stage shares, and how it is parsed.

The HTML is untrusted: it is parsed with a non-networking lxml parser, without lxml's huge-tree
mode (which lifts libxml2's limits on depth and text size), and nothing in it is ever fetched.
"""

from __future__ import annotations

import re
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

# Characters XML forbids, which lxml refuses in any text set on an element (and readers of the
# page rewrite element text): C0 controls but tab, newline and carriage return, and U+FFFE/FFFF.
# The ones Python counts as whitespace become a space, as normalize_text would make them; lone
# surrogates are replaced when the text is encoded.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_FORBIDDEN_SPACE = re.compile("[\x0b\x0c\x1c-\x1f]")


def parse_html(html: str) -> Page:
    """Parse untrusted HTML without network access; None for an empty document.

    Characters XML forbids are taken out of the text first (see _XML_FORBIDDEN).
    """
    if not html or not html.strip():
        return None
    if _XML_FORBIDDEN.search(html):
        html = _XML_FORBIDDEN.sub("", _XML_FORBIDDEN_SPACE.sub(" ", html))
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=_PARSER)
    except (etree.LxmlError, ValueError):
        return None


def page_tree(page: str | Page) -> Page:
    """The tree of a page given as text or already parsed (None: an empty document)."""
    return parse_html(page) if isinstance(page, str) else page

"""The parsed HTML page that every reader of the clean stage shares, and how it is parsed.

The HTML is untrusted: it is parsed with a non-networking lxml parser, without lxml's huge-tree
mode (which lifts libxml2's limits on depth and text size), and nothing in it is ever fetched.
"""

from __future__ import annotations

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


def parse_html(html: str) -> Page:
    """Parse untrusted HTML without network access; None for an empty document."""
    if not html or not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=_PARSER)
    except (etree.LxmlError, ValueError):
        return None


def page_tree(page: str | Page) -> Page:
    """The tree of a page given as text or already parsed (None: an empty document)."""
    return parse_html(page) if isinstance(page, str) else page

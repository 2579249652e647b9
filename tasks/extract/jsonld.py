"""The JSON-LD graph of a parsed page: its ``application/ld+json`` blocks, the article objects in
them, and the objects that ``{"@id": ...}`` references point to.

The blocks are untrusted: malformed JSON-LD is skipped and oversized blocks are ignored.
"""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.html
from lxml import etree

MAX_JSONLD_CHARS = 1_000_000
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BackgroundNewsArticle",
        "LiveBlogPosting",
    }
)
# A forum thread: its replies are its content, not comments under it. (A QAPage's answers are
# left to the article rules: no page of either benchmark declares one.)
DISCUSSION_TYPES = frozenset({"DiscussionForumPosting"})
# Keys under which an article object may be nested without being a *different* article
# (unlike e.g. "itemListElement" or "isPartOf", which point at other pages).
_CONTAINER_KEYS = ("@graph", "mainEntity")

_TYPE_PREFIX = re.compile(r"[/:#]")
_JSONLD_SCRIPTS = etree.XPath(
    "//script[contains(translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),"
    " 'application/ld+json')]"
)


def jsonld_articles(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    """The page's JSON-LD article objects (NewsArticle, BlogPosting, ...), in page order.

    Looks at top-level objects, lists, ``@graph`` and ``mainEntity``, not at articles that
    are merely referenced (related links, lists of other stories).
    """
    return articles_in(jsonld_blocks(tree))


def jsonld_blocks(tree: lxml.html.HtmlElement) -> list[Any]:
    """The parsed content of each JSON-LD script that is small enough and valid JSON, in page order."""
    blocks = []
    for script in _JSONLD_SCRIPTS(tree):
        text = script.text or ""
        if len(text) > MAX_JSONLD_CHARS:
            continue
        try:
            # strict=False: raw newlines inside strings (common in articleBody) are accepted.
            blocks.append(json.loads(text, strict=False))
        except (ValueError, RecursionError):
            continue
    return blocks


def articles_in(blocks: list[Any]) -> list[dict[str, Any]]:
    """The article objects of parsed JSON-LD blocks (see jsonld_articles)."""
    return objects_of_types(blocks, ARTICLE_TYPES)


def objects_of_types(blocks: list[Any], types: frozenset[str]) -> list[dict[str, Any]]:
    """The objects of parsed JSON-LD blocks that have one of ``types``, where jsonld_articles
    looks for articles."""
    articles = []
    for block in blocks:
        stack: list[Any] = [block]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict):
                if node_types(node) & types:
                    articles.append(node)
                stack.extend(reversed([node[key] for key in _CONTAINER_KEYS if key in node]))
    return articles


def objects_by_id(blocks: list[Any]) -> dict[str, dict[str, Any]]:
    """Map each ``@id`` to its fullest JSON-LD object, to resolve ``{"@id": ...}`` references."""
    index: dict[str, dict[str, Any]] = {}
    for block in blocks:
        stack: list[Any] = [block]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                node_id = node.get("@id")
                if isinstance(node_id, str) and len(node) > len(index.get(node_id, {})):
                    index[node_id] = node
                stack.extend(node.values())
    return index


def resolve(node: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    """Replace a bare ``{"@id": ...}`` reference by the object it points to, if the page has it."""
    if isinstance(node, dict) and "name" not in node and isinstance(node.get("@id"), str):
        return by_id.get(node["@id"], node)
    return node


def node_types(node: dict[str, Any]) -> set[str]:
    """The node's @type values without vocabulary prefixes ("schema:NewsArticle" -> "NewsArticle");
    schema.org's context makes "type" an alias of "@type", and some sites write it so."""
    types = node.get("@type", node.get("type"))
    values = types if isinstance(types, list) else [types]
    return {_TYPE_PREFIX.split(value)[-1] for value in values if isinstance(value, str)}

"""Text normalisation shared by every input format.

Output contract: Unicode NFC; no control or invisible formatting characters; whitespace
collapsed inside a paragraph; paragraphs separated by exactly one blank line; artifacts of
stripped links removed ("website ( formally" -> "website formally", "()" -> "").
"""

from __future__ import annotations

import re
import unicodedata

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v\u00a0\u3000]*\n\s*")
_WHITESPACE = re.compile(r"\s+")
# Zero-width space, BOM and soft hyphen carry no text; ZWJ/ZWNJ are kept (emoji, Persian).
_INVISIBLE = re.compile("[\u200b\ufeff\u00ad\u2060]")
# Control characters (Unicode Cc: U+0000-001F, U+007F-009F) go; the whitespace ones among
# them (str.isspace) become a space.
_CONTROL_SPACE = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# A bracket pair left empty when a link's text was stripped: "()", "( )", "[ ]".
_EMPTY_BRACKETS = re.compile(r"\s*(?:\(\s*\)|\[\s*\])")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])(?=\s|$)")


def normalize_text(text: str) -> str:
    """The normalised form of an article body (see module docstring)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    paragraphs = (normalize_paragraph(p) for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def normalize_paragraph(paragraph: str) -> str:
    """One paragraph on one line, without control characters or link artifacts."""
    paragraph = _CONTROL.sub("", _CONTROL_SPACE.sub(" ", _INVISIBLE.sub("", paragraph)))
    paragraph = _WHITESPACE.sub(" ", paragraph).strip()
    return remove_link_artifacts(paragraph)


def split_paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p]


def remove_link_artifacts(paragraph: str) -> str:
    """Drop brackets that a stripped hyperlink left behind.

    An opening parenthesis followed by a space and never closed in its paragraph is what
    remains of "(<a href=...>www.example.com</a>)" once the link is removed.
    """
    cleaned = _EMPTY_BRACKETS.sub("", paragraph)
    if "(" in cleaned:  # the scan is per character: most paragraphs have no bracket
        cleaned = _without_unclosed_parens(cleaned)
    if cleaned == paragraph:
        return paragraph
    # Removing a bracket can leave "word ." behind.
    return _SPACE_BEFORE_PUNCT.sub(r"\1", cleaned).strip()


def _without_unclosed_parens(text: str) -> str:
    open_parens: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            open_parens.append(i)
        elif ch == ")" and open_parens:
            open_parens.pop()
    for i in reversed(open_parens):
        if text[i + 1 : i + 2] in (" ", ""):
            text = f"{text[:i].rstrip()} {text[i + 1 :].lstrip()}"
    return text

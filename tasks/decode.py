"""Bytes to text without blind guessing: BOM, then the declared charset, then UTF-8, then detection.

A declared charset is trusted only when the bytes decode under it without error, so a page
that declares UTF-8 but holds Latin-1 bytes falls through to detection instead of turning
into replacement characters. Mojibake (UTF-8 read as cp1252 upstream) is repaired by ftfy.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import ftfy
from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">, in the head.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_SNIFF_BYTES = 4096
_WIDE_ENCODINGS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]
# ftfy repairs encoding damage only: curly quotes, ligatures and full-width forms are content.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    explain=False,
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    method: str  # bom, declared, utf-8, detected


class UndecodableError(ValueError):
    """No charset turns the bytes into text."""


def looks_binary(raw: bytes) -> bool:
    """NUL bytes outside a UTF-16/32 BOM mean this is not a text document."""
    if any(raw.startswith(bom) for bom, _ in _BOMS if bom != codecs.BOM_UTF8):
        return False
    return b"\x00" in raw[:65536]


def declared_html_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:_HTML_SNIFF_BYTES])
    return match.group(1).decode("ascii").lower() if match else None


def decode_bytes(raw: bytes, declared: str | None = None) -> Decoded:
    """Decode `raw`; `declared` is the charset the container states (HTTP header, <meta>)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return Decoded(_repair(raw.decode(encoding, errors="replace")), encoding, "bom")
    if declared:
        try:
            return Decoded(_repair(raw.decode(_codec_name(declared))), declared, "declared")
        except (LookupError, UnicodeDecodeError):
            pass  # unknown or lying declaration: fall through
    try:
        return Decoded(_repair(raw.decode("utf-8")), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    # Without NUL bytes the text cannot be UTF-16/32; short Latin texts otherwise get misread as such.
    best = from_bytes(raw, cp_exclusion=_WIDE_ENCODINGS).best()
    if best is None:
        raise UndecodableError("no charset decodes these bytes")
    return Decoded(_repair(str(best)), best.encoding, "detected")


def _codec_name(declared: str) -> str:
    # WHATWG: pages labelled latin-1/iso-8859-1/ascii are decoded as windows-1252.
    name = codecs.lookup(declared).name
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _repair(text: str) -> str:
    return ftfy.fix_text(text, _FTFY)

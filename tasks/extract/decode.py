"""Bytes to text without blind guessing: BOM, then the declared charset, then UTF-8, then detection.

A declared charset is trusted only when the bytes decode under it without error, so a page
that declares UTF-8 but holds Latin-1 bytes falls through to detection instead of turning
into replacement characters. A page that is UTF-8 but for a few Windows-1252 bytes (a
paragraph pasted from another editor) is read as both, byte by byte, before detection, which
would read the whole page in one legacy charset. Mojibake (UTF-8 read as cp1252 upstream) is
repaired by ftfy.
ftfy reads a text line by line at some cost per line, so an HTML page (a thousand lines of
markup) is not given to it whole: the clean stage repairs the fields taken from the page.

Detection asks charset-normalizer about the legacy encodings web pages actually use (the
WHATWG list), then re-ranks its near-ties by how plausible each decoding reads: on a short
text several charsets decode without a single "messy" character (KOI8-R Russian also reads
as half-width Japanese katakana, cp1251 as Thai or as accented Latin), and the wrong ones
betray themselves by characters no real text has in such numbers: whole words of accented
Latin letters, several scripts inside one word, half-width katakana, stray combining marks.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import ftfy
from charset_normalizer import CharsetMatch, from_bytes

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
_ISO2022_JP_ESCAPE = re.compile(rb"\x1b\$[@B]")  # switch to JIS X 0208
_WIDE_ENCODINGS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]
# The WHATWG Encoding Standard's legacy encodings (Python codec names): the ones browsers
# support and so the ones web pages are written in, roughly by how many pages use them, which
# breaks ties between equally plausible readings (a short French text reads the same in cp1252
# and cp1250 but for one letter).
WEB_ENCODINGS = [
    "cp1252",
    "cp1251",
    "gb18030",
    "cp932",
    "euc_jp",
    "cp949",
    "big5",
    "cp1250",
    "iso8859_2",
    "cp1256",
    "cp1254",
    "cp1253",
    "iso8859_7",
    "cp1255",
    "iso8859_8",
    "koi8_r",
    "koi8_u",
    "cp874",
    "cp1257",
    "cp1258",
    "iso8859_15",
    "iso8859_5",
    "iso8859_13",
    "iso8859_4",
    "iso8859_3",
    "iso8859_6",
    "iso8859_10",
    "iso8859_14",
    "iso8859_16",
    "cp866",
    "mac_roman",
    "mac_cyrillic",
    "iso2022_jp",
]
# Well-formed UTF-8 multi-byte sequences (RFC 3629: no overlongs, surrogates or code points
# past U+10FFFF), and the share of a text's non-ASCII bytes they must hold for the text to be
# UTF-8 with stray Windows-1252 bytes. Of the 1171 benchmark pages, the 23 in legacy charsets
# hold at most 0.37 (GB2312), the 4 mixed ones 0.98 or more; short CJK texts up to 0.43.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_ASCII_BYTES = bytes(range(128))
_MOSTLY_UTF8 = 0.8
# Windows-1252 as browsers decode it (WHATWG): its five unassigned bytes as the C1 controls.
_WINDOWS_1252 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
_STRAY_AS_WINDOWS_1252 = "broadsheet-windows-1252"
# Candidates whose charset-normalizer "chaos" is within this of the best one are re-ranked.
_NEAR_TIE = 0.1
_PLAUSIBILITY_SAMPLE_CHARS = 4000
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# What ftfy may change in a line of ASCII text: control characters other than tab and newline.
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
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
    method: str  # bom, declared, utf-8, mixed (UTF-8 with stray Windows-1252 bytes), detected


class UndecodableError(ValueError):
    """No charset turns the bytes into text."""


_MOST_TEXT_BYTES_PER_NUL = 1000  # fewer bytes per NUL than this: binary


def looks_binary(raw: bytes) -> bool:
    """NUL bytes outside a UTF-16/32 BOM mean this is not a text document, unless a few strayed
    into text: binary formats and UTF-16 hold them by the hundred, compressed data about one
    byte in 256, while a page with NULs pasted into it holds a few per 64 KiB."""
    if any(raw.startswith(bom) for bom, _ in _BOMS if bom != codecs.BOM_UTF8):
        return False
    head = raw[:65536]
    return head.count(b"\x00") * _MOST_TEXT_BYTES_PER_NUL > len(head)


def declared_html_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:_HTML_SNIFF_BYTES])
    return match.group(1).decode("ascii").lower() if match else None


def decode_bytes(raw: bytes, declared: str | None = None, *, repaired: bool = True) -> Decoded:
    """Decode `raw`; `declared` is the charset the container states (HTTP header, <meta>).

    With `repaired`, mojibake and control characters are fixed too (see `repair`); HTML pages
    are decoded without, and the text taken from them is repaired instead.
    """
    fix = repair if repaired else _as_is
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return Decoded(fix(raw.decode(encoding, errors="replace")), encoding, "bom")
    if declared:
        try:
            return Decoded(fix(raw.decode(_codec_name(declared))), declared, "declared")
        except (LookupError, UnicodeDecodeError):
            pass  # unknown or lying declaration: fall through
    if _ISO2022_JP_ESCAPE.search(raw):  # 7-bit, so it would pass for UTF-8
        try:
            return Decoded(fix(raw.decode("iso2022_jp")), "iso2022_jp", "detected")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(fix(raw.decode("utf-8")), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(raw):
        return Decoded(fix(raw.decode("utf-8", errors=_STRAY_AS_WINDOWS_1252)), "utf-8", "mixed")
    text, encoding = detect(raw)
    return Decoded(fix(text), encoding, "detected")


def _as_is(text: str) -> str:
    return text


def _mostly_utf8(raw: bytes) -> bool:
    """Whether most non-ASCII bytes of ``raw`` form well-formed UTF-8 sequences."""
    non_ascii = len(raw.translate(None, _ASCII_BYTES))
    in_sequences = sum(map(len, _UTF8_SEQUENCE.findall(raw)))
    return non_ascii > 0 and in_sequences >= _MOSTLY_UTF8 * non_ascii


def _stray_bytes_as_windows_1252(error: UnicodeError) -> tuple[str, int]:
    """Decode error handler: the bytes UTF-8 rejects, each read as Windows-1252.

    Python's UTF-8 decoder rejects only the bytes that cannot belong to a sequence, so a cp1252
    letter before ASCII ("m\xe1s") costs that byte alone, unlike bs4's detwingle, which takes a
    lead byte's followers on trust and leaves such letters broken.
    """
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(_WINDOWS_1252[b] for b in error.object[error.start : error.end]), error.end


codecs.register_error(_STRAY_AS_WINDOWS_1252, _stray_bytes_as_windows_1252)


def detect(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of bytes in an unknown legacy charset; raises UndecodableError."""
    matches = list(from_bytes(raw, cp_isolation=WEB_ENCODINGS))
    if not matches:
        # Without NUL bytes the text cannot be UTF-16/32; short Latin texts otherwise get misread as such.
        matches = list(from_bytes(raw, cp_exclusion=_WIDE_ENCODINGS))
    if not matches:
        raise UndecodableError("no charset decodes these bytes")
    least_chaos = min(match.chaos for match in matches)
    tied = [match for match in matches if match.chaos <= least_chaos + _NEAR_TIE]
    best = min(tied, key=_reading_rank)
    return str(best), best.encoding


def _reading_rank(match: CharsetMatch) -> tuple[float, float, int]:
    """Sort key of a candidate reading: mess, then language coherence, then how common the charset is."""
    mess = match.chaos + implausibility(str(match)[:_PLAUSIBILITY_SAMPLE_CHARS])
    prior = WEB_ENCODINGS.index(match.encoding) if match.encoding in WEB_ENCODINGS else len(WEB_ENCODINGS)
    return round(mess, 2), -match.coherence, prior


def implausibility(text: str) -> float:
    """Share of the non-ASCII letters of ``text`` that a wrong charset would explain better (0-1).

    Counted as implausible: letters in a word that mixes non-ASCII scripts (Latin with Arabic),
    letters in a word of three or more accented Latin letters and no plain ones ("Ďđčâĺň"),
    symbols inside a word, one-letter Latin words touching a number ("Ł5"), half-width katakana,
    combining marks not following a letter, and private-use, unassigned, control or box-drawing
    characters.
    """
    foreign = sum(1 for ch in text if ord(ch) > 127 and not ch.isspace())
    if not foreign:
        return 0.0
    odd = sum(1 for ch in text if _odd_character(ch))
    for before, ch, after in zip(" " + text, text, text[1:] + " ", strict=False):
        category = unicodedata.category(ch)
        if category == "Mn" and not (before.isalpha() or unicodedata.category(before) == "Mn"):
            odd += 1
        elif category in ("Sm", "So", "Sk", "No") and before.isalpha() and after.isalpha():
            odd += 1  # a symbol or superscript inside a word: "يدسث×ظ", "og³osi³"
        elif category in ("Lu", "Ll") and _lone_accented_letter_by_number(before, ch, after):
            odd += 1  # a currency sign read as a letter: "Ł5" for "£5", "Ą500" for "¥500"
    for word in _LETTER_RUN.findall(text):
        # ASCII letters read the same in every candidate; next to Cyrillic, Greek, Arabic... they
        # are odd ("cafй"), next to CJK they are not ("iPhone用").
        scripts = {_script(ch) for ch in word if ord(ch) > 127}
        non_ascii = sum(1 for ch in word if ord(ch) > 127)
        mixed = len(scripts) > 1 or (0 < non_ascii < len(word) and scripts - {"LATIN", "CJK"})
        if mixed or (scripts == {"LATIN"} and len(word) >= 3 and non_ascii == len(word)):
            odd += non_ascii
    return min(1.0, odd / foreign)


def _lone_accented_letter_by_number(before: str, letter: str, after: str) -> bool:
    """Whether ``letter``, between ``before`` and ``after``, is a one-letter word of non-ASCII Latin
    touching a digit. Not other scripts: Cyrillic abbreviations do touch numbers ("5р", "2020г")."""
    return (
        ord(letter) > 127
        and not (before.isalpha() or after.isalpha())
        and (before.isdigit() or after.isdigit())
        and _script(letter) == "LATIN"
    )


def _odd_character(ch: str) -> bool:
    code = ord(ch)
    category = unicodedata.category(ch)
    return (
        0xFF61 <= code <= 0xFF9F  # half-width katakana
        or 0x2500 <= code <= 0x259F  # box drawing and block elements
        or category in ("Co", "Cn")
        or (category == "Cc" and not ch.isspace())
    )


def _script(ch: str) -> str:
    """The script of a letter, by the first word of its Unicode name (CJK scripts as one)."""
    name = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
    return "CJK" if name in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC") else name


# WHATWG: labels are decoded with the superset browsers use (latin-1 as windows-1252, GB2312 as
# GB18030, Shift_JIS and EUC-KR as Microsoft's extensions), since pages rely on the extra characters.
_BROWSER_CODECS = {
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
}


def _codec_name(declared: str) -> str:
    name = codecs.lookup(declared).name
    return _BROWSER_CODECS.get(name, name)


def repair(text: str) -> str:
    """``ftfy.fix_text(text)`` with our settings, without handing ftfy the lines it cannot change.

    ftfy works line by line at a fixed cost per line; a line of printable ASCII has no
    mojibake (that takes non-ASCII characters) and no control character to fix. Only runs of
    the other lines go to ftfy, which splits them into the same lines again, so the result is
    the same as fixing the whole text.
    """
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return text
    pieces: list[str] = []
    damaged: list[str] = []  # a run of consecutive lines that ftfy may change
    for line in _lines(text):
        if line.isascii() and not _ASCII_CONTROL.search(line):
            if damaged:
                pieces.append(ftfy.fix_text("".join(damaged), _FTFY))
                damaged = []
            pieces.append(line)
        else:
            damaged.append(line)
    if damaged:
        pieces.append(ftfy.fix_text("".join(damaged), _FTFY))
    return "".join(pieces)


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` as ftfy splits them: at "\n" only, each keeping its "\n"."""
    start = 0
    while (end := text.find("\n", start) + 1) > 0:
        yield text[start:end]
        start = end
    if start < len(text):
        yield text[start:]

import codecs

import pytest

from tasks.decode import UndecodableError, decode_bytes, declared_html_charset, looks_binary

FRENCH = "Le café du coin a rouvert ses portes après des mois de travaux, à la grande joie des habitués."


def test_bom_wins_over_everything():
    raw = codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le")
    decoded = decode_bytes(raw, declared="iso-8859-1")
    assert (decoded.text, decoded.method) == (FRENCH, "bom")


def test_declared_charset_used_when_bytes_fit():
    decoded = decode_bytes(FRENCH.encode("cp1252"), declared="windows-1252")
    assert (decoded.text, decoded.method) == (FRENCH, "declared")


def test_lying_utf8_declaration_falls_through_to_detection():
    decoded = decode_bytes(FRENCH.encode("cp1252"), declared="utf-8")
    assert decoded.method == "detected"
    assert "café" in decoded.text and "après" in decoded.text


def test_mojibake_is_repaired():
    mojibake = "The caf\u00c3\u00a9 reopened \u00e2\u0080\u0094 finally."
    assert decode_bytes(mojibake.encode("utf-8")).text == "The café reopened — finally."


def test_curly_quotes_survive_repair():
    text = "“Hello,” she said — ‘quietly’."
    assert decode_bytes(text.encode("utf-8")).text == text


def test_meta_charset_is_found():
    assert declared_html_charset(b'<html><head><meta charset="Shift_JIS"></head>') == "shift_jis"
    assert declared_html_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">') == "koi8-r"


def test_nul_bytes_mean_binary_unless_utf16_bom():
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert not looks_binary(codecs.BOM_UTF16_LE + "hi".encode("utf-16-le"))


def test_undecodable_bytes_raise():
    noise = bytes((i * 7919 + 13) % 255 + 1 for i in range(2000))  # every byte value, no pattern of text
    with pytest.raises(UndecodableError):
        decode_bytes(noise)

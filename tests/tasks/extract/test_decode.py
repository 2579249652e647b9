import codecs
import gzip
import os

import ftfy
import pytest

from tasks.extract.decode import (
    _FTFY,
    UndecodableError,
    declared_html_charset,
    decode_bytes,
    implausibility,
    looks_binary,
    repair,
)

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
    assert looks_binary("a page in UTF-16 without its BOM".encode("utf-16-le"))
    assert looks_binary(gzip.compress(os.urandom(50_000)))  # compressed data: a NUL in about 256 bytes


def test_a_few_nul_bytes_pasted_into_a_long_page_do_not_make_it_binary():
    paragraph = "<p>The council met on Monday and agreed to publish its minutes within a week.</p>\n"
    page = ("<html><body><h1>Council</h1>" + paragraph * 900 + "</body></html>").encode()
    pasted = page[:20_000] + b"\x00" * 3 + page[20_000:40_000] + b"\x00" + page[40_000:]

    assert not looks_binary(pasted)
    assert looks_binary(b"short text\x00")  # in a short file a NUL weighs more


def test_undecodable_bytes_raise():
    noise = bytes((i * 7919 + 13) % 255 + 1 for i in range(2000))  # every byte value, no pattern of text
    with pytest.raises(UndecodableError):
        decode_bytes(noise)


# Short real sentences, as a headline or a one-paragraph brief would hold them.
NEWS_IN_LEGACY_CHARSETS = [
    ("gb18030", "北京市政府周二宣布，地铁新线将于明年开通，预计每天运送乘客五十万人次。"),
    ("gbk", "上海的天气今天很好，市民纷纷出门散步。"),
    ("big5", "台北市政府今天宣布，新的捷運路線將於明年通車。"),
    ("shift_jis", "東京都は火曜日、新しい地下鉄路線を来年開業すると発表した。"),
    ("euc_jp", "政府は水曜日、中小企業を支援する新たな措置を発表した。"),
    ("iso2022_jp", "政府は水曜日、中小企業を支援する新たな措置を発表した。"),
    ("euc_kr", "서울시는 화요일 새 지하철 노선을 내년에 개통한다고 발표했다."),
    ("cp1252", "Le café du coin a rouvert — «enfin», dit-on."),
    (
        "cp1252",
        "El Gobierno anunció el miércoles nuevas medidas de apoyo a las pequeñas empresas, que entrarán en vigor en enero.",
    ),
    ("koi8_r", "Мэрия Москвы объявила о новой линии метро."),
    ("koi8_r", "Мэрия Москвы"),  # twelve bytes: also decodes cleanly as cp932 and cp1256
    ("cp1251", "Привет, как дела? Всё хорошо."),
    ("cp1250", "Rząd ogłosił w środę nowe środki wsparcia dla małych firm."),
    ("iso8859_7", "Η κυβέρνηση ανακοίνωσε την Τετάρτη νέα μέτρα για τη στήριξη των μικρών επιχειρήσεων."),
]


@pytest.mark.parametrize(("charset", "text"), NEWS_IN_LEGACY_CHARSETS)
def test_undeclared_legacy_charset_is_detected(charset, text):
    decoded = decode_bytes(text.encode(charset))

    assert decoded.text == text
    assert decoded.method == "detected"


@pytest.mark.parametrize(("charset", "text"), NEWS_IN_LEGACY_CHARSETS)
def test_declared_legacy_charset_is_used(charset, text):
    decoded = decode_bytes(text.encode(charset), declared=charset)
    assert (decoded.text, decoded.method) == (text, "declared")


def test_gbk_page_declared_as_gb2312_decodes_with_the_superset():
    text = "镕基总理与一位喆姓记者交谈。"  # 镕 and 喆 are GBK/GB18030 only, not GB2312
    decoded = decode_bytes(text.encode("gb18030"), declared="gb2312")
    assert (decoded.text, decoded.method) == (text, "declared")


def test_lying_utf8_declaration_on_cp1252_bytes_is_caught():
    text = "It’s the café’s “last” day — señor Müller said."
    decoded = decode_bytes(text.encode("cp1252"), declared="utf-8")
    assert (decoded.text, decoded.method) == (text, "detected")


def test_utf8_read_as_cp1252_upstream_is_repaired():
    mojibake = "It’s the café’s last day.".encode().decode("cp1252")
    assert mojibake == "Itâ€™s the cafÃ©â€™s last day."
    assert decode_bytes(mojibake.encode("utf-8")).text == "It’s the café’s last day."


def test_implausibility_tells_a_right_reading_from_a_wrong_one():
    assert implausibility("Мэрия Москвы объявила о новой линии метро.") == 0
    assert implausibility("東京都は火曜日、新しい地下鉄路線を来年開業する。iPhone用") == 0
    assert implausibility("汯ﾒﾉﾑ 榘ﾓﾋﾗﾙ") > 0.5  # KOI8-R read as cp932
    assert implausibility("Ďđčâĺň, ęŕę äĺëŕ?") > 0.5  # cp1251 read as cp1250
    assert implausibility("Le cafй du coin") > 0.5  # cp1252 read as cp1251


def test_repair_skips_clean_ascii_lines_and_matches_ftfy_on_the_whole_text():
    mojibake = "Itâ€™s the cafÃ©â€™s last day."
    lines = [
        "<html><body>",
        "<p>plain ascii line</p>",
        mojibake,
        "windows line\r",
        "tab\tand form feed\x0c",
        "bell \x07 and escape \x1b[31mred\x1b[0m",
        "",
        "ok",
        "ÐŸÑ€Ð¸Ð²ÐµÑ‚",
        "no newline at the end",
    ]
    text = "\n".join(lines)
    fixed = repair(text)
    assert fixed == ftfy.fix_text(text, _FTFY)
    assert "It’s the café’s last day." in fixed and "Привет" in fixed and "\r" not in fixed
    assert repair("ascii only\nlines\n") == "ascii only\nlines\n"


@pytest.mark.parametrize(
    "text",
    [
        "Tickets £5\n\nThe council said the fare would rise.",
        "Price rises to £5 a ticket\n\nThe council said the new fare starts in May.\n",
        "Entry ¥500 for adults\n\nThe museum said children go free.",
        "Profits hit £3bn\n\nThe bank said costs fell.",
        "Calle 2ª, piso 3º\n\nEl ayuntamiento abrió la oficina.",
    ],
)
def test_short_latin1_text_with_a_currency_sign_decodes_as_latin1(text):
    # cp1250 reads £ as Ł, ¥ as Ą and ª as Ş: letters that its language statistics like a little better.
    decoded = decode_bytes(text.encode("latin-1"))

    assert (decoded.text, decoded.encoding) == (text, "cp1252")


CENTRAL_EUROPEAN_NEWS = [
    (
        "cp1250",
        "Vláda schválila návrh zákona o státním rozpočtu. Ministr financí řekl, že schodek bude nižší než loni. "
        "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    ),
    (
        "cp1250",
        "Rząd przyjął projekt budżetu na przyszły rok. Minister finansów powiedział, że deficyt będzie mniejszy "
        "niż w zeszłym roku, a ceny biletów wzrosną o 5 zł.",
    ),
    (
        "iso8859_2",
        "Vlada je sprejela predlog proračuna. Minister za finance je dejal, da bo primanjkljaj manjši kot lani.",
    ),
]


@pytest.mark.parametrize(("charset", "text"), CENTRAL_EUROPEAN_NEWS)
def test_central_european_text_still_decodes_as_such(charset, text):
    assert decode_bytes(text.encode(charset)).text == text


def test_a_lone_accented_letter_beside_a_number_is_implausible():
    assert implausibility("Tickets Ł5 a day") > 0.5  # £5 read as cp1250
    assert implausibility("Tickets £5 a day") == 0
    assert implausibility("Calle 2ª, piso 3º, à 5 km, 5ème étage") == 0
    assert implausibility("Café W3C, 4K, 5G") == 0


# A UTF-8 page with one paragraph pasted in Windows-1252: curly quotes (0x93, 0x94, 0x92) and
# accented letters (0xE1 before ASCII, which bs4's detwingle takes for a UTF-8 lead byte).
RUSSIAN_UTF8 = "Мэрия Москвы объявила во вторник о строительстве новой линии метро."
PASTED_CP1252 = "Critics called it “a promise we’ve heard before”, said Ángel Díaz, más o menos."


def test_utf8_text_with_a_windows_1252_paragraph_reads_both():
    raw = RUSSIAN_UTF8.encode("utf-8") + b"\n" + PASTED_CP1252.encode("cp1252") + b"\n" + RUSSIAN_UTF8.encode("utf-8")
    decoded = decode_bytes(raw, declared="utf-8")

    assert decoded.text == f"{RUSSIAN_UTF8}\n{PASTED_CP1252}\n{RUSSIAN_UTF8}"
    assert (decoded.encoding, decoded.method) == ("utf-8", "mixed")


def test_one_windows_1252_apostrophe_in_utf8_text_with_letters_cp1252_lacks():
    # "Á" is C3 81 in UTF-8, and 0x81 is unassigned in cp1252: read whole as cp1252 this failed.
    text = "Ángel Álvarez said the council’s plan is final."
    raw = text.encode("utf-8").replace("’".encode(), b"\x92")
    assert decode_bytes(raw).text == text


def test_legacy_charset_text_is_not_taken_for_mixed_utf8():
    for charset, text in [*NEWS_IN_LEGACY_CHARSETS, *CENTRAL_EUROPEAN_NEWS]:
        assert decode_bytes(text.encode(charset)).method != "mixed", charset

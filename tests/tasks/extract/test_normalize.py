import unicodedata

from tasks.extract.normalize import normalize_text, remove_link_artifacts


def test_stripped_link_leaves_no_dangling_parenthesis():
    text = "submit statements to The Epoch Times's Tuidang website ( formally declaring their withdrawals."
    assert (
        normalize_text(text)
        == "submit statements to The Epoch Times's Tuidang website formally declaring their withdrawals."
    )


def test_balanced_parentheses_are_kept():
    assert remove_link_artifacts("the Chinese Communist Party (CCP) said") == "the Chinese Communist Party (CCP) said"


def test_empty_brackets_from_links_are_removed():
    assert normalize_text("See the report () and the map [ ] .") == "See the report and the map."


def test_paragraphs_separated_by_exactly_one_blank_line():
    text = "First  para\nstill first.\r\n\r\n\n\nSecond\tpara.\n \n Third."
    assert normalize_text(text) == "First para still first.\n\nSecond para.\n\nThird."


def test_control_and_invisible_characters_are_removed():
    text = "Bell\x07 and\u200b zero\u00adwidth\x00 end\x1b."
    assert normalize_text(text) == "Bell and zerowidth end."


def test_output_is_nfc():
    decomposed = "Cafe\u0301 re\u0301sume\u0301"
    result = normalize_text(decomposed)
    assert result == "Café résumé"
    assert unicodedata.is_normalized("NFC", result)


def test_emoticon_parenthesis_not_glued_to_word():
    assert normalize_text("Smile :) ok ( see") == "Smile :) ok see"

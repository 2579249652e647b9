import re
from pathlib import Path

import pytest

from tasks.enrich.keywords import extract_keywords
from tasks.text.lexicon import date_words, stop_words

SAMPLES = Path(__file__).parents[2] / "fixtures" / "languages"
SEED_HEADLINE = "Chinese Officials Withdraw from the CCP"


def seed_body(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8").split("\n\n", 2)[2]


def test_seed_keywords(seed_path):
    keywords = extract_keywords(seed_body(seed_path), "en", SEED_HEADLINE)
    assert keywords[:4] == ["Falun Gong", "Chinese Communist Party", "CCP", "Epoch Times Tuidang"]
    assert len(keywords) == 10 and "Falun Dafa" in keywords
    assert "wrote" not in keywords  # speech verbs say nothing about the topic


def test_no_keyword_is_or_is_bounded_by_a_stop_word_or_holds_a_date_or_number(seed_path):
    text = seed_body(seed_path) + "\n\nOn Monday, September 17, 2007, more statements arrived in September."
    stops = stop_words("en")
    for keyword in extract_keywords(text, "en", SEED_HEADLINE):
        words = keyword.lower().split()
        assert words[0] not in stops and words[-1] not in stops
        assert not re.search(r"\d", keyword)
        assert not set(words) & date_words("en")


def test_no_keyword_repeats_part_of_a_better_one(seed_path):
    keywords = extract_keywords(seed_body(seed_path), "en", SEED_HEADLINE)
    assert "Falun" not in keywords and "Gong" not in keywords and "Gong practitioners" not in keywords


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("de", "de", {"Stadtrat", "Haushalt beschlossen", "Bürgermeisterin"}),
        ("fr", "fr", {"conseil municipal"}),
        ("es", "es", {"ayuntamiento aprobó", "presupuesto"}),
        ("ru", "ru", {"Городской совет"}),
        ("zh-Hans", "zh", {"国务院", "经济"}),
        ("zh-Hant", "zh", {"預算"}),
        ("ko", "ko", {"서울시", "교통 정책"}),
        ("ja", "ja", {"東京都", "コロナウイルス", "感染者"}),
        ("ar", "ar", {"وزير الصحة"}),
        ("en", "en", {"city council approved", "budget"}),
    ],
)
def test_language_samples_give_five_to_ten_keywords(name, language, expected):
    keywords = extract_keywords((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"), language)
    assert 5 <= len(keywords) <= 10
    assert expected <= set(keywords)
    assert not set(keywords) & date_words(language)


def test_chinese_keywords_are_whole_words_not_pieces():
    simplified = extract_keywords((SAMPLES / "zh-Hans.txt").read_text(encoding="utf-8"), "zh")
    assert simplified == ["会议", "国务院", "经济", "稳定", "政策"]
    traditional = extract_keywords((SAMPLES / "zh-Hant.txt").read_text(encoding="utf-8"), "zh")
    assert traditional == ["行政院", "預算", "中央", "政府", "持續"]


def test_japanese_keywords_are_kanji_and_katakana_words_without_numbers():
    keywords = extract_keywords((SAMPLES / "ja.txt").read_text(encoding="utf-8"), "ja")
    assert keywords[:4] == ["コロナウイルス", "感染者", "小池百合子知事", "東京都"]
    assert not any(numeral in keyword for keyword in keywords for numeral in "二三十")


def test_korean_keywords_drop_particles():
    keywords = extract_keywords((SAMPLES / "ko.txt").read_text(encoding="utf-8"), "ko")
    assert "서울시" in keywords and "서울시는" not in keywords


def test_text_without_content_words_gives_no_keywords():
    assert extract_keywords("It is what it is, and so on.", "en") == []


@pytest.mark.parametrize(
    ("more", "expected"),
    [("", "Nasa"), (" The crew was ready, said NASA.", "NASA")],
)
def test_a_term_is_written_as_the_text_writes_it_most_the_first_form_on_a_tie(more, expected):
    text = (
        "The mirror was cracked, said Nasa. The telescope was repaired, said NASA. "
        "The budget was cut, said Nasa. The launch was delayed, said NASA."
    )
    assert extract_keywords(text + more, "en")[0] == expected
    swapped = text.replace("Nasa", "N_A_S_A").replace("NASA", "Nasa").replace("N_A_S_A", "NASA")
    assert extract_keywords(swapped, "en")[0] == "NASA"

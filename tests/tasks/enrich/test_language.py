from pathlib import Path

import pytest

from tasks.enrich.language import identify_language

SAMPLES = Path(__file__).parents[2] / "fixtures" / "languages"
# file -> (ISO 639-1, ISO 15924 script)
EXPECTED = {
    "zh-Hans": ("zh", "Hans"),
    "zh-Hant": ("zh", "Hant"),
    "ja": ("ja", "Jpan"),
    "ko": ("ko", "Kore"),
    "ru": ("ru", "Cyrl"),
    "ar": ("ar", "Arab"),
    "de": ("de", "Latn"),
    "fr": ("fr", "Latn"),
    "es": ("es", "Latn"),
    "en": ("en", "Latn"),
}


def sample(name: str) -> str:
    return (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_news_sample_language_and_script(name):
    found = identify_language(sample(name))
    assert (found.language, found.script) == EXPECTED[name]
    assert found.score > 0.9 and found.script_share > 0.95
    assert found.matches_declared is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_first_sentence_alone_is_enough(name):
    first = sample(name).split("\n\n")[0]
    assert identify_language(first).language == EXPECTED[name][0]


def test_chinese_with_latin_brand_names_stays_chinese():
    text = "苹果公司首席执行官Tim Cook表示，公司将于下月在中国推出新款iPhone和MacBook产品，并扩大在上海的研发中心。"
    found = identify_language(text)
    assert (found.language, found.script) == ("zh", "Hans")
    assert 0.6 < found.script_share < 1.0  # mixed: the share says how much


def test_english_with_chinese_name_in_han_stays_english():
    text = (
        "The exhibition at the city museum features the calligraphy of Wang Xizhi (王羲之), whose work "
        "shaped Chinese writing for centuries. Visitors can see rare rubbings until the end of March."
    )
    found = identify_language(text)
    assert (found.language, found.script) == ("en", "Latn")
    assert found.script_share < 1.0


def test_kanji_heavy_japanese_is_japanese_not_chinese():
    text = "政府は臨時閣議で経済対策を決定した。"
    assert identify_language(text).language == "ja"


def test_declared_language_agreeing_is_recorded():
    assert identify_language(sample("de"), declared="de").matches_declared is True


def test_wrong_declared_language_does_not_override_a_confident_model():
    # A site template that says lang="en" over a Spanish article.
    found = identify_language(sample("es"), declared="en")
    assert (found.language, found.matches_declared) == ("es", False)


def test_declared_language_decides_when_the_model_is_unsure():
    # One German word: the model's best guess is wrong and weak; the page's lang="de" decides.
    unsure = identify_language("Kommunalwahl")
    assert unsure.language != "de" and unsure.score < 0.5
    found = identify_language("Kommunalwahl", declared="de")
    assert (found.language, found.matches_declared) == ("de", True)


def test_kanji_only_line_follows_a_page_that_declares_japanese():
    assert identify_language("臨時閣議").language == "zh"
    assert identify_language("臨時閣議", declared="ja").language == "ja"


def test_declared_language_cannot_contradict_kana():
    found = identify_language("東京都は二十日、発表した。", declared="zh")
    assert (found.language, found.matches_declared) == ("ja", False)


def test_text_without_letters_has_no_language():
    found = identify_language("2024 — 12:30 / 45 %")
    assert (found.language, found.score, found.script) == (None, None, None)

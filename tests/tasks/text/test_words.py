from pathlib import Path

import pytest

from tasks.text.words import count_words, split_sentences

SAMPLES = Path(__file__).parents[2] / "fixtures" / "languages"


def test_cjk_characters_count_one_word_each_and_latin_words_as_words():
    assert count_words("新华社北京电 The council met 3 times.") == 6 + 5
    assert count_words("東京都は二十日") == 7
    assert count_words("서울시는 20일") == 4 + 2  # 20 is a word, 일 a character


def test_cjk_sentence_marks_end_sentences_without_spaces():
    assert split_sentences("他说：“我很好。”她也来了！真的吗？是的") == [
        "他说：“我很好。”",
        "她也来了！",
        "真的吗？",
        "是的",
    ]


def test_abbreviations_initials_and_times_do_not_end_sentences():
    text = "Dr. Smith met J. K. Rowling in the U.S. Army base at 3 p.m. on Tuesday. They talked."
    assert split_sentences(text) == [
        "Dr. Smith met J. K. Rowling in the U.S. Army base at 3 p.m. on Tuesday.",
        "They talked.",
    ]


def test_a_paragraph_break_ends_a_sentence_and_decimals_do_not():
    assert split_sentences("Budget Approved\n\nIt cost 3.5 million. Really?") == [
        "Budget Approved",
        "It cost 3.5 million.",
        "Really?",
    ]


@pytest.mark.parametrize(
    ("name", "sentences"),
    [
        ("en", 4),
        ("de", 4),
        ("fr", 4),
        ("es", 4),
        ("ru", 4),
        ("ar", 3),
        ("zh-Hans", 4),
        ("zh-Hant", 4),
        ("ja", 4),
        ("ko", 4),
    ],
)
def test_sentences_of_the_language_samples(name, sentences):
    assert len(split_sentences((SAMPLES / f"{name}.txt").read_text(encoding="utf-8"))) == sentences

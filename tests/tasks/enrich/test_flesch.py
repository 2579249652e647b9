import pytest

from tasks.enrich.flesch import count_syllables, readability
from tasks.text.words import WORD, split_sentences

# Dictionary syllable counts of common news words, the hard cases among them.
SYLLABLES = {
    "the": 1,
    "made": 1,
    "jumped": 1,
    "takes": 1,
    "fire": 1,
    "hour": 1,
    "three": 1,
    "there": 1,
    "table": 2,
    "wanted": 2,
    "boxes": 2,
    "create": 2,
    "being": 2,
    "people": 2,
    "science": 2,
    "quiet": 2,
    "something": 2,
    "statements": 2,
    "colleagues": 2,
    "diet": 2,
    "poem": 2,
    "budget": 2,
    "idea": 3,
    "area": 3,
    "video": 3,
    "radio": 3,
    "serious": 3,
    "officials": 3,
    "opinion": 3,
    "violence": 3,
    "government": 3,
    "committee": 3,
    "realize": 3,
    "apologize": 4,
    "reasonable": 4,
    "political": 4,
    "practitioners": 4,
    "persecution": 4,
    "material": 4,
    "organization": 5,
    "university": 5,
    "unbelievable": 5,
    "indomitable": 5,
}


@pytest.mark.parametrize(("word", "syllables"), sorted(SYLLABLES.items()))
def test_syllables_of_common_words(word, syllables):
    assert count_syllables(word) == syllables


def test_flesch_scores_of_a_plain_english_passage():
    text = "The cat sat on the mat. The dog ran to the park and played with a ball."
    words = WORD.findall(text)  # 17 words of one syllable each, 2 sentences
    scores = readability(words, len(split_sentences(text)), "en")
    assert scores.flesch_reading_ease == pytest.approx(206.835 - 1.015 * 17 / 2 - 84.6 * 17 / 17, abs=0.01)
    assert scores.flesch_kincaid_grade == pytest.approx(0.39 * 17 / 2 + 11.8 * 17 / 17 - 15.59, abs=0.01)


def test_harder_text_scores_lower():
    easy = "We went home. It was late. The sun had set."
    hard = (
        "The administration's unprecedented reorganization of intergovernmental responsibilities "
        "necessitated considerable institutional adaptation."
    )
    score = lambda t: readability(WORD.findall(t), len(split_sentences(t)), "en").flesch_reading_ease  # noqa: E731
    assert score(easy) > 90 > 0 > score(hard)


@pytest.mark.parametrize("language", ["de", "zh", "ru", None])
def test_no_score_outside_english(language):
    assert readability(["Der", "Stadtrat", "tagt"], 1, language) is None


def test_no_score_without_sentences_or_words():
    assert readability([], 0, "en") is None
    assert readability(["2024", "12"], 1, "en") is None

from pathlib import Path

from tasks.config import QualityThresholds
from tasks.enrich.quality import quality_signals, quality_warnings
from tasks.text.words import WORD

SAMPLES = Path(__file__).parents[2] / "fixtures" / "languages"

# What an extractor leaves when it grabs a page's chrome instead of its article.
CHROME = "\n\n".join(
    [
        "Home",
        "News",
        "Sign up for our newsletter",
        "We use cookies to improve your experience. See our privacy policy.",
        "Home",
        "Share this article",
        "© 2024 Riverton Ledger. All rights reserved.",
        "Please enable JavaScript to view the comments.",
    ]
)


def signals_of(text, language="en", script="Latn"):
    words = WORD.findall(text)
    return quality_signals(text, words, language, script), len(words)


def test_a_clean_article_has_no_warnings(seed_path):
    text = seed_path.read_text(encoding="utf-8").split("\n\n", 2)[2]
    signals, words = signals_of(text)
    assert quality_warnings(signals, words) == []
    assert 4 < signals.mean_word_length < 5 and signals.stop_word_ratio > 0.4
    assert signals.boilerplate_line_ratio == 0 and signals.duplicate_line_ratio == 0


def test_page_chrome_is_flagged_not_dropped():
    signals, words = signals_of(CHROME)
    assert signals.boilerplate_line_ratio == 0.625  # 5 of 8 lines
    assert signals.duplicate_line_ratio == 0.125  # the second "Home"
    assert signals.terminal_punctuation_ratio == 0.375
    assert quality_warnings(signals, words) == ["too_few_words", "boilerplate_lines", "unterminated_lines"]


def test_symbols_and_numbers_are_flagged():
    text = "#1 #2 #3 ... 2024 2025 2026 45% 12:30 … #tags #more"
    signals, words = signals_of(text)
    assert "symbols" in quality_warnings(signals, words) and "few_alpha_words" in quality_warnings(signals, words)


def test_stop_word_ratio_uses_the_languages_list():
    german, _ = signals_of((SAMPLES / "de.txt").read_text(encoding="utf-8"), "de")
    assert 0.2 < german.stop_word_ratio < 0.6
    unknown, _ = signals_of("Kommunalwahl Ergebnisse", None)
    assert unknown.stop_word_ratio is None


def test_word_length_means_nothing_for_cjk_scripts():
    chinese, _ = signals_of((SAMPLES / "zh-Hans.txt").read_text(encoding="utf-8"), "zh", "Hans")
    assert chinese.mean_word_length is None
    assert chinese.terminal_punctuation_ratio == 1.0


def test_thresholds_come_from_the_config():
    signals, words = signals_of("Short but fine. It ends well.")
    assert "too_few_words" in quality_warnings(signals, words)
    assert "too_few_words" not in quality_warnings(signals, words, QualityThresholds(min_words=3))

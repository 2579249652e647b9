import pytest

from tasks.enrich import check_declared_language, content_hash, count_text, detect_language, enrich_batch, mark_duplicates

SAMPLES = {
    "en": "The city council approved the new budget on Tuesday after a long debate about school funding.",
    "zh": "新华社北京电，国务院今天召开常务会议，研究部署进一步稳定经济增长的措施。",
    "de": "Der Stadtrat hat am Dienstag nach langer Debatte den neuen Haushalt für die Schulen beschlossen.",
    "fr": "Le conseil municipal a adopté mardi le nouveau budget après un long débat sur les écoles.",
    "es": "El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate sobre las escuelas.",
    "ru": "Городской совет во вторник утвердил новый бюджет после долгих споров о финансировании школ.",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_language_identified_with_a_confident_score(language):
    result = detect_language({"text": SAMPLES[language]})
    assert result["language"] == language
    assert 0.5 < result["language_score"] <= 1.0


def test_counts_cjk_characters_as_words():
    counts = count_text({"text": "新华社北京电\n\nThe council met 3 times."})
    assert counts == {"word_count": 6 + 5, "char_count": 32, "paragraph_count": 2}


def test_content_hash_ignores_case_and_whitespace():
    assert content_hash("The  river\n\nfell.") == content_hash("the river fell.")
    assert content_hash("The river fell.") != content_hash("The river rose.")


def test_mark_duplicates_points_at_the_earliest_article():
    known = {"h-old": "a-0"}
    rows = [
        {"id": "a-1", "content_hash": "h-new"},
        {"id": "a-2", "content_hash": "h-new"},
        {"id": "a-3", "content_hash": "h-old"},
        {"id": "a-0", "content_hash": "h-old"},  # the original itself, seen again
    ]
    assert mark_duplicates(rows, known) == 2
    assert [r["duplicate_of"] for r in rows] == [None, "a-1", "a-0", None]
    assert known == {"h-old": "a-0", "h-new": "a-1"}


def test_enrich_batch_writes_declared_columns(seed_path):
    text = seed_path.read_text(encoding="utf-8").split("\n\n", 2)[2]
    cleaned = {"id": "s", "text": text, "headings": [], "source_uri": "seed", "source_record": 0, "source_format": "txt", "raw": b""}
    [row], rejected, counters = enrich_batch([cleaned])
    assert not rejected and counters.forwarded == 1
    assert row["language"] == "en" and row["word_count"] > 1000
    assert row["quotes"][0]["speaker"] == "Ma Wen"
    assert row["content_hash"] == content_hash(text)


@pytest.mark.parametrize(
    ("declared", "expected"),
    [("de", True), ("en", False), (None, None)],
)
def test_declared_language_is_checked_against_the_detected_one(declared, expected):
    row = {"text": SAMPLES["de"], "declared_language": declared}
    row |= detect_language(row)

    assert check_declared_language(row) == {"language_matches_declared": expected}

import pytest

from schemas.tables import ARTICLES_SCHEMA
from tasks.enrich.enrich import ENRICH_STEPS, TextUnits, content_hash, count_text, enrich_batch
from tasks.extract.clean import CLEAN_COLUMNS

SEED_HEADLINE = "Chinese Officials Withdraw from the CCP"


def _cleaned(rows: list[dict]) -> list[dict]:
    """Rows as the clean stage hands them to enrich."""
    base = dict.fromkeys(CLEAN_COLUMNS) | {"headings": [], "source_record": 0, "source_format": "txt", "raw": b""}
    return [base | row for row in rows]


@pytest.fixture(scope="module")
def seed_row(seed_path):
    text = seed_path.read_text(encoding="utf-8").split("\n\n", 2)[2]
    [row], rejected, counters = enrich_batch(
        _cleaned([{"id": "s", "text": text, "headline": SEED_HEADLINE, "source_uri": "seed"}])
    )
    assert not rejected and counters.forwarded == 1
    return row


def test_every_step_writes_only_declared_articles_columns():
    for step in ENRICH_STEPS:
        assert set(step.writes) - {"minhash"} <= set(ARTICLES_SCHEMA.names), step.name


def test_seed_enriched_row(seed_row, seed_path):
    assert (seed_row["language"], seed_row["script"], seed_row["language_matches_declared"]) == ("en", "Latn", None)
    assert seed_row["language_score"] > 0.99
    # The body as plaintext leaves it: 11 paragraphs and 4 headings, each heading a sentence.
    assert (seed_row["word_count"], seed_row["sentence_count"], seed_row["paragraph_count"]) == (1098, 60, 15)
    assert seed_row["reading_time_minutes"] == round(1098 / 230, 1)
    assert 50 < seed_row["flesch_reading_ease"] < 60 and 9 < seed_row["flesch_kincaid_grade"] < 12
    assert seed_row["keywords"][:4] == ["Falun Gong", "Chinese Communist Party", "CCP", "Epoch Times Tuidang"]
    assert (seed_row["keywords_source"], seed_row["keywords"]) == ("extracted", seed_row["extracted_keywords"])
    assert [q["speaker"] for q in seed_row["quotes"]][:3] == ["Ma Wen", "Wang Changxing", "Wang Changxing"]
    assert seed_row["quality_warnings"] == []
    assert seed_row["content_hash"] == content_hash(seed_row["text"]) and len(seed_row["minhash"]) == 4 * 128


def test_page_tags_stay_keywords_and_extracted_ones_go_beside_them(seed_path):
    text = seed_path.read_text(encoding="utf-8").split("\n\n", 2)[2]
    [row], _, _ = enrich_batch(
        _cleaned([{"id": "t", "text": text, "keywords": ["China", "Politics"], "source_uri": "t"}])
    )
    assert (row["keywords"], row["keywords_source"]) == (["China", "Politics"], "page")
    assert "Falun Gong" in row["extracted_keywords"]


def test_reading_time_counts_cjk_characters_at_500_a_minute():
    text = "新华社北京电" * 100 + "\n\n" + "The council met today. " * 46
    counts = count_text({"text": text}, TextUnits(text))
    assert counts["word_count"] == 600 + 4 * 46
    assert counts["reading_time_minutes"] == round(600 / 500 + 4 * 46 / 230, 1)
    assert counts["sentence_count"] == 1 + 46


def test_content_hash_ignores_case_and_whitespace():
    assert content_hash("The  river\n\nfell.") == content_hash("the river fell.")
    assert content_hash("The river fell.") != content_hash("The river rose.")


def test_declared_language_mismatch_is_a_warning_not_a_rejection():
    text = "El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate sobre las escuelas. " * 8
    [row], rejected, counters = enrich_batch(
        _cleaned([{"id": "e", "text": text, "declared_language": "en", "source_uri": "e"}])
    )
    assert not rejected and row["language"] == "es" and row["language_matches_declared"] is False
    assert "declared_language_mismatch" in row["quality_warnings"]
    assert counters.warned["quality:declared_language_mismatch"] == 1

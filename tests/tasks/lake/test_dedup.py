"""Duplicates across runs, on a labelled set made from the project's real sample articles."""

from datetime import UTC, datetime

import pyarrow as pa
import pytest
from deltalake import DeltaTable

from tasks.enrich.enrich import content_hash
from tasks.enrich.minhash import text_signature
from tasks.extract.clean import clean_record
from tasks.ingest.files import discover_inputs, read_records
from tasks.lake.dedup import find_duplicates, write_signatures
from tasks.lake.paths import RunInfo, signatures_path
from tasks.lake.staging import POSITION
from tasks.lake.write import write_articles
from tasks.records import RawRecord
from tasks.text.words import WORD
from tests.support.factories import run_info

THRESHOLD = 0.8
FOOTER = "Follow us on Facebook and Twitter for more local news and updates from Riverton."


def _row(article_id: str, text: str) -> dict:
    return {"id": article_id, "text": text, "content_hash": content_hash(text), "minhash": text_signature(text)}


def _tables(rows: list[dict]):
    """`rows`, in run order, as find_duplicates reads a run's articles: Arrow tables with their positions."""
    return lambda columns: [pa.table({c: [r[c] for r in rows] for c in columns} | {POSITION: list(range(len(rows)))})]


def _commit(lake: str, rows: list[dict], n: int):
    found = find_duplicates(lake, _tables(rows), run_info(n))
    write_signatures(lake, found, run_info(n), {})
    for row in rows:
        found.mark(row)
    return found


def base_texts(raw_dir) -> dict[str, str]:
    """The cleaned sample articles, and the seed article's sections as articles of their own."""
    records = [
        r for item in discover_inputs([str(raw_dir)]).inputs for r in read_records(item) if isinstance(r, RawRecord)
    ]
    texts = {f"base-{i}": clean_record(record)["text"] for i, record in enumerate(records)}
    seed = max(texts.values(), key=len)
    sections = [s for s in seed.split("\n\n") if len(s) > 400]
    texts |= {f"section-{i}": section for i, section in enumerate(sections)}
    return texts


def variants(text: str) -> dict[str, str]:
    """Edits a republisher makes, from none to a rewrite."""
    words = text.split(" ")
    sentences = text.split(". ")
    return {
        "case-and-spacing": text.upper().replace(" ", "  "),
        "footer-added": f"{text}\n\n{FOOTER}",
        "sentence-dropped": ". ".join(sentences[: len(sentences) // 2] + sentences[len(sentences) // 2 + 1 :]),
        "every-40th-word-changed": " ".join("very" if i % 40 == 20 else w for i, w in enumerate(words)),
        "every-12th-word-changed": " ".join("very" if i % 12 == 6 else w for i, w in enumerate(words)),
        "first-half": " ".join(words[: len(words) // 2]),
        "every-3rd-word-changed": " ".join("very" if i % 3 == 1 else w for i, w in enumerate(words)),
    }


def shingles(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in WORD.findall(text)]
    return {tuple(words[i : i + 5]) for i in range(max(1, len(words) - 4))}


def jaccard(a: str, b: str) -> float:
    """The exact similarity the MinHash estimates: the truth of the labelled set."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


@pytest.fixture(scope="module")
def labelled_runs(raw_dir, tmp_path_factory):
    """Run 1 stores the originals, run 2 brings every variant; truth is the exact Jaccard."""
    lake = str(tmp_path_factory.mktemp("lake"))
    originals = base_texts(raw_dir)
    _commit(lake, [_row(i, t) for i, t in originals.items()], 1)
    later = {f"{i}/{kind}": v for i, t in originals.items() for kind, v in variants(t).items()}
    rows = [_row(i, t) for i, t in later.items()]
    found = _commit(lake, rows, 2)
    truth = {
        row["id"]: {o for o, t in originals.items() if jaccard(row["text"], t) >= THRESHOLD}
        | {e["id"] for e in rows[:index] if jaccard(row["text"], e["text"]) >= THRESHOLD}
        for index, row in enumerate(rows)
    }
    return lake, originals, rows, truth, found


def test_duplicate_figures_on_the_labelled_set(labelled_runs):
    """Pairs found / missed / false. The set is hard on purpose: a third of its variants sit
    within 0.05 of the threshold, where a 128-permutation MinHash (standard error 0.035 at
    Jaccard 0.8) decides by chance; every error is among those."""
    _, originals, rows, truth, _ = labelled_runs
    found = [r for r in rows if r["duplicate_of"] and r["duplicate_of"] in truth[r["id"]]]
    missed = [r for r in rows if truth[r["id"]] and not r["duplicate_of"]]
    false = [r for r in rows if r["duplicate_of"] and r["duplicate_of"] not in truth[r["id"]]]
    true_pairs = sum(1 for r in rows if truth[r["id"]])
    assert (len(originals) + len(rows), true_pairs, len(found), len(missed), len(false)) == (96, 32, 30, 2, 4)
    for row in missed + false:
        original = originals[row["id"].split("/")[0]]
        assert abs(jaccard(row["text"], original) - THRESHOLD) < 0.05, row["id"]


def test_every_variant_points_at_its_original_not_at_another_copy(labelled_runs):
    _, _, rows, _, _ = labelled_runs
    for row in rows:
        if row["duplicate_of"]:
            assert row["duplicate_of"] == row["id"].split("/")[0]


def test_exact_copies_have_similarity_one_and_are_counted_as_exact(labelled_runs):
    _, originals, rows, _, found = labelled_runs
    copies = [r for r in rows if r["id"].endswith("/case-and-spacing")]
    assert all(r["duplicate_similarity"] == 1.0 for r in copies)
    assert found.exact == len(originals) and found.near == found.total - found.exact


def test_rewrites_and_halves_are_not_duplicates(labelled_runs):
    _, _, rows, _, _ = labelled_runs
    assert not any(r["duplicate_of"] for r in rows if r["id"].endswith(("/every-3rd-word-changed", "/first-half")))


def test_signatures_of_both_runs_are_stored_once(labelled_runs):
    lake, originals, rows, _, _ = labelled_runs
    stored = DeltaTable(signatures_path(lake)).to_pyarrow_table()
    assert stored.num_rows == len(originals) + len(rows)
    assert len(set(stored["id"].to_pylist())) == stored.num_rows
    assert DeltaTable(signatures_path(lake)).version() == 1  # one commit per run


def test_later_run_finds_duplicates_from_signatures_alone(tmp_path, seed_path):
    """No articles table at all: the earlier texts are never read, only their signatures."""
    lake = str(tmp_path)
    text = seed_path.read_text(encoding="utf-8")
    _commit(lake, [_row("original", text)], 1)
    later = [_row("copy", f"{text}\n\n{FOOTER}")]
    found = _commit(lake, later, 2)
    assert (found.near, later[0]["duplicate_of"]) == (1, "original")
    assert later[0]["duplicate_similarity"] >= 0.8


def test_rerun_keeps_the_original_first_and_writes_nothing(tmp_path, seed_path):
    lake = str(tmp_path)
    text = seed_path.read_text(encoding="utf-8")
    _commit(lake, [_row("a", text)], 1)
    _commit(lake, [_row("b", text)], 2)
    rows = [_row("b", text), _row("a", text)]  # both again, the later one first
    found = _commit(lake, rows, 3)
    assert [(r["id"], r["duplicate_of"]) for r in rows] == [("b", "a"), ("a", None)]
    assert found.signatures == 0 and DeltaTable(signatures_path(lake)).version() == 1


def test_duplicates_within_one_run_point_at_the_first_in_input_order(tmp_path, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    rows = [_row("first", text), _row("second", text.upper()), _row("third", f"{text} {FOOTER}")]
    _commit(str(tmp_path), rows, 1)
    assert [r["duplicate_of"] for r in rows] == [None, "first", "first"]


def test_lake_without_signatures_is_backfilled_from_article_texts(tmp_path, seed_path):
    """A lake written before signatures existed: its texts are read once to build them."""
    lake = str(tmp_path)
    text = seed_path.read_text(encoding="utf-8")
    old = {
        "id": "old",
        "text": text,
        "content_hash": content_hash(text),
        "source_uri": "/in/old.txt",
        "source_record": 0,
    }
    write_articles(lake, [old], run_info(1), {})  # stamped with the time of the write: now
    later = [_row("new", f"{text}\n\n{FOOTER}")]
    next_run = RunInfo(
        "run-2", "manual", "0.1.0", datetime.now(UTC)
    )  # starts after that write, as a real next run does
    found = find_duplicates(lake, _tables(later), next_run)
    write_signatures(lake, found, next_run, {})
    found.mark(later[0])
    assert later[0]["duplicate_of"] == "old"
    assert sorted(DeltaTable(signatures_path(lake)).to_pyarrow_table()["id"].to_pylist()) == ["new", "old"]


def test_changed_text_updates_the_signature_and_keeps_first_seen(tmp_path, seed_path):
    lake = str(tmp_path)
    text = seed_path.read_text(encoding="utf-8")
    _commit(lake, [_row("a", text)], 1)
    changed = text.replace("Falun Gong", "the practice")
    found = _commit(lake, [_row("a", changed)], 2)
    [stored] = DeltaTable(signatures_path(lake)).to_pyarrow_table().to_pylist()
    assert found.signatures == 1 and stored["content_hash"] == content_hash(changed)
    assert stored["first_seen"] == run_info(1).started_at


def test_signatures_survive_repeated_updates_of_one_article(tmp_path, seed_path):
    """Each update rewrites the stored signature; a MERGE here left string_view files that broke the third run."""
    lake = str(tmp_path)
    text = seed_path.read_text(encoding="utf-8")
    for n in range(1, 5):
        _commit(lake, [_row("a", f"{text}\n\nCorrection number {n}.")], n)
    [stored] = DeltaTable(signatures_path(lake)).to_pyarrow_table().to_pylist()
    assert (stored["id"], stored["first_seen"], DeltaTable(signatures_path(lake)).version()) == (
        "a",
        run_info(1).started_at,
        3,
    )

"""Shared fixtures: paths of the project's real sample documents."""

from pathlib import Path

import pytest

from tests.support.factories import run_info
from tests.support.pipeline import run_pipeline

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The reference article, as shipped in data/raw."""
    return ROOT / "data" / "raw" / "000_b3c2f05c6aa84539.txt"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def page():
    """Text of a sample page: the ones `make run` uses live in data/raw, test-only ones in tests/fixtures/html."""

    def read(name: str) -> str:
        shipped = ROOT / "data" / "raw" / name
        path = shipped if shipped.exists() else ROOT / "tests" / "fixtures" / "html" / name
        return path.read_text(encoding="utf-8")

    return read


LIBRARY_URL = "https://www.rivertonledger.example/2024/05/14/library-extends-weekend-hours/"


@pytest.fixture(scope="session")
def versioned_lake(tmp_path_factory, raw_dir):
    """A lake with two article versions: 0 is data/raw as shipped; 1 corrects one JSONL article's
    text (same URL: an update in place) and adds a new article."""
    import json
    import shutil

    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(raw_dir, raw, dirs_exist_ok=True)
    lake = str(tmp_path_factory.mktemp("lake"))
    first = run_pipeline([str(raw)], lake, run_info(1))
    export = raw / "riverton_ledger_export.jsonl"
    lines = export.read_text(encoding="utf-8").splitlines()
    library = json.loads(lines[0])
    assert library["url"] == LIBRARY_URL
    library["text"] = library["text"].replace("rose 18 percent", "rose 21 percent")
    lines[0] = json.dumps(library, ensure_ascii=False)
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (raw / "late_news.txt").write_text(
        "Ferry Service Resumes After Winter Pause\n\nRIVERTON, March 3, 2025 - The river ferry between Riverton and "
        "Oak Landing resumed service on Monday after a three-month winter pause.\n\nThe operator said crossings will "
        "run every forty minutes until the end of October.\n",
        encoding="utf-8",
    )
    second = run_pipeline([str(raw)], lake, run_info(2))
    assert (first.articles_version, second.articles_version, second.inserted, second.updated) == (0, 1, 1, 1)
    return lake

"""Shared fixtures: paths of the project's real sample documents."""

from pathlib import Path

import pytest

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

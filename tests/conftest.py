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
def html_fixtures() -> Path:
    return ROOT / "tests" / "fixtures" / "html"

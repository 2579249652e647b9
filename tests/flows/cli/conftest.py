"""Lakes and a console width that several command tests share."""

import shutil

import pytest

from flows.cli.options import console


@pytest.fixture
def lake_copy(versioned_lake, tmp_path):
    """A copy of the two-version lake the test may change."""
    copy = tmp_path / "lake"
    shutil.copytree(versioned_lake, copy)
    return str(copy)


@pytest.fixture
def wide_console(monkeypatch):
    """Room for every column of a wide table (history, maintenance), as on a wide terminal."""
    monkeypatch.setattr(console, "width", 250)

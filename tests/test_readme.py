"""The README's "Reading the output" snippets, run as written against a real two-version lake."""

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("### Reading the output") :].split("\n## ", 1)[0]
BLOCKS = re.findall(r"```(python|sh)\n(.*?)```", SECTION, flags=re.DOTALL)
UNTESTED = "pyspark"  # Spark is not installed here; the README says its snippet is untested
SNIPPETS = [code for language, code in BLOCKS if language == "python" and UNTESTED not in code]
COMMANDS = [line for language, code in BLOCKS if language == "sh" for line in code.splitlines() if line.strip()]
# What the versioned_lake fixture holds: version 0 as shipped, version 1 with one correction and one new article.
ROWS = {"latest": 6, "first": 5, "snapshot": 6, "by_month": 6}
LIBRARY_TEXT = {
    "latest": "rose 21 percent",
    "first": "rose 18 percent",
    "snapshot": "rose 21 percent",
    "by_month": "rose 21 percent",
}


@pytest.fixture
def project(versioned_lake, tmp_path, monkeypatch):
    """A project folder with the lake at data/lake, where the README's commands have run."""
    shutil.copytree(versioned_lake, tmp_path / "data" / "lake")
    monkeypatch.chdir(tmp_path)
    for command in COMMANDS:
        words = shlex.split(command)
        assert words[0] == "broadsheet"
        result = CliRunner().invoke(app, words[1:])
        assert result.exit_code == 0, f"{command}: {result.output}"
    return tmp_path


def _rows(frame) -> list[dict]:
    """Rows of a pandas or polars DataFrame or a pyarrow Table; pandas' NaN for missing read as None."""
    for convert in ("to_pylist", "to_dicts"):
        if hasattr(frame, convert):
            return getattr(frame, convert)()
    return [
        {k: None if isinstance(v, float) and v != v else v for k, v in row.items()} for row in frame.to_dict("records")
    ]


def test_the_section_has_every_reader_the_issue_names():
    for reader in (
        "deltalake",
        "polars",
        "duckdb",
        "pyarrow",
        "pyarrow.parquet",
        "pyspark",
        "read_parquet",
        "file_uris",
    ):
        assert reader in SECTION, reader
    assert len(SNIPPETS) == 6 and len(COMMANDS) == 2


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda code: code.split("\n")[0])
def test_snippet_reads_the_version_it_names(project, snippet):
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    checked = [name for name in ROWS if name in namespace]
    assert checked, "a snippet should name its result latest, first, snapshot or by_month"
    for name in checked:
        rows = _rows(namespace[name])
        assert len(rows) == ROWS[name], name
        [library] = [r for r in rows if "Riverton Public Library" in r["text"]]
        assert LIBRARY_TEXT[name] in library["text"], name
        if "published_month" in rows[0]:
            assert {r["published_month"] for r in rows} >= {"2007-09", "2024-05", None}, name
    if "may_2024" in namespace:
        months = {r["published_month"] for r in _rows(namespace["may_2024"])}
        assert months == {"2024-05"}

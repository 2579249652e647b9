"""The README keeps its promises: a short user's guide whose commands exist and whose snippets run.

Checked here: its length and sections, the two quick-start commands, that every `broadsheet`
command and option it (or docs/) shows is one the CLI has and that it shows every command the
CLI has, that every `make` target it names is in the Makefile and does what it says, that the
Prefect deployments it triggers are the ones prefect.yaml declares, that links and code paths
resolve, and that its Python snippets compile and, for "Reading the output", run as written
against a real two-version lake.

The CLI is found the way the console script finds it, through the `broadsheet` entry point
declared in pyproject.toml, so moving the CLI's modules does not break this file.
"""

import importlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("docs/*.md"))}
GUIDES = {"README.md": README} | DOCS
MAX_LINES = 300
SECTIONS = [
    "What it does",
    "Quick start",
    "The command line",
    "Reading the output",
    "Scheduling and triggering",
    "The lake layout",
    "Limits",
    "Troubleshooting",
    "Development",
]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", flags=re.DOTALL | re.MULTILINE)
UNTESTED = "pyspark"  # Spark is not installed here; the README says its snippet is untested
# What the versioned_lake fixture holds: version 0 as shipped, version 1 with one correction and one new article.
ROWS = {"latest": 6, "first": 5, "snapshot": 6, "by_month": 6}
LIBRARY_TEXT = {
    "latest": "rose 21 percent",
    "first": "rose 18 percent",
    "snapshot": "rose 21 percent",
    "by_month": "rose 21 percent",
}
# Code paths docs may name: folders of this repository (data/lake and exports/ are made by runs).
CODE_PATH = re.compile(r"^(?:flows|tasks|schemas|benchmarks|tests|docs|\.ci)/[\w./-]*$")


def _sections(text: str) -> dict[str, str]:
    """Each `## ` section of a Markdown text, by title, fenced code blocks left whole."""
    parts = re.split(r"^## (.+)\n", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _blocks(text: str) -> list[tuple[str, str]]:
    return FENCE.findall(text)


def _code(text: str) -> list[str]:
    """Every line of code the text shows: fenced block lines and inline code spans."""
    lines = [line for _, block in _blocks(text) for line in block.splitlines()]
    prose = FENCE.sub("", text)
    return lines + re.findall(r"`([^`\n]+)`", prose)


def _broadsheet_lines(text: str) -> list[list[str]]:
    """The words of every `broadsheet <command> ...` the text shows, program name dropped."""
    found = []
    for line in _code(text):
        line = line.strip()
        for program in ("broadsheet ", ".venv/bin/broadsheet "):
            if line.startswith(program):
                found.append(shlex.split(line[len(program) :], comments=True))
    return found


def _cli() -> typer.Typer:
    """The app the `broadsheet` console script runs: the `app` beside the function pyproject.toml names."""
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    entry_point = EntryPoint(name="broadsheet", value=scripts["broadsheet"], group="console_scripts")
    assert callable(entry_point.load())
    app: typer.Typer = importlib.import_module(entry_point.module).app
    return app


@pytest.fixture(scope="module")
def commands() -> dict[str, Any]:
    group = typer.main.get_command(_cli())  # typer's own click: a group with .commands
    return dict(group.commands)  # type: ignore[attr-defined]


def _make_targets() -> dict[str, list[str]]:
    """Every Makefile target with its recipe lines."""
    targets: dict[str, list[str]] = {}
    current: list[str] = []
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        header = re.match(r"^([A-Za-z0-9_.-]+(?: [A-Za-z0-9_.-]+)*):(?!=)", line)
        if header:
            current = []
            for name in header.group(1).split():
                targets[name] = current
        elif line.startswith("\t"):
            current.append(line.strip())
    return targets


def _slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(text: str) -> set[str]:
    return {_slug(heading) for heading in re.findall(r"^#+ (.+)$", FENCE.sub("", text), flags=re.MULTILINE)}


# The README as a user's guide


def test_the_readme_is_a_short_guide():
    assert len(README.splitlines()) <= MAX_LINES


def test_the_readme_has_the_sections_of_a_users_guide():
    assert list(_sections(README))[: len(SECTIONS)] == SECTIONS


def test_quick_start_is_make_run_and_make_test():
    quick_start = _sections(README)["Quick start"]
    [(_, block)] = _blocks(quick_start)
    assert block.split("\n")[:-1] == ["make run", "make test"]
    assert "`make run` sets everything up, then runs the main flow on `data/raw` into `data/lake`" in quick_start


def test_the_readme_points_to_every_document_in_docs():
    for name in DOCS:
        assert f"]({name})" in README, name


# Commands


def test_the_command_line_section_shows_every_command_the_cli_has(commands):
    shown = {words[0] for words in _broadsheet_lines(_sections(README)["The command line"])}
    assert shown == set(commands)


@pytest.mark.parametrize("document", GUIDES)
def test_every_broadsheet_command_shown_exists_with_its_options(commands, document):
    lines = _broadsheet_lines(GUIDES[document])
    assert lines or document != "README.md"
    for words in lines:
        assert words[0] in commands, " ".join(words)
        options = {opt for param in commands[words[0]].params for opt in (*param.opts, *param.secondary_opts)}
        for word in words[1:]:
            for option in re.findall(r"^\[?(--?[a-z][\w-]*)", word):
                assert option in options | {"--help"}, f"broadsheet {words[0]} has no {option}"


def test_the_console_script_lists_the_commands_the_readme_shows():
    script = Path(sys.executable).with_name("broadsheet")
    if not script.exists():
        pytest.skip(f"no broadsheet console script beside {sys.executable}")
    environment = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    result = subprocess.run([script, "--help"], capture_output=True, text=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    listed = set(re.findall(r"^│ (\w+) ", result.stdout, flags=re.MULTILINE))
    assert {words[0] for words in _broadsheet_lines(README)} <= listed


@pytest.mark.parametrize("document", GUIDES)
def test_every_make_target_named_exists(document):
    targets = _make_targets()
    commands = [re.match(r"\s*make ([a-z][\w-]*)", code) for code in _code(GUIDES[document])]
    named = {command.group(1) for command in commands if command}
    assert named <= set(targets), named - set(targets)


def test_make_targets_do_what_the_readme_says():
    targets = _make_targets()
    assert targets["lint"] == ["$(BIN)/ruff check .", "$(BIN)/ruff format --check .", "$(BIN)/mypy"]
    in_processes = "$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS) --dist loadfile"
    assert targets["test-fast"] == [f'{in_processes} -m "not slow"']
    assert targets["test"] == [in_processes]
    assert "$(BIN)/broadsheet run data/raw --lake data/lake" in " ".join(targets["run"])
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("\nmake lint\n") < ci.index("\nmake test\n")


def test_the_deployments_triggered_are_those_of_prefect_yaml():
    project = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    declared = set()
    for deployment in project["deployments"]:
        path, function = deployment["entrypoint"].split(":")
        module = path.removesuffix(".py").replace("/", ".")
        flow = getattr(importlib.import_module(module), function)
        declared.add(f"{flow.name}/{deployment['name']}")
    triggered = {name for code in _code(README) for name in re.findall(r"deployment run '([\w-]+/[\w-]+)'", code)}
    assert triggered and triggered <= declared
    for name in declared:
        assert f"`{name}`" in README, f"the README does not name the deployment {name}"


# Links and paths


@pytest.mark.parametrize("document", GUIDES)
def test_links_and_their_anchors_resolve(document):
    here = (ROOT / document).parent
    for target in re.findall(r"\]\(([^)\s]+)\)", FENCE.sub("", GUIDES[document])):
        if re.match(r"^[a-z]+://", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (here / path).resolve() if path else ROOT / document
        assert linked.exists(), target
        if anchor:
            assert anchor in _anchors(linked.read_text(encoding="utf-8")), target


@pytest.mark.parametrize("document", GUIDES)
def test_every_code_path_named_exists(document):
    for span in re.findall(r"`([^`\n]+)`", FENCE.sub("", GUIDES[document])):
        if CODE_PATH.match(span):
            assert (ROOT / span).exists(), span


def test_the_architecture_names_the_modules_each_package_holds():
    rows = re.findall(r"^\| `(tasks/\w+/)` \|(.*)\|$", DOCS["docs/architecture.md"], flags=re.MULTILINE)
    assert rows
    for package, holds in rows:
        for module in re.findall(r"`([\w.]+\.py)`", holds):
            assert (ROOT / package / module).exists(), package + module


# Python snippets


@pytest.mark.parametrize("document", GUIDES)
def test_every_python_snippet_compiles(document):
    for language, code in _blocks(GUIDES[document]):
        if language == "python":
            compile(code, document, "exec")


READING = _sections(README)["Reading the output"]
SNIPPETS = [code for language, code in _blocks(READING) if language == "python" and UNTESTED not in code]
EXPORTS = [line for language, code in _blocks(READING) if language == "sh" for line in code.splitlines() if line]


def test_reading_the_output_shows_every_reader():
    for reader in (
        "to_pandas",
        "polars",
        "duckdb",
        "pyarrow",
        "pyarrow.parquet",
        "pyspark",
        "read_parquet",
        "file_uris",
    ):
        assert reader in READING, reader
    assert "version=0" in READING and "versionAsOf" in READING
    assert len(SNIPPETS) == 5 and len(EXPORTS) == 2


@pytest.fixture
def project(versioned_lake, tmp_path, monkeypatch):
    """A project folder with the lake at data/lake, where the README's export commands have run."""
    shutil.copytree(versioned_lake, tmp_path / "data" / "lake")
    monkeypatch.chdir(tmp_path)
    for command in EXPORTS:
        words = shlex.split(command)
        assert words[0] == "broadsheet"
        result = CliRunner().invoke(_cli(), words[1:])
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

"""`make test` on a bare machine: it installs headless Chromium where it can, and where it cannot, the
browser tests skip with one line saying how to get it; with CI=true a missing browser fails instead.

`make browser` runs here against a PATH of stand-ins: `id` says who we are, `apt-get` logs its
arguments (and, if asked, "installs" a stand-in `chromium`), so no test needs root or touches the machine.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.chromium import NOT_INSTALLED

ROOT = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")
BROWSER_TEST = "tests/tasks/report/test_page.py::test_report_renders_in_chromium_with_every_chart_drawn"

pytestmark = pytest.mark.skipif(MAKE is None, reason="needs make")


def _stand_in(bin_dir: Path, name: str, script: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)


class Machine:
    """A PATH without chromium, where stand-ins say who runs make and what apt-get does."""

    def __init__(self, root: Path):
        self.bin_dir = root / "bin"
        self.bin_dir.mkdir()
        self.apt_log = root / "apt-get.log"

    def make_browser(
        self, *, uid: int = 1000, apt_get: str | None = None, ci: bool = False
    ) -> subprocess.CompletedProcess[str]:
        _stand_in(self.bin_dir, "id", f"echo {uid}")
        if apt_get is not None:
            _stand_in(self.bin_dir, "apt-get", f'echo "$*" >> {self.apt_log}\n{apt_get}')
        # Only PATH: a CI=true or MAKEFLAGS of the machine running the suite must not change what make does.
        command = [MAKE or "make", "--no-print-directory", "-C", str(ROOT), "browser", *(["CI=true"] if ci else [])]
        return subprocess.run(command, env={"PATH": str(self.bin_dir)}, capture_output=True, text=True, timeout=60)

    def apt_calls(self) -> list[str]:
        return self.apt_log.read_text(encoding="utf-8").splitlines() if self.apt_log.exists() else []


@pytest.fixture
def machine(tmp_path) -> Machine:
    return Machine(tmp_path)


def _says_how_to_get_it(output: str) -> None:
    assert len(output.splitlines()) == 1, output
    assert "browser tests will skip" in output and "apt-get install chromium" in output, output


def test_make_test_installs_the_browser_before_the_suite():
    dry_run = subprocess.run(
        [MAKE or "make", "-n", "-C", str(ROOT), "test"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert dry_run.index("command -v chromium") < dry_run.index("-m pytest")


def test_without_root_it_installs_nothing_and_says_how_in_one_line(machine):
    done = machine.make_browser(uid=1000, apt_get="exit 0")
    assert done.returncode == 0, done.stderr
    _says_how_to_get_it(done.stdout)
    assert machine.apt_calls() == []


def test_without_apt_get_it_says_how_in_one_line(machine):
    done = machine.make_browser(uid=0)
    assert done.returncode == 0, done.stderr
    _says_how_to_get_it(done.stdout)


def test_as_root_with_apt_get_it_installs_chromium(machine):
    chromium, chmod = machine.bin_dir / "chromium", shutil.which("chmod")  # chmod by path: PATH is the stand-ins
    done = machine.make_browser(
        uid=0, apt_get=f'case "$*" in *install*) echo "exit 0" > {chromium}; {chmod} +x {chromium};; esac'
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert machine.apt_calls() == ["update -qq", "install -y -qq chromium"]


def test_a_failed_install_still_lets_the_tests_run_and_skip(machine):
    # No network, say: `make test` goes on, and the browser tests skip.
    done = machine.make_browser(uid=0, apt_get="exit 100")
    assert done.returncode == 0, done.stderr
    _says_how_to_get_it(done.stdout)


def test_with_chromium_there_is_nothing_to_do(machine):
    _stand_in(machine.bin_dir, "chromium", "exit 0")
    done = machine.make_browser(uid=0, apt_get="exit 0")
    assert (done.returncode, done.stdout, machine.apt_calls()) == (0, "", [])


def test_ci_fails_rather_than_skip_the_browser_tests(machine):
    done = machine.make_browser(uid=1000, ci=True)
    assert done.returncode != 0
    assert "browser tests must run" in done.stderr


def test_ci_run_installs_the_browser_in_ci_mode_before_the_tests():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("\nmake lint\n") < ci.index("\nmake browser CI=true\n") < ci.index("\nmake test\n")


def test_a_browser_test_skips_with_one_line_without_chromium(tmp_path):
    """The Data Docs and report tests on a machine without Chromium: skipped, each with the reason."""
    no_chromium = tmp_path / "bin"
    no_chromium.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", BROWSER_TEST],
        cwd=ROOT,
        env={"PATH": str(no_chromium)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 skipped" in done.stdout
    reasons = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(reasons) == 1 and reasons[0].endswith(NOT_INSTALLED), done.stdout


def test_uv_is_given_the_interpreter_itself_not_the_launcher_that_found_it(tmp_path):
    # uv matches --python against .venv's interpreter by path: given a launcher (a pyenv shim),
    # every `make setup` or `make bench` would delete and rebuild .venv.
    launcher = tmp_path / "python3.11"
    launcher.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    dry_run = subprocess.run(
        [MAKE or "make", "-n", "-B", "-C", str(ROOT), f"PYTHON={launcher}", "setup", "bench"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    syncs = [line for line in dry_run.splitlines() if " sync " in line]
    assert len(syncs) == 2, dry_run
    assert all(line.endswith(f"--python {sys.executable}") for line in syncs), syncs

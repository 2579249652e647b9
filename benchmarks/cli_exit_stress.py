"""Short `broadsheet` commands, many times, on a busy machine: does every one exit with its own status?

deltalake can abort a process as it exits (exit 134, delta-rs #2184). This runs the commands
people script (run with a new input and with nothing new, history, quarantine, diff, show, export,
report, maintain) round-robin against one lake while busy loops keep every core loaded, and
prints the exit statuses per command. It exits 1 if any status was not the expected one.

    .venv/bin/python benchmarks/cli_exit_stress.py [--runs 50] [--load N]
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROADSHEET = [sys.executable, "-c", "from flows.cli.app import app; app()"]


def _busy() -> None:
    while True:
        pass


def _commands(source: Path, lake: Path, scratch: Path) -> Iterator[tuple[str, Callable[[], list[str]]]]:
    """(name, argv maker) of each step, round-robin; the maker runs just before the step."""
    counter = itertools.count()

    def new_input() -> list[str]:
        n = next(counter)
        (source / f"note_{n:03d}.txt").write_text(
            f"Council Note {n}\n\nRIVERTON, May {n % 28 + 1}, 2024 - The council met for session {n} on "
            "Monday and agreed to publish its minutes.\n",
            encoding="utf-8",
        )
        return ["run", str(source), "--lake", str(lake)]

    lake_option = ["--lake", str(lake)]
    steps: list[tuple[str, Callable[[], list[str]]]] = [
        ("run (new input)", new_input),
        ("run (nothing new)", lambda: ["run", str(source), *lake_option]),
        ("history", lambda: ["history", *lake_option]),
        ("quarantine", lambda: ["quarantine", *lake_option]),
        ("diff", lambda: ["diff", "0", *lake_option]),
        ("export", lambda: ["export", str(scratch / f"export_{next(counter)}"), *lake_option]),
        ("report", lambda: ["report", "--out", str(scratch / "report.html"), *lake_option]),
        ("maintain", lambda: ["maintain", *lake_option]),
    ]
    return itertools.cycle(steps)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--load", type=int, default=os.cpu_count() or 2, help="busy-loop processes meanwhile")
    args = parser.parse_args()

    from flows.prefect_api import start_temporary_server

    env = os.environ | {"PREFECT_API_URL": start_temporary_server()}  # one server for all: each run stays short
    busy = [multiprocessing.Process(target=_busy, daemon=True) for _ in range(args.load)]
    with tempfile.TemporaryDirectory() as folder:
        source, lake, scratch = Path(folder, "source"), Path(folder, "lake"), Path(folder, "scratch")
        shutil.copytree(ROOT / "data" / "raw", source)
        scratch.mkdir()
        first = subprocess.run(
            [*BROADSHEET, "run", str(source), "--lake", str(lake)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if first.returncode:
            print(first.stdout[-2000:], first.stderr[-2000:])
            return 1
        for process in busy:
            process.start()
        statuses: defaultdict[str, Counter[int]] = defaultdict(Counter)
        started = time.monotonic()
        for name, argv in itertools.islice(_commands(source, lake, scratch), args.runs):
            end = subprocess.run([*BROADSHEET, *argv()], cwd=ROOT, env=env, capture_output=True, text=True)
            statuses[name][end.returncode] += 1
            if end.returncode:
                print(f"{name}: exit {end.returncode}: {end.stderr.strip().splitlines()[-1:]}")
        for process in busy:
            process.terminate()
    print(f"{args.runs} commands in {time.monotonic() - started:.0f} s with {args.load} busy loops")
    for name, counts in statuses.items():
        print(f"  {name:<18} " + ", ".join(f"exit {code}: {n}" for code, n in sorted(counts.items())))
    wrong = sum(n for counts in statuses.values() for code, n in counts.items() if code != 0)
    print(f"wrong exit statuses: {wrong}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())

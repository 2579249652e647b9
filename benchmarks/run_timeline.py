"""Where a run's seconds go, second by second: CPU of the flow process, the temporary Prefect
server and the document workers, beside the run's own log lines.

Runs a command (by default `broadsheet run` on the throughput corpus, into a fresh lake) and
every --every seconds prints the CPU seconds each role used since the last line; log lines
are printed with the seconds since the command started. The start-up (imports, the server,
the workers' imports), how busy the workers are and the tail after the last batch show directly.

usage: .venv/bin/python benchmarks/run_timeline.py [-n 1000] [--workers 2] [--every 1.0] [-- COMMAND ...]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput import BROADSHEET, DEFAULT_DATA, build_corpus  # noqa: E402

_TABLE_LINE = tuple("│└┌├┏┃┡┗┣┃")  # the summary's table rows: left out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--documents", type=int, default=1000, help="corpus size [1000]")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between CPU lines [1.0]")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the article-extraction benchmark folder")
    parser.add_argument("command", nargs="*", help="a command to watch instead of `broadsheet run`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="broadsheet-timeline-") as work:
        command = args.command
        if not command:
            corpus = Path(work) / "corpus"
            build_corpus(args.data / "html", args.documents, corpus)
            lake = Path(work) / "lake"
            shutil.rmtree(lake, ignore_errors=True)
            command = [str(BROADSHEET), "run", str(corpus), "--lake", str(lake), "--workers", str(args.workers)]
        watch(command, args.every)


def watch(command: list[str], every: float) -> None:
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    assert process.stdout is not None
    threading.Thread(target=_echo, args=(process.stdout, started), daemon=True).start()
    root = psutil.Process(process.pid)
    seen: dict[int, float] = {}  # pid -> CPU seconds at the last line
    totals: dict[str, float] = {}
    while process.poll() is None:
        time.sleep(every)
        used: dict[str, float] = {}
        try:
            members = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for member in members:
            try:
                times = member.cpu_times()
                role = _role(" ".join(member.cmdline()))
            except psutil.Error:
                continue  # ended between listing and reading
            cpu = times.user + times.system
            used[role] = used.get(role, 0.0) + cpu - seen.get(member.pid, 0.0)
            seen[member.pid] = cpu
        for role, cpu in used.items():
            totals[role] = totals.get(role, 0.0) + cpu
        print(f"{time.monotonic() - started:6.1f} cpu " + " ".join(f"{k}={v:.2f}" for k, v in sorted(used.items())))
    print(
        f"wall {time.monotonic() - started:.1f} s; CPU s "
        + ", ".join(f"{k} {v:.1f}" for k, v in sorted(totals.items()))
    )


def _role(command_line: str) -> str:
    if "uvicorn" in command_line:
        return "server"
    if "tasks.workers.deadline" in command_line:
        return "workers"
    return "flow"


def _echo(stream: IO[str], started: float) -> None:
    for line in stream:
        if line.strip() and not line.lstrip().startswith(_TABLE_LINE):
            print(f"{time.monotonic() - started:6.1f} | {line.rstrip()[:150]}", flush=True)


if __name__ == "__main__":
    main()

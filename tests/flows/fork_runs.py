"""Start `broadsheet run` processes as forks of one warm process, for the crash tests.

A fresh process pays 5+ s of CPU importing Prefect and the stages and setting up Great
Expectations and the language model; this script pays it once (by processing the reference
article), then forks one real, separate run process per command, which a test can stop and
kill -9 like any other. Prefect settings come from this script's environment.

stdin: one JSON command per line, {"argv": [...], "env": {...}, "log": path}.
stdout: {"started": pid} per command, {"exited": pid, "status": code, or -signal} per run end.
"""

import json
import os
import select
import sys
import tempfile
import traceback
from pathlib import Path

import tqdm

import flows  # noqa: F401  (Prefect defaults before Prefect loads)
from flows.cli.app import app
from tasks.ingest.files import discover_inputs
from tasks.pipeline import process_batch, read_batches

SEED = Path(__file__).resolve().parents[2] / "data" / "raw" / "000_b3c2f05c6aa84539.txt"


def warm_up() -> None:
    tqdm.tqdm.monitor_interval = 0  # no monitor thread: a fork copies only the thread that forks
    with tempfile.TemporaryDirectory() as staging:
        process_batch(next(read_batches(discover_inputs([str(SEED)]).inputs, 1)), staging)


def run_child(command: dict) -> int:
    log = os.open(command["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.environ.update(command["env"])
    try:
        app(command["argv"], prog_name="broadsheet")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else 1
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


def report(**fields) -> None:
    print(json.dumps(fields), flush=True)


def main() -> None:
    warm_up()
    pending, reading, running = b"", True, set()
    while reading or running:
        if reading and select.select([0], [], [], 0.05)[0]:
            chunk = os.read(0, 65536)
            reading = bool(chunk)
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                pid = os.fork()
                if pid == 0:
                    code = run_child(json.loads(line))
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
                running.add(pid)
                report(started=pid)
        elif not reading:
            select.select([], [], [], 0.05)
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            running.discard(pid)
            report(exited=pid, status=os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()

"""What the garbage collector costs a document worker, with and without freezing what the
worker's first item loaded (tasks/workers/deadline.py does so).

Each mode runs in a fresh interpreter, as a worker does: the worker's function over N records
of the throughput corpus (the shared article-extraction pages as JSONL records), one at a
time, timing every collection with gc.callbacks. Prints both modes side by side.

usage: .venv/bin/python benchmarks/worker_gc.py [-n 1000] [--data DIR]
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput import DEFAULT_DATA, build_corpus  # noqa: E402

MODES = ("no freeze", "freeze after the first item")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)  # one child's mode
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        _measure(args.corpus, freeze=args.mode == MODES[1])
        return
    print(f"{'mode':28s} {'ms a record':>11s} {'gc s':>6s} {'gc share':>8s} {'full collections s':>18s}")
    with tempfile.TemporaryDirectory(prefix="broadsheet-gc-") as work:
        build_corpus(args.data / "html", args.n, Path(work))
        for mode in MODES:
            subprocess.run([sys.executable, __file__, "--mode", mode, "--corpus", work], check=True)


def _measure(corpus: Path, freeze: bool) -> None:
    from tasks.clean_and_enrich import clean_and_enrich_or_reject
    from tasks.ingest.files import discover_inputs
    from tasks.pipeline import read_batches
    from tasks.workers.deadline import freeze_what_is_loaded

    records = [record for batch in read_batches(discover_inputs([str(corpus)]).inputs, 500) for record in batch.records]
    clean_and_enrich_or_reject(records[0])  # the worker's first item: its lazy imports
    if freeze:
        freeze_what_is_loaded()
    seconds = {"all": 0.0, "full": 0.0}
    collection_started = 0.0

    def timed(phase: str, info: dict[str, int]) -> None:
        nonlocal collection_started
        if phase == "start":
            collection_started = time.perf_counter()
            return
        spent = time.perf_counter() - collection_started
        seconds["all"] += spent
        if info["generation"] == 2:
            seconds["full"] += spent

    gc.callbacks.append(timed)
    started = time.process_time()
    for record in records[1:]:
        clean_and_enrich_or_reject(record)
    total = time.process_time() - started
    gc.callbacks.remove(timed)
    mode = MODES[1] if freeze else MODES[0]
    print(
        f"{mode:28s} {total / (len(records) - 1) * 1000:11.2f} {seconds['all']:6.2f} "
        f"{seconds['all'] / total:8.1%} {seconds['full']:18.2f}",
        flush=True,
    )


if __name__ == "__main__":
    main()

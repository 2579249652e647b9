"""Fuzz every input reader: N seeded mutations of small real inputs, read and cleaned in this process.

Each case is one seed file (data/raw's .txt, .html, .htm and .jsonl, and a WARC and an ARC file
built in tests/support/fuzzing.py) written as .txt, .html, .htm, .html.gz, .jsonl, .warc, .warc.gz,
.arc or .arc.gz in turn, after truncating, flipping bits, inserting, deleting and duplicating
bytes, or splicing in another seed (a .gz case before compressing, after, or both). Every case is
read with read_records and each record cleaned and enriched with clean_and_enrich_or_reject, as
a worker would but without one. A crash is any exception that escapes, or a yield that is neither
a record nor a rejection with reasons; it must never happen.

Prints cases, crashes (each with the case id that reproduces it: --seed and the case number),
records read, articles, quarantined, records passed over (no page) and the slowest case.

usage: .venv/bin/python benchmarks/fuzz_readers.py [--cases 10000] [--seed 0] [--read-only]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.fuzzing import CaseResult, fuzz_case, run_case  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0, help="base seed: case N of seed S is always the same file")
    parser.add_argument("--read-only", action="store_true", help="read only, without clean and enrich")
    args = parser.parse_args()
    # Broken inputs make warcio and the readers warn on every case; the figures are the output.
    logging.disable(logging.WARNING)

    started = perf_counter()
    results: list[CaseResult] = []
    with tempfile.TemporaryDirectory() as folder:
        # The first document cleaned loads the language models: warm them up untimed, or the
        # slowest case would always be case 0.
        run_case(fuzz_case(args.seed, 0), Path(folder), clean=not args.read_only)
        for number in range(args.cases):
            results.append(run_case(fuzz_case(args.seed, number), Path(folder), clean=not args.read_only))
    crashes = [result for result in results if result.crash is not None]
    slowest = max(results, key=lambda result: result.seconds)

    print(f"cases:        {len(results)} (seed {args.seed}, {perf_counter() - started:.1f} s)")
    print(f"run crashes:  {len(crashes)}")
    for result in crashes:
        last_line = (result.crash or "").strip().splitlines()[-1]
        print(f"  case {result.case.case_id} ({result.case.name}): {last_line}")
    print(f"records read: {sum(result.records for result in results)}")
    print(f"articles:     {sum(result.articles for result in results)}")
    print(f"quarantined:  {sum(result.quarantined for result in results)}")
    print(f"passed over:  {sum(result.passed_over for result in results)} (WARC/ARC records that are no page, counted)")
    print(f"slowest case: {slowest.seconds * 1000:.1f} ms, case {slowest.case.case_id} ({slowest.case.name})")


if __name__ == "__main__":
    main()

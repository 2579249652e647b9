"""Enrich time per article next to clean time per article, on the shared article benchmark.

    .venv/bin/python benchmarks/enrich_cost.py [--pages DIR] [--repeat N]

Cleans every page of /work/shared/benchmarks/article-extraction/html (181 real news and blog
pages), then enriches the cleaned articles, both stages as the pipeline runs them (clean_batch,
enrich_batch on the cleaned rows), one process, one core, timed side by side in this
run, in wall-clock time (which also covers a clean stage that works in a child process), best
of --repeat runs to keep other work on the machine out. Model and list loading is warmed up
first, as it is once per process in a real run.
Goal (issue 4): enrich <= 20 % of clean. Also prints each enrich step's share, so the next
person knows where the time goes.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from tasks.enrich.enrich import ENRICH_STEPS, TextUnits, enrich_batch  # noqa: E402
from tasks.extract.clean import clean_batch  # noqa: E402
from tasks.records import RawRecord  # noqa: E402

PAGES = Path("/work/shared/benchmarks/article-extraction/html")


def load_records(pages: Path) -> list[RawRecord]:
    return [
        RawRecord(str(path), 0, "html", gzip.decompress(path.read_bytes())) for path in sorted(pages.glob("*.html.gz"))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings per stage")
    args = parser.parse_args()
    records = load_records(args.pages)

    clean_batch(records[:3])  # warm-up: extractor imports and caches
    clean_times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        rows, rejected, _ = clean_batch(records)
        clean_times.append(time.perf_counter() - started)
    enrich_batch([dict(row) for row in rows[:3]])  # warm-up: language model, stop-word and date lists
    enrich_times = []
    for _ in range(args.repeat):
        fresh = [dict(row) for row in rows]  # enrich writes into its rows: each timing starts from clean ones
        started = time.perf_counter()
        enriched, failed, counters = enrich_batch(fresh)
        enrich_times.append(time.perf_counter() - started)

    step_times = dict.fromkeys((step.name for step in ENRICH_STEPS), 0.0)
    for row in (dict(row) for row in rows):
        units = TextUnits(row["text"])
        for step in ENRICH_STEPS:
            started = time.perf_counter()
            row |= step.apply(row, units)
            step_times[step.name] += time.perf_counter() - started

    clean_ms = min(clean_times) / len(records) * 1000
    enrich_ms = min(enrich_times) / len(rows) * 1000
    words = statistics.mean(row["word_count"] for row in enriched)
    print(
        f"pages: {len(records)}  cleaned: {len(rows)} ({len(rejected)} rejected)  enriched: {len(enriched)} ({len(failed)} rejected)"
    )
    print(f"mean words per article: {words:.0f}")
    print(f"clean : {clean_ms:7.2f} ms per article (best of {args.repeat})")
    print(f"enrich: {enrich_ms:7.2f} ms per article (best of {args.repeat})")
    print(f"enrich / clean: {enrich_ms / clean_ms:.1%}  (goal <= 20 %)")
    total = sum(step_times.values())
    print("enrich steps (one pass): " + ", ".join(f"{name} {t / total:.0%}" for name, t in step_times.items()))
    print("quality warnings: " + (", ".join(f"{k} {v}" for k, v in sorted(counters.warned.items())) or "none"))


if __name__ == "__main__":
    main()

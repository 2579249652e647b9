"""Where a batch's time goes: one batch of the throughput corpus through the pipeline's stage
functions, in this process under cProfile, next to plain trafilatura.extract on the same pages.

Builds the batch like benchmarks/throughput.py (the shared article-extraction pages as JSONL
records, each under its own URL), runs ingest -> clean and enrich (tasks/clean_and_enrich.py, in-process:
no worker, so the profile sees the work) -> validate, and prints the share of the batch's time
in each part of the work and the functions with the most time of their own. Then times the
same batch again without the profiler (which inflates Python-heavy code more than C): clean,
enrich and validate in milliseconds per record, and once more with a timer around each part's
function, where the pipeline looks it up (the collector frozen, as a document worker does after
its first record), for each part's milliseconds per record.

usage: .venv/bin/python benchmarks/profile_batch.py [--batch-size 500] [--data DIR] [--top 15]
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FunctionType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import trafilatura  # noqa: E402
from throughput import DEFAULT_DATA, build_corpus  # noqa: E402

import tasks.enrich.enrich  # noqa: E402
from tasks.clean_and_enrich import clean_and_enrich_batch  # noqa: E402
from tasks.config import Limits  # noqa: E402
from tasks.ingest.files import discover_inputs  # noqa: E402
from tasks.lake.staging import run_staging  # noqa: E402
from tasks.pipeline import process_batch, read_batches  # noqa: E402
from tasks.records import RawRecord  # noqa: E402
from tasks.validate.validate import validate_batch  # noqa: E402

# Parts of the work, by the function that does each (cumulative time; nested parts are listed
# under their parent, so shares of different levels do not add up).
PARTS = {
    "read and split JSONL (ingest)": "read_batches",
    "clean: whole stage": "clean_or_reject",
    "  parse HTML (lxml)": "parse_html",
    "  page metadata": "extract_page_metadata",
    "  main text: trafilatura": "_from_trafilatura",
    "  main text: readability vote": "_with_readability_prose",
    "    readability-lxml itself": "readability_paragraphs",
    "  mojibake repair (ftfy)": "repair",
    "  normalise text": "normalize_text",
    "enrich: whole stage": "enrich_or_reject",
    "  language": "detect_language",
    "  keywords": "pick_keywords",
    "  quotes": "attribute_quotes",
    "  quality signals": "measure_quality",
    "  hashes and MinHash": "hash_content",
    "validate (schema + Great Expectations)": "validate_batch",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="broadsheet-profile-") as work:
        build_corpus(args.data / "html", args.batch_size, Path(work))
        inputs = discover_inputs([work]).inputs
        limits = Limits(document_timeout_s=None)
        staging = run_staging(str(Path(work) / "lake"), "profile")
        process_batch(next(read_batches(inputs[:1], 5)), staging, limits)  # imports, models and GX context warmed up
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        batches = list(read_batches(inputs, args.batch_size))
        results = [process_batch(batch, staging, limits) for batch in batches]
        profile.disable()
        wall = time.perf_counter() - started
        pages = [line for batch in batches for line in batch.records]
        bare_started = time.perf_counter()
        for record in pages:
            trafilatura.extract(record.fields["html"])
        bare = time.perf_counter() - bare_started
        plain = _plain_ms_per_record(pages, limits)
        parts = _part_ms_per_record(pages, limits)
    rows = sum(len(result.articles.keys) for result in results if result.articles)
    print(
        f"one batch of {len(pages)} records -> {rows} articles: {wall:.1f} s under the profiler, {wall / len(pages) * 1000:.1f} ms per record"
    )
    print(f"trafilatura.extract alone on the same pages (no profiler): {bare / len(pages) * 1000:.1f} ms per record")
    print(
        "the same batch again without the profiler, ms per record: "
        + ", ".join(f"{stage} {ms:.1f}" for stage, ms in plain.items())
        + "\n"
    )
    stats = pstats.Stats(profile)
    cumulative = {name: row[3] for (_, _, name), row in stats.stats.items()}  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"{'part of the work':42s} {'share':>6s} {'ms a record, no profiler':>25s}")
    for label, function in PARTS.items():
        ms = f"{parts[label]:.2f}" if label in parts else "-"
        print(f"{label:42s} {cumulative.get(function, 0.0) / total:6.1%} {ms:>25s}")
    print(f"\nfunctions with the most time of their own (top {args.top}):")
    stats.sort_stats("tottime").print_stats(args.top)


def _plain_ms_per_record(records: list[RawRecord], limits: Limits) -> dict[str, float]:
    """The batch cleaned and enriched in this process (`limits` without a deadline), then
    validated: milliseconds per record of each, without the profiler's distortion."""
    prepared = clean_and_enrich_batch(records, limits)
    started = time.perf_counter()
    validate_batch(prepared.rows)
    per_record = 1000 / len(records)
    return {
        "clean": prepared.clean.seconds * per_record,
        "enrich": prepared.enrich.seconds * per_record,
        "validate": (time.perf_counter() - started) * per_record,
    }


def _part_ms_per_record(records: list[RawRecord], limits: Limits) -> dict[str, float]:
    """Milliseconds per record spent in each part of PARTS while the batch is cleaned, enriched
    and validated as in _plain_ms_per_record (reading is not timed here)."""
    spent: defaultdict[str, float] = defaultdict(float)
    timed: dict[Callable[..., Any], Callable[..., Any]] = {}

    def timer(function: Callable[..., Any]) -> Callable[..., Any]:
        if function not in timed:

            @functools.wraps(function)
            def call(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    spent[function.__name__] += time.perf_counter() - started

            timed[function] = call
        return timed[function]

    names = set(PARTS.values())
    # Each part's function wherever a module of the pipeline holds it, and the enrich steps,
    # which their tuple holds.
    replaced = [
        (module, name, function)
        for module_name, module in list(sys.modules.items())
        if module_name.startswith("tasks.")
        for name in names
        if isinstance(function := getattr(module, name, None), FunctionType)
    ]
    steps = tasks.enrich.enrich.ENRICH_STEPS
    for module, name, function in replaced:
        setattr(module, name, timer(function))
    tasks.enrich.enrich.ENRICH_STEPS = tuple(
        replace(step, apply=timer(step.apply)) if step.apply.__name__ in names else step for step in steps
    )
    gc.collect()
    gc.freeze()
    try:
        prepared = clean_and_enrich_batch(records, limits)
        timer(validate_batch)(prepared.rows)
    finally:
        for module, name, function in replaced:
            setattr(module, name, function)
        tasks.enrich.enrich.ENRICH_STEPS = steps
        gc.unfreeze()
    return {label: spent[name] * 1000 / len(records) for label, name in PARTS.items() if name != "read_batches"}


if __name__ == "__main__":
    main()

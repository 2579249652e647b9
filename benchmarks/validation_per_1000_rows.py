"""How long the validate stage takes per 1,000 rows, next to clean and enrich on the same rows.

Rows are real articles: the shared benchmark pages (shared/benchmarks/article-extraction/html
beside the clone, when present) or data/raw, cleaned and enriched once as the pipeline does (each
row with its record's raw bytes), then repeated with distinct ids and source positions up to each
batch size. Validate = Arrow typing + the GX suite (17 expectations); Data Docs publishing of one
batch result is timed too.

    .venv/bin/python benchmarks/validation_per_1000_rows.py [--rows 500,1000,5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGES = Path("benchmarks") / "article-extraction" / "html"
SHARED_PAGES = next((p for p in (ROOT.parent / "shared" / PAGES, Path("/work/shared") / PAGES) if p.is_dir()), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="500,1000,5000", help="batch sizes to validate")
    parser.add_argument("--repeat", type=int, default=3, help="runs per batch size (the median is reported)")
    args = parser.parse_args()

    from tasks.clean_and_enrich import clean_and_enrich_batch
    from tasks.config import Limits
    from tasks.ingest.files import discover_inputs, read_records
    from tasks.lake.paths import RunInfo
    from tasks.records import RawRecord
    from tasks.validate.datadocs import publish_data_docs
    from tasks.validate.validate import validate_batch

    source = SHARED_PAGES or ROOT / "data" / "raw"
    records = [
        r for item in discover_inputs([str(source)]).inputs for r in read_records(item) if isinstance(r, RawRecord)
    ]
    in_this_process = Limits(document_timeout_s=None)  # no worker processes: the stages run here
    clean_and_enrich_batch(records[:1], in_this_process)  # imports and language model: paid once per process
    # The rows as the pipeline validates them: each with its record's raw bytes.
    prepared = clean_and_enrich_batch(records, in_this_process)
    enriched, clean_seconds, enrich_seconds = prepared.rows, prepared.clean.seconds, prepared.enrich.seconds
    validate_batch(enriched[:10])  # GX import and context set-up, paid once per process
    cleaned = prepared.clean.forwarded
    print(f"source: {source} ({len(records)} records, {len(enriched)} enriched rows)")
    print(f"clean:   {1000 * clean_seconds / cleaned:8.1f} s per 1,000 rows ({cleaned} rows)")
    print(f"enrich:  {1000 * enrich_seconds / len(enriched):8.1f} s per 1,000 rows")

    for size in (int(n) for n in args.rows.split(",")):
        batch = [
            row | {"id": f"{row['id']}-{n}", "source_record": n}
            for n, row in zip(range(size), _cycle(enriched), strict=False)
        ]
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            validated = validate_batch(batch)
            times.append(time.perf_counter() - started)
        per_thousand = 1000 * statistics.median(times) / size
        ratio = per_thousand / (1000 * (clean_seconds + enrich_seconds) / len(enriched))
        print(
            f"validate {size:>6} rows: {per_thousand:6.3f} s per 1,000 rows (median of {args.repeat}); "
            f"{100 * ratio:.1f} % of clean+enrich; rejected: {dict(validated.counters.rejected) or 'none'}"
        )

    with tempfile.TemporaryDirectory() as lake:
        run = RunInfo("benchmark", "manual", "0", datetime.now(UTC))
        result = validate_batch(enriched).result
        assert result is not None, "no row reached GX: there is no validation result to publish"
        started = time.perf_counter()
        publish_data_docs(lake, [result], run)
        first = time.perf_counter() - started
        started = time.perf_counter()
        publish_data_docs(lake, [result], RunInfo("benchmark-2", "manual", "0", datetime.now(UTC)))
        print(f"data docs: {first:.2f} s for the first run's site, {time.perf_counter() - started:.2f} s to add a run")


def _cycle(rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    while True:
        yield from rows


if __name__ == "__main__":
    main()

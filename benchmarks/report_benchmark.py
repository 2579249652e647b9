"""Time the dataset report on synthetic articles tables of growing size (goal: 100,000 rows in < 10 s).

Each size gets its own lake: version 0 holds 90 % of the rows, version 1 appends the rest, both
commits carry the run counts the pipeline writes, and 2 % as many records sit in quarantine.
Values follow skewed, news-like distributions (a few big languages and domains, log-normal
lengths, more recent dates); every numeric column of the schema is filled, so quality-signal
columns added later are profiled too. The sizes run side by side in one process: the first
build also pays matplotlib's import and font cache.

    .venv/bin/python benchmarks/report_benchmark.py [--rows 1000 10000 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
from deltalake import CommitProperties, write_deltalake

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.reasons import Reason, Stage
from schemas.tables import ARTICLES_SCHEMA, QUARANTINE_SCHEMA
from tasks.lake.paths import articles_path, quarantine_path
from tasks.report.data import load_report_data
from tasks.report.page import render_report

LANGUAGES = [
    "en",
    "zh",
    "es",
    "de",
    "fr",
    "ja",
    "ru",
    "ar",
    "pt",
    "it",
    "ko",
    "nl",
    "tr",
    "pl",
    "sv",
    "id",
    "vi",
    "fa",
    "uk",
    "he",
]


def _zipf_choice(rng: np.random.Generator, names: list[str], n: int, null_share: float) -> pa.Array:
    weights = 1 / np.arange(1, len(names) + 1)
    picks = rng.choice(len(names), size=n, p=weights / weights.sum())
    values = np.array(names, dtype=object)[picks]
    return pa.array(values, pa.string(), mask=rng.random(n) < null_share)


def synthetic_articles(n: int, start: int, rng: np.random.Generator) -> pa.Table:
    ids = np.char.add("article-", np.arange(start, start + n).astype(str))
    words = np.clip(rng.lognormal(6.2, 0.8, n), 20, 200_000).astype(np.int32)
    days = (rng.beta(4, 1.3, n) * 18 * 365).astype("timedelta64[D]")  # 2008 onward, most of them recent
    published = np.datetime64("2008-01-01", "us") + days
    columns = {
        "id": pa.array(ids, pa.string()),
        "text": pa.array(np.char.add("text of ", ids), pa.large_string()),
        "source_uri": pa.array(np.char.add("s3://news/", ids), pa.string()),
        "source_record": pa.array(np.zeros(n, np.int32)),
        "language": _zipf_choice(rng, LANGUAGES, n, 0.02),
        "source_domain": _zipf_choice(rng, [f"site{k}.example" for k in range(3000)], n, 0.05),
        "date_published": pa.array(published, ARTICLES_SCHEMA.field("date_published").type, mask=rng.random(n) < 0.03),
        "duplicate_of": pa.array(np.full(n, "article-0", dtype=object), pa.string(), mask=rng.random(n) >= 0.03),
        "word_count": pa.array(words),
        "char_count": pa.array((words * rng.normal(5.8, 0.4, n)).astype(np.int32)),
        "paragraph_count": pa.array(np.maximum(1, words // 60).astype(np.int32)),
    }
    for field in ARTICLES_SCHEMA:
        if field.name in columns:
            continue
        if pa.types.is_integer(field.type):
            columns[field.name] = pa.array(rng.poisson(40, n)).cast(field.type)  # other counts (sentences, ...)
        elif pa.types.is_floating(field.type):
            columns[field.name] = pa.array(rng.beta(8, 2, n)).cast(field.type)  # language_score and quality signals
        else:
            columns[field.name] = pa.nulls(n, field.type)
    return pa.table(columns).select(ARTICLES_SCHEMA.names).cast(ARTICLES_SCHEMA)


def synthetic_quarantine(n: int, rng: np.random.Generator) -> pa.Table:
    reasons = [
        str(r)
        for r in (Reason.INVALID_JSON, Reason.EMPTY_BODY, Reason.UNDECODABLE, Reason.MISSING_URL, Reason.TOO_LARGE)
    ]
    picked = rng.choice(len(reasons), n, p=[0.4, 0.3, 0.15, 0.1, 0.05])
    return (
        pa.table(
            {
                "id": pa.array([f"q{i}" for i in range(n)]),
                "source_uri": pa.array([f"s3://news/bad-{i}.jsonl" for i in range(n)]),
                "source_record": pa.array(np.arange(n, dtype=np.int32)),
                "stage": pa.array([str(Stage.INGEST)] * n),
                "reasons": pa.array([[reasons[i]] for i in picked], pa.list_(pa.string())),
            }
            | {
                f.name: pa.nulls(n, f.type)
                for f in QUARANTINE_SCHEMA
                if f.name not in ("id", "source_uri", "source_record", "stage", "reasons")
            }
        )
        .select(QUARANTINE_SCHEMA.names)
        .cast(QUARANTINE_SCHEMA)
    )


def build_lake(lake: str, rows: int, rng: np.random.Generator) -> None:
    first = int(rows * 0.9)
    quarantined = max(1, rows // 50)
    for start, count, read in ((0, first, first + quarantined), (first, rows - first, rows)):
        counts = {
            "records_read": read,
            "inserted": count,
            "updated": 0,
            "unchanged": start,
            "duplicates": count // 33,
            "quarantined_records": quarantined,
        }
        properties = CommitProperties(
            custom_metadata={"run_id": f"benchmark-{start}", "deployment": "benchmark"} | counts
        )
        write_deltalake(
            articles_path(lake), synthetic_articles(count, start, rng), mode="append", commit_properties=properties
        )
    write_deltalake(quarantine_path(lake), synthetic_quarantine(quarantined, rng), mode="append")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument(
        "--keep", help="folder to keep the lakes and their reports in (default: a temporary one, removed)"
    )
    args = parser.parse_args()
    root = Path(args.keep or tempfile.mkdtemp(prefix="report-benchmark-"))
    rng = np.random.default_rng(9)
    print(f"{'rows':>8} {'read+profile s':>15} {'charts+HTML s':>14} {'total s':>8} {'page KiB':>9}")
    try:
        for rows in args.rows:
            lake = str(root / f"lake-{rows}")
            build_lake(lake, rows, rng)
            started = time.perf_counter()
            data = load_report_data(lake)
            loaded = time.perf_counter()
            page = render_report(data)
            done = time.perf_counter()
            (Path(lake) / "report.html").write_text(page, encoding="utf-8")
            print(
                f"{rows:>8,} {loaded - started:>15.2f} {done - loaded:>14.2f} {done - started:>8.2f} {len(page.encode()) / 1024:>9,.0f}"
            )
    finally:
        if not args.keep:
            shutil.rmtree(root)
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; goal: 100,000 rows in < 10 s")


if __name__ == "__main__":
    main()

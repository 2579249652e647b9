"""Files before and after maintenance, for an articles table written by many small runs.

    .venv/bin/python benchmarks/lake_maintenance.py [--runs 50] [--per-run 3] [--keep DIR]

Each run goes through the real pipeline functions (ingest -> clean -> validate -> enrich ->
commit, without Prefect) over a JSONL file of `--per-run` new articles plus one correction
of an earlier one (same URL, changed text: an update). Article bodies are the hand-checked
bodies of the shared extraction benchmark (../shared, real news pages); publication dates
spread over four months, one in ten unknown (the null partition). Then, side by side:
file counts and sizes and the time to read the latest version, before maintenance, after
`maintain` with the default retention (time travel kept), and after `maintain
--vacuum-hours 0`. `--keep DIR` leaves the lake (before maintenance) there for a look with
`broadsheet history/maintain --lake DIR`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deltalake import DeltaTable

from tasks.ingest.files import discover_inputs
from tasks.lake.maintenance import FileStats, file_stats, maintain_table
from tasks.lake.paths import RunInfo, articles_path
from tasks.lake.staging import run_staging
from tasks.pipeline import PIPELINE_VERSION, RunTotals, commit_run, process_batch, read_batches

MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]


def corpus(shared: Path) -> list[dict]:
    truth = json.loads((shared / "benchmarks" / "article-extraction" / "ground-truth.json").read_text(encoding="utf-8"))
    articles = []
    for n, (page_id, page) in enumerate(sorted(truth.items())):
        body = page["articleBody"].strip()
        if not body:
            continue
        record = {
            "url": page.get("url") or f"https://bench.example/{page_id}",
            "title": body.split(".")[0][:90],
            "text": body,
        }
        if n % 10:  # one in ten has no date: the null bucket
            record["date_published"] = f"{MONTHS[n % len(MONTHS)]}-{1 + n % 27:02d}T08:00:00Z"
        articles.append(record)
    return articles


def run_once(source: Path, lake: str, run_id: str) -> None:
    found = discover_inputs([str(source)])
    totals = RunTotals()
    for batch in read_batches(found.inputs, 500):
        totals.add(process_batch(batch, run_staging(lake, run_id)))
    commit_run(
        lake, totals, RunInfo(run_id, "benchmark", PIPELINE_VERSION, datetime.now(UTC)), [str(source)], found.skipped
    )


def write_runs(articles: list[dict], lake: str, runs: int, per_run: int, work: Path) -> tuple[int, float]:
    """`runs` small runs; returns (articles read, seconds)."""
    started, read = time.perf_counter(), 0
    for n in range(runs):
        new = [articles[(n * per_run + i) % len(articles)] for i in range(per_run)]
        batch = list(new)
        if n:  # a correction of an article an earlier run wrote: same URL, changed text
            earlier = articles[(n * 7) % min(n * per_run, len(articles))]
            batch.append(
                earlier | {"text": earlier["text"] + f"\n\nCorrection {n}: an earlier version misstated a figure."}
            )
        source = work / f"run-{n:03d}.jsonl"
        source.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in batch), encoding="utf-8")
        run_once(source, lake, f"bench-{n:03d}")
        read += len(batch)
    return read, time.perf_counter() - started


def read_seconds(path: str, repeats: int = 5) -> float:
    """Best of `repeats`: open the latest version and read every row."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        DeltaTable(path).to_pyarrow_table()
        best = min(best, time.perf_counter() - started)
    return best


def row(label: str, stats: FileStats, seconds: float) -> str:
    live_avg = stats.live_bytes / max(stats.live_files, 1) / 1024
    return (
        f"{label:<34} {stats.live_files:>6} {stats.live_bytes / 1e6:>9.2f} {live_avg:>10.1f}"
        f" {stats.stored_files:>8} {stats.stored_bytes / 1e6:>10.2f} {seconds * 1000:>9.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--per-run", type=int, default=3, help="new articles per run (plus one correction)")
    parser.add_argument(
        "--shared", type=Path, default=Path("/work/shared"), help="the shared folder holding benchmarks/"
    )
    parser.add_argument("--keep", type=Path, help="also copy the lake, before maintenance, to this folder")
    arguments = parser.parse_args()

    articles = corpus(arguments.shared)
    with tempfile.TemporaryDirectory(prefix="broadsheet-maintenance-") as work:
        lake = f"{work}/lake"
        read, seconds = write_runs(articles, lake, arguments.runs, arguments.per_run, Path(work))
        path = articles_path(lake)
        table = DeltaTable(path)
        rows, partitions = table.count(), len({str(p) for p in table.partitions()})
        print(
            f"{arguments.runs} runs, {read} records read in {seconds:.1f} s: {rows} articles in {partitions} partitions, table version {table.version()}"
        )
        if arguments.keep:
            shutil.copytree(lake, arguments.keep)
            print(f"lake before maintenance copied to {arguments.keep}")

        print(f"\n{'':<34} {'live':>6} {'live MB':>9} {'avg KiB':>10} {'stored':>8} {'stored MB':>10} {'read ms':>9}")
        before = file_stats(path)
        print(row("before maintain", before, read_seconds(path)))
        run = RunInfo("bench-maintain", "benchmark", PIPELINE_VERSION, datetime.now(UTC))
        kept = maintain_table(path, run)
        print(row("maintain (retention 168 h)", kept.after, read_seconds(path)))
        print(
            f"{'':<34} compacted {kept.files_compacted} files into {kept.files_written}; vacuumed {kept.files_vacuumed}; versions {kept.time_travel_from}+ readable"
        )
        vacuumed = maintain_table(path, run, vacuum_hours=0)
        print(row("maintain --vacuum-hours 0", vacuumed.after, read_seconds(path)))
        print(f"{'':<34} vacuumed {vacuumed.files_vacuumed} files; versions {vacuumed.time_travel_from}+ readable")
        per_article = vacuumed.after.live_bytes / rows
        print(
            f"\n{per_article / 1024:.1f} KiB per article compacted; 128 MiB files hold about {128 * 2**20 / per_article:,.0f} articles"
        )


if __name__ == "__main__":
    main()

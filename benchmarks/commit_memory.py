"""Memory of a run's commit against its size: peak RSS of `commit_run` + the report at several N, side by side.

Cleaning 50,000 documents takes the better part of an hour on two cores; committing them does
not. This script cleans the 181 shared article pages once (benchmarks/throughput.py's corpus:
each page under its own URL), keeps their staged rows, and stages N articles by copying them
under new ids and URLs, as the throughput corpus does (the same texts again: every copy after
the first is a duplicate, the hard case for dedup). Then, for each N, a fresh process commits
them into an empty lake exactly as a run's commit task does (`commit_run`: dedup, the articles,
signatures, quarantine and ledger commits) and writes the dataset report; the process's RSS
is sampled every 0.1 s, and its peak is printed next to its RSS just before the commit began.

usage: .venv/bin/python benchmarks/commit_memory.py [-n 5000 50000] [--data DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil
from throughput import DEFAULT_DATA, MB, SAMPLE_SECONDS, build_corpus

SEED_RUN = "seed"


def stage_seed(data: Path, work: Path) -> list[str]:
    """Clean the benchmark pages once (again only without --keep); the staged article files of that run."""
    from dataclasses import replace

    from tasks.config import LIMITS
    from tasks.ingest.files import discover_inputs
    from tasks.lake.staging import run_staging
    from tasks.pipeline import process_batch, read_batches

    staged = sorted((work / "seed-lake").glob(f"_staging/{SEED_RUN}/articles-*.parquet"))
    if staged:
        return [str(path) for path in staged]
    corpus = work / "seed-corpus"
    pages = len(list((data / "html").glob("*.html.gz")))
    build_corpus(data / "html", pages, corpus)
    staging = run_staging(str(work / "seed-lake"), SEED_RUN)
    results = [
        process_batch(batch, staging, replace(LIMITS, clean_workers=1))
        for batch in read_batches(discover_inputs([str(corpus)]).inputs, 500)
    ]
    return [r.articles.path for r in results if r.articles is not None]


def stage_copies(seed_files: list[str], n: int, lake: str, run_id: str) -> dict:
    """N article rows staged for run `run_id` of `lake`: the seed rows again and again under new ids and URLs."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tasks.lake.staging import read_staged, run_staging

    seed = pa.concat_tables(table for path in seed_files for table in read_staged(path))
    folder = Path(run_staging(lake, run_id))
    folder.mkdir(parents=True)
    files: list[tuple[str, list[str]]] = []
    ids: list[str] = []
    copy = 0
    while len(ids) < n:
        rows = seed.slice(0, min(seed.num_rows, n - len(ids)))
        new_ids = [f"copy{copy:05d}-{i:04d}" for i in range(rows.num_rows)]
        for name, values in (
            ("id", new_ids),
            ("url", [f"https://bench.example/{copy}/{i}" for i in range(rows.num_rows)]),
        ):
            rows = rows.set_column(rows.schema.get_field_index(name), name, pa.array(values, pa.string()))
        path = folder / f"articles-{copy:05d}.parquet"
        pq.write_table(rows, path)
        files.append((str(path), new_ids))
        ids += new_ids
        copy += 1
    return {"files": files, "records": len(ids)}


def commit_child(lake: str, manifest: Path) -> None:
    """The measured process: commit the staged rows as a run's commit task does, then write the report."""
    from tasks.lake.paths import RunInfo
    from tasks.lake.staging import StagedFile
    from tasks.pipeline import PIPELINE_VERSION, RunTotals, commit_run
    from tasks.report.page import write_report

    staged = json.loads(manifest.read_text())
    totals = RunTotals()
    for path, ids in staged["files"]:
        totals.staged.add(StagedFile(path, ids), None)
    totals.counters["ingest"].total = staged["records"]
    process = psutil.Process()
    before, peak = process.memory_info().rss, [0]

    def sample() -> None:
        while True:
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(SAMPLE_SECONDS)

    threading.Thread(target=sample, daemon=True).start()
    started = time.perf_counter()
    summary = commit_run(
        lake, totals, RunInfo(staged["run_id"], "benchmark", PIPELINE_VERSION, datetime.now(UTC)), ["benchmark"], []
    )
    write_report(lake, summary.articles_version)
    seconds = time.perf_counter() - started
    time.sleep(2 * SAMPLE_SECONDS)
    print(
        json.dumps(
            {"before": before, "peak": max(peak[0], before), "seconds": seconds, "duplicates": summary.duplicates}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "-n", "--articles", type=int, nargs="+", default=[5000, 50000], help="articles per commit [5000 50000]"
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the article-extraction benchmark folder")
    parser.add_argument("--keep", type=Path, help="work here and keep it (default: a temporary folder)")
    parser.add_argument("--commit", nargs=2, metavar=("LAKE", "MANIFEST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.commit:  # the child process
        commit_child(args.commit[0], Path(args.commit[1]))
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="broadsheet-commit-memory-"))
    try:
        seed = stage_seed(args.data, work)
        print(
            f"{'articles':>9} {'seconds':>8} {'RSS before commit MB':>21} {'peak RSS MB':>12} {'added MB':>9} {'duplicates':>11}"
        )
        for n in sorted(args.articles):
            lake, run_id = str(work / f"lake-{n}"), f"commit-{n}"
            shutil.rmtree(lake, ignore_errors=True)
            manifest = work / f"staged-{n}.json"
            manifest.write_text(json.dumps(stage_copies(seed, n, lake, run_id) | {"run_id": run_id}))
            done = subprocess.run(
                [sys.executable, __file__, "--commit", lake, str(manifest)], capture_output=True, text=True
            )
            if done.returncode != 0:
                raise SystemExit(done.stderr[-3000:])
            result = json.loads(done.stdout.strip().splitlines()[-1])
            added = (result["peak"] - result["before"]) / MB
            print(
                f"{n:>9} {result['seconds']:8.0f} {result['before'] / MB:21.0f} {result['peak'] / MB:12.0f} {added:9.0f} {result['duplicates']:>11}",
                flush=True,
            )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

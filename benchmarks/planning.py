"""Figures to plan with: documents per second per core, and how long 1 million documents take.

Times `broadsheet run` end to end (start-up included, as a user runs it) on corpora built from
the shared article-extraction benchmark (../shared/benchmarks/article-extraction):

  pages  its 181 HTML pages as JSONL `html` records, cycled under distinct URLs (the corpus of
         benchmarks/throughput.py; about 180 KB a page);
  texts  its 181 ground-truth article bodies as JSONL `text` records (short article-text
         records, about 4 KB each), cycled alike;

locally at each --workers value, and with --dask on a Dask cluster on this machine (`dask
scheduler` and one `dask worker` with --dask-threads threads; a temporary Prefect server, which
`--dask-address` needs). Each row prints documents/s, documents/s per core used (workers, or
the Dask worker's threads, capped at the machine's cores) and the hours 1,000,000 documents
would take at that rate on 8, 32 and 128 cores: a run's memory is flat in its corpus
(benchmarks/memory_scaling.py), so the rate of a run of N documents holds for longer runs; the
start-up cost is inside the measured rate, which makes the figure for long runs conservative.

usage: .venv/bin/python benchmarks/planning.py [-n 5000] [--corpus pages texts] [--workers 1 2]
           [--dask] [--dask-threads 2] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from throughput import BROADSHEET, DEFAULT_DATA, MB, build_corpus, timed, write_cycled_jsonl  # noqa: E402

MILLION = 1_000_000
PLANNED_CORES = (8, 32, 128)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--documents", type=int, default=5000, help="documents per corpus [5000]")
    parser.add_argument("--corpus", nargs="+", choices=("pages", "texts"), default=["pages", "texts"])
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2], help="local worker counts [1 2]")
    parser.add_argument("--dask", action="store_true", help="also run each corpus on a local Dask cluster")
    parser.add_argument("--dask-threads", type=int, default=2, help="threads of the Dask worker [2]")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the article-extraction benchmark folder")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    print(f"machine: {cores} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"{'corpus':<7} {'where':<22} {'docs':>6} {'MB':>6} {'seconds':>8} {'docs/s':>7} {'per core':>9}  "
        + "  ".join(f"1M on {c:>3} cores" for c in PLANNED_CORES)
    )
    with tempfile.TemporaryDirectory(prefix="broadsheet-planning-") as work:
        for name in args.corpus:
            corpus = Path(work) / name
            if name == "pages":
                size = build_corpus(args.data / "html", args.documents, corpus)
            else:
                size = build_text_corpus(args.data, args.documents, corpus)
            runs: list[tuple[str, int, list[str], argparse.Namespace | None]] = [
                (f"local, {w} worker(s)", min(w, cores), ["--workers", str(w)], None) for w in args.workers
            ]
            if args.dask:
                runs.append((f"Dask, 1 worker x {args.dask_threads}", min(args.dask_threads, cores), [], args))
            for where, used_cores, options, dask in runs:
                lake = Path(work) / f"lake-{name}-{where.replace(' ', '')}"
                command = [str(BROADSHEET), "run", str(corpus), "--lake", str(lake), *options]
                seconds = run_on_dask(command, dask, Path(work)) if dask else timed(command)[0]
                rate = args.documents / seconds
                hours = "  ".join(f"{MILLION / (rate / used_cores * c) / 3600:12.1f} h" for c in PLANNED_CORES)
                print(
                    f"{name:<7} {where:<22} {args.documents:>6} {size / MB:6.0f} {seconds:8.1f} {rate:7.1f} "
                    f"{rate / used_cores:9.1f}  {hours}",
                    flush=True,
                )
                shutil.rmtree(lake, ignore_errors=True)


def build_text_corpus(data: Path, n: int, out: Path) -> int:
    """N JSONL `text` records cycling the benchmark's ground-truth bodies."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    items = [(page_id, {"text": entry["articleBody"]}) for page_id, entry in sorted(truth.items())]
    return write_cycled_jsonl(items, n, out)


def run_on_dask(command: list[str], args: argparse.Namespace, work: Path) -> float:
    """Seconds `command` takes with --dask-address of a cluster started here (its start not timed)."""
    from distributed import Client

    from flows.prefect_api import start_temporary_server, stop_process

    scheduler_file = work / "scheduler.json"
    scheduler_file.unlink(missing_ok=True)
    dask = str(Path(sys.executable).with_name("dask"))
    worker_options = ["--nworkers", "1", "--nthreads", str(args.dask_threads), "--host", "127.0.0.1"]
    log = (work / "dask.log").open("ab")  # the cluster's own logging, out of the table
    cluster = [
        subprocess.Popen(
            [dask, "scheduler", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1"],
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [dask, "worker", "--scheduler-file", str(scheduler_file), *worker_options],
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
    ]
    try:
        api_url = start_temporary_server()
        while not scheduler_file.exists():
            time.sleep(0.2)
        with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(1, timeout=120)
            address = client.scheduler.address
        return timed([*command, "--dask-address", address], env=os.environ | {"PREFECT_API_URL": api_url})[0]
    finally:
        for process in cluster:
            stop_process(process)
        log.close()


if __name__ == "__main__":
    main()

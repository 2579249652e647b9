"""Memory against corpus size: peak RSS of `broadsheet run` at several N, side by side in one run.

Builds the throughput benchmark's corpus (benchmarks/throughput.py: the 181 shared article
pages cycled into JSONL, each copy under its own URL) at each N, then runs
`broadsheet run CORPUS --lake FRESH --workers W` as a separate process and samples every
0.1 s the RSS of the whole process tree (the flow process, the temporary Prefect server, the
cleaning workers) and of the flow process alone. Memory that grows with N is what streaming
in batches must remove: the last column is each peak over the smallest N's.

With --bodies the records are the pages' ground-truth article texts instead of their HTML
(JSONL `text` records, about 5 KB each): the same orchestration, staging, dedup and commit at a
tenth of the CPU per document, so corpus sizes of 50,000 and more fit in minutes.

usage: .venv/bin/python benchmarks/memory_scaling.py [-n 1000 4000] [--workers 1] [--bodies] [--data DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import BROADSHEET, DEFAULT_DATA, MB, ROOT, SAMPLE_SECONDS, build_corpus, lake_rows, write_cycled_jsonl


@dataclass(frozen=True)
class Peak:
    documents: int
    seconds: float
    tree_bytes: int  # the whole process tree, summed at each sample
    flow_bytes: int  # the `broadsheet run` process alone


def build_body_corpus(data: Path, n: int, out: Path) -> int:
    """N JSONL text records cycling the benchmark's ground-truth bodies, each copy under its own URL; bytes written."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    bodies = [
        (page_id, {"text": page["articleBody"]}) for page_id, page in sorted(truth.items()) if page.get("articleBody")
    ]
    return write_cycled_jsonl(bodies, n, out)


def sampled_run(command: list[str]) -> tuple[float, int, int]:
    """Runs `command`; its wall time, the peak summed RSS of its tree and the peak RSS of the process itself."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = psutil.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=ROOT)
        tree = own = 0
        while process.poll() is None:
            sizes = []
            try:
                members = [process, *process.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for member in members:
                try:
                    sizes.append(member.memory_info().rss)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    sizes.append(0)  # ended between listing and sampling
            tree, own = max(tree, sum(sizes)), max(own, sizes[0])
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            output.seek(0)
            raise SystemExit(
                f"{' '.join(command)} failed ({process.returncode}):\n{output.read().decode(errors='replace')}"
            )
    return seconds, tree, own


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--documents", type=int, nargs="+", default=[1000, 4000], help="corpus sizes [1000 4000]")
    parser.add_argument("--workers", type=int, default=1, help="cleaning worker processes [1]")
    parser.add_argument("--bodies", action="store_true", help="records of article text, not HTML pages")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the article-extraction benchmark folder")
    parser.add_argument(
        "--keep", type=Path, help="build the corpora and lakes here and keep them (default: a temporary folder)"
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="broadsheet-memory-"))
    peaks = []
    try:
        for n in sorted(args.documents):
            corpus, lake = work / f"corpus-{n}", work / f"lake-{n}"
            shutil.rmtree(lake, ignore_errors=True)
            size = (
                build_body_corpus(args.data, n, corpus) if args.bodies else build_corpus(args.data / "html", n, corpus)
            )
            command = [str(BROADSHEET), "run", str(corpus), "--lake", str(lake), "--workers", str(args.workers)]
            seconds, tree, own = sampled_run(command)
            rows = ", ".join(f"{name} {count}" for name, count in lake_rows(lake).items())
            print(f"N={n}: {size / MB:.1f} MB of JSONL, {seconds:.0f} s, lake rows: {rows}", flush=True)
            peaks.append(Peak(n, seconds, tree, own))
            if args.keep is None:
                shutil.rmtree(corpus)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    base = peaks[0]
    print()
    print(
        f"{'documents':>10} {'seconds':>8} {'tree peak MB':>13} {'flow process peak MB':>21} {'tree / smallest N':>18}"
    )
    for p in peaks:
        print(
            f"{p.documents:>10} {p.seconds:8.0f} {p.tree_bytes / MB:13.0f} {p.flow_bytes / MB:21.0f} {p.tree_bytes / base.tree_bytes:18.2f}"
        )


if __name__ == "__main__":
    main()

"""Throughput benchmark: `broadsheet run` against a bare trafilatura loop, in one run, on the same cores.

Builds a corpus of N documents by cycling the 181 pages of the shared article-extraction
benchmark (../shared/benchmarks/article-extraction beside the repository) into JSONL files of
500 lines, each copy under its own URL (https://bench.example/<copy>/<page>): a JSONL `url`
wins over the page's canonical URL, so every copy is a distinct article. Then, for each
--workers value, times as separate processes, one after the other (start-up and memory measured
alike; this machine's speed drifts within the hour, so each ratio compares neighbours in time):

  (a) bare loop: read the JSONL, trafilatura.extract each page, write one Parquet file, with
      that many worker processes (ProcessPoolExecutor, 25 lines per task);
  (d) the peer, datatrove (the `bench` dependency group: `make bench` installs it): JsonlReader ->
      Trafilatura(favour_precision) -> GopherRepetitionFilter -> GopherQualityFilter ->
      C4QualityFilter -> ParquetWriter -> MinhashDedupSignature, as many tasks and workers;
  (b) `broadsheet run CORPUS --lake FRESH`, end to end including start-up;
  (c) the same command again: nothing new to do (also split into start-up and time inside the flow run).

Prints documents/s, input MB/s, peak RSS of the whole process tree (sampled every 0.1 s,
children included recursively), the ratios (b)/(a) and (b)/(d) at equal worker counts and, for
each mode, the documents/s at 2 workers over 1.

With --rounds R the whole sequence runs R times and each ratio is the median of the rounds.

usage: .venv/bin/python benchmarks/throughput.py [-n 5000] [--workers 1 2] [--rounds 1] [--data DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
BROADSHEET = ROOT / ".venv" / "bin" / "broadsheet"
LINES_PER_FILE = 500
BARE_LINES_PER_TASK = 25  # the bare loop's unit of work, handed to the next free worker
SAMPLE_SECONDS = 0.1
MB = 1_000_000


@dataclass(frozen=True)
class Timing:
    mode: str
    workers: str  # the worker count the mode ran with
    documents: int  # documents read: 0 for a rerun with nothing new
    seconds: float
    peak_rss_bytes: int
    round: int  # which repetition of the whole measurement (--rounds)
    started: str  # HH:MM:SS, to see the machine's drift


def build_corpus(pages_dir: Path, n: int, out: Path) -> int:
    """Writes N JSONL records cycling the benchmark pages; returns the corpus size in bytes."""
    pages = [
        (p.name.removesuffix(".html.gz"), gzip.decompress(p.read_bytes())) for p in sorted(pages_dir.glob("*.html.gz"))
    ]
    if not pages:
        raise SystemExit(f"no *.html.gz pages under {pages_dir}")
    # JSON strings must be text: pages that are not UTF-8 keep their bytes as replacement characters.
    return write_cycled_jsonl(
        [(page_id, {"html": html.decode("utf-8", errors="replace")}) for page_id, html in pages], n, out
    )


def write_cycled_jsonl(items: list[tuple[str, dict[str, str]]], n: int, out: Path) -> int:
    """N JSONL records cycling `items` (page id, fields), each copy under its own URL
    https://bench.example/<copy>/<page id>, in files of LINES_PER_FILE lines; the bytes written."""
    out.mkdir(parents=True, exist_ok=True)
    for start in range(0, n, LINES_PER_FILE):
        with open(out / f"part-{start // LINES_PER_FILE:05d}.jsonl", "w", encoding="utf-8") as handle:
            for index in range(start, min(start + LINES_PER_FILE, n)):
                page_id, fields = items[index % len(items)]
                line = {"url": f"https://bench.example/{index // len(items)}/{page_id}"} | fields
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return sum(f.stat().st_size for f in out.glob("*.jsonl"))


def extract_span(span: tuple[str, int, int]) -> list[tuple[str, str | None]]:
    """Bare loop worker: (url, extracted text) of the JSONL lines in bytes [start, stop) of one file."""
    import trafilatura

    path, start, stop = span
    with open(path, "rb") as handle:
        handle.seek(start)
        lines = handle.read(stop - start).splitlines()
    return [(record["url"], trafilatura.extract(record["html"])) for record in map(json.loads, lines)]


def line_spans(path: Path, lines_per_task: int) -> Iterator[tuple[str, int, int]]:
    """(path, start, stop) byte spans of `lines_per_task` lines each: tasks small enough to keep every worker busy."""
    with open(path, "rb") as handle:
        start = offset = count = 0
        for line in handle:
            offset += len(line)
            count += 1
            if count == lines_per_task:
                yield str(path), start, offset
                start, count = offset, 0
        if count:
            yield str(path), start, offset


def bare_loop(corpus: Path, workers: int, out: Path) -> None:
    """(a): every JSONL line through trafilatura in `workers` processes, into one Parquet file (a row group per task)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("url", pa.string()), ("text", pa.string())])
    spans = [span for path in sorted(corpus.glob("*.jsonl")) for span in line_spans(path, BARE_LINES_PER_TASK)]
    with ProcessPoolExecutor(max_workers=workers) as pool, pq.ParquetWriter(out, schema) as writer:
        for rows in pool.map(extract_span, spans):
            urls, texts = zip(*rows, strict=True) if rows else ((), ())
            writer.write_table(pa.table({"url": list(urls), "text": list(texts)}, schema=schema))


def datatrove_pipeline(corpus: Path, workers: int, out: Path) -> None:
    """(d): the peer pipeline over the corpus, in `workers` processes, into Parquet files and MinHash signatures."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import MinhashDedupSignature
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.filters import C4QualityFilter, GopherQualityFilter, GopherRepetitionFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import ParquetWriter

    pipeline = [
        JsonlReader(str(corpus), text_key="html", id_key="url"),
        Trafilatura(favour_precision=True),
        GopherRepetitionFilter(),
        GopherQualityFilter(),
        C4QualityFilter(),
        ParquetWriter(str(out / "documents")),
        MinhashDedupSignature(str(out / "signatures")),
    ]
    LocalPipelineExecutor(pipeline, tasks=workers, workers=workers, logging_dir=str(out / "logs")).run()


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Runs `command`; its wall time, the peak summed RSS of its process tree, and its output."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = psutil.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss(process))
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
        output.seek(0)
        text = output.read().decode("utf-8", errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{text}")
    return seconds, peak, text


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass  # ended between listing and sampling
    return total


_FLOW_LOG = re.compile(
    r"^(\d\d):(\d\d):(\d\d\.\d+) \| \w+ +\| Flow run '[^']+' - (Beginning flow run|Finished in state)", re.MULTILINE
)


def flow_seconds(output: str) -> float | None:
    """Seconds from the flow run's first to its last log line (Prefect's HH:MM:SS.mmm stamps), if both are there."""
    stamps = {event: int(h) * 3600 + int(m) * 60 + float(sec) for h, m, sec, event in _FLOW_LOG.findall(output)}
    if len(stamps) < 2:
        return None
    return (stamps["Finished in state"] - stamps["Beginning flow run"]) % 86400  # a run across midnight


def lake_rows(lake: Path) -> dict[str, int]:
    from deltalake import DeltaTable

    return {
        name: DeltaTable(str(lake / name)).count()
        for name in ("articles", "quarantine")
        if DeltaTable.is_deltatable(str(lake / name))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--documents", type=int, default=5000, help="corpus size [5000]")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to time [1 2]")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the article-extraction benchmark folder")
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat the measurements; ratios are the median of the rounds [1]"
    )
    parser.add_argument(
        "--keep", type=Path, help="build the corpus and lakes here and keep them (default: a temporary folder)"
    )
    parser.add_argument("--bare-loop", nargs=3, metavar=("CORPUS", "WORKERS", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--datatrove", nargs=3, metavar=("CORPUS", "WORKERS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    for child, run_mode in ((args.bare_loop, bare_loop), (args.datatrove, datatrove_pipeline)):
        if child:  # the child process of mode (a) or (d)
            corpus, workers, out = child
            run_mode(Path(corpus), int(workers), Path(out))
            return

    work = args.keep or Path(tempfile.mkdtemp(prefix="broadsheet-throughput-"))
    try:
        run_benchmark(args, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def run_benchmark(args: argparse.Namespace, work: Path) -> None:
    corpus = work / "corpus"
    corpus_bytes = build_corpus(args.data / "html", args.documents, corpus)
    n = args.documents
    print(
        f"corpus: {n} documents, {corpus_bytes / MB:.1f} MB in {len(list(corpus.glob('*.jsonl')))} JSONL files ({corpus})"
    )
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    timings: list[Timing] = []
    # (a) and (b) of one worker count run back to back: this machine's speed drifts by a quarter
    # within an hour, so a ratio of two runs minutes apart says more than one of runs far apart.
    for round_ in range(1, args.rounds + 1):
        for workers in args.workers:
            timings += time_worker_count(corpus, work, n, workers, round_)

    print()
    print(
        f"{'mode':<24} {'workers':<8} {'round':>5} {'started':>8} {'seconds':>8} {'docs/s':>8} {'MB/s':>6} {'peak RSS MB':>12}"
    )
    for t in timings:
        rates = (
            f"{t.documents / t.seconds:8.1f} {corpus_bytes / MB / t.seconds:6.2f}"
            if t.documents
            else f"{'-':>8} {'-':>6}"
        )
        print(
            f"{t.mode:<24} {t.workers:<8} {t.round:>5} {t.started:>8} {t.seconds:8.1f} {rates} {t.peak_rss_bytes / MB:12.0f}"
        )
    print()
    seconds = {(t.mode[:3], int(t.workers), t.round): t.seconds for t in timings}
    for workers in args.workers:
        for other, name in (("(a)", "the bare loop's"), ("(d)", "datatrove's")):
            ratios = [seconds[other, workers, r] / seconds["(b)", workers, r] for r in range(1, args.rounds + 1)]
            each = f" (rounds: {', '.join(f'{x:.2f}' for x in ratios)})" if len(ratios) > 1 else ""
            print(
                f"ratio (b)/{other} at {workers} worker(s): {statistics.median(ratios):.2f}{each} (documents/s of broadsheet over {name})"
            )
    if 1 in args.workers and 2 in args.workers:
        for name, mode in (("bare loop", "(a)"), ("datatrove", "(d)"), ("broadsheet run", "(b)")):
            gains = [seconds[mode, 1, r] / seconds[mode, 2, r] for r in range(1, args.rounds + 1)]
            print(f"{name}, 2 workers over 1: {statistics.median(gains):.2f}x the documents/s")


def time_worker_count(corpus: Path, work: Path, n: int, workers: int, round_: int) -> list[Timing]:
    """(a), (d), (b) and (c) at one worker count, one after the other, into fresh folders."""
    timings = []
    started = time.strftime("%H:%M:%S")
    seconds, peak, _ = timed(
        [sys.executable, __file__, "--bare-loop", str(corpus), str(workers), str(work / f"bare-{workers}.parquet")]
    )
    timings.append(Timing("(a) bare loop", str(workers), n, seconds, peak, round_, started))
    peer = work / f"datatrove-{workers}"
    shutil.rmtree(peer, ignore_errors=True)
    started = time.strftime("%H:%M:%S")
    seconds, peak, _ = timed([sys.executable, __file__, "--datatrove", str(corpus), str(workers), str(peer)])
    timings.append(Timing("(d) datatrove", str(workers), n, seconds, peak, round_, started))
    lake = work / f"lake-{workers}"
    shutil.rmtree(lake, ignore_errors=True)
    command = [str(BROADSHEET), "run", str(corpus), "--lake", str(lake), "--workers", str(workers)]
    started = time.strftime("%H:%M:%S")
    seconds, peak, _ = timed(command)
    timings.append(Timing("(b) broadsheet run", str(workers), n, seconds, peak, round_, started))
    rows = lake_rows(lake)
    started = time.strftime("%H:%M:%S")
    seconds, peak, output = timed(command)
    timings.append(Timing("(c) rerun, nothing new", str(workers), 0, seconds, peak, round_, started))
    print(f"lake-{workers} (round {round_}): " + ", ".join(f"{name} {count} rows" for name, count in rows.items()))
    if "nothing new" not in output:
        print(f"warning: the rerun into lake-{workers} did not report 'nothing new'")
    if (inside := flow_seconds(output)) is not None:
        print(
            f"lake-{workers} rerun: {inside:.1f} s inside the flow run, {seconds - inside:.1f} s start-up and shut-down"
        )
    return timings


if __name__ == "__main__":
    main()

"""What handing a batch to a Prefect task costs the flow process, with and without quote().

A run submits each batch of records to the `process-batch` task. Unless the argument is wrapped
in `prefect.utilities.annotations.quote`, Prefect walks all of it (every record, its parsed JSON
fields and their strings) looking for futures and states, more than once per task. This script
reads batches of the throughput corpus (the benchmark pages cycled, as benchmarks/throughput.py
builds it) and, in one flow on a temporary Prefect server, submits each of them to a task that
only counts its records: plain and quoted alternately, --rounds times. It prints this process's
CPU and wall seconds per batch for each way (the task's own work is the same few microseconds).

usage: .venv/bin/python benchmarks/batch_submission.py [-n 1000] [--batch-size 500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
_PREFECT_HOME = tempfile.TemporaryDirectory(prefix="broadsheet-batch-submission-")  # removed when the script exits
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME.name)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.testing.utilities import prefect_test_harness  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402
from throughput import DEFAULT_DATA, build_corpus  # noqa: E402

from tasks.ingest.files import discover_inputs  # noqa: E402
from tasks.pipeline import RecordBatch, read_batches  # noqa: E402


@task(cache_policy=NO_CACHE)
def count_records(batch: RecordBatch, staging: str) -> int:
    return len(batch.records)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--documents", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="broadsheet-batch-submission-") as work:
        build_corpus(args.data / "html", args.documents, Path(work))
        batches = list(read_batches(discover_inputs([work]).inputs, args.batch_size))

        @flow
        def submit_batches(rounds: int) -> dict[str, list[tuple[float, float]]]:
            seconds: dict[str, list[tuple[float, float]]] = {"plain": [], "quote()": []}
            for _ in range(rounds):
                for way in seconds:
                    cpu, wall = _cpu_seconds(), time.perf_counter()
                    for batch in batches:
                        future = (
                            count_records.submit(batch, staging=work)
                            if way == "plain"
                            else count_records.submit(quote(batch), staging=work)  # type: ignore[call-overload]  # the task gets the batch
                        )
                        assert future.result() == len(batch.records)
                    seconds[way].append(
                        ((_cpu_seconds() - cpu) / len(batches), (time.perf_counter() - wall) / len(batches))
                    )
            return seconds

        with prefect_test_harness():
            seconds = submit_batches(args.rounds)
    print(f"{len(batches)} batches of up to {args.batch_size} benchmark pages, {args.rounds} rounds, alternating")
    for way, measured in seconds.items():
        cpu = [c for c, _ in measured]
        wall = [w for _, w in measured]
        print(
            f"{way:8s} CPU s a batch: median {statistics.median(cpu):.3f} (each round: "
            + ", ".join(f"{c:.3f}" for c in cpu)
            + f"); wall s a batch: median {statistics.median(wall):.3f}"
        )


if __name__ == "__main__":
    main()

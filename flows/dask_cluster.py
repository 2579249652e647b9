"""Batches on a Dask cluster: `broadsheet run --dask-address tcp://HOST:PORT` (flow parameter `dask_address`).

The flow's own process still lists and reads the inputs and commits; each batch goes to a
worker of the running Dask scheduler as one `process-batch` task run (through prefect-dask),
and its result comes back over the wire. At most `CLUSTER.batches_per_thread` batches per
worker thread are out at once, so memory stays bounded whatever the corpus, and results are
taken back in the order the batches were read, so "a later record of the same id wins" means
the same as in a local run.
"""

from __future__ import annotations

import sys
from collections.abc import Generator, Iterable
from typing import TYPE_CHECKING, Any

from flows.batch_window import in_reading_order
from tasks.config import CLUSTER, LIMITS
from tasks.pipeline import BatchResult, RecordBatch

if TYPE_CHECKING:
    from distributed import Worker
    from prefect import Task


class ClusterUnavailableError(RuntimeError):
    """The run cannot use the Dask cluster: no scheduler answers, it has no workers, or its
    workers would have no Prefect server to report their task runs to."""


def check_cluster(address: str) -> int:
    """The worker threads of the Dask scheduler at `address`; raises ClusterUnavailableError.

    The workers create their task runs through the Prefect API, so it must be a server they can
    reach: a temporary one lives inside this process, on 127.0.0.1 only.
    """
    from distributed import Client
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise ClusterUnavailableError(
            "a run on a Dask cluster needs a Prefect server its workers can reach, and PREFECT_API_URL is not set:"
            " start one (`prefect server start --host 0.0.0.0`) and export PREFECT_API_URL=http://HOST:4200/api"
        )
    try:
        with Client(address, set_as_default=False) as client:
            threads = sum(client.nthreads().values())
    except (OSError, ValueError) as error:  # refused, timed out, or not an address
        raise ClusterUnavailableError(f"cannot reach a Dask scheduler at {address}: {error}") from None
    if not threads:
        raise ClusterUnavailableError(
            f"the Dask scheduler at {address} has no workers: start `dask worker {address}` on the nodes"
        )
    return threads


def process_on_cluster(
    process: Task[..., BatchResult], batches: Iterable[RecordBatch], options: dict[str, Any], address: str
) -> Generator[tuple[int, BatchResult]]:
    """(inputs finished, result) of each batch, in the order of `batches`, each one `process`ed on
    the cluster (`options`: process's arguments besides the batch)."""
    from prefect_dask import DaskTaskRunner

    with DaskTaskRunner(address=address) as runner:
        yield from in_reading_order(
            batches,
            # Not in quote() as process_here has it: the quote reaches a Dask worker as a bare tuple.
            lambda batch: runner.submit(process, {"batch": batch, **options}),
            lambda: CLUSTER.batches_per_thread * sum(runner.client.nthreads().values()),
        )


def dask_worker() -> Worker | None:
    """The Dask worker this code runs in, if any (a local run never even imports distributed)."""
    if "distributed" not in sys.modules:
        return None
    from distributed import get_worker

    try:
        return get_worker()
    except ValueError:
        return None


def default_clean_workers() -> int:
    """Processes a batch cleans and enriches documents in when the run does not say: one per
    thread of the Dask worker running the batch (its batch tasks take turns in them, one
    validating while the next is cleaned), else one per core."""
    worker = dask_worker()
    return worker.state.nthreads if worker else LIMITS.clean_workers

"""What every command that runs a flow (run, reprocess, maintain) wraps it in."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console

if TYPE_CHECKING:
    from flows.prefect_api import TemporaryServer

LoadedFlow = TypeVar("LoadedFlow")


@contextlib.contextmanager
def running_a_flow(
    load_flow: Callable[[], LoadedFlow],
    lake: str,
    start_workers: Callable[[], None] | None = None,
    server: TemporaryServer | None = None,
) -> Iterator[LoadedFlow]:
    """The flow `load_flow` imports, reporting to the Prefect API flows/prefect_api.py picks (a
    temporary server, started before the import so the two overlap, if none is up: `server`,
    when the command started it earlier), after `start_workers` has started the flow's worker
    processes (their imports overlap too), with the garbage collector paused while it imports
    (collector_paused_for_imports). Ctrl-C or SIGTERM in the block stops it cleanly
    (flows/interrupts.py): one line, exit code 130 or 143; so does a fault of the storage of
    `lake` (flows/cli/storage_faults.py): one line, exit code 2."""
    from flows.cli.storage_faults import storage_faults_in_one_line
    from flows.interrupts import RunInterrupted, stop_on_signals
    from flows.prefect_api import prefect_api

    try:
        with stop_on_signals(), collector_paused_for_imports() as imports_done, prefect_api(server) as ready:
            if start_workers is not None:
                start_workers()
            flow = load_flow()
            imports_done()
            ready()
            with storage_faults_in_one_line(lake):  # after the import: it adjusts Prefect's log handlers
                yield flow
    except RunInterrupted as stop:
        Console(stderr=True, soft_wrap=True).print(stop.line, highlight=False)
        raise typer.Exit(stop.exit_code) from None


@contextlib.contextmanager
def collector_paused_for_imports() -> Iterator[Callable[[], None]]:
    """No garbage collection until `imports_done()`, then none that walks what was imported.

    Importing Prefect, GX, pandas and the pipeline makes some 400,000 objects and next to no
    garbage, yet each full collection during the imports walks all of them imported so far:
    seven of them took 0.7 s of CPU at a run's start, when the temporary server and the
    document workers need both cores. Frozen, the imports are out of later collections' sight
    too: a full collection in the middle of a run took 0.24 s, holding the GIL that the threads
    feeding the document workers need. The block's end unfreezes them (a caller that lives on,
    like a test process, gets its heap back as it was)."""
    was_enabled = gc.isenabled()
    gc.disable()

    def imports_done() -> None:
        gc.freeze()
        if was_enabled:
            gc.enable()

    try:
        yield imports_done
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()

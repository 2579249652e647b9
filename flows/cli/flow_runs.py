"""What every command that runs a flow (run, reprocess, maintain) wraps it in."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TypeVar

import typer
from rich.console import Console

LoadedFlow = TypeVar("LoadedFlow")


@contextlib.contextmanager
def running_a_flow(load_flow: Callable[[], LoadedFlow]) -> Iterator[LoadedFlow]:
    """The flow `load_flow` imports, reporting to the Prefect API flows/prefect_api.py picks (a
    temporary server, started before the import so the two overlap, if none is up); Ctrl-C or
    SIGTERM in the block stops it cleanly (flows/interrupts.py): one line, exit code 130 or 143."""
    from flows.interrupts import RunInterrupted, stop_on_signals
    from flows.prefect_api import prefect_api

    try:
        with stop_on_signals(), prefect_api() as ready:
            flow = load_flow()
            ready()
            yield flow
    except RunInterrupted as stop:
        Console(stderr=True, soft_wrap=True).print(stop.line, highlight=False)
        raise typer.Exit(stop.exit_code) from None

"""What every command that runs a flow (run, reprocess, maintain) wraps it in."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import typer
from rich.console import Console


@contextlib.contextmanager
def running_a_flow() -> Iterator[None]:
    """The flow reports to the Prefect API flows/prefect_api.py picks (a temporary server if none),
    and Ctrl-C or SIGTERM stops it cleanly (flows/interrupts.py): one line, exit code 130 or 143."""
    from flows.interrupts import RunInterrupted, stop_on_signals
    from flows.prefect_api import prefect_api

    try:
        with stop_on_signals(), prefect_api():
            yield
    except RunInterrupted as stop:
        Console(stderr=True, soft_wrap=True).print(stop.line, highlight=False)
        raise typer.Exit(stop.exit_code) from None

"""The CLI's progress bar: inputs done of inputs to read, documents and documents per second."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from time import perf_counter

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.theme import Theme

from tasks.progress import RunProgress, watching


def log_console() -> Console:
    """The console Prefect logs to, so log lines print above the bar instead of through it."""
    from prefect.logging.handlers import PrefectConsoleHandler

    handlers = [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]
    return handlers[0].console if handlers else Console(stderr=True)


@contextmanager
def progress_bar(console: Console) -> Iterator[None]:
    """Show the run's progress while the block runs; nothing when the console is not a terminal."""
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("inputs  {task.fields[documents]:>9,} docs  {task.fields[rate]:>9} docs/s"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    task: TaskID | None = None
    started = 0.0

    def show(progress: RunProgress) -> None:
        nonlocal task, started
        if task is None:  # the first report comes when reading starts, after Prefect's start-up
            task = bar.add_task(progress.step, total=progress.inputs_total, documents=0, rate="-")
            started = perf_counter()
        elapsed = perf_counter() - started
        rate = f"{progress.records_done / elapsed:,.1f}" if elapsed > 0 else "-"
        bar.update(
            task, description=progress.step, completed=progress.inputs_done, documents=progress.records_done, rate=rate
        )

    console.push_theme(Theme())  # Prefect's console theme lacks rich's default styles, which the bar uses
    try:
        with bar, watching(show):
            yield
    finally:
        console.pop_theme()

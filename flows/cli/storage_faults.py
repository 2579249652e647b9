"""A run the lake's storage fails (a full disk, a read-only lake, an object store that stops
answering, staged rows deleted) ends with one line saying what failed and what to do: no traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from rich.markup import escape

from flows.cli.options import fail
from tasks.lake.storage import storage_fault


@contextmanager
def storage_faults_in_one_line(lake: str) -> Iterator[None]:
    """For the block: Prefect's log lines on the terminal leave out the traceback of a storage
    fault (the Prefect UI keeps it), and a storage fault that ends the block ends the command with
    one line and exit code 2 (tasks/lake/storage.py `storage_fault`). Anything else, a bug, goes on
    with its traceback."""
    from prefect.logging.handlers import PrefectConsoleHandler

    consoles = [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]
    formatters = [h.formatter for h in consoles]
    for handler, formatter in zip(consoles, formatters, strict=True):
        handler.setFormatter(_WithoutStorageTracebacks(lake, formatter))
    try:
        yield
    except Exception as error:
        fault = storage_fault(error, lake)
        if fault is None:
            raise
        raise fail(escape(fault.line())) from None
    finally:
        for handler, formatter in zip(consoles, formatters, strict=True):
            handler.setFormatter(formatter)


class _WithoutStorageTracebacks(logging.Formatter):
    """Formats as `inner` does, leaving out the traceback of a record that logs a storage fault."""

    def __init__(self, lake: str, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.lake = lake
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and record.exc_info[1] and storage_fault(record.exc_info[1], self.lake):
            # A copy: the record goes on to the handler that sends it, traceback and all, to the Prefect API.
            record = logging.makeLogRecord(record.__dict__ | {"exc_info": None, "exc_text": None})
        return self.inner.format(record)

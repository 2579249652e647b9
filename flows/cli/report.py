"""`broadsheet report`: the dataset report of a version of the articles table, as one HTML page."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli.options import LakeOption, console, fail
from tasks.config import DEFAULT_LAKE


def report(
    lake: LakeOption = DEFAULT_LAKE,
    version: Annotated[int | None, typer.Option(min=0, help="articles table version (default: the latest)")] = None,
    out: Annotated[
        str | None, typer.Option("--out", help="file or URL to write (default: <lake>/reports/v<VERSION>.html)")
    ] = None,
) -> None:
    """Write one self-contained HTML page profiling a version of the articles table."""
    from tasks.report.data import ReportError
    from tasks.report.page import write_report

    try:
        written = write_report(lake, version, out)
    except ReportError as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"cannot write the report to {out or lake}: {error.strerror or error}") from None
    console.print(
        f"report of articles v{written.version} ({written.size_bytes / 1024:,.0f} KiB): {written.path}",
        highlight=False,
        soft_wrap=True,
    )

"""What the `broadsheet` commands share: their option types, the console, one-line errors."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

console = Console()

LakeOption = Annotated[
    str, typer.Option("--lake", help="lake folder or URL holding the articles and quarantine tables")
]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
BatchSizeOption = Annotated[int, typer.Option(min=1, help="records per batch task")]
RawCapOption = Annotated[
    int, typer.Option("--raw-cap-bytes", min=0, help="quarantine keeps at most this many raw bytes per record")
]


def fail(message: str) -> typer.Exit:
    """A one-line error on stderr and exit code 2."""
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code=2)

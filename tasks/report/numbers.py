"""How the dataset report writes numbers: counts, changes, shares, measured values and months."""

from __future__ import annotations


class Number(str):
    """The text of a number: in a table cell, right-aligned in tabular figures."""


def count(n: int) -> Number:
    return Number(f"{n:,}")


def delta(n: int) -> Number:
    return Number(f"{n:+,}" if n else "0")


def share(n: int, total: int) -> Number:
    return Number(f"{n / total:.1%}" if total else "–")


def number(value: float) -> Number:
    """A measured value: whole numbers in full, others to 3 significant digits (one decimal from 100 up)."""
    if float(value).is_integer():
        return Number(f"{int(value):,}")
    return Number(f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}")


def month(index: int) -> str:
    """A month counted as year * 12 + month - 1, as YYYY-MM."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"

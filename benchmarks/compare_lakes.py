"""Compare two broadsheet lakes table by table, row by row: did a change keep the tables?

Written to check that a refactor leaves behaviour unchanged: run the old and the new code on
the same inputs (the same paths: ids and source_uri hold them) into two lakes, then

    .venv/bin/python benchmarks/compare_lakes.py LAKE_A LAKE_B

reads the current version of each table of both lakes (articles, quarantine, signatures and the
_inputs ledger; tasks/lake/paths.py), sorts the rows by the table's key and compares every column
but those that differ from run to run by design (IGNORED below). It prints one line per table,
with the first differences under it, and exits 0 only when every table is identical.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any
from urllib.parse import unquote, urlparse

import pyarrow as pa
from deltalake import DeltaTable
from deltalake.exceptions import TableNotFoundError
from pyarrow.fs import FileSystem, LocalFileSystem, SubTreeFileSystem

# table -> (key column, columns that legitimately differ between two runs of the same inputs)
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    # run_id: the Prefect flow run that wrote the row, new in every run;
    # ingested_at: the wall clock when the row was written.
    # Compared all the same: fingerprint (a hash of the content columns only) and pipeline_version
    # (the installed package's version, the same for two runs from one venv).
    "articles": ("id", ("run_id", "ingested_at")),
    "quarantine": ("id", ("run_id", "ingested_at")),
    # first_seen: the start time of the run that first wrote the article (run_position, the
    # article's place in its run, follows from the inputs and is compared).
    "signatures": ("id", ("first_seen",)),
    # run_id and processed_at (that run's start time) as above; stamp (size, mtime, inode) is the
    # same when both lakes were written from the same files, so it is compared.
    "_inputs": ("uri", ("run_id", "processed_at")),
}
SHOWN = 5  # differing rows printed per table
WIDTH = 100  # characters of a value printed


def read(lake: str, table: str, key: str, ignored: tuple[str, ...]) -> pa.Table | None:
    """The current version of <lake>/<table> without the ignored columns, sorted by key; None if absent."""
    try:
        delta = DeltaTable(f"{lake.rstrip('/')}/{table}")
    except TableNotFoundError:
        return None
    # Local tables are read through pyarrow's file system: after reading through deltalake's own,
    # about one exit in two aborted ("terminate called without an active exception", delta-rs#2184).
    uri = urlparse(delta.table_uri)
    local: FileSystem | None = SubTreeFileSystem(unquote(uri.path), LocalFileSystem()) if uri.scheme == "file" else None
    data = delta.to_pyarrow_table(filesystem=local)
    data = data.drop_columns([c for c in ignored if c in data.column_names])
    return data.sort_by(key)


def same(a: Any, b: Any) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= WIDTH else text[: WIDTH - 3] + "..."


def compare(table: str, a: pa.Table | None, b: pa.Table | None, key: str) -> tuple[bool, list[str]]:
    """(identical, lines to print) for one table of both lakes."""
    if a is None or b is None:
        if a is None and b is None:
            return True, [f"{table}: absent in both, identical"]
        return False, [f"{table}: absent in {'A' if a is None else 'B'}"]
    lines: list[str] = []
    only_columns = set(a.column_names) ^ set(b.column_names)
    if only_columns:
        lines.append(f"  columns in one lake only: {sorted(only_columns)}")
    columns = [c for c in a.column_names if c in b.column_names and c != key]
    rows_a = {row[key]: row for row in a.select([key, *columns]).to_pylist()}
    rows_b = {row[key]: row for row in b.select([key, *columns]).to_pylist()}
    only_a, only_b = sorted(rows_a.keys() - rows_b.keys()), sorted(rows_b.keys() - rows_a.keys())
    for side, keys in (("A", only_a), ("B", only_b)):
        if keys:
            lines.append(f"  {len(keys)} rows only in {side}, e.g. {key}={', '.join(map(str, keys[:SHOWN]))}")
    per_column = dict.fromkeys(columns, 0)
    differing = []
    for k in sorted(rows_a.keys() & rows_b.keys()):
        changed = [c for c in columns if not same(rows_a[k][c], rows_b[k][c])]
        for c in changed:
            per_column[c] += 1
        if changed:
            differing.append((k, changed))
    if differing:
        counts = ", ".join(f"{c} {n}" for c, n in per_column.items() if n)
        lines.append(f"  {len(differing)} rows differ; by column: {counts}")
        for k, changed in differing[:SHOWN]:
            for c in changed:
                lines.append(f"    {key}={k} {c}: A {short(rows_a[k][c])}")
                lines.append(f"    {' ' * len(f'{key}={k} {c}')}  B {short(rows_b[k][c])}")
    identical = not lines
    rows = f"{a.num_rows} rows" if a.num_rows == b.num_rows else f"{a.num_rows} rows in A, {b.num_rows} in B"
    return identical, [f"{table}: {rows}, {'identical' if identical else 'DIFFERENT'}", *lines]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lake_a", help="the first lake (folder or URL)")
    parser.add_argument("lake_b", help="the second lake")
    args = parser.parse_args()
    all_identical = True
    for table, (key, ignored) in TABLES.items():
        identical, lines = compare(
            table, read(args.lake_a, table, key, ignored), read(args.lake_b, table, key, ignored), key
        )
        all_identical &= identical
        print("\n".join(lines))
    return 0 if all_identical else 1


if __name__ == "__main__":
    sys.exit(main())

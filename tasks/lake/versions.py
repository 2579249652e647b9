"""Versions of a lake table: open one, read an article at one, compare two, restore one.

Plain functions over deltalake; flows/cli/lake.py prints what they return. Time travel
reaches every version whose data files are still stored: vacuum (tasks/lake/maintenance.py)
deletes the files only versions older than its retention need, and records in its commit
from which version on the table stays readable. Restoring a lake's articles (restore_articles)
keeps the inputs ledger true to the table: the next run reads again the inputs of the articles
the restore took away.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable
from deltalake.exceptions import DeltaError

from schemas.tables import ARTICLES_PARTITION_BY, RUN_COLUMNS
from tasks.lake.ledger import forget_inputs
from tasks.lake.paths import articles_path
from tasks.lake.storage import open_table, table_dataset, table_exists

# Commit metadata key of a vacuum: the oldest version whose files it kept (tasks/lake/maintenance.py).
TIME_TRAVEL_FROM = "time_travel_from"
# Columns a diff does not report: they change with every write, or follow from date_published.
_NOT_COMPARED = ("id", *RUN_COLUMNS, *ARTICLES_PARTITION_BY)


class TableNotFoundError(LookupError):
    """No Delta table at the path."""


class VersionUnavailableError(LookupError):
    """The version does not exist, or its log or data files were cleaned up."""


class AmbiguousIdError(LookupError):
    """A short id matches more than one article."""


@dataclass(frozen=True)
class ArticleChange:
    id: str
    headline: str | None
    columns: tuple[str, ...] = ()  # content columns that differ (updated articles only)


@dataclass(frozen=True)
class VersionDiff:
    """What changed in the articles table from `old_version` to `new_version`."""

    path: str
    old_version: int
    new_version: int
    added: int
    updated: int
    removed: int
    unchanged: int
    changed_columns: dict[str, int]  # column -> updated articles in which it changed
    examples: dict[str, list[ArticleChange]]  # "added" / "updated" / "removed" -> first ids in id order


@dataclass(frozen=True)
class Restore:
    restored_version: int  # the version made current again
    previous_version: int  # the latest version before the restore
    version: int  # the new version the restore committed (previous_version when nothing to do)
    inputs_forgotten: int = 0  # inputs taken out of the ledger: the next run reads them again


def open_version(path: str, version: int | None = None) -> DeltaTable:
    """The table at `version` (the latest when None); errors say which versions exist."""
    if not table_exists(path):
        raise TableNotFoundError(f"no table at {path}")
    table = open_table(path)
    latest = table.version()
    if version is None or version == latest:
        return table
    if not 0 <= version <= latest:
        raise VersionUnavailableError(f"{path} has no version {version} (versions run from 0 to {latest})")
    try:
        table.load_as_version(version)
    except DeltaError as error:  # the log of that version was cleaned up after the log retention
        raise VersionUnavailableError(f"version {version} of {path} is no longer in the log ({error})") from error
    return table


def read_version(table: DeltaTable, columns: list[str] | None = None, where: pc.Expression | None = None) -> pa.Table:
    """Rows of `table` at its loaded version; a clear error when vacuum deleted that version's files."""
    try:
        return table_dataset(table).to_table(columns=columns, filter=where)
    except FileNotFoundError as error:
        raise vacuumed(table) from error


def vacuumed(table: DeltaTable) -> VersionUnavailableError:
    """The error for reading a version whose data files vacuum deleted, naming what is still readable."""
    commits = open_table(table.table_uri).history()
    readable = next((commit[TIME_TRAVEL_FROM] for commit in commits if TIME_TRAVEL_FROM in commit), None)
    hint = f"; versions {readable} and later are readable" if readable is not None else ""
    return VersionUnavailableError(f"the data files of version {table.version()} were deleted by vacuum{hint}")


def column_names(table: DeltaTable) -> list[str]:
    return [field.name for field in table.schema().fields]


def article_at(table: DeltaTable, article_id: str) -> dict[str, Any] | None:
    """The article with `article_id` (or a unique prefix of it) at the table's loaded version; None if absent."""
    ids = read_version(table, ["id"], pc.starts_with(pc.field("id"), pattern=article_id))["id"].to_pylist()
    if article_id not in ids and len(ids) > 1:
        shown = ", ".join(sorted(ids)[:5]) + (", ..." if len(ids) > 5 else "")
        raise AmbiguousIdError(f"{len(ids)} articles have ids starting with {article_id!r}: {shown}")
    if not ids:
        return None
    found = article_id if article_id in ids else ids[0]
    return read_version(table, where=pc.field("id") == found).to_pylist()[0]


def diff_versions(path: str, old_version: int, new_version: int | None = None, limit: int | None = 10) -> VersionDiff:
    """Articles added, updated (with the columns that changed) and removed between two versions.

    Compares fingerprints to find updates, then the updated rows one column at a time, so
    memory grows with the updated articles times one column, not with the table.
    `limit` caps the examples of each kind (None: all of them).
    """
    old, new = open_version(path, old_version), open_version(path, new_version)
    both = _fingerprints(old).join(
        _fingerprints(new), keys="id", join_type="full outer", left_suffix="_old", right_suffix="_new"
    )
    in_old, in_new = pc.is_valid(both["seen_old"]), pc.is_valid(both["seen_new"])
    in_both = pc.and_(in_old, in_new)
    same = pc.equal(pc.fill_null(both["fingerprint_old"], ""), pc.fill_null(both["fingerprint_new"], ""))
    added = _sorted(pc.filter(both["id"], pc.and_not(in_new, in_old)))
    removed = _sorted(pc.filter(both["id"], pc.and_not(in_old, in_new)))
    updated = _sorted(pc.filter(both["id"], pc.and_not(in_both, same)))
    unchanged = pc.sum(pc.and_(in_both, same)).as_py() or 0

    shown = slice(None) if limit is None else slice(limit)
    changed_columns, example_columns = _changed_columns(old, new, updated, updated[shown])
    headlines = _headlines(new, added[shown] + updated[shown]) | _headlines(old, removed[shown])
    examples = {
        "added": [ArticleChange(i, headlines.get(i)) for i in added[shown]],
        "updated": [ArticleChange(i, headlines.get(i), example_columns[i]) for i in updated[shown]],
        "removed": [ArticleChange(i, headlines.get(i)) for i in removed[shown]],
    }
    return VersionDiff(
        path, old.version(), new.version(), len(added), len(updated), len(removed), unchanged, changed_columns, examples
    )


def restore_version(path: str, version: int, metadata: dict[str, Any]) -> Restore:
    """Make `version` current again with a new commit (RESTORE); history before it stays as it was."""
    table = open_version(path)
    previous = table.version()
    open_version(path, version)  # a version that does not exist fails here, with the range that does
    if version == previous:
        return Restore(version, previous, previous)
    properties = CommitProperties(custom_metadata=metadata | {"restored_version": version})
    try:
        table.restore(version, commit_properties=properties)
    except DeltaError as error:
        if "missing file" in str(error).lower():
            raise vacuumed(open_version(path, version)) from error
        raise
    return Restore(version, previous, open_table(path).version())


def restore_articles(lake: str, version: int, metadata: dict[str, Any]) -> Restore:
    """Make `version` of the lake's articles table current again (restore_version), after taking
    out of the inputs ledger the inputs of every article the restore removes or reverts, so the
    next run reads them again and writes those articles back. The ledger goes first: a restore
    killed in between only makes the next run read a few inputs it did not need to."""
    path = articles_path(lake)
    lost = inputs_lost(path, version)
    forgotten = forget_inputs(lake, lost, metadata | {"restored_articles_version": version})
    return replace(restore_version(path, version, metadata), inputs_forgotten=forgotten)


def inputs_lost(path: str, version: int) -> set[str]:
    """source_uri of every article of the latest version that `version` lacks or holds with other content."""
    latest = read_version(open_version(path), ["id", "fingerprint", "source_uri"])
    kept = read_version(open_version(path, version), ["id", "fingerprint"])
    lost = latest.join(kept, keys=["id", "fingerprint"], join_type="left anti")
    return set(lost["source_uri"].to_pylist())


def _fingerprints(table: DeltaTable) -> pa.Table:
    rows = read_version(table, ["id", "fingerprint"])
    return rows.append_column("seen", pa.repeat(True, rows.num_rows))


def _sorted(ids: pa.Array | pa.ChunkedArray) -> list[str]:
    return pc.take(ids, pc.sort_indices(ids)).to_pylist()


def _changed_columns(
    old: DeltaTable, new: DeltaTable, updated: list[str], shown: list[str]
) -> tuple[dict[str, int], dict[str, tuple[str, ...]]]:
    """(column -> how many of `updated` differ in it, id of `shown` -> its differing columns)."""
    old_columns, new_columns = column_names(old), column_names(new)
    counts: dict[str, int] = {}
    per_id: dict[str, list[str]] = {i: [] for i in shown}
    shown_positions = {i: n for n, i in enumerate(updated) if i in per_id}
    for column in dict.fromkeys(old_columns + new_columns):
        if column in _NOT_COMPARED or not updated:
            continue
        before = _values(old, column, updated, column in old_columns)
        after = _values(new, column, updated, column in new_columns)
        differs = [a != b for a, b in zip(before, after, strict=True)]
        if any(differs):
            counts[column] = sum(differs)
        for article_id, position in shown_positions.items():
            if differs[position]:
                per_id[article_id].append(column)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))), {i: tuple(c) for i, c in per_id.items()}


def _values(table: DeltaTable, column: str, ids: list[str], present: bool) -> list[Any]:
    """`column` of the rows with `ids` (sorted, all present in `table`), in id order; nulls for a missing column."""
    if not present:
        return [None] * len(ids)
    rows = read_version(table, ["id", column], pc.field("id").isin(pa.array(ids))).sort_by("id")
    return rows[column].to_pylist()


def _headlines(table: DeltaTable, ids: list[str]) -> dict[str, str | None]:
    if not ids:
        return {}
    rows = read_version(table, ["id", "headline"], pc.field("id").isin(pa.array(ids)))
    return dict(zip(rows["id"].to_pylist(), rows["headline"].to_pylist(), strict=True))

"""What the dataset report reads from the lake: profiles of two articles versions and of quarantine.

Reads, for articles version V and V-1: language, source_domain, date_published, duplicate_of
and every numeric column the stored table has (quality signals are found in the table's
schema, not listed here); the commit metadata of both versions; the quarantine table as it
stood while V was the current version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from deltalake.exceptions import DeltaError

from tasks.lake.paths import articles_path, quarantine_path
from tasks.lake.storage import open_table, table_dataset, table_exists
from tasks.lake.versions import TIME_TRAVEL_FROM

PROFILED_COLUMNS = ("language", "source_domain", "date_published", "duplicate_of")
NOT_PROFILED = frozenset({"source_record"})  # a position inside an input file, not a property of the article
FIRST_DISTRIBUTIONS = ("word_count", "char_count")
UNKNOWN_LANGUAGE = "(unknown)"
NO_DOMAIN = "(no domain)"
_UNREADABLE = (DeltaError, OSError, pa.ArrowException)  # an old version whose log or files were cleaned up


class ReportError(ValueError):
    """The report cannot be made: no articles table, or no such version."""


@dataclass(frozen=True)
class VersionProfile:
    """What one version of the articles table holds."""

    version: int
    rows: int
    duplicates: int
    languages: dict[str, int]  # language -> articles, most first
    domains: dict[str, int]  # source domain -> articles, most first
    months: dict[int, int]  # year * 12 + month - 1 -> articles published that month
    undated: int
    values: dict[str, np.ndarray]  # numeric column -> its non-null, finite values
    missing: dict[str, int]  # numeric column -> rows without a value
    descriptions: dict[str, str]  # numeric column -> meaning, from the table's schema


@dataclass(frozen=True)
class QuarantineProfile:
    version: int | None  # None: there was no quarantine table yet
    records: int
    reasons: dict[str, int]  # reason code -> records with it (a record can have several), most first
    stages: dict[str, str]  # reason code -> the stage(s) that gave it


@dataclass(frozen=True)
class ReportData:
    lake: str
    current: VersionProfile
    previous: VersionProfile | None
    previous_note: str  # why there is nothing to compare with, when previous is None
    commits: dict[int, dict[str, Any]]  # version -> its commit info, for this version and the one before
    quarantine: QuarantineProfile
    generated_at: datetime


def load_report_data(lake: str, version: int | None = None, now: datetime | None = None) -> ReportData:
    path = articles_path(lake)
    if not table_exists(path):
        raise ReportError(f"no articles table at {path}: run `broadsheet run --lake {lake}` first")
    table = open_table(path)
    latest = table.version()
    version = latest if version is None else version
    if not 0 <= version <= latest:
        raise ReportError(f"no version {version} of the articles table at {path} (versions 0 to {latest})")
    history = {commit["version"]: commit for commit in table.history()}
    try:
        current = profile_version(path, version)
    except FileNotFoundError as error:  # the log still lists data files that vacuum deleted
        raise ReportError(
            f"the data files of version {version} of {path} were deleted by vacuum; {_readable(table.history(), latest)}"
        ) from error
    except _UNREADABLE as error:
        raise ReportError(f"version {version} of {path} can no longer be read: {_first_line(error)}") from error
    previous, previous_note = None, f"version {version} is the first: there is nothing to compare it with"
    if version > 0:
        try:
            previous = profile_version(path, version - 1)
        except _UNREADABLE as error:
            previous_note = f"version {version - 1} can no longer be read ({_first_line(error)})"
    following = history.get(version + 1)
    return ReportData(
        lake=lake,
        current=current,
        previous=previous,
        previous_note=previous_note,
        commits={v: history[v] for v in (version, version - 1) if v in history},
        quarantine=profile_quarantine(lake, before=following["timestamp"] if following else None),
        generated_at=now or datetime.now(UTC),
    )


def profile_version(path: str, version: int) -> VersionProfile:
    """Counts and numeric values of one version, reading only the columns the report shows."""
    dataset = table_dataset(open_table(path, version))
    numeric = [f.name for f in dataset.schema if _is_numeric(f.type) and f.name not in NOT_PROFILED]
    numeric = [n for n in FIRST_DISTRIBUTIONS if n in numeric] + [n for n in numeric if n not in FIRST_DISTRIBUTIONS]
    table = dataset.to_table(columns=[*PROFILED_COLUMNS, *numeric])
    dated = pc.drop_null(table["date_published"])
    month_index = pc.add(pc.multiply(pc.year(dated), 12), pc.subtract(pc.month(dated), 1))
    months, per_month = np.unique(month_index.to_numpy(), return_counts=True)
    values = {name: _finite_values(table[name]) for name in numeric}
    return VersionProfile(
        version=version,
        rows=table.num_rows,
        duplicates=table.num_rows - table["duplicate_of"].null_count,
        languages=_value_counts(table["language"], UNKNOWN_LANGUAGE),
        domains=_value_counts(table["source_domain"], NO_DOMAIN),
        months=dict(zip(months.tolist(), per_month.tolist(), strict=True)),
        undated=table["date_published"].null_count,
        values=values,
        missing={name: table.num_rows - found.size for name, found in values.items()},
        descriptions={
            name: (dataset.schema.field(name).metadata or {}).get(b"description", b"").decode() for name in numeric
        },
    )


def profile_quarantine(lake: str, before: int | None = None) -> QuarantineProfile:
    """Reason counts of the quarantine table as its last commit before `before` (ms since epoch) left it.

    `before` is when the next articles version was committed: quarantine commits up to then
    belong to the runs that left the reported articles version current. None: the latest.
    """
    path = quarantine_path(lake)
    if not table_exists(path):
        return QuarantineProfile(None, 0, {}, {})
    table = open_table(path)
    if before is not None:
        earlier = [commit["version"] for commit in table.history() if commit["timestamp"] < before]
        if not earlier:
            return QuarantineProfile(None, 0, {}, {})
        table = open_table(path, version=max(earlier))
    rows = table_dataset(table).to_table(columns=["stage", "reasons"])
    reasons = rows["reasons"].combine_chunks()
    pairs = pa.table(
        {"reason": pc.list_flatten(reasons), "stage": pc.take(rows["stage"], pc.list_parent_indices(reasons))}
    )
    counted = pairs.group_by(["reason", "stage"]).aggregate([([], "count_all")]).to_pylist()
    per_reason: dict[str, int] = {}
    stages: dict[str, set[str]] = {}
    for entry in counted:
        per_reason[entry["reason"]] = per_reason.get(entry["reason"], 0) + entry["count_all"]
        stages.setdefault(entry["reason"], set()).add(entry["stage"])
    ordered = dict(sorted(per_reason.items(), key=lambda pair: (-pair[1], pair[0])))
    return QuarantineProfile(
        table.version(), rows.num_rows, ordered, {r: ", ".join(sorted(s)) for r, s in stages.items()}
    )


def _is_numeric(type_: pa.DataType) -> bool:
    return pa.types.is_integer(type_) or pa.types.is_floating(type_)


def _value_counts(column: pa.ChunkedArray, missing: str) -> dict[str, int]:
    counts = pc.value_counts(pc.fill_null(column, missing))
    pairs = zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)
    return dict(sorted(pairs, key=lambda pair: (-pair[1], pair[0])))


def _finite_values(column: pa.ChunkedArray) -> np.ndarray:
    values = pc.drop_null(column).cast(pa.float64()).to_numpy()
    return values[np.isfinite(values)]


def _readable(history: list[dict[str, Any]], latest: int) -> str:
    """Which versions a report can still be made of, as far as the commits tell."""
    # history is newest first: the last vacuum says from which version it kept the files.
    kept_from = next((commit[TIME_TRAVEL_FROM] for commit in history if TIME_TRAVEL_FROM in commit), None)
    if kept_from is not None and kept_from < latest:
        return f"versions {kept_from} to {latest} are readable"
    return f"the latest version, {latest}, is readable"


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]

"""Dataset report: one self-contained HTML page that profiles a version of the articles table.

Reads, for articles version V and V-1: language, source_domain, date_published, duplicate_of
and every numeric column the stored table has (quality signals are found in the table's
schema, not listed here); the commit metadata of both versions; the quarantine table as it
stood while V was the current version. Writes one HTML page whose charts are matplotlib
figures inlined as SVG: the page loads nothing (its Content-Security-Policy forbids it), so it
opens offline, from a mail attachment or from an object store alike.
"""

from __future__ import annotations

import html
import io
import math
import posixpath
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from deltalake.exceptions import DeltaError
from fsspec.core import url_to_fs
from matplotlib.axis import Axis
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from tasks.config import REPORT_LIMITS, ReportLimits
from tasks.lake.paths import articles_path, quarantine_path, report_path
from tasks.lake.storage import open_table, table_exists

# Counts every articles commit carries in its metadata (tasks/pipeline.py, tasks/lake/write.py).
RUN_COUNTS = {
    "records_read": "records read",
    "inserted": "inserted",
    "updated": "updated",
    "unchanged": "unchanged",
    "duplicates": "duplicates marked",
    "quarantined_records": "quarantined",
}
PROFILED_COLUMNS = ("language", "source_domain", "date_published", "duplicate_of")
NOT_PROFILED = frozenset({"source_record"})  # a position inside an input file, not a property of the article
FIRST_DISTRIBUTIONS = ("word_count", "char_count")
UNKNOWN_LANGUAGE = "(unknown)"
NO_DOMAIN = "(no domain)"

CURRENT = "#2f6f9f"
PREVIOUS = "#b9c3cc"
PREVIOUS_LINE = "#d9822b"  # the previous version drawn as a line over this one: a colour that shows on both
QUARANTINE = "#c0504d"
CHART_STYLE = {
    "svg.fonttype": "none",  # text stays text: a third of the bytes, and the browser can search it
    "text.parse_math": False,  # a domain or language like "$x$" is data, not TeX
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#8a949e",
    "xtick.color": "#4d5b68",
    "ytick.color": "#4d5b68",
    "legend.frameon": False,
}
SVG_METADATA = {"Date": None, "Creator": None, "Type": None, "Format": None}  # same bytes for the same data
CHART_WIDTH = 6.0  # inches: two charts side by side at their natural size on a laptop screen
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


@dataclass(frozen=True)
class WrittenReport:
    path: str  # where the page was written, as given (a local path or a URL)
    url: str  # a link to it: file:// for local paths
    version: int
    size_bytes: int


@dataclass(frozen=True)
class Chart:
    key: str  # stable id of the chart in the page (tests and links find it by this)
    title: str
    caption: str
    svg: str | None  # None: nothing to draw, `note` says why
    tables: list[str] = field(default_factory=list)  # the chart's numbers, as HTML tables
    note: str = ""


@dataclass(frozen=True)
class _Series:
    label: str
    values: list[float]
    color: str


def write_report(lake: str, version: int | None = None, out: str | None = None) -> WrittenReport:
    """Build the report of articles `version` (default: the latest) and write it to `out`."""
    data = load_report_data(lake, version)
    page = render_report(data).encode("utf-8")
    target = out or report_path(lake, data.current.version)
    fs, path = url_to_fs(target)
    fs.makedirs(posixpath.dirname(path), exist_ok=True)
    fs.pipe_file(path, page)
    local = "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))
    return WrittenReport(target, Path(path).as_uri() if local else target, data.current.version, len(page))


def build_report(lake: str, version: int | None = None) -> str:
    return render_report(load_report_data(lake, version))


# --- reading the lake ---------------------------------------------------------------------------


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
    dataset = open_table(path, version).to_pyarrow_dataset()
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
    rows = table.to_pyarrow_dataset().to_table(columns=["stage", "reasons"])
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


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


# --- charts -------------------------------------------------------------------------------------


def render_report(data: ReportData, limits: ReportLimits = REPORT_LIMITS) -> str:
    """The whole page: header, headline figures, then one section of charts after another."""
    current, previous = data.current, data.previous
    with matplotlib.rc_context(CHART_STYLE), warnings.catch_warnings():
        # Layout is measured with matplotlib's own font; the browser draws scripts it lacks.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        sections = [
            ("run", "This run next to the previous one", [_run_chart(data)]),
            (
                "contents",
                "What the table holds",
                [
                    _category_chart(
                        "languages",
                        "Articles per language",
                        "languages",
                        current,
                        previous,
                        limits.top_languages,
                        limits,
                    ),
                    _category_chart(
                        "domains",
                        "Articles per source domain",
                        "domains",
                        current,
                        previous,
                        limits.top_domains,
                        limits,
                    ),
                    _timeline_chart(current, previous),
                ],
            ),
            (
                "distributions",
                "Distributions",
                [_distribution_chart(name, current, previous, limits) for name in current.values],
            ),
            ("quarantine", "Quarantine", [_quarantine_chart(data.quarantine)]),
        ]
    return _page(data, sections)


def _label(value: str, width: int = 34) -> str:
    """A category as an axis label: printable, and short enough to leave room for the bars."""
    text = "".join(c if unicodedata.category(c)[0] != "C" else "?" for c in value) or "(empty)"
    return text if len(text) <= width else text[: width - 1] + "…"


def _svg(fig: Figure, key: str) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": key}):  # ids unique per chart, stable across builds
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _bars(key: str, labels: Sequence[str], series: Sequence[_Series], xlabel: str) -> str:
    """Horizontal bars, one group per label (first on top), the first series' counts written on its bars."""
    height = 0.8 / len(series)
    fig = Figure(figsize=(CHART_WIDTH, 0.8 + 0.22 * len(labels) * (1 + 0.6 * (len(series) - 1))), layout="constrained")
    ax = fig.add_subplot()
    positions = np.arange(len(labels))
    for index, one in enumerate(series):
        bars = ax.barh(
            positions + (index - (len(series) - 1) / 2) * height,
            one.values,
            height=height,
            color=one.color,
            label=one.label,
        )
        if index == 0:
            ax.bar_label(bars, labels=[f"{v:,.0f}" for v in one.values], padding=3, fontsize=8)
    ax.set_yticks(positions, [_label(label) for label in labels])
    ax.invert_yaxis()
    ax.margins(x=0.12, y=0.02)
    _count_axis(ax.xaxis)
    ax.set_xlabel(xlabel)
    if len(series) > 1:
        fig.legend(loc="outside upper right", ncols=len(series))
    return _svg(fig, key)


def _count_axis(axis: Axis) -> None:
    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))


def _run_chart(data: ReportData) -> Chart:
    version = data.current.version
    this, before = data.commits.get(version, {}), data.commits.get(version - 1)
    keys = [key for key in RUN_COUNTS if key in this]
    title = "Change since the previous version"
    if not keys:
        note = f"version {version} was written by {this.get('operation', 'an unknown operation')} without broadsheet's run counts"
        return Chart("run", title, "", None, note=note)
    series = [_Series(f"run that made v{version}", [int(this[k]) for k in keys], CURRENT)]
    if before and all(k in before for k in keys):
        series.append(_Series(f"run that made v{version - 1}", [int(before[k]) for k in keys], PREVIOUS))
    caption = f"What run {this.get('run_id', '?')} did to the table"
    caption += ", next to the run before it." if len(series) > 1 else f". {data.previous_note.capitalize()}."
    rows = [[RUN_COUNTS[k], *(one.values[i] for one in reversed(series))] for i, k in enumerate(keys)]
    header = ["", *(f"v{v}" for v in range(version - len(series) + 1, version + 1))]
    return Chart(
        "run", title, caption, _bars("run", [RUN_COUNTS[k] for k in keys], series, "records"), [_table(header, rows)]
    )


def _category_chart(
    key: str,
    title: str,
    plural: str,
    current: VersionProfile,
    previous: VersionProfile | None,
    top: int,
    limits: ReportLimits,
) -> Chart:
    """Bars of the `top` most common values of `key` (languages or domains); the caption and table give the rest.

    The rest is not drawn as one bar: thousands of small domains summed would dwarf every bar drawn.
    """
    counts: dict[str, int] = getattr(current, key)
    before: dict[str, int] | None = getattr(previous, key) if previous else None
    if not counts:
        return Chart(key, title, "", None, note=f"version {current.version} holds no articles")
    shown = list(counts)[:top]
    series = [_Series(f"v{current.version}", [counts[name] for name in shown], CURRENT)]
    if previous is not None:
        series.append(_Series(f"v{previous.version}", [before.get(name, 0) for name in shown], PREVIOUS))
    caption = f"{len(counts):,} {plural} among {current.rows:,} articles"
    if hidden := len(counts) - len(shown):
        rest = current.rows - sum(series[0].values)
        caption += (
            f"; the {top} largest drawn, the other {hidden:,} hold {rest:,} articles ({_share(rest, current.rows)})"
        )
    table = _comparison_table(plural, counts, before, previous, limits.table_rows)
    return Chart(key, title, caption + ".", _bars(key, shown, series, "articles"), [table])


def _comparison_table(
    what: str, counts: dict[str, int], before: dict[str, int] | None, previous: VersionProfile | None, limit: int
) -> str:
    names = list(counts) + [name for name in before or {} if name not in counts]
    total = sum(counts.values())

    def row(name: str, now: int, then: int) -> list[str]:
        return [name, _count(now), _share(now, total)] + (
            [_count(then), _delta(now - then)] if before is not None else []
        )

    rows = [row(name, counts.get(name, 0), (before or {}).get(name, 0)) for name in names[:limit]]
    if hidden := names[limit:]:
        rows.append(
            row(
                f"{len(hidden):,} more {what}",
                sum(counts.get(n, 0) for n in hidden),
                sum((before or {}).get(n, 0) for n in hidden),
            )
        )
    header = [what, "articles", "share"] + ([f"v{previous.version}", "change"] if previous is not None else [])
    return _table(header, rows)


def _timeline_chart(current: VersionProfile, previous: VersionProfile | None) -> Chart:
    title = "Articles per publication month"
    before = previous.months if previous else {}
    months = sorted(current.months.keys() | before.keys())
    if not months:
        return Chart(
            "timeline", title, "", None, note=f"no article of version {current.version} has a publication date"
        )
    span = range(months[0], months[-1] + 1)
    edges = date2num([_month_start(m) for m in range(months[0], months[-1] + 2)])
    fig = Figure(figsize=(2 * CHART_WIDTH, 2.6), layout="constrained")
    ax = fig.add_subplot()
    ax.stairs([current.months.get(m, 0) for m in span], edges, fill=True, color=CURRENT, label=f"v{current.version}")
    if previous is not None:
        ax.stairs(
            [before.get(m, 0) for m in span], edges, color=PREVIOUS_LINE, linewidth=1.5, label=f"v{previous.version}"
        )
        fig.legend(loc="outside upper right", ncols=2)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    _count_axis(ax.yaxis)
    ax.set_ylabel("articles")
    ax.margins(x=0.01)
    dated = sum(current.months.values())
    caption = f"{dated:,} articles by month of date_published, {_month(months[0])} to {_month(months[-1])}; {current.undated:,} without a date."
    header = ["month", "articles"] + ([f"v{previous.version}", "change"] if previous is not None else [])
    rows = [
        [_month(m), _count(current.months.get(m, 0))]
        + (
            [_count(before.get(m, 0)), _delta(current.months.get(m, 0) - before.get(m, 0))]
            if previous is not None
            else []
        )
        for m in months
    ]
    return Chart("timeline", title, caption, _svg(fig, "timeline"), [_table(header, rows)])


def _month_start(index: int) -> datetime:
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _distribution_chart(
    column: str, current: VersionProfile, previous: VersionProfile | None, limits: ReportLimits
) -> Chart:
    """Histogram of one numeric column, the previous version's drawn over it as a line on the same bins."""
    key, values = f"dist-{column}", current.values[column]
    before = previous.values.get(column) if previous else None
    description = current.descriptions.get(column, "")
    if values.size == 0:
        return Chart(
            key,
            column,
            description,
            None,
            note=f"no values in version {current.version} ({current.missing[column]:,} rows without one)",
        )
    edges = _bin_edges(values if before is None else np.concatenate([values, before]), limits.histogram_bins)
    fig = Figure(figsize=(CHART_WIDTH, 2.5), layout="constrained")
    ax = fig.add_subplot()
    ax.stairs(np.histogram(values, edges)[0], edges, fill=True, color=CURRENT, label=f"v{current.version}")
    if before is not None:
        ax.stairs(
            np.histogram(before, edges)[0], edges, color=PREVIOUS_LINE, linewidth=1.5, label=f"v{previous.version}"
        )
        fig.legend(loc="outside upper right", ncols=2)
    _count_axis(ax.yaxis)
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,g}"))
    ax.set_xlabel(column)
    ax.set_ylabel("articles")
    low, median, high = np.percentile(values, [5, 50, 95])
    caption = f"{description}. Median {_number(median)}, 90 % between {_number(low)} and {_number(high)}"
    caption += f"; {current.missing[column]:,} without a value" if current.missing[column] else ""
    if above := int((values > edges[-1]).sum()):
        caption += f"; {above:,} above {_bin_label(edges[-1], 'to')} (up to {_number(values.max())}) not drawn"
    versions = [(current, values)] + ([(previous, before)] if before is not None else [])
    return Chart(
        key, column, caption + ".", _svg(fig, key), [_stats_table(column, versions), _bins_table(edges, versions)]
    )


def _bin_edges(values: np.ndarray, bins: int) -> np.ndarray:
    """Bin edges shared by both versions, whole numbers wide for integer columns.

    A long tail is cut at Tukey's far-out fence (or the 99th percentile, if higher) when it would
    take more of the axis than the bulk of the values: one 250,000-word article must not squash
    every other into the first bin. The caption and the bins table count what was cut.
    """
    low, high = float(values.min()), float(values.max())
    q1, q3, p99 = np.percentile(values, [25, 75, 99], method="lower")
    fence = max(q3 + 3 * (q3 - q1), p99)
    top = fence if high - fence > fence - low else high
    if np.all(np.mod(values, 1) == 0):
        width = max(1, math.ceil((top - low + 1) / bins))
        return np.arange(low - 0.5, top + 0.5 + width, width)
    if low == top:
        return np.array([low - 0.5, low + 0.5])
    return np.linspace(low, top, bins + 1)


def _stats_table(column: str, versions: list[tuple[VersionProfile, np.ndarray]]) -> str:
    names = [
        "articles with a value",
        "without a value",
        "minimum",
        "5 %",
        "25 %",
        "median",
        "75 %",
        "95 %",
        "maximum",
        "mean",
    ]
    columns = []
    for profile, values in versions:
        if values.size == 0:
            columns.append([_count(0), _count(profile.missing.get(column, profile.rows))] + [_Num("–")] * 8)
            continue
        quantiles = np.percentile(values, [0, 5, 25, 50, 75, 95, 100])
        columns.append(
            [_count(values.size), _count(profile.missing[column])]
            + [_number(q) for q in quantiles]
            + [_number(values.mean())]
        )
    rows = [[name, *(c[i] for c in columns)] for i, name in enumerate(names)]
    return _table([column, *(f"v{p.version}" for p, _ in versions)], rows)


def _bins_table(edges: np.ndarray, versions: list[tuple[VersionProfile, np.ndarray]]) -> str:
    counts = [np.histogram(values, edges)[0] for _, values in versions]
    rows = [
        [_bin_label(edges[i], "from"), _bin_label(edges[i + 1], "to"), *(_count(int(c[i])) for c in counts)]
        for i in range(len(edges) - 1)
    ]
    above = [int((values > edges[-1]).sum()) for _, values in versions]
    if any(above):
        rows.append([f"above {_bin_label(edges[-1], 'to')}", "(not drawn)", *(_count(n) for n in above)])
    return _table(["from", "to", *(f"v{p.version}" for p, _ in versions)], rows)


def _bin_label(edge: float, side: str) -> _Num:
    """An integer column's bins lie between half-integers: label them by the whole numbers they hold."""
    if edge % 1 == 0.5:
        return _number(math.ceil(edge) if side == "from" else math.floor(edge))
    return _number(edge)


def _quarantine_chart(quarantine: QuarantineProfile) -> Chart:
    title = "Quarantined records by reason"
    if not quarantine.reasons:
        note = (
            "there was no quarantine table yet"
            if quarantine.version is None
            else f"quarantine version {quarantine.version} holds no records"
        )
        return Chart("quarantine", title, "", None, note=note)
    caption = f"{quarantine.records:,} records in quarantine version {quarantine.version}; a record with several reasons counts under each."
    series = [_Series(f"v{quarantine.version}", list(quarantine.reasons.values()), QUARANTINE)]
    rows = [[reason, quarantine.stages[reason], _count(n)] for reason, n in quarantine.reasons.items()]
    return Chart(
        "quarantine",
        title,
        caption,
        _bars("quarantine", list(quarantine.reasons), series, "records"),
        [_table(["reason", "stage", "records"], rows)],
    )


# --- HTML ---------------------------------------------------------------------------------------


class _Num(str):
    """A table cell holding a number: right-aligned in tabular figures."""


def _count(n: int) -> _Num:
    return _Num(f"{n:,}")


def _delta(n: int) -> _Num:
    return _Num(f"{n:+,}" if n else "0")


def _share(n: int, total: int) -> _Num:
    return _Num(f"{n / total:.1%}" if total else "–")


def _number(value: float) -> _Num:
    if float(value).is_integer():
        return _Num(f"{int(value):,}")
    return _Num(f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}")


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="n">{_esc(v)}</td>' if isinstance(v, _Num) else f"<td>{_esc(v)}</td>" for v in row)
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(chart: Chart) -> str:
    body = chart.svg if chart.svg is not None else f'<p class="empty">{_esc(chart.note)}</p>'
    numbers = ""
    if chart.tables:
        numbers = f'<details class="numbers"><summary>Numbers</summary>{"".join(chart.tables)}</details>'
    caption = f'<p class="caption">{_esc(chart.caption)}</p>' if chart.caption else ""
    return (
        f'<figure class="chart chart-{_esc(chart.key)}" id="{_esc(chart.key)}" data-chart="{_esc(chart.key)}">'
        f"<figcaption><h3>{_esc(chart.title)}</h3>{caption}</figcaption>{body}{numbers}</figure>"
    )


def _tiles(data: ReportData) -> list[tuple[str, str, str]]:
    current, previous, quarantine = data.current, data.previous, data.quarantine
    languages = [name for name in current.languages if name != UNKNOWN_LANGUAGE]
    domains = [name for name in current.domains if name != NO_DOMAIN]
    months = sorted(current.months)
    if previous is not None:
        change = f"{_delta(current.rows - previous.rows)} since v{previous.version}"
    else:
        change = "first version" if current.version == 0 else f"v{current.version - 1} unreadable"
    return [
        ("articles", f"{current.rows:,}", change),
        ("duplicates", f"{current.duplicates:,}", f"{_share(current.duplicates, current.rows)} of articles"),
        ("languages", f"{len(languages):,}", f"most: {languages[0]}" if languages else "none detected"),
        ("source domains", f"{len(domains):,}", f"most: {domains[0]}" if domains else "none known"),
        (
            "published",
            _years(months),
            f"{_month(months[0])} to {_month(months[-1])}, {current.undated:,} undated" if months else "no dates",
        ),
        (
            "quarantined records",
            f"{quarantine.records:,}",
            f"quarantine v{quarantine.version}" if quarantine.version is not None else "no quarantine table",
        ),
    ]


def _years(months: list[int]) -> str:
    if not months:
        return "–"
    first, last = months[0] // 12, months[-1] // 12
    return str(first) if first == last else f"{first}–{last}"


def _page(data: ReportData, sections: list[tuple[str, str, list[Chart]]]) -> str:
    version = data.current.version
    commit = data.commits.get(version, {})
    committed = (
        datetime.fromtimestamp(commit["timestamp"] / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
        if "timestamp" in commit
        else "unknown"
    )
    facts = [
        ("lake", data.lake),
        ("committed", committed),
        ("operation", commit.get("operation", "unknown")),
        ("run", commit.get("run_id", "–")),
        ("deployment", commit.get("deployment", "–")),
        ("pipeline", commit.get("pipeline_version", "–")),
        ("report made", data.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
    ]
    facts_html = "".join(f"<span><b>{_esc(name)}</b> {_esc(value)}</span>" for name, value in facts)
    tiles_html = "".join(
        f'<div class="tile" title="{_esc(sub)}"><div class="label">{_esc(label)}</div><div class="value">{_esc(value)}</div><div class="sub">{_esc(sub)}</div></div>'
        for label, value, sub in _tiles(data)
    )
    nav = "".join(f'<a href="#{_esc(key)}-section">{_esc(heading)}</a>' for key, heading, _ in sections)
    body = "".join(
        f'<section id="{_esc(key)}-section"><h2>{_esc(heading)}</h2><div class="charts">{"".join(_figure(c) for c in charts)}</div></section>'
        for key, heading, charts in sections
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="broadsheet {_esc(commit.get("pipeline_version", ""))}">
<title>articles v{version} · broadsheet dataset report</title>
<style>{PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>Articles table, version {version}</h1>
<p class="facts">{facts_html}</p>
<nav>{nav}</nav>
</header>
<main>
<div class="tiles">{tiles_html}</div>
{body}
</main>
</body>
</html>
"""


PAGE_STYLE = """
:root { --ink: #1d2a35; --muted: #5d6b78; --line: #dfe4e8; --accent: #2f6f9f; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #f4f6f8; }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 18px 32px 10px; }
h1 { font-size: 24px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 28px 0 12px; }
h3 { font-size: 15px; margin: 0 0 2px; }
.facts { display: flex; flex-wrap: wrap; gap: 2px 18px; margin: 0 0 8px; color: var(--muted); font-size: 13px; }
.facts b { font-weight: 600; color: var(--ink); }
nav { display: flex; gap: 16px; font-size: 13px; }
nav a, summary { color: var(--accent); text-decoration: none; cursor: pointer; }
main { max-width: 1320px; margin: 0 auto; padding: 4px 32px 48px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-top: 20px; }
.tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.tile .label { font-size: 11px; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); }
.tile .value { font-size: 24px; font-weight: 650; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.tile .sub { font-size: 13px; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 16px; align-items: start; }
figure.chart { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 0; padding: 14px 16px; min-width: 0; }
figure.chart-timeline, figure.chart-run { grid-column: 1 / -1; }
figure.chart svg { display: block; max-width: 100%; height: auto; margin-top: 8px; }
.caption { margin: 0; font-size: 13px; color: var(--muted); }
.empty { margin: 16px 0 4px; color: var(--muted); font-style: italic; }
details.numbers { margin-top: 8px; font-size: 13px; }
details.numbers table { margin-top: 6px; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8px; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; overflow-wrap: anywhere; }
th { font-weight: 600; color: var(--muted); }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
@media print { body { background: #fff; } figure.chart { break-inside: avoid; } }
"""

"""The dataset report's charts: matplotlib figures as inline SVG, each with its numbers as tables.

The page loads nothing, so every chart is SVG text inside it. matplotlib escapes the text it
draws (labels, legends), so the SVG it writes is markup the page can hold as it is.

Drawing is most of a report's time, and a run writes its report with one core idle: given a
helper process (chart_helper), this process draws half the charts and the helper the other half.
The helper imports matplotlib and this module only (not the lake's readers), while the run commits.
"""

from __future__ import annotations

import contextlib
import io
import math
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from markupsafe import Markup
from matplotlib.axis import Axis
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter
from matplotlib.typing import RcKeyType

from tasks.config import REPORT_LIMITS, ReportLimits
from tasks.report.numbers import Number, count, delta, month, number, share
from tasks.workers.deadline import DeadlineExceeded, DeadlineRunner, WorkerDied

if TYPE_CHECKING:
    from tasks.report.data import QuarantineProfile, ReportData, VersionProfile

# Counts every articles commit carries in its metadata (tasks/pipeline.py, tasks/lake/write.py).
RUN_COUNTS = {
    "records_read": "records read",
    "inserted": "inserted",
    "updated": "updated",
    "unchanged": "unchanged",
    "duplicates": "duplicates marked",
    "quarantined_records": "quarantined",
}

CURRENT = "#2f6f9f"
PREVIOUS = "#b9c3cc"
PREVIOUS_LINE = "#d9822b"  # the previous version drawn as a line over this one: a colour that shows on both
QUARANTINE = "#c0504d"
CHART_STYLE: dict[RcKeyType, Any] = {
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
OTHER_CHARTS = 5  # run, languages, domains, timeline, quarantine: the charts besides the distributions


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]  # a Number cell is set as one: right-aligned, in tabular figures


@dataclass(frozen=True)
class Chart:
    key: str  # stable id of the chart in the page (tests and links find it by this)
    title: str
    caption: str
    svg: Markup | None  # None: nothing to draw, `note` says why
    tables: list[Table] = field(default_factory=list)  # the chart's numbers
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: str  # stable id of the section in the page
    heading: str
    charts: list[Chart]


@dataclass(frozen=True)
class _Series:
    label: str
    values: list[int]
    color: str


@dataclass(frozen=True)
class ColumnValues:
    """One numeric column in one version of the articles table."""

    version: int
    values: np.ndarray  # its non-null, finite values
    missing: int  # rows without a value


@dataclass(frozen=True)
class Distribution:
    """What one distribution chart draws: a numeric column in the reported version, and in the
    version before when that has the column."""

    column: str
    description: str
    current: ColumnValues
    previous: ColumnValues | None


@dataclass(frozen=True)
class DistributionCharts:
    """The distribution charts a chart helper draws (see draw_distribution_charts)."""

    distributions: list[Distribution]
    limits: ReportLimits


def chart_sections(
    data: ReportData, limits: ReportLimits = REPORT_LIMITS, helper: DeadlineRunner | None = None
) -> list[Section]:
    """Every chart of the report, section by section: the run, the table's contents, distributions,
    quarantine. With a `helper` (chart_helper), it draws the first distributions meanwhile."""
    current, previous = data.current, data.previous
    distributions = _distributions(current, previous)
    theirs = distributions[: (len(distributions) + OTHER_CHARTS) // 2] if helper is not None else []
    with _drawing(), ThreadPoolExecutor(1) as asking:
        asked = (
            asking.submit(helper.run, DistributionCharts(theirs, limits), limits.chart_helper_seconds)
            if helper is not None and theirs
            else None
        )
        run = _run_chart(data)
        contents = [
            _category_chart(
                "languages", "Articles per language", "languages", current, previous, limits.top_languages, limits
            ),
            _category_chart(
                "domains", "Articles per source domain", "domains", current, previous, limits.top_domains, limits
            ),
            _timeline_chart(current, previous),
        ]
        quarantine = _quarantine_chart(data.quarantine)
        ours = [_distribution_chart(one, limits) for one in distributions[len(theirs) :]]
        drawn = _drawn_by_helper(asked, theirs, limits) + ours
    return [
        Section("run", "This run next to the previous one", [run]),
        Section("contents", "What the table holds", contents),
        Section("distributions", "Distributions", drawn),
        Section("quarantine", "Quarantine", [quarantine]),
    ]


@contextlib.contextmanager
def chart_helper() -> Iterator[DeadlineRunner]:
    """A process that draws some of a report's charts (see chart_sections), started now so that
    its imports are done by the time a report is drawn; stopped when the block ends."""
    helper = DeadlineRunner(f"{__name__}:{draw_distribution_charts.__name__}")
    helper.start()
    try:
        yield helper
    finally:
        helper.close()


def draw_distribution_charts(job: DistributionCharts) -> list[Chart]:
    """The charts of `job`'s distributions, in order: what a chart helper runs."""
    with _drawing():
        return [_distribution_chart(one, job.limits) for one in job.distributions]


@contextlib.contextmanager
def _drawing() -> Iterator[None]:
    with matplotlib.rc_context(CHART_STYLE), warnings.catch_warnings():
        # Layout is measured with matplotlib's own font; the browser draws scripts it lacks.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        yield


def _drawn_by_helper(
    asked: Future[list[Chart]] | None, theirs: list[Distribution], limits: ReportLimits
) -> list[Chart]:
    """The helper's charts; drawn here when it died or ran out of time: the report never lacks them."""
    if asked is None:
        return []
    try:
        return asked.result()
    except (DeadlineExceeded, WorkerDied):
        return [_distribution_chart(one, limits) for one in theirs]


def _distributions(current: VersionProfile, previous: VersionProfile | None) -> list[Distribution]:
    return [
        Distribution(
            column,
            current.descriptions.get(column, ""),
            ColumnValues(current.version, values, current.missing.get(column, current.rows)),
            ColumnValues(previous.version, previous.values[column], previous.missing.get(column, previous.rows))
            if previous is not None and column in previous.values
            else None,
        )
        for column, values in current.values.items()
    ]


def _label(value: str, width: int = 34) -> str:
    """A category as an axis label: printable, and short enough to leave room for the bars."""
    text = "".join(c if unicodedata.category(c)[0] != "C" else "?" for c in value) or "(empty)"
    return text if len(text) <= width else text[: width - 1] + "…"


def _svg(fig: Figure, key: str) -> Markup:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": key}):  # ids unique per chart, stable across builds
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    text = buffer.getvalue()
    return Markup(text[text.index("<svg") :])  # matplotlib's own markup: the data in it is escaped text


def _bars(key: str, labels: Sequence[str], series: Sequence[_Series], xlabel: str) -> Markup:
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
    rows = [[RUN_COUNTS[k], *(str(one.values[i]) for one in reversed(series))] for i, k in enumerate(keys)]
    header = ["", *(f"v{v}" for v in range(version - len(series) + 1, version + 1))]
    return Chart(
        "run", title, caption, _bars("run", [RUN_COUNTS[k] for k in keys], series, "records"), [Table(header, rows)]
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
    if not counts:
        return Chart(key, title, "", None, note=f"version {current.version} holds no articles")
    shown = list(counts)[:top]
    series = [_Series(f"v{current.version}", [counts[name] for name in shown], CURRENT)]
    before: dict[str, int] | None = None
    if previous is not None:
        before = getattr(previous, key)
        series.append(_Series(f"v{previous.version}", [before.get(name, 0) for name in shown], PREVIOUS))
    caption = f"{len(counts):,} {plural} among {current.rows:,} articles"
    if hidden := len(counts) - len(shown):
        rest = current.rows - sum(series[0].values)
        caption += (
            f"; the {top} largest drawn, the other {hidden:,} hold {rest:,} articles ({share(rest, current.rows)})"
        )
    table = _comparison_table(plural, counts, before, previous, limits.table_rows)
    return Chart(key, title, caption + ".", _bars(key, shown, series, "articles"), [table])


def _comparison_table(
    what: str, counts: dict[str, int], before: dict[str, int] | None, previous: VersionProfile | None, limit: int
) -> Table:
    names = list(counts) + [name for name in before or {} if name not in counts]
    total = sum(counts.values())

    def row(name: str, now: int, then: int) -> list[str]:
        return [name, count(now), share(now, total)] + ([count(then), delta(now - then)] if before is not None else [])

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
    return Table(header, rows)


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
    caption = f"{dated:,} articles by month of date_published, {month(months[0])} to {month(months[-1])}; {current.undated:,} without a date."
    header = ["month", "articles"] + ([f"v{previous.version}", "change"] if previous is not None else [])
    rows = [
        [month(m), count(current.months.get(m, 0))]
        + (
            [count(before.get(m, 0)), delta(current.months.get(m, 0) - before.get(m, 0))]
            if previous is not None
            else []
        )
        for m in months
    ]
    return Chart("timeline", title, caption, _svg(fig, "timeline"), [Table(header, rows)])


def _month_start(index: int) -> datetime:
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def _distribution_chart(distribution: Distribution, limits: ReportLimits) -> Chart:
    """Histogram of one numeric column, the previous version's drawn over it as a line on the same bins."""
    column, current, previous = distribution.column, distribution.current, distribution.previous
    key, values = f"dist-{column}", current.values
    if values.size == 0:
        return Chart(
            key,
            column,
            distribution.description,
            None,
            note=f"no values in version {current.version} ({current.missing:,} rows without one)",
        )
    versions = [current] if previous is None else [current, previous]
    edges = _bin_edges(np.concatenate([one.values for one in versions]), limits.histogram_bins)
    fig = Figure(figsize=(CHART_WIDTH, 2.5), layout="constrained")
    ax = fig.add_subplot()
    ax.stairs(np.histogram(values, edges)[0], edges, fill=True, color=CURRENT, label=f"v{current.version}")
    if previous is not None:
        ax.stairs(
            np.histogram(previous.values, edges)[0],
            edges,
            color=PREVIOUS_LINE,
            linewidth=1.5,
            label=f"v{previous.version}",
        )
        fig.legend(loc="outside upper right", ncols=2)
    _count_axis(ax.yaxis)
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,g}"))
    ax.set_xlabel(column)
    ax.set_ylabel("articles")
    low, median, high = np.percentile(values, [5, 50, 95])
    caption = f"{distribution.description}. Median {number(median)}, 90 % between {number(low)} and {number(high)}"
    caption += f"; {current.missing:,} without a value" if current.missing else ""
    if above := int((values > edges[-1]).sum()):
        caption += f"; {above:,} above {_bin_label(edges[-1], 'to')} (up to {number(values.max())}) not drawn"
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


def _stats_table(column: str, versions: list[ColumnValues]) -> Table:
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
    for one in versions:
        if one.values.size == 0:
            columns.append([count(0), count(one.missing)] + [Number("–")] * 8)
            continue
        quantiles = np.percentile(one.values, [0, 5, 25, 50, 75, 95, 100])
        columns.append(
            [count(one.values.size), count(one.missing)] + [number(q) for q in quantiles] + [number(one.values.mean())]
        )
    rows = [[name, *(c[i] for c in columns)] for i, name in enumerate(names)]
    return Table([column, *(f"v{one.version}" for one in versions)], rows)


def _bins_table(edges: np.ndarray, versions: list[ColumnValues]) -> Table:
    counts = [np.histogram(one.values, edges)[0] for one in versions]
    rows: list[list[str]] = [
        [_bin_label(edges[i], "from"), _bin_label(edges[i + 1], "to"), *(count(int(c[i])) for c in counts)]
        for i in range(len(edges) - 1)
    ]
    above = [int((one.values > edges[-1]).sum()) for one in versions]
    if any(above):
        rows.append([f"above {_bin_label(edges[-1], 'to')}", "(not drawn)", *(count(n) for n in above)])
    return Table(["from", "to", *(f"v{one.version}" for one in versions)], rows)


def _bin_label(edge: float, side: str) -> Number:
    """An integer column's bins lie between half-integers: label them by the whole numbers they hold."""
    if edge % 1 == 0.5:
        return number(math.ceil(edge) if side == "from" else math.floor(edge))
    return number(edge)


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
    rows = [[reason, quarantine.stages[reason], count(n)] for reason, n in quarantine.reasons.items()]
    return Chart(
        "quarantine",
        title,
        caption,
        _bars("quarantine", list(quarantine.reasons), series, "records"),
        [Table(["reason", "stage", "records"], rows)],
    )

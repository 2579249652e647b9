"""Dataset report: one self-contained HTML page that profiles a version of the articles table.

The page is templates/report.html.j2, its style (templates/report.css) inlined and its charts
inline SVG: it loads nothing (its Content-Security-Policy forbids it), so it opens offline, from
a mail attachment or from an object store alike. The template escapes every value it is given;
only the charts' SVG, which matplotlib wrote, goes in as markup.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fsspec.core import url_to_fs
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from tasks.config import REPORT_LIMITS, ReportLimits
from tasks.lake.paths import report_path
from tasks.report.charts import chart_sections
from tasks.report.data import NO_DOMAIN, UNKNOWN_LANGUAGE, ReportData, load_report_data
from tasks.report.numbers import Number, delta, month, share
from tasks.workers.deadline import DeadlineRunner

TEMPLATES = Path(__file__).parent / "templates"  # beside the module, in a checkout and in an installed wheel alike


def _is_number(value: object) -> bool:
    return isinstance(value, Number)


_JINJA = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,  # the page ends its last line, as a text file should
)
_JINJA.tests["numeric"] = _is_number  # a table cell holding a Number is set right-aligned


@dataclass(frozen=True)
class WrittenReport:
    path: str  # where the page was written, as given (a local path or a URL)
    url: str  # a link to it: file:// for local paths
    version: int
    size_bytes: int


@dataclass(frozen=True)
class Tile:
    """A headline figure at the top of the page."""

    label: str
    value: str
    sub: str  # what the value is made of; also the tile's tooltip, as a narrow tile cuts it short


def write_report(
    lake: str, version: int | None = None, out: str | None = None, helper: DeadlineRunner | None = None
) -> WrittenReport:
    """Build the report of articles `version` (default: the latest) and write it to `out`; a
    chart `helper` (charts.chart_helper) draws some of its charts."""
    data = load_report_data(lake, version)
    page = render_report(data, helper=helper).encode("utf-8")
    target = out or report_path(lake, data.current.version)
    fs, path = url_to_fs(target)
    fs.makedirs(posixpath.dirname(path), exist_ok=True)
    fs.pipe_file(path, page)
    local = "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))
    return WrittenReport(target, Path(path).as_uri() if local else target, data.current.version, len(page))


def build_report(lake: str, version: int | None = None) -> str:
    return render_report(load_report_data(lake, version))


def render_report(data: ReportData, limits: ReportLimits = REPORT_LIMITS, helper: DeadlineRunner | None = None) -> str:
    """The whole page: header, headline figures, then one section of charts after another."""
    version = data.current.version
    commit = data.commits.get(version, {})
    return _JINJA.get_template("report.html.j2").render(
        version=version,
        pipeline_version=commit.get("pipeline_version", ""),
        facts=_facts(data, commit),
        tiles=_tiles(data),
        sections=chart_sections(data, limits, helper),
    )


def _facts(data: ReportData, commit: dict[str, Any]) -> list[tuple[str, str]]:
    """Where the reported version comes from: the line under the page's title."""
    committed = (
        datetime.fromtimestamp(commit["timestamp"] / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
        if "timestamp" in commit
        else "unknown"
    )
    return [
        ("lake", data.lake),
        ("committed", committed),
        ("operation", commit.get("operation", "unknown")),
        ("run", commit.get("run_id", "–")),
        ("deployment", commit.get("deployment", "–")),
        ("pipeline", commit.get("pipeline_version", "–")),
        ("report made", data.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
    ]


def _tiles(data: ReportData) -> list[Tile]:
    current, previous, quarantine = data.current, data.previous, data.quarantine
    languages = [name for name in current.languages if name != UNKNOWN_LANGUAGE]
    domains = [name for name in current.domains if name != NO_DOMAIN]
    months = sorted(current.months)
    if previous is not None:
        change = f"{delta(current.rows - previous.rows)} since v{previous.version}"
    else:
        change = "first version" if current.version == 0 else f"v{current.version - 1} unreadable"
    return [
        Tile("articles", f"{current.rows:,}", change),
        Tile("duplicates", f"{current.duplicates:,}", f"{share(current.duplicates, current.rows)} of articles"),
        Tile("languages", f"{len(languages):,}", f"most: {languages[0]}" if languages else "none detected"),
        Tile("source domains", f"{len(domains):,}", f"most: {domains[0]}" if domains else "none known"),
        Tile(
            "published",
            _years(months),
            f"{month(months[0])} to {month(months[-1])}, {current.undated:,} undated" if months else "no dates",
        ),
        Tile(
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

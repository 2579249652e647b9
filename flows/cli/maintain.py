"""`broadsheet maintain`: compact, vacuum and checkpoint the lake's tables.

It runs the lake-maintenance flow, like `run` runs the article pipeline, so manual and scheduled
maintenance look the same in Prefect; the work is in tasks/lake/maintenance.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from flows.cli.flow_runs import running_a_flow
from flows.cli.options import LakeOption, console, fail
from tasks.config import DEFAULT_LAKE

if TYPE_CHECKING:
    from prefect import Flow

    from tasks.lake.maintenance import MaintenanceReport


def maintain(
    lake: LakeOption = DEFAULT_LAKE,
    vacuum_hours: Annotated[
        int | None,
        typer.Option(
            min=0, help="delete files older versions needed after this many hours [default: the tables' retention, 168]"
        ),
    ] = None,
    repartition: Annotated[
        bool, typer.Option(help="first migrate an articles table written before partitioning")
    ] = False,
) -> None:
    """Compact small files, vacuum old ones and checkpoint the log (the lake-maintenance flow)."""
    from schemas.tables import ARTICLES_PARTITION_BY
    from tasks.lake.paths import articles_path
    from tasks.lake.storage import table_exists

    if not table_exists(articles_path(lake)):
        raise fail(f"no articles table at {articles_path(lake)}: run `broadsheet run --lake {lake}` first")

    with running_a_flow(_maintenance_flow, lake) as lake_maintenance:
        reports = lake_maintenance(lake=lake, vacuum_hours=vacuum_hours, repartition_layout=repartition)
    view = Table(title=f"maintenance of {lake}")
    for column in ("table", "live files", "live MB", "stored files", "stored MB", "vacuumed", "readable from version"):
        view.add_column(column)
    for report in reports:
        before, after = report.before, report.after
        view.add_row(
            report.table.rsplit("/", 1)[-1],
            f"{before.live_files} -> {after.live_files}",
            f"{before.live_bytes / 1e6:.2f} -> {after.live_bytes / 1e6:.2f}",
            f"{before.stored_files} -> {after.stored_files}",
            f"{before.stored_bytes / 1e6:.2f} -> {after.stored_bytes / 1e6:.2f}",
            str(report.files_vacuumed),
            str(report.time_travel_from),
        )
    console.print(view)
    articles = reports[0]
    if articles.partition_columns != list(ARTICLES_PARTITION_BY):
        console.print(
            f"the articles table is partitioned by {articles.partition_columns or 'nothing'}, not {list(ARTICLES_PARTITION_BY)}: "
            "`broadsheet maintain --repartition` migrates it",
            soft_wrap=True,
        )


def _maintenance_flow() -> Flow[..., list[MaintenanceReport]]:
    from flows.maintenance import lake_maintenance

    return lake_maintenance

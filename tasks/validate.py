"""Validate stage: the typed Arrow schema, then the Great Expectations suite, on every batch.

Reads: cleaned rows (tasks.clean.CLEAN_SCHEMA columns, `raw` included).
Writes: the rows that pass, as an Arrow table of CLEAN_SCHEMA.
Rejects (stage validate): schema_mismatch, and the reason code of each failed critical
expectation (schemas.expectations). Failed warning expectations are counted, rows kept.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pyarrow as pa

from schemas.expectations import CRITICAL, articles_suite
from schemas.reasons import Reason, Stage
from tasks.clean import CLEAN_SCHEMA
from tasks.records import RawRecord, Rejection, StageCounters

_LIST_COLUMNS = [f.name for f in CLEAN_SCHEMA if pa.types.is_list(f.type)] + ["raw"]


def validate_batch(
    rows: list[dict[str, Any]], now: datetime | None = None
) -> tuple[pa.Table, list[Rejection], StageCounters]:
    """(valid rows, rejections, counters); counters also hold warnings as `warned_<column>`."""
    counters = StageCounters("validate", total=len(rows))
    table, rejections = _to_arrow(rows)
    for rejection in rejections:
        counters.reject(rejection.reasons)
    if table.num_rows == 0:
        return table, rejections, counters

    failed, warned = run_suite(table, now or datetime.now(UTC))
    counters.warned.update(warned)
    for index in sorted(failed):
        reasons = tuple(sorted(failed[index]))
        rejections.append(_rejection(table.slice(index, 1).to_pylist()[0], reasons))
        counters.reject(reasons)
    if failed:
        keep = pa.array([i not in failed for i in range(table.num_rows)])
        table = table.filter(keep)
    counters.forwarded = table.num_rows
    return table, rejections, counters


def run_suite(table: pa.Table, now: datetime) -> tuple[dict[int, set[str]], Counter[str]]:
    """Validate `table` with GX; (row index -> reasons of failed critical expectations, warnings per expectation)."""
    result = _batch_definition().get_batch(batch_parameters={"dataframe": _frame(table)}).validate(
        articles_suite(now), result_format={"result_format": "COMPLETE"}
    )
    failed: dict[int, set[str]] = {}
    warned: Counter[str] = Counter()
    for check in result.results:
        if check.success:
            continue
        config = check.expectation_config
        rows = check.result.get("unexpected_index_list") or []
        if config.severity == CRITICAL:
            for index in rows:
                failed.setdefault(int(index), set()).add(config.meta["reason"])
        else:
            warned[f"{config.type}:{config.kwargs.get('column')}"] += len(rows)
    return failed, warned


def _to_arrow(rows: list[dict[str, Any]]) -> tuple[pa.Table, list[Rejection]]:
    """Rows as CLEAN_SCHEMA; a row whose values do not fit the types is rejected alone."""
    try:
        return pa.Table.from_pylist(rows, schema=CLEAN_SCHEMA), []
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        pass
    fitting, rejections = [], []
    for row in rows:
        try:
            pa.Table.from_pylist([row], schema=CLEAN_SCHEMA)
            fitting.append(row)
        except (pa.ArrowException, TypeError, ValueError, OverflowError) as error:
            rejections.append(_rejection(row, (Reason.SCHEMA_MISMATCH,), f"{type(error).__name__}: {error}"))
    return pa.Table.from_pylist(fitting, schema=CLEAN_SCHEMA), rejections


def _rejection(row: dict[str, Any], reasons: tuple[str, ...], error: str | None = None) -> Rejection:
    record = RawRecord(row["source_uri"], row["source_record"], row["source_format"], row["raw"])
    return Rejection.of(record, Stage.VALIDATE, reasons, error or "failed expectations: " + ", ".join(reasons))


def _frame(table: pa.Table):
    # GX checks scalar columns only; lists and raw bytes would just cost conversion time.
    return table.drop_columns(_LIST_COLUMNS).to_pandas()


@cache
def _batch_definition():
    """One ephemeral GX context per process: building it costs far more than validating."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_or_update_pandas(name="articles")
    return source.add_dataframe_asset(name="batch").add_batch_definition_whole_dataframe("whole")

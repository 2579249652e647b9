"""Validate stage: the typed Arrow schema, then the Great Expectations suite, on every enriched batch.

Runs after enrich, on the rows as they will be written, so the contract covers enrich outputs
(language, word_count, char_count) too.
Reads: enriched rows (VALIDATE_SCHEMA columns: the clean and enrich columns and `minhash`, plus
`raw`, the record's bytes, which only a rejection reads).
Writes: the rows that pass, typed by VALIDATE_SCHEMA (without `raw`), and the GX validation result
of the batch (JSON, for Data Docs).
Rejects (stage validate): schema_mismatch, and the reason code of each failed critical
expectation (schemas/expectations.py). Failed warning expectations are counted, rows kept.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

import pyarrow as pa

from schemas.expectations import CRITICAL, articles_suite, suite_parameters
from schemas.reasons import Reason, Stage
from schemas.tables import ARTICLES_SCHEMA
from tasks.enrich.enrich import ENRICH_COLUMNS
from tasks.extract.clean import CLEAN_COLUMNS
from tasks.records import RawRecord, Rejection, StageCounters

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations import ExpectationSuite
    from great_expectations.core.batch_definition import BatchDefinition

# Not an articles column, carried for the write stage: the MinHash (for dedup). The record's bytes
# stay out of the table: a batch of web pages holds about 90 MB of them, whose copy into Arrow and
# back cost more than the whole suite, and no check reads them.
_CARRIED = [pa.field("minhash", pa.binary())]
VALIDATE_SCHEMA = pa.schema(
    [ARTICLES_SCHEMA.field(c) for c in dict.fromkeys(CLEAN_COLUMNS + ENRICH_COLUMNS)] + _CARRIED
)
_LIST_COLUMNS = [f.name for f in VALIDATE_SCHEMA if pa.types.is_list(f.type)] + [f.name for f in _CARRIED]
# Row positions but no values: results stay small, and no input text reaches Data Docs.
_RESULT_FORMAT = {"result_format": "COMPLETE", "exclude_unexpected_values": True}


class ValidatedBatch(NamedTuple):
    rows: list[dict[str, Any]]  # typed by VALIDATE_SCHEMA
    rejections: list[Rejection]
    counters: StageCounters  # warnings as `warned_<expectation>:<column>`
    result: dict[str, Any] | None  # the GX validation result as JSON; None when no row reached GX


def validate_batch(rows: list[dict[str, Any]], now: datetime | None = None) -> ValidatedBatch:
    counters = StageCounters("validate", total=len(rows))
    table, fitting, rejections = _to_arrow(rows)
    for rejection in rejections:
        counters.reject(rejection.reasons)
    if table.num_rows == 0:
        return ValidatedBatch([], rejections, counters, None)

    typed = table.to_pylist()
    suite_error = None
    try:
        failed, warned, result = run_suite(table, now or datetime.now(UTC))
    except SuiteError as error:
        # Unchecked rows must not reach `articles`; quarantined, they can be reprocessed after a fix.
        failed, warned, result = {i: {Reason.VALIDATION_ERROR} for i in range(len(typed))}, Counter(), error.result
        suite_error = str(error)
    counters.warned.update(warned)
    for index in sorted(failed):
        reasons = tuple(sorted(failed[index]))
        rejections.append(_rejection(fitting[index], reasons, suite_error))
        counters.reject(reasons)
    valid = [row for index, row in enumerate(typed) if index not in failed]
    counters.forwarded = len(valid)
    return ValidatedBatch(valid, rejections, counters, result)


def run_suite(table: pa.Table, now: datetime) -> tuple[dict[int, set[str]], Counter[str], dict[str, Any]]:
    """Validate `table` with GX: (row index -> reasons of failed critical expectations,
    failing rows per warning expectation, the validation result as JSON)."""
    frame = _frame(table)
    with _GX_IN_USE:
        batch_definition, suite = _validator()
        result = batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(
            suite, result_format=_RESULT_FORMAT, expectation_parameters=suite_parameters(now)
        )
    failed: dict[int, set[str]] = {}
    warned: Counter[str] = Counter()
    for check in result.results:
        if check.success:
            continue
        config = check.expectation_config
        if config is None:  # GX pairs every result of a suite with its expectation
            raise TypeError("GX returned a validation result without its expectation")
        if error := _exception_message(check.exception_info):
            raise SuiteError(
                f"{config.type} on {config.kwargs.get('column') or config.kwargs.get('column_A')}: {error}",
                result.to_json_dict(),
            )
        rows = check.result.get("unexpected_index_list") or []
        if config.severity == CRITICAL:
            for index in rows:
                failed.setdefault(int(index), set()).add(config.meta["reason"])
        else:
            warned[f"{config.type}:{config.kwargs.get('column')}"] += len(rows)
    return failed, warned, result.to_json_dict()


class SuiteError(RuntimeError):
    """An expectation could not be evaluated on the batch."""

    def __init__(self, message: str, result: dict[str, Any]) -> None:
        super().__init__(message)
        self.result = result


def _exception_message(info: dict[str, Any] | None) -> str | None:
    # GX reports one {raised_exception, exception_message} or one such dict per metric.
    infos = [info] if info and "raised_exception" in info else list((info or {}).values())
    return next(
        (i.get("exception_message") or "raised" for i in infos if isinstance(i, dict) and i.get("raised_exception")),
        None,
    )


def _to_arrow(rows: list[dict[str, Any]]) -> tuple[pa.Table, list[dict[str, Any]], list[Rejection]]:
    """Rows as VALIDATE_SCHEMA, and the rows that fit it in the table's order; a row whose values
    do not fit the types is rejected alone."""
    try:
        return pa.Table.from_pylist(rows, schema=VALIDATE_SCHEMA), rows, []
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        pass
    fitting, rejections = [], []
    for row in rows:
        try:
            pa.Table.from_pylist([row], schema=VALIDATE_SCHEMA)
            fitting.append(row)
        except (pa.ArrowException, TypeError, ValueError, OverflowError) as error:
            rejections.append(_rejection(row, (Reason.SCHEMA_MISMATCH,), f"{type(error).__name__}: {error}"))
    return pa.Table.from_pylist(fitting, schema=VALIDATE_SCHEMA), fitting, rejections


def _rejection(row: dict[str, Any], reasons: tuple[str, ...], error: str | None = None) -> Rejection:
    record = RawRecord(row["source_uri"], row["source_record"], row["source_format"], row["raw"])
    return Rejection.of(record, Stage.VALIDATE, reasons, error or "failed expectations: " + ", ".join(reasons))


def _frame(table: pa.Table) -> pd.DataFrame:
    # GX checks scalar columns only; lists and raw bytes would just cost conversion time.
    return table.drop_columns(_LIST_COLUMNS).to_pandas()


# The process's GX context is not safe for two threads at once: two batches validating side by
# side (a local run's batches in flight, a Dask worker's threads) failed expectations at random.
_GX_IN_USE = threading.Lock()


def prepare_validation() -> None:
    """Import GX and build this process's context and suite now rather than at the first
    batch: for a caller with seconds to wait anyway (a temporary Prefect server starting)."""
    _validator()


@cache
def _validator() -> tuple[BatchDefinition, ExpectationSuite]:
    """One ephemeral GX context and suite per process: building them costs far more than validating."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_or_update_pandas(name="broadsheet")
    batch_definition = source.add_dataframe_asset(name="articles").add_batch_definition_whole_dataframe("batch")
    return batch_definition, articles_suite()

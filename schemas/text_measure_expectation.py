"""A Great Expectations expectation that recounts a measure of the text and compares it to a column.

`ExpectColumnPairValuesToMatchTextMeasure(column_A="text", column_B="word_count", measure="words")`
passes for a row when `word_count` equals the number of words of `text` by the project's one
definition of a word (tasks/text/words.py). GX registers the expectation and its metric when this
module is imported, so it is imported only from code that has already paid for importing GX.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Literal

import pandas as pd
from great_expectations.core.expectation_validation_result import ExpectationValidationResult
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnPairMapExpectation
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnPairMapMetricProvider,
    column_pair_condition_partial,
)
from great_expectations.render import LegacyRendererType, RenderedStringTemplateContent
from great_expectations.render.renderer.renderer import renderer
from great_expectations.render.renderer_configuration import RendererConfiguration, RendererValueType

from tasks.text.words import count_words

TEXT_MEASURES: dict[str, Callable[[str], int]] = {"words": count_words, "characters": len}


class ColumnPairValuesMatchTextMeasure(ColumnPairMapMetricProvider):
    condition_metric_name = "column_pair_values.match_text_measure"
    condition_domain_keys = (
        "batch_id",
        "table",
        "column_A",
        "column_B",
        "row_condition",
        "condition_parser",
        "ignore_row_if",
    )
    condition_value_keys = ("measure",)

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column_A: pd.Series, column_B: pd.Series, measure: str, **kwargs: Any) -> pd.Series:
        measured = column_A.map(TEXT_MEASURES[measure])
        return measured == column_B


class ExpectColumnPairValuesToMatchTextMeasure(ColumnPairMapExpectation):
    """Expect column_B to hold the `measure` (words or characters) of the text in column_A."""

    measure: Literal["words", "characters"]
    ignore_row_if: Literal["both_values_are_missing", "either_value_is_missing", "neither"] = "either_value_is_missing"

    map_metric: ClassVar[str] = "column_pair_values.match_text_measure"
    success_keys: ClassVar[tuple[str, ...]] = ("column_A", "column_B", "measure", "ignore_row_if", "mostly")
    args_keys: ClassVar[tuple[str, ...]] = ("column_A", "column_B", "measure")

    _TEMPLATE: ClassVar[str] = "Values in $column_B must equal the number of $measure in $column_A."

    @classmethod
    def _prescriptive_template(cls, renderer_configuration: RendererConfiguration) -> RendererConfiguration:
        for name in ("column_A", "column_B", "measure"):
            renderer_configuration.add_param(name=name, param_type=RendererValueType.STRING)
        renderer_configuration.template_str = cls._TEMPLATE
        return renderer_configuration

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(
        cls,
        configuration: ExpectationConfiguration | None = None,
        result: ExpectationValidationResult | None = None,
        runtime_configuration: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> list[RenderedStringTemplateContent]:
        """The sentence Data Docs show for this expectation."""
        params = {
            name: (configuration.kwargs if configuration else {}).get(name)
            for name in ("column_A", "column_B", "measure")
        }
        styling = (runtime_configuration or {}).get("styling")
        template = {"template": cls._TEMPLATE, "params": params, "styling": styling}
        return [RenderedStringTemplateContent(content_block_type="string_template", string_template=template)]

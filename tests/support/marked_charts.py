"""The chart helper's drawing with a mark on each caption: tells the charts a helper process drew
from those drawn by the process that asked it."""

from dataclasses import replace

from tasks.report.charts import Chart, DistributionCharts, draw_distribution_charts

MARK = " [drawn by the helper]"


def draw_marked(job: DistributionCharts) -> list[Chart]:
    return [replace(chart, caption=chart.caption + MARK) for chart in draw_distribution_charts(job)]

"""Metrics of simulated paths, and their summaries across paths.

- :mod:`.table`: ``per_path``, one row of metrics per path (CAGR, volatility, drawdowns,
  drift, time outside the band, rebalances, turnover, costs, taxes, ...).
- :mod:`.summary`: medians, means and percentiles of those rows across paths.
- :mod:`.paired`: ``paired_differences``, two policies on the same futures, future by
  future.
- :mod:`.percentiles`: the fan-chart tables of wealth and weights over time.
- :mod:`.paths`: the arithmetic along the engine's step-major arrays.

Imports only numpy and pandas: any object with a result's attributes can be measured.
"""

from rebalance_widgets.core.metrics.paired import paired_differences
from rebalance_widgets.core.metrics.percentiles import wealth_percentiles, weight_percentiles
from rebalance_widgets.core.metrics.summary import compare_row, medians, summarise
from rebalance_widgets.core.metrics.table import (
    DEFAULT_BAND,
    column_names,
    per_path,
    period_returns,
)

__all__ = [
    "DEFAULT_BAND",
    "column_names",
    "compare_row",
    "medians",
    "paired_differences",
    "per_path",
    "period_returns",
    "summarise",
    "wealth_percentiles",
    "weight_percentiles",
]

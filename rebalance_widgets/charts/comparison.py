"""Chart comparing rebalancing policies on the same simulated futures.

:func:`policy_dot_chart` draws one small dot plot per metric (annualised return, volatility,
worst drawdown, ...), stacked, with one row per policy, so a learner reads across a row to
see what a policy gains and what it costs. It takes a long table that is ready to draw.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping

import altair as alt
import pandas as pd

from rebalance_widgets.charts.datasets import with_datasets
from rebalance_widgets.charts.theme import series_scale

__all__ = ["policy_dot_chart"]

DOT_COLUMNS = ("policy", "metric", "value")


def policy_dot_chart(
    table: pd.DataFrame,
    *,
    formats: Mapping[str, str] | None = None,
    width: int = 360,
) -> alt.VConcatChart:
    """Draw one dot plot per metric, one row per policy, stacked top to bottom.

    Parameters
    ----------
    table : pandas.DataFrame
        Long table with columns ``policy`` (a label such as "Never rebalance"), ``metric``
        (the metric's title, such as "Annualised return") and ``value``. Metrics appear in
        the order they first occur, policies likewise. Missing values (NaN) are left out.
    formats : mapping of str to str, optional
        A d3 number format per metric title (such as ``".1%"`` or ``"$,.0f"``); ``",.2f"``
        for metrics not listed.
    width : int, optional
        Width of each dot plot in pixels.

    Returns
    -------
    altair.VConcatChart
        One panel per metric, each with its own x axis; panel i reads the dataset
        ``"metric_<i>"`` (rows ``policy``, ``value``).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"policy": ["Never", "Annual"], "metric": "Volatility",
    ...                       "value": [0.16, 0.14]})
    >>> len(policy_dot_chart(table, formats={"Volatility": ".1%"}).to_dict()["vconcat"])
    1
    """
    missing = [name for name in DOT_COLUMNS if name not in table.columns]
    if missing:
        raise ValueError(f"The comparison table needs the columns {', '.join(missing)}.")
    if table.empty:
        raise ValueError("The comparison table is empty; tick at least one policy.")
    formats = dict(formats or {})
    policies = tuple(dict.fromkeys(table["policy"].astype(str)))
    metrics = tuple(dict.fromkeys(table["metric"].astype(str)))
    number_formats = tuple(formats.get(metric, ",.2f") for metric in metrics)
    datasets: dict[str, list[dict]] = {f"metric_{i}": [] for i in range(len(metrics))}
    position = {metric: i for i, metric in enumerate(metrics)}
    for policy, metric, value in zip(
        table["policy"].astype(str).tolist(), table["metric"].astype(str).tolist(),
        table["value"].astype(float).tolist(), strict=True,
    ):
        if not math.isnan(value):  # a missing value is left out, not drawn at zero
            datasets[f"metric_{position[metric]}"].append({"policy": policy, "value": value})
    template = _dot_template(policies, metrics, number_formats, width)
    return with_datasets(template, datasets)


@functools.lru_cache(maxsize=32)
def _dot_template(
    policies: tuple[str, ...], metrics: tuple[str, ...], number_formats: tuple[str, ...],
    width: int,
) -> alt.VConcatChart:
    color = alt.Color("policy:N", scale=series_scale(policies), legend=None)
    panels = []
    for index, (metric, number) in enumerate(zip(metrics, number_formats, strict=True)):
        panel = (
            alt.Chart(alt.NamedData(name=f"metric_{index}"))
            .mark_circle(size=110, opacity=1)
            .encode(
                x=alt.X(
                    "value:Q",
                    title=metric,
                    axis=alt.Axis(format=number, tickCount=5, labelOverlap="greedy",
                                  labelSeparation=8),
                    scale=alt.Scale(zero=False, nice=True),
                ),
                y=alt.Y("policy:N", title=None, sort=list(policies)),
                color=color,
                tooltip=[
                    alt.Tooltip("policy:N", title="Policy"),
                    alt.Tooltip("value:Q", title=metric, format=number),
                ],
            )
            .properties(width=width, height=18 * len(policies))
        )
        panels.append(panel)
    return alt.vconcat(*panels, spacing=14)

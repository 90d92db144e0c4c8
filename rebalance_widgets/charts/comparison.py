"""Charts comparing rebalancing policies on the same simulated futures.

:func:`policy_dot_chart` draws one small dot plot per metric (annualised return, volatility,
worst drawdown, ...), stacked, with one row per policy, so a learner reads across a row to
see what a policy gains and what it costs. :func:`paired_difference_chart` draws, per
policy, the spread of its ending balance minus a reference policy's on the same futures.
Both take tables that are ready to draw.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from rebalance_widgets.charts.datasets import FilledChart, template, with_datasets
from rebalance_widgets.charts.lazy import alt
from rebalance_widgets.charts.theme import series_scale

__all__ = ["paired_difference_chart", "policy_dot_chart"]

DOT_COLUMNS = ("policy", "metric", "value")
PAIRED_COLUMNS = ("policy", "low", "middle", "high", "share_ahead")


def policy_dot_chart(
    table: pd.DataFrame,
    *,
    formats: Mapping[str, str] | None = None,
    width: int = 360,
) -> FilledChart:
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
    FilledChart
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


@template
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


def paired_difference_chart(
    table: pd.DataFrame,
    *,
    reference: str,
    value_title: str = "Ending balance",
    value_format: str = "$,.0f",
    spread: tuple[str, str] = ("10th", "90th"),
    width: int = 360,
    all_policies: Sequence[str] | None = None,
) -> FilledChart:
    """Draw, per policy, how far it ended from a reference policy on the same futures.

    One row per policy: a bar from the low to the high percentile of the difference
    (policy minus reference), a dot at its median, a line at zero, and the share of futures
    where the policy ended ahead written at the right.

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``policy``, ``low``, ``middle``, ``high`` (the difference's percentiles, in
        the unit of ``value_format``) and ``share_ahead`` (0..1). Rows with a missing
        difference are left out.
    reference : str
        The reference policy's name (for the axis title).
    value_title : str, default "Ending balance"
        What is compared.
    value_format : str, default "$,.0f"
        d3 number format of the difference.
    spread : tuple of str, default ("10th", "90th")
        Names of the low and high percentiles (for the tooltip).
    width : int, default 360
        Width of the plot in pixels.
    all_policies : sequence of str, optional
        Every policy of the comparison (the reference too), in the order of the
        :func:`policy_dot_chart` shown beside it, so that each policy keeps its colour in
        both charts; by default the table's policies.

    Returns
    -------
    FilledChart
        Reads the datasets ``"paired"`` (one row per policy) and ``"zero"``.

    Raises
    ------
    ValueError
        For a table without the columns, or with no row to draw.

    Examples
    --------
    >>> table = pd.DataFrame({"policy": ["Annual"], "low": [-900.0], "middle": [150.0],
    ...                       "high": [2400.0], "share_ahead": [0.62]})
    >>> chart = paired_difference_chart(table, reference="Never rebalance")
    >>> chart.to_dict()["datasets"]["paired"][0]["ahead"]
    'ahead in 62%'
    """
    missing = [name for name in PAIRED_COLUMNS if name not in table.columns]
    if missing:
        raise ValueError(f"The paired table needs the columns {', '.join(missing)}.")
    rows = [
        {"policy": str(policy), "low": float(low), "middle": float(middle),
         "high": float(high), "ahead": f"ahead in {share:.0%}"}
        for policy, low, middle, high, share in zip(
            table["policy"], table["low"], table["middle"], table["high"],
            table["share_ahead"], strict=True)
        if not any(math.isnan(float(v)) for v in (low, middle, high, share))
    ]
    if not rows:
        raise ValueError("There is no policy to set against the reference: tick another one.")
    policies = tuple(row["policy"] for row in rows)
    colours = tuple(dict.fromkeys([*(all_policies or ()), *policies]))
    template = _paired_template(policies, reference, value_title, value_format, spread,
                                width, colours)
    return with_datasets(template, {"paired": rows, "zero": [{"zero": 0.0}]})


@template
def _paired_template(
    policies: tuple[str, ...], reference: str, value_title: str, value_format: str,
    spread: tuple[str, str], width: int, colours: tuple[str, ...],
) -> alt.LayerChart:
    y = alt.Y("policy:N", title=None, sort=list(policies))
    color = alt.Color("policy:N", scale=series_scale(colours), legend=None)
    tooltip = [
        alt.Tooltip("policy:N", title="Policy"),
        alt.Tooltip("low:Q", title=f"{spread[0]} percentile", format=value_format),
        alt.Tooltip("middle:Q", title="Median", format=value_format),
        alt.Tooltip("high:Q", title=f"{spread[1]} percentile", format=value_format),
        alt.Tooltip("ahead:N", title="Futures"),
    ]
    base = alt.Chart(alt.NamedData(name="paired")).encode(y=y, color=color, tooltip=tooltip)
    x = alt.X("low:Q", title=f"{value_title} minus “{reference}”",
              axis=alt.Axis(format=value_format.replace("$,.0f", "$,.3~s"), tickCount=5,
                            labelOverlap="greedy", labelSeparation=8),
              scale=alt.Scale(zero=True, nice=True))
    spread_bar = base.mark_rule(strokeWidth=6, opacity=0.45).encode(x=x, x2="high:Q")
    median = base.mark_circle(size=110, opacity=1).encode(x="middle:Q")
    label = base.mark_text(align="left", dx=6, fontSize=12, color="#333").encode(
        x="high:Q", text="ahead:N")
    zero = alt.Chart(alt.NamedData(name="zero")).mark_rule(
        color="#333", strokeDash=[4, 3]).encode(x="zero:Q")
    return alt.layer(zero, spread_bar, median, label).properties(
        width=width, height=max(28 * len(policies), 40))

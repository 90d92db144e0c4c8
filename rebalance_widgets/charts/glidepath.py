"""Charts for glide paths: the mix by age, and outcomes of a glide path against a fixed mix.

Pure builders of tidy DataFrames; the mixes come from
:mod:`rebalance_widgets.core.planning.glidepath` and the percentiles from
:mod:`rebalance_widgets.core.metrics`.
"""

from __future__ import annotations

import pandas as pd

from rebalance_widgets.charts.datasets import FilledChart, template
from rebalance_widgets.charts.fan import (
    ROWS,
    fan_chart,
    filled,
    require_columns,
    titled,
    years_axis,
)
from rebalance_widgets.charts.lazy import alt
from rebalance_widgets.charts.theme import asset_scale

__all__ = ["glide_path_chart", "outcomes_chart"]


def glide_path_chart(
    mix: pd.DataFrame,
    *,
    retirement_age: float | None = None,
    title: str | None = None,
    width: int = 520,
) -> FilledChart:
    """Draw how the mix changes with age as stacked areas (shares add up to 100%).

    Parameters
    ----------
    mix : pandas.DataFrame
        Columns ``age``, ``asset`` and ``weight`` (fractions; each age's weights add up to 1).
    retirement_age : float, optional
        Draws a labelled dashed line at this age.
    title : str, optional
        Chart title.
    width : int, default 520
        Width in pixels.

    Returns
    -------
    FilledChart
        The stacked areas (and the retirement line).

    Examples
    --------
    >>> frame = pd.DataFrame({"age": [30, 30, 65, 65], "asset": ["stocks", "bonds"] * 2,
    ...                       "weight": [0.9, 0.1, 0.5, 0.5]})
    >>> glide_path_chart(frame, retirement_age=65).to_dict()["layer"][0]["mark"]["type"]
    'area'
    """
    require_columns(mix, ["age", "asset", "weight"], "glide path")
    order = tuple(dict.fromkeys(mix["asset"]))
    data = mix.assign(order=[order.index(a) for a in mix["asset"]])
    retire = None if retirement_age is None else float(retirement_age)
    more = {}
    if retire is not None:
        more["retire"] = [{"age": retire, "label": f"Retire at {retire:g}"}]
    return filled(_glide_template(order, retire is not None, title, width), data, **more)


@template
def _glide_template(
    order: tuple[str, ...], retirement_line: bool, title: str | None, width: int
) -> alt.LayerChart:
    """Build the marks once per shape; :func:`~rebalance_widgets.charts.fan.filled` adds rows."""
    areas = (
        alt.Chart(alt.NamedData(ROWS))
        .mark_area(opacity=0.9)
        .encode(
            x=years_axis("age", "Age"),
            y=alt.Y(
                "weight:Q",
                stack="zero",
                title="Share of the portfolio",
                axis=alt.Axis(format=".0%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color("asset:N", title=None, scale=asset_scale(order), sort=list(order)),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("age:Q", title="Age", format=".0f"),
                alt.Tooltip("asset:N", title="Asset"),
                alt.Tooltip("weight:Q", title="Share", format=".0%"),
            ],
        )
    )
    layers: list[alt.Chart] = [areas]
    if retirement_line:
        line = alt.NamedData("retire")
        rule = alt.Chart(line).mark_rule(strokeDash=[6, 4], color="#111111", strokeWidth=1.5)
        text = alt.Chart(line).mark_text(
            align="right", dx=-4, dy=-6, baseline="bottom", color="#111111", fontSize=13
        )
        layers += [rule.encode(x="age:Q"), text.encode(x="age:Q", y=alt.value(0), text="label:N")]
    chart = alt.layer(*layers).properties(width=width, height=240)
    return titled(chart, title)


def outcomes_chart(
    percentiles: pd.DataFrame,
    *,
    x: str = "age",
    x_title: str = "Age",
    title: str | None = None,
    subtitle: str | None = None,
    width: int = 520,
) -> FilledChart:
    """Draw the range of balances for each strategy (glide path, fixed mix) over the years.

    Parameters
    ----------
    percentiles : pandas.DataFrame
        Columns ``x``, ``strategy``, ``percentile`` (5, 50, 95) and ``value``.
    x : str, default "age"
        Column for the horizontal axis.
    x_title : str, default "Age"
        Its title.
    title, subtitle : str, optional
        Chart title and the line under it.
    width : int, default 520
        Width in pixels.

    Returns
    -------
    FilledChart
        One band (5th to 95th percentile) and a median line per strategy, coloured by name.

    Examples
    --------
    >>> rows = [(a, s, p, 100.0 + a + p) for a in (30, 31) for s in ("Glide path", "Fixed mix")
    ...         for p in (5, 50, 95)]
    >>> frame = pd.DataFrame(rows, columns=["age", "strategy", "percentile", "value"])
    >>> len(outcomes_chart(frame).to_dict()["layer"])
    4
    """
    return fan_chart(
        percentiles,
        x=x,
        x_title=x_title,
        y_title="Balance",
        series="strategy",
        inner=None,
        title=title,
        subtitle=subtitle,
        width=width,
    )

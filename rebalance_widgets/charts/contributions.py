"""Charts for saving in a 401(k): the balance as a range, and contributions versus growth.

Pure builders of tidy DataFrames; the dollars arrive computed by
:mod:`rebalance_widgets.core` (contributions, simulation, percentiles).
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
from rebalance_widgets.charts.theme import series_scale

__all__ = ["PARTS", "balance_range", "contributions_vs_growth"]

#: The parts of a balance, bottom to top in the stacked chart.
PARTS = ("Your contributions", "Employer match", "Growth")


def balance_range(
    percentiles: pd.DataFrame,
    *,
    x: str = "age",
    x_title: str = "Age",
    title: str | None = None,
    subtitle: str | None = None,
    width: int = 520,
) -> FilledChart:
    """Draw the balance over the years as a percentile fan (5-95 and 25-75, median line).

    Parameters
    ----------
    percentiles : pandas.DataFrame
        Columns ``x``, ``percentile`` (5, 25, 50, 75, 95) and ``value`` (dollars).
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
        The fan.

    Examples
    --------
    >>> frame = pd.DataFrame({"age": [30] * 5 + [31] * 5, "percentile": [5, 25, 50, 75, 95] * 2,
    ...                       "value": [0] * 5 + [5000, 5500, 6000, 6500, 7000]})
    >>> len(balance_range(frame).to_dict()["layer"])
    3
    """
    return fan_chart(
        percentiles,
        x=x,
        x_title=x_title,
        y_title="Balance",
        title=title,
        subtitle=subtitle,
        width=width,
    )


def contributions_vs_growth(
    parts: pd.DataFrame,
    *,
    x: str = "age",
    x_title: str = "Age",
    title: str | None = None,
    width: int = 520,
) -> FilledChart:
    """Draw a balance split into what went in (yours, employer's) and what markets added.

    Parameters
    ----------
    parts : pandas.DataFrame
        Columns ``x``, ``part`` (names from :data:`PARTS`) and ``dollars`` (cumulative
        amounts at that point; growth may be negative after bad years).
    x : str, default "age"
        Column for the horizontal axis.
    x_title : str, default "Age"
        Its title.
    title : str, optional
        Chart title.
    width : int, default 520
        Width in pixels.

    Returns
    -------
    FilledChart
        Stacked areas in the order of :data:`PARTS`.

    Examples
    --------
    >>> frame = pd.DataFrame({"age": [30, 30, 30, 31, 31, 31], "part": list(PARTS) * 2,
    ...                       "dollars": [0, 0, 0, 3600, 2400, 300]})
    >>> contributions_vs_growth(frame).to_dict()["mark"]["type"]
    'area'
    """
    require_columns(parts, [x, "part", "dollars"], "contributions")
    unknown = sorted(set(parts["part"]) - set(PARTS))
    if unknown:
        raise ValueError(f"Unknown parts {', '.join(unknown)}; use {', '.join(PARTS)}.")
    order = tuple(p for p in PARTS if p in set(parts["part"]))
    data = parts.assign(order=[order.index(p) for p in parts["part"]])
    return filled(_parts_template(x, x_title, order, title, width), data)


@template
def _parts_template(
    x: str, x_title: str, order: tuple[str, ...], title: str | None, width: int
) -> alt.Chart:
    """Build the marks once per shape; :func:`~rebalance_widgets.charts.fan.filled` adds rows."""
    chart = (
        alt.Chart(alt.NamedData(ROWS))
        .mark_area(opacity=0.85)
        .encode(
            x=years_axis(x, x_title),
            y=alt.Y("dollars:Q", stack="zero", title="Dollars", axis=alt.Axis(format="$,.3~s")),
            color=alt.Color("part:N", title=None, scale=series_scale(order), sort=list(order)),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip(f"{x}:Q", title=x_title, format="d"),
                alt.Tooltip("part:N", title="Part"),
                alt.Tooltip("dollars:Q", title="Dollars", format="$,.0f"),
            ],
        )
        .properties(width=width, height=260)
    )
    return titled(chart, title)

"""Chart for the rebalance calculator: each asset class before and after the trades.

A pure builder of a tidy DataFrame; the trades and weights come from
:mod:`rebalance_widgets.core.calculator.trades`.
"""

from __future__ import annotations

import math

import pandas as pd

from rebalance_widgets.charts.datasets import FilledChart, template
from rebalance_widgets.charts.fan import ROWS, filled, require_columns
from rebalance_widgets.charts.lazy import alt
from rebalance_widgets.charts.theme import SERIES_COLORS, series_scale

__all__ = ["before_after_chart"]


def before_after_chart(classes: pd.DataFrame, *, width: int = 520) -> FilledChart:
    """Draw each asset class's share before and after the trades, with its target.

    Parameters
    ----------
    classes : pandas.DataFrame
        One row per asset class with columns ``asset``, ``before`` and ``after`` (shares,
        fractions), ``target`` (share), and ``before_dollars`` / ``after_dollars``.
    width : int, default 520
        Width in pixels.

    Returns
    -------
    FilledChart
        Pairs of bars (before in grey, after in blue) and a black tick at the target.

    Examples
    --------
    >>> frame = pd.DataFrame({"asset": ["stocks", "bonds"], "before": [0.7, 0.3],
    ...                       "after": [0.6, 0.4], "target": [0.6, 0.4],
    ...                       "before_dollars": [70000.0, 30000.0],
    ...                       "after_dollars": [60000.0, 40000.0]})
    >>> [layer["mark"]["type"] for layer in before_after_chart(frame).to_dict()["layer"]]
    ['bar', 'tick', 'text']
    """
    require_columns(
        classes,
        ["asset", "before", "after", "target", "before_dollars", "after_dollars"],
        "before and after",
    )
    order = list(dict.fromkeys(classes["asset"]))
    long = pd.concat(
        [
            classes.assign(
                when="Before", share=classes["before"], dollars=classes["before_dollars"]
            ),
            classes.assign(when="After", share=classes["after"], dollars=classes["after_dollars"]),
        ],
        ignore_index=True,
    )[["asset", "when", "share", "dollars", "target"]]
    top = max(1e-9, float(long["share"].max()), float(classes["target"].max()))
    domain_max = min(1.0, math.ceil(top * 1.25 * 20) / 20) if top < 0.8 else 1.0
    targets = classes[["asset", "target"]].to_dict("records")
    template = _template(tuple(order), domain_max, width)
    return filled(template, long, targets=targets)


@template
def _template(order: tuple[str, ...], domain_max: float, width: int) -> alt.LayerChart:
    """Build the marks once per shape; :func:`~rebalance_widgets.charts.fan.filled` adds rows."""
    scale = alt.Scale(domain=[0, domain_max])
    y = alt.Y("asset:N", title=None, sort=list(order))
    tooltip = [
        alt.Tooltip("asset:N", title="Asset class"),
        alt.Tooltip("when:N", title="When"),
        alt.Tooltip("share:Q", title="Share", format=".1%"),
        alt.Tooltip("dollars:Q", title="Dollars", format="$,.2f"),
        alt.Tooltip("target:Q", title="Target", format=".1%"),
    ]
    bars = (
        alt.Chart(alt.NamedData(ROWS))
        .mark_bar(height=14)
        .encode(
            y=y,
            yOffset=alt.YOffset("when:N", sort=["Before", "After"]),
            x=alt.X(
                "share:Q", title="Share of the portfolio", axis=alt.Axis(format=".0%"), scale=scale
            ),
            color=alt.Color("when:N", title=None, scale=series_scale(["Before", "After"])),
            tooltip=tooltip,
        )
    )
    targets = (
        alt.Chart(alt.NamedData("targets"))
        .mark_tick(color=SERIES_COLORS["Target"], thickness=3, size=36)
        .encode(
            y=y,
            x=alt.X("target:Q", scale=scale),
            tooltip=[
                alt.Tooltip("asset:N", title="Asset class"),
                alt.Tooltip("target:Q", title="Target", format=".1%"),
            ],
        )
    )
    labels = (
        alt.Chart(alt.NamedData(ROWS))
        .mark_text(align="left", dx=4, fontSize=12, color="#222222")
        .encode(
            y=y,
            yOffset=alt.YOffset("when:N", sort=["Before", "After"]),
            x=alt.X("share:Q", scale=scale),
            text=alt.Text("share:Q", format=".1%"),
        )
    )
    return alt.layer(bars, targets, labels).properties(width=width, height=52 * len(order))

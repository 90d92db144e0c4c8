"""Charts of a mix: the mix itself, target versus current with the band, one-year outcomes.

Pure builders: each takes a tidy DataFrame and returns an Altair chart. The tolerance band
(target plus or minus ``band``) is drawn with a Vega-Lite ``calculate`` transform from the
target, so the numbers on screen are exactly the ones handed in.
"""

from __future__ import annotations

import pandas as pd

from rebalance_widgets.charts.datasets import FilledChart, template
from rebalance_widgets.charts.fan import ROWS, filled, require_columns, titled
from rebalance_widgets.charts.lazy import alt
from rebalance_widgets.charts.theme import (
    GREY,
    OKABE_ITO,
    SERIES_COLORS,
    asset_color,
    asset_scale,
)

__all__ = ["mix_bar", "one_year_outcomes", "target_vs_current"]

# colours dark enough for white text (contrast above 4.5:1)
_DARK = {OKABE_ITO["blue"], OKABE_ITO["black"]}


def mix_bar(mix: pd.DataFrame, *, width: int = 520, title: str | None = None) -> FilledChart:
    """Draw a mix as one horizontal bar split into asset shares, with the percents written.

    Parameters
    ----------
    mix : pandas.DataFrame
        Columns ``asset`` and ``weight`` (fractions adding up to 1), in display order.
    width : int, default 520
        Width in pixels.
    title : str, optional
        Chart title.

    Returns
    -------
    FilledChart
        A stacked bar coloured by asset and its percent labels.

    Examples
    --------
    >>> frame = pd.DataFrame({"asset": ["stocks", "bonds"], "weight": [0.6, 0.4]})
    >>> mix_bar(frame).to_dict()["layer"][0]["mark"]["type"]
    'bar'
    """
    require_columns(mix, ["asset", "weight"], "allocation")
    order = list(dict.fromkeys(mix["asset"]))
    inks = {a: ("white" if asset_color(a, i) in _DARK else "#111111") for i, a in enumerate(order)}
    data = mix.assign(
        order=[order.index(a) for a in mix["asset"]],
        label="Mix",
        ink=[inks[a] for a in mix["asset"]],
    )
    return filled(_mix_template(tuple(order), width, title), data)


@template
def _mix_template(order: tuple[str, ...], width: int, title: str | None) -> alt.LayerChart:
    """Build the marks once per shape; :func:`~rebalance_widgets.charts.fan.filled` adds rows."""
    colour = alt.Color(
        "asset:N",
        title=None,
        scale=asset_scale(order),
        sort=list(order),
        legend=alt.Legend(columns=6),
    )
    base = alt.Chart().encode(
        x=alt.X("weight:Q", stack="zero", title=None, axis=None, scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("label:N", title=None, axis=None),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar(height=34, stroke="white", strokeWidth=1).encode(
        color=colour,
        tooltip=[
            alt.Tooltip("asset:N", title="Asset"),
            alt.Tooltip("weight:Q", title="Share", format=".0%"),
        ],
    )
    labels = (
        base.transform_window(end="sum(weight)", sort=[alt.SortField("order")])
        .transform_calculate(
            mid="datum.end - datum.weight / 2",
            text=(
                "datum.weight >= 0.14 ? datum.asset + ' ' + format(datum.weight, '.0%')"
                " : (datum.weight >= 0.05 ? format(datum.weight, '.0%') : '')"
            ),
        )
        .mark_text(fontWeight="bold", fontSize=13)
        .encode(
            x=alt.X("mid:Q", scale=alt.Scale(domain=[0, 1])),
            text="text:N",
            color=alt.Color("ink:N", scale=None),
        )
    )
    chart = alt.layer(bars, labels, data=alt.NamedData(ROWS)).properties(width=width, height=40)
    return titled(chart, title)


def target_vs_current(
    weights: pd.DataFrame, band: float, *, width: int = 520, title: str | None = None
) -> FilledChart:
    """Draw current weights as bars, the target as a tick and the tolerance band around it.

    Parameters
    ----------
    weights : pandas.DataFrame
        Columns ``asset``, ``target`` and ``current`` (fractions), one row per asset.
    band : float
        Half-width of the tolerance band in weight points (0.05 = plus or minus 5 points).
    width : int, default 520
        Width in pixels.
    title : str, optional
        Chart title.

    Returns
    -------
    FilledChart
        Grey band (``target - band`` to ``target + band``, clipped to 0..1), a bar per
        asset coloured by asset, a black target tick, and the current percent written at
        the right, with "(outside the band)" when it is; tooltips give every number.

    Examples
    --------
    >>> frame = pd.DataFrame({"asset": ["stocks", "bonds"], "target": [0.6, 0.4],
    ...                       "current": [0.7, 0.3]})
    >>> spec = target_vs_current(frame, 0.05).to_dict()
    >>> len(spec["layer"])
    4
    """
    require_columns(weights, ["asset", "target", "current"], "target and current")
    if not 0 <= band <= 1:
        raise ValueError("The band must be between 0% and 100%.")
    order = tuple(dict.fromkeys(weights["asset"]))
    data = weights.assign(band=float(band))
    return filled(_band_template(order, width, title), data)


@template
def _band_template(order: tuple[str, ...], width: int, title: str | None) -> alt.LayerChart:
    """Build the marks once per shape; :func:`~rebalance_widgets.charts.fan.filled` adds rows."""
    base = (
        alt.Chart()
        .transform_calculate(
            low="max(0, datum.target - datum.band)",
            high="min(1, datum.target + datum.band)",
            outside="abs(datum.current - datum.target) > datum.band + 1e-12",
        )
        .encode(y=alt.Y("asset:N", title=None, sort=list(order)))
    )
    pct = alt.Axis(format=".0%", values=[i / 5 for i in range(6)])
    tooltip = [
        alt.Tooltip("asset:N", title="Asset"),
        alt.Tooltip("current:Q", title="Current", format=".1%"),
        alt.Tooltip("target:Q", title="Target", format=".1%"),
        alt.Tooltip("low:Q", title="Band from", format=".1%"),
        alt.Tooltip("high:Q", title="Band to", format=".1%"),
    ]
    band_layer = base.mark_bar(color=GREY, opacity=0.25, height=30).encode(
        x=alt.X("low:Q", title="Share of the portfolio", axis=pct, scale=alt.Scale(domain=[0, 1])),
        x2="high:Q",
        tooltip=tooltip,
    )
    bars = base.mark_bar(height=16).encode(
        x=alt.X("current:Q", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("asset:N", title=None, scale=asset_scale(order), legend=None),
        tooltip=tooltip,
    )
    ticks = base.mark_tick(color=SERIES_COLORS["Target"], thickness=3, size=34).encode(
        x=alt.X("target:Q", scale=alt.Scale(domain=[0, 1])), tooltip=tooltip
    )
    notes = (
        base.transform_calculate(
            note="format(datum.current, '.0%') + (datum.outside ? ' (outside the band)' : '')",
            right="max(datum.current, datum.high)",
        )
        .mark_text(align="left", dx=6, fontSize=13, color="#222222")
        .encode(x=alt.X("right:Q", scale=alt.Scale(domain=[0, 1])), text="note:N")
    )
    chart = alt.layer(band_layer, bars, ticks, notes, data=alt.NamedData(ROWS)).properties(
        width=width, height=56 * len(order)
    )
    return titled(chart, title)


def one_year_outcomes(
    outcomes: pd.DataFrame, *, width: int = 520, title: str | None = None
) -> FilledChart:
    """Draw the range of one-year outcomes in dollars, with the expected value as a dot.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        Columns ``mix`` (a name such as ``"Target mix"``), ``low``, ``expected``, ``high``
        (dollars after one year) and ``start`` (dollars today).
    width : int, default 520
        Width in pixels.
    title : str, optional
        Chart title.

    Returns
    -------
    FilledChart
        A rule from ``low`` to ``high`` per mix, a dot at ``expected`` and a dashed line at
        the starting amount.

    Examples
    --------
    >>> frame = pd.DataFrame({"mix": ["Target mix"], "start": [10000.0], "low": [8500.0],
    ...                       "expected": [10600.0], "high": [12900.0]})
    >>> [layer["mark"]["type"] for layer in one_year_outcomes(frame).to_dict()["layer"]]
    ['rule', 'rule', 'point']
    """
    require_columns(outcomes, ["mix", "start", "low", "expected", "high"], "one-year outcomes")
    order = tuple(dict.fromkeys(outcomes["mix"]))
    return filled(_outcomes_template(order, width, title), outcomes)


@template
def _outcomes_template(order: tuple[str, ...], width: int, title: str | None) -> alt.LayerChart:
    """Build the marks once per shape; :func:`~rebalance_widgets.charts.fan.filled` adds rows."""
    money = alt.Axis(format="$,.0f")
    tooltip = [
        alt.Tooltip("mix:N", title="Mix"),
        alt.Tooltip("start:Q", title="Today", format="$,.0f"),
        alt.Tooltip("low:Q", title="Bad year (5th percentile)", format="$,.0f"),
        alt.Tooltip("expected:Q", title="Expected", format="$,.0f"),
        alt.Tooltip("high:Q", title="Good year (95th percentile)", format="$,.0f"),
    ]
    base = alt.Chart().encode(y=alt.Y("mix:N", title=None, sort=list(order)))
    start = (
        alt.Chart()
        .mark_rule(strokeDash=[6, 4], color=SERIES_COLORS["Target"])
        .encode(x=alt.X("start:Q"), tooltip=[alt.Tooltip("start:Q", title="Today", format="$,.0f")])
    )
    ranges = base.mark_rule(strokeWidth=10, color=OKABE_ITO["sky_blue"]).encode(
        x=alt.X("low:Q", title="Value after one year", axis=money, scale=alt.Scale(zero=False)),
        x2="high:Q",
        tooltip=tooltip,
    )
    dots = base.mark_point(filled=True, size=160, color=OKABE_ITO["blue"]).encode(
        x="expected:Q", tooltip=tooltip
    )
    chart = alt.layer(start, ranges, dots, data=alt.NamedData(ROWS)).properties(
        width=width, height=48 * len(order) + 10
    )
    return titled(chart, title)

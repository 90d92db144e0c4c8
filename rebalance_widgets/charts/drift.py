"""Charts of drift: how the stock share wanders away from its target over the years.

Two pure builders, each taking a tidy DataFrame and returning an Altair chart:

- :func:`drift_fan_chart` draws percentile fans of the stock share across many simulated
  futures, one fan per scenario (for example "Never rebalanced" and "Rebalanced quarterly");
- :func:`drift_replay_chart` draws the stock share along one replay of real history, one line
  per scenario.

Both draw the target as a dashed line. Neither computes any finance: the percentiles and the
shares arrive ready-made from :mod:`rebalance_widgets.core`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from rebalance_widgets.charts.theme import SERIES_COLORS, series_scale

__all__ = ["drift_fan_chart", "drift_replay_chart", "ordinal"]

FAN_COLUMNS = ("year", "scenario", "percentile", "value")
REPLAY_COLUMNS = ("date", "scenario", "value")


def ordinal(number: float) -> str:
    """Write a percentile as an English ordinal.

    Parameters
    ----------
    number : float
        A percentile such as 5, 50 or 2.5.

    Returns
    -------
    str
        "5th", "21st", "2.5th".

    Examples
    --------
    >>> [ordinal(p) for p in (1, 2, 3, 5, 11, 22, 2.5)]
    ['1st', '2nd', '3rd', '5th', '11th', '22nd', '2.5th']
    """
    text = f"{number:g}"
    if float(number) != int(number) or 11 <= int(number) % 100 <= 13:
        return f"{text}th"
    return text + {1: "st", 2: "nd", 3: "rd"}.get(int(number) % 10, "th")


def _scenario_color(scenarios: Sequence[str]) -> alt.Color:
    return alt.Color(
        "scenario:N", title=None, scale=series_scale(scenarios), legend=alt.Legend(orient="top")
    )


def _target_rule(target_share: float) -> alt.Chart:
    """Draw a dashed horizontal line at the target weight, with its label."""
    frame = pd.DataFrame({"value": [target_share], "label": [f"Target {target_share:.0%}"]})
    black = SERIES_COLORS["Target"]
    rule = alt.Chart(frame).mark_rule(strokeDash=[6, 4], color=black, strokeWidth=1.5)
    text = alt.Chart(frame).mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=black)
    return alt.layer(
        rule.encode(y="value:Q"),
        text.encode(y="value:Q", x=alt.value(0), text="label:N"),
    )


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(f"The {what} table needs the columns {', '.join(missing)}.")
    if frame.empty:
        raise ValueError(f"The {what} table is empty; there is nothing to draw.")


def _fan_bands(bands: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[float, float]], float]:
    """Turn the long percentile table into one row per (scenario, year) with p_* columns."""
    percentiles = sorted(float(p) for p in bands["percentile"].unique())
    wide = bands.pivot_table(
        index=["scenario", "year"], columns="percentile", values="value", sort=False
    )
    wide.columns = [f"p{float(c):g}" for c in wide.columns]
    wide = wide.reset_index()
    pairs = []
    low, high = 0, len(percentiles) - 1
    while low < high:
        pairs.append((percentiles[low], percentiles[high]))
        low, high = low + 1, high - 1
    middle = percentiles[low] if low == high else float("nan")
    return wide, pairs, middle


def drift_fan_chart(
    bands: pd.DataFrame,
    target_share: float,
    *,
    asset: str = "Stock",
    width: int = 560,
    height: int = 280,
) -> alt.LayerChart:
    """Draw percentile fans of an asset's share of the portfolio, one fan per scenario.

    Parameters
    ----------
    bands : pandas.DataFrame
        Long table with columns ``year`` (years since the start), ``scenario`` (a label
        such as "Never rebalanced"), ``percentile`` (0-100) and ``value`` (0-1, the asset's
        weight at that percentile). The outermost percentiles make the pale band, the next
        pair the darker band, and the middle one (if the count is odd) the line.
    target_share : float
        The target weight of the asset, drawn as a dashed line (0-1).
    asset : str, optional
        The asset's name for the axis title.
    width, height : int, optional
        Size of the plot in pixels.

    Returns
    -------
    altair.LayerChart
        The fans, the median lines and the target line.

    Examples
    --------
    >>> import pandas as pd
    >>> bands = pd.DataFrame({"year": [0, 0, 1, 1], "scenario": "Never rebalanced",
    ...                       "percentile": [5, 95, 5, 95], "value": [0.8, 0.8, 0.7, 0.9]})
    >>> drift_fan_chart(bands, 0.8).to_dict()["layer"][0]["mark"]["type"]
    'area'
    """
    _require_columns(bands, FAN_COLUMNS, "percentile")
    wide, pairs, middle = _fan_bands(bands)
    scenarios = list(dict.fromkeys(bands["scenario"]))
    color = _scenario_color(scenarios)
    x = alt.X("year:Q", title="Years from now", axis=alt.Axis(tickMinStep=1, format="d"))

    def share_y(column: str) -> alt.Y:
        return alt.Y(
            f"{column}:Q",
            title=f"{asset} share of the portfolio",
            axis=alt.Axis(format=".0%"),
            scale=alt.Scale(zero=False, nice=True),
        )

    base = alt.Chart(wide).properties(width=width, height=height)
    layers: list[alt.Chart] = []
    for depth, (low, high) in enumerate(pairs):
        lo, hi = f"p{low:g}", f"p{high:g}"
        layers.append(
            base.mark_area(opacity=0.18 + 0.17 * depth, interpolate="monotone").encode(
                x=x,
                y=share_y(lo),
                y2=alt.Y2(f"{hi}:Q"),
                color=color,
                tooltip=[
                    alt.Tooltip("scenario:N", title="Scenario"),
                    alt.Tooltip("year:Q", title="Year", format="d"),
                    alt.Tooltip(f"{lo}:Q", title=f"{ordinal(low)} percentile", format=".1%"),
                    alt.Tooltip(f"{hi}:Q", title=f"{ordinal(high)} percentile", format=".1%"),
                ],
            )
        )
    if not math.isnan(middle):  # an odd number of percentiles: draw the middle one as a line
        mid = f"p{middle:g}"
        layers.append(
            base.mark_line(strokeWidth=2.5, interpolate="monotone").encode(
                x=x,
                y=share_y(mid),
                color=color,
                tooltip=[
                    alt.Tooltip("scenario:N", title="Scenario"),
                    alt.Tooltip("year:Q", title="Year", format="d"),
                    alt.Tooltip(f"{mid}:Q", title="Middle (median)", format=".1%"),
                ],
            )
        )
    layers.append(_target_rule(target_share))
    return alt.layer(*layers)


def drift_replay_chart(
    paths: pd.DataFrame,
    target_share: float,
    *,
    asset: str = "Stock",
    width: int = 560,
    height: int = 220,
) -> alt.LayerChart:
    """Draw an asset's share of the portfolio along one replay of real history.

    Parameters
    ----------
    paths : pandas.DataFrame
        Long table with columns ``date`` (a timestamp per month), ``scenario`` and ``value``
        (0-1).
    target_share : float
        The target weight of the asset, drawn as a dashed line (0-1).
    asset : str, optional
        The asset's name for the axis title.
    width, height : int, optional
        Size of the plot in pixels.

    Returns
    -------
    altair.LayerChart
        One line per scenario and the target line.

    Examples
    --------
    >>> import pandas as pd
    >>> paths = pd.DataFrame({"date": pd.to_datetime(["1990-01-31", "1990-02-28"]),
    ...                       "scenario": "Never rebalanced", "value": [0.8, 0.81]})
    >>> drift_replay_chart(paths, 0.8).to_dict()["layer"][0]["mark"]["type"]
    'line'
    """
    _require_columns(paths, REPLAY_COLUMNS, "history")
    scenarios = list(dict.fromkeys(paths["scenario"]))
    chart = (
        alt.Chart(paths[list(REPLAY_COLUMNS)])
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("date:T", title="Year", axis=alt.Axis(format="%Y")),
            y=alt.Y("value:Q", title=f"{asset} share of the portfolio",
                    axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False, nice=True)),
            color=_scenario_color(scenarios),
            tooltip=[
                alt.Tooltip("scenario:N", title="Scenario"),
                alt.Tooltip("date:T", title="Month", format="%b %Y"),
                alt.Tooltip("value:Q", title=f"{asset} share", format=".1%"),
            ],
        )
        .properties(width=width, height=height)
    )
    return alt.layer(chart, _target_rule(target_share))

"""Charts of drift: how the stock share wanders away from its target over the years.

Two pure builders, each taking a tidy DataFrame and returning an Altair chart:

- :func:`drift_fan_chart` draws percentile fans of the stock share across many simulated
  futures, one fan per scenario (for example "Never rebalanced" and "Rebalanced quarterly");
- :func:`drift_replay_chart` draws the stock share along one replay of real history, one line
  per scenario.

Both draw the target as a dashed line. Neither computes any finance: the percentiles and the
shares arrive ready-made from :mod:`rebalance_widgets.core`.

Speed: a slider move must redraw in well under 100 ms, and building and layering Altair
objects costs tens of milliseconds. So the marks, encodings and scales of a chart are built
once per shape (scenario names, percentiles, titles, size) and cached; each call only puts
its rows into the chart's named ``datasets``
(:func:`rebalance_widgets.charts.datasets.with_datasets`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence

import pandas as pd

from rebalance_widgets.charts.datasets import FilledChart, ordinal, template, with_datasets
from rebalance_widgets.charts.lazy import alt
from rebalance_widgets.charts.theme import SERIES_COLORS, series_scale

__all__ = ["drift_fan_chart", "drift_replay_chart"]

FAN_COLUMNS = ("year", "scenario", "percentile", "value")
REPLAY_COLUMNS = ("date", "scenario", "value")


def _scenario_color(scenarios: Sequence[str]) -> alt.Color:
    return alt.Color(
        "scenario:N", title=None, scale=series_scale(scenarios), legend=alt.Legend(orient="top")
    )


def _target_layers() -> list[alt.Chart]:
    """Draw a dashed line at the target weight with its label (dataset "target")."""
    black = SERIES_COLORS["Target"]
    frame = alt.NamedData(name="target")
    rule = alt.Chart(frame).mark_rule(strokeDash=[6, 4], color=black, strokeWidth=1.5)
    text = alt.Chart(frame).mark_text(align="left", baseline="bottom", dx=4, dy=-3, color=black)
    return [
        rule.encode(y="value:Q"),
        text.encode(y="value:Q", x=alt.value(0), text="label:N"),
    ]


def _target_rows(target_share: float) -> list[dict]:
    return [{"value": float(target_share), "label": f"Target {target_share:.0%}"}]


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(f"The {what} table needs the columns {', '.join(missing)}.")
    if frame.empty:
        raise ValueError(f"The {what} table is empty; there is nothing to draw.")


def _fan_rows(bands: pd.DataFrame) -> tuple[list[dict], tuple[float, ...]]:
    """Turn the long percentile table into one row per (scenario, year) with p_* keys."""
    percentiles = tuple(sorted(float(p) for p in bands["percentile"].unique()))
    rows: dict[tuple[str, float], dict] = {}
    for scenario, year, percentile, value in zip(
        bands["scenario"].astype(str).tolist(),
        bands["year"].astype(float).tolist(),
        bands["percentile"].astype(float).tolist(),
        bands["value"].astype(float).tolist(),
        strict=True,
    ):
        row = rows.setdefault((scenario, year), {"scenario": scenario, "year": year})
        row[f"p{percentile:g}"] = value
    return list(rows.values()), percentiles


@template
def _fan_template(
    scenarios: tuple[str, ...],
    percentiles: tuple[float, ...],
    asset: str,
    width: int,
    height: int,
) -> alt.LayerChart:
    pairs = []
    low, high = 0, len(percentiles) - 1
    while low < high:
        pairs.append((percentiles[low], percentiles[high]))
        low, high = low + 1, high - 1
    middle = percentiles[low] if low == high else math.nan
    y_title = f"{asset} share of the portfolio"
    y_scale = alt.Scale(zero=False, nice=True)
    tooltip = [
        alt.Tooltip("scenario:N", title="Scenario"),
        alt.Tooltip("year:Q", title="Year", format="d"),
        *(
            alt.Tooltip(f"p{p:g}:Q", title=f"{ordinal(p)} percentile", format=".1%")
            for p in percentiles
        ),
    ]
    base = alt.Chart(alt.NamedData(name="fan")).encode(
        x=alt.X("year:Q", title="Years from now", axis=alt.Axis(tickMinStep=1, format="d")),
        color=_scenario_color(scenarios),
    )
    bands = [
        base.mark_area(opacity=0.18 + 0.17 * depth, interpolate="monotone").encode(
            y=alt.Y(f"p{low_p:g}:Q", title=y_title, axis=alt.Axis(format=".0%"),
                    scale=y_scale),
            y2=alt.Y2(f"p{high_p:g}:Q"),
        )
        for depth, (low_p, high_p) in enumerate(pairs)
    ]
    if math.isnan(middle):  # an even number of percentiles: the inner band carries the tooltip
        bands[-1] = bands[-1].encode(tooltip=tooltip)
    else:  # an odd number: the middle one is the line, with every percentile in its tooltip
        bands.append(
            base.mark_line(strokeWidth=2.5, interpolate="monotone").encode(
                y=alt.Y(f"p{middle:g}:Q", title=y_title), tooltip=tooltip
            )
        )
    # One flat layer: nested layers make every redraw's validation several times slower.
    return alt.layer(*bands, *_target_layers()).properties(width=width, height=height)


def drift_fan_chart(
    bands: pd.DataFrame,
    target_share: float,
    *,
    asset: str = "Stock",
    width: int = 560,
    height: int = 280,
) -> FilledChart:
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
    FilledChart
        The fans, the median lines and the target line; the rows are in the datasets
        ``"fan"`` (one row per scenario and year, with a ``p<percentile>`` column each) and
        ``"target"``.

    Examples
    --------
    >>> import pandas as pd
    >>> bands = pd.DataFrame({"year": [0, 0, 1, 1], "scenario": "Never rebalanced",
    ...                       "percentile": [5, 95, 5, 95], "value": [0.8, 0.8, 0.7, 0.9]})
    >>> drift_fan_chart(bands, 0.8).to_dict()["layer"][0]["mark"]["type"]
    'area'
    """
    _require_columns(bands, FAN_COLUMNS, "percentile")
    rows, percentiles = _fan_rows(bands)
    scenarios = tuple(dict.fromkeys(bands["scenario"].astype(str)))
    template = _fan_template(scenarios, percentiles, asset, width, height)
    return with_datasets(template, {"fan": rows, "target": _target_rows(target_share)})


@template
def _replay_template(
    scenarios: tuple[str, ...], asset: str, width: int, height: int
) -> alt.LayerChart:
    # Hundreds of months: the rows travel as one CSV text, which Altair validates in a
    # blink (a list of row objects is checked row by row).
    parse = {"date": "date", "scenario": "string", "value": "number"}
    line = (
        alt.Chart(alt.NamedData(name="replay", format=alt.DataFormat(type="csv", parse=parse)))
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("date:T", title="Year", axis=alt.Axis(format="%Y")),
            y=alt.Y(
                "value:Q",
                title=f"{asset} share of the portfolio",
                axis=alt.Axis(format=".0%"),
                scale=alt.Scale(zero=False, nice=True),
            ),
            color=_scenario_color(scenarios),
            tooltip=[
                alt.Tooltip("scenario:N", title="Scenario"),
                alt.Tooltip("date:T", title="Month", format="%b %Y"),
                alt.Tooltip("value:Q", title=f"{asset} share", format=".1%"),
            ],
        )
    )
    return alt.layer(line, *_target_layers()).properties(width=width, height=height)


def drift_replay_chart(
    paths: pd.DataFrame,
    target_share: float,
    *,
    asset: str = "Stock",
    width: int = 560,
    height: int = 220,
) -> FilledChart:
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
    FilledChart
        One line per scenario and the target line. The dataset ``"replay"`` is CSV text
        with the columns ``date`` (``YYYY-MM-DDT00:00:00``, local time), ``scenario`` and
        ``value``; the dataset ``"target"`` holds the target.

    Examples
    --------
    >>> import pandas as pd
    >>> paths = pd.DataFrame({"date": pd.to_datetime(["1990-01-31", "1990-02-28"]),
    ...                       "scenario": "Never rebalanced", "value": [0.8, 0.81]})
    >>> drift_replay_chart(paths, 0.8).to_dict()["layer"][0]["mark"]["type"]
    'line'
    """
    _require_columns(paths, REPLAY_COLUMNS, "history")
    scenarios = tuple(dict.fromkeys(paths["scenario"].astype(str)))
    dates = pd.to_datetime(paths["date"]).dt.strftime("%Y-%m-%dT00:00:00").tolist()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(REPLAY_COLUMNS)
    writer.writerows(
        (date, scenario, f"{value:.12g}")
        for date, scenario, value in zip(
            dates, paths["scenario"].astype(str).tolist(), paths["value"].astype(float).tolist(),
            strict=True,
        )
    )
    rows = text.getvalue()
    template = _replay_template(scenarios, asset, width, height)
    return with_datasets(template, {"replay": rows, "target": _target_rows(target_share)})

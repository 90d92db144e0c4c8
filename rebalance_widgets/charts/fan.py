"""Percentile fan of dollars over time: the range of simulated outcomes, year by year.

:func:`fan_chart` takes a tidy DataFrame (one row per x value, percentile and optional
series, as :func:`rebalance_widgets.core.metrics.wealth_percentiles` returns) and draws a
light outer band (e.g. 5th to 95th percentile), a darker inner band (25th to 75th) and the
median as a line. Nothing is computed but a reshape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pandas as pd

from rebalance_widgets.charts.datasets import FilledChart, Template, template, with_datasets
from rebalance_widgets.charts.lazy import alt
from rebalance_widgets.charts.theme import OKABE_ITO, series_scale

ChartT = TypeVar("ChartT", bound="alt.TopLevelMixin")

__all__ = ["ROWS", "fan_chart", "filled", "require_columns", "titled", "years_axis"]

#: Name of the dataset every template reads; :func:`filled` puts the rows there.
ROWS = "rows"


def filled(shape: Template, frame: pd.DataFrame, **more: list[dict]) -> FilledChart:
    """Return a copy of a template chart holding ``frame``'s rows (and ``more`` datasets).

    The template reads ``alt.NamedData(ROWS)``; its spec is checked against the Vega-Lite
    schema once (:mod:`rebalance_widgets.charts.datasets`), so a redraw only converts the
    rows.

    Parameters
    ----------
    shape : Template
        A chart built once per shape (a :func:`~rebalance_widgets.charts.datasets.template`
        function's result) whose data is ``alt.NamedData(ROWS)``.
    frame : pandas.DataFrame
        The rows to draw (no NaN).
    **more : list of dict
        Further named datasets the template reads.

    Returns
    -------
    FilledChart
        The filled chart.

    Examples
    --------
    >>> points = template(lambda: alt.Chart(alt.NamedData(ROWS)).mark_point().encode(x="x:Q"))
    >>> filled(points(), pd.DataFrame({"x": [1.5]})).to_dict()["datasets"]
    {'rows': [{'x': 1.5}]}
    """
    return with_datasets(shape, {ROWS: frame.to_dict("records"), **more})


def require_columns(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise a clear ``ValueError`` if a table misses columns or is empty.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table handed to a chart builder.
    columns : sequence of str
        Columns it must have.
    what : str
        What the table is, for the message (``"allocation"``).

    Raises
    ------
    ValueError
        "The allocation table needs the columns weight."

    Examples
    --------
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a"], "test")
    """
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ValueError(f"The {what} table needs the columns {', '.join(missing)}.")
    if frame.empty:
        raise ValueError(f"The {what} table is empty; there is nothing to draw.")


def years_axis(x: str, title: str) -> alt.X:
    """Return the horizontal encoding for whole years or ages (no zero, no rounding out).

    Parameters
    ----------
    x : str
        Column of the years or ages.
    title : str
        Axis title.

    Returns
    -------
    altair.X
        A quantitative encoding with whole-number ticks.

    Examples
    --------
    >>> years_axis("age", "Age").to_dict()["axis"]["format"]
    'd'
    """
    return alt.X(
        f"{x}:Q",
        title=title,
        axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True),
        scale=alt.Scale(zero=False, nice=False),
    )


def titled(chart: ChartT, title: str | None) -> ChartT:
    """Return ``chart`` with ``title`` on top, or as it is when there is no title.

    Parameters
    ----------
    chart : altair chart
        Any chart or layer.
    title : str, optional
        The title.

    Returns
    -------
    altair chart
        The same kind of chart.

    Examples
    --------
    >>> titled(alt.Chart().mark_point(), "Mix").to_dict()["title"]
    'Mix'
    """
    return chart.properties(title=title) if title else chart


def _wide(frame: pd.DataFrame, x: str, keys: list[str], wanted: list[float]) -> pd.DataFrame:
    missing = [p for p in wanted if p not in set(frame["percentile"].astype(float))]
    if missing:
        raise ValueError(
            "The fan table needs the percentiles " + ", ".join(f"{p:g}" for p in missing) + "."
        )
    table = frame.assign(percentile=frame["percentile"].astype(float))
    wide = table.pivot_table(index=[*keys, x], columns="percentile", values="value")
    wide.columns = [f"p{c:g}" for c in wide.columns]
    return wide.reset_index()


def fan_chart(
    percentiles: pd.DataFrame,
    *,
    x: str = "year",
    x_title: str = "Years from now",
    y_title: str = "Balance",
    series: str | None = None,
    outer: tuple[float, float] = (5, 95),
    inner: tuple[float, float] | None = (25, 75),
    value_format: str = "$,.0f",
    title: str | None = None,
    subtitle: str | None = None,
    width: int = 520,
    height: int = 280,
) -> FilledChart:
    """Draw percentile bands and the median of a value over time.

    Parameters
    ----------
    percentiles : pandas.DataFrame
        Long form with columns ``x``, ``percentile`` (0-100), ``value`` and, if ``series``
        is given, that column (one fan per series, coloured by name).
    x : str, default "year"
        Column for the horizontal axis (``"year"`` or ``"age"``).
    x_title, y_title : str
        Axis titles.
    series : str, optional
        Column naming each fan (``"Glide path"``, ``"Fixed mix"``).
    outer, inner : tuple of float
        Percentiles bounding the light and the dark band; ``inner=None`` draws one band.
    value_format : str, default "$,.0f"
        d3 format of the values.
    title : str, optional
        Chart title.
    subtitle : str, optional
        A line under the title (e.g. what the bands mean).
    width, height : int
        Size in pixels.

    Returns
    -------
    FilledChart
        Bands (areas) and median (line); tooltips give every percentile.

    Raises
    ------
    ValueError
        If columns or percentiles are missing.

    Examples
    --------
    >>> frame = pd.DataFrame({"year": [0, 0, 0, 1, 1, 1], "percentile": [5, 50, 95] * 2,
    ...                       "value": [100, 100, 100, 90, 105, 125]})
    >>> spec = fan_chart(frame, inner=None).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['area', 'line']
    """
    keys = [series] if series else []
    require_columns(percentiles, [x, "percentile", "value", *keys], "fan")
    wanted = [float(outer[0]), 50.0, float(outer[1])]
    if inner is not None:
        wanted += [float(inner[0]), float(inner[1])]
    wide = _wide(percentiles, x, keys, wanted)
    names = tuple(dict.fromkeys(wide[series])) if series else ()
    inner_key = None if inner is None else (float(inner[0]), float(inner[1]))
    template = _fan_template(
        x,
        x_title,
        y_title,
        series,
        names,
        (float(outer[0]), float(outer[1])),
        inner_key,
        value_format,
        title,
        subtitle,
        width,
        height,
    )
    return filled(template, wide)


@template
def _fan_template(
    x: str,
    x_title: str,
    y_title: str,
    series: str | None,
    names: tuple[str, ...],
    outer: tuple[float, float],
    inner: tuple[float, float] | None,
    value_format: str,
    title: str | None,
    subtitle: str | None,
    width: int,
    height: int,
) -> alt.LayerChart:
    """Build the marks once per shape; :func:`filled` puts in the rows."""
    wanted = sorted({outer[0], 50.0, outer[1], *(inner or ())}, reverse=True)
    if series:
        colour = alt.Color(
            f"{series}:N",
            title=None,
            scale=series_scale(names),
            legend=alt.Legend(symbolOpacity=1, symbolType="stroke", symbolStrokeWidth=3),
        )
    else:
        colour = alt.value(OKABE_ITO["blue"])
    x_enc = years_axis(x, x_title)
    y_axis = alt.Axis(format=value_format.replace("$,.0f", "$,.3~s"))
    tooltip = [alt.Tooltip(f"{x}:Q", title=x_title, format="d")]
    if series:
        tooltip.insert(0, alt.Tooltip(f"{series}:N", title="Scenario"))
    for p in wanted:
        tooltip.append(alt.Tooltip(f"p{p:g}:Q", title=f"{p:g}th percentile", format=value_format))
    base = alt.Chart()
    layers = [
        base.mark_area(opacity=0.12 if series else 0.18).encode(
            x=x_enc,
            y=alt.Y(f"p{outer[0]:g}:Q", title=y_title, axis=y_axis),
            y2=f"p{outer[1]:g}:Q",
            color=colour,
            tooltip=tooltip,
        )
    ]
    if inner is not None:
        layers.append(
            base.mark_area(opacity=0.35).encode(
                x=x_enc, y=f"p{inner[0]:g}:Q", y2=f"p{inner[1]:g}:Q", color=colour, tooltip=tooltip
            )
        )
    if series:  # overlapping fans: draw the outer edges too, so each stays readable
        for edge in outer:
            layers.append(
                base.mark_line(strokeDash=[5, 4], strokeWidth=1.5).encode(
                    x=x_enc, y=f"p{edge:g}:Q", color=colour, tooltip=tooltip
                )
            )
    layers.append(
        base.mark_line().encode(
            x=x_enc, y=alt.Y("p50:Q", title=y_title), color=colour, tooltip=tooltip
        )
    )
    chart = alt.layer(*layers, data=alt.NamedData(ROWS)).properties(width=width, height=height)
    if title:
        chart = chart.properties(title=alt.TitleParams(title, subtitle=subtitle or ""))
    return chart

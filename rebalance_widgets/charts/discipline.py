"""Charts of sticking to the plan: wealth and stock share, one line per behaviour.

Two pure builders, each taking a tidy DataFrame and returning an Altair chart:

- :func:`behaviour_wealth_chart`: the account's value over time, one line per behaviour
  ("Keep rebalancing", "Stop rebalancing", "Sell after a fall");
- :func:`behaviour_share_chart`: the share in stocks over time, one line per behaviour,
  with the target as a dashed line.

Time runs along real months (``time="date"``, a replay of history) or years from now
(``time="year"``, simulated futures). Each behaviour has its colour and its own dash, so
the lines differ without colour too. Nothing here computes finance.

Speed: the marks are built once per shape and cached; a redraw only puts its rows, as CSV
text, into the chart's named ``datasets`` (:mod:`rebalance_widgets.charts.datasets`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import pandas as pd

from rebalance_widgets.charts.datasets import FilledChart, template, with_datasets
from rebalance_widgets.charts.lazy import alt
from rebalance_widgets.charts.theme import SERIES_COLORS, series_scale

__all__ = ["BEHAVIOUR_DASHES", "behaviour_share_chart", "behaviour_wealth_chart"]

COLUMNS = ("time", "behaviour", "value")

#: Dash pattern of each behaviour's line (solid for the plan).
BEHAVIOUR_DASHES: dict[str, list[int]] = {
    "Keep rebalancing": [1, 0],
    "Stop rebalancing": [8, 4],
    "Sell after a fall": [2, 3],
}

_TIME = {  # field, axis title, axis, tooltip title and format, CSV parse
    "date": ("time:T", "Year", {"format": "%Y", "tickCount": {"interval": "year", "step": 1}},
             "Month", "%b %Y", "date"),
    "year": ("time:Q", "Years from now", {"format": "d", "tickMinStep": 1}, "Year", ".1f",
             "number"),
}


def _rows_as_csv(paths: pd.DataFrame, time: str) -> str:
    if time == "date":
        stamps = pd.to_datetime(paths["time"]).dt.strftime("%Y-%m-%dT00:00:00").tolist()
    else:
        stamps = [f"{value:.6g}" for value in paths["time"].astype(float).tolist()]
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(
        (stamp, behaviour, f"{value:.12g}")
        for stamp, behaviour, value in zip(
            stamps, paths["behaviour"].astype(str).tolist(),
            paths["value"].astype(float).tolist(), strict=True,
        )
    )
    return text.getvalue()


def _check(paths: pd.DataFrame, time: str) -> tuple[str, ...]:
    if time not in _TIME:
        raise ValueError(f'time must be "date" or "year"; got {time!r}.')
    missing = [name for name in COLUMNS if name not in paths.columns]
    if missing:
        raise ValueError(f"The behaviour table needs the columns {', '.join(missing)}.")
    if paths.empty:
        raise ValueError("The behaviour table is empty; there is nothing to draw.")
    return tuple(dict.fromkeys(paths["behaviour"].astype(str)))


def _lines(behaviours: tuple[str, ...], time: str, value: alt.Y, tip: alt.Tooltip) -> alt.Chart:
    field, title, axis, tip_title, tip_format, parse = _TIME[time]
    source = alt.NamedData(name="lines", format=alt.DataFormat(
        type="csv", parse={"time": parse, "behaviour": "string", "value": "number"}))
    dashes = [BEHAVIOUR_DASHES.get(name, [1, 0]) for name in behaviours]
    return alt.Chart(source).mark_line(strokeWidth=2.5).encode(
        x=alt.X(field, title=title, axis=alt.Axis(**axis)),
        y=value,
        color=alt.Color("behaviour:N", title=None, scale=series_scale(behaviours),
                        # keys long enough to show a whole dash (a key is sqrt(size) px)
                        legend=alt.Legend(orient="top", direction="horizontal", columns=3,
                                          symbolSize=900)),
        # The same legend as the colour's, so its keys show each line's dash too.
        strokeDash=alt.StrokeDash("behaviour:N", scale=alt.Scale(domain=list(behaviours),
                                                                 range=dashes), title=None),
        tooltip=[alt.Tooltip("behaviour:N", title="Behaviour"),
                 alt.Tooltip(field, title=tip_title, format=tip_format), tip],
    )


@template
def _wealth_template(behaviours: tuple[str, ...], time: str, width: int, height: int,
                     marked: bool) -> alt.LayerChart:
    value = alt.Y("value:Q", title="Account value", axis=alt.Axis(format="$,.0f"),
                  scale=alt.Scale(zero=False, nice=True))
    tip = alt.Tooltip("value:Q", title="Value", format="$,.0f")
    field = _TIME[time][0]
    layers = [_lines(behaviours, time, value, tip)]
    if marked:  # without moments to mark, no empty layer (its extent would be infinite)
        marks = alt.Chart(alt.NamedData(name="events"))
        seller = SERIES_COLORS["Sell after a fall"]
        # The sentence under the chart says when the seller traded; screen readers skip these.
        layers += [
            marks.mark_rule(strokeDash=[2, 3], color=seller, strokeWidth=1.5,
                            aria=False).encode(x=field),
            marks.mark_text(align="left", baseline="top", dx=3, y=4, color="#222222",
                            fontSize=12, aria=False).encode(x=field, text="label:N"),
        ]
    return alt.layer(*layers).properties(width=width, height=height)


def behaviour_wealth_chart(
    paths: pd.DataFrame, *, time: str = "date", events: pd.DataFrame | None = None,
    width: int = 560, height: int = 240,
) -> FilledChart:
    """Draw the account's value over time, one line per behaviour, and the seller's trades.

    Parameters
    ----------
    paths : pandas.DataFrame
        Long table with columns ``time`` (a timestamp per month when ``time="date"``,
        years from now when ``time="year"``), ``behaviour`` (its label) and ``value``
        (dollars).
    time : {"date", "year"}
        What ``time`` holds.
    events : pandas.DataFrame, optional
        Moments marked by a dotted vertical line and a word, columns ``time`` (as in
        ``paths``) and ``label`` (such as "Sold" or "Back in"); none by default.
    width, height : int
        Size of the plot in pixels.

    Returns
    -------
    FilledChart
        One line per behaviour (CSV dataset ``"lines"``) and the marked moments (dataset
        ``"events"``; drawn as two more layers only when there is one).

    Raises
    ------
    ValueError
        For a missing column, an empty table or an unknown ``time``.

    Examples
    --------
    >>> paths = pd.DataFrame({"time": [0, 1, 0, 1], "value": [100, 90, 100, 80],
    ...                       "behaviour": ["Keep rebalancing"] * 2 + ["Sell after a fall"] * 2})
    >>> events = pd.DataFrame({"time": [1], "label": ["Sold"]})
    >>> spec = behaviour_wealth_chart(paths, time="year", events=events).to_dict()
    >>> [layer["mark"]["type"] for layer in spec["layer"]]
    ['line', 'rule', 'text']
    >>> len(behaviour_wealth_chart(paths, time="year").to_dict()["layer"])
    1
    """
    behaviours = _check(paths, time)
    marks = _event_rows(events, time)
    template = _wealth_template(behaviours, time, width, height, bool(marks))
    return with_datasets(template, {"lines": _rows_as_csv(paths, time), "events": marks})


def _event_rows(events: pd.DataFrame | None, time: str) -> list[dict]:
    if events is None or events.empty:
        return []
    if time == "date":
        stamps = pd.to_datetime(events["time"]).dt.strftime("%Y-%m-%dT00:00:00").tolist()
    else:
        stamps = [float(value) for value in events["time"]]
    return [{"time": stamp, "label": str(label)}
            for stamp, label in zip(stamps, events["label"].tolist(), strict=True)]


@template
def _share_template(behaviours: tuple[str, ...], time: str, width: int, height: int
                    ) -> alt.LayerChart:
    value = alt.Y("value:Q", title="Share in stocks", axis=alt.Axis(format=".0%"),
                  scale=alt.Scale(domain=[0, 1]))
    tip = alt.Tooltip("value:Q", title="In stocks", format=".1%")
    black = SERIES_COLORS["Target"]
    target = alt.NamedData(name="target")
    rule = alt.Chart(target).mark_rule(strokeDash=[6, 4], color=black, strokeWidth=1.5)
    label = alt.Chart(target).mark_text(align="left", baseline="bottom", dx=4, dy=-3,
                                        color=black)
    return alt.layer(
        _lines(behaviours, time, value, tip),
        rule.encode(y="value:Q"),
        label.encode(y="value:Q", x=alt.value(0), text="label:N"),
    ).properties(width=width, height=height)


def behaviour_share_chart(
    paths: pd.DataFrame, target_share: float, *, time: str = "date", width: int = 560,
    height: int = 200,
) -> FilledChart:
    """Draw the share in stocks over time, one line per behaviour, and the target.

    Parameters
    ----------
    paths : pandas.DataFrame
        Long table with columns ``time``, ``behaviour`` and ``value`` (0-1, the share in
        stocks), as in :func:`behaviour_wealth_chart`.
    target_share : float
        The plan's share in stocks (0-1), drawn as a dashed line.
    time : {"date", "year"}
        What ``time`` holds.
    width, height : int
        Size of the plot in pixels.

    Returns
    -------
    FilledChart
        The lines (CSV dataset ``"lines"``) and the target (dataset ``"target"``).

    Examples
    --------
    >>> paths = pd.DataFrame({"time": pd.to_datetime(["2008-01-01", "2008-02-01"]),
    ...                       "behaviour": "Sell after a fall", "value": [0.6, 0.0]})
    >>> behaviour_share_chart(paths, 0.6).to_dict()["datasets"]["target"][0]["label"]
    'Target 60%'
    """
    behaviours = _check(paths, time)
    template = _share_template(behaviours, time, width, height)
    target = [{"value": float(target_share), "label": f"Target {target_share:.0%}"}]
    return with_datasets(template, {"lines": _rows_as_csv(paths, time), "target": target})


def behaviour_order(labels: Sequence[str]) -> tuple[str, ...]:
    """Put behaviour labels in the order of :data:`BEHAVIOUR_DASHES`, others after.

    Examples
    --------
    >>> behaviour_order(["Sell after a fall", "Keep rebalancing"])
    ('Keep rebalancing', 'Sell after a fall')
    """
    known = [name for name in BEHAVIOUR_DASHES if name in labels]
    return (*known, *(name for name in labels if name not in BEHAVIOUR_DASHES))

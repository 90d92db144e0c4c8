"""Charts of the history lab: several rules through the same span of real history.

- :func:`rule_lines_chart` draws one line per rule over time: the growth of 1 dollar (on a
  log scale, so equal steps up mean equal percentage growth) or the stock share (with the
  target as a dashed line);
- :func:`falls_chart` draws each rule's worst falls from a peak, one row per rule.

They lay out numbers that :func:`rebalance_widgets.core.history_runs.history_runs` computed.
Templates are built once per shape and filled with rows
(:func:`rebalance_widgets.charts.datasets.with_datasets`), so a redraw takes milliseconds.
Long spans are thinned for drawing only: at most ``max_points`` points per line (every k-th
month, the last one always kept).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence

import pandas as pd

from rebalance_widgets.charts.datasets import FilledChart, template, with_datasets
from rebalance_widgets.charts.lazy import alt
from rebalance_widgets.charts.theme import SERIES_COLORS, series_scale

__all__ = ["FALL_COLUMNS", "falls_chart", "rule_lines_chart"]

FALL_COLUMNS = ("rule", "depth", "peak", "trough", "recovery")
_KINDS = {
    "growth": ("What $1 grew to (log scale)", "$,.2~f", "$,.2f"),
    "share": ("Share in stocks", ".0%", ".1%"),
}
_RANKS = ("Worst fall", "2nd worst", "3rd worst", "No fall")


def _thinned(frame: pd.DataFrame, max_points: int) -> pd.DataFrame:
    step = max(1, math.ceil((len(frame) - 1) / max(max_points - 1, 1)))
    keep = list(range(0, len(frame), step))
    if keep[-1] != len(frame) - 1:
        keep.append(len(frame) - 1)
    return frame.iloc[keep]


def _year_step(dates: pd.DatetimeIndex) -> int:
    """Years between the ticks of the time axis: about 5 to 10 labels, whole years only."""
    years = max(1, dates[-1].year - dates[0].year)
    return next(step for step in (1, 2, 5, 10, 20, 50) if years / step <= 10)


@template
def _lines_template(rules: tuple[str, ...], kind: str, target: bool, width: int,
                    height: int, year_step: int) -> alt.LayerChart:
    title, axis_format, tip_format = _KINDS[kind]
    parse = {"date": "date", "rule": "string", "value": "number"}
    scale = (alt.Scale(type="log", nice=False) if kind == "growth"
             else alt.Scale(zero=False, nice=True))
    line = (
        alt.Chart(alt.NamedData(name="lines", format=alt.DataFormat(type="csv", parse=parse)))
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("date:T", title="Year", axis=alt.Axis(
                format="%Y", tickCount={"interval": "year", "step": year_step})),
            y=alt.Y("value:Q", title=title, scale=scale,
                    axis=alt.Axis(format=axis_format, tickCount=6)),
            color=alt.Color("rule:N", title=None, scale=series_scale(rules), sort=list(rules),
                            legend=alt.Legend(orient="top", columns=2, labelLimit=260)),
            tooltip=[
                alt.Tooltip("rule:N", title="Rule"),
                alt.Tooltip("date:T", title="End of", format="%b %Y"),
                alt.Tooltip("value:Q", title=title.replace(" (log scale)", ""),
                            format=tip_format),
            ],
        )
    )
    layers = [line]
    if target:
        black = SERIES_COLORS["Target"]
        frame = alt.NamedData(name="target")
        layers += [
            alt.Chart(frame).mark_rule(strokeDash=[6, 4], color=black).encode(y="value:Q"),
            alt.Chart(frame).mark_text(align="left", baseline="bottom", dx=4, dy=-3,
                                       color=black).encode(y="value:Q", x=alt.value(0),
                                                           text="label:N"),
        ]
    return alt.layer(*layers).properties(width=width, height=height)


def rule_lines_chart(paths: pd.DataFrame, kind: str, *, target: float | None = None,
                     width: int = 520, height: int = 260, max_points: int = 400
                     ) -> FilledChart:
    """Draw one line per rule over time.

    Parameters
    ----------
    paths : pandas.DataFrame
        (steps, rules): a DatetimeIndex of dates and one column per rule, e.g.
        ``HistoryRuns.growth`` or ``HistoryRuns.stock_share``.
    kind : {"growth", "share"}
        "growth": what 1 dollar grew to, log scale, dollars; "share": the stock share,
        percent.
    target : float, optional
        The target stock share, drawn as a dashed line (``kind="share"`` only).
    width, height : int
        Size in pixels.
    max_points : int
        Most points drawn per line (longer spans are thinned for drawing).

    Returns
    -------
    FilledChart
        The dataset ``"lines"`` is CSV text (``date``, ``rule``, ``value``); ``"target"``
        holds the target line when given.

    Raises
    ------
    ValueError
        For an unknown kind, an empty table or an index that is not dates.

    Examples
    --------
    >>> days = pd.date_range("2000-01-31", periods=3, freq="ME")
    >>> paths = pd.DataFrame({"Never rebalance": [1.0, 1.1, 1.2]}, index=days)
    >>> rule_lines_chart(paths, "growth").to_dict()["layer"][0]["mark"]["type"]
    'line'
    """
    if kind not in _KINDS:
        raise ValueError(f"Unknown kind {kind!r}; choose growth or share.")
    if paths.empty or not isinstance(paths.index, pd.DatetimeIndex):
        raise ValueError("The paths need dates as their index and at least one rule.")
    rules = tuple(str(name) for name in paths.columns)
    shown = _thinned(paths, max_points)
    dates = shown.index.strftime("%Y-%m-%dT00:00:00").tolist()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(("date", "rule", "value"))
    for rule, column in zip(rules, shown.columns, strict=True):
        writer.writerows((date, rule, f"{value:.10g}")
                         for date, value in zip(dates, shown[column].tolist(), strict=True))
    datasets: dict[str, list[dict] | str] = {"lines": text.getvalue()}
    with_target = kind == "share" and target is not None
    if with_target:
        datasets["target"] = [{"value": float(target), "label": f"Target {target:.0%}"}]
    template = _lines_template(rules, kind, with_target, width, height,
                               _year_step(paths.index))
    return with_datasets(template, datasets)


@template
def _falls_template(rules: tuple[str, ...], ranks: tuple[str, ...], width: int
                    ) -> alt.Chart:
    return (
        alt.Chart(alt.NamedData(name="falls"), width=width)
        .mark_point(size=140, filled=True, opacity=1)
        .encode(
            x=alt.X("depth:Q", title="Fall from the peak", axis=alt.Axis(format=".0%"),
                    scale=alt.Scale(nice=True)),
            y=alt.Y("rule:N", title=None, sort=list(rules),
                    axis=alt.Axis(labelLimit=220)),
            color=alt.Color("rank:N", title=None, scale=series_scale(ranks), sort=list(ranks),
                            legend=alt.Legend(orient="top")),
            shape=alt.Shape("rank:N", title=None, sort=list(ranks),
                            scale=alt.Scale(domain=list(ranks))),
            tooltip=[
                alt.Tooltip("rule:N", title="Rule"),
                alt.Tooltip("rank:N", title="Which"),
                alt.Tooltip("depth:Q", title="Fall", format=".1%"),
                alt.Tooltip("peak:N", title="Peak (end of)"),
                alt.Tooltip("trough:N", title="Lowest (end of)"),
                alt.Tooltip("recovery:N", title="Back to the peak (end of)"),
            ],
        )
    )


def falls_chart(falls: pd.DataFrame, rules: Sequence[str] | None = None, *,
                width: int = 440) -> FilledChart:
    """Draw each rule's worst falls from a peak: a row per rule, a dot per fall.

    Parameters
    ----------
    falls : pandas.DataFrame
        Columns :data:`FALL_COLUMNS` (``depth`` negative; dates as Timestamps, ``recovery``
        NaT when the span ends first), rows in order of depth within each rule, as
        ``HistoryRuns.falls``.
    rules : sequence of str, optional
        Every rule, in order; a rule without a fall shows one "No fall" dot at 0%.
    width : int
        Width in pixels.

    Returns
    -------
    FilledChart
        Dataset ``"falls"``: one row per fall with ``rule``, ``rank``, ``depth`` and the
        dates written as months ("Aug 1929", "not yet").

    Raises
    ------
    ValueError
        For a missing column or an empty table.

    Examples
    --------
    >>> falls = pd.DataFrame({"rule": ["Never"], "depth": [-0.5],
    ...     "peak": [pd.Timestamp("1929-08-31")], "trough": [pd.Timestamp("1932-05-31")],
    ...     "recovery": [pd.NaT]})
    >>> falls_chart(falls).to_dict()["datasets"]["falls"][0]["recovery"]
    'not yet'
    """
    missing = [name for name in FALL_COLUMNS if name not in falls.columns]
    if missing:
        raise ValueError(f"The falls table needs the columns {', '.join(missing)}.")
    rules = tuple(dict.fromkeys([*(rules or ()), *falls["rule"].astype(str)]))
    if not rules:
        raise ValueError("The falls table is empty; there is nothing to draw.")
    rows, seen = [], dict.fromkeys(rules, 0)
    for rule, depth, peak, trough, recovery in zip(*(falls[c] for c in FALL_COLUMNS),
                                                   strict=True):
        rank = _RANKS[min(seen[str(rule)], len(_RANKS) - 2)]
        seen[str(rule)] += 1
        rows.append({"rule": str(rule), "rank": rank, "depth": float(depth),
                     "peak": f"{peak:%b %Y}", "trough": f"{trough:%b %Y}",
                     "recovery": "not yet" if pd.isna(recovery) else f"{recovery:%b %Y}"})
    rows += [{"rule": rule, "rank": _RANKS[-1], "depth": 0.0, "peak": "", "trough": "",
              "recovery": ""} for rule in rules if not seen[rule]]
    ranks = tuple(r for r in _RANKS if any(row["rank"] == r for row in rows))
    return with_datasets(_falls_template(rules, ranks, width), {"falls": rows})

"""What the policy comparison shows: its metrics, its table and its sentences.

Pure functions of tables the comparison widget has computed: :func:`summary_of` turns the
per-future metrics of each policy into the medians shown, :func:`metric_table` makes the
long table the dot chart draws, :func:`table_html` the HTML table, :func:`table_frame` the
file the Download button saves (percents in percent points, dollars in dollars),
:func:`sentence` and :func:`paired_sentence` the words under the charts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core import metrics
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.parts.formatting import (
    html_escape,
    money,
    percent,
    share,
    titled_table,
)

__all__ = [
    "METRICS",
    "Metric",
    "PER_PATH_COLUMNS",
    "distinct_labels",
    "metric_table",
    "paired_rows",
    "paired_sentence",
    "sentence",
    "shown_metrics",
    "summary_of",
    "table_frame",
    "table_html",
]


@dataclass(frozen=True)
class Metric:
    """One column of the comparison: where it comes from and how it is shown."""

    column: str
    title: str
    number_format: str
    money: bool = False


METRICS: tuple[Metric, ...] = (
    Metric("terminal_wealth", "Ending balance", "$,.0f", money=True),
    Metric("cagr", "Annualised return", ".2%"),
    Metric("volatility", "Volatility (a year)", ".2%"),
    Metric("max_drawdown", "Worst drawdown", ".1%"),
    Metric("worst_12_months", "Worst 12 months", ".1%"),
    Metric("average_drift", "Average drift from target", ".1%"),
    Metric("rebalance_count", "Rebalances", ",.1~f"),
    Metric("annual_turnover", "Turnover a year", ".1%"),
    Metric("costs_paid", "Trading costs paid", "$,.0f", money=True),
)
"""The metrics compared, in the order shown (medians across the simulated futures)."""

GOAL = Metric("probability_reaching_goal", "Chance of reaching the goal", ".0%")
"""Shown after the others when the learner sets a goal for the ending balance."""

PER_PATH_COLUMNS = tuple(metric.column for metric in METRICS)
"""The per-future metrics each policy is run for."""


def distinct_labels(chosen: tuple[policies.Policy, ...]) -> list[str]:
    """Return each policy's label, made distinct with " (2)", " (3)" ... where two clash.

    Parameters
    ----------
    chosen : tuple of Policy
        The policies compared.

    Returns
    -------
    list of str
        One name per policy, all different.

    Examples
    --------
    >>> distinct_labels((policies.Never(), policies.Never()))
    ['Never rebalance', 'Never rebalance (2)']
    """
    names: list[str] = []
    for policy in chosen:
        name, count = policy.label, 1
        while name in names:
            count += 1
            name = f"{policy.label} ({count})"
        names.append(name)
    return names


def summary_of(per_path: Mapping[str, pd.DataFrame], *, factor: float = 1.0,
               goal: float | None = None) -> pd.DataFrame:
    """Return the medians shown, one row per policy, from per-future metrics.

    Parameters
    ----------
    per_path : mapping of str to pandas.DataFrame
        Policy name -> one row per future with the columns of :data:`PER_PATH_COLUMNS`.
    factor : float, default 1
        Multiplier for the ending balance (today's dollars: the deflator at the end).
    goal : float, optional
        Dollars (in the same dollars as the ending balance after ``factor``); adds
        ``probability_reaching_goal``, the share of futures that end at or above it.

    Returns
    -------
    pandas.DataFrame
        Index ``policy``; the columns of :data:`METRICS` (and the goal's).
    """
    rows = {}
    for name, table in per_path.items():
        scaled = table.assign(terminal_wealth=table["terminal_wealth"] * factor)
        if goal is not None:
            scaled = scaled.assign(reached_goal=scaled["terminal_wealth"] >= goal)
        rows[name] = metrics.medians(scaled)
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("policy")


def shown_metrics(summary: pd.DataFrame) -> tuple[Metric, ...]:
    """Return the metrics a summary has, in the order shown."""
    extra = (GOAL,) if GOAL.column in summary.columns else ()
    return (*METRICS, *extra)


def metric_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Return the long (policy, metric, value) table the dot chart draws.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per policy (index = policy label) with the columns of :data:`METRICS`.

    Returns
    -------
    pandas.DataFrame
        Columns ``policy``, ``metric`` (the metric's title) and ``value``.

    Examples
    --------
    >>> summary = pd.DataFrame({m.column: [0.0] for m in METRICS}, index=["Never"])
    >>> metric_table(summary)["metric"].iloc[0]
    'Ending balance'
    """
    rows = [
        (str(policy), metric.title, float(summary.loc[policy, metric.column]))
        for metric in shown_metrics(summary)
        for policy in summary.index
    ]
    return pd.DataFrame(rows, columns=["policy", "metric", "value"])


def _format(value: float, metric: Metric) -> str:
    if not np.isfinite(value):
        return "–"
    if metric.money:
        return money(value)
    if metric.number_format.endswith("%"):
        return percent(value, 2 if metric.number_format == ".2%" else 1)
    return f"{value:,.1f}".removesuffix(".0")


def table_html(summary: pd.DataFrame, dollars: str) -> str:
    """Return the medians as an HTML table, one row per policy; ``dollars`` names the dollars."""
    shown = shown_metrics(summary)
    head = "".join(f'<th scope="col">{html_escape(m.title)}</th>' for m in shown)
    rows = []
    for policy in summary.index:
        cells = "".join(
            f'<td style="text-align:right">{_format(float(summary.loc[policy, m.column]), m)}</td>'
            for m in shown
        )
        rows.append(f'<tr><th scope="row" style="text-align:left">'
                    f"{html_escape(policy)}</th>{cells}</tr>")
    return titled_table(
        f"Medians across the simulated futures; ending balances {html_escape(dollars)}",
        f"<thead><tr><th scope=\"col\">Policy</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody>",
        "border-collapse:collapse;font-size:13px",
    )


def table_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """Lay the table out as a file: a row per policy, percents in points, dollars.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per policy (index = its label) with the columns of :data:`METRICS` (and the
        goal's, when one is set).

    Returns
    -------
    pandas.DataFrame
        ``Policy`` and one column per metric, its unit in its name ("Worst drawdown (%)").

    Examples
    --------
    >>> summary = pd.DataFrame({m.column: [0.5] for m in METRICS}, index=["Never"])
    >>> list(table_frame(summary).columns[:3])
    ['Policy', 'Ending balance ($)', 'Annualised return (%)']
    """
    columns: dict[str, Any] = {"Policy": list(summary.index)}
    for metric in shown_metrics(summary):
        in_percent = metric.number_format.endswith("%")
        unit = " ($)" if metric.money else " (%)" if in_percent else ""
        values = summary[metric.column].astype(float) * (100.0 if in_percent else 1.0)
        columns[metric.title + unit] = values.round(4).to_numpy()
    return pd.DataFrame(columns)


def sentence(summary: pd.DataFrame, years: int) -> str:
    """One sentence under the dot chart: best and worst return, steadiest, dearest."""
    returns = summary["cagr"]
    best, worst = returns.idxmax(), returns.idxmin()
    drift = summary["average_drift"]
    costs = summary["costs_paid"]
    if len(summary) == 1:
        return (
            f"Over {years} years, “{best}” had a median annualised return of "
            f"{percent(float(returns[best]), 2)}, an average drift of "
            f"{percent(float(drift[best]), 1)} and paid {money(float(costs[best]))} "
            f"in trading costs."
        )
    steady, dearest = drift.idxmin(), costs.idxmax()
    return (
        f"Over {years} years, “{best}” had the highest median annualised return "
        f"({percent(float(returns[best]), 2)}) and “{worst}” the lowest "
        f"({percent(float(returns[worst]), 2)}); “{steady}” stayed closest to the target "
        f"(average drift {percent(float(drift[steady]), 1)}), and “{dearest}” paid the most "
        f"in trading costs ({money(float(costs[dearest]))})."
    )


def _signed(value: float) -> str:
    return money(value) if value <= 0 else f"+{money(value)}"


def paired_rows(per_path: Mapping[str, pd.DataFrame], reference: str, factor: float = 1.0
                ) -> pd.DataFrame:
    """Each policy's ending balance minus the reference's, future by future.

    Returns
    -------
    pandas.DataFrame
        Columns ``policy``, ``low``, ``middle``, ``high`` (10th, 50th, 90th percentile of
        the difference, in dollars times ``factor``), ``share_ahead``, ``share_behind`` and
        ``futures``; one row per policy other than the reference.
    """
    table = metrics.paired_differences(per_path, reference, "terminal_wealth", (10, 50, 90))
    return pd.DataFrame({
        "policy": table.index.astype(str),
        "low": table["difference_p10"].to_numpy() * factor,
        "middle": table["difference_p50"].to_numpy() * factor,
        "high": table["difference_p90"].to_numpy() * factor,
        "share_ahead": table["share_ahead"].to_numpy(),
        "share_behind": table["share_behind"].to_numpy(),
        "futures": table["futures"].to_numpy(),
    })


def paired_sentence(rows: pd.DataFrame, reference: str, dollars: str) -> str:
    """One sentence under the paired chart: how often, and by how much, each one led."""
    if rows.empty:
        return f"Tick another policy to set against “{reference}”."
    best = rows.loc[rows["share_ahead"].idxmax()]
    futures = int(best["futures"])
    text = (
        f"On the same {futures:,} futures, “{best['policy']}” ended ahead of “{reference}” "
        f"in {share(float(best['share_ahead']))} of them and behind in "
        f"{share(float(best['share_behind']))}; in the middle 80% of futures the gap ran "
        f"from {_signed(float(best['low']))} to {_signed(float(best['high']))} (median "
        f"{_signed(float(best['middle']))}), {dollars}."
    )
    if len(rows) > 1:
        text += " Each bar shows the same for one policy; the dot is its median."
    return text

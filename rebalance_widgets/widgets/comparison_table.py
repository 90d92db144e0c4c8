"""The comparison's table: the metrics it shows, on the page and as a file.

:data:`METRICS` says which medians the comparison shows and how; :func:`table_html` writes
them as the table a learner reads and :func:`table_frame` as the file the Download button
saves (percents in percent points, dollars in dollars).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.widgets.parts import base

__all__ = ["METRICS", "Metric", "table_frame", "table_html"]


@dataclass(frozen=True)
class Metric:
    """One column of the comparison: where it comes from and how it is shown."""

    column: str
    title: str
    number_format: str
    money: bool = False


METRICS: tuple[Metric, ...] = (
    Metric("cagr", "Annualised return", ".2%"),
    Metric("volatility", "Volatility (a year)", ".2%"),
    Metric("max_drawdown", "Worst drawdown", ".1%"),
    Metric("average_drift", "Average drift from target", ".1%"),
    Metric("rebalance_count", "Rebalances", ",.1~f"),
    Metric("annual_turnover", "Turnover a year", ".1%"),
    Metric("costs_paid", "Trading costs paid", "$,.0f", money=True),
)
"""The metrics compared, in the order shown (medians across the simulated futures)."""


def _format(value: float, metric: Metric) -> str:
    if not np.isfinite(value):
        return "–"
    if metric.money:
        return base.money(value)
    if metric.number_format.endswith("%"):
        return base.percent(value, 2 if metric.number_format == ".2%" else 1)
    return f"{value:,.1f}".removesuffix(".0")


def table_html(summary: pd.DataFrame) -> str:
    """Write the comparison as an HTML table: a row per policy, a column per metric.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per policy (index = its label) with the columns of :data:`METRICS`.

    Returns
    -------
    str
        The table, with a caption and header cells for screen readers.
    """
    head = "".join(f'<th scope="col">{base.html_escape(m.title)}</th>' for m in METRICS)
    rows = []
    for policy in summary.index:
        cells = "".join(
            f'<td style="text-align:right">{_format(float(summary.loc[policy, m.column]), m)}</td>'
            for m in METRICS
        )
        rows.append(f'<tr><th scope="row" style="text-align:left">'
                    f"{base.html_escape(policy)}</th>{cells}</tr>")
    return (
        '<table class="rebalance-table" style="border-collapse:collapse;font-size:13px">'
        '<caption style="text-align:left;font-weight:bold">Medians across the simulated '
        f"futures</caption><thead><tr><th scope=\"col\">Policy</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def table_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """Lay the table out as a file: a row per policy, percents in points, dollars.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per policy (index = its label) with the columns of :data:`METRICS`.

    Returns
    -------
    pandas.DataFrame
        ``Policy`` and one column per metric, its unit in its name ("Worst drawdown (%)").

    Examples
    --------
    >>> summary = pd.DataFrame({m.column: [0.5] for m in METRICS}, index=["Never"])
    >>> list(table_frame(summary).columns[:3])
    ['Policy', 'Annualised return (%)', 'Volatility (a year) (%)']
    """
    columns: dict[str, Any] = {"Policy": list(summary.index)}
    for m in METRICS:
        percent = m.number_format.endswith("%")
        unit = " ($)" if m.money else " (%)" if percent else ""
        values = summary[m.column].astype(float) * (100.0 if percent else 1.0)
        columns[m.title + unit] = values.round(4).to_numpy()
    return pd.DataFrame(columns)

"""Summaries of per-path metrics across paths: medians, percentiles, probabilities.

``compare_row`` gives one policy's medians, as a row of ``core.compare``; ``summarise``
gives the mean and percentiles of every metric of a :func:`per_path` table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core.metrics.percentiles import check_percentiles, percentile_name
from rebalance_widgets.core.metrics.table import per_path

__all__ = ["compare_row", "medians", "summarise"]

def compare_row(
    result: Any,
    columns: Sequence[str] | None = None,
    goal: float | None = None,
    percentiles: Sequence[float] = (5, 50, 95),
) -> dict[str, float]:
    """One policy's row of a comparison: the median of each metric across paths.

    The same numbers as a row of :func:`rebalance_widgets.core.compare`, for the metrics
    asked for only (a widget that shows seven metrics computes seven).

    Parameters
    ----------
    result : SimulationResult
        One policy's simulation.
    columns : sequence of str, optional
        Metrics of :func:`per_path` to report; all by default.
    goal : float, optional
        Dollar goal; adds ``probability_reaching_goal`` (the share of paths reaching it).
    percentiles : sequence of float
        Percentiles of terminal wealth to add as ``terminal_wealth_p5``, ...; ``()`` for
        none.

    Returns
    -------
    dict of str to float
        Metric -> median across paths (paths where it is NaN left out; NaN if all are),
        then ``probability_reaching_goal`` and the terminal-wealth percentiles.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> run = SimpleNamespace(
    ...     wealth=np.array([[100.0, 110.0], [100.0, 90.0], [100.0, 130.0]]),
    ...     weights=np.full((3, 2, 1), 1.0), target=np.ones((2, 1)),
    ...     rebalanced=np.zeros((3, 2), bool), periods_per_year=1, assets=("a",))
    >>> row = compare_row(run, columns=["cagr"], percentiles=(50,))
    >>> round(row["cagr"], 6), row["terminal_wealth_p50"]
    (0.1, 110.0)
    """
    if goal is not None and columns is not None and "reached_goal" not in columns:
        columns = [*([columns] if isinstance(columns, str) else columns), "reached_goal"]
    row = medians(per_path(result, goal=goal, columns=columns))
    if len(percentiles):
        terminal = np.asarray(result.wealth, dtype=float)[:, -1]
        for percentile in percentiles:
            row[f"terminal_wealth_p{float(percentile):g}"] = float(
                np.percentile(terminal, percentile))
    return row


def medians(table: pd.DataFrame) -> dict[str, float]:
    """Return the median of each column of a :func:`per_path` table across paths.

    Paths where a metric is NaN are left out of it (NaN if all are); a yes/no column
    ``x`` becomes ``probability_x``, the share of paths where it holds
    (``reached_goal`` -> ``probability_reaching_goal``).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per path, as :func:`per_path` returns.

    Returns
    -------
    dict of str to float
        Column -> median (or probability).

    Examples
    --------
    >>> medians(pd.DataFrame({"cagr": [0.1, np.nan, 0.3, 0.2]}))
    {'cagr': 0.2}
    """
    row: dict[str, float] = {}
    for column in table.columns:
        values = table[column].to_numpy()
        if values.dtype == bool:
            label = "reaching_goal" if column == "reached_goal" else str(column)
            row[f"probability_{label}"] = float(values.mean())
            continue
        values = values.astype(float)
        values = values[~np.isnan(values)]
        row[str(column)] = float(np.median(values)) if values.size else float("nan")
    return row


def summarise(
    per_path_df: pd.DataFrame, percentiles: Sequence[float] = (5, 50, 95)
) -> pd.DataFrame:
    """Summary of the per-path metrics across paths.

    Parameters
    ----------
    per_path_df : pandas.DataFrame
        The output of :func:`per_path`.
    percentiles : sequence of float
        Percentiles (0..100) to report; the column for 5 is named ``p5``.

    Returns
    -------
    pandas.DataFrame
        One row per metric, columns ``mean`` and one per percentile. A yes/no metric
        becomes a probability: ``reached_goal`` turns into the row
        ``probability_reaching_goal`` with the share of paths in ``mean`` and NaN
        percentiles. Paths where a metric is NaN are left out of that metric.

    Examples
    --------
    >>> table = pd.DataFrame({"terminal_wealth": [1.0, 2.0, 3.0]})
    >>> summarise(table, percentiles=(50,)).loc["terminal_wealth"].tolist()
    [2.0, 2.0]
    """
    values = check_percentiles(percentiles)
    names = [percentile_name(p) for p in values]
    rows = {}
    for column in per_path_df.columns:
        series = per_path_df[column]
        if pd.api.types.is_bool_dtype(series):
            label = "reaching_goal" if column == "reached_goal" else str(column)
            share = float(series.mean()) if len(series) else np.nan
            rows[f"probability_{label}"] = [share] + [np.nan] * len(names)
            continue
        data = series.to_numpy(dtype=float)
        data = data[~np.isnan(data)]
        if data.size == 0:
            rows[str(column)] = [np.nan] * (1 + len(names))
        else:
            rows[str(column)] = [float(data.mean()), *np.percentile(data, values).tolist()]
    return pd.DataFrame.from_dict(rows, orient="index", columns=["mean", *names])

"""The historical rebalancing study: one fixed allocation through real market history.

The same span of monthly history is run under a grid of policies: every check frequency
crossed with every threshold (a threshold of 0 is plain calendar rebalancing), plus never
rebalancing. One row per policy compares what each rule did to the stock weight, to trading
and to the return.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core import metrics
from rebalance_widgets.core.markets.history import load_history, select_months
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.core.simulation.engine import simulate

__all__ = ["STUDY_COLUMNS", "history_study"]

STUDY_COLUMNS: tuple[str, ...] = (
    "check",
    "threshold",
    "policy",
    "average_stock_weight",
    "annual_turnover",
    "rebalance_count",
    "annualised_return",
    "annualised_volatility",
    "max_drawdown",
    "terminal_wealth",
)
"""Columns of :func:`history_study`, in order."""

_NOT_ASSETS = ("inflation", "cape", "long_rate")  # history columns that cannot be held
_MINIMUM_MONTHS = 12


def _check_target(target: Sequence[float], assets: tuple[str, ...]) -> np.ndarray:
    try:
        weights = np.asarray(target, dtype=float).ravel()
    except (TypeError, ValueError) as error:
        raise ValueError(f"Weights must be numbers such as 0.6 and 0.4; got {target!r}.") from error
    if weights.size != len(assets):
        raise ValueError(
            f"Give one weight per asset: {len(assets)} assets ({', '.join(assets)}) but "
            f"{weights.size} weights."
        )
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError("Weights must be zero or more; a fund cannot be held below 0%.")
    total = weights.sum()
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"Weights must add up to 100%; these add up to {total * 100:g}%.")
    return weights


def _check_assets(assets: Sequence[str], table: pd.DataFrame) -> tuple[str, ...]:
    names = (assets,) if isinstance(assets, str) else tuple(assets)
    allowed = [str(column) for column in table.columns if column not in _NOT_ASSETS]
    if not names:
        raise ValueError("Choose at least one asset, such as stocks and bonds.")
    for name in names:
        if name in _NOT_ASSETS:
            raise ValueError(f"{name!r} is not something a portfolio can hold; choose from "
                             f"{', '.join(allowed)}.")
        if name not in allowed:
            raise ValueError(f"Unknown asset {name!r}; choose from {', '.join(allowed)}.")
    if len(set(names)) != len(names):
        raise ValueError(f"Each asset may appear once; got {', '.join(names)}.")
    return names


def _history_table(history: pd.DataFrame | None) -> pd.DataFrame:
    """Return the embedded history, or check the table given instead."""
    if history is None:
        return load_history()
    if not isinstance(history, pd.DataFrame):
        raise ValueError("The history must be a table (DataFrame) of monthly returns.")
    return history


def _span_returns(table: pd.DataFrame, assets: tuple[str, ...], start: Any, end: Any
                  ) -> pd.DataFrame:
    """Cut the assets' monthly returns to the span and check them."""
    span = select_months(table, start, end).loc[:, list(assets)]
    if len(span) < _MINIMUM_MONTHS:
        first, last = span.index[0].strftime("%Y-%m"), span.index[-1].strftime("%Y-%m")
        raise ValueError(
            f"The span {first} to {last} has {len(span)} months; choose at least "
            f"{_MINIMUM_MONTHS}."
        )
    values = span.to_numpy(dtype=float)
    if not np.all(np.isfinite(values)) or np.any(values <= -1):
        raise ValueError("The history has missing months or returns of -100% or worse.")
    return span


def _grid(
    checks: Sequence[str], thresholds: Sequence[float], include_never: bool
) -> list[tuple[str, float, policies.Policy, str]]:
    """(check, threshold, policy, label) for every policy of the study."""
    checks = (checks,) if isinstance(checks, str) else tuple(checks)
    thresholds = tuple(thresholds)
    if checks and not thresholds:
        raise ValueError("Give at least one threshold; 0 means plain calendar rebalancing.")
    grid = []
    for check in checks:
        frequency = policies.Calendar(check)  # checks the name
        for threshold in thresholds:
            policy = policies.Threshold(absolute=threshold, check=frequency.every)
            band = "no band" if policy.absolute == 0 else f"{policy.absolute * 100:g}% band"
            label = f"{frequency.label}, {band}"
            grid.append((str(frequency.every), policy.absolute, policy, label))
    if include_never:
        never = policies.Never()
        grid.append(("never", np.nan, never, never.label))
    if not grid:
        raise ValueError("Choose at least one check frequency, or include never rebalancing.")
    return grid


def history_study(
    target: Sequence[float] = (0.6, 0.4),
    assets: Sequence[str] = ("stocks", "bonds"),
    start: Any = "1926-07",
    end: Any = None,
    checks: Sequence[str] = ("monthly", "quarterly", "annual"),
    thresholds: Sequence[float] = (0.0, 0.01, 0.05, 0.10),
    include_never: bool = True,
    cost_rate: float = 0.0,
    history: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Run one fixed allocation through history under a grid of rebalancing policies.

    Every policy replays the same months (one path, starting at 1 dollar at the target).
    For each check frequency and threshold the policy is
    ``policies.Threshold(absolute=threshold, check=frequency)``: on each check date it
    trades back to the target when some weight is more than ``threshold`` away from it, so a
    threshold of 0 is plain calendar rebalancing. Never rebalancing is added last.

    Parameters
    ----------
    target : sequence of float
        Target weights, one per asset, adding up to 1.
    assets : sequence of str
        History columns held (``stocks``, ``bonds``, ``bills``).
    start, end : str, datetime-like or None
        First and last month, both included (``"1926-07"``, ``"2000"``); ``None`` for the
        edge of the history. At least 12 months.
    checks : sequence of str
        Check frequencies: "monthly", "quarterly", "semiannual", "annual".
    thresholds : sequence of float
        Absolute bands in weight points (0.05 = 5 points), from 0 up to below 1.
    include_never : bool
        Add the never-rebalanced portfolio as the last row.
    cost_rate : float
        Trading cost as a share of the value traded (0.001 = 0.1%).
    history : pandas.DataFrame, optional
        Monthly returns with a monthly DatetimeIndex; the embedded history by default.

    Returns
    -------
    pandas.DataFrame
        One row per policy with the columns of ``STUDY_COLUMNS``: ``check`` (the frequency,
        or "never"), ``threshold`` (NaN for never), ``policy`` (a label such as "Quarterly,
        5% band"), ``average_stock_weight`` (mean weight of stocks over the months, or of
        the first asset when stocks are not held), and ``annual_turnover``,
        ``rebalance_count``, ``annualised_return`` (time-weighted, after costs),
        ``annualised_volatility``, ``max_drawdown``, ``terminal_wealth`` (of 1 dollar) as
        defined in :func:`rebalance_widgets.core.metrics.per_path`.

    Raises
    ------
    ValueError
        For weights that are negative or do not add up to 100%, unknown assets, a span
        outside the history or shorter than 12 months, an unknown check frequency, or a
        threshold or cost outside its range.

    Examples
    --------
    >>> table = history_study(start="2000", end="2009", checks=("annual",), thresholds=(0,))
    >>> table["policy"].tolist()
    ['Annual, no band', 'Never rebalance']
    """
    table = _history_table(history)
    names = _check_assets(assets, table)
    weights = _check_target(target, names)
    number = isinstance(cost_rate, int | float | np.number) and not isinstance(cost_rate, bool)
    if not number or not 0 <= cost_rate < 1:
        raise ValueError(
            f"The trading cost must be at least 0% and below 100% of the trade; got {cost_rate!r}."
        )
    grid = _grid(checks, thresholds, include_never)
    returns = _span_returns(table, names, start, end)
    stock = names.index("stocks") if "stocks" in names else 0
    columns = [f"average_weight_{names[stock]}", "annual_turnover", "rebalance_count", "cagr",
               "volatility", "max_drawdown", "terminal_wealth"]

    rows = []
    for check, threshold, policy, label in grid:
        result = simulate(returns, target=weights, policy=policy, initial_value=1.0,
                          cost_rate=float(cost_rate), periods_per_year=12)
        row = metrics.per_path(result, columns=columns).iloc[0]
        rows.append({
            "check": check,
            "threshold": threshold,
            "policy": label,
            "average_stock_weight": row[f"average_weight_{names[stock]}"],
            "annual_turnover": row["annual_turnover"],
            "rebalance_count": int(row["rebalance_count"]),
            "annualised_return": row["cagr"],
            "annualised_volatility": row["volatility"],
            "max_drawdown": row["max_drawdown"],
            "terminal_wealth": row["terminal_wealth"],
        })
    return pd.DataFrame(rows, columns=list(STUDY_COLUMNS))

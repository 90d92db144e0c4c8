"""Metrics of a simulation, one row per path, and their summary across paths.

Every function here reads only attributes of a result (``wealth``, ``weights``, ``target``,
``rebalanced``, ``buys``, ``sells``, ``costs``, ``taxes``, ``fees``, ``flows``,
``after_tax_wealth``, ``policy``, ``periods_per_year``, ``assets``), so it works on the
engine's ``SimulationResult`` and on any object with the same attributes.

Steps are numbered 0..T; step 0 is the starting portfolio, and the metrics about the journey
(returns, drift, trades) use steps 1..T. The fan-chart tables ``wealth_percentiles`` and
``weight_percentiles`` live in :mod:`rebalance_widgets.core.percentiles` and are re-exported
here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core.percentiles import (
    check_percentiles,
    percentile_name,
    wealth_percentiles,
    weight_percentiles,
)

__all__ = [
    "DEFAULT_BAND",
    "per_path",
    "period_returns",
    "summarise",
    "wealth_percentiles",
    "weight_percentiles",
]

DEFAULT_BAND = 0.05
"""Band (absolute weight points) used by ``time_outside_band`` when neither the caller nor
the policy gives one."""

_BAND_TOLERANCE = 1e-9  # a weight this close to the band's edge counts as inside it


def _array(result: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Return ``result.<name>`` as a float array of ``shape``; zeros when it is missing."""
    value = getattr(result, name, None)
    if value is None:
        return np.zeros(shape)
    value = np.asarray(value, dtype=float)
    if value.shape != shape:
        raise ValueError(f"The result's {name} has shape {value.shape}; expected {shape}.")
    return value


def _divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Divide where the denominator is positive; 0 elsewhere (an empty portfolio)."""
    out = np.zeros(np.broadcast(numerator, denominator).shape)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _wealth(result: Any) -> np.ndarray:
    wealth = np.asarray(result.wealth, dtype=float)
    if wealth.ndim != 2 or wealth.shape[1] < 2:
        raise ValueError(
            f"The result's wealth must have shape (paths, periods + 1) with at least one "
            f"period; it has shape {wealth.shape}."
        )
    return wealth


def period_returns(result: Any) -> np.ndarray:
    """Time-weighted return of every period, net of cash flows.

    Parameters
    ----------
    result : SimulationResult
        Anything with ``wealth`` (P, T+1) and, optionally, ``flows`` (P, T+1).

    Returns
    -------
    numpy.ndarray
        Shape (P, T). Entry ``t-1`` is ``r_t = (W_t - F_t) / W_{t-1} - 1``: the growth of
        the money that was invested at the start of period t, after costs, taxes and fees
        but not counting the contribution or withdrawal ``F_t``. A period that starts with
        an empty portfolio has return 0.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> run = SimpleNamespace(wealth=np.array([[100.0, 110.0, 160.0]]),
    ...                       flows=np.array([[0.0, 0.0, 50.0]]))
    >>> period_returns(run).round(4).tolist()
    [[0.1, 0.0]]
    """
    wealth = _wealth(result)
    flows = _array(result, "flows", wealth.shape)
    start = wealth[:, :-1]
    return _divide(wealth[:, 1:] - flows[:, 1:], start) - (start > 0)


def _growth_index(returns: np.ndarray) -> np.ndarray:
    """Growth of 1 invested at step 0, shape (P, T+1), from per-period returns."""
    ones = np.ones((returns.shape[0], 1))
    return np.concatenate([ones, np.cumprod(1.0 + returns, axis=1)], axis=1)


def _worst_window(returns: np.ndarray, growth: np.ndarray, length: int) -> np.ndarray:
    """Worst compounded return over any ``length`` consecutive periods (NaN if too short)."""
    if returns.shape[1] < length:
        return np.full(returns.shape[0], np.nan)
    if np.all(growth > 0):  # G_{s+n} / G_s is the window's growth; fast and exact enough
        return (growth[:, length:] / growth[:, :-length]).min(axis=1) - 1.0
    windows = np.lib.stride_tricks.sliding_window_view(1.0 + returns, length, axis=1)
    return windows.prod(axis=2).min(axis=1) - 1.0


def _across_assets(function: np.ufunc, values: np.ndarray) -> np.ndarray:
    """Reduce the last (asset) axis with a loop over the few assets; faster than axis=-1."""
    out = values[..., 0].copy()
    for index in range(1, values.shape[-1]):
        function(out, values[..., index], out=out)
    return out


def _policy_band(result: Any, target: np.ndarray) -> np.ndarray:
    """Band of every step (T+1, A) from the policy, or the default band."""
    band_width = getattr(getattr(result, "policy", None), "band_width", None)
    if band_width is None:
        return np.full(target.shape, DEFAULT_BAND)
    rows, position = np.unique(target, axis=0, return_inverse=True)
    bands = []
    for row in rows:
        width = band_width(row)
        bands.append(np.full(row.shape, DEFAULT_BAND) if width is None else width)
    return np.asarray(bands, dtype=float).reshape(rows.shape)[position.ravel()]


def _band(result: Any, band: float | Sequence[float] | None, target: np.ndarray) -> np.ndarray:
    if band is None:
        return _policy_band(result, target)
    widths = np.broadcast_to(np.asarray(band, dtype=float), target.shape[1:])
    if not np.all(np.isfinite(widths)) or np.any(widths < 0):
        raise ValueError(f"The band must be zero or more weight points; got {band!r}.")
    return np.broadcast_to(widths, target.shape)


def _goal(goal: float | None) -> float | None:
    if goal is None:
        return None
    if isinstance(goal, bool) or not isinstance(goal, int | float | np.number):
        raise ValueError(f"The goal must be a number of dollars; got {goal!r}.")
    if not np.isfinite(goal) or goal < 0:
        raise ValueError(f"The goal must be zero or more dollars; got {goal}.")
    return float(goal)


def per_path(
    result: Any,
    goal: float | None = None,
    band: float | Sequence[float] | None = None,
) -> pd.DataFrame:
    """Metrics of every simulated path.

    Definitions (W_t wealth, F_t cash flow at step t, T periods, ppy periods per year,
    years = T / ppy; sums and averages over steps 1..T unless stated):

    - ``terminal_wealth``: W_T. ``after_tax_wealth``: the result's after-tax wealth (W_T
      when the result has none).
    - ``cagr``: annualised time-weighted return. Chain r_t = (W_t - F_t) / W_{t-1} - 1 into
      the growth index G_T = prod(1 + r_t), then G_T ** (ppy / T) - 1. Contributions and
      withdrawals do not count as growth; with no flows it equals (W_T / W_0) ** (ppy/T) - 1.
    - ``volatility``: sample standard deviation (ddof=1) of the r_t, times sqrt(ppy);
      NaN with a single period.
    - ``max_drawdown``: the largest fall of the growth index G_t from its running peak,
      min_t (G_t / max_{s<=t} G_s - 1), as a negative fraction (0 when it never falls).
    - ``worst_12_months``: the worst compounded return over any ppy consecutive periods
      (one year); NaN when the run is shorter than a year.
    - drift at a step, measured on the recorded (after-trade) weights w against the target
      in force: the largest gap max_i |w_i - target_i| and the total drift
      sum_i |w_i - target_i| / 2 (the share of the portfolio in the wrong place).
      ``average_drift`` and ``largest_drift`` are the mean and maximum of the largest gap;
      ``average_total_drift`` is the mean of the total drift.
    - ``average_weight_<asset>``: mean recorded weight of each asset.
    - ``time_outside_band``: fraction of steps where some |w_i - target_i| exceeds the band
      (by more than 1e-9). The weights are the pre-trade weights (after growth and cash
      flows, before the policy trades) when the result records them as
      ``weights_before_trade``, so it shows how often the portfolio drifted out of the band;
      otherwise the recorded after-trade weights. The band is ``band`` if given, else the
      policy's ``band_width(target)``, else ``DEFAULT_BAND`` (0.05).
    - ``rebalance_count``: number of steps with a trade; ``rebalances_per_year``: that
      divided by years.
    - ``annual_turnover``: sum of min(buys_t, sells_t) / W_t, divided by years. Taking the
      smaller side ignores money that only arrives or leaves (a contribution has no sells).
    - ``costs_paid``, ``taxes_paid``, ``fees_paid``: dollar sums over all steps.
    - ``reached_goal`` (only when ``goal`` is given): W_T >= goal.

    Parameters
    ----------
    result : SimulationResult
        The engine's result, or any object with the same attributes.
    goal : float, optional
        Dollar goal for ``reached_goal``; zero or more.
    band : float or sequence of float, optional
        Band for ``time_outside_band`` in weight points, one number or one per asset.

    Returns
    -------
    pandas.DataFrame
        One row per path (index ``path``), one column per metric.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> run = SimpleNamespace(
    ...     wealth=np.array([[100.0, 110.0, 121.0]]),
    ...     weights=np.full((1, 3, 2), 0.5), target=np.full((3, 2), 0.5),
    ...     rebalanced=np.zeros((1, 3), bool), periods_per_year=2, assets=("a", "b"))
    >>> round(float(per_path(run)["cagr"].iloc[0]), 4)
    0.21
    """
    goal = _goal(goal)
    wealth = _wealth(result)
    paths, steps = wealth.shape
    periods = steps - 1
    ppy = float(result.periods_per_year)
    if not ppy > 0:
        raise ValueError(f"Periods per year must be positive; got {result.periods_per_year}.")
    years = periods / ppy
    assets = [str(name) for name in result.assets]
    weights = np.asarray(result.weights, dtype=float)
    target = np.asarray(result.target, dtype=float)
    if target.ndim == 1:
        target = np.broadcast_to(target, (steps, target.size))
    if weights.shape != (paths, steps, len(assets)) or target.shape != weights.shape[1:]:
        raise ValueError(
            f"The result's weights {weights.shape} and target {target.shape} do not match "
            f"{paths} paths, {steps} steps and {len(assets)} assets."
        )
    rebalanced = np.asarray(result.rebalanced, dtype=bool)[:, 1:]
    returns = period_returns(result)
    growth = _growth_index(returns)

    columns: dict[str, np.ndarray] = {}
    columns["terminal_wealth"] = wealth[:, -1]
    after_tax = getattr(result, "after_tax_wealth", None)
    columns["after_tax_wealth"] = (
        wealth[:, -1] if after_tax is None else np.asarray(after_tax, dtype=float)
    )
    with np.errstate(invalid="ignore"):
        columns["cagr"] = np.maximum(growth[:, -1], 0.0) ** (ppy / periods) - 1.0
    if periods > 1:
        columns["volatility"] = returns.std(axis=1, ddof=1) * np.sqrt(ppy)
    else:
        columns["volatility"] = np.full(paths, np.nan)
    peak = np.maximum.accumulate(growth, axis=1)
    columns["max_drawdown"] = np.minimum((_divide(growth, peak) - 1.0).min(axis=1), 0.0)
    columns["worst_12_months"] = _worst_window(returns, growth, max(round(ppy), 1))

    gaps = np.abs(weights[:, 1:] - target[1:])
    largest_gap = _across_assets(np.maximum, gaps)
    columns["average_drift"] = largest_gap.mean(axis=1)
    columns["largest_drift"] = largest_gap.max(axis=1)
    columns["average_total_drift"] = (_across_assets(np.add, gaps) / 2).mean(axis=1)
    for index, name in enumerate(assets):
        columns[f"average_weight_{name}"] = weights[:, 1:, index].mean(axis=1)

    checked = weights
    if getattr(result, "weights_before_trade", None) is not None:
        checked = _array(result, "weights_before_trade", weights.shape)
    widths = _band(result, band, target)[1:]
    outside = np.abs(checked[:, 1:] - target[1:]) > widths + _BAND_TOLERANCE
    columns["time_outside_band"] = _across_assets(np.logical_or, outside).mean(axis=1)

    columns["rebalance_count"] = rebalanced.sum(axis=1)
    columns["rebalances_per_year"] = columns["rebalance_count"] / years
    traded = np.minimum(_array(result, "buys", wealth.shape), _array(result, "sells", wealth.shape))
    columns["annual_turnover"] = _divide(traded[:, 1:], wealth[:, 1:]).sum(axis=1) / years
    for paid, name in (("costs_paid", "costs"), ("taxes_paid", "taxes"), ("fees_paid", "fees")):
        columns[paid] = _array(result, name, wealth.shape).sum(axis=1)
    if goal is not None:
        columns["reached_goal"] = wealth[:, -1] >= goal
    return pd.DataFrame(columns, index=pd.RangeIndex(paths, name="path"))


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

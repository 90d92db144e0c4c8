"""Metrics of a simulation, one row per path.

Every function here reads only attributes of a result (``wealth``, ``weights``, ``target``,
``rebalanced``, ``buys``, ``sells``, ``costs``, ``taxes``, ``fees``, ``flows``,
``after_tax_wealth``, ``policy``, ``periods_per_year``, ``assets``), so it works on the
engine's ``SimulationResult`` and on any object with the same attributes.

Steps are numbered 0..T; step 0 is the starting portfolio, and the metrics about the journey
(returns, drift, trades) use steps 1..T. ``per_path(..., columns=[...])`` computes only the
metrics asked for; the arithmetic, along the engine's step-major storage, is in
:mod:`rebalance_widgets.core.metrics.paths`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core.metrics.paths import COLUMNS, Paths, returns_down_steps

__all__ = ["DEFAULT_BAND", "column_names", "per_path", "period_returns"]

DEFAULT_BAND = 0.05
"""Band (absolute weight points) used by ``time_outside_band`` when neither the caller nor
the policy gives one."""

def _array(result: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Return ``result.<name>`` as a float array of ``shape``; zeros when it is missing."""
    value = getattr(result, name, None)
    if value is None:
        return np.zeros(shape)
    value = np.asarray(value, dtype=float)
    if value.shape != shape:
        raise ValueError(f"The result's {name} has shape {value.shape}; expected {shape}.")
    return value


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
    flows = None
    if getattr(result, "flows", None) is not None:
        flows = _array(result, "flows", wealth.shape).T
    return returns_down_steps(wealth.T, flows).T


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


def column_names(assets: Sequence[str], goal: bool = False) -> list[str]:
    """Names of the columns of :func:`per_path`, in order.

    Parameters
    ----------
    assets : sequence of str
        The result's asset names (one ``average_weight_<asset>`` column each).
    goal : bool, default False
        Whether a goal is given (adds ``reached_goal``).

    Returns
    -------
    list of str
        The column names.

    Examples
    --------
    >>> column_names(("stocks", "bonds"))[9:11]
    ['average_weight_stocks', 'average_weight_bonds']
    """
    names = list(COLUMNS)
    at = names.index("average_total_drift") + 1
    names[at:at] = [f"average_weight_{name}" for name in assets]
    return [*names, "reached_goal"] if goal else names


def _columns(columns: Sequence[str] | None, names: list[str], goal: float | None
             ) -> list[str]:
    """Check the requested columns against the names ``per_path`` can compute."""
    if columns is None:
        return names
    wanted = [columns] if isinstance(columns, str) else [str(name) for name in columns]
    for name in wanted:
        if name == "reached_goal" and goal is None:
            raise ValueError("Give a goal in dollars to know which paths reached it.")
        if name not in names:
            raise ValueError(f"Unknown metric {name!r}; choose from {', '.join(names)}.")
    if len(set(wanted)) != len(wanted):
        raise ValueError("Each metric may be asked for only once.")
    return wanted


def per_path(
    result: Any,
    goal: float | None = None,
    band: float | Sequence[float] | None = None,
    columns: Sequence[str] | None = None,
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
    columns : sequence of str, optional
        Compute only these metrics, in this order (see :func:`column_names`); all of them
        by default. Asking for fewer is faster: each metric costs a few passes over the
        steps and paths.

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
    ppy = float(result.periods_per_year)
    if not ppy > 0:
        raise ValueError(f"Periods per year must be positive; got {result.periods_per_year}.")
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
    wanted = _columns(columns, column_names(assets, goal is not None), goal)
    if band is not None:
        widths = _band(result, band, target)  # a bad band is reported even if unused

    def band_widths() -> np.ndarray:
        return widths if band is not None else _band(result, None, target)

    found = Paths(result, wealth, weights, target, band_widths)
    values: dict[str, np.ndarray] = {}
    for name in wanted:
        if name == "reached_goal":
            values[name] = wealth[:, -1] >= goal
        elif name.startswith("average_weight_") and name not in COLUMNS:
            index = assets.index(name.removeprefix("average_weight_"))
            values[name] = found.weights[1:, index].mean(axis=0)
        else:
            values[name] = COLUMNS[name](found)
    return pd.DataFrame(values, index=pd.RangeIndex(paths, name="path"), columns=wanted)

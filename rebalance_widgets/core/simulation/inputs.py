"""Checks and shapes the inputs of ``simulate``; every problem becomes a plain ValueError.

The messages are written so that a widget can show them to a learner as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core._checks import is_number

__all__ = [
    "as_assets",
    "as_cash_flows",
    "as_fraction",
    "as_returns",
    "as_target",
    "format_percent",
]

WEIGHT_TOLERANCE = 1e-9


def format_percent(value: float) -> str:
    """Write a fraction as a percentage with no needless digits (0.9 -> "90%").

    Parameters
    ----------
    value : float
        A fraction.

    Returns
    -------
    str
        The percentage.

    Examples
    --------
    >>> format_percent(0.905)
    '90.5%'
    """
    return f"{round(float(value) * 100, 6):g}%"


def as_returns(returns: Any) -> tuple[np.ndarray, tuple[str, ...] | None, float]:
    """Return the returns as a float array (P, T, A), the asset names if known, the lowest.

    Parameters
    ----------
    returns : array-like or pandas.DataFrame
        (n_paths, n_periods, n_assets), (n_periods, n_assets) for one path, or a DataFrame
        with one row per period and one column per asset.

    Returns
    -------
    tuple
        The returns, the column names of a DataFrame (else ``None``) and the lowest return.
    """
    names = None
    if isinstance(returns, pd.DataFrame):
        names = tuple(str(column) for column in returns.columns)
        try:
            returns = returns.to_numpy(dtype=float)
        except (TypeError, ValueError) as error:
            raise ValueError("Every return must be a number.") from error
    try:
        array = np.asarray(returns, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError("Every return must be a number.") from error
    if array.ndim == 2:
        array = array[np.newaxis]
    if array.ndim != 3:
        raise ValueError(
            f"Returns must be a table of periods x assets, or paths x periods x assets; "
            f"got an array with {array.ndim} dimension(s)."
        )
    paths, periods, assets = array.shape
    if paths == 0 or periods == 0 or assets == 0:
        raise ValueError(
            f"Returns need at least one path, one period and one asset; got shape "
            f"{array.shape}."
        )
    lowest, highest = array.min(), array.max()  # a NaN makes both NaN
    if not (np.isfinite(lowest) and np.isfinite(highest)):
        raise ValueError("Every return must be a finite number; found a missing or infinite one.")
    if lowest < -1.0:
        place = np.unravel_index(int(np.argmin(array)), array.shape)
        raise ValueError(
            f"A return cannot be below -100% (an asset cannot lose more than all of its "
            f"value); found {format_percent(lowest)} in path {place[0] + 1}, period "
            f"{place[1] + 1}, asset {place[2] + 1}."
        )
    return array, names, float(lowest)


def as_assets(
    given: Sequence[str] | None, from_returns: tuple[str, ...] | None, count: int
) -> tuple[str, ...]:
    """Return the asset names: given ones, else a DataFrame's columns, else asset_1, ...

    Parameters
    ----------
    given : sequence of str or None
        Names passed by the caller.
    from_returns : tuple of str or None
        Names taken from a returns DataFrame.
    count : int
        Number of assets.

    Returns
    -------
    tuple of str
        One name per asset.
    """
    if given is None:
        names = from_returns or tuple(f"asset_{i + 1}" for i in range(count))
    else:
        names = (given,) if isinstance(given, str) else tuple(str(name) for name in given)
    if len(names) != count:
        raise ValueError(f"There are {count} assets in the returns but {len(names)} names.")
    if len(set(names)) != len(names):
        raise ValueError("Each asset needs its own name; some names repeat.")
    return names


def as_target(target: Any, periods: int, assets: int) -> np.ndarray:
    """Return the target weights of every step, shape (T+1, A).

    Parameters
    ----------
    target : array-like
        (n_assets,) for a fixed mix, or (n_periods + 1, n_assets) for a glide path whose
        row t is the target in force at step t.
    periods : int
        Number of periods T.
    assets : int
        Number of assets A.

    Returns
    -------
    numpy.ndarray
        A read-only float array of shape (T+1, A).
    """
    if isinstance(target, pd.DataFrame | pd.Series):
        target = target.to_numpy()
    try:
        weights = np.array(target, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError("Target weights must be numbers.") from error
    if weights.ndim == 1:
        if weights.size != assets:
            raise ValueError(
                f"Give one target weight per asset: there are {assets} assets but "
                f"{weights.size} weights."
            )
        weights = np.broadcast_to(weights, (periods + 1, assets)).copy()
    elif weights.ndim == 2:
        if weights.shape != (periods + 1, assets):
            raise ValueError(
                f"A changing target needs one row per step (periods + 1 = {periods + 1}) and "
                f"one column per asset ({assets}); got {weights.shape[0]} rows and "
                f"{weights.shape[1]} columns."
            )
    else:
        raise ValueError("Target weights must be a list of weights or a table of them.")
    if not np.isfinite(weights).all():
        raise ValueError("Target weights must be finite numbers.")
    if (weights < 0).any():
        raise ValueError(
            f"Target weights cannot be negative; found {format_percent(weights.min())}."
        )
    totals = weights.sum(axis=1)
    wrong = np.flatnonzero(np.abs(totals - 1.0) > WEIGHT_TOLERANCE)
    if wrong.size:
        step = int(wrong[0])
        where = "" if np.ndim(target) == 1 else f" at step {step}"
        raise ValueError(
            f"Weights must add up to 100%; these{where} add up to "
            f"{format_percent(totals[step])}."
        )
    weights.flags.writeable = False
    return weights


def as_cash_flows(cash_flows: Any, paths: int, periods: int) -> np.ndarray | None:
    """Return the cash flows of every period, or ``None`` if there are none.

    Parameters
    ----------
    cash_flows : None, float, array-like
        Dollars added (>0) or taken (<0) at each step: one number for every period,
        (n_periods,), or (n_paths, n_periods).
    paths : int
        Number of paths P.
    periods : int
        Number of periods T.

    Returns
    -------
    numpy.ndarray or None
        Time-major flows: (T,) when every path gets the same flows, else (T, P).
    """
    if cash_flows is None:
        return None
    if isinstance(cash_flows, pd.Series | pd.DataFrame):
        cash_flows = cash_flows.to_numpy()
    try:
        flows = np.asarray(cash_flows, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError("Cash flows must be numbers of dollars.") from error
    if not np.isfinite(flows).all():
        raise ValueError("Cash flows must be finite numbers of dollars.")
    if flows.ndim == 0:
        out = np.full(periods, float(flows))
    elif flows.ndim == 1:
        if flows.size != periods:
            raise ValueError(
                f"Give one cash flow per period: there are {periods} periods but "
                f"{flows.size} cash flows."
            )
        out = flows.copy()
    elif flows.ndim == 2:
        if flows.shape != (paths, periods):
            raise ValueError(
                f"Cash flows per path must have shape (paths, periods) = ({paths}, "
                f"{periods}); got {flows.shape}."
            )
        out = np.ascontiguousarray(flows.T)
    else:
        raise ValueError("Cash flows must be one number, one per period, or paths x periods.")
    return out if out.any() else None


def as_fraction(value: Any, what: str, upper: float = 1.0) -> float:
    """Return ``value`` as a float in [0, upper), or say clearly what is wrong.

    Parameters
    ----------
    value : float
        The number to check.
    what : str
        What it is, for the message ("The trading cost").
    upper : float
        The value must be below this.

    Returns
    -------
    float
        The checked value.
    """
    if not is_number(value):
        raise ValueError(f"{what} must be a number; got {value!r}.")
    value = float(value)
    if not np.isfinite(value) or value < 0 or value >= upper:
        raise ValueError(
            f"{what} must be at least 0% and below {format_percent(upper)}; got "
            f"{format_percent(value)}."
        )
    return value

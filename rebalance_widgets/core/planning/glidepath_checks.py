"""Input checks and small helpers shared by the glide path builders.

Each check raises a ``ValueError`` whose message a widget can show as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import isfinite

import numpy as np

from rebalance_widgets.core._checks import is_number

__all__ = [
    "MAX_YEARS",
    "check_age",
    "check_number",
    "check_periods",
    "check_rows",
    "check_share",
    "split_rest",
]

MAX_YEARS = 100
_TOLERANCE = 1e-9


def check_rows(weights: np.ndarray, asset_names: Sequence[str]) -> None:
    """Check a weights table: 2-D, one column per name, shares 0..1, rows adding up to 1."""
    if weights.ndim != 2 or weights.shape[0] < 1:
        raise ValueError(
            "A glide path needs a 2-D array: one row per period, one column per asset."
        )
    if weights.shape[1] != len(asset_names):
        raise ValueError(
            f"There are {weights.shape[1]} columns of weights but {len(asset_names)} asset names."
        )
    if not np.isfinite(weights).all():
        raise ValueError("Every weight must be a number (no blanks).")
    if (weights < -_TOLERANCE).any() or (weights > 1 + _TOLERANCE).any():
        raise ValueError("Every share must be between 0% and 100%.")
    sums = weights.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-6)
    if bad.size:
        raise ValueError(
            f"Weights must add up to 100%; row {bad[0]} adds up to {sums[bad[0]] * 100:.4g}%."
        )


def check_number(value: object, what: str) -> float:
    """Return ``value`` as a float, or say that ``what`` must be a number."""
    if not is_number(value):
        raise ValueError(f"{what} must be a number; got {value!r}.")
    value = float(value)
    if not isfinite(value):
        raise ValueError(f"{what} must be a number; got {value!r}.")
    return value


def check_share(value: object, what: str) -> float:
    """Return a share between 0 and 1, hinting at 0.9 when 90 was typed."""
    value = check_number(value, what)
    if not 0 <= value <= 1:
        hint = f" Did you mean {value / 100:g}?" if 1 < value <= 100 else ""
        raise ValueError(f"{what} must be between 0 and 1 (90% is 0.9); got {value:g}.{hint}")
    return value


def check_age(value: object, what: str) -> float:
    """Return an age between 0 and 120."""
    value = check_number(value, what)
    if not 0 <= value <= 120:
        raise ValueError(f"{what} must be between 0 and 120; got {value:g}.")
    return value


def check_periods(years: float, periods_per_year: int) -> int:
    """Return the whole number of periods in ``years``."""
    if periods_per_year not in (1, 2, 4, 12, 24, 26, 52):
        raise ValueError(
            f"Periods per year must be 1, 2, 4, 12, 24, 26 or 52; got {periods_per_year!r}."
        )
    if years > MAX_YEARS:
        raise ValueError(f"A glide path can span at most {MAX_YEARS} years; got {years:g}.")
    n = years * periods_per_year
    if abs(n - round(n)) > 1e-9:
        raise ValueError(
            f"{years:g} years is not a whole number of periods at {periods_per_year} a year."
        )
    return int(round(n))


def split_rest(stocks: np.ndarray, cash_of_rest: float | None) -> tuple[np.ndarray, tuple]:
    """Return the weights table and names: stocks, then the rest as bonds (and cash)."""
    rest = 1.0 - stocks
    if cash_of_rest is None:
        return np.column_stack([stocks, rest]), ("stocks", "bonds")
    cash_share = check_share(cash_of_rest, "The cash part of the rest (cash_of_rest)")
    cash = rest * cash_share
    return np.column_stack([stocks, rest - cash, cash]), ("stocks", "bonds", "cash")

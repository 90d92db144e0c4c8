"""Small input checks shared by the core modules.

Each check raises a ``ValueError`` whose message a widget can show as it is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["check_count", "check_fraction", "is_number", "is_whole_number"]


def is_number(value: object) -> bool:
    """Say whether ``value`` is an int, a float or a numpy number (``True`` is not a number).

    Examples
    --------
    >>> is_number(0.5), is_number(True), is_number("1")
    (True, False, False)
    """
    return not isinstance(value, bool) and isinstance(value, int | float | np.number)


def is_whole_number(value: object) -> bool:
    """Say whether ``value`` is a Python or numpy int (``3.0`` and ``True`` are not)."""
    return not isinstance(value, bool) and isinstance(value, int | np.integer)


def check_count(value: Any, what: str) -> int:
    """Return ``value`` as an int if it is a whole number of at least 1.

    Parameters
    ----------
    value : int
        The number to check.
    what : str
        What is counted, in plain words (``"paths"``, ``"months"``).

    Returns
    -------
    int
        The same number.

    Raises
    ------
    ValueError
        If ``value`` is not a whole number of at least 1.

    Examples
    --------
    >>> check_count(12, "months")
    12
    """
    if not is_whole_number(value) or value < 1:
        raise ValueError(
            f"The number of {what} must be a whole number of at least 1; got {value!r}."
        )
    return int(value)


def check_fraction(value: Any, subject: str) -> float:
    """Return ``value`` as a float if it is a number at least 0 and below 1.

    Parameters
    ----------
    value : float
        The fraction to check (0.15 for 15%).
    subject : str
        What it is, starting a sentence (``"The tax rate"``).

    Returns
    -------
    float
        The same number.

    Raises
    ------
    ValueError
        If ``value`` is not a number, or is below 0% or at least 100%.

    Examples
    --------
    >>> check_fraction(0.15, "The tax rate")
    0.15
    """
    if not is_number(value):
        raise ValueError(f"{subject} must be a number; got {value!r}.")
    value = float(value)
    if not np.isfinite(value) or value < 0 or value >= 1:
        raise ValueError(f"{subject} must be at least 0% and below 100%; got {value * 100:g}%.")
    return value

"""Embedded yearly US market history, 1928 to 2025 (Damodaran's table).

The table ships with the package (``rebalance_widgets/data/history_yearly.csv``; its source,
terms and how it compares with the monthly history are in
``rebalance_widgets/data/README.md``). One row per calendar year; ``stocks`` (S&P 500 total
return), ``bonds`` (10-year Treasury note total return), ``bills`` (3-month Treasury bill
return) and ``inflation`` (CPI-U) as yearly simple returns (0.01 = 1%). Load it with
``load_history(frequency="yearly")``; this module only reads it and picks years.

Source: Aswath Damodaran (NYU Stern School of Business), "Historical Returns on Stocks,
Bonds and Bills: 1928-2025".
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd

YEARLY_COLUMNS: tuple[str, ...] = ("stocks", "bonds", "bills", "inflation")
"""Columns of the yearly history, all yearly simple returns."""


@lru_cache(maxsize=1)
def read_yearly() -> pd.DataFrame:
    """Read the packaged yearly table (cached; callers must copy before changing it).

    Returns
    -------
    pandas.DataFrame
        Shape (98, 4) for 1928-2025: index ``year`` (int), float columns
        :data:`YEARLY_COLUMNS`.
    """
    source = files("rebalance_widgets.data").joinpath("history_yearly.csv")
    with source.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, index_col="year")
    table.index = pd.Index(table.index.astype(np.int64), name="year")
    return table.loc[:, list(YEARLY_COLUMNS)].astype(np.float64)


def _to_year(value: Any, *, what: str) -> int:
    """Read a year: 1990, "1990", or any date inside it ("1990-06", a Timestamp)."""
    if isinstance(value, bool):
        raise ValueError(f"The {what} year {value!r} is not a year; write it like 1990.")
    if isinstance(value, (int, np.integer)):
        return int(value)
    try:
        period = pd.Period(value, freq="Y")
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"The {what} year {value!r} is not a year; write it like 1990 or '1990'."
        ) from error
    if period is pd.NaT:
        raise ValueError(f"The {what} year is missing; write it like 1990 or '1990'.")
    return int(period.year)


def select_years(frame: pd.DataFrame, start: Any = None, end: Any = None) -> pd.DataFrame:
    """Cut a yearly table to the years from ``start`` to ``end``, both included.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table indexed by consecutive whole years.
    start, end : int, str, datetime-like or None
        First and last year kept: ``1990``, ``"1990"``, or a date inside the year
        (``"1990-06"`` means 1990). ``None`` keeps the table's own edge.

    Returns
    -------
    pandas.DataFrame
        The selected rows.

    Raises
    ------
    ValueError
        If a year cannot be read, the span is empty, or it reaches outside the table.

    Examples
    --------
    >>> table = pd.DataFrame({"a": [0.1, 0.2, 0.3]}, index=[2000, 2001, 2002])
    >>> list(select_years(table, "2001", 2002).index)
    [2001, 2002]
    """
    if len(frame.index) == 0:
        raise ValueError("The yearly history is empty.")
    first, last = int(frame.index[0]), int(frame.index[-1])
    begin = first if start is None else _to_year(start, what="start")
    finish = last if end is None else _to_year(end, what="end")
    span = f"{first} to {last}"
    if begin < first:
        raise ValueError(f"The yearly history covers {span}; a start of {begin} is too early.")
    if finish > last:
        raise ValueError(f"The yearly history covers {span}; an end of {finish} is too late.")
    if finish < begin:
        raise ValueError(f"The end ({finish}) comes before the start ({begin}).")
    return frame.loc[begin:finish]

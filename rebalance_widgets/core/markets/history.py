"""Embedded US market history: monthly 1926-07 to 2022-11, yearly 1928 to 2025.

The monthly table ships with the package (``rebalance_widgets/data/history.csv``; its
sources, terms, splices and citation are in ``rebalance_widgets/data/README.md``). Returns
are monthly simple returns (0.01 = 1%); ``cape`` and ``long_rate`` are levels at the month.
``load_history(frequency="yearly")`` returns the yearly table instead
(:mod:`rebalance_widgets.core.markets.yearly`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core.markets.yearly import YEARLY_COLUMNS, read_yearly, select_years

RETURN_COLUMNS: tuple[str, ...] = ("stocks", "bonds", "bills", "inflation")
"""Columns that hold monthly simple returns."""

LEVEL_COLUMNS: tuple[str, ...] = ("cape", "long_rate")
"""Columns that hold a level at the month (a ratio, or a yield as a decimal)."""

HISTORY_COLUMNS: tuple[str, ...] = RETURN_COLUMNS + LEVEL_COLUMNS

MONTHLY_SPAN: tuple[str, str] = ("1926-07", "2022-11")
"""First and last month of the monthly history (``load_history()``)."""

YEARLY_SPAN: tuple[int, int] = (1928, 2025)
"""First and last year of the yearly history (``load_history(frequency="yearly")``)."""

FREQUENCIES: tuple[str, ...] = ("monthly", "yearly")
"""Values accepted by ``load_history(frequency=...)``."""

_DESCRIPTIONS = {
    "stocks": "US stock market total return",
    "bonds": "10-year Treasury total return",
    "bills": "Treasury bill return (one-month to 2018, then a yearly rate spread evenly)",
    "inflation": "CPI inflation",
    "cape": "cyclically adjusted price/earnings ratio (CAPE)",
    "long_rate": "10-year Treasury yield",
}


@lru_cache(maxsize=1)
def _read_history() -> pd.DataFrame:
    source = files("rebalance_widgets.data").joinpath("history.csv")
    with source.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype={"date": str})
    table.index = pd.DatetimeIndex(pd.to_datetime(table.pop("date"), format="%Y-%m"), freq="MS")
    table.index.name = "date"
    return table.astype(np.float64)


def _month_label(month: pd.Timestamp) -> str:
    return month.strftime("%Y-%m")


def _to_month(value: Any, *, edge: str, what: str) -> pd.Timestamp:
    """Read a date as a month; a bare year is January (``edge="start"``) or December."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = str(int(value))  # a whole number is a year, never a count of months
    try:
        period = pd.Period(value) if isinstance(value, str) else pd.Period(value, freq="M")
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"The {what} date {value!r} is not a date; write it like '1990-01' or '1990'."
        ) from error
    if period is pd.NaT:
        raise ValueError(f"The {what} date is missing; write it like '1990-01' or '1990'.")
    stamp = period.start_time if edge == "start" else period.end_time
    return stamp.to_period("M").to_timestamp()


def select_months(frame: pd.DataFrame, start: Any = None, end: Any = None) -> pd.DataFrame:
    """Cut a monthly table to the months from ``start`` to ``end``, both included.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table with a monthly (month-start) DatetimeIndex.
    start, end : str, datetime-like or None
        First and last month kept. A bare year such as ``"2000"`` means January of that
        year as a start and December as an end. ``None`` keeps the table's own edge.

    Returns
    -------
    pandas.DataFrame
        The selected rows (a view-free copy is the caller's choice).

    Raises
    ------
    ValueError
        If a date cannot be read, the span is empty, or it reaches outside the table.

    Examples
    --------
    >>> table = load_history()
    >>> select_months(table, "2000", "2000").shape[0]
    12
    """
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise ValueError("The history table needs dates as its index to choose start and end.")
    if len(frame.index) == 0:
        raise ValueError("The history table is empty.")
    first, last = frame.index[0], frame.index[-1]
    span = f"{_month_label(first)} to {_month_label(last)}"
    begin = first if start is None else _to_month(start, edge="start", what="start")
    finish = last if end is None else _to_month(end, edge="end", what="end")
    if begin < first:
        raise ValueError(
            f"The history covers {span}; a start of {_month_label(begin)} is too early."
        )
    if finish > last:
        raise ValueError(
            f"The history covers {span}; an end of {_month_label(finish)} is too late."
        )
    if finish < begin:
        raise ValueError(
            f"The end ({_month_label(finish)}) comes before the start ({_month_label(begin)})."
        )
    return frame.loc[begin:finish]


def check_columns(
    columns: Iterable[str], allowed: Iterable[str] = HISTORY_COLUMNS
) -> tuple[str, ...]:
    """Check column names against the history and return them as a tuple.

    Parameters
    ----------
    columns : iterable of str
        The names asked for, in the order wanted.
    allowed : iterable of str, default all history columns
        The names that may be used here.

    Returns
    -------
    tuple of str
        The names, unchanged.

    Raises
    ------
    ValueError
        If a name is unknown, repeated, or none is given.

    Examples
    --------
    >>> check_columns(["stocks", "bonds"])
    ('stocks', 'bonds')
    """
    if isinstance(columns, str):
        columns = (columns,)
    names = tuple(columns)
    allowed = tuple(allowed)
    if not names:
        raise ValueError("Choose at least one column of history.")
    for name in names:
        if name not in allowed:
            raise ValueError(f"Unknown column {name!r}; choose from {', '.join(allowed)}.")
    if len(set(names)) != len(names):
        raise ValueError(f"Each column may appear once; got {', '.join(names)}.")
    return names


def load_history(start: Any = None, end: Any = None, columns: Iterable[str] | None = None,
                 frequency: str = "monthly") -> pd.DataFrame:
    """Load the embedded US market history: monthly (the default) or yearly.

    Monthly (1926-07 to 2022-11, 1,157 months): ``stocks`` (US stock market total return:
    the whole market from French to 2018-12, the S&P 500 from 2019-01), ``bonds`` (10-year
    Treasury total return), ``bills`` (Treasury bills: one-month from French to 2018-12,
    then Damodaran's yearly 3-month return spread evenly over the months), ``inflation``
    (CPI-U change) as monthly simple returns, and ``cape`` (Shiller's CAPE) and
    ``long_rate`` (10-year Treasury yield, 0.03 = 3%) as levels at the month.

    Yearly (1928 to 2025, 98 years, Damodaran's table): ``stocks`` (S&P 500 total return),
    ``bonds`` (10-year Treasury note), ``bills`` (3-month Treasury bill), ``inflation``
    (CPI-U) as yearly simple returns. Every column is complete on every row of both tables.
    Sources and splices: ``rebalance_widgets/data/README.md``.

    Parameters
    ----------
    start, end : str, int, datetime-like or None
        Monthly: first and last month, both included (``"1990-01"``, ``"1990"``, a
        Timestamp); a bare year means January as a start and December as an end. Yearly:
        first and last year (``1990``, ``"1990"``, or a date inside the year). ``None``:
        the whole span.
    columns : iterable of str or None
        Columns to keep, in this order. ``None``: all of them.
    frequency : {"monthly", "yearly"}
        Which table to load.

    Returns
    -------
    pandas.DataFrame
        A fresh copy with one float column per series. Monthly: shape (months, columns),
        indexed by month start (``freq="MS"``). Yearly: shape (years, columns), indexed by
        ``year`` (int).

    Raises
    ------
    ValueError
        For an unknown ``frequency``, a date that cannot be read, a span outside the table
        (1926-07 to 2022-11, or 1928 to 2025), or an unknown column (``cape`` and
        ``long_rate`` are monthly only).

    Examples
    --------
    >>> table = load_history("2008", "2008", columns=["stocks"])
    >>> round(float((1 + table["stocks"]).prod() - 1), 3)
    -0.367
    >>> years = load_history(2022, 2022, frequency="yearly")
    >>> bool((years.loc[2022, ["stocks", "bonds"]] < 0).all())
    True
    """
    if frequency == "yearly":
        yearly = read_yearly()
        if columns is not None:
            yearly = yearly.loc[:, list(check_columns(columns, YEARLY_COLUMNS))]
        return select_years(yearly, start, end).copy()
    if frequency != "monthly":
        raise ValueError(
            f"Unknown frequency {frequency!r}; choose from {', '.join(map(repr, FREQUENCIES))}."
        )
    table = _read_history()
    if columns is not None:
        table = table.loc[:, list(check_columns(columns))]
    table = select_months(table, start, end).copy()
    table.index.freq = "MS"
    return table


def describe_column(name: str) -> str:
    """Say in plain words what a history column holds.

    Parameters
    ----------
    name : str
        A column of :func:`load_history`.

    Returns
    -------
    str
        A short description, e.g. ``"US stock market total return"``.

    Examples
    --------
    >>> describe_column("inflation")
    'CPI inflation'
    """
    check_columns([name])
    return _DESCRIPTIONS[name]


def calendar_year_returns(monthly: pd.DataFrame) -> pd.DataFrame:
    """Compound monthly returns into calendar-year returns, keeping complete years only.

    Parameters
    ----------
    monthly : pandas.DataFrame
        Monthly simple returns with a DatetimeIndex (e.g. from :func:`load_history`).

    Returns
    -------
    pandas.DataFrame
        One row per calendar year that has all twelve months, indexed by year.

    Examples
    --------
    >>> years = calendar_year_returns(load_history(columns=["stocks"]))
    >>> int(years["stocks"].idxmin())
    1931
    """
    if not isinstance(monthly.index, pd.DatetimeIndex):
        raise ValueError("Monthly returns need dates as their index to group them by year.")
    year = monthly.index.year
    grown = (1.0 + monthly).groupby(year).prod() - 1.0
    month_count = monthly.groupby(year).size()
    complete = month_count.index[month_count.to_numpy() == 12]
    result = grown.loc[complete]
    result.index.name = "year"
    return result

"""Glide paths: target mixes that change with age, one row per simulation period.

Every function returns a :class:`GlidePath` whose ``weights`` array has shape
``(n_periods + 1, n_assets)``: row 0 is the target at the start (t = 0) and row t the target
after t periods, which is the time-varying ``target`` argument of ``simulate()``
(``np.asarray(glide)`` gives the same array). ``GlidePath.table()`` is a tidy DataFrame by
age for charts.

Assets are ``("stocks", "bonds")``, or ``("stocks", "bonds", "cash")`` when ``cash_of_rest``
is given: the part of the portfolio not in stocks is split between bonds and cash, with
``cash_of_rest`` of it in cash.

Between the points that define a path, the stock share moves in a straight line with age
(linear interpolation, one step per period); after the last point it stays flat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rebalance_widgets.core._checks import is_whole_number
from rebalance_widgets.core.planning.glidepath_checks import (
    MAX_YEARS,
    check_age,
    check_number,
    check_periods,
    check_rows,
    check_share,
    split_rest,
)

__all__ = ["GlidePath", "constant", "custom", "rule_of_thumb", "target_date"]



@dataclass(frozen=True)
class GlidePath:
    """A target mix for every period.

    Attributes
    ----------
    weights : ndarray
        Shape ``(n_periods + 1, n_assets)``; every row adds up to 1.
    asset_names : tuple of str
        Names of the columns of ``weights``.
    periods_per_year : int
        Periods per year (12 for monthly).
    start_age : float or None
        Age at row 0, or ``None`` when the path is not tied to an age.
    """

    weights: np.ndarray
    asset_names: tuple[str, ...]
    periods_per_year: int
    start_age: float | None = None

    def __post_init__(self) -> None:
        weights = np.array(self.weights, dtype=float)
        weights.setflags(write=False)
        object.__setattr__(self, "weights", weights)
        check_rows(weights, self.asset_names)

    def __array__(self, dtype: object = None, copy: object = None) -> np.ndarray:
        return np.array(self.weights, dtype=dtype)

    @property
    def n_periods(self) -> int:
        """Number of periods (rows minus one)."""
        return self.weights.shape[0] - 1

    @property
    def years(self) -> np.ndarray:
        """Years from the start at each row, ``t / periods_per_year``."""
        return np.arange(self.n_periods + 1) / self.periods_per_year

    @property
    def ages(self) -> np.ndarray | None:
        """Age at each row, or ``None`` when the path has no start age."""
        return None if self.start_age is None else self.start_age + self.years

    @property
    def stocks(self) -> np.ndarray:
        """The stock share at each row (zeros if there is no ``stocks`` column)."""
        if "stocks" not in self.asset_names:
            return np.zeros(self.n_periods + 1)
        return self.weights[:, self.asset_names.index("stocks")]

    def table(self, every: int | None = None) -> pd.DataFrame:
        """Return a tidy DataFrame: one row per kept period and asset.

        Parameters
        ----------
        every : int, optional
            Keep every ``every``-th period (the last one is always kept); by default one
            row per year (``periods_per_year``).

        Returns
        -------
        pandas.DataFrame
            Columns ``period``, ``years``, ``age`` (NaN without a start age), ``asset``,
            ``share``.

        Examples
        --------
        >>> rule_of_thumb(40, 2).table()["period"].unique().tolist()
        [0, 12, 24]
        """
        step = self.periods_per_year if every is None else int(every)
        if step < 1:
            raise ValueError(f"'every' must be 1 or more; got {every!r}.")
        rows = np.unique(np.r_[np.arange(0, self.n_periods + 1, step), self.n_periods])
        years = self.years[rows]
        ages = years + self.start_age if self.start_age is not None else np.full(rows.size, np.nan)
        n_assets = len(self.asset_names)
        return pd.DataFrame(
            {
                "period": np.repeat(rows, n_assets),
                "years": np.repeat(years, n_assets),
                "age": np.repeat(ages, n_assets),
                "asset": np.tile(self.asset_names, rows.size),
                "share": self.weights[rows].ravel(),
            }
        )


def _path_through(
    point_ages: Sequence[float],
    point_stocks: Sequence[float],
    start_age: float,
    end_age: float,
    periods_per_year: int,
    cash_of_rest: float | None,
) -> GlidePath:
    n_periods = check_periods(end_age - start_age, periods_per_year)
    ages = start_age + np.arange(n_periods + 1) / periods_per_year
    stocks = np.interp(ages, np.asarray(point_ages, float), np.asarray(point_stocks, float))
    weights, names = split_rest(stocks, cash_of_rest)
    return GlidePath(weights, names, periods_per_year, start_age)


def target_date(
    start_age: float,
    retirement_age: float,
    end_age: float,
    *,
    stocks_start: float = 0.9,
    stocks_at_retirement: float = 0.5,
    stocks_end: float = 0.3,
    landing_years: float = 7.0,
    cash_of_rest: float | None = None,
    periods_per_year: int = 12,
) -> GlidePath:
    """Return a target-date glide path.

    The stock share goes in a straight line from ``stocks_start`` at ``start_age`` to
    ``stocks_at_retirement`` at ``retirement_age``, then in a straight line to ``stocks_end``
    ``landing_years`` later (the "landing point"), and stays there until ``end_age``.

    Parameters
    ----------
    start_age, retirement_age, end_age : float
        Ages with ``start_age < retirement_age <= end_age``.
    stocks_start, stocks_at_retirement, stocks_end : float
        Stock shares (0 to 1) at the three points.
    landing_years : float
        Years after retirement when the path reaches ``stocks_end`` (0 = at retirement).
    cash_of_rest : float, optional
        Part of the non-stock money held in cash; ``None`` for stocks and bonds only.
    periods_per_year : int
        Rows per year (12 for a monthly simulation).

    Returns
    -------
    GlidePath
        ``weights`` of shape ``((end_age - start_age) * periods_per_year + 1, n_assets)``.

    Examples
    --------
    >>> path = target_date(25, 65, 95)
    >>> path.weights.shape
    (841, 2)
    >>> [round(float(x), 2) for x in path.stocks[[0, 480, 564, 840]]]
    [0.9, 0.5, 0.3, 0.3]
    """
    start = check_age(start_age, "The start age")
    retire = check_age(retirement_age, "The retirement age")
    end = check_age(end_age, "The end age")
    if not start < retire:
        raise ValueError(
            f"The retirement age ({retire:g}) must be after the start age ({start:g})."
        )
    if not retire <= end:
        raise ValueError(
            f"The end age ({end:g}) must be at or after the retirement age ({retire:g})."
        )
    landing = check_number(landing_years, "The landing years")
    if landing < 0:
        raise ValueError(f"The landing years must be 0 or more; got {landing:g}.")
    shares = [
        check_share(stocks_start, "The stock share at the start"),
        check_share(stocks_at_retirement, "The stock share at retirement"),
        check_share(stocks_end, "The stock share at the end"),
    ]
    if landing == 0:
        point_ages, point_stocks = [start, retire], shares[:1] + shares[2:]
        if shares[1] != shares[2]:
            raise ValueError(
                "With 0 landing years the stock share at retirement and at the end must match."
            )
    else:
        point_ages, point_stocks = [start, retire, retire + landing], shares
    return _path_through(point_ages, point_stocks, start, end, periods_per_year, cash_of_rest)


def rule_of_thumb(
    start_age: float,
    years: float,
    *,
    base: float = 110,
    cash_of_rest: float | None = None,
    periods_per_year: int = 12,
) -> GlidePath:
    """Return the "base minus age" rule: stocks = (base - age)%, clipped to 0..100%.

    Age moves smoothly, one period at a time (not in yearly steps).

    Parameters
    ----------
    start_age : float
        Age at the start.
    years : float
        Length of the path in years.
    base : float
        100, 110 and 120 are the usual bases.
    cash_of_rest : float, optional
        Part of the non-stock money held in cash; ``None`` for stocks and bonds only.
    periods_per_year : int
        Rows per year.

    Returns
    -------
    GlidePath
        ``weights`` of shape ``(years * periods_per_year + 1, n_assets)``.

    Examples
    --------
    >>> path = rule_of_thumb(30, 1)
    >>> round(float(path.stocks[0]), 4), round(float(path.stocks[-1]), 4)
    (0.8, 0.79)
    """
    start = check_age(start_age, "The start age")
    span = check_number(years, "Years")
    if span <= 0:
        raise ValueError(f"Years must be more than 0; got {span:g}.")
    base_value = check_number(base, "The base")
    if not 0 <= base_value <= 200:
        raise ValueError(f"The base must be between 0 and 200 (110 is usual); got {base_value:g}.")
    n_periods = check_periods(span, periods_per_year)
    ages = start + np.arange(n_periods + 1) / periods_per_year
    stocks = np.clip((base_value - ages) / 100.0, 0.0, 1.0)
    weights, names = split_rest(stocks, cash_of_rest)
    return GlidePath(weights, names, periods_per_year, start)


def custom(
    ages: Sequence[float],
    stock_shares: Sequence[float],
    *,
    end_age: float | None = None,
    cash_of_rest: float | None = None,
    periods_per_year: int = 12,
) -> GlidePath:
    """Return a path through your own points (age, stock share), straight lines between.

    Parameters
    ----------
    ages : sequence of float
        Increasing ages, at least two.
    stock_shares : sequence of float
        Stock share (0 to 1) at each age.
    end_age : float, optional
        Last age of the path (after the last point the share stays flat); defaults to the
        last of ``ages``.
    cash_of_rest : float, optional
        Part of the non-stock money held in cash; ``None`` for stocks and bonds only.
    periods_per_year : int
        Rows per year.

    Returns
    -------
    GlidePath
        Starts at ``ages[0]``.

    Examples
    --------
    >>> path = custom([30, 40, 50], [0.8, 0.8, 0.4], periods_per_year=1)
    >>> [round(float(x), 2) for x in path.stocks[[0, 10, 15, 20]]]
    [0.8, 0.8, 0.6, 0.4]
    """
    if len(ages) != len(stock_shares):
        raise ValueError(
            f"Give one stock share per age: {len(ages)} ages but {len(stock_shares)} shares."
        )
    if len(ages) < 2:
        raise ValueError("Give at least two points (age, stock share).")
    point_ages = [check_age(a, f"Age {i + 1}") for i, a in enumerate(ages)]
    shares = [
        check_share(s, f"The stock share at age {a:g}")
        for s, a in zip(stock_shares, point_ages, strict=True)
    ]
    for before, after in zip(point_ages[:-1], point_ages[1:], strict=True):
        if not after > before:
            raise ValueError(f"Ages must increase: {after:g} comes after {before:g}.")
    end = point_ages[-1] if end_age is None else check_age(end_age, "The end age")
    if end < point_ages[-1]:
        raise ValueError(
            f"The end age ({end:g}) must be at or after the last point's age ({point_ages[-1]:g})."
        )
    return _path_through(point_ages, shares, point_ages[0], end, periods_per_year, cash_of_rest)


def constant(
    weights: Sequence[float] | dict[str, float],
    n_periods: int,
    *,
    asset_names: Sequence[str] | None = None,
    start_age: float | None = None,
    periods_per_year: int = 12,
) -> GlidePath:
    """Return the same mix in every period.

    Parameters
    ----------
    weights : sequence of float or dict
        The mix; a dict gives the asset names too (``{"stocks": 0.6, "bonds": 0.4}``).
    n_periods : int
        Number of periods; the array has ``n_periods + 1`` rows.
    asset_names : sequence of str, optional
        Names for a sequence of weights; default ``("stocks", "bonds", "cash")`` cut to size.
    start_age : float, optional
        Age at row 0, for tables by age.
    periods_per_year : int
        Rows per year.

    Returns
    -------
    GlidePath
        ``weights`` of shape ``(n_periods + 1, n_assets)``.

    Examples
    --------
    >>> constant({"stocks": 0.6, "bonds": 0.4}, 3).weights.tolist()
    [[0.6, 0.4], [0.6, 0.4], [0.6, 0.4], [0.6, 0.4]]
    """
    if isinstance(weights, dict):
        names = tuple(str(k) for k in weights)
        values = [check_share(v, f"The share of {k}") for k, v in weights.items()]
    else:
        values = [check_share(v, f"Weight {i + 1}") for i, v in enumerate(weights)]
        if asset_names is None:
            default = ("stocks", "bonds", "cash")
            names = (
                default[: len(values)]
                if len(values) <= 3
                else tuple(f"asset {i + 1}" for i in range(len(values)))
            )
        else:
            names = tuple(asset_names)
    if not values:
        raise ValueError("Give at least one weight.")
    total = sum(values)
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"Weights must add up to 100%; these add up to {total * 100:.4g}%.")
    if not is_whole_number(n_periods):
        raise ValueError(f"The number of periods must be a whole number; got {n_periods!r}.")
    if n_periods < 0 or n_periods > MAX_YEARS * 52:
        raise ValueError(f"The number of periods must be 0 to {MAX_YEARS * 52}; got {n_periods}.")
    check_periods(0, periods_per_year)
    age = None if start_age is None else check_age(start_age, "The start age")
    table = np.tile(np.asarray(values, dtype=float), (n_periods + 1, 1))
    return GlidePath(table, names, periods_per_year, age)

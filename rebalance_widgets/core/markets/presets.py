"""Capital-market assumption presets: ready-made :class:`Lognormal` markets.

:func:`assumptions` returns one by name (:data:`ASSUMPTION_NAMES`);
:func:`describe_assumptions` says in words how it was built.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd

from rebalance_widgets.core.markets.history import calendar_year_returns, load_history
from rebalance_widgets.core.markets.lognormal import Lognormal

__all__ = ["ASSUMPTION_NAMES", "PRESET_MONTH", "PRESET_YEARS", "STOCK_DIVIDEND_YIELD",
           "assumptions", "describe_assumptions", "expected_inflation", "income_yields"]

ASSUMPTION_NAMES: tuple[str, ...] = ("historical", "forward-looking")
"""Names accepted by :func:`assumptions`."""

PRESET_YEARS: tuple[int, int] = (1927, 2017)
"""Calendar years the presets' means, volatilities and correlations are fitted to.

The complete years of French's monthly file (1926-07 to 2018-11), kept fixed when the
history was extended to 2022-11: after 2018 the stock column is the S&P 500 and the bill
column a yearly rate spread over months, so the fit stays on one source throughout.
"""

PRESET_MONTH: str = "2018-11"
"""The month the forward-looking preset and :func:`income_yields` are read at.

The last month of French's monthly file, kept fixed when the history was extended: it is the
last month with a one-month bill rate of its own (later bills are a yearly average spread
evenly over the months, which says nothing about the rate at any one month).
"""

_DESCRIPTIONS = {
    "historical": (
        "Means, volatilities and correlations of US calendar-year returns, {first}-{last}."
    ),
    "forward-looking": (
        "Building blocks at {end}: stocks earn 1/CAPE plus inflation, bonds the 10-year "
        "yield, cash that month's bill rate; risk from history {first}-{last}."
    ),
}
_ASSETS = ("stocks", "bonds", "cash")
_HISTORY_COLUMNS = ("stocks", "bonds", "bills")


def _arithmetic_from_compound(compound: float, volatility: float) -> float:
    """Arithmetic mean of a lognormal gross return with this median growth and volatility."""
    gross = 1.0 + compound
    spread = (1.0 + math.sqrt(1.0 + 4.0 * (volatility / gross) ** 2)) / 2.0
    return gross * math.sqrt(spread) - 1.0


def _check_name(name: str) -> str:
    if name not in ASSUMPTION_NAMES:
        raise ValueError(
            f"Unknown set of assumptions {name!r}; choose from {', '.join(ASSUMPTION_NAMES)}."
        )
    return name


@cache
def _fitted_years() -> pd.DataFrame:
    """Return the calendar-year returns the presets are fitted to (shared; never modified)."""
    first, last = PRESET_YEARS
    return calendar_year_returns(load_history(str(first), str(last), columns=_HISTORY_COLUMNS))


@cache
def _build(name: str) -> Lognormal:
    years = _fitted_years()
    volatility = years.std(ddof=1).to_numpy()
    correlation = np.corrcoef(np.log1p(years.to_numpy()), rowvar=False)
    if name == "historical":
        expected = years.mean().to_numpy()
    else:
        month = load_history(end=PRESET_MONTH).iloc[-1]
        inflation = expected_inflation("forward-looking")
        compound = (
            (1.0 + 1.0 / month["cape"]) * (1.0 + inflation) - 1.0,
            month["long_rate"],
            (1.0 + month["bills"]) ** 12 - 1.0,
        )
        expected = np.array(
            [_arithmetic_from_compound(g, v) for g, v in zip(compound, volatility, strict=True)]
        )
    return Lognormal(
        expected=tuple(expected.tolist()),
        volatility=tuple(volatility.tolist()),
        correlation=tuple(map(tuple, correlation.tolist())),
        assets=_ASSETS,
    )


def assumptions(name: str) -> Lognormal:
    """Return a ready-made lognormal market for stocks, bonds and cash (T-bills).

    ``"historical"``
        From the embedded history (French's stock market and bills, Shiller's 10-year
        Treasury), over the complete calendar years 1927-2017 (:data:`PRESET_YEARS`, fixed
        when the history was extended to 2022-11): the arithmetic mean and the
        standard deviation (ddof=1) of the annual returns, and the correlation of the annual
        log returns. Roughly 11.9% / 20.1% for stocks, 5.4% / 7.7% for bonds and 3.4% / 3.1%
        for cash.
    ``"forward-looking"``
        A building-block estimate from the embedded data at 2018-11 (:data:`PRESET_MONTH`,
        the last month of French's data, fixed when the history was extended to 2022-11).
        Expected compound returns: stocks ``(1 + 1/CAPE) * (1 + inflation) - 1``, where
        1/CAPE (Shiller's cyclically adjusted earnings yield, CAPE about 30.2) is the
        expected real return and inflation is the average CPI inflation of the last ten
        years (about 1.7%); bonds the 10-year Treasury yield (3.12%); cash the last one-month
        bill rate compounded for a year (about 2.2%). Each compound rate is the median
        growth of a lognormal with the historical volatility, and is turned into the
        arithmetic mean that :class:`Lognormal` takes (stocks come to about 6.9%).
        Volatilities and correlations are the historical ones.

    Both are computed from the packaged data on first use and cached.

    Parameters
    ----------
    name : str
        One of :data:`ASSUMPTION_NAMES`.

    Returns
    -------
    Lognormal
        Assets ``("stocks", "bonds", "cash")``.

    Raises
    ------
    ValueError
        For an unknown name.

    Examples
    --------
    >>> market = assumptions("historical")
    >>> market.assets
    ('stocks', 'bonds', 'cash')
    """
    return _build(_check_name(name))


def describe_assumptions(name: str) -> str:
    """One sentence saying where a preset of :func:`assumptions` comes from.

    Parameters
    ----------
    name : str
        One of :data:`ASSUMPTION_NAMES`.

    Returns
    -------
    str
        A plain-words description for a caption or a tooltip.

    Examples
    --------
    >>> describe_assumptions("historical").startswith("Means")
    True
    """
    return _DESCRIPTIONS[_check_name(name)].format(**_data_dates())


@cache
def _data_dates() -> dict[str, str]:
    """Read the dates the descriptions name from the history the presets are fitted to."""
    years = _fitted_years()
    return {"first": str(years.index[0]), "last": str(years.index[-1]),
            "end": f"{load_history(end=PRESET_MONTH).index[-1]:%Y-%m}"}


STOCK_DIVIDEND_YIELD = 0.02
"""Yearly dividend yield of US stocks: about 2%, near the S&P 500's at the end of 2018."""


@cache
def income_yields() -> dict[str, float]:
    """Yearly income (dividends and interest) of each asset at :data:`PRESET_MONTH` (2018-11).

    Stocks: :data:`STOCK_DIVIDEND_YIELD` (about 2%, the S&P 500's dividend yield near the
    end of 2018; the embedded data holds no dividend series). Bonds: the 10-year Treasury
    yield of that month (Shiller's ``long_rate``, 3.12% in November 2018). Cash: that
    month's one-month bill return compounded for a year (about 2.2%). The month is fixed at
    the last month of French's data, where the bill rate is the month's own, and matches
    the dividend yield's date. A taxable account pays
    tax on this income every year (``accounts.Taxable(dividend_tax=...,
    income_yield=income_yields())``).

    Returns
    -------
    dict
        ``{"stocks": ..., "bonds": ..., "cash": ...}``, yearly fractions.

    Examples
    --------
    >>> round(income_yields()["bonds"], 4)
    0.0312
    """
    month = load_history(end=PRESET_MONTH).iloc[-1]
    return {
        "stocks": STOCK_DIVIDEND_YIELD,
        "bonds": float(month["long_rate"]),
        "cash": float((1.0 + month["bills"]) ** 12 - 1.0),
    }


@cache
def expected_inflation(name: str) -> float:
    """Yearly inflation that goes with a preset of :func:`assumptions`, for today's dollars.

    ``"historical"``: the compound average of US CPI inflation over :data:`PRESET_YEARS`
    (the years the preset's returns come from; about 2.9%). ``"forward-looking"``: the
    compound average of the ten years to :data:`PRESET_MONTH` (the inflation the preset's
    stock return is built on; about 1.7%).

    Parameters
    ----------
    name : str
        One of :data:`ASSUMPTION_NAMES`.

    Returns
    -------
    float
        Yearly inflation as a fraction (0.029 = 2.9%).

    Raises
    ------
    ValueError
        For an unknown name.

    Examples
    --------
    >>> 0.02 < expected_inflation("historical") < 0.04
    True
    """
    if _check_name(name) == "historical":
        first, last = PRESET_YEARS
        years = calendar_year_returns(
            load_history(str(first), str(last), columns=["inflation"]))["inflation"]
        return float((1.0 + years).prod() ** (1.0 / len(years)) - 1.0)
    recent = load_history(end=PRESET_MONTH, columns=["inflation"])["inflation"].iloc[-120:]
    return float((1.0 + recent).prod() ** 0.1 - 1.0)

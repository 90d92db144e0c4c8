"""Account types: how trades are taxed and what the money is worth after tax.

``simulate`` asks the account two things: ``taxes_trades`` (does selling realise a taxable
gain inside the simulation?) and ``after_tax_wealth(wealth, holdings, basis)`` (what the
ending balance is worth to the saver).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from rebalance_widgets.core._checks import check_fraction

__all__ = ["Account", "Roth", "TaxDeferred", "Taxable"]


def _rate(value: float, what: str) -> float:
    return check_fraction(value, f"The {what}")


def _asset_name(name: str) -> str:
    """Lower-case asset name; "bills" and "cash" are the same asset."""
    name = name.strip().lower()
    return "cash" if name == "bills" else name


class Account:
    """Base of the account types."""

    taxes_trades: ClassVar[bool] = False
    tax_rate: float = 0.0

    def income_per_period(self, assets: Sequence[str], periods_per_year: float
                          ) -> tuple[np.ndarray, float] | None:
        """Return the dividend and interest yield of each asset per period and its tax rate.

        ``None`` when the account pays no yearly tax on income (every account but a
        :class:`Taxable` one with a ``dividend_tax``).
        """
        return None

    def after_tax_wealth(
        self, wealth: np.ndarray, holdings: np.ndarray, basis: np.ndarray | None
    ) -> np.ndarray:
        """Return what the ending balance is worth after tax.

        Parameters
        ----------
        wealth : numpy.ndarray
            Ending wealth of every path, shape (P,).
        holdings : numpy.ndarray
            Ending dollars in every asset, shape (P, A).
        basis : numpy.ndarray or None
            Cost basis of every holding (taxable accounts only).

        Returns
        -------
        numpy.ndarray
            Shape (P,).
        """
        return np.array(wealth, dtype=float)

    @property
    def label(self) -> str:
        """Short name for charts."""
        return type(self).__name__


@dataclass(frozen=True)
class TaxDeferred(Account):
    """A 401(k) or traditional IRA: no tax on trades, income tax when the money comes out.

    Trades inside the account are never taxed. ``income_tax`` (default 0) is applied to the
    whole ending balance in ``after_tax_wealth``: wealth x (1 - income_tax).

    Left out: withdrawals during the run are gross amounts (no tax is taken from them),
    early-withdrawal penalties, required minimum distributions, employer match rules and
    the progressive tax brackets (one flat rate stands for them).

    Examples
    --------
    >>> TaxDeferred(income_tax=0.2).after_tax_wealth(np.array([100.0]), None, None)
    array([80.])
    """

    income_tax: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "income_tax", _rate(self.income_tax, "income tax rate"))

    def after_tax_wealth(
        self, wealth: np.ndarray, holdings: np.ndarray | None, basis: np.ndarray | None
    ) -> np.ndarray:
        """Return wealth x (1 - income_tax).

        Parameters
        ----------
        wealth : numpy.ndarray
            Ending wealth of every path, shape (P,).
        holdings : numpy.ndarray or None
            Not used.
        basis : numpy.ndarray or None
            Not used.

        Returns
        -------
        numpy.ndarray
            Shape (P,).
        """
        return np.asarray(wealth, dtype=float) * (1.0 - self.income_tax)

    @property
    def label(self) -> str:
        """Short name for charts."""
        return "Tax-deferred (401(k))"


@dataclass(frozen=True)
class Roth(Account):
    """A Roth 401(k) or Roth IRA: no tax on trades and none when the money comes out.

    Left out: the tax already paid on the money before it went in (the model starts from
    after-tax dollars), the five-year and age rules for tax-free withdrawals, and
    contribution limits.

    Examples
    --------
    >>> Roth().after_tax_wealth(np.array([100.0]), None, None)
    array([100.])
    """

    @property
    def label(self) -> str:
        """Short name for charts."""
        return "Roth"


@dataclass(frozen=True)
class Taxable(Account):
    """An ordinary brokerage account: selling at a gain is taxed at ``tax_rate``.

    The engine tracks the average cost basis of every asset. A contribution adds its cost
    to the basis. Selling s dollars of an asset worth V with basis B realises a gain of
    s x (1 - B / V) (a loss when B > V) and lowers the basis by s x B / V. At each step the
    tax is ``tax_rate`` x the net realised gain of that step across all assets, if positive:
    losses offset gains of the same step only; there is no carry-forward of losses to later
    steps. The tax and the trading cost are paid out of the portfolio pro-rata after the
    trade, so they do not change the weights; the shares sold to pay them take their basis
    with them, and the small gain on those shares is not itself taxed.

    ``after_tax_wealth`` is the wealth minus the tax that would be due if everything were
    sold at the end: wealth - tax_rate x max(wealth - total basis, 0).

    Dividends and interest (``dividend_tax`` above 0 and ``income_yield`` given): returns
    are total returns, of which asset a pays ``income_yield[a]`` a year as income, spread
    evenly over the periods and paid on the holding at the start of each period. The income
    is taxed at ``dividend_tax`` in the period it is paid (the tax comes out of that
    asset), and what is left is reinvested in the same asset at cost, so it adds to the
    basis: per period, asset a grows by ``max(r - dividend_tax x y, -1)`` and its basis by
    ``y x holding`` less the tax. This tax is part of the step's ``taxes``.

    Left out: the difference between short- and long-term gains, between qualified
    dividends and interest (one ``dividend_tax`` stands for both), tax brackets,
    wash-sale rules, carrying losses forward, and the annual fund expenses' effect on
    basis.

    Examples
    --------
    >>> Taxable(tax_rate=0.15).after_tax_wealth(
    ...     np.array([150.0]), np.array([[150.0]]), np.array([[100.0]]))
    array([142.5])
    >>> Taxable(dividend_tax=0.2, income_yield={"stocks": 0.024}).income_per_period(
    ...     ("stocks", "bonds"), 12)
    (array([0.002, 0.   ]), 0.2)
    """

    tax_rate: float = 0.15
    dividend_tax: float = 0.0
    income_yield: Mapping[str, float] | tuple[tuple[str, float], ...] = ()
    taxes_trades: ClassVar[bool] = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "tax_rate", _rate(self.tax_rate, "tax rate"))
        object.__setattr__(self, "dividend_tax",
                           _rate(self.dividend_tax, "tax rate on dividends and interest"))
        pairs = self.income_yield
        if isinstance(pairs, Mapping):
            pairs = tuple(pairs.items())
        try:
            checked = {_asset_name(str(name)): _rate(value, f"income yield of {name}")
                       for name, value in pairs}
        except (TypeError, ValueError) as error:
            if isinstance(error, ValueError) and "yield" in str(error):
                raise
            raise ValueError("The income yield must map each asset to a yearly yield, like "
                             "{'stocks': 0.02, 'bonds': 0.03}.") from None
        object.__setattr__(self, "income_yield", tuple(sorted(checked.items())))

    def income_per_period(self, assets: Sequence[str], periods_per_year: float
                          ) -> tuple[np.ndarray, float] | None:
        """Return each asset's dividend and interest yield per period, and the tax rate.

        Parameters
        ----------
        assets : sequence of str
            The simulated assets, in order ("bills" and "cash" are the same).
        periods_per_year : float
            Periods in a year.

        Returns
        -------
        tuple of (numpy.ndarray, float) or None
            (A,) yields per period and ``dividend_tax``; ``None`` without income tax.

        Raises
        ------
        ValueError
            When ``income_yield`` names an asset that is not simulated.
        """
        if self.dividend_tax == 0 or not any(value for _, value in self.income_yield):
            return None
        yields = dict(self.income_yield)
        names = [_asset_name(str(asset)) for asset in assets]
        unknown = sorted(set(yields) - set(names))
        if unknown:
            raise ValueError(
                f"The income yield names {', '.join(unknown)}, which is not among the "
                f"assets ({', '.join(map(str, assets))})."
            )
        per_period = np.array([yields.get(name, 0.0) for name in names]) / periods_per_year
        return per_period, float(self.dividend_tax)

    def after_tax_wealth(
        self, wealth: np.ndarray, holdings: np.ndarray, basis: np.ndarray | None
    ) -> np.ndarray:
        """Return wealth minus the tax due if everything were sold.

        Parameters
        ----------
        wealth : numpy.ndarray
            Ending wealth of every path, shape (P,).
        holdings : numpy.ndarray
            Ending dollars in every asset, shape (P, A).
        basis : numpy.ndarray
            Cost basis of every holding, shape (P, A).

        Returns
        -------
        numpy.ndarray
            Shape (P,).
        """
        wealth = np.asarray(wealth, dtype=float)
        if basis is None:
            return wealth.copy()
        gain = np.asarray(holdings, dtype=float).sum(axis=-1) - np.asarray(basis).sum(axis=-1)
        return wealth - self.tax_rate * np.maximum(gain, 0.0)

    @property
    def label(self) -> str:
        """Short name for charts."""
        pays = self.dividend_tax > 0 and any(value for _, value in self.income_yield)
        income = f", {self.dividend_tax * 100:g}% on income" if pays else ""
        return f"Taxable ({self.tax_rate * 100:g}% on gains{income})"

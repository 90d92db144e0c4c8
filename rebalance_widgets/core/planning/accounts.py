"""Account types: how trades are taxed and what the money is worth after tax.

``simulate`` asks the account two things: ``taxes_trades`` (does selling realise a taxable
gain inside the simulation?) and ``after_tax_wealth(wealth, holdings, basis)`` (what the
ending balance is worth to the saver).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from rebalance_widgets.core._checks import check_fraction

__all__ = ["Account", "Roth", "TaxDeferred", "Taxable"]


def _rate(value: float, what: str) -> float:
    return check_fraction(value, f"The {what}")


class Account:
    """Base of the account types."""

    taxes_trades: ClassVar[bool] = False
    tax_rate: float = 0.0

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

    Left out: dividends and interest (there is no ``dividend_yield``; returns are total
    returns that are taxed only when sold), the difference between short- and long-term
    gains, tax brackets, wash-sale rules, carrying losses forward, and the annual fund
    expenses' effect on basis.

    Examples
    --------
    >>> Taxable(tax_rate=0.15).after_tax_wealth(
    ...     np.array([150.0]), np.array([[150.0]]), np.array([[100.0]]))
    array([142.5])
    """

    tax_rate: float = 0.15
    taxes_trades: ClassVar[bool] = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "tax_rate", _rate(self.tax_rate, "tax rate"))

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
        return f"Taxable ({self.tax_rate * 100:g}% on gains)"

"""The result of a simulation: what happened on every path, step by step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rebalance_widgets.core.planning.accounts import Account, TaxDeferred
from rebalance_widgets.core.simulation.policies import Policy

__all__ = ["SimulationResult"]


@dataclass(frozen=True)
class SimulationResult:
    """Everything that happened on every path, step by step (steps 0..T).

    Attributes
    ----------
    wealth : numpy.ndarray
        (P, T+1) portfolio value after each step; column 0 is ``initial_value``.
    weights : numpy.ndarray
        (P, T+1, A) weights after any trade at that step. An empty portfolio (wealth 0) is
        given the target weights in force.
    weights_before_trade : numpy.ndarray
        (P, T+1, A) weights after growth and cash flows, before the policy trades. A
        policy with no check dates never trades, and then this is ``weights`` itself.
    rebalanced : numpy.ndarray
        (P, T+1) bool: the policy traded at that step (investing a contribution or paying a
        withdrawal is not a rebalance).
    target : numpy.ndarray
        (T+1, A) target weights in force at each step.
    buys, sells : numpy.ndarray
        (P, T+1) dollars bought and sold at each step; invested contributions count as
        buys and the sales that pay a withdrawal count as sells.
    costs, taxes, fees : numpy.ndarray
        (P, T+1) dollars of trading cost, tax (on realised gains, and on dividends and
        interest in a taxable account that pays income) and fund fees of each step.
        Like ``flows``, ``buys``, ``sells``, ``costs``, ``taxes`` and ``fees`` may be
        read-only views of one column when they are the same on every path (for example 0:
        no taxes in a tax-deferred account, no fees without an expense ratio).
    flows : numpy.ndarray
        (P, T+1) cash flow that actually happened at each step (0 at t = 0; a withdrawal
        is cut to what the portfolio holds). When every path gets the same contributions
        and there are no withdrawals, this is a read-only view of one column.
    after_tax_wealth : numpy.ndarray
        (P,) ending wealth after the account's tax (see ``accounts``).
    policy, account : Policy, Account
        The rules that were simulated.
    periods_per_year : float
        Periods in a year.
    initial_value, cost_rate, expense_ratio : float
        The starting value and the charges that were applied.
    income_taxes : numpy.ndarray or None
        (P, T+1) the part of ``taxes`` paid on dividends and interest (``None`` when the
        account pays none).
    assets : tuple of str
        Asset names.
    """

    wealth: np.ndarray
    weights: np.ndarray
    rebalanced: np.ndarray
    target: np.ndarray
    buys: np.ndarray
    sells: np.ndarray
    costs: np.ndarray
    taxes: np.ndarray
    fees: np.ndarray
    flows: np.ndarray
    after_tax_wealth: np.ndarray
    policy: Policy
    periods_per_year: float
    initial_value: float
    assets: tuple[str, ...]
    weights_before_trade: np.ndarray = field(repr=False, default=None)  # type: ignore[assignment]
    account: Account = field(default_factory=TaxDeferred)
    cost_rate: float = 0.0
    expense_ratio: float = 0.0
    income_taxes: np.ndarray | None = field(repr=False, default=None)

    @property
    def n_paths(self) -> int:
        """Number of simulated paths."""
        return int(self.wealth.shape[0])

    @property
    def n_periods(self) -> int:
        """Number of periods (steps after the start)."""
        return int(self.wealth.shape[1] - 1)

    def metrics(
        self, goal: float | None = None, band: float | Sequence[float] | None = None
    ) -> pd.DataFrame:
        """Metrics of every path (see ``metrics.per_path``).

        Parameters
        ----------
        goal : float, optional
            Dollar goal for the probability of reaching it.
        band : float or sequence of float, optional
            Band for "time outside band"; defaults to the policy's band, else 5 points.

        Returns
        -------
        pandas.DataFrame
            One row per path.
        """
        from rebalance_widgets.core import metrics

        return metrics.per_path(self, goal=goal, band=band)

    def summary(
        self,
        goal: float | None = None,
        band: float | Sequence[float] | None = None,
        percentiles: Sequence[float] = (5, 50, 95),
    ) -> pd.DataFrame:
        """Summary of the metrics across paths (see ``metrics.summarise``).

        Parameters
        ----------
        goal : float, optional
            Dollar goal for the probability of reaching it.
        band : float or sequence of float, optional
            Band for "time outside band".
        percentiles : sequence of float
            Percentiles to report.

        Returns
        -------
        pandas.DataFrame
            One row per metric.
        """
        from rebalance_widgets.core import metrics

        return metrics.summarise(self.metrics(goal=goal, band=band), percentiles)



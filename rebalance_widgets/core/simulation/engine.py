"""The simulation engine: many paths at once, one period at a time.

Timeline of one period t = 1..T:

1. every holding grows by its return, then the annual fund fee takes its share
   (holdings x (1 - expense_ratio) ** (1 / periods_per_year));
2. the cash flow of the step is added or taken (see ``flows_to``);
3. on the policy's check dates the policy decides whether and how far to trade;
4. the trading cost (``cost_rate`` x value bought and sold at the step, contributions and
   withdrawals included) and, in a taxable account, the tax on the step's net realised gain
   are taken from the portfolio pro-rata, which leaves the weights unchanged;
5. the state is recorded.

At t = 0 the portfolio holds exactly ``target[0]`` and is worth ``initial_value``; nothing
is charged.

A trade smaller than 1e-12 of the portfolio's value is not made and does not count as a
rebalance. The loop itself lives in :mod:`rebalance_widgets.core.simulation.steps`; it keeps
its arrays time-major and asset-major, and the result exposes them as (paths, steps, ...)
views.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core._checks import is_number
from rebalance_widgets.core.planning.accounts import Account, TaxDeferred
from rebalance_widgets.core.simulation import inputs as inputs
from rebalance_widgets.core.simulation.policies import Never, Policy
from rebalance_widgets.core.simulation.result import SimulationResult
from rebalance_widgets.core.simulation.steps import TRADE_TOLERANCE, Rules, run

__all__ = ["TRADE_TOLERANCE", "Setup", "SimulationResult", "compare", "prepare", "simulate",
           "simulate_prepared"]

_NEVER = Never()
_TAX_DEFERRED = TaxDeferred()


def simulate(
    returns: Any,
    target: Any,
    policy: Policy = _NEVER,
    *,
    initial_value: float = 1.0,
    cost_rate: float = 0.0,
    periods_per_year: float = 12,
    cash_flows: Any = None,
    flows_to: str = "target",
    account: Account | None = None,
    expense_ratio: float = 0.0,
    assets: Sequence[str] | None = None,
) -> SimulationResult:
    """Simulate a portfolio on every path of returns under a rebalancing policy.

    Parameters
    ----------
    returns : array-like or pandas.DataFrame
        Simple per-period returns (0.01 = +1%): (n_paths, n_periods, n_assets),
        (n_periods, n_assets) for one path, or a DataFrame with one row per period and one
        column per asset (the columns name the assets). Each return must be finite and
        -100% or more (at -100% the holding goes to 0).
    target : array-like
        Target weights (n_assets,) adding up to 1, or a changing target (n_periods + 1,
        n_assets) whose row t is in force at step t (a glide path; row 0 is the starting
        mix).
    policy : Policy
        When and how far to trade (``policies.Never()`` by default).
    initial_value : float
        Dollars at t = 0, zero or more.
    cost_rate : float
        Trading cost as a share of the value bought and sold (0.001 = 0.1%), below 50%.
        Buying with a contribution and selling for a withdrawal pay it too.
    periods_per_year : float
        12 for monthly returns, 26 for biweekly pay periods, ...
    cash_flows : None, float or array-like
        Dollars added (>0) or taken (<0) at each step t = 1..T: one number for every
        period, (n_periods,), or (n_paths, n_periods).
    flows_to : {"target", "underweight"}
        "target": a contribution buys the target weights in force and a withdrawal sells
        every asset pro-rata to its holding. "underweight" (cash-flow rebalancing): a
        contribution fills the largest dollar shortfalls against target x (wealth after the
        flow) first, levelling them down together (so the money goes to the most
        underweight assets); a withdrawal takes from the largest dollar excesses first in
        the same way. ``policies.CashFlow`` always uses "underweight". A withdrawal larger
        than the portfolio empties it: the flow is cut to what it holds, the wealth stays 0
        (its weights are then reported as the target) until a later contribution, which is
        invested at the target weights.
    account : Account, optional
        ``accounts.TaxDeferred()`` (default), ``accounts.Roth()`` or
        ``accounts.Taxable(tax_rate=...)``.
    expense_ratio : float
        Annual fund fee (0.005 = 0.5% a year), taken each period after growth as
        holdings x (1 - expense_ratio) ** (1 / periods_per_year).
    assets : sequence of str, optional
        Asset names; else the DataFrame's columns, else "asset_1", "asset_2", ...

    Returns
    -------
    SimulationResult
        Wealth, weights, trades, costs, taxes and fees of every path and step.

    Examples
    --------
    >>> import numpy as np
    >>> from rebalance_widgets.core import policies
    >>> returns = np.array([[0.10, 0.0], [-0.05, 0.0], [0.0, 0.0]])
    >>> res = simulate(returns, [0.6, 0.4], policies.Calendar("quarterly"))
    >>> res.wealth.round(4).tolist()
    [[1.0, 1.06, 1.027, 1.027]]
    """
    setup = prepare(returns, target, initial_value=initial_value, cost_rate=cost_rate,
                    periods_per_year=periods_per_year, cash_flows=cash_flows,
                    flows_to=flows_to, account=account, expense_ratio=expense_ratio,
                    assets=assets)
    return simulate_prepared(setup, policy)


def simulate_prepared(setup: Setup, policy: Policy) -> SimulationResult:
    """:func:`simulate` on inputs already checked by :func:`prepare`."""
    out = run(setup.returns, setup.rules(policy), setup.flows_in)
    account = setup.account
    return SimulationResult(
        wealth=out.wealth.T,
        weights=out.weights.transpose(2, 0, 1),
        weights_before_trade=out.before.transpose(2, 0, 1),
        rebalanced=out.rebalanced.T,
        target=setup.targets,
        buys=out.buys.T,
        sells=out.sells.T,
        costs=out.costs.T,
        taxes=out.taxes.T,
        fees=out.fees.T,
        flows=out.flows.T,
        income_taxes=None if out.income_taxes is None else out.income_taxes.T,
        after_tax_wealth=account.after_tax_wealth(out.wealth[-1], out.holdings.T,
                                                  None if out.basis is None else out.basis.T),
        policy=policy,
        periods_per_year=setup.periods_per_year,
        initial_value=setup.initial_value,
        assets=setup.assets,
        account=account,
        cost_rate=setup.cost_rate,
        expense_ratio=setup.expense_ratio,
    )


@dataclass(frozen=True)
class Setup:
    """Checked inputs of :func:`simulate` that do not depend on the policy."""

    returns: np.ndarray  # (P, T, A)
    assets: tuple[str, ...]
    targets: np.ndarray  # (T+1, A)
    flows_in: np.ndarray | None  # (T,) or (T, P)
    initial_value: float
    cost_rate: float
    expense_ratio: float
    periods_per_year: float
    flows_to: str
    account: Account
    wiped_out: bool  # some return is -100%

    def rules(self, policy: Policy) -> Rules:
        """Return the loop's rules for ``policy``."""
        if not isinstance(policy, Policy):
            raise ValueError(f"The policy must be one of the policies (such as Calendar); "
                             f"got {policy!r}.")
        bands = policy.band_width(self.targets)
        return Rules(
            targets=self.targets,
            bands=None if bands is None else np.asarray(bands, dtype=float),
            check_every=policy.check_every(self.periods_per_year),
            to_band=policy.trade_to == "band",
            underweight=self.flows_to == "underweight" or policy.flows_to == "underweight",
            initial_value=self.initial_value,
            cost_rate=self.cost_rate,
            tax_rate=float(self.account.tax_rate),
            taxable=self.account.taxes_trades,
            keep_after_fee=(1.0 - self.expense_ratio) ** (1.0 / self.periods_per_year),
            wiped_out=self.wiped_out,
            income=self.account.income_per_period(self.assets, self.periods_per_year),
        )


def prepare(
    returns: Any,
    target: Any,
    *,
    initial_value: float = 1.0,
    cost_rate: float = 0.0,
    periods_per_year: float = 12,
    cash_flows: Any = None,
    flows_to: str = "target",
    account: Account | None = None,
    expense_ratio: float = 0.0,
    assets: Sequence[str] | None = None,
) -> Setup:
    """Check the arguments of :func:`simulate` (but the policy) once, for many policies.

    Raises ``ValueError`` with a plain message for anything :func:`simulate` refuses.
    """
    returns, column_names, lowest = inputs.as_returns(returns)
    paths, periods, n_assets = returns.shape
    names = inputs.as_assets(assets, column_names, n_assets)
    targets = inputs.as_target(target, periods, n_assets)
    account = _TAX_DEFERRED if account is None else account
    if not isinstance(account, Account):
        raise ValueError(f"The account must be TaxDeferred, Roth or Taxable; got {account!r}.")
    if not is_number(periods_per_year):
        raise ValueError(f"Periods per year must be a number; got {periods_per_year!r}.")
    if not (np.isfinite(periods_per_year) and periods_per_year > 0):
        raise ValueError(f"Periods per year must be positive; got {periods_per_year}.")
    if not is_number(initial_value):
        raise ValueError(f"The starting value must be a number; got {initial_value!r}.")
    if not (np.isfinite(initial_value) and initial_value >= 0):
        raise ValueError(f"The starting value must be zero or more dollars; got {initial_value}.")
    cost_rate = inputs.as_fraction(cost_rate, "The trading cost", upper=0.5)
    expense_ratio = inputs.as_fraction(expense_ratio, "The expense ratio")
    if flows_to not in ("target", "underweight"):
        raise ValueError(f'flows_to must be "target" or "underweight"; got "{flows_to}".')
    return Setup(
        returns=returns, assets=names, targets=targets,
        flows_in=inputs.as_cash_flows(cash_flows, paths, periods),
        initial_value=float(initial_value), cost_rate=cost_rate, expense_ratio=expense_ratio,
        periods_per_year=periods_per_year, flows_to=flows_to, account=account,
        wiped_out=lowest <= -1.0,
    )


def compare(
    returns: Any,
    target: Any,
    policies: Mapping[str, Policy],
    *,
    goal: float | None = None,
    percentiles: Sequence[float] = (5, 50, 95),
    **simulate_kwargs: Any,
) -> pd.DataFrame:
    """Simulate several policies on the same returns and compare their median metrics.

    Parameters
    ----------
    returns : array-like or pandas.DataFrame
        The same returns for every policy (common random numbers), as in :func:`simulate`.
    target : array-like
        Target weights, as in :func:`simulate`.
    policies : mapping of str to Policy
        Name shown in the table -> policy.
    goal : float, optional
        Dollar goal; adds ``probability_reaching_goal``.
    percentiles : sequence of float
        Percentiles of terminal wealth to add as ``terminal_wealth_p5``, ...
    **simulate_kwargs
        Passed on to :func:`simulate` (``cost_rate``, ``cash_flows``, ``account``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per policy (index = name): the median of every metric across paths, the
        share of paths reaching the goal, and percentiles of terminal wealth.

    Examples
    --------
    >>> import numpy as np
    >>> from rebalance_widgets.core import policies
    >>> returns = np.zeros((2, 12, 2))
    >>> table = compare(returns, [0.5, 0.5], {"never": policies.Never()})
    >>> float(table.loc["never", "terminal_wealth"])
    1.0
    """
    from rebalance_widgets.core import metrics

    if not isinstance(policies, Mapping) or not policies:
        raise ValueError("Give at least one policy to compare, as a name -> policy mapping.")
    if "policy" in simulate_kwargs:
        raise ValueError("Give the policies in the mapping, not as policy=.")
    setup = prepare(returns, target, **simulate_kwargs)  # checked once for every policy
    rows = {
        str(name): metrics.compare_row(simulate_prepared(setup, policy), goal=goal,
                                       percentiles=percentiles)
        for name, policy in policies.items()
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("policy")

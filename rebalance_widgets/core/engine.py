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

The arrays are kept time-major inside (one contiguous (paths, assets) slab per step); the
result exposes them as (paths, steps, ...) views.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core import engine_inputs as inputs
from rebalance_widgets.core.accounts import Account, TaxDeferred
from rebalance_widgets.core.policies import Never, Policy

__all__ = ["SimulationResult", "compare", "simulate"]

TRADE_TOLERANCE = 1e-12
"""A trade smaller than this share of the portfolio's value is not made and not counted."""

_NEVER = Never()
_TAX_DEFERRED = TaxDeferred()


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
        (P, T+1, A) weights after growth and cash flows, before the policy trades.
    rebalanced : numpy.ndarray
        (P, T+1) bool: the policy traded at that step (investing a contribution or paying a
        withdrawal is not a rebalance).
    target : numpy.ndarray
        (T+1, A) target weights in force at each step.
    buys, sells : numpy.ndarray
        (P, T+1) dollars bought and sold at each step; invested contributions count as
        buys and the sales that pay a withdrawal count as sells.
    costs, taxes, fees : numpy.ndarray
        (P, T+1) dollars of trading cost, tax on realised gains and fund fees of each step.
    flows : numpy.ndarray
        (P, T+1) cash flow that actually happened at each step (0 at t = 0; a withdrawal
        is cut to what the portfolio holds).
    after_tax_wealth : numpy.ndarray
        (P,) ending wealth after the account's tax (see ``accounts``).
    policy, account : Policy, Account
        The rules that were simulated.
    periods_per_year : float
        Periods in a year.
    initial_value, cost_rate, expense_ratio : float
        The starting value and the charges that were applied.
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
    account: Account = _TAX_DEFERRED
    cost_rate: float = 0.0
    expense_ratio: float = 0.0

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


def _water_fill(gaps: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Share ``amount`` among assets, largest gap first, levelling the gaps down.

    Finds the level L with sum_i max(gap_i - L, 0) = amount and gives asset i
    max(gap_i - L, 0). Rows with amount 0 get nothing.
    """
    ordered = -np.sort(-gaps, axis=1)
    levels = np.cumsum(ordered, axis=1)
    levels -= amount[:, np.newaxis]
    levels /= np.arange(1, gaps.shape[1] + 1)
    count = (ordered > levels).sum(axis=1)
    level = np.take_along_axis(levels, np.maximum(count - 1, 0)[:, np.newaxis], axis=1)
    shares = np.maximum(gaps - level, 0.0)
    shares[amount <= 0] = 0.0
    return shares


class _Books:
    """Running per-step totals of one step: traded value and realised gain."""

    def __init__(self, paths: int, taxable: bool) -> None:
        self.buys = np.zeros(paths)
        self.sells = np.zeros(paths)
        self.gain = np.zeros(paths) if taxable else None
        self.active = False

    def reset(self) -> None:
        if self.active:
            self.buys.fill(0.0)
            self.sells.fill(0.0)
            if self.gain is not None:
                self.gain.fill(0.0)
            self.active = False


def _sell(holdings: np.ndarray, basis: np.ndarray | None, sales: np.ndarray,
          books: _Books) -> None:
    """Sell ``sales`` dollars of each holding, realising gains at the average cost."""
    if basis is not None and books.gain is not None:
        ratio = np.divide(basis, holdings, out=np.zeros_like(basis), where=holdings > 0)
        books.gain += (sales * (1.0 - ratio)).sum(axis=1)
        basis -= sales * ratio
    holdings -= sales
    books.sells += sales.sum(axis=1)


def _buy(holdings: np.ndarray, basis: np.ndarray | None, purchases: np.ndarray,
         books: _Books) -> None:
    """Buy ``purchases`` dollars of each asset at cost."""
    holdings += purchases
    if basis is not None:
        basis += purchases
    books.buys += purchases.sum(axis=1)


def _apply_flow(holdings, basis, wealth, flow, target_row, underweight, books):
    """Add or take the cash flow of the step; return the flow that actually happened."""
    contribution = np.maximum(flow, 0.0)
    withdrawal = np.minimum(np.maximum(-flow, 0.0), wealth)
    emptied = (flow < 0) & (-flow >= wealth)
    if underweight:
        after = wealth + contribution - withdrawal
        gaps = np.multiply.outer(after, target_row)
        gaps -= holdings
        buys = _water_fill(gaps, contribution)
        np.negative(gaps, out=gaps)
        sales = _water_fill(gaps, withdrawal)
    else:
        buys = np.multiply.outer(contribution, target_row)
        share = np.divide(withdrawal, wealth, out=np.zeros_like(wealth), where=wealth > 0)
        sales = holdings * share[:, np.newaxis]
    if emptied.any():
        sales[emptied] = holdings[emptied]
    _sell(holdings, basis, sales, books)
    if emptied.any():
        holdings[emptied] = 0.0
        if basis is not None:
            basis[emptied] = 0.0
    _buy(holdings, basis, buys, books)
    books.active = True
    return contribution - withdrawal


def _policy_trade(holdings, basis, wealth, target_row, band_row, to_band, books):
    """Trade as the policy says on a check date; return where a trade happened."""
    desired = np.multiply.outer(wealth, target_row)
    trade = desired - holdings
    live = wealth > 0
    if band_row is not None:
        weights = np.divide(holdings, wealth[:, np.newaxis], out=np.zeros_like(holdings),
                            where=live[:, np.newaxis])
        drift = np.abs(weights - target_row)
        live &= (drift > band_row).any(axis=1)
        if to_band:
            room = np.divide(band_row, drift, out=np.ones_like(drift), where=drift > 0)
            keep = np.minimum(room.min(axis=1), 1.0)
            trade *= (1.0 - keep)[:, np.newaxis]
    traded = np.abs(trade).sum(axis=1)
    live &= traded > TRADE_TOLERANCE * wealth
    if not live.any():
        return live
    trade[~live] = 0.0
    _sell(holdings, basis, np.maximum(-trade, 0.0), books)
    _buy(holdings, basis, np.maximum(trade, 0.0), books)
    books.active = True
    return live


def _settle(holdings, basis, wealth, books, cost_rate, tax_rate, costs, taxes):
    """Take the step's trading cost and tax out of the portfolio pro-rata."""
    if cost_rate > 0:
        np.multiply(books.buys + books.sells, cost_rate, out=costs)
        np.minimum(costs, wealth, out=costs)
    if books.gain is not None:
        np.multiply(np.maximum(books.gain, 0.0), tax_rate, out=taxes)
        np.minimum(taxes, wealth - costs, out=taxes)
    charge = costs + taxes
    keep = np.divide(wealth - charge, wealth, out=np.zeros_like(wealth), where=wealth > 0)
    holdings *= keep[:, np.newaxis]
    if basis is not None:
        basis *= keep[:, np.newaxis]


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
    returns, column_names = inputs.as_returns(returns)
    paths, periods, n_assets = returns.shape
    names = inputs.as_assets(assets, column_names, n_assets)
    targets = inputs.as_target(target, periods, n_assets)
    if not isinstance(policy, Policy):
        raise ValueError(f"The policy must be one of the policies (such as Calendar); "
                         f"got {policy!r}.")
    account = _TAX_DEFERRED if account is None else account
    if not isinstance(account, Account):
        raise ValueError(f"The account must be TaxDeferred, Roth or Taxable; got {account!r}.")
    if isinstance(periods_per_year, bool) or not isinstance(periods_per_year,
                                                            int | float | np.number):
        raise ValueError(f"Periods per year must be a number; got {periods_per_year!r}.")
    if not (np.isfinite(periods_per_year) and periods_per_year > 0):
        raise ValueError(f"Periods per year must be positive; got {periods_per_year}.")
    if isinstance(initial_value, bool) or not isinstance(initial_value,
                                                         int | float | np.number):
        raise ValueError(f"The starting value must be a number; got {initial_value!r}.")
    if not (np.isfinite(initial_value) and initial_value >= 0):
        raise ValueError(f"The starting value must be zero or more dollars; got {initial_value}.")
    cost_rate = inputs.as_fraction(cost_rate, "The trading cost", upper=0.5)
    expense_ratio = inputs.as_fraction(expense_ratio, "The expense ratio")
    if flows_to not in ("target", "underweight"):
        raise ValueError(f'flows_to must be "target" or "underweight"; got "{flows_to}".')
    underweight = flows_to == "underweight" or policy.flows_to == "underweight"
    flows_in = inputs.as_cash_flows(cash_flows, paths, periods)
    every = policy.check_every(periods_per_year)
    bands = policy.band_width(targets)
    to_band = policy.trade_to == "band"
    taxable = account.taxes_trades
    tax_rate = float(account.tax_rate)

    # Time-major growth factors with the fund fee folded in: (T, P, A).
    keep_after_fee = (1.0 - expense_ratio) ** (1.0 / periods_per_year)
    growth = np.empty((periods, paths, n_assets))
    np.add(returns.transpose(1, 0, 2), 1.0, out=growth)
    if expense_ratio > 0:
        growth *= keep_after_fee
    fee_share = (1.0 - keep_after_fee) / keep_after_fee

    steps = periods + 1
    wealth = np.zeros((steps, paths))
    weights = np.empty((steps, paths, n_assets))
    before = np.empty((steps, paths, n_assets))
    rebalanced = np.zeros((steps, paths), dtype=bool)
    buys, sells = np.zeros((steps, paths)), np.zeros((steps, paths))
    costs, taxes, fees = np.zeros((steps, paths)), np.zeros((steps, paths)), np.zeros(
        (steps, paths))
    flows = np.zeros((steps, paths))

    holdings = np.multiply.outer(np.full(paths, float(initial_value)), targets[0])
    basis = holdings.copy() if taxable else None
    wealth[0] = initial_value
    weights[0] = targets[0]
    before[0] = targets[0]
    ones = np.ones(n_assets)
    may_empty = initial_value == 0 or (returns <= -1).any() or (
        flows_in is not None and (flows_in < 0).any())
    has_flow = np.zeros(periods, dtype=bool) if flows_in is None else flows_in.any(axis=1)
    books = _Books(paths, taxable)
    charged = cost_rate > 0 or taxable

    for t in range(1, steps):
        holdings *= growth[t - 1]
        now = wealth[t]
        np.dot(holdings, ones, out=now)
        if expense_ratio > 0:
            np.multiply(now, fee_share, out=fees[t])
        target_row = targets[t]
        if has_flow[t - 1]:
            flows[t] = _apply_flow(holdings, basis, now, flows_in[t - 1], target_row,
                                   underweight, books)
            np.dot(holdings, ones, out=now)
        checking = every is not None and t % every == 0
        if checking:
            _weights(holdings, now, target_row, may_empty, before[t])
            band_row = None if bands is None else bands[t]
            rebalanced[t] = _policy_trade(holdings, basis, now, target_row, band_row,
                                          to_band, books)
        if books.active:
            buys[t] = books.buys
            sells[t] = books.sells
            if charged:
                _settle(holdings, basis, now, books, cost_rate, tax_rate, costs[t], taxes[t])
            np.dot(holdings, ones, out=now)
            books.reset()
        _weights(holdings, now, target_row, may_empty, weights[t])
        if not checking:
            before[t] = weights[t]

    return SimulationResult(
        wealth=wealth.T,
        weights=weights.transpose(1, 0, 2),
        weights_before_trade=before.transpose(1, 0, 2),
        rebalanced=rebalanced.T,
        target=targets,
        buys=buys.T,
        sells=sells.T,
        costs=costs.T,
        taxes=taxes.T,
        fees=fees.T,
        flows=flows.T,
        after_tax_wealth=account.after_tax_wealth(wealth[-1], holdings, basis),
        policy=policy,
        periods_per_year=periods_per_year,
        initial_value=float(initial_value),
        assets=names,
        account=account,
        cost_rate=cost_rate,
        expense_ratio=expense_ratio,
    )


def _weights(holdings, wealth, target_row, may_empty, out):
    """Write holdings / wealth into ``out``; an empty portfolio gets the target weights."""
    if not may_empty:
        np.divide(holdings, wealth[:, np.newaxis], out=out)
        return
    empty = wealth <= 0
    np.divide(holdings, wealth[:, np.newaxis], out=out, where=~empty[:, np.newaxis])
    if empty.any():
        out[empty] = target_row


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
    rows = {}
    for name, policy in policies.items():
        result = simulate(returns, target, policy, **simulate_kwargs)
        table = metrics.per_path(result, goal=goal)
        row: dict[str, float] = {}
        for column in table.columns:
            values = table[column]
            if pd.api.types.is_bool_dtype(values):
                label = "reaching_goal" if column == "reached_goal" else str(column)
                row[f"probability_{label}"] = float(values.mean())
            else:
                row[str(column)] = float(values.median())
        terminal = table["terminal_wealth"].to_numpy(dtype=float)
        for percentile in percentiles:
            row[f"terminal_wealth_p{float(percentile):g}"] = float(
                np.percentile(terminal, percentile))
        rows[str(name)] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("policy")

"""The inner loop of ``simulate``: all paths at once, one period at a time.

Arrays here are asset-major: holdings are (A, P) with one contiguous row of P paths per
asset, so that sums over assets are A - 1 vector additions and dividing by wealth (P,)
broadcasts cheaply. Every per-step output is one contiguous slab of a time-major array
((T+1, P) or (T+1, A, P)); ``simulate`` turns them into (P, T+1, ...) views.

The step follows the timeline documented in :mod:`rebalance_widgets.core.engine`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Outputs", "Rules", "TRADE_TOLERANCE", "run", "water_fill"]

TRADE_TOLERANCE = 1e-12
"""A trade smaller than this share of the portfolio's value is not made and not counted."""

_PATH_BLOCK = 1024  # paths per block when the returns are turned time-major


@dataclass(frozen=True)
class Rules:
    """Everything the loop needs to know, already checked by ``simulate``."""

    targets: np.ndarray  # (T+1, A)
    bands: np.ndarray | None  # (T+1, A) or None: trade on any difference
    check_every: int | None
    to_band: bool
    underweight: bool
    initial_value: float
    cost_rate: float
    tax_rate: float
    taxable: bool
    keep_after_fee: float  # (1 - expense_ratio) ** (1 / periods_per_year)


@dataclass(frozen=True)
class Outputs:
    """Time-major results of the loop."""

    wealth: np.ndarray  # (T+1, P)
    weights: np.ndarray  # (T+1, A, P)
    before: np.ndarray  # (T+1, A, P)
    rebalanced: np.ndarray  # (T+1, P) bool
    buys: np.ndarray
    sells: np.ndarray
    costs: np.ndarray
    taxes: np.ndarray
    fees: np.ndarray
    flows: np.ndarray
    holdings: np.ndarray  # (A, P) at the end
    basis: np.ndarray | None  # (A, P) at the end, taxable accounts only


def _sum_assets(holdings: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Add the assets up, left to right: out = h_0 + h_1 + ... (per path)."""
    if holdings.shape[0] == 1:
        np.copyto(out, holdings[0])
        return out
    np.add(holdings[0], holdings[1], out=out)
    for row in holdings[2:]:
        out += row
    return out


def water_fill(gaps: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Share ``amount`` among assets, the largest gap first, levelling the gaps down.

    Finds the level L with sum_i max(gap_i - L, 0) = amount and gives asset i
    max(gap_i - L, 0). For every asset j, the assets with a gap at least as large as j's
    would set the level at (their total gap - amount) / their count; the true level is the
    largest of these (no sorting needed). Paths with amount 0 get nothing.

    Parameters
    ----------
    gaps : numpy.ndarray
        (A, P) dollar gaps (shortfalls for a contribution, excesses for a withdrawal).
    amount : numpy.ndarray
        (P,) dollars to share, zero or more, at most the sum of the positive gaps.

    Returns
    -------
    numpy.ndarray
        (A, P) dollars for each asset.

    Examples
    --------
    >>> water_fill(np.array([[30.0], [10.0], [-40.0]]), np.array([24.0])).ravel().tolist()
    [22.0, 2.0, 0.0]
    """
    at_least = gaps[:, np.newaxis, :] >= gaps[np.newaxis, :, :]  # [i, j]: gap_i >= gap_j
    totals = np.einsum("ip,ijp->jp", gaps, at_least)
    counts = at_least.sum(axis=0)
    totals -= amount
    totals /= counts
    level = totals.max(axis=0)
    shares = np.subtract(gaps, level)
    np.maximum(shares, 0.0, out=shares)
    shares *= amount > 0
    return shares


class _Step:
    """Scratch space and running totals of one step (buys, sells, realised gain)."""

    def __init__(self, assets: int, paths: int, taxable: bool) -> None:
        self.trade = np.empty((assets, paths))
        self.scratch = np.empty((assets, paths))
        self.ratio = np.empty((assets, paths)) if taxable else None
        self.gain = np.zeros(paths) if taxable else None
        self.buys: np.ndarray = np.zeros(paths)
        self.sells: np.ndarray = np.zeros(paths)

    def sell(self, holdings: np.ndarray, basis: np.ndarray | None, sales: np.ndarray) -> None:
        """Sell ``sales`` (A, P) dollars, realising gains at the average cost."""
        if basis is not None:
            ratio = self.ratio
            ratio.fill(0.0)
            np.divide(basis, holdings, out=ratio, where=holdings > 0)
            np.multiply(sales, ratio, out=ratio)  # basis that leaves
            self.gain += sales.sum(axis=0)
            self.gain -= ratio.sum(axis=0)
            basis -= ratio
        holdings -= sales
        self.sells += sales.sum(axis=0)

    def buy(self, holdings: np.ndarray, basis: np.ndarray | None, purchases: np.ndarray) -> None:
        """Buy ``purchases`` (A, P) dollars at cost."""
        holdings += purchases
        if basis is not None:
            basis += purchases
        self.buys += purchases.sum(axis=0)


def _flow(step, holdings, basis, wealth, flow, target, rules, signs):
    """Add or take the step's cash flow; return the flow that actually happened (P,)."""
    has_in, has_out = signs
    contribution = np.maximum(flow, 0.0)
    withdrawal = np.minimum(np.maximum(-flow, 0.0), wealth) if has_out else None
    if rules.underweight:
        after = wealth + contribution
        if has_out:
            after -= withdrawal
        gaps = np.multiply(target[:, np.newaxis], after)
        gaps -= holdings
        purchases = water_fill(gaps, contribution) if has_in else None
        if has_out:
            np.negative(gaps, out=gaps)
            sales = water_fill(gaps, withdrawal)
    else:
        purchases = np.multiply(target[:, np.newaxis], contribution) if has_in else None
        if has_out:
            share = np.divide(withdrawal, wealth, out=np.zeros_like(wealth), where=wealth > 0)
            sales = holdings * share
    if has_out:
        emptied = (flow < 0) & (-flow >= wealth)
        if emptied.any():
            sales[:, emptied] = holdings[:, emptied]
        step.sell(holdings, basis, sales)
        if emptied.any():
            holdings[:, emptied] = 0.0
            if basis is not None:
                basis[:, emptied] = 0.0
        contribution -= withdrawal
    if has_in:
        step.buy(holdings, basis, purchases)
    return contribution


def _rebalance(step, holdings, basis, wealth, weights, target, band, to_band):
    """Trade as the policy says on a check date; return where it traded, or None."""
    trade, scratch = step.trade, step.scratch
    column = target[:, np.newaxis]
    breached = None
    if band is not None:
        np.subtract(weights, column, out=scratch)
        np.abs(scratch, out=scratch)
        breached = (scratch > band[:, np.newaxis]).any(axis=0)
        if not breached.any():
            return None
        if to_band:
            # largest k in [0, 1] with k |w - target| <= band for every asset
            np.divide(band[:, np.newaxis], scratch, out=scratch)
            keep = np.fmin.reduce(scratch, axis=0)
            np.fmin(keep, 1.0, out=keep)
    np.multiply(column, wealth, out=trade)
    trade -= holdings
    if band is not None and to_band:
        trade *= 1.0 - keep
    np.abs(trade, out=scratch)
    traded = scratch.sum(axis=0)
    live = traded > TRADE_TOLERANCE * wealth
    if breached is not None:
        live &= breached
    if not live.any():
        return None
    if not live.all():
        trade *= live
    np.minimum(trade, 0.0, out=scratch)
    np.negative(scratch, out=scratch)
    step.sell(holdings, basis, scratch)
    np.maximum(trade, 0.0, out=scratch)
    step.buy(holdings, basis, scratch)
    return live


def _settle(step, holdings, basis, wealth, rules, costs, taxes):
    """Take the step's trading cost and tax out of the portfolio pro-rata."""
    charge = np.zeros_like(wealth)
    if rules.cost_rate > 0:
        np.add(step.buys, step.sells, out=costs)
        costs *= rules.cost_rate
        np.minimum(costs, wealth, out=costs)
        charge += costs
    if step.gain is not None:
        np.maximum(step.gain, 0.0, out=taxes)
        taxes *= rules.tax_rate
        np.minimum(taxes, wealth - costs, out=taxes)
        charge += taxes
    np.subtract(wealth, charge, out=charge)
    keep = np.divide(charge, wealth, out=charge, where=wealth > 0)
    holdings *= keep
    if basis is not None:
        basis *= keep


def _weights(holdings, wealth, target, may_empty, out):
    """Write holdings / wealth into ``out``; an empty portfolio gets the target weights."""
    np.divide(holdings, wealth, out=out)
    if may_empty:
        empty = wealth <= 0
        if empty.any():
            out[:, empty] = target[:, np.newaxis]


def _growth(returns: np.ndarray, keep_after_fee: float) -> np.ndarray:
    """Growth factors (1 + r) x fee drag, time-major (T, A, P), built in cache-sized blocks."""
    paths, periods, assets = returns.shape
    growth = np.empty((periods, assets, paths))
    for first in range(0, paths, _PATH_BLOCK):
        block = growth[:, :, first:first + _PATH_BLOCK]
        np.add(returns[first:first + _PATH_BLOCK].transpose(1, 2, 0), 1.0, out=block)
        if keep_after_fee != 1.0:
            block *= keep_after_fee
    return growth


def run(returns: np.ndarray, rules: Rules, flows_in: np.ndarray | None) -> Outputs:
    """Simulate every path; see :mod:`rebalance_widgets.core.engine` for the timeline.

    Parameters
    ----------
    returns : numpy.ndarray
        (P, T, A) checked simple returns.
    rules : Rules
        The checked settings.
    flows_in : numpy.ndarray or None
        (T, P) cash flows asked for at steps 1..T.

    Returns
    -------
    Outputs
        Time-major arrays.
    """
    paths, periods, assets = returns.shape
    steps = periods + 1
    targets = rules.targets
    growth = _growth(returns, rules.keep_after_fee)
    fee_share = (1.0 - rules.keep_after_fee) / rules.keep_after_fee
    wealth = np.empty((steps, paths))
    weights = np.empty((steps, assets, paths))
    before = np.empty((steps, assets, paths))
    rebalanced = np.zeros((steps, paths), dtype=bool)
    buys, sells, costs, taxes, fees, flows = (np.zeros((steps, paths)) for _ in range(6))

    holdings = np.multiply.outer(targets[0], np.full(paths, rules.initial_value))
    basis = holdings.copy() if rules.taxable else None
    wealth[0] = rules.initial_value
    weights[0] = targets[0][:, np.newaxis]
    before[0] = weights[0]
    has_in = np.zeros(periods, dtype=bool) if flows_in is None else (flows_in > 0).any(axis=1)
    has_out = np.zeros(periods, dtype=bool) if flows_in is None else (flows_in < 0).any(axis=1)
    may_empty = bool(rules.initial_value == 0 or has_out.any() or (returns <= -1).any())
    charged = rules.cost_rate > 0 or rules.taxable
    step = _Step(assets, paths, rules.taxable)
    every = rules.check_every

    with np.errstate(divide="ignore", invalid="ignore"):
        for t in range(1, steps):
            holdings *= growth[t - 1]
            now = _sum_assets(holdings, wealth[t])
            if fee_share > 0:
                np.multiply(now, fee_share, out=fees[t])
            target = targets[t]
            step.buys, step.sells = buys[t], sells[t]
            if step.gain is not None:
                step.gain.fill(0.0)
            active = bool(has_in[t - 1] or has_out[t - 1])
            if active:
                flows[t] = _flow(step, holdings, basis, now, flows_in[t - 1], target, rules,
                                 (has_in[t - 1], has_out[t - 1]))
                _sum_assets(holdings, now)
            checking = every is not None and t % every == 0
            traded = None
            if checking:
                _weights(holdings, now, target, may_empty, before[t])
                band = None if rules.bands is None else rules.bands[t]
                traded = _rebalance(step, holdings, basis, now, before[t], target, band,
                                    rules.to_band)
                if traded is not None:
                    rebalanced[t] = traded
                    _sum_assets(holdings, now)
            if charged and (active or traded is not None):
                _settle(step, holdings, basis, now, rules, costs[t], taxes[t])
                _sum_assets(holdings, now)
            if checking and traded is None and not (charged and active):
                weights[t] = before[t]
                continue
            _weights(holdings, now, target, may_empty, weights[t])
            if not checking:
                before[t] = weights[t]
    return Outputs(wealth, weights, before, rebalanced, buys, sells, costs, taxes, fees,
                   flows, holdings, basis)

"""The inner loop of ``simulate``: all paths at once, one period at a time.

Arrays here are asset-major: holdings are (A, P) with one contiguous row of P paths per
asset, so that sums over assets are A - 1 vector additions and dividing by wealth (P,)
broadcasts cheaply. Every per-step output is one contiguous slab of a time-major array
((T+1, P) or (T+1, A, P)); ``simulate`` turns them into (P, T+1, ...) views.

The step follows the timeline documented in :mod:`rebalance_widgets.core.simulation.engine`.
"""

from __future__ import annotations

import numpy as np

from rebalance_widgets.core.simulation.buffers import Growth, Scratch
from rebalance_widgets.core.simulation.flows import Books, add_flow
from rebalance_widgets.core.simulation.loop_io import Outputs, Rules
from rebalance_widgets.core.simulation.trading import (
    TRADE_TOLERANCE,
    apply_trades,
    divide,
    settle,
    trade_all,
    trade_size,
)

__all__ = ["TRADE_TOLERANCE", "Outputs", "Rules", "run"]

_FEW = 4  # trade only the breached paths when they are at most 1/_FEW of all paths
_RECORD_BLOCK = 16  # at most this many steps drift or turn into weights at a time
_RECORD_VALUES = 1 << 15  # and no more dollars than fit in a fast cache (256 kB)


class _Loop:
    """One simulation: the state carried from step to step, and the time-major outputs."""

    def __init__(self, returns: np.ndarray, rules: Rules, flows_in: np.ndarray | None) -> None:
        paths, periods, assets = returns.shape
        steps = periods + 1
        self.rules = rules
        self.every = rules.check_every
        self.income = None  # (drag (P, T, A), yields (A,)): tax on dividends and interest
        if rules.income is not None:
            yields, rate = rules.income
            taxed = np.maximum(returns - rate * yields, -1.0)
            self.income, returns = (returns - taxed, yields), taxed
        self.growth = Growth(returns, rules.keep_after_fee)
        self.fee_share = (1.0 - rules.keep_after_fee) / rules.keep_after_fee
        self.flows_in = flows_in
        self.wealth = np.empty((steps, paths))
        self.weights = np.empty((steps, assets, paths))
        # off the check dates the weights before a trade are the weights: with no check
        # dates at all they are the same array
        self.before = (self.weights if rules.check_every is None
                       else np.empty((steps, assets, paths)))
        self.rebalanced = np.zeros((steps, paths), dtype=bool)
        self.buys, self.sells, self.costs = (np.zeros((steps, paths)) for _ in range(3))
        # rows that stay 0 are one read-only zero
        nothing = np.broadcast_to(np.zeros(1), (steps, paths))
        self.taxes = np.zeros((steps, paths)) if rules.taxable else nothing
        self.fees = np.zeros((steps, paths)) if rules.keep_after_fee != 1.0 else nothing
        self.income_taxes = None if self.income is None else np.zeros((steps, paths))
        targets = rules.targets
        # during the loop weights[t] holds the dollars of step t; record() divides them by
        # the wealth a block of steps at a time, once no later step reads them
        self.holdings = self.weights[0]
        np.multiply.outer(targets[0], np.full(paths, rules.initial_value), out=self.holdings)
        self.basis = self.holdings.copy() if rules.taxable else None
        self.gain = np.zeros(paths) if rules.taxable else None
        self.wealth[0] = rules.initial_value
        if self.before is not self.weights:
            self.before[0] = targets[0][:, np.newaxis]
        self.final: np.ndarray | None = None
        if flows_in is None:
            self.has_in = self.has_out = np.zeros(periods, dtype=bool)
        else:
            self.has_in = (flows_in > 0).reshape(periods, -1).any(axis=1)
            self.has_out = (flows_in < 0).reshape(periods, -1).any(axis=1)
        self.adding, self.selling = self.has_in.tolist(), self.has_out.tolist()
        if rules.check_every is None and not self.has_out.any():  # nothing is ever sold
            self.sells = nothing
        self.safe = bool(rules.initial_value == 0 or self.has_out.any() or rules.wiped_out)
        capped = self.safe or 3 * rules.cost_rate + rules.tax_rate >= 1
        charged = rules.cost_rate > 0 or rules.taxable
        self.charges = (rules.cost_rate, rules.tax_rate, capped) if charged else None
        self.cheap_cost = rules.cost_rate > 0 and not capped  # no cap to apply to the cost
        self.scratch = Scratch(assets, paths)
        self.wide_bands = rules.bands is not None and bool(np.all(rules.bands >= 1e-9))
        self.purchases = self.cost_of_flow = None
        if flows_in is not None and flows_in.ndim == 1 and not self.has_out.any():
            # every path gets the same contributions: one read-only column says it all
            column = np.concatenate(([0.0], flows_in))[:, np.newaxis]
            self.flows = np.broadcast_to(column, (steps, paths))
            if not rules.underweight:
                self._book_contributions(flows_in, targets, capped)
        else:
            self.flows = np.zeros((steps, paths))
        self.left = np.empty(paths)
        # off the check dates, drift() can run the steps: nothing but growth, the fee and
        # the same contribution on every path, whose cost (if any) is known ahead
        self.simple = self.income is None and (flows_in is None or (
            self.purchases is not None and (self.cost_of_flow is not None
                                            or rules.cost_rate == 0)))

    def _book_contributions(self, flows_in, targets, capped):
        """Write ahead what the same contribution on every path, bought at target, costs.

        Row t of ``buys`` (and of ``costs``, at cost_rate x buys) starts as the step's
        contribution; a trade at the step adds to it. ``purchases`` (T, A, 1) are the
        dollars each contribution buys.
        """
        self.purchases = targets[1:, :, np.newaxis] * flows_in[:, np.newaxis, np.newaxis]
        cost_rate = 0.0 if self.charges is None else self.charges[0]
        if cost_rate > 0 and not capped:
            self.cost_of_flow = (flows_in + 0.0) * cost_rate  # (bought + sold) x rate
        if self.every is None and (cost_rate == 0 or self.cost_of_flow is not None):
            # nothing but the contributions is ever bought: one read-only column each
            shape = self.buys.shape
            self.buys = np.broadcast_to(np.concatenate(([0.0], flows_in))[:, np.newaxis],
                                        shape)
            if cost_rate > 0:
                self.costs = np.broadcast_to(
                    np.concatenate(([0.0], self.cost_of_flow))[:, np.newaxis], shape)
            return
        steps = slice(1, None) if self.has_in.all() else self.has_in.nonzero()[0] + 1
        self.buys[steps] = flows_in[:, np.newaxis][self.has_in]
        if self.cost_of_flow is not None:
            self.costs[steps] = self.cost_of_flow[:, np.newaxis][self.has_in]

    def step(self, t: int) -> None:
        """Run period t: growth and fee, cash flow, policy, cost and tax, record."""
        rules, basis, safe = self.rules, self.basis, self.safe
        if self.income is not None:  # taxed on the holdings at the start of the period
            drag, yields = self.income
            tax = drag[:, t - 1, :].T * self.holdings
            np.sum(tax, axis=0, out=self.income_taxes[t])
            basis += yields[:, np.newaxis] * self.holdings - tax  # the rest is reinvested
        holdings = self.weights[t]  # the dollars of step t, divided later by record()
        np.multiply(self.holdings, self.growth[t - 1], out=holdings)
        self.holdings = holdings
        now = self.wealth[t]
        if holdings.shape[0] == 1:
            np.copyto(now, holdings[0])
        else:  # the assets added up left to right
            np.add(holdings[0], holdings[1], out=now)
            for row in holdings[2:]:
                now += row
        if self.fee_share > 0:
            np.multiply(now, self.fee_share, out=self.fees[t])
        selling = self.selling[t - 1]
        active = selling or self.adding[t - 1]
        checking = self.every is not None and not t % self.every
        if active and self.purchases is not None:
            # the same contribution on every path, bought at target: booked ahead
            purchases = self.purchases[t - 1]
            holdings += purchases
            if basis is not None:
                basis += purchases
            now += self.flows_in[t - 1]
            if not checking and self.cost_of_flow is not None:
                self._settle_flow(holdings, basis, now, t)
                return
        target = rules.targets[t]
        books = Books(self.buys[t], self.sells[t], None, safe)
        books.bought = active and self.purchases is not None
        if active and self.purchases is None:
            # the gain of every path is added up only when a withdrawal or a trade of every
            # path sells; the few paths that leave their band keep their own
            if selling and basis is not None:
                books.gain = self.gain
                books.gain.fill(0.0)
            flow = add_flow(books, holdings, basis, now, self.flows_in[t - 1], target,
                            rules.underweight, (bool(self.has_in[t - 1]), selling))
            if self.flows.flags.writeable:  # else every path has the same, already known
                self.flows[t] = flow
            now += flow  # the trade of the flow is worth exactly the flow
        if not checking:
            if active and self.charges is not None and self.cheap_cost and not (
                    books.sold or books.gain is not None):  # only bought: (buys + 0) x rate
                np.multiply(books.buys, self.charges[0], out=self.costs[t])
                self._settle_flow(holdings, basis, now, t)
            elif active and self.charges is not None:  # pro-rata: the weights do not change
                settle(holdings, basis, now, (books.buys, books.sells, books.gain),
                        self.charges, safe, self.costs[t], self.taxes[t])
            return
        before = divide(holdings, now, target, safe, self.before[t])
        band = None if rules.bands is None else rules.bands[t]
        count = now.size if band is None else self.scratch.breaches(before, target, band)
        traded = few = None
        if count > now.size // _FEW:
            if basis is not None and books.gain is None:
                books.gain = self.gain
                books.gain.fill(0.0)
            if band is None:
                traded = trade_all(books, holdings, basis, now, None, target, None, False,
                                    None)
            else:
                traded = trade_all(books, holdings, basis, now, self.scratch.drift, target,
                                    band, rules.to_band, self.scratch.breached)
        elif count:
            few = self.trade_few(t, self.scratch.breached.nonzero()[0], target, band,
                                 books, alone=not active)
        if traded is not None:
            self.rebalanced[t] = traded
        if traded is None and self.purchases is not None and active and (
                self.cost_of_flow is not None) and (few is None or few[1] is None):
            # the cost of the contribution is booked ahead: only that of the few paths that
            # traded is added, as settle computes it, then all is taken as settle does
            if few is not None:
                where = few[0]
                self.costs[t, where] = (self.buys[t, where] + self.sells[t, where]) * (
                    self.charges[0])
            self._settle_flow(holdings, basis, now, t)
        elif self.charges is not None and (active or traded is not None):
            gain = books.gain
            if gain is None and few is not None and few[1] is not None:
                gain = few  # only these paths realised a gain
            settle(holdings, basis, now, (books.buys, books.sells, gain), self.charges, safe,
                    self.costs[t], self.taxes[t])

    def _settle_flow(self, holdings, basis, now, t):
        """Take step t's cost, already in ``costs``, out pro-rata as ``settle`` does."""
        left = np.subtract(now, self.costs[t], out=self.left)
        keep = np.divide(left, now, out=now)
        holdings *= keep
        if basis is not None:
            basis *= keep
        np.copyto(now, left)

    def drift(self, start: int, stop: int) -> None:
        """Run steps start..stop-1, none of them a check date, when ``simple`` holds.

        Only growth, the fee and the same contribution on every path (bought at target,
        its cost taken pro-rata) happen, as in ``step``, with fewer lookups per step.
        """
        weights, wealth, growth, fees = self.weights, self.wealth, self.growth, self.fees
        holdings, basis, fee_share, left = self.holdings, self.basis, self.fee_share, self.left
        adding, purchases, flows_in, cost = self.adding, self.purchases, self.flows_in, \
            self.cost_of_flow
        single = holdings.shape[0] == 1
        for t in range(start, stop):
            new = weights[t]
            np.multiply(holdings, growth[t - 1], out=new)
            holdings = new
            now = wealth[t]
            if single:
                np.copyto(now, holdings[0])
            else:  # the assets added up left to right
                np.add.reduce(holdings, axis=0, out=now)
            if fee_share > 0:
                np.multiply(now, fee_share, out=fees[t])
            if adding[t - 1]:
                bought = purchases[t - 1]
                holdings += bought
                if basis is not None:
                    basis += bought
                now += flows_in[t - 1]
                if cost is not None:  # taken pro-rata, as settle does
                    np.subtract(now, cost[t - 1], out=left)
                    keep = np.divide(left, now, out=now)
                    holdings *= keep
                    if basis is not None:
                        basis *= keep
                    np.copyto(now, left)
        self.holdings = holdings

    def record(self, start: int, stop: int) -> None:
        """Turn the dollars of steps start..stop-1 into weights, and fill their ``before``.

        Off the check dates nothing trades, so the weights before a trade are the weights.
        """
        if stop > self.wealth.shape[0] - 1 and self.final is None:
            self.final = self.holdings.copy()
        block = self.weights[start:stop]
        wealth = self.wealth[start:stop]
        np.divide(block, wealth[:, np.newaxis, :], out=block)
        if self.safe:
            steps, paths = np.nonzero(wealth <= 0)
            if steps.size:
                block[steps, :, paths] = self.rules.targets[start + steps]
        if start == 0:  # the starting mix, exactly
            block[0] = self.rules.targets[0][:, np.newaxis]
        first = max(start, 1)
        if self.every is None:  # the same array
            return
        every = self.every
        while first < stop:  # the runs of steps between check dates
            check = -(-first // every) * every
            if check > first:
                np.copyto(self.before[first:min(check, stop)], self.weights[first:min(check, stop)])
            first = check + 1

    def trade_few(self, t, where, target, band, books, alone):
        """Trade only the breached paths ``where``, on compact copies of their columns.

        When the trade is ``alone`` at this step (no cash flow), its cost and tax are
        settled here too; else its totals are added to the step's ``books``, which are
        settled for every path afterwards. Returns the positions that traded and, when the
        books do not add up gains, their realised gain (else None); or None when no path
        traded.
        """
        to_band = self.rules.to_band
        part = self.holdings.take(where, axis=1)
        value = self.wealth[t].take(where)
        drift = self.scratch.drift.take(where, axis=1) if to_band else None
        trade, traded = trade_size(part, value, drift, target, band, to_band)
        # a path outside a band of at least 1e-9 trades more than 1e-9 of its value when it
        # goes back to target (unless its value is so small that the trade rounds to 0); a
        # trade to the band's edge may still be tiny
        if to_band or not self.wide_bands or value.min() < 1e-250:
            live = traded > TRADE_TOLERANCE * value
            if not live.all():
                if not live.any():
                    return None
                where, part, value = where[live], part[:, live], value[live]
                trade, traded = trade[:, live], traded[live]
        taxable = self.basis is not None
        part_basis = self.basis.take(where, axis=1) if taxable else None
        bought, sold, gain = apply_trades(part, part_basis, trade, traded, self.safe)
        if alone:  # the step's rows are still zero on these paths
            if self.charges is not None:
                costs, taxes = np.empty(where.size), np.empty(where.size)
                settle(part, part_basis, value, (bought, sold, gain), self.charges, self.safe,
                        costs, taxes)
                if self.charges[0] > 0:
                    self.costs[t, where] = costs
                if taxable:
                    self.taxes[t, where] = taxes
                self.wealth[t, where] = value
            self.buys[t, where] = bought
            self.sells[t, where] = sold
            gain = None
        else:
            books.add(bought, sold, where)
            if books.gain is not None:
                books.gain[where] += gain
                gain = None
        self.holdings[:, where] = part
        if taxable:
            self.basis[:, where] = part_basis
        self.rebalanced[t, where] = True
        return where, gain

    def outputs(self) -> Outputs:
        """Return the recorded arrays and the final holdings."""
        taxes = self.taxes if self.income is None else self.taxes + self.income_taxes
        return Outputs(self.wealth, self.weights, self.before, self.rebalanced, self.buys,
                       self.sells, self.costs, taxes, self.fees, self.flows,
                       self.final, self.basis, self.income_taxes)


def run(returns: np.ndarray, rules: Rules, flows_in: np.ndarray | None) -> Outputs:
    """Simulate every path; see :mod:`rebalance_widgets.core.simulation.engine` for the timeline.

    Parameters
    ----------
    returns : numpy.ndarray
        (P, T, A) checked simple returns.
    rules : Rules
        The checked settings.
    flows_in : numpy.ndarray or None
        Cash flows asked for at steps 1..T: (T,) when every path gets the same, else
        (T, P).

    Returns
    -------
    Outputs
        Time-major arrays.
    """
    loop = _Loop(returns, rules, flows_in)
    periods = returns.shape[1]
    every = loop.every
    paths, assets = returns.shape[0], returns.shape[2]
    block = max(1, min(_RECORD_BLOCK, _RECORD_VALUES // (paths * assets)))
    recorded, t = 0, 1
    # a band divided by a tiny drift may overflow to inf: the room is then capped at 1
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while t <= periods:
            if loop.simple and (every is None or t % every):
                # drift up to the next check date, a block of steps at a time
                stop = min(periods + 1, t + _RECORD_BLOCK)
                if every is not None:
                    stop = min(stop, -(-t // every) * every)
                loop.drift(t, stop)
            else:
                loop.step(t)
                stop = t + 1
            t = stop
            if t - 1 - recorded >= block:  # step t - 1 is still read by step t
                loop.record(recorded, t - 1)
                recorded = t - 1
        loop.record(recorded, periods + 1)
    return loop.outputs()

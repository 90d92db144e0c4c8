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

__all__ = ["TRADE_TOLERANCE", "Outputs", "Rules", "run", "water_fill"]

TRADE_TOLERANCE = 1e-12
"""A trade smaller than this share of the portfolio's value is not made and not counted."""

_PATH_BLOCK = 1024  # paths per piece when the returns are turned time-major
_PERIOD_BLOCK = 36  # periods turned at a time
_NETWORK_LIMIT = 8  # up to this many assets, sort with a compare-swap network
_FEW = 8  # trade only the breached paths when they are at most 1/_FEW of all paths


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
    wiped_out: bool  # some return is -100%


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


def _sorted_rows(gaps: np.ndarray) -> list[np.ndarray]:
    """Rows of ``gaps`` sorted from largest to smallest, path by path."""
    assets = gaps.shape[0]
    if assets > _NETWORK_LIMIT:
        return list(-np.sort(-gaps, axis=0))
    rows = list(gaps)
    for round_ in range(assets):  # odd-even transposition sort, one compare-swap per pair
        for i in range(round_ % 2, assets - 1, 2):
            rows[i], rows[i + 1] = np.maximum(rows[i], rows[i + 1]), np.minimum(rows[i],
                                                                               rows[i + 1])
    return rows


def water_fill(gaps: np.ndarray, amount: np.ndarray | float) -> np.ndarray:
    """Share ``amount`` among assets, the largest gap first, levelling the gaps down.

    Finds the level L with sum_i max(gap_i - L, 0) = amount and gives asset i
    max(gap_i - L, 0). For any group of assets, (their total gap - amount) / their count is
    at most L, and the group of the assets that get money reaches it, so L is the largest
    of these values over the groups made of the k largest gaps, k = 1..A.

    Parameters
    ----------
    gaps : numpy.ndarray
        (A, P) dollar gaps (shortfalls for a contribution, excesses for a withdrawal).
    amount : numpy.ndarray or float
        (P,) dollars to share, zero or more, at most the sum of the positive gaps. Paths
        with amount 0 get nothing.

    Returns
    -------
    numpy.ndarray
        (A, P) dollars for each asset.

    Examples
    --------
    >>> water_fill(np.array([[30.0], [10.0], [-40.0]]), np.array([24.0])).ravel().tolist()
    [22.0, 2.0, 0.0]
    """
    running = np.zeros(gaps.shape[1])
    level = np.full(gaps.shape[1], -np.inf)
    candidate = np.empty(gaps.shape[1])
    for count, row in enumerate(_sorted_rows(gaps), start=1):
        running += row
        np.subtract(running, amount, out=candidate)
        candidate /= count
        np.maximum(level, candidate, out=level)
    shares = np.subtract(gaps, level)
    np.maximum(shares, 0.0, out=shares)
    shares *= np.greater(amount, 0.0)
    return shares


class _Books:
    """Running totals of one step for some paths: dollars bought and sold, realised gain."""

    def __init__(self, buys: np.ndarray, sells: np.ndarray, gain: np.ndarray | None,
                 safe: bool) -> None:
        self.buys = buys
        self.sells = sells
        self.gain = gain
        self.safe = safe  # some holding may be 0 while its basis is not

    def sell(self, holdings: np.ndarray, basis: np.ndarray | None, sales: np.ndarray) -> None:
        """Sell ``sales`` (A, n) dollars, realising gains at the average cost."""
        if basis is not None:
            leaving = np.empty_like(sales)
            if self.safe:
                leaving.fill(0.0)
                np.divide(basis, holdings, out=leaving, where=holdings > 0)
            else:  # a zero holding has zero basis here
                np.maximum(holdings, np.finfo(float).tiny, out=leaving)
                np.divide(basis, leaving, out=leaving)
            leaving *= sales  # basis that leaves with the sale
            self.gain += sales.sum(axis=0)
            self.gain -= leaving.sum(axis=0)
            basis -= leaving
        holdings -= sales
        self.sells += sales.sum(axis=0)

    def buy(self, holdings: np.ndarray, basis: np.ndarray | None, purchases: np.ndarray) -> None:
        """Buy ``purchases`` (A, n) dollars at cost."""
        holdings += purchases
        if basis is not None:
            basis += purchases
        self.buys += purchases.sum(axis=0)


def _flow(books, holdings, basis, wealth, flow, target, underweight, signs):
    """Add or take the step's cash flow; return the flow that actually happened (P,)."""
    has_in, has_out = signs
    column = target[:, np.newaxis]
    if not has_out and not underweight and np.ndim(flow) == 0:
        # the same contribution on every path, bought at the target weights
        purchases = column * flow
        holdings += purchases
        if basis is not None:
            basis += purchases
        books.buys += flow
        return flow
    flow = np.broadcast_to(flow, wealth.shape)
    contribution = np.maximum(flow, 0.0)
    withdrawal = np.minimum(np.maximum(-flow, 0.0), wealth) if has_out else None
    if underweight:
        after = wealth + contribution
        if has_out:
            after -= withdrawal
        gaps = np.multiply(column, after)
        gaps -= holdings
        purchases = water_fill(gaps, contribution) if has_in else None
        if has_out:
            np.negative(gaps, out=gaps)
            sales = water_fill(gaps, withdrawal)
    else:
        purchases = column * contribution if has_in else None
        if has_out:
            share = np.divide(withdrawal, wealth, out=np.zeros_like(wealth), where=wealth > 0)
            sales = holdings * share
    if has_out:
        emptied = (flow < 0) & (-flow >= wealth)
        if emptied.any():
            sales[:, emptied] = holdings[:, emptied]
        books.sell(holdings, basis, sales)
        if emptied.any():
            holdings[:, emptied] = 0.0
            if basis is not None:
                basis[:, emptied] = 0.0
        contribution -= withdrawal
    if has_in:
        books.buy(holdings, basis, purchases)
    return contribution


def _trade(books, holdings, basis, wealth, drift, target, band, to_band, breached):
    """Trade some paths back to the target (or the band's edge); return where it traded.

    ``drift`` is |weights - target| (A, n); it is needed only to trade to the band's edge.
    """
    column = target[:, np.newaxis]
    trade = np.multiply(column, wealth)
    trade -= holdings
    if to_band:
        # largest k in [0, 1] with k |w - target| <= band for every asset
        room = np.divide(band[:, np.newaxis], drift)
        keep = np.fmin.reduce(room, axis=0)
        np.fmin(keep, 1.0, out=keep)
        np.subtract(1.0, keep, out=keep)
        trade *= keep
    size = np.abs(trade)
    traded = size.sum(axis=0)  # bought + sold
    live = traded > TRADE_TOLERANCE * wealth
    if breached is not None:
        live &= breached
    if not live.any():
        return None
    if not live.all():
        trade *= live
        traded *= live
    if basis is None:
        holdings += trade
        net = trade.sum(axis=0)  # bought - sold
        bought = np.add(traded, net)
        bought *= 0.5
        np.maximum(bought, 0.0, out=bought)
        books.buys += bought
        np.subtract(traded, bought, out=traded)
        np.maximum(traded, 0.0, out=traded)
        books.sells += traded
        return live
    np.minimum(trade, 0.0, out=size)
    np.negative(size, out=size)
    books.sell(holdings, basis, size)
    np.maximum(trade, 0.0, out=size)
    books.buy(holdings, basis, size)
    return live


def _rebalance(books, holdings, basis, wealth, weights, target, band, to_band):
    """Apply the policy on a check date.

    Returns ``(traded, where)``: the paths that traded (None if none did) and, when only a
    few paths were looked at, their positions (else None).
    """
    if band is None:
        traded = _trade(books, holdings, basis, wealth, None, target, band, to_band, None)
        return traded, None
    drift = np.subtract(weights, target[:, np.newaxis])
    np.abs(drift, out=drift)
    breached = (drift > band[:, np.newaxis]).any(axis=0)
    count = np.count_nonzero(breached)
    if count == 0:
        return None, None
    if count > breached.size // _FEW:
        traded = _trade(books, holdings, basis, wealth, drift, target, band, to_band,
                        breached)
        return traded, None
    # only a few paths are outside their band: trade just those
    where = np.flatnonzero(breached)
    part = _Books(np.zeros(count), np.zeros(count),
                  None if books.gain is None else np.zeros(count), books.safe)
    part_holdings = holdings[:, where]
    part_basis = None if basis is None else basis[:, where]
    live = _trade(part, part_holdings, part_basis, wealth[where], drift[:, where], target,
                  band, to_band, None)
    if live is None:
        return None, None
    holdings[:, where] = part_holdings
    if basis is not None:
        basis[:, where] = part_basis
        books.gain[where] += part.gain
    books.buys[where] += part.buys
    books.sells[where] += part.sells
    traded = np.zeros(breached.size, dtype=bool)
    traded[where] = live
    return traded, where


def _settle(books, holdings, basis, wealth, cost_rate, tax_rate, costs, taxes):
    """Take the step's trading cost and tax out of the portfolio pro-rata.

    Neither can take more than is left. Without withdrawals that cannot happen when
    3 x cost_rate + tax_rate < 1 (a step buys and sells at most 3 x its wealth and realises
    at most its wealth as gain), and the caps are skipped.
    """
    capped = books.safe or 3 * cost_rate + tax_rate >= 1
    left = wealth.copy()
    if cost_rate > 0:
        np.add(books.buys, books.sells, out=costs)
        costs *= cost_rate
        if capped:
            np.minimum(costs, wealth, out=costs)
        left -= costs
    if books.gain is not None:
        np.maximum(books.gain, 0.0, out=taxes)
        taxes *= tax_rate
        if capped:
            np.minimum(taxes, left, out=taxes)
        left -= taxes
    if books.safe:
        keep = np.divide(left, wealth, out=np.zeros_like(left), where=wealth > 0)
    else:
        keep = np.divide(left, wealth)
    holdings *= keep
    if basis is not None:
        basis *= keep
    np.copyto(wealth, left)


def _weights(holdings, wealth, target, safe, out):
    """Write holdings / wealth into ``out``; an empty portfolio gets the target weights."""
    np.multiply(holdings, np.divide(1.0, wealth), out=out)
    if safe:
        empty = wealth <= 0
        if empty.any():
            out[:, empty] = target[:, np.newaxis]


class _Growth:
    """Growth factors (1 + r) x fee drag of one period, time-major (A, P).

    The returns come path-major (P, T, A); they are turned around a block of periods at a
    time, in cache-sized pieces, so the whole (T, A, P) array is never built.
    """

    def __init__(self, returns: np.ndarray, keep_after_fee: float) -> None:
        self.returns = returns
        self.keep_after_fee = keep_after_fee
        paths, periods, assets = returns.shape
        self.block = np.empty((min(_PERIOD_BLOCK, periods), assets, paths))
        self.first = -_PERIOD_BLOCK

    def __getitem__(self, period: int) -> np.ndarray:
        offset = period - self.first
        if not 0 <= offset < _PERIOD_BLOCK:
            self.first, offset = period, 0
            count = min(_PERIOD_BLOCK, self.returns.shape[1] - period)
            for start in range(0, self.returns.shape[0], _PATH_BLOCK):
                piece = self.block[:count, :, start:start + _PATH_BLOCK]
                source = self.returns[start:start + _PATH_BLOCK, period:period + count]
                np.add(source.transpose(1, 2, 0), 1.0, out=piece)
                if self.keep_after_fee != 1.0:
                    piece *= self.keep_after_fee
        return self.block[offset]


def run(returns: np.ndarray, rules: Rules, flows_in: np.ndarray | None) -> Outputs:
    """Simulate every path; see :mod:`rebalance_widgets.core.engine` for the timeline.

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
    paths, periods, assets = returns.shape
    steps = periods + 1
    targets = rules.targets
    growth = _Growth(returns, rules.keep_after_fee)
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
    if flows_in is None:
        has_in = has_out = np.zeros(periods, dtype=bool)
    else:
        has_in = (flows_in > 0).reshape(periods, -1).any(axis=1)
        has_out = (flows_in < 0).reshape(periods, -1).any(axis=1)
    safe = bool(rules.initial_value == 0 or has_out.any() or rules.wiped_out)
    charged = rules.cost_rate > 0 or rules.taxable
    gain = np.zeros(paths) if rules.taxable else None
    every = rules.check_every

    with np.errstate(divide="ignore", invalid="ignore"):
        for t in range(1, steps):
            holdings *= growth[t - 1]
            now = _sum_assets(holdings, wealth[t])
            if fee_share > 0:
                np.multiply(now, fee_share, out=fees[t])
            target = targets[t]
            books = _Books(buys[t], sells[t], gain, safe)
            if gain is not None:
                gain.fill(0.0)
            active = bool(has_in[t - 1] or has_out[t - 1])
            if active:
                flows[t] = _flow(books, holdings, basis, now, flows_in[t - 1], target,
                                 rules.underweight, (has_in[t - 1], has_out[t - 1]))
                now += flows[t]  # the trade of the flow is worth exactly the flow
            checking = every is not None and t % every == 0
            traded = where = None
            if checking:
                _weights(holdings, now, target, safe, before[t])
                band = None if rules.bands is None else rules.bands[t]
                traded, where = _rebalance(books, holdings, basis, now, before[t], target,
                                           band, rules.to_band)
                if traded is not None:  # buying and selling leave the wealth unchanged
                    rebalanced[t] = traded
            if charged and (active or traded is not None):
                _settle(books, holdings, basis, now, rules.cost_rate, rules.tax_rate,
                        costs[t], taxes[t])  # pro-rata: the weights do not change
            if not checking:
                _weights(holdings, now, target, safe, weights[t])
                before[t] = weights[t]
                continue
            if traded is not None and where is None:
                _weights(holdings, now, target, safe, weights[t])
                continue
            weights[t] = before[t]
            if traded is not None:
                part = weights[t][:, where]
                _weights(holdings[:, where], now[where], target, safe, part)
                weights[t][:, where] = part
    return Outputs(wealth, weights, before, rebalanced, buys, sells, costs, taxes, fees,
                   flows, holdings, basis)

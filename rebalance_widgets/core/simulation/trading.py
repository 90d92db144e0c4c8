"""Trades and charges of one step of ``simulate``, on asset-major arrays.

Holdings are (A, n) with one row of paths per asset, as in
:mod:`rebalance_widgets.core.simulation.steps`, which calls these functions.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TRADE_TOLERANCE", "apply_trades", "divide", "settle", "trade_all", "trade_size"]

TRADE_TOLERANCE = 1e-12
"""A trade smaller than this share of the portfolio's value is not made and not counted."""

_TINY = np.finfo(float).tiny


def divide(holdings, wealth, target, safe, out):
    """Write the weights holdings / wealth into ``out``; an empty portfolio gets the target."""
    np.divide(holdings, wealth, out=out)
    if safe:
        empty = wealth <= 0
        if empty.any():
            out[:, empty] = target[:, np.newaxis]
    return out


def trade_size(holdings, wealth, drift, target, band, to_band):
    """Dollars to trade (A, n) to reach the target, or the band's edge; and their total."""
    trade = np.multiply(target[:, np.newaxis], wealth)
    trade -= holdings
    if to_band:
        # largest k in [0, 1] with k |w - target| <= band for every asset
        room = np.divide(band[:, np.newaxis], drift)
        keep = np.fmin.reduce(room, axis=0)
        np.fmin(keep, 1.0, out=keep)
        np.subtract(1.0, keep, out=keep)
        trade *= keep
    traded = np.abs(trade).sum(axis=0)  # bought + sold
    return trade, traded


def _basis_share(holdings, basis, safe):
    """Share of each holding's value that is cost basis, basis / holdings (A, n)."""
    if safe:  # a holding may be 0 while its basis is not: its share is never used
        share = np.zeros_like(holdings)
        np.divide(basis, holdings, out=share, where=holdings > 0)
        return share
    share = np.maximum(holdings, _TINY)  # here a zero holding has zero basis
    np.divide(basis, share, out=share)
    return share


def apply_trades(holdings, basis, trade, traded, safe):
    """Make the trades (A, n) in place; return the dollars bought and sold and the gain.

    A sale of s from a holding with value V and basis B realises s (1 - B / V) and takes
    s B / V of basis with it; a purchase adds its cost to the basis. The gain is None
    without a basis.
    """
    purchases = np.maximum(trade, 0.0)
    bought = purchases.sum(axis=0)
    if basis is None:
        holdings += trade
        sold = np.subtract(traded, bought)  # traded = bought + sold
        np.maximum(sold, 0.0, out=sold)
        return bought, sold, None
    sales = np.subtract(purchases, trade)  # exact: one of the two is 0
    sold = sales.sum(axis=0)
    leaving = _basis_share(holdings, basis, safe)
    leaving *= sales  # basis that leaves with the sales
    gain = np.subtract(sold, leaving.sum(axis=0))
    purchases -= leaving  # exact: one of the two is 0
    basis += purchases
    holdings += trade
    return bought, sold, gain


def trade_all(books, holdings, basis, wealth, drift, target, band, to_band, breached):
    """Trade every path (or every ``breached`` one) in place; return where it traded."""
    trade, traded = trade_size(holdings, wealth, drift, target, band, to_band)
    live = traded > TRADE_TOLERANCE * wealth
    if breached is not None:
        live &= breached
    if not live.any():
        return None
    if not live.all():
        trade *= live
        traded *= live
    bought, sold, gain = apply_trades(holdings, basis, trade, traded, books.safe)
    books.add(bought, sold)
    if gain is not None:
        books.gain += gain
    return live


def settle(holdings, basis, wealth, totals, charges, safe, costs, taxes):
    """Take the step's trading cost and tax out of the portfolio pro-rata.

    ``totals`` are the step's (bought, sold, gain) per path; the gain is None when none
    was realised (or outside a taxable account), or (positions, gain) when only those
    paths realised one. ``charges`` is (cost_rate, tax_rate, capped). Neither charge can
    take more than is left. With ``capped`` false that cannot happen (no withdrawals and
    3 x cost_rate + tax_rate < 1: a step buys and sells at most 3 x its wealth and
    realises at most its wealth as gain), and the caps are skipped. ``costs`` and
    ``taxes`` are written, and ``wealth`` becomes what is left.
    """
    bought, sold, gain = totals
    cost_rate, tax_rate, capped = charges
    if cost_rate > 0:
        np.add(bought, sold, out=costs)
        costs *= cost_rate
        if capped:
            np.minimum(costs, wealth, out=costs)
        left = np.subtract(wealth, costs)
    else:
        left = wealth.copy()
    if isinstance(gain, tuple):  # (positions, gain): the other paths realised nothing
        where, gain = gain
        tax = np.maximum(gain, 0.0)
        tax *= tax_rate
        if capped:
            np.minimum(tax, left[where], out=tax)
        taxes[where] = tax
        left[where] -= tax
    elif gain is not None:
        np.maximum(gain, 0.0, out=taxes)
        taxes *= tax_rate
        if capped:
            np.minimum(taxes, left, out=taxes)
        left -= taxes
    if safe:
        keep = np.divide(left, wealth, out=np.zeros_like(left), where=wealth > 0)
    else:
        keep = np.divide(left, wealth)
    holdings *= keep
    if basis is not None:
        basis *= keep
    np.copyto(wealth, left)

"""Cash flows inside the simulation loop, and the running totals of a step's trades.

Arrays are asset-major, as in :mod:`rebalance_widgets.core.simulation.steps`: holdings are
(A, P) with one contiguous row of P paths per asset.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Books", "add_flow", "water_fill"]

_NETWORK_LIMIT = 8  # up to this many assets, sort with a compare-swap network


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

    This is the kit's one rule for new money; the rebalance calculator uses it too
    (:func:`rebalance_widgets.core.calculator.rules.shortfall_fill`). Levelling the dollar
    gaps leaves the smallest largest drift ``max |w - target|`` and the smallest sum of
    squared drifts that the money can reach without selling, the measures the kit reports;
    filling every asset to the same fraction of its target would level relative drift
    instead. ``tests/core/test_new_money_rule.py`` checks that the two give the same split.

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
    rows = _sorted_rows(gaps)
    running = rows[0].copy()
    level = np.subtract(running, amount)  # the group of the largest gap alone
    candidate = np.empty(gaps.shape[1])
    for count, row in enumerate(rows[1:], start=2):
        running += row
        np.subtract(running, amount, out=candidate)
        candidate /= count
        np.maximum(level, candidate, out=level)
    shares = np.subtract(gaps, level)
    np.maximum(shares, 0.0, out=shares)
    if np.ndim(amount) or not amount > 0:
        shares *= np.greater(amount, 0.0)
    return shares


def _write_or_add(row: np.ndarray, index: slice | np.ndarray, dollars: np.ndarray | float,
                  started: bool) -> bool:
    """Add ``dollars`` to ``row[index]``, or write them while the row still holds zeros."""
    if started:
        row[index] += dollars
    else:
        row[index] = dollars
    return True


class Books:
    """Running totals of one step: dollars bought and sold and the realised gain per path.

    ``buys``, ``sells`` and ``gain`` are (P,) rows written in place; ``gain`` is None
    outside a taxable account. ``safe`` says that some holding may be 0 while its basis is
    not, so a sale must not divide by it.
    """

    def __init__(self, buys: np.ndarray, sells: np.ndarray, gain: np.ndarray | None,
                 safe: bool) -> None:
        self.buys = buys
        self.sells = sells
        self.gain = gain
        self.safe = safe
        self.bought = False  # the rows hold zeros until something is added
        self.sold = False

    def add(self, bought: np.ndarray | float | None, sold: np.ndarray | float | None,
            where: np.ndarray | None = None) -> None:
        """Add dollars bought and sold, for every path or for the positions ``where``.

        A row that still holds zeros is written rather than added to, so that fresh
        memory is not read first.
        """
        index = slice(None) if where is None else where
        if bought is not None:
            self.bought = _write_or_add(self.buys, index, bought, self.bought)
        if sold is not None:
            self.sold = _write_or_add(self.sells, index, sold, self.sold)

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
        self.add(None, sales.sum(axis=0))

    def buy(self, holdings: np.ndarray, basis: np.ndarray | None, purchases: np.ndarray) -> None:
        """Buy ``purchases`` (A, n) dollars at cost."""
        holdings += purchases
        if basis is not None:
            basis += purchases
        self.add(purchases.sum(axis=0), None)


def add_flow(books: Books, holdings: np.ndarray, basis: np.ndarray | None,
             wealth: np.ndarray, flow: np.ndarray | float, target: np.ndarray,
             underweight: bool, signs: tuple[bool, bool]) -> np.ndarray | float:
    """Add or take the step's cash flow; return the flow that actually happened.

    Parameters
    ----------
    books : Books
        The step's totals; contributions count as buys and withdrawals as sells.
    holdings, basis : numpy.ndarray
        (A, P) dollars and cost basis (None outside a taxable account), changed in place.
    wealth : numpy.ndarray
        (P,) value before the flow.
    flow : numpy.ndarray or float
        Dollars asked for, the same on every path or (P,).
    target : numpy.ndarray
        (A,) target weights in force.
    underweight : bool
        Cash-flow rebalancing: fill the largest gaps first.
    signs : tuple of bool
        Whether some path contributes, whether some path withdraws.

    Returns
    -------
    numpy.ndarray or float
        The flow of every path; a withdrawal is cut to what the path holds.
    """
    has_in, has_out = signs
    column = target[:, np.newaxis]
    if not has_out and not underweight and np.ndim(flow) == 0:
        # the same contribution on every path, bought at the target weights
        purchases = column * flow
        holdings += purchases
        if basis is not None:
            basis += purchases
        books.add(flow, None)
        return flow
    if not has_out and np.ndim(flow) == 0:  # the same contribution on every path
        contribution = flow
    else:
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

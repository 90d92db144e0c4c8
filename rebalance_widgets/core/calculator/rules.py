"""The arithmetic of the rebalance calculator, in whole cents.

The rules these steps follow are described in :mod:`rebalance_widgets.core.calculator.trades`.
"""

from __future__ import annotations

import numpy as np

from rebalance_widgets.core.calculator.holdings import Holding
from rebalance_widgets.core.calculator.lookthrough import place

__all__ = [
    "class_moves",
    "fund_trades",
    "pro_rata",
    "round_to_cents",
    "shortfall_fill",
    "skip_small_trades",
    "spread_target",
    "water_fill",
]


def round_to_cents(values: np.ndarray, total: int) -> np.ndarray:
    """Round non-negative cent amounts to whole cents that add up to ``total``."""
    floors = np.floor(values + 1e-9)
    extra = int(total - floors.sum())
    if not 0 <= extra <= len(values):
        raise AssertionError(f"rounding residual {extra} out of range")
    order = np.argsort(-(values - floors), kind="stable")
    floors[order[:extra]] += 1
    return floors.astype(np.int64)


def water_fill(weights: np.ndarray, floors: np.ndarray, amount: int) -> np.ndarray:
    """Split ``amount`` so ``floors + parts`` rise together towards ``weights x level``.

    Returns ``max(weights * level - floors, 0)`` for the level at which the parts add up to
    ``amount``; every weight must be above 0 and ``amount`` at least 0.
    """
    breakpoints = floors / weights
    order = np.argsort(breakpoints, kind="stable")
    weight_sum = floor_sum = 0.0
    level = 0.0
    for k, index in enumerate(order):
        weight_sum += weights[index]
        floor_sum += floors[index]
        level = (amount + floor_sum) / weight_sum
        if k + 1 == len(order) or level <= breakpoints[order[k + 1]]:
            break
    return np.maximum(weights * level - floors, 0.0)


def pro_rata(balances: np.ndarray, amount: int) -> np.ndarray:
    """Split ``amount`` cents in proportion to ``balances`` (equally if all are zero)."""
    basis = balances.astype(float) if balances.sum() > 0 else np.ones(len(balances))
    return round_to_cents(basis / basis.sum() * amount, amount)


def spread_target(holdings: list[Holding], target: dict[str, float]) -> dict[str, float]:
    """Spread the target share of classes no fund holds over the others, in proportion.

    A 60/30/10 stocks/bonds/cash target with no fund holding cash becomes 66.7/33.3/0.
    Returns the target unchanged when no held class has a share above 0.
    """
    held = {c for h in holdings for c, share in h.mix.items() if share > 0}
    kept = sum(share for c, share in target.items() if c in held)
    if kept <= 0:
        return dict(target)
    return {c: (share / kept if c in held else 0.0) for c, share in target.items()}


def shortfall_fill(gaps: np.ndarray, amount: int) -> np.ndarray:
    """Share ``amount`` cents among classes, the largest dollar shortfall first.

    ``gaps`` are target dollars minus held dollars (negative for an overweight class). The
    money levels the largest gaps down together: class i gets ``max(gap_i - L, 0)`` for the
    level ``L`` at which the parts add up to ``amount``. This is the rule of the simulation
    engine (:func:`rebalance_widgets.core.simulation.flows.water_fill`), the one the kit
    uses for all new money: of all ways to place the money without selling, it leaves the
    smallest largest drift ``max |w - target|`` and the smallest sum of squared drifts, the
    measures the kit reports. Filling each class to the same fraction of its target instead
    would level relative drift, which treats a 1-point miss on a 10% class like a 6-point
    miss on a 60% class.

    Examples
    --------
    Target 60/30/10 of 115 with 70/20/10 held: gaps -1, 14.5, 1.5; 15 new -> 0, 14, 1.

    >>> shortfall_fill(np.array([-100.0, 1450.0, 150.0]), 1500).tolist()
    [0, 1400, 100]
    """
    parts = water_fill(np.ones(len(gaps)), -np.asarray(gaps, dtype=float), amount)
    return round_to_cents(parts, amount)


def _with_mixed_funds(
    holdings: list[Holding], balances: np.ndarray, target: dict[str, float], total: int,
    mode: str,
) -> tuple[dict[str, int], np.ndarray, bool] | None:
    """Trade pools of single-class funds and each mixed fund as look-through columns."""
    classes = list(target)
    goal = spread_target(holdings, target)
    if not any(goal[c] > 0 for c in classes if any(h.mix.get(c) for h in holdings)):
        return None
    pools = [c for c in classes if any(h.single_class == c for h in holdings)]
    mixed = [i for i, h in enumerate(holdings) if h.single_class is None]
    columns = np.zeros((len(classes), len(pools) + len(mixed)))
    before = np.zeros(len(pools) + len(mixed), dtype=np.int64)
    for k, c in enumerate(pools):
        columns[classes.index(c), k] = 1.0
        before[k] = sum(int(balances[i]) for i, h in enumerate(holdings) if h.single_class == c)
    for k, i in enumerate(mixed, start=len(pools)):
        for c, share in holdings[i].mix.items():
            columns[classes.index(c), k] = share
        before[k] = balances[i]
    placed = place(columns, before, np.array([goal[c] for c in classes]), total,
                   buy_only=mode == "buy_only", mixed=np.arange(len(before)) >= len(pools))
    if mode == "buy_only" and not placed.reached:
        return None
    new_single = {c: int(placed.after[k]) for k, c in enumerate(pools)}
    mixed_trades = placed.after[len(pools):] - before[len(pools):]
    return new_single, mixed_trades, placed.reached


def class_moves(
    holdings: list[Holding],
    balances: np.ndarray,
    target: dict[str, float],
    contribution: int,
    mode: str,
) -> tuple[dict[str, int], np.ndarray, bool | None]:
    """Return new single-class totals, mixed-fund trades (cents), and whether it was reached.

    The last item says whether the look-through solver reached the (spread) target; it is
    None when the solver was not used (no mixed fund, or buy-only falling back to filling
    the largest shortfalls through single-class funds).
    """
    classes = list(target)
    single = {c: [i for i, h in enumerate(holdings) if h.single_class == c] for c in classes}
    mixed = [i for i, h in enumerate(holdings) if h.single_class is None]
    total = int(balances.sum()) + contribution
    if mixed and total > 0:
        solved = _with_mixed_funds(holdings, balances, target, total, mode)
        if solved is not None:
            return solved
    held_single = {c: int(balances[single[c]].sum()) for c in classes}
    looked_through = {
        c: sum(balances[i] * holdings[i].mix.get(c, 0.0) for i in mixed) for c in classes
    }
    open_classes = [c for c in classes if single[c] and target[c] > 0]
    weights = np.array([target[c] for c in open_classes])
    new_single = {c: 0 for c in classes}
    mixed_trades = np.zeros(len(mixed), dtype=np.int64)

    if mode == "buy_only":
        new_single = dict(held_single)
        to_place = contribution
        if to_place and open_classes:
            goal = spread_target(holdings, target)
            gaps = np.array(
                [goal[c] * total - held_single[c] - looked_through[c] for c in open_classes]
            )
            for c, part in zip(open_classes, shortfall_fill(gaps, to_place), strict=True):
                new_single[c] += int(part)
            to_place = 0
    else:
        to_place = sum(held_single.values()) + contribution
        if to_place > 0 and open_classes:
            fixed = np.array([looked_through[c] for c in open_classes])
            parts = round_to_cents(water_fill(weights, fixed, to_place), to_place)
            new_single.update(zip(open_classes, (int(p) for p in parts), strict=True))
            to_place = 0
    if to_place:
        if not mixed:
            wanted = ", ".join(c for c in classes if target[c] > 0)
            raise ValueError(
                f"None of your funds can take the money: no fund holds only {wanted}. Add a "
                "fund for one of the target's asset classes."
            )
        mixed_balances = balances[mixed]
        if to_place > 0:
            mixed_trades = pro_rata(mixed_balances, to_place)
        else:
            mixed_trades = -pro_rata(mixed_balances, -to_place)
    return new_single, mixed_trades, None


def fund_trades(
    holdings: list[Holding],
    balances: np.ndarray,
    new_single: dict[str, int],
    mixed_trades: np.ndarray,
) -> np.ndarray:
    """Turn class totals into fund trades: buy the largest fund, sell largest first."""
    trades = np.zeros(len(holdings), dtype=np.int64)
    for label, new_total in new_single.items():
        funds = [i for i, h in enumerate(holdings) if h.single_class == label]
        funds.sort(key=lambda i: -balances[i])
        change = new_total - int(balances[funds].sum()) if funds else 0
        if change > 0:
            trades[funds[0]] = change
        for i in funds if change < 0 else []:
            sell = min(-change, int(balances[i]))
            trades[i] = -sell
            change += sell
    mixed = [i for i, h in enumerate(holdings) if h.single_class is None]
    trades[mixed] = mixed_trades
    return trades


def skip_small_trades(
    trades: np.ndarray, balances: np.ndarray, min_cents: int, mode: str
) -> tuple[np.ndarray, list[int], int | None]:
    """Drop trades under ``min_cents`` and fold their net into one trade (rule 7 of trades).

    Returns the trades, the skipped funds, and the fund that took the skipped net (``None``
    if none was needed, ``-1`` if no trade could take it and nothing was skipped).
    """
    small = [int(i) for i in np.flatnonzero(trades) if abs(trades[i]) < min_cents]
    if not small:
        return trades, [], None
    kept = [int(i) for i in np.flatnonzero(trades) if i not in small]
    if trades[small].sum() == 0:
        out = trades.copy()
        out[small] = 0
        return out, small, None
    by_size = sorted(kept, key=lambda i: -abs(trades[i])) + sorted(
        small, key=lambda i: -abs(trades[i])
    )
    for i in by_size:
        skipped = [j for j in small if j != i]
        new_amount = trades[i] + trades[skipped].sum()
        # same direction, compared by sign (a product of two large cent amounts overflows)
        if new_amount == 0 or (new_amount > 0) != (trades[i] > 0) or balances[i] + new_amount < 0:
            continue
        if mode == "buy_only" and new_amount < 0:
            continue
        out = trades.copy()
        out[skipped] = 0
        out[i] = new_amount
        return out, skipped, i if skipped else None
    return trades, [], -1

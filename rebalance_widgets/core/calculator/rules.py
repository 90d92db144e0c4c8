"""The arithmetic of the rebalance calculator, in whole cents.

The rules these steps follow are described in :mod:`rebalance_widgets.core.calculator.trades`.
"""

from __future__ import annotations

import numpy as np

from rebalance_widgets.core.calculator.holdings import Holding

__all__ = [
    "class_moves",
    "fund_trades",
    "pro_rata",
    "round_to_cents",
    "skip_small_trades",
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


def class_moves(
    holdings: list[Holding],
    balances: np.ndarray,
    target: dict[str, float],
    contribution: int,
    mode: str,
) -> tuple[dict[str, int], np.ndarray]:
    """Return new single-class totals by class and the trades of mixed funds (cents)."""
    classes = list(target)
    single = {c: [i for i, h in enumerate(holdings) if h.single_class == c] for c in classes}
    mixed = [i for i, h in enumerate(holdings) if h.single_class is None]
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
            current = np.array([held_single[c] + looked_through[c] for c in open_classes])
            parts = round_to_cents(water_fill(weights, current, to_place), to_place)
            for c, part in zip(open_classes, parts, strict=True):
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
    return new_single, mixed_trades


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
        if new_amount * trades[i] <= 0 or balances[i] + new_amount < 0:
            continue
        if mode == "buy_only" and new_amount < 0:
            continue
        out = trades.copy()
        out[skipped] = 0
        out[i] = new_amount
        return out, skipped, i if skipped else None
    return trades, [], -1

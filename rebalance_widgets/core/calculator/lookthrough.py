"""Mixed funds as instruments: the fund amounts that reach a class target, in whole cents.

Each fund is a column of its look-through mix (a target-date fund that is 90% stocks and
10% bonds is the column ``(0.9, 0.1)``); the single-class funds of one asset class are pooled
into one column (``(1, 0)`` for stocks), and the pool is split among them afterwards by the
rules of :mod:`rebalance_widgets.core.calculator.rules`. The mixes the account can reach are
the sums ``V y`` of those columns with ``y >= 0`` (``y >= balance`` when only buying) and
``sum(y)`` equal to the account after the new money.

Two small linear programmes (scipy's HiGHS solver) find the fund amounts:

1. **Closeness.** The smallest total dollar gap ``sum_c |(V y)_c - target_c x total|``. It is
   0 exactly when the target is reachable with the funds held.
2. **Fewest trades.** Among the amounts that are that close, the ones that trade the fewest
   dollars; a dollar traded in a mixed fund counts a hair more than one in a single-class
   fund, so a tie goes to the single-class fund.

The programmes are written in the trades (bought and sold per fund) and scaled so the
dollars to move are about 1, so the solver's precision follows the trades, not the size of
the account. What the answer still misses by is then solved for again at its own scale
(iterative refinement, up to three times), and if it is still half a cent or more off, the
funds the solver traded are solved again exactly from the class equations with numpy; so a
reachable target is met to the cent. The amounts are rounded to cents that add up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Placement", "place"]

_MIXED_TRADE_COST = 1.0 + 1e-6  # prefer single-class funds when trades tie
_REACHED = 1e-9  # closeness (per dollar moved) that counts as on target
_NEAR = 1e-6  # closeness (per dollar moved) from which an exact solve is tried
_TOLERANCES = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


@dataclass(frozen=True)
class Placement:
    """Fund amounts after the trades, from :func:`place`.

    Attributes
    ----------
    after : numpy.ndarray
        (n_instruments,) int64 cents after the trades, adding up to the account after the
        new money.
    reached : bool
        True when the target (as given) is reachable, so ``after`` lands on it.
    """

    after: np.ndarray
    reached: bool


def _linprog(cost, a_eq, b_eq, a_ub, b_ub, bounds):
    """Solve with HiGHS; ``None`` when it finds no solution."""
    from scipy.optimize import linprog  # imported here: only accounts with mixed funds need it

    for options in (_TOLERANCES, {}):  # tight tolerances first, HiGHS's own if they fail
        result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds,
                         method="highs", options=options)
        if result.status == 0:
            return result
    return None


def _solve(columns: np.ndarray, gap: np.ndarray, move: float, most_sold: np.ndarray,
           trade_cost: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Solve the two programmes for the trades, scaled so the money to move is about 1.

    ``gap`` is the target's class dollars minus those held, ``move`` the new money (negative
    to take out) and ``most_sold`` the most each fund may sell (0 when only buying).
    Returns the trades and the smallest total class gap, both in the same scaled units, or
    ``None`` when the solver finds no answer.
    """
    classes, count = columns.shape
    eye = np.eye(classes)
    # Variables: bought (count), sold (count), class above target, class below target.
    a_eq = np.block([[columns, -columns, -eye, eye],
                     [np.ones((1, count)), -np.ones((1, count)), np.zeros((1, 2 * classes))]])
    b_eq = np.append(gap, move)
    bounds = ([(0, None)] * count + [(0, high) for high in most_sold]
              + [(0, None)] * (2 * classes))
    gap_cost = np.concatenate([np.zeros(2 * count), np.ones(2 * classes)])
    first = _linprog(gap_cost, a_eq, b_eq, None, None, bounds)
    if first is None:  # pragma: no cover - selling or buying in proportion is feasible
        return None
    closeness = float(first.fun)
    a_ub = gap_cost[np.newaxis]
    b_ub = [closeness * (1 + 1e-9) + 1e-10]  # room for the solver's own tolerance
    cost = np.concatenate([trade_cost, trade_cost, np.zeros(2 * classes)])
    second = _linprog(cost, a_eq, b_eq, a_ub, b_ub, bounds)
    x = (first if second is None else second).x
    return x[:count] - x[count:2 * count], closeness


def _polish(columns: np.ndarray, trades: np.ndarray, before: np.ndarray, lower: np.ndarray,
            goal: np.ndarray, total: float, tolerance: float) -> np.ndarray | None:
    """Solve again exactly (least squares) for the funds the solver traded, but did not empty.

    Returns the amounts, or ``None`` when that would take a fund below its bound.
    """
    amounts = before + trades
    emptied = np.abs(amounts - lower) <= tolerance
    fixed = emptied | (np.abs(trades) <= tolerance)
    held = np.where(emptied, lower, before)
    free = ~fixed
    system = np.vstack([columns, np.ones(len(amounts))])
    out = held.astype(float).copy()
    if free.any():
        wanted = np.append(goal, total) - system[:, fixed] @ held[fixed]
        out[free] = np.linalg.lstsq(system[:, free], wanted, rcond=None)[0]
    if (out < lower - 0.5).any():
        return None
    return np.maximum(out, lower)


def _miss(columns: np.ndarray, amounts: np.ndarray, goal: np.ndarray, total: float) -> float:
    """Largest miss, in cents, of the class target or of the total."""
    system = np.vstack([columns, np.ones(len(amounts))])
    return float(np.abs(system @ amounts - np.append(goal, total)).max())


def _to_cents(amounts: np.ndarray, total: int, lower: np.ndarray) -> np.ndarray:
    """Round to whole cents adding up to ``total``, never below ``lower`` (whole cents)."""
    amounts = np.maximum(amounts, lower)
    floors = np.maximum(np.floor(amounts + 1e-6), lower).astype(np.int64)
    extra = int(total - floors.sum())
    order = np.argsort(-(amounts - floors), kind="stable")
    while extra > 0:  # hand out the missing cents, largest dropped fraction first
        step = min(extra, len(order))
        floors[order[:step]] += 1
        extra -= step
    for index in order[::-1]:  # take back any cent too many, from those above their floor
        if extra == 0:
            break
        take = min(-extra, int(floors[index] - lower[index]))
        floors[index] -= take
        extra += take
    return floors


def place(columns: np.ndarray, before: np.ndarray, target: np.ndarray, total: int, *,
          buy_only: bool, mixed: np.ndarray) -> Placement:
    """Find fund amounts whose look-through mix is the target, or as close as can be.

    Parameters
    ----------
    columns : numpy.ndarray
        (n_classes, n_instruments) look-through shares; each column adds up to 1.
    before : numpy.ndarray
        (n_instruments,) int64 cents held now.
    target : numpy.ndarray
        (n_classes,) target shares adding up to 1.
    total : int
        Cents in the account after the new money (``before.sum()`` plus the contribution),
        above 0.
    buy_only : bool
        Never sell: every amount stays at or above its balance.
    mixed : numpy.ndarray
        (n_instruments,) bool, True for mixed funds (their trades count a hair more).

    Returns
    -------
    Placement
        Whole-cent amounts after the trades and whether the target was reached.

    Examples
    --------
    A target-date fund (90/10) of $50,000 and a bond fund of $10,000, aiming at 70/30:

    >>> columns = np.array([[0.9, 0.0], [0.1, 1.0]])
    >>> out = place(columns, np.array([5_000_000, 1_000_000]), np.array([0.7, 0.3]),
    ...             6_000_000, buy_only=False, mixed=np.array([True, False]))
    >>> out.after.tolist(), out.reached
    ([4666667, 1333333], True)
    """
    held = before.astype(float)
    lower = held if buy_only else np.zeros(len(before))
    goal = target * float(total)
    gap = goal - columns @ held
    move = float(total) - held.sum()
    # scaled so the dollars to move are about 1: precision follows the trades, not the account
    scale = max(abs(move), float(np.abs(gap).sum()), 1.0)
    most_sold = np.zeros(len(before)) if buy_only else held / scale
    trade_cost = np.where(mixed, _MIXED_TRADE_COST, 1.0)
    solved = _solve(columns, gap / scale, move / scale, most_sold, trade_cost)
    if solved is None:  # pragma: no cover - selling or buying in proportion is feasible
        raise AssertionError("trade solver found no fund amounts")
    trades, closeness = solved
    trades = trades * scale
    amounts = held + trades
    best = _miss(columns, amounts, goal, float(total))
    near = closeness <= _NEAR
    for _ in range(3 if near else 0):  # refine: solve again for what is left, at its scale
        if best < 0.5:
            break
        gap, move = goal - columns @ amounts, float(total) - amounts.sum()
        size = max(abs(move), float(np.abs(gap).sum()))
        solved = _solve(columns, gap / size, move / size,
                        np.maximum(amounts - lower, 0.0) / size, trade_cost)
        if solved is None:  # pragma: no cover - a rounding-level problem the solver refused
            break
        refined = np.maximum(amounts + solved[0] * size, lower)
        miss = _miss(columns, refined, goal, float(total))
        if miss >= best:
            break
        amounts, best = refined, miss
    # still off: solve exactly, trusting the solver's choice of funds to empty and to leave
    # alone from a coarse to a fine tolerance (-1: every fund free); keep the closest
    for tolerance in (1e-7 * scale, 1e-9 * scale, 0.5, 0.0, -1.0) if near else ():
        if best < 0.5:
            break
        exact = _polish(columns, amounts - held, held, lower, goal, float(total), tolerance)
        if exact is not None:
            miss = _miss(columns, exact, goal, float(total))
            if miss < best:
                amounts, best = exact, miss
    reached = closeness <= _REACHED or best < 0.5
    return Placement(_to_cents(amounts, total, lower.astype(np.int64)), reached)

"""The rebalance calculator: holdings + target mix (+ new money) -> a list of trades.

How the trades are chosen, in order:

1. **Look-through.** A mixed fund (target-date, balanced) counts toward each asset class it
   holds, in proportion (a $20,000 fund that is 90% stocks counts $18,000 as stocks).
2. **Which fund trades.** Every fund is an instrument with its look-through mix as a
   column; the single-class funds of one class act as one (buys go to the largest such
   fund; sells come from the largest first, then the next). When the account holds a mixed
   fund, the fund amounts are found by linear programming
   (:mod:`rebalance_widgets.core.calculator.lookthrough`): the target is met exactly
   whenever some mix of the funds held reaches it, with the fewest dollars traded (a
   single-class fund is preferred on a tie); otherwise the mix comes as close as it can
   (the smallest total dollar gap over the classes) and a note says which class stays short
   and what fund would close the gap. A $50,000 target-date fund (90/10) and a $10,000 bond
   fund aiming at 70/30: sell $3,333.33 of the fund and buy $3,333.33 of bonds.
3. **Full rebalance** (``mode="full"``) aims at the target share of the new total
   (holdings plus contribution). A target class that no fund holds at all cannot be
   reached: it is reported in ``unreachable``, and its share is spread over the other
   classes in proportion to their targets (a 60/30/10 stocks/bonds/cash target with no
   cash in any fund becomes 66.7/33.3).
4. **Buy-only** (``mode="buy_only"``) never sells. It lands on the target when buying
   alone can; otherwise the money goes through the single-class funds to the largest
   dollar shortfalls first, levelling them down together: the rule the simulation engine
   uses for new money (see :func:`~rebalance_widgets.core.calculator.rules.shortfall_fill`
   for why this rule).
5. **Last resort.** When no single-class fund can take the money (only mixed funds can,
   or a withdrawal is larger than all single-class funds) and the solver is not used,
   mixed funds are bought or sold in proportion to their balances, which keeps their mixes.
6. **Cents.** Everything is done in whole cents. Amounts are rounded so the trades add up
   exactly to the contribution (or to zero): the cents left over by rounding go to the
   classes whose exact amounts had the largest dropped fractions of a cent, so no class is
   more than a cent from its exact amount and no holding goes below zero.
7. **Small trades.** Trades smaller than ``min_trade`` are skipped, and their net dollars
   are folded into the largest remaining trade that can take them (it stays the same
   direction, buy-only still never sells, and no holding goes negative), so the trades
   still add up to the contribution. If every trade is small, the net goes into the largest
   one. If no trade can take it, nothing is skipped and a note says so.

A withdrawal is a negative contribution, up to the whole balance (full mode only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import isfinite

import numpy as np
import pandas as pd

from rebalance_widgets.core.calculator.holdings import (
    Holding,
    parse_holdings_csv,
    parse_mix,
    read_holdings_csv,
)
from rebalance_widgets.core.calculator.notes import closeness_note, explain, money
from rebalance_widgets.core.calculator.rules import class_moves, fund_trades, skip_small_trades

__all__ = [
    "MAX_CONTRIBUTION",
    "Holding",
    "Trade",
    "TradePlan",
    "parse_holdings_csv",
    "parse_mix",
    "plan_trades",
    "read_holdings_csv",
]

MAX_CONTRIBUTION = 1_000_000.0
MODES = ("full", "buy_only")


@dataclass(frozen=True)
class Trade:
    """One trade: buy or sell ``amount`` dollars (to the cent) of a fund."""

    fund: str
    action: str
    amount: float
    asset_class: str

    @property
    def signed_amount(self) -> float:
        """Dollars into the fund: positive for a buy, negative for a sell."""
        return self.amount if self.action == "buy" else -self.amount


@dataclass(frozen=True)
class TradePlan:
    """What to trade, and what the account looks like before and after.

    Attributes
    ----------
    trades : tuple of Trade
        The trades to place, largest first.
    classes : pandas.DataFrame
        One row per asset class: ``before``, ``after`` (dollars), ``before_weight``,
        ``after_weight``, ``target``, ``drift_before``, ``drift_after`` (weight minus target).
    funds : pandas.DataFrame
        One row per fund: ``fund``, ``asset_class``, ``before``, ``trade``, ``after``.
    contribution : float
        New money (negative for a withdrawal), to the cent.
    mode : str
        ``"full"`` or ``"buy_only"``.
    min_trade : float
        The smallest trade placed.
    skipped : tuple of Trade
        Trades left out for being under ``min_trade``.
    unreachable : tuple of str
        Target classes (share above 0) that no fund holds, even inside a mixed fund.
    summary : str
        One plain sentence about the plan.
    notes : tuple of str
        Further plain sentences (unreachable classes, a target the funds cannot reach,
        skipped trades, mixed funds).
    """

    trades: tuple[Trade, ...]
    classes: pd.DataFrame
    funds: pd.DataFrame
    contribution: float
    mode: str
    min_trade: float
    skipped: tuple[Trade, ...]
    unreachable: tuple[str, ...]
    summary: str
    notes: tuple[str, ...]

    def table(self) -> pd.DataFrame:
        """Return the trades as a DataFrame (``fund``, ``action``, ``amount``, ``asset_class``)."""
        return pd.DataFrame(
            [(t.fund, t.action, t.amount, t.asset_class) for t in self.trades],
            columns=["fund", "action", "amount", "asset_class"],
        )


def _check_target(target: Mapping[str, float]) -> dict[str, float]:
    if not isinstance(target, Mapping) or not target:
        raise ValueError("Give a target mix, like {'stocks': 0.6, 'bonds': 0.4}.")
    checked: dict[str, float] = {}
    for label, share in target.items():
        name = str(label).strip()
        if not name:
            raise ValueError("The target has a blank asset class.")
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not isfinite(share):
            raise ValueError(f"The target share of {name} must be a number; got {share!r}.")
        if share < 0:
            raise ValueError(f"The target share of {name} cannot be below 0%; got {share}.")
        checked[name] = float(share)
    total = sum(checked.values())
    if abs(total - 1) > 1e-6:
        hint = " Type shares as fractions (60% is 0.6)." if abs(total - 100) < 1e-4 else ""
        shown = total if hint else total * 100
        raise ValueError(f"Target weights must add up to 100%; these add up to {shown:.4g}%.{hint}")
    return checked


def _check_holdings(holdings: Iterable[Holding | Sequence], target: Mapping) -> list[Holding]:
    checked = [h if isinstance(h, Holding) else Holding(*h) for h in holdings]
    if not checked:
        raise ValueError("Add at least one holding (fund, asset class, amount).")
    seen: set[str] = set()
    for holding in checked:
        if holding.name in seen:
            raise ValueError(f"The fund '{holding.name}' is listed twice; combine the two rows.")
        seen.add(holding.name)
        unknown = [c for c in holding.mix if c not in target]
        if unknown:
            raise ValueError(
                f"'{holding.name}' holds {', '.join(unknown)}, which is not in the target. "
                f"Known asset classes: {', '.join(sorted(target))}. Fix the spelling, or add "
                "it to the target (at 0% to sell it all)."
            )
    return checked


def _class_table(
    holdings: list[Holding], before: np.ndarray, after: np.ndarray, target: dict[str, float]
) -> pd.DataFrame:
    rows = {}
    for label, share in target.items():
        was = sum(b * h.mix.get(label, 0.0) for h, b in zip(holdings, before, strict=True))
        now = sum(a * h.mix.get(label, 0.0) for h, a in zip(holdings, after, strict=True))
        rows[label] = (was / 100, now / 100, share)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["before", "after", "target"])
    for when in ("before", "after"):
        total = table[when].sum()
        table[f"{when}_weight"] = table[when] / total if total > 0 else 0.0
        table[f"drift_{when}"] = table[f"{when}_weight"] - table["target"]
    table.index.name = "asset_class"
    columns = ["before", "after", "before_weight", "after_weight", "target"]
    return table[[*columns, "drift_before", "drift_after"]]


def _trade(holding: Holding, cents: int) -> Trade:
    label = holding.single_class or "mixed"
    return Trade(holding.name, "buy" if cents > 0 else "sell", abs(int(cents)) / 100, label)


def _checkmoney(contribution: float, min_trade: float, mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"The mode must be 'full' or 'buy_only'; got {mode!r}.")
    for value, what in ((contribution, "The contribution"), (min_trade, "The minimum trade")):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not isfinite(value):
            raise ValueError(f"{what} must be a number of dollars; got {value!r}.")
    if abs(contribution) > MAX_CONTRIBUTION:
        raise ValueError(
            f"A contribution or withdrawal of {money(abs(contribution) * 100)} is more than "
            f"the {money(MAX_CONTRIBUTION * 100)} this calculator allows."
        )
    if min_trade < 0:
        raise ValueError(f"The minimum trade cannot be below $0; got {min_trade}.")
    if mode == "buy_only" and contribution < 0:
        raise ValueError(
            "Buy-only never sells, so it cannot take money out. Choose a full rebalance for "
            "a withdrawal."
        )


def plan_trades(
    holdings: Iterable[Holding | Sequence],
    target: Mapping[str, float],
    contribution: float = 0.0,
    *,
    mode: str = "full",
    min_trade: float = 0.0,
) -> TradePlan:
    """Work out the trades that bring an account to (or towards) a target mix.

    The rules are in this module's description.

    Parameters
    ----------
    holdings : iterable of Holding
        The funds held (a ``(name, asset_class, amount)`` tuple is also accepted).
    target : mapping
        Asset class -> share; the shares add up to 1.
    contribution : float
        New money to invest (negative to take money out, up to the whole balance); at most
        ``MAX_CONTRIBUTION`` either way.
    mode : {"full", "buy_only"}
        Full rebalance, or use only the new money and never sell.
    min_trade : float
        Trades smaller than this (dollars) are skipped.

    Returns
    -------
    TradePlan
        Trades, before/after by class and by fund, a summary and notes.

    Examples
    --------
    >>> plan = plan_trades(
    ...     [Holding("Stock Index", "stocks", 70_000), Holding("Bond Index", "bonds", 30_000)],
    ...     {"stocks": 0.6, "bonds": 0.4},
    ... )
    >>> [(t.action, t.fund, t.amount) for t in plan.trades]
    [('buy', 'Bond Index', 10000.0), ('sell', 'Stock Index', 10000.0)]
    """
    _checkmoney(contribution, min_trade, mode)
    target = _check_target(target)
    funds = _check_holdings(holdings, target)
    balances = np.array([round(h.amount * 100) for h in funds], dtype=np.int64)
    cents = int(round(contribution * 100))
    if cents < 0 and -cents > balances.sum():
        raise ValueError(
            f"You asked to take out {money(-cents)}, but the account holds only "
            f"{money(balances.sum())}."
        )
    new_single, mixed_trades, reached = class_moves(funds, balances, target, cents, mode)
    exact = fund_trades(funds, balances, new_single, mixed_trades)
    min_cents = int(round(min_trade * 100))
    trades, skipped_idx, folded_into = skip_small_trades(exact, balances, min_cents, mode)
    after = balances + trades
    if trades.sum() != cents or (after < 0).any() or (mode == "buy_only" and (trades < 0).any()):
        raise AssertionError("trade plan broke a rule")  # pragma: no cover - guarded by tests

    order = sorted(np.flatnonzero(trades), key=lambda i: (-abs(trades[i]), funds[i].name))
    plan_trades_ = tuple(_trade(funds[i], trades[i]) for i in order)
    skipped = tuple(_trade(funds[i], exact[i]) for i in skipped_idx)
    classes = _class_table(funds, balances, after, target)
    held = {c for h in funds for c in h.mix}
    unreachable = tuple(c for c, share in target.items() if share > 0 and c not in held)
    fund_table = pd.DataFrame(
        {
            "fund": [h.name for h in funds],
            "asset_class": [h.single_class or "mixed" for h in funds],
            "before": balances / 100,
            "trade": trades / 100,
            "after": after / 100,
        }
    )
    summary, notes = explain(
        funds, plan_trades_, skipped, folded_into, unreachable, classes, cents, min_cents
    )
    if reached is None and mixed_trades.any():
        notes += (
            "The mixed funds were bought or sold in proportion to their balances, because no "
            "single-class fund could take the money.",
        )
    notes += closeness_note(classes, mode, reached, unreachable, any(h.is_mixed for h in funds))
    return TradePlan(
        trades=plan_trades_,
        classes=classes,
        funds=fund_table,
        contribution=cents / 100,
        mode=mode,
        min_trade=float(min_trade),
        skipped=skipped,
        unreachable=unreachable,
        summary=summary,
        notes=notes,
    )

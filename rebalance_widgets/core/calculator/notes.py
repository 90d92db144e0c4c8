"""The plain sentences of a trade plan: the summary and the notes under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from rebalance_widgets.core.calculator.holdings import Holding

if TYPE_CHECKING:  # pragma: no cover
    from rebalance_widgets.core.calculator.trades import Trade

__all__ = ["closeness_note", "explain", "money"]


def money(cents: int | float) -> str:
    """Format cents as dollars, like ``$1,234.56``."""
    return f"${cents / 100:,.2f}"


def closeness_note(
    classes: pd.DataFrame, mode: str, reached: bool | None, unreachable: tuple[str, ...],
    has_mixed: bool,
) -> tuple[str, ...]:
    """Say so when the funds held cannot reach the target, and what would close the gap."""
    if reached is True or not has_mixed or (reached is None and mode == "full"):
        return ()
    total = classes["after"].sum()
    if total <= 0:
        return ()
    gap = classes["target"] * total - classes["after"]
    gap = gap.drop(list(unreachable), errors="ignore")
    if gap.empty or gap.max() < 0.005 * max(len(classes), 1):
        return ()
    short = str(gap.idxmax())
    points = gap.max() / total * 100
    mix = " / ".join(f"{w * 100:.1f}% {c}" for c, w in classes["after_weight"].items())
    if mode == "buy_only":
        return (
            f"Buying alone cannot reach the target with this money: the new money went to the "
            f"classes furthest below their targets, leaving {mix}. A full rebalance (selling "
            f"too) would get closer.",
        )
    return (
        f"The target cannot be reached by trading the funds you hold: the closest mix they "
        f"make is {mix}, with {short} {points:.1f} points under its target, because your "
        f"mixed funds bring other classes with every dollar of {short}. A fund that holds "
        f"only {short} would close the gap.",
    )


def explain(
    funds: list[Holding],
    trades: tuple[Trade, ...],
    skipped: tuple[Trade, ...],
    folded_into: int | None,
    unreachable: tuple[str, ...],
    classes: pd.DataFrame,
    contribution: int,
    min_cents: int,
) -> tuple[str, tuple[str, ...]]:
    """Return the plan's summary sentence and its notes."""
    drift_before = classes["drift_before"].abs().max() * 100
    drift_after = classes["drift_after"].abs().max() * 100
    bought = sum(t.amount for t in trades if t.action == "buy")
    sold = sum(t.amount for t in trades if t.action == "sell")
    if not trades:
        summary = "No trades needed."
    else:
        parts = [f"buy ${bought:,.2f}" if bought else "", f"sell ${sold:,.2f}" if sold else ""]
        what = " and ".join(p for p in parts if p)
        count = f"{len(trades)} trade{'s' if len(trades) > 1 else ''}"
        flow = ""
        if contribution > 0:
            flow = f", investing your new {money(contribution)}"
        elif contribution < 0:
            flow = f", taking out {money(-contribution)}"
        summary = f"{count}: {what}{flow}."
    summary += (
        f" The largest drift from target goes from {drift_before:.1f} to "
        f"{drift_after:.1f} percentage points."
    )
    notes = []
    if unreachable and set(unreachable) >= set(classes.index[classes["target"] > 0]):
        notes.append(
            "None of your funds holds any of the target's asset classes, so trades cannot move "
            "the mix; add a fund for one of them (for example a stock index fund)."
        )
        unreachable = ()
    for label in unreachable:
        notes.append(
            f"No fund holds {label}, so {label} cannot be bought; its target share was spread "
            f"over the other classes in proportion. Add a {label} fund, or a mixed fund that "
            f"holds {label}."
        )
    mixed_names = [h.name for h in funds if h.single_class is None]
    if mixed_names:
        notes.append(
            f"Mixed funds ({', '.join(mixed_names)}) count toward each class they hold, and "
            "are bought or sold like any fund when that brings the mix to the target; when "
            "a single-class fund does as well, it is traded instead."
        )
    if folded_into == -1:
        notes.append(
            f"Some trades are under {money(min_cents)}, but skipping them would leave money "
            "unplaced or a fund below $0, so they were kept."
        )
    if skipped:
        total = sum(t.signed_amount for t in skipped)
        where = " cancel out"
        if folded_into is not None and round(total, 2) != 0:
            where = f" went into the trade of {funds[folded_into].name}"
        notes.append(
            f"{len(skipped)} trade{'s' if len(skipped) > 1 else ''} under "
            f"{money(min_cents)} skipped; their net ${total:,.2f}{where}."
        )
    return summary, tuple(notes)

"""The sentences of the sticking-to-the-plan widget: what each chart shows, what the plan was worth.

Pure text from a :class:`~rebalance_widgets.core.discipline.BehaviourComparison`; no
finance is computed here beyond picking numbers out of the runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.widgets.parts.formatting import money, percent

__all__ = ["EVERY_CHOICES", "PlanWords", "episode_sentences", "futures_sentences"]

#: The plan's rebalancing calendars, as (label, value) pairs for a dropdown.
EVERY_CHOICES = [("every month", "monthly"), ("every quarter", "quarterly"),
                 ("twice a year", "semiannual"), ("once a year", "annual")]

KEEP, STOP, SELL = "Keep rebalancing", "Stop rebalancing", "Sell after a fall"


@dataclass(frozen=True)
class PlanWords:
    """The three sentences: under the wealth chart, under the share chart, and the worth."""

    wealth: str
    share: str
    worth: str


def _mix(target_share: float) -> str:
    """Name the mix by its share in stocks: "a mix with 60% in stocks"."""
    return f"a mix with {percent(target_share)} in stocks"


def _versus(worth: Any, name: str) -> str:
    """Say "$593 (4.8%) ahead of stopping rebalancing", "... behind ..." or "level with"."""
    gap, share = worth.median_gap, worth.median_gap_share
    if worth.share_acted == 0 or abs(gap) < 0.005:
        return f"level with {name}"
    side = "ahead of" if gap > 0 else "behind"
    return f"{money(abs(gap))} ({percent(abs(share), 1)}) {side} {name}"


def _month(dates: pd.DatetimeIndex, step: int) -> str:
    """Name the month whose end is step ``step`` (step t ends month t, dates[t - 1])."""
    return f"{dates[step - 1]:%B %Y}"


def episode_sentences(runs: Any, dates: pd.DatetimeIndex, target_share: float, fall: float,
                      wait: int) -> PlanWords:
    """Write the sentences for one replay of a real crash.

    Parameters
    ----------
    runs : BehaviourComparison
        Keep, stop and sell, on one path.
    dates : pandas.DatetimeIndex
        The date of every step (n_months + 1): step t is the first day after t months.
    target_share : float
        The plan's share in stocks.
    fall : float
        The fall that made a person act (0.2 = 20%).
    wait : int
        Months the seller waited after the low.

    Returns
    -------
    PlanWords
        The three sentences.
    """
    keep, stop, sell = runs.run(KEEP), runs.run(STOP), runs.run(SELL)
    start, balance = dates[0], runs.initial_value
    span = f"From the start of {start:%B %Y} to the end of {dates[-2]:%B %Y}"
    ends = {run.behaviour.label: float(run.wealth[0, -1]) for run in runs.runs}
    if not stop.acted[0]:
        wealth = (f"{span}, the stock market never ended a month {percent(fall)} below its "
                  f"peak, so all three stayed on the plan: {money(balance)} in "
                  f"{_mix(target_share)} became {money(ends[KEEP])}.")
        share = (f"All three held between {percent(keep.stock_share.min())} and "
                 f"{percent(keep.stock_share.max())} in stocks.")
        worth = (f"Nobody left the plan: the fall never reached {percent(fall)} at a "
                 f"month's end. Try a smaller fall.")
        return PlanWords(wealth, share, worth)
    stopped = int(np.flatnonzero(stop.stopped[0])[0])
    sales, backs = np.flatnonzero(sell.sold[0]), np.flatnonzero(sell.bought_back[0])
    sold_when = f"selling all stocks at the end of {_month(dates, int(sales[0]))}"
    if backs.size:
        sold_when += f" and buying back at the end of {_month(dates, int(backs[0]))}"
    if sales.size > 1:
        sold_when += f" (and selling {sales.size - 1} more time{'s' * (sales.size > 2)})"
    if sell.out_of_stocks[0, -1]:
        sold_when += ", still out of stocks at the end"
    wealth = (f"{span}, {money(balance)} in {_mix(target_share)} became "
              f"{money(ends[KEEP])} by keeping the plan, {money(ends[STOP])} by stopping "
              f"rebalancing at the end of {_month(dates, stopped)}, and "
              f"{money(ends[SELL])} by {sold_when}.")
    out_months = int(sell.out_of_stocks[0, 1:].sum())
    share = (f"Keeping the plan held {percent(keep.stock_share.min())} to "
             f"{percent(keep.stock_share.max())} in stocks; after stopping, the share fell "
             f"to {percent(stop.stock_share[0, stopped:].min())} and ended at "
             f"{percent(stop.stock_share[0, -1])}; the seller held 0% in stocks for "
             f"{out_months} month{'s' * (out_months != 1)}.")
    against_sell = runs.worth(SELL)
    worth = (f"Keeping the plan ended {_versus(runs.worth(STOP), 'stopping rebalancing')}, "
             f"and {_versus(against_sell, 'selling after the fall')} (buying back "
             f"{wait} month{'s' * (wait != 1)} after the low).")
    if against_sell.median_gap < -0.005:
        worth += (" This time selling came out ahead: the fall went on after the sale. "
                  "Nobody knows in advance how far a fall will go; try a deeper fall, or "
                  "simulated futures.")
    return PlanWords(wealth, share, worth)


def futures_sentences(runs: Any, target_share: float, fall: float, wait: int,
                      years: int) -> PlanWords:
    """Write the sentences for many simulated futures.

    Parameters
    ----------
    runs : BehaviourComparison
        Keep, stop and sell, on every simulated future.
    target_share : float
        The plan's share in stocks.
    fall : float
        The fall that made a person act.
    wait : int
        Months the seller waited after the low.
    years : int
        Years simulated.

    Returns
    -------
    PlanWords
        The three sentences.
    """
    keep, stop, sell = runs.run(KEEP), runs.run(STOP), runs.run(SELL)
    count = keep.wealth.shape[0]
    middle = {run.behaviour.label: float(np.median(run.wealth[:, -1])) for run in runs.runs}
    wealth = (f"In the middle future (the median of {count:,}), {money(runs.initial_value)} "
              f"in {_mix(target_share)} grew in {years} year{'s' * (years != 1)} to "
              f"{money(middle[KEEP])} by keeping the plan, {money(middle[STOP])} by "
              f"stopping rebalancing and {money(middle[SELL])} by selling after a fall.")
    share = (f"Averaged over the futures, keeping the plan ended with "
             f"{percent(keep.stock_share[:, -1].mean())} in stocks and stopping rebalancing "
             f"with {percent(stop.stock_share[:, -1].mean())}; the seller was out of stocks "
             f"in {percent(sell.out_of_stocks[:, 1:].mean())} of all months.")
    against_sell, against_stop = runs.worth(SELL), runs.worth(STOP)
    never = 1.0 - against_sell.share_acted
    worth = (f"Across {count:,} futures, keeping the plan ended ahead of selling after a "
             f"{percent(fall)} fall (back {wait} month{'s' * (wait != 1)} after the low) in "
             f"{percent(against_sell.share_ahead)} of them and behind in "
             f"{percent(against_sell.share_behind)}; in the middle (median) case it ended "
             f"{_versus(against_sell, 'selling')}. Against stopping rebalancing it was ahead "
             f"in {percent(against_stop.share_ahead)} and behind in "
             f"{percent(against_stop.share_behind)}. In {percent(never)} of the futures the "
             f"market never fell {percent(fall)}, and all three ended level.")
    return PlanWords(wealth, share, worth)

"""Sticking to the plan, or not: three ways a person reacts to a stock market fall.

Every behaviour starts at the target mix and follows the same calendar rebalancing plan
(``every``: a check every month, quarter, half year or year, as in
:class:`~rebalance_widgets.core.simulation.policies.Calendar`). They differ only in what
the person does once the stock market has fallen far:

- :class:`KeepRebalancing`: nothing changes; the plan goes on (the engine's
  :func:`~rebalance_widgets.core.simulation.engine.simulate` with ``Calendar(every)``).
- :class:`StopRebalancing`: the person follows the plan until the first fall, then never
  trades again (the mix drifts from then on).
- :class:`SellAfterFall`: the person sells every stock after a fall, holds the money in
  the safe asset (bonds), and buys back to the target some months after the market's
  lowest point, then follows the plan again.

The market and its falls
------------------------
The *market level* ``I`` is the growth of $1 put in the stock asset at the start:
``I[0] = 1`` and ``I[t] = I[t-1] * (1 + r[t, stock])``, the same for every behaviour
(whatever a person does, the market does not notice). Its *peak* is the highest level so
far, ``M[t] = max(I[0..t])`` (the start counts). A *fall of X* has happened at the end of
month t when ``I[t] <= (1 - X) * M[t]``: the market is X or more below its peak.

Timing (no look-ahead)
----------------------
Month t = 1..T: every holding grows by the month's return; then, at that month's end and
knowing only the returns of months 1..t, the person decides and trades at that month-end's
prices; the state after the trade is recorded at step t. Step 0 is the start, at the
target. A trade costs nothing here (this is about behaviour, not fees).

The three rules, exactly
------------------------
``KeepRebalancing()``: at every check date t = k, 2k, ... (k months between checks) the
holdings are traded back to the target.

``StopRebalancing(fall)``: as above until the first month-end with a fall of ``fall``;
from that month-end on (its own check date included) nothing is ever traded again.

``SellAfterFall(fall, wait)``: the person is *in* (following the plan) or *out*.

1. In, and a fall of ``fall`` at the end of month t, and this fall has not led to a sale
   yet: sell every stock at that month-end and put the money in the safe asset. The
   person is now out. A fall leads to one sale only: the next sale needs the market to
   get back to its old peak first (``I[t] >= M[t-1]``) and then to fall again.
2. Out: the person watches the market's lowest level since the sale. At the end of month
   t, when ``wait`` months have passed since that lowest month-end (t minus the month of
   the low is ``wait`` or more: the market has gone ``wait`` months without a new low),
   they trade the whole account back to the target and are in again. With ``wait = 0``
   they buy back at the end of the month after the sale.
3. In, otherwise: the plan's check dates, as in ``KeepRebalancing``. While out nothing
   else is traded.

With no fall of ``fall`` on a path, all three behaviours hold exactly the same account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from rebalance_widgets.core._checks import check_fraction, is_number, is_whole_number
from rebalance_widgets.core.simulation import inputs
from rebalance_widgets.core.simulation.engine import simulate
from rebalance_widgets.core.simulation.policies import Calendar, periods_between_checks

__all__ = [
    "Behaviour",
    "BehaviourRun",
    "KeepRebalancing",
    "MAX_WAIT_MONTHS",
    "SellAfterFall",
    "StopRebalancing",
    "follow",
    "market_level",
]

#: Longest wait before buying back, in months (ten years).
MAX_WAIT_MONTHS = 120

_FALL_TOLERANCE = 1e-12  # a fall of exactly X counts despite rounding


def _check_fall(fall: Any) -> float:
    fall = check_fraction(fall, "The fall")
    if fall == 0:
        raise ValueError("The fall must be more than 0%, like 20%.")
    return fall


class Behaviour:
    """Base of the behaviours; each says how it is called in charts (``label``)."""

    @property
    def label(self) -> str:
        """Short name for charts and sentences."""
        return type(self).__name__


@dataclass(frozen=True)
class KeepRebalancing(Behaviour):
    """Follow the plan whatever the market does: trade back to the target on every check.

    Examples
    --------
    >>> KeepRebalancing().label
    'Keep rebalancing'
    """

    @property
    def label(self) -> str:
        """Short name for charts and sentences."""
        return "Keep rebalancing"


@dataclass(frozen=True)
class StopRebalancing(Behaviour):
    """Follow the plan until the stock market has fallen ``fall`` from its peak, then stop.

    Parameters
    ----------
    fall : float
        The fall that makes the person stop, as a fraction of the peak (0.2 = 20%),
        above 0 and below 1.

    Examples
    --------
    >>> StopRebalancing(0.2).label
    'Stop rebalancing'
    """

    fall: float = 0.20

    def __post_init__(self) -> None:
        object.__setattr__(self, "fall", _check_fall(self.fall))

    @property
    def label(self) -> str:
        """Short name for charts and sentences."""
        return "Stop rebalancing"


@dataclass(frozen=True)
class SellAfterFall(Behaviour):
    """Sell every stock after a fall of ``fall``; buy back ``wait`` months after the low.

    Parameters
    ----------
    fall : float
        The fall from the market's peak that makes the person sell (0.2 = 20%), above 0
        and below 1.
    wait : int
        Months without a new low before buying back, 0 to :data:`MAX_WAIT_MONTHS`.

    Examples
    --------
    >>> SellAfterFall(0.2, 6).label
    'Sell after a fall'
    """

    fall: float = 0.20
    wait: int = 6

    def __post_init__(self) -> None:
        object.__setattr__(self, "fall", _check_fall(self.fall))
        if not is_whole_number(self.wait) or not 0 <= self.wait <= MAX_WAIT_MONTHS:
            raise ValueError(f"The wait must be a whole number of months from 0 to "
                             f"{MAX_WAIT_MONTHS}; got {self.wait!r}.")
        object.__setattr__(self, "wait", int(self.wait))

    @property
    def label(self) -> str:
        """Short name for charts and sentences."""
        return "Sell after a fall"


@dataclass(frozen=True)
class BehaviourRun:
    """What one behaviour did on every path, month by month.

    Attributes
    ----------
    behaviour : Behaviour
        The rule followed.
    wealth : numpy.ndarray
        Dollars after each step's trade, (n_paths, n_periods + 1); column 0 is the start.
    stock_share : numpy.ndarray
        Share of the account in stocks after each step's trade, (n_paths, n_periods + 1).
    sold : numpy.ndarray
        Bool (n_paths, n_periods + 1): every stock was sold at that step (SellAfterFall).
    bought_back : numpy.ndarray
        Bool (n_paths, n_periods + 1): the account went back to the target after a sale.
    stopped : numpy.ndarray
        Bool (n_paths, n_periods + 1): the person stopped rebalancing at that step
        (StopRebalancing).
    """

    behaviour: Behaviour
    wealth: np.ndarray
    stock_share: np.ndarray
    sold: np.ndarray
    bought_back: np.ndarray
    stopped: np.ndarray

    @property
    def acted(self) -> np.ndarray:
        """Bool (n_paths,): the behaviour left the plan at least once on that path."""
        return (self.sold | self.stopped).any(axis=1)

    @property
    def out_of_stocks(self) -> np.ndarray:
        """Bool (n_paths, n_periods + 1): sold out and not yet back after that step."""
        sold = np.cumsum(self.sold, axis=1)
        back = np.cumsum(self.bought_back, axis=1)
        return sold > back


def market_level(stock_returns: Any) -> np.ndarray:
    """Growth of $1 in the stock market from the start, at every step.

    Parameters
    ----------
    stock_returns : array-like
        Monthly simple returns of the stock asset, (n_paths, n_periods) or (n_periods,).

    Returns
    -------
    numpy.ndarray
        (n_paths, n_periods + 1) (or (n_periods + 1,)); column 0 is 1.

    Examples
    --------
    >>> market_level([0.1, -0.5]).tolist()
    [1.0, 1.1, 0.55]
    """
    returns = np.asarray(stock_returns, dtype=float)
    start = np.ones(returns.shape[:-1] + (1,))
    return np.concatenate([start, np.cumprod(1.0 + returns, axis=-1)], axis=-1)


def follow(
    returns: Any,
    target: Any,
    behaviour: Behaviour,
    *,
    every: str | int = "quarterly",
    initial_value: float = 1.0,
    stock_asset: int = 0,
    safe_asset: int = 1,
) -> BehaviourRun:
    """Run one behaviour on every path of returns.

    Parameters
    ----------
    returns : array-like
        Monthly simple returns, (n_paths, n_periods, n_assets) or (n_periods, n_assets);
        each finite and -100% or more.
    target : array-like
        Target weights (n_assets,), adding up to 1.
    behaviour : Behaviour
        :class:`KeepRebalancing`, :class:`StopRebalancing` or :class:`SellAfterFall`.
    every : str or int
        The plan's check dates: "monthly", "quarterly", "semiannual", "annual" or a
        whole number of months.
    initial_value : float
        Dollars at the start, zero or more.
    stock_asset, safe_asset : int
        Positions of the stock asset (whose falls count and which is sold) and of the
        asset that takes the money of a sale (bonds). They must differ.

    Returns
    -------
    BehaviourRun
        Wealth and stock share of every path and month.

    Raises
    ------
    ValueError
        For returns, weights or positions that cannot be used, or an unknown behaviour.

    Examples
    --------
    >>> import numpy as np
    >>> returns = np.array([[-0.5, 0.0], [1.0, 0.0], [0.0, 0.0]])
    >>> run = follow(returns, [0.5, 0.5], SellAfterFall(0.2, wait=1), every="monthly")
    >>> run.wealth.round(4).tolist()
    [[1.0, 0.75, 0.75, 0.75]]
    >>> run.stock_share.round(4).tolist()
    [[0.5, 0.0, 0.5, 0.5]]
    """
    returns, _, _ = inputs.as_returns(returns)
    paths, periods, n_assets = returns.shape
    if np.ndim(target) != 1:
        raise ValueError("Give one fixed target mix: one weight per asset.")
    weights = inputs.as_target(target, periods, n_assets)[0]
    for position, what in ((stock_asset, "stock"), (safe_asset, "safe")):
        if not is_whole_number(position) or not 0 <= position < n_assets:
            raise ValueError(f"The {what} asset must be a position from 0 to {n_assets - 1}; "
                             f"got {position!r}.")
    if stock_asset == safe_asset:
        raise ValueError("The stock asset and the safe asset must be different assets.")
    if not isinstance(behaviour, Behaviour):
        raise ValueError(f"The behaviour must be KeepRebalancing, StopRebalancing or "
                         f"SellAfterFall; got {behaviour!r}.")
    plan = Calendar(every)
    if isinstance(behaviour, KeepRebalancing):
        result = simulate(returns, weights, plan, initial_value=initial_value)
        none = np.zeros_like(result.rebalanced)
        return BehaviourRun(behaviour, np.array(result.wealth),
                            np.array(result.weights[:, :, stock_asset]), none, none.copy(),
                            none.copy())
    if not is_number(initial_value) or not (np.isfinite(initial_value) and initial_value >= 0):
        raise ValueError(f"The starting value must be zero or more dollars; got {initial_value}.")
    return _switching(returns, weights, behaviour, periods_between_checks(plan.every, 12),
                      float(initial_value), stock_asset, safe_asset)


def _switching(
    returns: np.ndarray, weights: np.ndarray, behaviour: Behaviour, check_every: int,
    initial_value: float, stock: int, safe: int,
) -> BehaviourRun:
    """Run the month-by-month loop of StopRebalancing and SellAfterFall, all paths at once.

    The market's level, peak and falls do not depend on what anyone does, so they are
    computed for every month first; the loop then carries the holdings (asset-major) and
    the person's state.
    """
    paths, periods, _ = returns.shape
    selling = isinstance(behaviour, SellAfterFall)
    if not selling and not isinstance(behaviour, StopRebalancing):
        raise ValueError(f"Unknown behaviour {behaviour!r}.")
    keep_level = 1.0 - behaviour.fall  # type: ignore[attr-defined]
    wait = behaviour.wait if selling else 0  # type: ignore[attr-defined]
    growth = np.ascontiguousarray((1.0 + returns).transpose(1, 2, 0))  # (T, A, P)
    level = market_level(returns[:, :, stock]).T  # (T+1, P)
    peak = np.maximum.accumulate(level, axis=0)
    fell = level <= keep_level * peak * (1.0 + _FALL_TOLERANCE)
    back_at_peak = np.zeros_like(fell)
    back_at_peak[1:] = level[1:] >= peak[:-1]  # the market regains its old peak
    holdings = initial_value * weights[:, None] * np.ones(paths)  # (A, P)
    target = weights[:, None]
    wealth = np.empty((periods + 1, paths))
    share = np.empty((periods + 1, paths))
    sold = np.zeros((periods + 1, paths), dtype=bool)
    back = np.zeros_like(sold)
    stopped_at = np.zeros_like(sold)
    wealth[0], share[0] = initial_value, weights[stock]
    armed = np.ones(paths, dtype=bool)  # the current fall has not led to a sale yet
    left = np.zeros(paths, dtype=bool)  # out of stocks (selling) or stopped for good
    low, low_step = np.ones(paths), np.zeros(paths, dtype=np.int64)
    for step in range(1, periods + 1):
        holdings *= growth[step - 1]
        total = holdings.sum(axis=0)
        check = step % check_every == 0
        if selling:
            armed |= back_at_peak[step]
            now = level[step]
            deeper = left & (now < low)
            low = np.where(deeper, now, low)
            low_step = np.where(deeper, step, low_step)
            buy = left & (step - low_step >= wait)
            sell = ~left & armed & fell[step]
            if sell.any():
                holdings[safe] += np.where(sell, holdings[stock], 0.0)
                holdings[stock] = np.where(sell, 0.0, holdings[stock])
                armed &= ~sell
                low = np.where(sell, now, low)
                low_step = np.where(sell, step, low_step)
            left = (left & ~buy) | sell
            trade = (buy | ~left) if check else buy
            sold[step], back[step] = sell, buy
        else:
            stop = ~left & fell[step]
            left |= stop
            trade = ~left if check else None
            stopped_at[step] = stop
        if trade is not None and trade.any():
            holdings = np.where(trade, total * target, holdings)
        wealth[step] = total
        with np.errstate(invalid="ignore", divide="ignore"):
            empty = np.where(left & selling, 0.0, weights[stock])  # nothing left to weigh
            share[step] = np.where(total > 0, holdings[stock] / total, empty)
    return BehaviourRun(behaviour, wealth.T.copy(), share.T.copy(), sold.T.copy(),
                        back.T.copy(), stopped_at.T.copy())

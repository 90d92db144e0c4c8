"""One mix through a span of real history under several rules, step by step.

:func:`history_study` (``core.study``) gives one summary row per rule; the history lab also
needs each rule's path over time: the growth of 1 dollar, the stock share, and its worst
falls. :func:`history_runs` runs the rules on the same months (or years) and returns all of
it as a :class:`HistoryRuns`; :func:`worst_falls` finds the deepest falls from a peak of a
growth path, with their dates.

Data: :func:`rebalance_widgets.core.load_history`, monthly (1926-07 to 2022-11: Kenneth R.
French's market and bill returns, the S&P 500, Robert J. Shiller's 10-year Treasury) or
yearly (1928 to 2025: Aswath Damodaran's table). Sources: ``rebalance_widgets/data/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rebalance_widgets.core import metrics
from rebalance_widgets.core.markets.history import MONTHLY_SPAN, YEARLY_SPAN, load_history
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.core.simulation.engine import simulate

__all__ = ["RUN_COLUMNS", "HistoryRuns", "data_years", "history_runs", "worst_falls"]

RUN_COLUMNS: tuple[str, ...] = (
    "rule", "average_stock_weight", "rebalance_count", "annual_turnover",
    "annualised_return", "annualised_volatility", "max_drawdown", "worst_12_months",
    "growth_of_1", "ending_balance", "real_annualised_return", "real_growth_of_1",
)
"""Columns of :attr:`HistoryRuns.table`, in order."""

ASSETS: tuple[str, ...] = ("stocks", "bonds", "bills")
"""History columns a mix can hold (bills are the cash of the mix)."""

MAX_RULES = 20
"""Most rules one call runs (each is one pass over the span)."""

_PERIODS = {"monthly": 12, "yearly": 1}


def data_years(frequency: str) -> tuple[int, int]:
    """First and last calendar year that the history of ``frequency`` reaches.

    Parameters
    ----------
    frequency : {"monthly", "yearly"}

    Returns
    -------
    tuple of int
        (1926, 2022) for monthly data (July 1926 to November 2022), (1928, 2025) yearly.

    Examples
    --------
    >>> data_years("yearly")
    (1928, 2025)
    """
    if frequency == "monthly":
        return int(MONTHLY_SPAN[0][:4]), int(MONTHLY_SPAN[1][:4])
    if frequency == "yearly":
        return YEARLY_SPAN
    raise ValueError(f"Choose monthly or yearly data; got {frequency!r}.")


@dataclass(frozen=True)
class HistoryRuns:
    """Every rule's run through the same span of history.

    Attributes
    ----------
    dates : pandas.DatetimeIndex
        (T + 1,) the day of each step, a month's or a year's last day: step 0 is the day
        before the span starts, step t the end of its t-th month (monthly) or year
        (yearly).
    growth : pandas.DataFrame
        (T + 1, rules) what 1 dollar invested at the start grew to, time-weighted (money
        added later is not growth), after trading costs.
    stock_share : pandas.DataFrame
        (T + 1, rules) share of the account in stocks at each step, after any trade.
    table : pandas.DataFrame
        One row per rule, columns :data:`RUN_COLUMNS` (fractions; ``ending_balance`` in
        dollars; ``real_*``: the same after inflation, in dollars of the start).
    falls : pandas.DataFrame
        The worst falls of each rule (see :func:`worst_falls`) with a ``rule`` column.
    frequency : str
        "monthly" or "yearly".
    prices : pandas.Series
        (T + 1,) consumer prices (CPI-U) at each step, 1 at step 0.
    """

    dates: pd.DatetimeIndex
    growth: pd.DataFrame
    stock_share: pd.DataFrame
    table: pd.DataFrame
    falls: pd.DataFrame
    frequency: str
    prices: pd.Series

    @property
    def real_growth(self) -> pd.DataFrame:
        """(T + 1, rules) what 1 dollar grew to after inflation, in dollars of the start."""
        return self.growth.div(self.prices, axis=0)


def _span(frequency: str, start: int, end: int) -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    """Return the assets' returns from January of ``start`` to December of ``end``.

    The data's own edges are kept; the dates are those of every step (period ends).
    """
    first, last = data_years(frequency)
    for value, what in ((start, "start"), (end, "end")):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(f"The {what} year must be a whole year such as 1990; got {value!r}.")
    if not first <= start <= last or not first <= end <= last:
        raise ValueError(f"The {frequency} history runs from {first} to {last}; choose start "
                         f"and end years in between.")
    if end < start or (end == start and frequency == "yearly"):
        raise ValueError(f"The end year ({end}) must come after the start year ({start})"
                         + (": yearly data need two years or more." if end == start else "."))
    if frequency == "yearly":
        returns = load_history(int(start), int(end), columns=(*ASSETS, "inflation"),
                               frequency="yearly")
        dates = pd.DatetimeIndex([pd.Timestamp(year=int(start) - 1 + t, month=12, day=31)
                                  for t in range(len(returns) + 1)])
        return returns, dates
    begin = max(f"{start}-01", MONTHLY_SPAN[0])
    finish = min(f"{end}-12", MONTHLY_SPAN[1])
    returns = load_history(begin, finish, columns=(*ASSETS, "inflation"))
    before = returns.index[0] - pd.Timedelta(days=1)  # the last day before the first month
    dates = pd.date_range(before, periods=len(returns) + 1, freq="ME")
    return returns, dates


def worst_falls(growth: Sequence[float], dates: Sequence[pd.Timestamp], count: int = 3
                ) -> pd.DataFrame:
    """Find the deepest falls of a growth path from a peak, each until a new peak.

    A fall starts at a peak (a value no lower than any before it) and lasts until the path
    first climbs back to that peak (its recovery) or the span ends. Falls never overlap.

    Parameters
    ----------
    growth : sequence of float
        (T + 1,) values of the account (or of 1 dollar) at each step, all positive.
    dates : sequence of Timestamp
        (T + 1,) the date of each step.
    count : int, default 3
        How many falls to return, deepest first.

    Returns
    -------
    pandas.DataFrame
        Up to ``count`` rows with ``depth`` (trough / peak - 1, negative), ``peak``,
        ``trough`` and ``recovery`` (dates; ``NaT`` when the span ends before it climbs
        back). Empty when the path never falls.

    Raises
    ------
    ValueError
        When the lengths differ or a value is not positive.

    Examples
    --------
    >>> days = pd.date_range("2000-01-31", periods=5, freq="ME")
    >>> worst_falls([1.0, 0.5, 1.2, 0.9, 1.3], days)["depth"].round(2).tolist()
    [-0.5, -0.25]
    """
    values = np.asarray(growth, dtype=float)
    stamps = pd.DatetimeIndex(dates)
    if values.ndim != 1 or len(values) != len(stamps):
        raise ValueError("Give one date for every value of the path.")
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError("A growth path must be positive at every step.")
    columns = ["depth", "peak", "trough", "recovery"]
    peak = np.maximum.accumulate(values)
    new_peak = values >= peak  # a step at (or back to) its running peak
    episode = np.cumsum(new_peak)  # the steps after one peak until the next share a number
    depth = values / peak - 1.0
    falling = np.flatnonzero(~new_peak)  # each fall is a run of these, right after its peak
    starts = np.flatnonzero(np.diff(episode[falling], prepend=-1) != 0)
    ends = np.append(starts[1:], falling.size)
    lows = np.minimum.reduceat(depth[falling], starts) if falling.size else np.empty(0)
    rows = []
    for number in np.argsort(lows, kind="stable")[:count]:  # deepest first, then earliest
        steps = falling[starts[number]:ends[number]]
        trough, after = steps[np.argmin(depth[steps])], steps[-1] + 1
        rows.append({
            "depth": float(depth[trough]), "peak": stamps[steps[0] - 1],
            "trough": stamps[trough],
            "recovery": stamps[after] if after < len(values) else pd.NaT,
        })
    return pd.DataFrame(rows, columns=columns)


def history_runs(
    rules: Mapping[str, policies.Policy],
    target: Sequence[float] = (0.6, 0.4, 0.0),
    start: int = 1926,
    end: int = 2022,
    frequency: str = "monthly",
    cost_rate: float = 0.0,
    contribution: float = 0.0,
    initial_value: float = 10_000.0,
    falls: int = 3,
) -> HistoryRuns:
    """Run one mix of stocks, bonds and cash (bills) through history under several rules.

    Every rule replays the same months (or years) from the target mix, with the same
    trading cost and the same money added each month; see
    :func:`rebalance_widgets.core.simulate` for the order of growth, new money and trades.

    Parameters
    ----------
    rules : mapping of str to Policy
        Name shown -> policy, at most :data:`MAX_RULES`. With yearly data a check can only
        fall once a year: monthly and quarterly checks are refused.
    target : sequence of float
        Shares of stocks, bonds and cash (Treasury bills), adding up to 1.
    start, end : int
        First and last calendar year, both included (one year alone with monthly data;
        two or more with yearly data). Monthly
        data start in July 1926 and end in November 2022; yearly data cover 1928-2025.
    frequency : {"monthly", "yearly"}
        Which history to replay.
    cost_rate : float
        Trading cost as a share of the dollars traded (0.001 = 0.1%), 0 to below 50%.
    contribution : float
        Dollars added at the end of every month (12 times as much at each year's end with
        yearly data); 0 or more. Cash-flow rebalancing steers it to what is behind.
    initial_value : float
        Dollars at the start, above 0.
    falls : int
        Worst falls kept per rule.

    Returns
    -------
    HistoryRuns
        Paths over time and one row per rule.

    Raises
    ------
    ValueError
        For no rules or too many, a span outside the data or backwards, a mix
        that does not add up to 100%, a check the data cannot make, or a cost, contribution
        or starting balance out of range.

    Examples
    --------
    >>> runs = history_runs({"Never": policies.Never()}, (0.6, 0.4, 0.0), 2000, 2009)
    >>> runs.growth.shape
    (121, 1)
    """
    if not rules:
        raise ValueError("Tick at least one rule to compare.")
    if len(rules) > MAX_RULES:
        raise ValueError(f"Compare at most {MAX_RULES} rules at once.")
    weights = np.asarray(target, dtype=float)
    if weights.shape != (len(ASSETS),) or not np.all(np.isfinite(weights)) or np.any(
            weights < 0) or abs(weights.sum() - 1.0) > 1e-6:
        raise ValueError("The mix needs a share of stocks, bonds and cash, each 0% or more, "
                         "adding up to 100%.")
    if not 0 <= contribution <= 1e9 or not 0 < initial_value <= 1e9:
        raise ValueError("The starting balance must be above $0 and the money added 0 or "
                         "more, each at most $1 billion.")
    ppy = _PERIODS.get(frequency)
    if ppy is None:
        raise ValueError(f"Choose monthly or yearly data; got {frequency!r}.")
    span, dates = _span(frequency, start, end)
    returns = span.loc[:, list(ASSETS)]
    prices = pd.Series(np.concatenate([[1.0], np.cumprod(1.0 + span["inflation"].to_numpy())]),
                       index=dates, name="prices")
    years = len(returns) / ppy
    flows = contribution * 12 / ppy if contribution > 0 else None
    growth, shares, rows, found = {}, {}, [], []
    for name, policy in rules.items():
        result = simulate(returns, weights, policy, initial_value=float(initial_value),
                          cost_rate=float(cost_rate), periods_per_year=ppy,
                          cash_flows=flows, assets=("stocks", "bonds", "cash"))
        row = metrics.per_path(result, columns=[
            "average_weight_stocks", "rebalance_count", "annual_turnover", "cagr",
            "volatility", "max_drawdown", "worst_12_months", "terminal_wealth"]).iloc[0]
        path = np.concatenate([[1.0], np.cumprod(1.0 + metrics.period_returns(result)[0])])
        growth[name], shares[name] = path, np.array(result.weights[0, :, 0])
        rows.append({
            "rule": name, "average_stock_weight": row["average_weight_stocks"],
            "rebalance_count": int(row["rebalance_count"]),
            "annual_turnover": row["annual_turnover"], "annualised_return": row["cagr"],
            "annualised_volatility": row["volatility"], "max_drawdown": row["max_drawdown"],
            "worst_12_months": row["worst_12_months"], "growth_of_1": path[-1],
            "ending_balance": row["terminal_wealth"],
            "real_annualised_return": (path[-1] / prices.iloc[-1]) ** (1 / years) - 1,
            "real_growth_of_1": path[-1] / prices.iloc[-1],
        })
        found.append(worst_falls(path, dates, falls).assign(rule=name))
    return HistoryRuns(
        dates=dates, growth=pd.DataFrame(growth, index=dates),
        stock_share=pd.DataFrame(shares, index=dates),
        table=pd.DataFrame(rows, columns=list(RUN_COLUMNS)),
        falls=pd.concat(found, ignore_index=True), frequency=frequency, prices=prices,
    )

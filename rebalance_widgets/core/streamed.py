"""Per-path metrics computed while simulating, without recording every step.

A comparison of policies shows a few medians per policy, yet :func:`simulate` records the
wealth, the weights before and after each trade, the buys, sells and costs of every step
of every path, and :func:`~rebalance_widgets.core.metrics.per_path` reads them back. For
the common case (money only ever added, the same amount on every path; no return of
-100%; no tax on trades) :func:`streamed_per_path` runs the same timeline one path
at a time in compiled code and keeps only running sums, so that no (paths x steps) array is
made. The numbers are those of ``per_path(simulate(...))`` up to rounding (the tests hold
them to 1e-9 relative for every policy); anything outside that case goes to
:func:`~rebalance_widgets.core.engine.simulate`. :func:`policy_medians` picks the way for
each policy.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core import metrics
from rebalance_widgets.core.engine import Setup, prepare, simulate_prepared
from rebalance_widgets.core.engine_steps import TRADE_TOLERANCE, Rules
from rebalance_widgets.core.policies import Policy

__all__ = [
    "STREAMED_COLUMNS",
    "compile_ahead",
    "compiled_kernel",
    "policy_medians",
    "streamable",
    "streamed_per_path",
]

STREAMED_COLUMNS: tuple[str, ...] = (
    "terminal_wealth", "after_tax_wealth", "cagr", "volatility", "max_drawdown",
    "worst_12_months", "average_drift", "largest_drift", "average_total_drift",
    "rebalance_count", "rebalances_per_year", "annual_turnover", "costs_paid", "taxes_paid",
    "fees_paid",
)
"""The metrics of :func:`~rebalance_widgets.core.metrics.per_path` computed here."""

# columns of the kernel's output, in this order
_KERNEL = ("terminal_wealth", "cagr", "volatility", "max_drawdown", "worst_12_months",
           "average_drift", "largest_drift", "average_total_drift", "rebalance_count",
           "annual_turnover", "costs_paid", "fees_paid")


@functools.cache
def compiled_kernel() -> Callable[..., None]:
    """Return :func:`_kernel` compiled by numba (imported and compiled on first use only).

    The machine code is cached on disk where the package's folder is writable (else in
    numba's user cache folder), so a later process loads it in a fraction of a second.
    """
    import numba

    try:
        return numba.njit(cache=True, error_model="numpy")(_kernel)
    except RuntimeError:  # no writable cache folder at all: compile in every process
        return numba.njit(error_model="numpy")(_kernel)


def _kernel(returns, targets, bands, has_band, every, to_band, underweight, initial,
            flows, cost_rate, keep_after_fee, ppy, window, out):
    """Simulate every path and write its metrics (the columns of ``_KERNEL``) to ``out``.

    Plain Python that numba compiles (see :func:`compiled_kernel`); the steps follow the
    timeline of :mod:`rebalance_widgets.core.engine`.
    """
    paths, periods, assets = returns.shape
    holdings = np.empty(assets)
    trade = np.empty(assets)
    gaps = np.empty(assets)
    ranked = np.empty(assets)
    rates = np.empty(periods)
    growth = np.empty(periods + 1)
    fee_share = (1.0 - keep_after_fee) / keep_after_fee
    years = periods / ppy
    for path in range(paths):
        for asset in range(assets):
            holdings[asset] = targets[0, asset] * initial
        wealth = initial
        growth[0] = 1.0
        peak, worst = 1.0, 1.0
        drift_sum, drift_max, total_drift = 0.0, 0.0, 0.0
        count, turnover, costs, fees = 0, 0.0, 0.0, 0.0
        for t in range(1, periods + 1):
            before = wealth
            # 1. growth and the fund fee; the assets added up left to right
            now = 0.0
            for asset in range(assets):
                holdings[asset] *= (returns[path, t - 1, asset] + 1.0) * keep_after_fee
                now += holdings[asset]
            fees += now * fee_share
            # 2. the contribution, at target or to the largest shortfalls first
            flow = flows[t - 1]
            bought, sold = 0.0, 0.0
            if flow > 0.0:
                if underweight:
                    after = now + flow
                    for asset in range(assets):  # ranked largest first
                        gap = targets[t, asset] * after - holdings[asset]
                        gaps[asset] = gap
                        place = asset
                        while place > 0 and ranked[place - 1] < gap:
                            ranked[place] = ranked[place - 1]
                            place -= 1
                        ranked[place] = gap
                    # the level L with sum max(gap - L, 0) = flow (see water_fill)
                    running = ranked[0]
                    level = running - flow
                    for k in range(2, assets + 1):
                        running += ranked[k - 1]
                        level = max(level, (running - flow) / k)
                    for asset in range(assets):
                        share = max(gaps[asset] - level, 0.0)
                        holdings[asset] += share
                        bought += share
                else:
                    for asset in range(assets):
                        holdings[asset] += targets[t, asset] * flow
                    bought = flow
                now += flow
            # 3. the policy, on its check dates
            if every > 0 and t % every == 0 and now > 0.0:  # an empty portfolio never trades
                breached = not has_band
                keep = 1.0
                for asset in range(assets):
                    trade[asset] = targets[t, asset] * now - holdings[asset]
                    if has_band:
                        drift = abs(holdings[asset] / now - targets[t, asset])
                        if drift > bands[t, asset]:
                            breached = True
                        if to_band and drift > 0.0:
                            room = bands[t, asset] / drift
                            if room == room:  # not NaN
                                keep = min(keep, room)
                if breached:
                    traded, buying = 0.0, 0.0
                    for asset in range(assets):
                        if to_band:
                            trade[asset] *= 1.0 - keep
                        traded += abs(trade[asset])
                        buying += max(trade[asset], 0.0)
                    if traded > TRADE_TOLERANCE * now:
                        for asset in range(assets):
                            holdings[asset] += trade[asset]
                        bought += buying
                        sold += max(traded - buying, 0.0)
                        count += 1
            # 4. the trading cost, taken pro-rata
            if cost_rate > 0.0 and (bought > 0.0 or sold > 0.0):
                cost = (bought + sold) * cost_rate
                left = now - cost
                share_left = left / now
                for asset in range(assets):
                    holdings[asset] *= share_left
                now = left
                costs += cost
            # 5. the metrics of the recorded step
            largest, total = 0.0, 0.0  # an empty portfolio counts as on target
            if now > 0.0:
                for asset in range(assets):
                    gap = abs(holdings[asset] / now - targets[t, asset])
                    largest = max(largest, gap)
                    total += gap
                turnover += min(bought, sold) / now
            drift_sum += largest
            drift_max = max(drift_max, largest)
            total_drift += total
            rate = (now - flow) / before - 1.0 if before > 0.0 else 0.0
            rates[t - 1] = rate
            growth[t] = growth[t - 1] * (rate + 1.0)
            peak = max(peak, growth[t])
            worst = min(worst, growth[t] / peak)
            wealth = now
        mean = 0.0
        for t in range(periods):
            mean += rates[t]
        mean /= periods
        squares = 0.0
        for t in range(periods):
            squares += (rates[t] - mean) ** 2
        worst_window = np.inf
        for t in range(window, periods + 1):
            worst_window = min(worst_window, growth[t] / growth[t - window])
        out[path, 0] = wealth
        out[path, 1] = max(growth[periods], 0.0) ** (ppy / periods) - 1.0
        out[path, 2] = np.sqrt(squares / (periods - 1)) * np.sqrt(ppy) if periods > 1 else np.nan
        out[path, 3] = min(worst - 1.0, 0.0)
        out[path, 4] = worst_window - 1.0 if periods >= window else np.nan
        out[path, 5] = drift_sum / periods
        out[path, 6] = drift_max
        out[path, 7] = total_drift / 2.0 / periods
        out[path, 8] = count
        out[path, 9] = turnover / years
        out[path, 10] = costs
        out[path, 11] = fees


def streamable(setup: Setup, rules: Rules, columns: Sequence[str]) -> bool:
    """Whether :func:`streamed_per_path` can compute ``columns`` for these settings.

    It can when every column is one of :data:`STREAMED_COLUMNS`, there are returns, no
    return is -100%, the account does not tax trades, cash flows are the same on every
    path and never negative, and 3 x the cost rate is below 1 (so the cost of a step can
    never exceed what the portfolio holds). The start may be 0.
    """
    flows = setup.flows_in
    return (
        set(columns) <= set(STREAMED_COLUMNS)
        and setup.returns.shape[1] > 0
        and not setup.wiped_out
        and not rules.taxable
        and (flows is None or (flows.ndim == 1 and bool(np.all(flows >= 0))))
        and 3 * rules.cost_rate < 1
    )


def streamed_per_path(setup: Setup, policy: Policy,
                      columns: Sequence[str] = STREAMED_COLUMNS) -> pd.DataFrame:
    """Return ``per_path(simulate(...), columns=columns)`` without recording the steps.

    Parameters
    ----------
    setup : Setup
        Checked inputs, from :func:`~rebalance_widgets.core.engine.prepare`.
    policy : Policy
        The rebalancing policy.
    columns : sequence of str
        Metrics to return, each one of :data:`STREAMED_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        One row per path (index ``path``), one column per metric.

    Raises
    ------
    ValueError
        When :func:`streamable` says no.

    Examples
    --------
    >>> from rebalance_widgets.core import policies
    >>> from rebalance_widgets.core.engine import prepare
    >>> setup = prepare(np.array([[0.10, 0.0], [-0.05, 0.0]]), [0.6, 0.4])
    >>> table = streamed_per_path(setup, policies.Never(), ["terminal_wealth"])
    >>> round(float(table["terminal_wealth"].iloc[0]), 6)
    1.027
    """
    rules = setup.rules(policy)
    if not streamable(setup, rules, columns):
        raise ValueError("These settings need the full simulation: use simulate().")
    periods = setup.returns.shape[1]
    flows = np.zeros(periods) if setup.flows_in is None else setup.flows_in
    has_band = rules.bands is not None
    bands = rules.bands if has_band else np.zeros_like(rules.targets)
    window = max(round(float(setup.periods_per_year)), 1)
    out = np.empty((setup.returns.shape[0], len(_KERNEL)))
    arrays = (np.ascontiguousarray(array, dtype=float)  # one compiled version for all
              for array in (setup.returns, rules.targets, bands, flows))
    returns, targets, bands, flows = arrays
    compiled_kernel()(returns, targets, bands, has_band, rules.check_every or 0,
                      rules.to_band, rules.underweight, rules.initial_value, flows,
                      rules.cost_rate, rules.keep_after_fee, float(setup.periods_per_year),
                      window, out)
    values = dict(zip(_KERNEL, out.T, strict=True))
    values["rebalance_count"] = values["rebalance_count"].astype(np.int64)
    values["rebalances_per_year"] = values["rebalance_count"] / (
        periods / float(setup.periods_per_year))
    values["after_tax_wealth"] = np.asarray(setup.account.after_tax_wealth(
        values["terminal_wealth"], None, None), dtype=float)
    values["taxes_paid"] = np.zeros(out.shape[0])
    return pd.DataFrame({name: values[name] for name in columns},
                        index=pd.RangeIndex(out.shape[0], name="path"))


def compile_ahead() -> None:
    """Compile the kernel now (and cache it on disk), on a tiny case.

    ``rebalance-widgets serve`` runs this in a separate process as it starts, so that the
    first visitor of a comparison does not wait for the compiler.
    """
    setup = prepare(np.zeros((1, 1, 2)), [0.5, 0.5])
    streamed_per_path(setup, Policy(), ["cagr"])


def policy_medians(
    returns: Any,
    target: Any,
    policies: Mapping[str, Policy] | Sequence[Policy],
    *,
    columns: Sequence[str] | None = None,
    done: Callable[[], None] | None = None,
    **simulate_kwargs: Any,
) -> pd.DataFrame:
    """Return the median of each metric across paths, per policy, on the same returns.

    The numbers of :func:`~rebalance_widgets.core.metrics.compare_row` for each policy
    (without terminal-wealth percentiles), computed by :func:`streamed_per_path` when the
    settings allow it (much faster, and no per-step arrays in memory) and by
    :func:`simulate` otherwise.

    Parameters
    ----------
    returns, target : array-like
        As in :func:`simulate`; checked once for all policies.
    policies : mapping of str to Policy, or sequence of Policy
        Row name -> policy; a sequence is named by each policy's ``label``.
    columns : sequence of str, optional
        Metrics of ``per_path`` to report; all of them by default.
    done : callable, optional
        Called with no argument after each policy (to move a progress bar).
    **simulate_kwargs
        As in :func:`simulate` (``initial_value``, ``cost_rate``, ``cash_flows``, ...).

    Returns
    -------
    pandas.DataFrame
        One row per policy (index ``policy``), one column per metric.

    Examples
    --------
    >>> from rebalance_widgets.core import policies
    >>> returns = np.zeros((3, 12, 2))
    >>> table = policy_medians(returns, [0.5, 0.5], [policies.Never()], columns=["cagr"])
    >>> float(table.loc["Never rebalance", "cagr"])
    0.0
    """
    if not isinstance(policies, Mapping):
        policies = {policy.label: policy for policy in policies}
    if not policies:
        raise ValueError("Give at least one policy.")
    setup = prepare(returns, target, **simulate_kwargs)
    wanted = list(columns) if columns is not None else None
    rows = {}
    for name, policy in policies.items():
        rules = setup.rules(policy)
        if wanted is not None and streamable(setup, rules, wanted):
            rows[str(name)] = metrics.medians(streamed_per_path(setup, policy, wanted))
        else:
            result = simulate_prepared(setup, policy)
            rows[str(name)] = metrics.compare_row(result, columns=wanted, percentiles=())
        if done is not None:
            done()
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("policy")

"""The compiled loop of ``policy_medians``: simulate, keep running sums.

Plain Python that numba compiles to machine code on first use. One path at a time, one step
at a time, following the timeline of :mod:`rebalance_widgets.core.simulation.engine`; each
step adds to the path's running sums, and the metrics are written when the path ends. It is
one function on purpose: split into helpers, the same steps ran about 1.5 times slower.
Importing this module imports numba;
:func:`rebalance_widgets.core.simulation.streamed.compiled_kernel` does that only when a
comparison needs it.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["run"]

_FLOAT = numba.float64
_READ = {"dtype": numba.float64, "layout": "C", "readonly": True}
SIGNATURE = numba.void(
    numba.types.Array(ndim=3, **_READ),  # returns (P, T, A)
    numba.types.Array(ndim=2, **_READ),  # targets (T+1, A)
    numba.types.Array(ndim=2, **_READ),  # bands (T+1, A)
    numba.boolean,  # has_band
    numba.int64,  # every
    numba.boolean,  # to_band
    numba.boolean,  # underweight
    _FLOAT,  # initial
    numba.types.Array(ndim=1, **_READ),  # flows (T,)
    _FLOAT, _FLOAT, _FLOAT, _FLOAT,  # cost_rate, keep_after_fee, ppy, tolerance
    numba.int64,  # window
    numba.types.Array(numba.float64, 2, "C"),  # out (P, 12)
)
"""The one set of argument types :func:`run` is compiled for (read-only inputs), so that
it is compiled once, when this module is imported, and never again for other types."""


def _jit(function):
    """Compile now, with numpy's rules for division by zero; cache the code on disk."""
    options = {"error_model": "numpy"}
    try:
        return numba.njit(SIGNATURE, cache=True, **options)(function)
    except RuntimeError:  # no writable cache folder anywhere: compile in every process
        return numba.njit(SIGNATURE, **options)(function)


@_jit
def run(returns, targets, bands, has_band, every, to_band, underweight, initial, flows,
        cost_rate, keep_after_fee, ppy, tolerance, window, out):
    """Simulate every path of ``returns`` (P, T, A); write its metrics to ``out`` (P, 12).

    ``targets`` and ``bands`` are (T+1, A); ``every`` is the number of periods between
    check dates (0 for none); ``to_band`` trades to the band's edge (only with a band);
    ``flows`` (T,) are contributions, zero or more; a trade under ``tolerance`` x the value
    is not made; ``window`` is the number of periods in a year, for ``worst_12_months``.
    The columns of ``out`` are those of ``streamed._KERNEL_COLUMNS``, defined as in
    ``metrics.per_path``.
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
            if fee_share > 0.0:
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
                            keep = min(keep, bands[t, asset] / drift)
                if breached:
                    traded, buying = 0.0, 0.0
                    for asset in range(assets):
                        if to_band:
                            trade[asset] *= 1.0 - keep
                        traded += abs(trade[asset])
                        buying += max(trade[asset], 0.0)
                    if traded > tolerance * now:
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

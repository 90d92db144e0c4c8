"""The arithmetic of :func:`rebalance_widgets.core.metrics.per_path`, step-major.

The engine stores every per-step array with the steps down the first axis ((T+1, P) and
(T+1, A, P)) and its result exposes (P, T+1, ...) views of them. Sums, running products and
running peaks along the steps are therefore a few operations on contiguous rows of P paths
when they run down the first axis of the transposed view, and several times slower along
the last axis of the view. :class:`Paths` works on the transposed views, computes each
intermediate (returns, growth index, gaps to the target) once and only when a requested
metric needs it, and :data:`COLUMNS` maps each metric to the function that computes it.
The definitions are documented in :func:`~rebalance_widgets.core.metrics.per_path`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["BAND_TOLERANCE", "COLUMNS", "Paths", "divide", "returns_down_steps"]

BAND_TOLERANCE = 1e-9  # a weight this close to the band's edge counts as inside it


def divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Divide where the denominator is positive; 0 elsewhere (an empty portfolio)."""
    out = np.zeros(np.broadcast(numerator, denominator).shape)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def returns_down_steps(wealth: np.ndarray, flows: np.ndarray | None) -> np.ndarray:
    """(T, P) returns r_t = (W_t - F_t) / W_{t-1} - 1 from (T+1, P) wealth and flows."""
    start = wealth[:-1]
    grown = wealth[1:] if flows is None else wealth[1:] - flows[1:]
    if np.all(start > 0):
        returns = np.divide(grown, start)
        returns -= 1.0
        return returns
    return divide(grown, start) - (start > 0)


_BLOCK_VALUES = 32_768  # values per piece of a sweep: a few of them stay in the cache


def _combine(function: np.ufunc, rows: list[np.ndarray]) -> np.ndarray:
    """Combine per-asset arrays left to right with ``function``, into a new array."""
    out = rows[0].copy()
    for row in rows[1:]:
        function(out, row, out=out)
    return out


class Paths:
    """Step-major views of a result, and the intermediates its metrics share.

    Sweeps over the steps run a block of steps at a time, so that their temporary arrays
    are small; only the growth index is kept whole.

    Parameters
    ----------
    result : SimulationResult
        The result (or any object with the same attributes).
    wealth : numpy.ndarray
        (P, T+1) wealth, already checked.
    weights : numpy.ndarray
        (P, T+1, A) recorded weights, already checked.
    target : numpy.ndarray
        (T+1, A) target in force at each step.
    band : callable
        Returns the (T+1, A) band widths (called only if needed).
    """

    def __init__(self, result: Any, wealth: np.ndarray, weights: np.ndarray,
                 target: np.ndarray, band: Callable[[], np.ndarray]) -> None:
        self.result = result
        self.wealth = wealth.T  # (T+1, P)
        self.weights = weights.transpose(1, 2, 0)  # (T+1, A, P)
        self.target = target
        self.paths, self.steps = wealth.shape
        self.periods = self.steps - 1
        self.ppy = float(result.periods_per_year)
        self.years = self.periods / self.ppy
        self._band = band
        self._memo: dict[str, Any] = {}
        rows = max(1, _BLOCK_VALUES // max(self.paths, 1))
        self.blocks = [slice(start, min(start + rows, self.steps))
                       for start in range(1, self.steps, rows)]  # steps 1..T

    def _once(self, name: str, compute: Callable[[], Any]) -> Any:
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    def series(self, name: str) -> np.ndarray | None:
        """``result.<name>`` as (T+1, P), or None when the result has none."""
        value = getattr(self.result, name, None)
        if value is None:
            return None
        value = np.asarray(value, dtype=float)
        if value.shape != (self.paths, self.steps):
            raise ValueError(f"The result's {name} has shape {value.shape}; expected "
                             f"{(self.paths, self.steps)}.")
        return value.T

    def returns_at(self, block: slice) -> np.ndarray:
        """(n, P) period returns net of cash flows at the steps of ``block`` (read-only)."""
        return self._once(f"returns_{block.start}", lambda: self._returns_at(block))

    def _returns_at(self, block: slice) -> np.ndarray:
        flows = self._once("flows", lambda: self.series("flows"))
        start = self.wealth[block.start - 1:block.stop - 1]
        grown = self.wealth[block] if flows is None else self.wealth[block] - flows[block]
        if self._once("all_positive", lambda: bool(np.all(self.wealth[:-1] > 0))):
            returns = np.divide(grown, start)
            returns -= 1.0
            return returns
        return divide(grown, start) - (start > 0)

    @property
    def growth(self) -> np.ndarray:
        """(T+1, P) growth of 1 invested at step 0."""
        def compute() -> np.ndarray:
            growth = np.empty((self.steps, self.paths))
            growth[0] = 1.0
            for block in self.blocks:
                factors = self.returns_at(block) + 1.0
                # one row at a time: a running product down axis 0 is much slower
                for row, step in enumerate(range(block.start, block.stop)):
                    np.multiply(growth[step - 1], factors[row], out=growth[step])
            return growth

        return self._once("growth", compute)

    def gaps_at(self, block: slice, before_trade: bool = False) -> list[np.ndarray]:
        """|weight - target| at the steps of ``block``, one (n, P) array per asset.

        With ``before_trade`` the weights are the result's ``weights_before_trade`` when it
        records them (else the recorded weights).
        """
        weights = self.weights
        if before_trade:
            weights = self._once("before_trade", self._before_trade)
        rows = []
        for index in range(weights.shape[1]):
            gap = np.subtract(weights[block, index], self.target[block, index, np.newaxis])
            rows.append(np.abs(gap, out=gap))
        return rows

    def _before_trade(self) -> np.ndarray:
        recorded = getattr(self.result, "weights_before_trade", None)
        if recorded is None:
            return self.weights
        before = np.asarray(recorded, dtype=float)
        shape = (self.paths, self.steps, self.target.shape[1])
        if before.shape != shape:
            raise ValueError(f"The result's weights_before_trade has shape {before.shape}; "
                             f"expected {shape}.")
        return before.transpose(1, 2, 0)

    def drift(self) -> dict[str, np.ndarray]:
        """Mean and maximum of the largest gap to the target, per path."""
        def compute() -> dict[str, np.ndarray]:
            average = np.zeros(self.paths)
            largest = np.zeros(self.paths)
            for block in self.blocks:
                biggest = _combine(np.maximum, self.gaps_at(block))
                average += biggest.sum(axis=0)
                np.maximum(largest, biggest.max(axis=0), out=largest)
            return {"average_drift": average / self.periods, "largest_drift": largest}

        return self._once("drift", compute)

    def total_drift(self) -> np.ndarray:
        """Mean of the total drift, sum_i |w_i - target_i| / 2, per path."""
        total = np.zeros(self.paths)
        for block in self.blocks:
            total += _combine(np.add, self.gaps_at(block)).sum(axis=0)
        return total / 2 / self.periods

    @property
    def band(self) -> np.ndarray:
        """(T+1, A) band widths for ``time_outside_band``."""
        return self._once("band", self._band)

    @property
    def rebalance_count(self) -> np.ndarray:
        """(P,) steps 1..T with a trade."""
        return self._once("rebalance_count", lambda: np.asarray(
            self.result.rebalanced, dtype=bool).T[1:].sum(axis=0))

    def paid(self, name: str) -> np.ndarray:
        """(P,) dollar sum of ``result.<name>`` over all steps (0 when it has none)."""
        value = self.series(name)
        return np.zeros(self.paths) if value is None else value.sum(axis=0)


def _cagr(p: Paths) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.maximum(p.growth[-1], 0.0) ** (p.ppy / p.periods) - 1.0


def _volatility(p: Paths) -> np.ndarray:
    if p.periods < 2:
        return np.full(p.paths, np.nan)
    mean = np.zeros(p.paths)
    for block in p.blocks:
        mean += p.returns_at(block).sum(axis=0)
    mean /= p.periods
    squares = np.zeros(p.paths)
    for block in p.blocks:
        deviation = p.returns_at(block) - mean
        deviation *= deviation
        squares += deviation.sum(axis=0)
    return np.sqrt(squares / (p.periods - 1)) * np.sqrt(p.ppy)


def _max_drawdown(p: Paths) -> np.ndarray:
    # The running peak starts at G_0 = 1, so it is never 0.
    growth = p.growth
    peak = growth[0].copy()
    worst = np.ones(p.paths)
    for block in p.blocks:
        peaks = np.empty((block.stop - block.start, p.paths))
        for row, step in enumerate(range(block.start, block.stop)):
            peak = np.maximum(peak, growth[step], out=peaks[row])
        peak = peak.copy()  # the buffer is overwritten next
        np.divide(growth[block], peaks, out=peaks)
        np.minimum(worst, peaks.min(axis=0), out=worst)
    return np.minimum(worst - 1.0, 0.0)


def _worst_12_months(p: Paths) -> np.ndarray:
    length = max(round(p.ppy), 1)
    if p.periods < length:
        return np.full(p.paths, np.nan)
    growth = p.growth
    if np.all(growth > 0):  # G_{s+n} / G_s is the window's growth; fast and exact enough
        worst = np.full(p.paths, np.inf)
        for block in p.blocks:
            ends = slice(max(block.start, length), block.stop)
            if ends.start < ends.stop:
                ratio = growth[ends] / growth[ends.start - length:ends.stop - length]
                np.minimum(worst, ratio.min(axis=0), out=worst)
        return worst - 1.0
    returns = np.concatenate([p.returns_at(block) for block in p.blocks])
    windows = np.lib.stride_tricks.sliding_window_view(1.0 + returns, length, axis=0)
    return windows.prod(axis=-1).min(axis=0) - 1.0


def _time_outside_band(p: Paths) -> np.ndarray:
    widths = p.band + BAND_TOLERANCE
    count = np.zeros(p.paths)
    for block in p.blocks:
        rows = [gap > widths[block, index, np.newaxis]
                for index, gap in enumerate(p.gaps_at(block, before_trade=True))]
        count += _combine(np.logical_or, rows).sum(axis=0)
    return count / p.periods


def _annual_turnover(p: Paths) -> np.ndarray:
    buys, sells = p.series("buys"), p.series("sells")
    total = np.zeros(p.paths)
    if buys is None and sells is None:
        return total
    for block in p.blocks:
        bought = np.zeros((block.stop - block.start, p.paths)) if buys is None else buys[block]
        sold = np.zeros_like(bought) if sells is None else sells[block]
        total += divide(np.minimum(bought, sold), p.wealth[block]).sum(axis=0)
    return total / p.years


COLUMNS: dict[str, Callable[[Paths], np.ndarray]] = {
    "terminal_wealth": lambda p: p.wealth[-1],
    "after_tax_wealth": lambda p: (
        p.wealth[-1] if getattr(p.result, "after_tax_wealth", None) is None
        else np.asarray(p.result.after_tax_wealth, dtype=float)
    ),
    "cagr": _cagr,
    "volatility": _volatility,
    "max_drawdown": _max_drawdown,
    "worst_12_months": _worst_12_months,
    "average_drift": lambda p: p.drift()["average_drift"],
    "largest_drift": lambda p: p.drift()["largest_drift"],
    "average_total_drift": lambda p: p.total_drift(),
    # average_weight_<asset> columns are added per asset, here
    "time_outside_band": _time_outside_band,
    "rebalance_count": lambda p: p.rebalance_count,
    "rebalances_per_year": lambda p: p.rebalance_count / p.years,
    "annual_turnover": _annual_turnover,
    "costs_paid": lambda p: p.paid("costs"),
    "taxes_paid": lambda p: p.paid("taxes"),
    "fees_paid": lambda p: p.paid("fees"),
}
"""Metric name -> function of :class:`Paths` giving one value per path (the order of
``per_path``'s columns; the per-asset average weights go after ``average_total_drift``)."""

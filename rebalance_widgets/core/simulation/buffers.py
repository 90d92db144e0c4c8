"""Buffers of the inner loop of ``simulate``, allocated once and reused on every step.

Arrays are asset-major, as in :mod:`rebalance_widgets.core.simulation.steps`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Growth", "Scratch"]

_PATH_BLOCK = 1024  # paths per piece when the returns are turned time-major
_PERIOD_BLOCK = 12  # periods turned at a time


class Scratch:
    """Buffers reused on every check date, so that the loop does not allocate them."""

    def __init__(self, assets: int, paths: int) -> None:
        self.drift = np.empty((assets, paths))
        self.outside = np.empty((assets, paths), dtype=bool)
        self.breached = np.empty(paths, dtype=bool)

    def breaches(self, weights: np.ndarray, target: np.ndarray, band: np.ndarray) -> int:
        """Fill ``drift`` = |weights - target| and ``breached``; return how many breached."""
        np.subtract(weights, target[:, np.newaxis], out=self.drift)
        np.abs(self.drift, out=self.drift)
        outside = np.greater(self.drift, band[:, np.newaxis], out=self.outside)
        np.logical_or.reduce(outside, axis=0, out=self.breached)
        return int(np.count_nonzero(self.breached))


class Growth:
    """Growth factors (1 + r) x fee drag of one period, time-major (A, P).

    The returns come path-major (P, T, A); they are turned around a block of periods at a
    time, in cache-sized pieces, so the whole (T, A, P) array is never built.
    """

    def __init__(self, returns: np.ndarray, keep_after_fee: float) -> None:
        self.returns = returns
        self.keep_after_fee = keep_after_fee
        paths, periods, assets = returns.shape
        self.block = np.empty((min(_PERIOD_BLOCK, periods), assets, paths))
        self.first = -_PERIOD_BLOCK

    def __getitem__(self, period: int) -> np.ndarray:
        offset = period - self.first
        if not 0 <= offset < _PERIOD_BLOCK:
            self.first, offset = period, 0
            count = min(_PERIOD_BLOCK, self.returns.shape[1] - period)
            for start in range(0, self.returns.shape[0], _PATH_BLOCK):
                piece = self.block[:count, :, start:start + _PATH_BLOCK]
                source = self.returns[start:start + _PATH_BLOCK, period:period + count]
                np.add(source.transpose(1, 2, 0), 1.0, out=piece)
                if self.keep_after_fee != 1.0:
                    piece *= self.keep_after_fee
        return self.block[offset]

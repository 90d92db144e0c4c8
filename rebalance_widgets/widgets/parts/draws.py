"""Random draws kept between slider moves (keyed on model, seed, paths and periods)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

from rebalance_widgets.widgets.parts.views import Progress

__all__ = ["DRAWS", "DrawsCache"]


class DrawsCache:
    """Random draws kept between slider moves, keyed on (model, seed, paths, periods).

    Arrays are returned read-only and shared; evicts the oldest entries beyond
    ``max_entries`` or ``max_bytes``.

    Parameters
    ----------
    max_entries : int, default 6
        Entries kept.
    max_bytes : int, default 300_000_000
        Total size kept (about three 5,000-path x 60-year x 3-asset draws).
    chunk_paths : int, default 500
        Paths sampled per chunk when a progress bar is given.

    Examples
    --------
    >>> from rebalance_widgets.core.markets import assumptions  # doctest: +SKIP
    >>> cache = DrawsCache()
    >>> model = assumptions("historical")  # doctest: +SKIP
    >>> draws = cache.get(model, seed=1, n_paths=10, n_periods=12)  # doctest: +SKIP
    """

    def __init__(
        self, max_entries: int = 6, max_bytes: int = 300_000_000, chunk_paths: int = 500
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.chunk_paths = chunk_paths
        self._entries: OrderedDict[tuple[Any, ...], tuple[Any, np.ndarray]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def _key(model: Any, seed: int, n_paths: int, n_periods: int) -> tuple[Any, ...]:
        try:
            hash(model)
            model_key: Any = model
        except TypeError:
            model_key = ("id", id(model))
        return (model_key, int(seed), int(n_paths), int(n_periods))

    def get(
        self,
        model: Any,
        *,
        seed: int,
        n_paths: int,
        n_periods: int,
        progress: Progress | None = None,
    ) -> np.ndarray:
        """Return ``model.sample(n_paths, n_periods, rng)`` for this seed, from cache if seen.

        Parameters
        ----------
        model : return model
            Anything with ``sample(n_paths, n_periods, rng)`` (``core.markets``).
        seed : int
            Seed of the random generator.
        n_paths, n_periods : int
            Shape asked for.
        progress : Progress, optional
            When given and the job is large, sample in chunks of paths and advance it.

        Returns
        -------
        numpy.ndarray
            Read-only array of simple returns (n_paths, n_periods, n_assets).
        """
        key = self._key(model, seed, n_paths, n_periods)
        if key in self._entries:
            self._entries.move_to_end(key)
            self.hits += 1
            return self._entries[key][1]
        self.misses += 1
        draws = self._sample(model, seed, n_paths, n_periods, progress)
        draws.flags.writeable = False
        self._entries[key] = (model, draws)
        self._evict()
        return draws

    def _sample(
        self, model: Any, seed: int, n_paths: int, n_periods: int, progress: Progress | None
    ) -> np.ndarray:
        rng = np.random.default_rng(seed)
        if progress is None or n_paths <= self.chunk_paths:
            return np.asarray(model.sample(n_paths, n_periods, rng))
        sizes = [self.chunk_paths] * (n_paths // self.chunk_paths)
        if n_paths % self.chunk_paths:
            sizes.append(n_paths % self.chunk_paths)
        parts = []
        with progress.running(len(sizes), "Simulating"):
            for size in sizes:
                part = np.asarray(model.sample(size, n_periods, rng))
                if part.shape[0] != size:  # a model that ignores n_paths (history windows)
                    return part
                parts.append(part)
                progress.advance()
        return np.concatenate(parts, axis=0)

    def _evict(self) -> None:
        while len(self._entries) > 1 and (
            len(self._entries) > self.max_entries
            or sum(d.nbytes for _, d in self._entries.values()) > self.max_bytes
        ):
            self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every draw."""
        self._entries.clear()


#: The kernel-wide cache every widget shares (one visitor = one kernel under Voila).
DRAWS = DrawsCache()

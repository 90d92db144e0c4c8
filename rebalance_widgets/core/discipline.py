"""What sticking to the plan was worth: real crashes and the three behaviours side by side.

- :data:`EPISODES`: stock market crashes of the embedded history, each with its first month
  and the month of the market's lowest month-end; :func:`available_episodes` keeps those
  the history reaches (the history can be extended; an episode appears once its fall and
  its low are in the data).
- :func:`episode_returns`: the monthly returns of one episode, up to five years from its
  start (or the last month of the history).
- :func:`compare_behaviours`: the behaviours of
  :mod:`rebalance_widgets.core.simulation.behaviours` on the same returns, and
  :meth:`BehaviourComparison.worth`: what keeping the plan was worth against another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core.markets.history import load_history
from rebalance_widgets.core.simulation.behaviours import (
    Behaviour,
    BehaviourRun,
    KeepRebalancing,
    follow,
)

__all__ = [
    "EPISODES",
    "BehaviourComparison",
    "Episode",
    "Worth",
    "available_episodes",
    "compare_behaviours",
    "episode_returns",
]

_HOLDABLE = ("stocks", "bonds", "bills")


@dataclass(frozen=True)
class Episode:
    """A stock market crash of real history, replayed from ``start``.

    Attributes
    ----------
    key : str
        Short name, e.g. ``"2008-09"``.
    name : str
        What a learner reads in the picker.
    start : str
        First month replayed (``"2007-10"``): the market's peak is at or near its start.
    low : str
        Month whose end saw the market's lowest level of the crash.
    years : int
        Years replayed from the start, when the history reaches that far.
    """

    key: str
    name: str
    start: str
    low: str
    years: int = 5

    @property
    def first_month(self) -> pd.Timestamp:
        """The first month replayed, as a month-start timestamp."""
        return pd.Timestamp(self.start)

    @property
    def low_month(self) -> pd.Timestamp:
        """The month of the market's lowest month-end, as a month-start timestamp."""
        return pd.Timestamp(self.low)


#: Crashes a learner can replay, oldest first (US total stock market, monthly closes).
EPISODES: tuple[Episode, ...] = (
    Episode("2000-02", "2000-02: the dot-com bust", "2000-09", "2002-09"),
    Episode("2008-09", "2008-09: the global financial crisis", "2007-10", "2009-02"),
    Episode("2020", "2020: the COVID crash", "2020-01", "2020-03", years=2),
    Episode("2022", "2022: stocks and bonds fall together", "2022-01", "2022-09"),
)


def available_episodes(history: pd.DataFrame | None = None) -> tuple[Episode, ...]:
    """Return the episodes whose months from the start to the low are all in the history.

    Parameters
    ----------
    history : pandas.DataFrame, optional
        A monthly table with a month-start DatetimeIndex; the embedded history by default.

    Returns
    -------
    tuple of Episode
        In the order of :data:`EPISODES`.

    Examples
    --------
    >>> [episode.key for episode in available_episodes()][:2]
    ['2000-02', '2008-09']
    """
    months = load_history().index if history is None else history.index
    if len(months) == 0:
        return ()
    return tuple(
        episode for episode in EPISODES
        if episode.first_month >= months[0] and episode.low_month <= months[-1]
    )


def find_episode(key: str, history: pd.DataFrame | None = None) -> Episode:
    """Return the available episode called ``key``.

    Raises
    ------
    ValueError
        When no available episode has that key (say which ones there are).
    """
    found = {episode.key: episode for episode in available_episodes(history)}
    if key not in found:
        raise ValueError(f"Choose a crash from {', '.join(found)}; got {key!r}.")
    return found[key]


def episode_returns(
    episode: Episode | str, columns: Sequence[str] = _HOLDABLE,
    history: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Monthly returns of one episode, from its start for ``years`` years or to the data's end.

    Parameters
    ----------
    episode : Episode or str
        An episode or its key.
    columns : sequence of str
        History columns to keep, in order (stocks first, then the safe asset).
    history : pandas.DataFrame, optional
        Monthly simple returns; the embedded history by default.

    Returns
    -------
    pandas.DataFrame
        One row per month (month-start index), one column per asset.

    Raises
    ------
    ValueError
        For an episode the history does not reach.

    Examples
    --------
    >>> table = episode_returns("2008-09")
    >>> f"{table.index[0]:%Y-%m} {table.index[-1]:%Y-%m} {len(table)}"
    '2007-10 2012-09 60'
    """
    table = load_history() if history is None else history
    if isinstance(episode, str):
        episode = find_episode(episode, table)
    elif episode not in available_episodes(table):
        raise ValueError(f"The history ({table.index[0]:%Y-%m} to {table.index[-1]:%Y-%m}) "
                         f"does not reach the low of {episode.name}.")
    months = pd.date_range(episode.first_month, periods=episode.years * 12, freq="MS")
    chosen = table.loc[episode.first_month: min(months[-1], table.index[-1]), list(columns)]
    return chosen.astype(float)


@dataclass(frozen=True)
class Worth:
    """What keeping the plan was worth against one other behaviour, path by path.

    Attributes
    ----------
    other : str
        The other behaviour's label.
    gap : numpy.ndarray
        (n_paths,) dollars: keeping the plan's end wealth minus the other's.
    gap_share : numpy.ndarray
        (n_paths,): keeping the plan's end wealth over the other's, minus 1 (0.1 = kept
        plan ended 10% richer); ``inf`` where the other ended with nothing.
    acted : numpy.ndarray
        (n_paths,) bool: the other behaviour left the plan on that path.
    """

    other: str
    gap: np.ndarray
    gap_share: np.ndarray
    acted: np.ndarray

    @property
    def median_gap(self) -> float:
        """Median of the dollar gap across paths."""
        return float(np.median(self.gap))

    @property
    def median_gap_share(self) -> float:
        """Median of the gap as a share of the other's end wealth."""
        return float(np.median(self.gap_share))

    def _tolerance(self) -> float:
        return 1e-9 * max(float(np.max(np.abs(self.gap), initial=0.0)), 1.0)

    @property
    def share_ahead(self) -> float:
        """Share of paths where keeping the plan ended richer."""
        return float(np.mean(self.gap > self._tolerance()))

    @property
    def share_behind(self) -> float:
        """Share of paths where the other behaviour ended richer."""
        return float(np.mean(self.gap < -self._tolerance()))

    @property
    def share_acted(self) -> float:
        """Share of paths where the other behaviour left the plan at all."""
        return float(np.mean(self.acted))


@dataclass(frozen=True)
class BehaviourComparison:
    """Several behaviours run on the same returns (common random numbers).

    Attributes
    ----------
    runs : tuple of BehaviourRun
        One per behaviour, in the order given.
    initial_value : float
        Dollars at the start.
    """

    runs: tuple[BehaviourRun, ...]
    initial_value: float

    @property
    def labels(self) -> tuple[str, ...]:
        """The behaviours' labels, in order."""
        return tuple(run.behaviour.label for run in self.runs)

    def run(self, label: str) -> BehaviourRun:
        """Return the run of the behaviour with this label."""
        for run in self.runs:
            if run.behaviour.label == label:
                return run
        raise ValueError(f"No behaviour called {label!r}; there are {', '.join(self.labels)}.")

    def worth(self, other: str) -> Worth:
        """Say what keeping the plan was worth against the behaviour labelled ``other``.

        Raises
        ------
        ValueError
            When keeping the plan or ``other`` was not run.
        """
        kept = self.run(KeepRebalancing().label).wealth[:, -1]
        them = self.run(other)
        end = them.wealth[:, -1]
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(end > 0, kept / np.where(end > 0, end, 1.0) - 1.0,
                             np.where(kept > 0, np.inf, 0.0))
        return Worth(other, kept - end, share, them.acted)

    def scaled(self, factors: np.ndarray) -> BehaviourComparison:
        """Return the same runs with every step's wealth times ``factors`` (today's dollars).

        Parameters
        ----------
        factors : numpy.ndarray
            One multiplier per step, shape (n_periods + 1,), such as the inverse of the rise
            in prices since the start.

        Returns
        -------
        BehaviourComparison
            The decisions are unchanged (they were taken on the real returns); only the
            dollars are restated.
        """
        factors = np.asarray(factors, dtype=float)
        runs = tuple(replace(run, wealth=run.wealth * factors) for run in self.runs)
        return replace(self, runs=runs, initial_value=self.initial_value * float(factors[0]))

    def medians(self) -> pd.DataFrame:
        """Median wealth and stock share across paths at every step, as a tidy table.

        Returns
        -------
        pandas.DataFrame
            Columns ``step`` (months from the start), ``behaviour``, ``wealth`` (dollars,
            the median), ``stock_share`` (0-1, the median) and ``mean_stock_share`` (0-1,
            the average over paths, which counts the paths out of stocks); one path gives
            that path itself.
        """
        frames = [
            pd.DataFrame({
                "step": np.arange(run.wealth.shape[1]),
                "behaviour": run.behaviour.label,
                "wealth": _median_by_step(run.wealth),
                "stock_share": _median_by_step(run.stock_share),
                "mean_stock_share": run.stock_share.mean(axis=0),
            })
            for run in self.runs
        ]
        return pd.concat(frames, ignore_index=True)


def _median_by_step(values: np.ndarray) -> np.ndarray:
    """Median over paths (rows) of every step, from a step-major copy (several times faster)."""
    return np.median(np.ascontiguousarray(values.T), axis=1)


def compare_behaviours(
    returns: Any,
    target: Any,
    behaviours: Sequence[Behaviour],
    *,
    every: str | int = "quarterly",
    initial_value: float = 1.0,
    stock_asset: int = 0,
    safe_asset: int = 1,
) -> BehaviourComparison:
    """Run every behaviour on the same monthly returns.

    Parameters
    ----------
    returns : array-like or pandas.DataFrame
        Monthly simple returns, (n_paths, n_periods, n_assets), (n_periods, n_assets) or a
        DataFrame (one row per month).
    target : array-like
        Target weights (n_assets,).
    behaviours : sequence of Behaviour
        The behaviours; include :class:`KeepRebalancing` to use :meth:`~BehaviourComparison.
        worth`.
    every, initial_value, stock_asset, safe_asset
        As in :func:`~rebalance_widgets.core.simulation.behaviours.follow`.

    Returns
    -------
    BehaviourComparison
        The runs, in the order given.

    Raises
    ------
    ValueError
        For no behaviour, one given twice, or inputs ``follow`` refuses.

    Examples
    --------
    >>> from rebalance_widgets.core.simulation.behaviours import SellAfterFall
    >>> table = episode_returns("2008-09")
    >>> runs = compare_behaviours(table, [0.6, 0.4, 0.0], [KeepRebalancing(), SellAfterFall()],
    ...                           initial_value=10_000)
    >>> round(runs.worth("Sell after a fall").median_gap)
    -729
    """
    behaviours = tuple(behaviours)
    if not behaviours:
        raise ValueError("Choose at least one behaviour to run.")
    labels = [behaviour.label if isinstance(behaviour, Behaviour) else repr(behaviour)
              for behaviour in behaviours]
    if len(set(labels)) != len(labels):
        raise ValueError(f"Each behaviour may appear once; got {', '.join(labels)}.")
    if isinstance(returns, pd.DataFrame):
        returns = returns.to_numpy(dtype=float)
    runs = tuple(
        follow(returns, target, behaviour, every=every, initial_value=initial_value,
               stock_asset=stock_asset, safe_asset=safe_asset)
        for behaviour in behaviours
    )
    return BehaviourComparison(runs, float(initial_value))

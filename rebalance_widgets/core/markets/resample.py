"""Return models that reuse real history: bootstrap, every N-year window, one replay.

Each model has ``assets`` (the history columns it uses) and ``sample(...)`` giving an array
of shape (n_paths, n_periods, n_assets) of monthly simple returns, float64. They are also
importable from :mod:`rebalance_widgets.core.markets`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rebalance_widgets.core._checks import check_count
from rebalance_widgets.core.markets.history import (
    RETURN_COLUMNS,
    check_columns,
    load_history,
    select_months,
)

DEFAULT_COLUMNS: tuple[str, ...] = ("stocks", "bonds", "bills")


def _returns_table(
    columns: Any, start: Any, end: Any, history: pd.DataFrame | None = None
) -> tuple[tuple[str, ...], pd.DataFrame]:
    if history is None:
        names = check_columns(columns, RETURN_COLUMNS)
        return names, load_history(start, end, columns=names)
    if not isinstance(history, pd.DataFrame):
        raise ValueError("The history must be a table (pandas DataFrame) of monthly returns.")
    names = check_columns(columns, tuple(str(name) for name in history.columns))
    table = history.loc[:, list(names)]
    if start is not None or end is not None:
        table = select_months(table, start, end)
    if len(table) == 0:
        raise ValueError("The history has no months to draw from.")
    missing = [name for name in names if table[name].isna().any()]
    if missing:
        raise ValueError(f"The history has missing values in {', '.join(missing)}.")
    return names, table


def _span(index: pd.Index) -> str:
    if isinstance(index, pd.DatetimeIndex):
        return f"{index[0]:%Y-%m} to {index[-1]:%Y-%m}"
    return f"{len(index)} rows"


class _FromHistory:
    """Base of the models drawn from the history table; its columns name the assets."""

    columns: tuple[str, ...]

    @property
    def assets(self) -> tuple[str, ...]:
        """Names of the assets, the history columns used."""
        return self.columns


@dataclass(frozen=True, eq=False)
class Bootstrap(_FromHistory):
    """Draw months (or runs of months) of real history at random, with replacement.

    With ``block=1`` every month of every path is an independent draw from the chosen span.
    With ``block > 1`` a path is built from blocks of ``block`` consecutive real months (a
    circular block bootstrap): each block starts at a month drawn uniformly from the span and
    runs on for ``block`` months, wrapping from the last month back to the first, so every
    month is equally likely to appear. The wrap is the only place where two neighbouring
    months in a block were not neighbours in history. Blocks keep momentum, crashes and
    recoveries together; a path's last block is cut short when ``block`` does not divide
    ``n_periods``.

    Parameters
    ----------
    history : pandas.DataFrame or None
        Monthly simple returns to draw from; ``None`` uses the embedded history.
    columns : tuple of str
        Columns to use, in order; they name the assets.
    block : int
        Months per block (1 = independent months).
    start, end : str, datetime-like or None
        Span of history to draw from (both months included); ``None`` for its edge.

    Examples
    --------
    >>> model = Bootstrap(block=12)
    >>> model.sample(100, 360, rng=1).shape
    (100, 360, 3)
    """

    history: pd.DataFrame | None = field(default=None, repr=False)
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    block: int = 1
    start: Any = None
    end: Any = None
    _table: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self) -> None:
        names, table = _returns_table(self.columns, self.start, self.end, self.history)
        block = check_count(self.block, "months in a block")
        if block > len(table):
            raise ValueError(
                f"A block of {block} months is longer than the {len(table)} months of history "
                f"({_span(table.index)})."
            )
        object.__setattr__(self, "columns", names)
        object.__setattr__(self, "block", block)
        object.__setattr__(self, "_table", table)

    @property
    def months(self) -> pd.Index:
        """The months that can be drawn (the index of the chosen span)."""
        return self._table.index

    def draw_months(self, n_paths: int, n_periods: int, rng: Any = None) -> np.ndarray:
        """Positions (0 = first month of the span) of the months each path uses.

        Parameters
        ----------
        n_paths, n_periods : int
            Number of paths and months per path.
        rng : numpy.random.Generator, int or None
            Source of randomness; the same seed gives the same months as :meth:`sample`.

        Returns
        -------
        numpy.ndarray
            Integer array of shape (n_paths, n_periods).

        Examples
        --------
        >>> Bootstrap(block=3).draw_months(1, 6, rng=0).shape
        (1, 6)
        """
        n_paths = check_count(n_paths, "paths")
        n_periods = check_count(n_periods, "months")
        rng = np.random.default_rng(rng)
        month_count = len(self._table)
        block_count = -(-n_periods // self.block)
        block_starts = rng.integers(0, month_count, size=(n_paths, block_count))
        runs = block_starts[:, :, None] + np.arange(self.block)
        positions = runs.reshape(n_paths, block_count * self.block)[:, :n_periods]
        return positions % month_count

    def sample(self, n_paths: int, n_periods: int, rng: Any = None) -> np.ndarray:
        """Draw paths of monthly returns.

        Parameters
        ----------
        n_paths, n_periods : int
            Number of paths and months per path.
        rng : numpy.random.Generator, int or None
            Source of randomness.

        Returns
        -------
        numpy.ndarray
            Shape (n_paths, n_periods, n_assets), simple monthly returns.

        Examples
        --------
        >>> Bootstrap().sample(2, 12, rng=0).shape
        (2, 12, 3)
        """
        values = self._table.to_numpy(dtype=np.float64)
        return values[self.draw_months(n_paths, n_periods, rng)]


@dataclass(frozen=True)
class HistoricalWindows(_FromHistory):
    """Every ``years``-long stretch of real history, each one a path.

    Window k starts ``k * step`` months after the first month of the span and runs for
    ``years * 12`` months; windows stay inside the span. With the full history and
    ``years=30`` there are 798 overlapping windows (1926-07 ... 1992-12 starts).

    Parameters
    ----------
    years : int
        Length of each window in years.
    columns : tuple of str
        History columns to use; they name the assets.
    start, end : str, datetime-like or None
        Span of history the windows must lie in (both months included).
    step : int
        Months between the starts of neighbouring windows (12: one window per year).

    Examples
    --------
    >>> windows = HistoricalWindows(30, step=12)
    >>> windows.sample().shape
    (67, 360, 3)
    >>> str(windows.starts[0].date())
    '1926-07-01'
    """

    years: int
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    start: Any = None
    end: Any = None
    step: int = 1
    _windows: np.ndarray = field(init=False, repr=False, compare=False)
    _starts: pd.DatetimeIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        years = check_count(self.years, "years in a window")
        step = check_count(self.step, "months between window starts")
        names, table = _returns_table(self.columns, self.start, self.end)
        length = years * 12
        if length > len(table):
            raise ValueError(
                f"A {years}-year window does not fit in the history chosen "
                f"({_span(table.index)}, {len(table) / 12:.1f} years); choose fewer years."
            )
        values = table.to_numpy(dtype=np.float64)
        every = np.lib.stride_tricks.sliding_window_view(values, length, axis=0)
        windows = np.ascontiguousarray(every[::step].transpose(0, 2, 1))
        object.__setattr__(self, "years", years)
        object.__setattr__(self, "step", step)
        object.__setattr__(self, "columns", names)
        object.__setattr__(self, "_windows", windows)
        object.__setattr__(self, "_starts", table.index[: len(every) : step])

    @property
    def starts(self) -> pd.DatetimeIndex:
        """First month of every window, in order."""
        return self._starts

    @property
    def window_count(self) -> int:
        """How many windows there are."""
        return len(self._starts)

    def chosen_windows(self, n_paths: int | None = None) -> np.ndarray:
        """Which windows :meth:`sample` returns for ``n_paths``: evenly spaced positions.

        All windows when ``n_paths`` is ``None`` or at least :attr:`window_count`; otherwise
        ``n_paths`` windows spread evenly from the first to the last (both included).

        Parameters
        ----------
        n_paths : int or None
            Most paths wanted.

        Returns
        -------
        numpy.ndarray
            Increasing integer positions into :attr:`starts`.

        Examples
        --------
        >>> HistoricalWindows(30, step=12).chosen_windows(3).tolist()
        [0, 33, 66]
        """
        count = self.window_count
        if n_paths is None or check_count(n_paths, "paths") >= count:
            return np.arange(count)
        if n_paths == 1:
            return np.zeros(1, dtype=np.int64)
        return np.rint(np.linspace(0, count - 1, n_paths)).astype(np.int64)

    def sample(
        self, n_paths: int | None = None, n_periods: int | None = None, rng: Any = None
    ) -> np.ndarray:
        """Return the windows as paths (no randomness; ``rng`` is accepted and unused).

        Parameters
        ----------
        n_paths : int or None
            Most paths wanted; see :meth:`chosen_windows`. The result may have fewer rows.
        n_periods : int or None
            Months per path, at most ``years * 12``; the first months of each window are kept.
            ``None``: the whole window.
        rng : object
            Ignored; present so every model is called the same way.

        Returns
        -------
        numpy.ndarray
            Shape (paths, n_periods, n_assets), simple monthly returns.

        Examples
        --------
        >>> HistoricalWindows(10).sample(5, 12).shape
        (5, 12, 3)
        """
        length = self.years * 12
        if n_periods is None:
            n_periods = length
        elif check_count(n_periods, "months") > length:
            raise ValueError(
                f"A {self.years}-year window has {length} months; {n_periods} were asked for."
            )
        return self._windows[self.chosen_windows(n_paths), :n_periods].copy()

    def path_starts(self, n_paths: int | None = None) -> pd.DatetimeIndex:
        """First month of each path that ``sample(n_paths)`` returns.

        Parameters
        ----------
        n_paths : int or None
            As in :meth:`sample`.

        Returns
        -------
        pandas.DatetimeIndex
            One start per path.

        Examples
        --------
        >>> HistoricalWindows(30, step=12).path_starts(2).strftime("%Y-%m").tolist()
        ['1926-07', '1992-07']
        """
        return self._starts[self.chosen_windows(n_paths)]


@dataclass(frozen=True)
class Replay(_FromHistory):
    """One path of real history for chosen dates, month by month.

    Parameters
    ----------
    start : str or datetime-like
        First month (``"1973-01"``; a bare year means January).
    end : str, datetime-like or None
        Last month, included (a bare year means December); ``None``: the last month of data.
    columns : tuple of str
        History columns to use; they name the assets.

    Examples
    --------
    >>> Replay("2008-01", "2008-12").sample().shape
    (1, 12, 3)
    """

    start: Any
    end: Any = None
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    _table: pd.DataFrame = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.start is None:
            raise ValueError("Choose the first month to replay, like '1973-01'.")
        names, table = _returns_table(self.columns, self.start, self.end)
        object.__setattr__(self, "columns", names)
        object.__setattr__(self, "_table", table)

    @property
    def months(self) -> pd.DatetimeIndex:
        """The months replayed, in order."""
        return self._table.index

    def sample(
        self, n_paths: int | None = None, n_periods: int | None = None, rng: Any = None
    ) -> np.ndarray:
        """Return the one real path (no randomness; ``rng`` is accepted and unused).

        Parameters
        ----------
        n_paths : int or None
            Most paths wanted; a replay always has exactly one.
        n_periods : int or None
            Months to keep from the start, at most the number chosen; ``None``: all of them.
        rng : object
            Ignored; present so every model is called the same way.

        Returns
        -------
        numpy.ndarray
            Shape (1, n_periods, n_assets), simple monthly returns.

        Examples
        --------
        >>> Replay("2000").sample(n_periods=3).shape
        (1, 3, 3)
        """
        if n_paths is not None:
            check_count(n_paths, "paths")
        available = len(self._table)
        if n_periods is None:
            n_periods = available
        elif check_count(n_periods, "months") > available:
            raise ValueError(
                f"The replay covers {available} months ({_span(self.months)}); "
                f"{n_periods} were asked for."
            )
        values = self._table.to_numpy(dtype=np.float64)[:n_periods]
        return values[np.newaxis].copy()

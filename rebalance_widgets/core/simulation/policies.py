"""Rebalancing policies: when to look at the portfolio and how far to trade.

A policy is a small frozen dataclass. It holds the rule and answers the engine's questions:

- ``check_every(periods_per_year)``: how many periods between two check dates (``None``
  when the policy never looks);
- ``band_width(target)``: the band around each target weight, in weight points (``None``
  when the policy has no band: it trades whenever a weight differs from its target);
- ``trade_to``: ``"target"`` (trade all the way back) or ``"band"`` (only back to the edge
  of the band);
- ``flows_to``: where new money goes (``None`` lets the caller of ``simulate`` decide);
- ``label``: a short name for charts and tables.

Check dates are the steps t = k, 2k, 3k, ... where k = ``check_every(periods_per_year)``;
with monthly periods, "quarterly" checks at t = 3, 6, 9, ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from rebalance_widgets.core._checks import check_fraction, is_whole_number

__all__ = [
    "CHECK_FREQUENCIES",
    "CashFlow",
    "Calendar",
    "Never",
    "Policy",
    "Threshold",
    "periods_between_checks",
]

CHECK_FREQUENCIES: dict[str, int] = {
    "monthly": 12,
    "quarterly": 4,
    "semiannual": 2,
    "semi-annual": 2,
    "annual": 1,
}
"""How often each named frequency happens in a year."""

_FREQUENCY_LABELS = {
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "semiannual": "Twice a year",
    "semi-annual": "Twice a year",
    "annual": "Annual",
}


def _check_frequency(every: str | int, what: str) -> str | int:
    """Validate a named frequency or a positive whole number of periods."""
    if isinstance(every, str):
        name = every.strip().lower()
        if name not in CHECK_FREQUENCIES:
            choices = '", "'.join(("monthly", "quarterly", "semiannual", "annual"))
            raise ValueError(
                f'{what} must be "{choices}" or a whole number of periods; got "{every}".'
            )
        return "semiannual" if name == "semi-annual" else name
    if not is_whole_number(every):
        raise ValueError(f"{what} must be a named frequency or a whole number of periods; "
                         f"got {every!r}.")
    if every < 1:
        raise ValueError(f"{what} must be at least 1 period; got {every}.")
    return int(every)


def periods_between_checks(every: str | int, periods_per_year: float) -> int:
    """Count the periods between two check dates.

    Parameters
    ----------
    every : str or int
        "monthly", "quarterly", "semiannual" (or "semi-annual"), "annual", or a positive
        whole number of periods.
    periods_per_year : float
        Periods in a year (12 for monthly steps, 26 for biweekly pay periods).

    Returns
    -------
    int
        ``every`` itself when it is a number; otherwise periods_per_year divided by how often
        the frequency happens in a year.

    Raises
    ------
    ValueError
        When the frequency does not fit a whole number of periods (quarterly with 26 pay
        periods a year).

    Examples
    --------
    >>> periods_between_checks("quarterly", 12)
    3
    """
    every = _check_frequency(every, "The check frequency")
    if isinstance(every, int):
        return every
    per_year = CHECK_FREQUENCIES[every]
    periods = periods_per_year / per_year
    if periods < 1 or abs(periods - round(periods)) > 1e-9:
        raise ValueError(
            f"A {every} check does not fall on a whole number of periods with "
            f"{periods_per_year:g} periods a year ({periods_per_year:g} / {per_year} = "
            f"{periods:.4g}); give the number of periods between checks instead."
        )
    return int(round(periods))


class Policy:
    """Base of all policies; see the module docstring for what each answers."""

    trade_to: ClassVar[str] = "target"
    flows_to: ClassVar[str | None] = None

    def check_every(self, periods_per_year: float) -> int | None:
        """Periods between check dates, or ``None`` if the policy never trades.

        Parameters
        ----------
        periods_per_year : float
            Periods in a year.

        Returns
        -------
        int or None
            The spacing of the check dates.
        """
        return None

    def band_width(self, target: np.ndarray) -> np.ndarray | None:
        """Band around each target weight, or ``None`` when the policy has no band.

        Parameters
        ----------
        target : numpy.ndarray
            Target weights, shape (n_assets,).

        Returns
        -------
        numpy.ndarray or None
            Half-width of the band of every asset, in weight points.
        """
        return None

    @property
    def label(self) -> str:
        """Short name for charts."""
        return type(self).__name__


@dataclass(frozen=True)
class Never(Policy):
    """Buy and hold: never trade back to the target.

    Requires nothing. The weights drift with the markets; contributions still go where the
    ``flows_to`` argument of ``simulate`` sends them.

    Examples
    --------
    >>> Never().label
    'Never rebalance'
    """

    @property
    def label(self) -> str:
        """Short name for charts."""
        return "Never rebalance"


@dataclass(frozen=True)
class Calendar(Policy):
    """Rebalance on a fixed calendar, all the way back to the target.

    Requires ``every``: "monthly", "quarterly", "semiannual" (or "semi-annual"), "annual",
    or a positive whole number of periods. On every check date where a weight differs from
    its target it trades every asset back to the target in force on that date. A trade
    smaller than 1e-12 of the portfolio's value is not made and does not count.

    Examples
    --------
    >>> Calendar("quarterly").check_every(12)
    3
    """

    every: str | int = "quarterly"

    def __post_init__(self) -> None:
        object.__setattr__(self, "every", _check_frequency(self.every, "The calendar"))

    def check_every(self, periods_per_year: float) -> int:
        """Periods between check dates (see :func:`periods_between_checks`).

        Parameters
        ----------
        periods_per_year : float
            Periods in a year.

        Returns
        -------
        int
            The spacing of the check dates.
        """
        return periods_between_checks(self.every, periods_per_year)

    @property
    def label(self) -> str:
        """Short name for charts."""
        if isinstance(self.every, int):
            return f"Every {self.every} periods" if self.every != 1 else "Every period"
        return _FREQUENCY_LABELS[self.every]


def _band_value(value: float | None, what: str) -> float | None:
    return None if value is None else check_fraction(value, f"The {what} band")


@dataclass(frozen=True)
class Threshold(Policy):
    """Rebalance when a weight drifts outside its band.

    Requires a band: ``absolute`` (weight points, 0.05 = 5 points), ``relative`` (a share of
    each target weight, 0.25 = 25%) or both, in which case each asset's band is the smaller
    of the two (the 5/25 rule: ``Threshold(absolute=0.05, relative=0.25)``). With
    ``absolute=None`` the band is relative only. ``absolute=0`` means "rebalance whenever
    anything differs", the same as ``Calendar`` on the same dates.

    On every check date (``check``: same words as ``Calendar``, or a whole number of
    periods) it trades when some asset's |weight - target| is larger than its band.
    ``trade_to="target"`` trades all the way back to the target; ``trade_to="band"`` trades
    only back to the band's edge: w_new = target + k (w - target) with the largest k in
    [0, 1] that puts every asset inside its band, so the most-breached asset lands exactly on
    its edge and the weights still add up to 1.

    Examples
    --------
    >>> Threshold(absolute=0.05, relative=0.25).band_width(np.array([0.6, 0.1, 0.3]))
    array([0.05 , 0.025, 0.05 ])
    """

    absolute: float | None = 0.05
    relative: float | None = None
    check: str | int = "monthly"
    trade_to: str = "target"  # type: ignore[misc]

    def __post_init__(self) -> None:
        object.__setattr__(self, "absolute", _band_value(self.absolute, "absolute"))
        object.__setattr__(self, "relative", _band_value(self.relative, "relative"))
        if self.absolute is None and self.relative is None:
            raise ValueError("A threshold needs a band: give an absolute or a relative band.")
        object.__setattr__(self, "check", _check_frequency(self.check, "The check frequency"))
        if self.trade_to not in ("target", "band"):
            raise ValueError(
                f'trade_to must be "target" or "band"; got "{self.trade_to}".'
            )

    def check_every(self, periods_per_year: float) -> int:
        """Periods between check dates (see :func:`periods_between_checks`).

        Parameters
        ----------
        periods_per_year : float
            Periods in a year.

        Returns
        -------
        int
            The spacing of the check dates.
        """
        return periods_between_checks(self.check, periods_per_year)

    def band_width(self, target: np.ndarray) -> np.ndarray:
        """Band of every asset: absolute, relative x target, or the smaller of the two.

        Parameters
        ----------
        target : numpy.ndarray
            Target weights, shape (n_assets,) or (n_steps, n_assets).

        Returns
        -------
        numpy.ndarray
            Same shape as ``target``, in weight points.
        """
        target = np.asarray(target, dtype=float)
        if self.relative is None:
            return np.full(target.shape, self.absolute, dtype=float)
        relative = self.relative * target
        if self.absolute is None:
            return relative
        return np.minimum(relative, self.absolute)

    @property
    def label(self) -> str:
        """Short name for charts, naming all that sets this threshold apart.

        The band (to 10 significant digits), the check frequency unless it is monthly, and
        "(to edge)" for ``trade_to="band"``: two different thresholds never share a label.

        Examples
        --------
        >>> Threshold(0.05).label, Threshold(0.05, check="annual", trade_to="band").label
        ('5-point band', '5-point band, checked annually (to edge)')
        """
        if self.absolute is not None and self.relative is not None:
            name = f"{_points(self.absolute)}/{_points(self.relative)} band"
        elif self.absolute is not None:
            name = f"{_points(self.absolute)}-point band"
        else:
            name = f"{_points(self.relative)}% relative band"
        if self.check != "monthly":
            name += f", checked {_check_words(self.check)}"
        return f"{name} (to edge)" if self.trade_to == "band" else name


def _points(share: float | None) -> str:
    """Write a share as points, to 10 significant digits (0.05 -> "5")."""
    return f"{(share or 0.0) * 100:.10g}"


def _check_words(check: str | int) -> str:
    """Say how often a threshold is checked ("annually", "every 2 periods")."""
    if isinstance(check, int):
        return "every period" if check == 1 else f"every {check} periods"
    return {"semiannual": "twice a year", "annual": "annually"}.get(check, check)


@dataclass(frozen=True)
class CashFlow(Policy):
    """Cash-flow rebalancing: steer new money, sell only when a band is breached.

    Contributions buy the most underweight assets first and withdrawals come out of the
    most overweight assets first, whatever ``flows_to`` says (see ``simulate``). Requires
    nothing else. Selling to rebalance happens only when ``band`` (a :class:`Threshold`) is
    breached on its check dates, and then as that threshold says; with ``band=None`` it never
    sells to rebalance.

    Examples
    --------
    >>> CashFlow(band=Threshold(0.10)).label
    'Cash flows + 10-point band'
    """

    band: Threshold | None = None
    flows_to: ClassVar[str] = "underweight"

    def __post_init__(self) -> None:
        if self.band is not None and not isinstance(self.band, Threshold):
            raise ValueError(
                f"The band of cash-flow rebalancing must be a Threshold or None; "
                f"got {self.band!r}."
            )

    @property
    def trade_to(self) -> str:  # type: ignore[override]
        """Where a band breach trades to (the band's own rule)."""
        return "target" if self.band is None else self.band.trade_to

    def check_every(self, periods_per_year: float) -> int | None:
        """Periods between the band's check dates, or ``None`` without a band.

        Parameters
        ----------
        periods_per_year : float
            Periods in a year.

        Returns
        -------
        int or None
            The spacing of the check dates.
        """
        return None if self.band is None else self.band.check_every(periods_per_year)

    def band_width(self, target: np.ndarray) -> np.ndarray | None:
        """Return the band's widths, or ``None`` without a band.

        Parameters
        ----------
        target : numpy.ndarray
            Target weights.

        Returns
        -------
        numpy.ndarray or None
            Half-width of the band of every asset.
        """
        return None if self.band is None else self.band.band_width(target)

    @property
    def label(self) -> str:
        """Short name for charts."""
        if self.band is None:
            return "Cash flows only"
        return f"Cash flows + {self.band.label}"

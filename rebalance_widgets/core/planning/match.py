"""The employer's side of a 401(k): a match on deferrals and a flat share of pay."""

from __future__ import annotations

from dataclasses import dataclass
from math import isfinite

import numpy as np

from rebalance_widgets.core._checks import is_number
from rebalance_widgets.core.planning.contribution_checks import check_share

__all__ = ["Match"]


@dataclass(frozen=True)
class Match:
    """An employer's contribution formula.

    Parameters
    ----------
    tiers : tuple of (rate, slice of pay)
        Each tier matches ``rate`` dollars per dollar deferred on the next ``slice`` of pay,
        in order. ``((1.0, 0.03), (0.5, 0.02))`` is 100% of the first 3% of pay plus 50% of
        the next 2%.
    flat_share : float
        A non-elective contribution as a fraction of pay, given whether or not the employee
        defers anything.
    annual_cap : float or None
        The most the employer puts in per calendar year (tiers and flat together), in
        dollars; ``None`` for no cap.

    Examples
    --------
    >>> Match.tiered((1.0, 0.03), (0.5, 0.02)).employer_rate(0.06)
    0.04
    """

    tiers: tuple[tuple[float, float], ...] = ()
    flat_share: float = 0.0
    annual_cap: float | None = None

    def __post_init__(self) -> None:
        tiers = []
        for number, tier in enumerate(self.tiers, start=1):
            try:
                rate, width = tier
            except (TypeError, ValueError):
                raise ValueError(
                    f"Match tier {number} must be a pair (rate, slice of pay), like (0.5, 0.02); "
                    f"got {tier!r}."
                ) from None
            tiers.append(
                (
                    check_share(rate, f"The match rate of tier {number}"),
                    check_share(width, f"The slice of pay of tier {number}"),
                )
            )
        if sum(width for _, width in tiers) > 1 + 1e-12:
            raise ValueError("The match tiers cover more than 100% of pay; check the slices.")
        object.__setattr__(self, "tiers", tuple(tiers))
        object.__setattr__(
            self, "flat_share", check_share(self.flat_share, "The flat employer contribution")
        )
        if self.annual_cap is not None:
            cap = self.annual_cap
            if not is_number(cap):
                raise ValueError(f"The match cap must be a dollar amount; got {cap!r}.")
            if not isfinite(cap) or cap < 0:
                raise ValueError(f"The match cap must be 0 dollars or more; got {cap:g}.")
            object.__setattr__(self, "annual_cap", float(cap))

    @classmethod
    def tiered(cls, *tiers: tuple[float, float], cap: float | None = None) -> Match:
        """Return a match on deferrals, tier by tier (see the class description)."""
        return cls(tiers=tuple(tiers), annual_cap=cap)

    @classmethod
    def flat(cls, share_of_pay: float, cap: float | None = None) -> Match:
        """Return a non-elective contribution of ``share_of_pay`` of pay, with no match."""
        return cls(flat_share=share_of_pay, annual_cap=cap)

    @classmethod
    def none(cls) -> Match:
        """Return "no employer money"."""
        return cls()

    def employer_rate(self, deferral_rate: float | np.ndarray) -> float | np.ndarray:
        """Return the employer's contribution as a fraction of pay for a deferral rate.

        Parameters
        ----------
        deferral_rate : float or ndarray
            The employee's deferral as a fraction of pay.

        Returns
        -------
        float or ndarray
            The flat part plus the match, before any annual cap.

        Examples
        --------
        >>> Match.tiered((1.0, 0.03), (0.5, 0.02)).employer_rate(0.04)
        0.035
        """
        rate = np.asarray(deferral_rate, dtype=float)
        total = np.full_like(rate, self.flat_share)
        lower = 0.0
        for match_rate, width in self.tiers:
            total = total + match_rate * np.clip(rate - lower, 0.0, width)
            lower += width
        return float(total) if total.ndim == 0 else total

"""IRS limits on 401(k) money for each plan year, with the year and source named.

Four limits apply to a 401(k) in a year:

- the **elective deferral** limit (Internal Revenue Code section 402(g)): the most an
  employee may defer from pay;
- the **catch-up** deferrals (section 414(v)): extra deferrals from the year the employee
  turns 50, higher in the years they turn 60, 61, 62 or 63 (SECURE 2.0);
- the **compensation limit** (section 401(a)(17)): pay above it is not counted for the
  employer's match or any other employer contribution;
- the **annual-additions** limit (section 415(c)): employee deferrals plus employer money
  in the year, catch-up deferrals not counted, at most this many dollars (and at most 100%
  of pay).

Figures:

- 2025: IRS Notice 2024-80 (Nov 1 2024; News Release IR-2024-285).
- 2026: IRS Notice 2025-67 (Nov 2025).

:func:`irs_limits` returns a year's figures; the latest year is the default.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

__all__ = ["IRS_LIMITS", "IRS_LIMITS_2025", "IRS_LIMITS_2026", "ContributionLimits",
           "irs_limits"]


@dataclass(frozen=True)
class ContributionLimits:
    """The IRS limits on 401(k) money for one year.

    Parameters
    ----------
    year : int
        The plan (calendar) year the figures are for.
    elective_deferral : float
        Most an employee may defer in the year, in dollars (section 402(g)).
    catch_up_50 : float
        Extra deferral allowed from the year the employee turns 50 (section 414(v)).
    catch_up_60_to_63 : float
        The higher catch-up for the years the employee turns 60, 61, 62 or 63 (it replaces
        ``catch_up_50`` in those years).
    source : str
        Where the figures come from.
    compensation_limit : float or None
        Most pay counted for employer money in the year, in dollars (section 401(a)(17));
        ``None`` for no limit.
    annual_additions : float or None
        Most employee (without catch-up) plus employer money in the year, in dollars
        (section 415(c)); ``None`` for no limit.

    Examples
    --------
    >>> IRS_LIMITS_2025.total_for_age(61)
    34750.0
    >>> irs_limits(2026).compensation_limit
    360000.0
    """

    year: int
    elective_deferral: float
    catch_up_50: float
    catch_up_60_to_63: float
    source: str
    compensation_limit: float | None = None
    annual_additions: float | None = None

    def catch_up_for_age(self, age: float | None) -> float:
        """Return the catch-up allowed in a year when the employee reaches ``age``."""
        if age is None or age < 50:
            return 0.0
        if 60 <= age <= 63:
            return float(self.catch_up_60_to_63)
        return float(self.catch_up_50)

    def total_for_age(self, age: float | None, catch_up: bool = True) -> float:
        """Return the whole deferral limit (base plus catch-up) for a year at ``age``."""
        extra = self.catch_up_for_age(age) if catch_up else 0.0
        return float(self.elective_deferral) + extra


IRS_LIMITS_2025 = ContributionLimits(
    year=2025,
    elective_deferral=23_500.0,
    catch_up_50=7_500.0,
    catch_up_60_to_63=11_250.0,
    compensation_limit=350_000.0,
    annual_additions=70_000.0,
    source="IRS Notice 2024-80 and News Release IR-2024-285, Nov 1 2024 (catch-up for ages "
    "60-63 from SECURE 2.0)",
)

IRS_LIMITS_2026 = ContributionLimits(
    year=2026,
    elective_deferral=24_500.0,
    catch_up_50=8_000.0,
    catch_up_60_to_63=11_250.0,
    compensation_limit=360_000.0,
    annual_additions=72_000.0,
    source="IRS Notice 2025-67, Nov 2025 (catch-up for ages 60-63 from SECURE 2.0)",
)

IRS_LIMITS = {limits.year: limits for limits in (IRS_LIMITS_2025, IRS_LIMITS_2026)}
"""Every year whose figures the kit holds, year -> :class:`ContributionLimits`."""


def irs_limits(year: int | None = None) -> ContributionLimits:
    """Return the IRS 401(k) limits of a plan year.

    Parameters
    ----------
    year : int, optional
        2025 or 2026; ``None`` (the default) gives the latest year held.

    Returns
    -------
    ContributionLimits
        The year's elective deferral, catch-up, compensation and annual-additions limits,
        with their source.

    Raises
    ------
    ValueError
        For a year whose figures the kit does not hold.

    Examples
    --------
    >>> irs_limits(2025).annual_additions
    70000.0
    >>> irs_limits().year
    2026
    """
    if year is None:
        return IRS_LIMITS[max(IRS_LIMITS)]
    try:
        key = None if isinstance(year, bool) else operator.index(year)
    except TypeError:
        key = None
    if key not in IRS_LIMITS:
        held = ", ".join(str(y) for y in sorted(IRS_LIMITS))
        raise ValueError(f"The kit holds the IRS limits of {held}; got {year!r}.")
    return IRS_LIMITS[key]

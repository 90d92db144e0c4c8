"""IRS limits on an employee's own 401(k) deferrals, with the year and source named.

Only figures the project is sure of are included: 2025, from IRS News Release IR-2024-285
(Nov 1 2024). The annual-additions limit (employee plus employer money, section 415(c)) is
not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["IRS_LIMITS_2025", "ContributionLimits"]


@dataclass(frozen=True)
class ContributionLimits:
    """The IRS limits on an employee's own 401(k) deferrals for one year.

    Parameters
    ----------
    year : int
        The tax year the figures are for.
    elective_deferral : float
        Most an employee may defer in the year, in dollars.
    catch_up_50 : float
        Extra amount allowed from the year the employee turns 50.
    catch_up_60_to_63 : float
        The higher catch-up for the years the employee turns 60, 61, 62 or 63 (it replaces
        ``catch_up_50`` in those years).
    source : str
        Where the figures come from.

    Examples
    --------
    >>> IRS_LIMITS_2025.total_for_age(61)
    34750.0
    """

    year: int
    elective_deferral: float
    catch_up_50: float
    catch_up_60_to_63: float
    source: str

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
    source="IRS News Release IR-2024-285, Nov 1 2024 (catch-up for ages 60-63 from SECURE 2.0)",
)

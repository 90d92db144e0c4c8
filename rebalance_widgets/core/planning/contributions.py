"""401(k) contributions: salary deferrals, the employer match and the IRS limits.

The result of :func:`contribution_schedule` is one row per pay period, and its
:attr:`ContributionSchedule.cash_flows` array is the ``cash_flows`` argument of
``simulate()`` (dollars per period, shape ``(n_periods,)``), with ``periods_per_year``
equal to the pay periods. ``to_monthly()`` (or ``to_periods(4)`` ...) adds the paychecks up
by month, quarter, half year or year, so a biweekly schedule can feed a monthly simulation.

Simplifications, stated so a learner can see them:

- The employer match is worked out on each paycheck's actual deferral. Once the employee
  reaches the year's deferral limit, their deferrals stop, and so does the match for the
  rest of the year. Some plans pay a year-end "true-up" that makes up the missed match;
  this model has no true-up.
- The limits are held at the chosen year's dollar figures for every year of the schedule
  (the IRS raises them with inflation; the schedule does not).
- The annual-additions limit (employee plus employer money together, section 415(c)) is
  not modelled.
- The catch-up age is the age reached during each calendar year of the schedule
  (``age`` is the age reached in the first year).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import isfinite

import numpy as np
import pandas as pd

from rebalance_widgets.core._checks import is_number
from rebalance_widgets.core.planning.contribution_checks import (
    PAY_PERIODS,
    check_inputs,
    check_share,
)
from rebalance_widgets.core.planning.limits import IRS_LIMITS_2025, ContributionLimits

__all__ = [
    "IRS_LIMITS_2025",
    "PAY_PERIODS",
    "ContributionLimits",
    "ContributionSchedule",
    "Match",
    "Plan",
    "contribution_schedule",
]

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


@dataclass(frozen=True)
class ContributionSchedule:
    """Contributions per pay period, as a table and as cash flows for ``simulate()``.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per period: ``year``, ``period`` (1-based within the year), ``age`` (or NaN),
        ``salary`` (that year's), ``pay`` (this period's), ``employee``, ``employer``,
        ``total``, ``limit`` (that year's deferral limit).
    periods_per_year : int
        Periods per year of the rows.
    """

    table: pd.DataFrame
    periods_per_year: int

    @property
    def n_periods(self) -> int:
        """Number of periods (rows)."""
        return len(self.table)

    @property
    def cash_flows(self) -> np.ndarray:
        """Employee plus employer dollars per period, shape ``(n_periods,)``."""
        return self.table["total"].to_numpy(dtype=float)

    def flows(self, who: str = "total") -> np.ndarray:
        """Return dollars per period from ``"employee"``, ``"employer"`` or ``"total"``."""
        if who not in ("employee", "employer", "total"):
            raise ValueError(f"Choose 'employee', 'employer' or 'total'; got {who!r}.")
        return self.table[who].to_numpy(dtype=float)

    def by_year(self) -> pd.DataFrame:
        """Return totals per calendar year (salary, employee, employer, total, limit)."""
        grouped = self.table.groupby("year", sort=True)
        out = grouped[["employee", "employer", "total"]].sum()
        out.insert(0, "salary", grouped["salary"].first())
        out["limit"] = grouped["limit"].first()
        return out

    def to_periods(self, periods_per_year: int) -> ContributionSchedule:
        """Add the paychecks up into 12, 4, 2 or 1 periods per year.

        Pay period ``i`` (0-based) of a year with ``n`` pay periods falls in new period
        ``floor(i * periods_per_year / n)``, so biweekly pay gives two or three paychecks a
        month; every dollar is kept.

        Parameters
        ----------
        periods_per_year : int
            12 (monthly), 4 (quarterly), 2 or 1.

        Returns
        -------
        ContributionSchedule
            The same money in fewer, longer periods; ``salary``, ``age`` and ``limit`` are
            the year's.

        Examples
        --------
        >>> s = contribution_schedule(52_000, 0.05, 1, pay_periods=26)
        >>> round(float(s.to_periods(1).cash_flows[0]), 2)
        2600.0
        """
        if periods_per_year not in (12, 4, 2, 1):
            raise ValueError(
                f"Add paychecks up into 12, 4, 2 or 1 periods a year; got {periods_per_year!r}."
            )
        if periods_per_year > self.periods_per_year:
            raise ValueError(
                f"Cannot split {self.periods_per_year} pay periods a year into "
                f"{periods_per_year} periods."
            )
        table = self.table
        new_period = (table["period"].to_numpy() - 1) * periods_per_year // self.periods_per_year
        keys = [table["year"].to_numpy(), new_period + 1]
        grouped = table.groupby(keys, sort=True)
        out = grouped[["pay", "employee", "employer", "total"]].sum()
        first = grouped[["age", "salary", "limit"]].first()
        out = pd.concat([first, out], axis=1).reset_index(names=["year", "period"])
        columns = ["year", "period", "age", "salary", "pay", "employee", "employer", "total"]
        out = out[[*columns, "limit"]]
        return ContributionSchedule(table=out, periods_per_year=periods_per_year)

    def to_monthly(self) -> ContributionSchedule:
        """Return the schedule added up by month (see :meth:`to_periods`)."""
        return self.to_periods(12)


def contribution_schedule(
    salary: float,
    deferral: float,
    years: int,
    *,
    match: Match | None = None,
    salary_growth: float = 0.03,
    pay_periods: int = 12,
    age: float | None = None,
    limits: ContributionLimits = IRS_LIMITS_2025,
    catch_up: bool = True,
    start_year: int = 2025,
) -> ContributionSchedule:
    """Work out each paycheck's 401(k) contributions over a number of years.

    Parameters
    ----------
    salary : float
        Yearly salary in the first year, dollars.
    deferral : float
        The employee's deferral as a fraction of pay (6% is 0.06).
    years : int
        Number of calendar years, 1 to 60.
    match : Match, optional
        The employer's formula; ``None`` means no employer money.
    salary_growth : float
        Yearly raise as a fraction (salary in year k is ``salary * (1 + growth) ** k``).
    pay_periods : int
        Paychecks per year: 12, 24, 26 or 52; pay is salary split evenly among them.
    age : float, optional
        Age reached during the first year; needed for catch-up. ``None`` means no catch-up.
    limits : ContributionLimits
        The deferral limits, held at these dollar figures in every year.
    catch_up : bool
        Whether the employee makes catch-up deferrals when old enough.
    start_year : int
        Calendar year of the first row.

    Returns
    -------
    ContributionSchedule
        A table per pay period and ``cash_flows`` (dollars per period) for ``simulate()``.

    Examples
    --------
    >>> s = contribution_schedule(60_000, 0.06, 1, match=Match.tiered((1.0, 0.03), (0.5, 0.02)))
    >>> s.by_year()[["employee", "employer"]].round(2).values.tolist()
    [[3600.0, 2400.0]]
    """
    check_inputs(salary, deferral, years, salary_growth, pay_periods, age)
    match = Match.none() if match is None else match
    n = pay_periods
    year_index = np.repeat(np.arange(years), n)
    period = np.tile(np.arange(1, n + 1), years)
    yearly_salary = float(salary) * (1.0 + salary_growth) ** np.arange(years)
    pay = np.repeat(yearly_salary / n, n)

    ages = None if age is None else float(age) + np.arange(years)
    year_ages = [None] * years if ages is None else list(ages)
    year_limits = np.array([limits.total_for_age(a, catch_up) for a in year_ages])
    # Cumulative deferral wanted within each year, cut at the year's limit.
    wanted = (pay * deferral).reshape(years, n)
    cumulative = np.minimum(np.cumsum(wanted, axis=1), year_limits[:, None])
    employee = np.diff(cumulative, axis=1, prepend=0.0)
    # The match is on each paycheck's actual deferral rate (no true-up).
    pay_grid = pay.reshape(years, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        actual_rate = np.where(pay_grid > 0, employee / pay_grid, 0.0)
    employer = np.asarray(match.employer_rate(actual_rate)) * pay_grid
    if match.annual_cap is not None:
        employer_cumulative = np.minimum(np.cumsum(employer, axis=1), match.annual_cap)
        employer = np.diff(employer_cumulative, axis=1, prepend=0.0)

    table = pd.DataFrame(
        {
            "year": start_year + year_index,
            "period": period,
            "age": np.repeat(ages, n) if ages is not None else np.nan,
            "salary": np.repeat(yearly_salary, n),
            "pay": pay,
            "employee": employee.ravel(),
            "employer": employer.ravel(),
            "total": (employee + employer).ravel(),
            "limit": np.repeat(year_limits, n),
        }
    )
    return ContributionSchedule(table=table, periods_per_year=n)


@dataclass(frozen=True)
class Plan:
    """A participant's 401(k) plan settings; :meth:`schedule` works out the contributions.

    The fields are the arguments of :func:`contribution_schedule`.

    Examples
    --------
    >>> plan = Plan(salary=60_000, deferral=0.06, years=1, match=Match.flat(0.03))
    >>> round(float(plan.schedule().by_year()["employer"].iloc[0]), 2)
    1800.0
    """

    salary: float
    deferral: float
    years: int
    match: Match = field(default_factory=Match.none)
    salary_growth: float = 0.03
    pay_periods: int = 12
    age: float | None = None
    limits: ContributionLimits = IRS_LIMITS_2025
    catch_up: bool = True
    start_year: int = 2025

    def __post_init__(self) -> None:
        check_inputs(
            self.salary, self.deferral, self.years, self.salary_growth, self.pay_periods, self.age
        )

    def schedule(self) -> ContributionSchedule:
        """Return the contribution schedule for these settings."""
        return contribution_schedule(
            self.salary,
            self.deferral,
            self.years,
            match=self.match,
            salary_growth=self.salary_growth,
            pay_periods=self.pay_periods,
            age=self.age,
            limits=self.limits,
            catch_up=self.catch_up,
            start_year=self.start_year,
        )

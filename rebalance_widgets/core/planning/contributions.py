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
- Employer money counts pay only up to the compensation limit (section 401(a)(17)): pay is
  counted paycheck by paycheck from January until the year's counted pay reaches the
  limit. Deferrals are taken on all pay (402(g) caps them well before most plans' own
  compensation rules would).
- The annual-additions limit (section 415(c)): employee deferrals other than catch-up plus
  employer money add up to at most the year's limit, or the year's pay if less. The
  deferrals count first; the employer's money stops, paycheck by paycheck, once it fills
  the rest. Catch-up deferrals do not count toward it.
- The catch-up age is the age reached during each calendar year of the schedule
  (``age`` is the age reached in the first year).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from rebalance_widgets.core.planning.contribution_checks import (
    MAX_SALARY,
    PAY_PERIODS,
    check_inputs,
)
from rebalance_widgets.core.planning.limits import (
    IRS_LIMITS,
    IRS_LIMITS_2025,
    IRS_LIMITS_2026,
    ContributionLimits,
    irs_limits,
)
from rebalance_widgets.core.planning.match import Match

__all__ = [
    "IRS_LIMITS_2025",
    "IRS_LIMITS_2026",
    "MAX_SALARY",
    "PAY_PERIODS",
    "ContributionLimits",
    "ContributionSchedule",
    "Match",
    "Plan",
    "contribution_schedule",
    "irs_limits",
]

@dataclass(frozen=True)
class ContributionSchedule:
    """Contributions per pay period, as a table and as cash flows for ``simulate()``.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per period: ``year``, ``period`` (1-based within the year), ``age`` (or NaN),
        ``salary`` (that year's), ``pay`` (this period's), ``employee``, ``employer``,
        ``total``, ``limit`` (that year's deferral limit), ``wanted_employee`` (the
        deferral rate times pay, before any limit) and ``wanted_employer`` (the employer's
        formula on the deferrals made and on all pay, before the compensation limit, the
        plan's cap and the annual-additions limit).
    periods_per_year : int
        Periods per year of the rows.
    limits : ContributionLimits or None
        The IRS limits the schedule applied.
    """

    table: pd.DataFrame
    periods_per_year: int
    limits: ContributionLimits | None = None

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
        summed = ["pay", "employee", "employer", "total", "wanted_employee", "wanted_employer"]
        out = grouped[summed].sum()
        first = grouped[["age", "salary", "limit"]].first()
        out = pd.concat([first, out], axis=1).reset_index(names=["year", "period"])
        columns = ["year", "period", "age", "salary", "pay", "employee", "employer", "total"]
        out = out[[*columns, "limit", "wanted_employee", "wanted_employer"]]
        return ContributionSchedule(out, periods_per_year, self.limits)

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
    limits: ContributionLimits | None = None,
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
    limits : ContributionLimits, optional
        The IRS limits (deferral, catch-up, compensation, annual additions), held at these
        dollar figures in every year; the default is ``irs_limits(start_year)``, or the
        latest year held when the kit has no figures for ``start_year``.
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

    Pay above the 2025 compensation limit earns no employer money: 5% of $350,000.

    >>> s = contribution_schedule(500_000, 0.06, 1, match=Match.flat(0.05),
    ...                           limits=irs_limits(2025))
    >>> round(float(s.by_year()["employer"].iloc[0]), 2)
    17500.0
    """
    check_inputs(salary, deferral, years, salary_growth, pay_periods, age)
    match = Match.none() if match is None else match
    if limits is None:
        limits = IRS_LIMITS.get(start_year, irs_limits())
    if not isinstance(limits, ContributionLimits):
        raise ValueError(f"Limits must come from irs_limits(year); got {limits!r}.")
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
    rates = np.asarray(match.employer_rate(actual_rate))
    wanted_employer = rates * pay_grid
    employer = rates * _counted_pay(pay_grid, limits.compensation_limit)
    if match.annual_cap is not None:
        employer = _capped(employer, match.annual_cap)
    if limits.annual_additions is not None:
        additions_limit = np.minimum(limits.annual_additions, yearly_salary)
        employee, employer = _annual_additions(
            employee, employer, float(limits.elective_deferral), additions_limit
        )

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
            "wanted_employee": (pay * deferral).ravel(),
            "wanted_employer": wanted_employer.ravel(),
        }
    )
    return ContributionSchedule(table=table, periods_per_year=n, limits=limits)


def _capped(amounts: np.ndarray, cap: float | np.ndarray) -> np.ndarray:
    """Cut (years, n) paycheck amounts so each year's running total stays within ``cap``."""
    cap = np.asarray(cap, dtype=float).reshape(-1, 1) if np.ndim(cap) else cap
    return np.diff(np.minimum(np.cumsum(amounts, axis=1), cap), axis=1, prepend=0.0)


def _counted_pay(pay: np.ndarray, limit: float | None) -> np.ndarray:
    """Pay counted for employer money: each year's pay up to the compensation limit."""
    return pay if limit is None else _capped(pay, limit)


def _annual_additions(
    employee: np.ndarray, employer: np.ndarray, elective: float, limit: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cut employer money (and deferrals past 100% of pay) to each year's 415(c) limit.

    The year's deferrals other than catch-up count first, so the saver's own money is kept
    and the employer's fills what is left of ``limit`` (one per year), paycheck by paycheck.
    Deferrals are cut only when they alone pass the limit (a limit of 100% of a small pay).
    """
    regular = _capped(employee, elective)  # deferrals up to 402(g); the rest is catch-up
    catch_up = employee - regular
    regular = _capped(regular, limit)
    room = np.maximum(limit - regular.sum(axis=1), 0.0)
    return regular + catch_up, _capped(employer, room)


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
    limits: ContributionLimits | None = None
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

"""Input checks of the contribution schedule, with messages a widget can show as they are."""

from __future__ import annotations

from math import isfinite

from rebalance_widgets.core._checks import is_number, is_whole_number

__all__ = ["MAX_SALARY", "MAX_YEARS", "PAY_PERIODS", "check_inputs", "check_share"]

PAY_PERIODS = {12: "monthly", 24: "twice a month", 26: "every two weeks", 52: "weekly"}
MAX_YEARS = 60
MAX_SALARY = 5_000_000.0  # dollars a year; above this a salary is surely a typo


def check_share(value: float, what: str) -> float:
    """Return a share of pay between 0 and 1, hinting at 0.03 when 3 was typed."""
    if not is_number(value):
        raise ValueError(f"{what} must be a number, like 0.03 for 3%; got {value!r}.")
    value = float(value)
    if not isfinite(value) or value < 0 or value > 1:
        hint = f" Did you mean {value / 100:g}?" if 1 < value <= 100 else ""
        raise ValueError(
            f"{what} must be a fraction between 0 and 1 (3% is 0.03); got {value:g}.{hint}"
        )
    return value


def check_inputs(
    salary: float,
    deferral: float,
    years: int,
    salary_growth: float,
    pay_periods: int,
    age: float | None,
) -> None:
    """Check the arguments of ``contribution_schedule`` (and of ``Plan``)."""
    if not is_number(salary):
        raise ValueError(f"Salary must be a dollar amount, like 60000; got {salary!r}.")
    if not isfinite(salary) or salary < 0:
        raise ValueError(f"Salary must be 0 dollars or more; got {salary:g}.")
    if salary > MAX_SALARY:
        raise ValueError(
            f"A salary of ${salary:,.0f} is more than this planner handles "
            f"(${MAX_SALARY:,.0f} a year); type a yearly salary up to that."
        )
    if not is_number(deferral):
        raise ValueError(f"The deferral must be a number, like 0.06 for 6%; got {deferral!r}.")
    if not isfinite(deferral) or deferral < 0 or deferral > 1:
        hint = f" Did you mean {deferral / 100:g}?" if 1 < deferral <= 100 else ""
        raise ValueError(
            "Type the deferral as a fraction of pay between 0 and 1 (6% is 0.06); "
            f"got {deferral:g}.{hint}"
        )
    if not is_whole_number(years):
        raise ValueError(f"Years must be a whole number, like 30; got {years!r}.")
    if years <= 0 or years > MAX_YEARS:
        raise ValueError(f"Years must be between 1 and {MAX_YEARS}; got {years}.")
    if not is_number(salary_growth):
        raise ValueError(
            f"Salary growth must be a number, like 0.03 for 3%; got {salary_growth!r}."
        )
    if not isfinite(salary_growth) or not -0.5 <= salary_growth <= 0.5:
        raise ValueError(
            "Salary growth is a yearly fraction between -0.5 and 0.5 (3% is 0.03); "
            f"got {salary_growth:g}."
        )
    if pay_periods not in PAY_PERIODS:
        choices = ", ".join(f"{n} ({name})" for n, name in PAY_PERIODS.items())
        raise ValueError(f"Pay periods per year must be one of {choices}; got {pay_periods!r}.")
    if age is not None and not is_number(age):
        raise ValueError(f"Age must be a number of years, like 35; got {age!r}.")
    if age is not None and (not isfinite(age) or not 14 <= age <= 100):
        raise ValueError(f"Age must be between 14 and 100; got {age:g}.")

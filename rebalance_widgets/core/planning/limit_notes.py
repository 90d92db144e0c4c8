"""Plain words for what the IRS limits did to a contribution schedule.

A widget shows these under its chart, so a learner sees when a limit cut their own
savings or their employer's money, and which limit it was.
"""

from __future__ import annotations

import pandas as pd

from rebalance_widgets.core.planning.contributions import ContributionSchedule

__all__ = ["employer_note", "saving_phrase"]

_CENT = 0.005  # dollars of difference that count as a cut


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _percent(rate: float) -> str:
    return f"{rate * 100:.3g}%"


def _years(schedule: ContributionSchedule) -> pd.DataFrame:
    table = schedule.table
    grouped = table.groupby("year", sort=True)
    out = grouped[["pay", "employee", "employer", "wanted_employee", "wanted_employer"]].sum()
    out["age"] = grouped["age"].first()
    out["limit"] = grouped["limit"].first()
    return out


def _when(year: int, age: float) -> str:
    return f"in {year}" if pd.isna(age) else f"from age {age:.0f}"


def saving_phrase(schedule: ContributionSchedule) -> str:
    """Say what the saver puts in, and whether the deferral limit cut it.

    Parameters
    ----------
    schedule : ContributionSchedule
        From :func:`~rebalance_widgets.core.planning.contributions.contribution_schedule`.

    Returns
    -------
    str
        ``"saving 6% of pay"``; ``"saving $23,500 a year, the 2025 limit, instead of 20%
        of pay ($40,000)"`` when the limit cuts the first year; ``"saving 10% of pay
        (held to the 2025 limit of $23,500 a year from age 52)"`` when it cuts a later one.

    Examples
    --------
    >>> from rebalance_widgets.core.planning.contributions import contribution_schedule
    >>> saving_phrase(contribution_schedule(200_000, 0.2, 1, start_year=2025))
    'saving $23,500 a year, the 2025 limit, instead of 20% of pay ($40,000)'
    """
    years = _years(schedule)
    first = years.iloc[0]
    rate = first["wanted_employee"] / first["pay"] if first["pay"] > 0 else 0.0
    cut = years[years["employee"] < years["wanted_employee"] - _CENT]
    if cut.empty:
        return f"saving {_percent(rate)} of pay"
    label = "the limit" if schedule.limits is None else f"the {schedule.limits.year} limit"
    if schedule.limits is not None and first["limit"] > schedule.limits.elective_deferral:
        label += " with catch-up"
    if cut.index[0] == years.index[0]:
        return (
            f"saving {_money(first['employee'])} a year, {label}, instead of "
            f"{_percent(rate)} of pay ({_money(first['wanted_employee'])})"
        )
    year = int(cut.index[0])
    return (
        f"saving {_percent(rate)} of pay (held to {label} of "
        f"{_money(cut['limit'].iloc[0])} a year {_when(year, cut['age'].iloc[0])})"
    )


def employer_note(schedule: ContributionSchedule) -> str:
    """Say when the IRS limits cut the employer's money in a year, or return ``""``.

    The cut counts the compensation limit (401(a)(17)), the annual-additions limit
    (415(c)) and a plan's own yearly cap on employer money together: the employer's
    formula on all pay against what goes in.

    Parameters
    ----------
    schedule : ContributionSchedule
        From :func:`~rebalance_widgets.core.planning.contributions.contribution_schedule`.

    Returns
    -------
    str
        One sentence about the first year with a cut, or ``""``.

    Examples
    --------
    >>> from rebalance_widgets.core.planning.contributions import contribution_schedule
    >>> from rebalance_widgets.core.planning.match import Match
    >>> note = employer_note(contribution_schedule(500_000, 0.06, 1, match=Match.flat(0.05)))
    >>> note.split(": ")[0]
    'In 2025 your employer puts in $17,500 instead of $25,000'
    """
    years = _years(schedule)
    cut = years[years["employer"] < years["wanted_employer"] - _CENT]
    if cut.empty:
        return ""
    year = int(cut.index[0])
    row = cut.iloc[0]
    limits = schedule.limits
    start = (
        f"In {year} your employer puts in {_money(row['employer'])} instead of "
        f"{_money(row['wanted_employer'])}: "
    )
    reasons = []
    if limits is not None and limits.compensation_limit is not None:
        salary = schedule.table.loc[schedule.table["year"] == year, "salary"].iloc[0]
        if salary > limits.compensation_limit:
            reasons.append(
                f"pay above {_money(limits.compensation_limit)} (the {limits.year} "
                "compensation limit) earns no employer money"
            )
    if limits is not None and limits.annual_additions is not None:
        room = min(limits.annual_additions, row["pay"])
        regular = min(row["employee"], limits.elective_deferral)
        if regular + row["employer"] >= room - _CENT:
            reasons.append(
                f"your money and your employer's together reach {_money(room)} (the "
                f"{limits.year} annual-additions limit, catch-up aside)"
            )
    if not reasons:
        reasons.append("the plan's yearly cap on employer money")
    return start + "; ".join(reasons) + "."

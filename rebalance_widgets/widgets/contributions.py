"""Saving in a 401(k): salary, deferral, employer match and years -> the balance at retirement.

:class:`ContributionPlanner` works out each month's contributions with
:func:`rebalance_widgets.core.planning.contributions.contribution_schedule` (the IRS
limits of the chosen plan year, the latest by default), invests them in the ``target`` mix
on many simulated futures (:func:`rebalance_widgets.core.simulate`, rebalanced once a year,
draws reused between changes), and shows the balance as a range by age and what it is made
of: your money, your employer's, and growth. Its sentences say when an IRS limit cut your
savings or your employer's money.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from rebalance_widgets.charts import contributions as charts
from rebalance_widgets.core import metrics, simulate
from rebalance_widgets.core.planning.contribution_checks import MAX_SALARY
from rebalance_widgets.core.planning.contributions import Match, contribution_schedule
from rebalance_widgets.core.planning.limit_notes import employer_note, saving_phrase
from rebalance_widgets.core.planning.limits import IRS_LIMITS, irs_limits
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.allocation import describe_mix
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.class_settings import class_settings
from rebalance_widgets.widgets.parts.mixes import valid_mix
from rebalance_widgets.widgets.parts.planning import RetirementPlanWidget

__all__ = ["MATCHES", "ContributionPlanner", "yearly_percentiles"]

#: Employer formulas offered, by the words a plan document uses.
MATCHES: dict[str, Match] = {
    "100% of the first 3% + 50% of the next 2%": Match.tiered((1.0, 0.03), (0.5, 0.02)),
    "50% of the first 6%": Match.tiered((0.5, 0.06)),
    "100% of the first 4%": Match.tiered((1.0, 0.04)),
    "100% of the first 6%": Match.tiered((1.0, 0.06)),
    "3% of pay, whatever you put in": Match.flat(0.03),
    "No employer money": Match.none(),
    # an instructor's formulas (class settings), then the one picked first
    **{name: Match.tiered(*tiers) for name, tiers in class_settings().matches.items()},
}
FIRST_MATCH = class_settings().match or next(iter(MATCHES))  # checked when the file is read
PERCENTILES = (5, 25, 50, 75, 95)
BANDS = "Line: the middle future. Dark band: the middle half. Light band: 9 futures in 10."
POLICY = policies.Calendar("annual")


class ContributionPlanner(RetirementPlanWidget):
    """Plan 401(k) saving: the balance at retirement as a range, and where it comes from.

    Traits: ``target`` (mix, linkable to ``AllocationSliders.value``), ``salary``,
    ``deferral`` (fraction), ``age``, ``retirement_age``, ``balance`` (starting dollars),
    ``salary_growth``; ``settings`` holds paths and seed. ``balances`` holds the last
    simulation's balance on every path at each whole year, shape (paths, years + 1) (only
    that is kept, to bound memory on a shared server).

    Parameters
    ----------
    target : dict, optional
        Mix (default 80% stocks, 20% bonds).
    n_paths : int, default 1,000
        Simulated futures (at most 5,000).
    seed : int, default 2024
        Random seed.

    Examples
    --------
    >>> planner = ContributionPlanner(n_paths=100)
    >>> planner.deferral_slider.value = 0.10
    >>> planner.deferral
    0.1
    """

    target = traitlets.Dict()
    salary = traitlets.Float(60_000.0)
    deferral = traitlets.Float(0.06)
    salary_growth = traitlets.Float(0.03)

    def __init__(
        self,
        target: Mapping[str, float] | None = None,
        *,
        n_paths: int = base.DEFAULT_PATHS,
        seed: int = base.DEFAULT_SEED,
    ):
        super().__init__()
        self.balances: np.ndarray | None = None
        self._add_plan_controls(
            n_paths=n_paths,
            seed=seed,
            age_max=75,
            retire_min=19,
            balance_tooltip="What the 401(k) holds now",
        )
        style = {"description_width": "initial"}
        self.salary_box = base.text_box("Salary ($ a year)", "60,000", "Pay before tax this year")
        self.growth_box = base.text_box(
            "Raise each year (%)", "3", "Yearly pay raise, as a percent", "14em"
        )
        self.deferral_slider = base.percent_slider(
            0.06,
            0.5,
            0.01,
            "You save (% of pay)",
            "Your deferral: the share of each paycheck that goes into the 401(k)",
            width="30em",
        )
        self.match_menu = widgets.Dropdown(
            options=list(MATCHES),
            value=FIRST_MATCH,
            description="Employer match",
            tooltip="How your employer adds money",
            style=style,
            layout=widgets.Layout(width="30em"),
        )
        self.year_menu = widgets.Dropdown(
            options=sorted(IRS_LIMITS, reverse=True),
            value=irs_limits().year,
            description="IRS limits of",
            tooltip="The plan year whose IRS limits apply (held at that year's figures)",
            style=style,
            layout=widgets.Layout(width="14em"),
        )
        self.range_panel = base.ChartPanel()
        self.parts_panel = base.ChartPanel()
        self.salary_box.observe(self._on_salary, names="value")
        self.growth_box.observe(self._on_growth, names="value")
        self.deferral_slider.observe(self._on_deferral, names="value")
        self.children = [
            widgets.HBox([self.salary_box, self.balance_box, self.growth_box]),
            widgets.HBox([self.deferral_slider, self.match_menu, self.year_menu]),
            widgets.HBox([self.age_slider, self.retire_slider]),
            widgets.HBox([self.market, self.settings]),
            widgets.HBox([self.dollars_box, self.goal_box]),
            self.message,
            self.progress,
            self.range_panel,
            self.parts_panel,
        ]
        self.target = dict(target or {"stocks": 0.8, "bonds": 0.2, "cash": 0.0})
        self.observe(
            self._refresh,
            names=[
                "target",
                "salary",
                "deferral",
                "age",
                "retirement_age",
                "balance",
                "salary_growth",
                "todays_dollars",
                "goal",
            ],
        )
        self.match_menu.observe(self._refresh, names="value")
        self.year_menu.observe(self._refresh, names="value")
        self.market.observe(self._refresh, names="value")
        self.settings.observe(self._refresh, names=["n_paths", "seed"])
        self._refresh()

    @traitlets.validate("target")
    def _valid_target(self, proposal: dict[str, Any]) -> dict[str, float]:
        return valid_mix(proposal)

    @traitlets.observe("deferral")
    def _show_deferral(self, change: dict[str, Any]) -> None:
        self.deferral_slider.value = change["new"]

    @base.guarded
    def _on_salary(self, change: dict[str, Any]) -> None:
        self.salary = base.parse_amount(self.salary_box.value, name="Salary", maximum=MAX_SALARY)

    @base.guarded
    def _on_growth(self, change: dict[str, Any]) -> None:
        self.salary_growth = base.parse_percent(
            self.growth_box.value, name="Raise each year", minimum=-50, maximum=50
        )

    @base.guarded
    def _on_deferral(self, change: dict[str, Any]) -> None:
        self.deferral = float(change["new"])

    @base.guarded
    def _refresh(self, change: dict[str, Any] | None = None) -> None:
        years = self.retirement_age - self.age
        schedule = contribution_schedule(
            self.salary,
            self.deferral,
            years,
            match=MATCHES[self.match_menu.value],
            salary_growth=self.salary_growth,
            age=self.age,
            limits=irs_limits(self.year_menu.value),
            start_year=self.year_menu.value,
        )
        market, draws = self._market_draws()
        weights = [self.target[asset] for asset in market.assets]
        with base.long_job(self.progress, self.settings.n_paths, years * 12):
            result = simulate(
                draws,
                weights,
                POLICY,
                initial_value=self.balance,
                cash_flows=schedule.cash_flows,
                periods_per_year=12,
            )
        fan = self._shown_dollars(yearly_percentiles(result, PERCENTILES, self.age))
        # money put in during year k counts at the prices of the middle of that year
        middle_of_year = self.dollars_box.factor(self._inflation(), np.arange(years) + 0.5)
        parts = _parts(schedule.table, fan, self.balance, self.age, middle_of_year)
        range_chart = charts.balance_range(
            fan,
            title=f"Your balance by age, across {self.settings.n_paths:,} simulated futures",
            subtitle=BANDS,
        )
        parts_chart = charts.contributions_vs_growth(
            parts, title="What the middle balance is made of"
        )
        self.balances = np.array(result.wealth[:, ::12])
        self.range_panel.update(range_chart, self._range_sentence(fan, saving_phrase(schedule)))
        parts_sentence = _parts_sentence(parts, self.retirement_age)
        note = employer_note(schedule)
        self.parts_panel.update(parts_chart, f"{parts_sentence} {note}".strip())

    def _range_sentence(self, fan: pd.DataFrame, saving: str) -> str:
        last = fan[fan["age"] == fan["age"].max()].set_index("percentile")["value"]
        return (
            f"At {self.retirement_age}, {saving} in "
            f"{describe_mix(self.target)} (rebalanced once a year), the middle future ends "
            f"with {base.money(last[50])}; 1 in 20 futures end below {base.money(last[5])} "
            f"and 1 in 20 above {base.money(last[95])}, {self._dollar_words()}."
            + self._goal_words({"of futures": self.balances[:, -1]})
        )


def yearly_percentiles(result: Any, percentiles: tuple[float, ...], age: int) -> pd.DataFrame:
    """Percentiles of wealth at each whole year (ages from ``age``), for the fan charts.

    Only the yearly columns of ``result.wealth`` go to
    :func:`rebalance_widgets.core.metrics.wealth_percentiles` (12 times less work than
    every month).

    Parameters
    ----------
    result : SimulationResult
        A monthly simulation.
    percentiles : tuple of float
        Percentiles, 0 to 100.
    age : int
        Age at the start.

    Returns
    -------
    pandas.DataFrame
        Columns ``step``, ``year``, ``percentile``, ``value`` and ``age``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> run = SimpleNamespace(wealth=np.ones((3, 25)), periods_per_year=12)
    >>> yearly_percentiles(run, (50,), 40)["age"].tolist()
    [40, 41, 42]
    """
    per_year = int(round(result.periods_per_year))
    view = SimpleNamespace(wealth=np.asarray(result.wealth)[:, ::per_year], periods_per_year=1)
    table = metrics.wealth_percentiles(view, percentiles)
    return table.assign(age=age + table["year"].round().astype(int))


def _parts(table: pd.DataFrame, fan: pd.DataFrame, balance: float, age: int,
           factors: np.ndarray) -> pd.DataFrame:
    """Split the middle balance into money put in (yours, employer's) and growth.

    ``factors`` (one per year) turn each year's contributions into the fan's dollars.
    """
    by_year = table.groupby("year", sort=True)[["employee", "employer"]].sum()
    weights = np.asarray(factors, dtype=float)[: len(by_year)]
    yours = np.r_[0.0, (by_year["employee"].to_numpy() * weights).cumsum()] + balance
    employer = np.r_[0.0, (by_year["employer"].to_numpy() * weights).cumsum()]
    middle = fan[fan["percentile"] == 50].sort_values("age")["value"].to_numpy()
    ages = age + np.arange(len(yours))
    growth = middle - yours - employer
    return pd.DataFrame(
        {
            "age": np.repeat(ages, 3),
            "part": list(charts.PARTS) * len(ages),
            "dollars": np.column_stack([yours, employer, growth]).ravel(),
        }
    )


def _parts_sentence(parts: pd.DataFrame, retirement_age: int) -> str:
    last = parts[parts["age"] == parts["age"].max()].set_index("part")["dollars"]
    yours, employer, growth = (last[name] for name in charts.PARTS)
    total = yours + employer + growth
    grew = "added" if growth >= 0 else "took away"
    return (
        f"Of the middle balance of {base.money(total)} at {retirement_age}, you put in "
        f"{base.money(yours)} (with today's balance), your employer "
        f"{base.money(employer)}, and markets {grew} {base.money(abs(growth))}."
    )

"""What the planning widgets share: the age now, the retirement age and today's balance.

:class:`RetirementPlanWidget` is the base of
:class:`~rebalance_widgets.widgets.contributions.ContributionPlanner` and
:class:`~rebalance_widgets.widgets.glidepath.GlidePathExplorer`: both simulate monthly from
the age now to retirement, from a balance typed in dollars, on the chosen assumptions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import traitlets

from rebalance_widgets.core import markets
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.dollars import TodaysDollars

__all__ = ["RetirementPlanWidget"]


class RetirementPlanWidget(base.TeachingWidget):
    """A widget that runs from ``age`` to ``retirement_age`` starting with ``balance`` dollars.

    A subclass calls :meth:`_add_plan_controls` in its ``__init__``; it then has
    ``settings`` (paths and seed; the years come from the two ages), ``age_slider``,
    ``retire_slider``, ``balance_box``, ``market``, ``dollars_box`` (today's dollars) and
    ``goal_box`` (a balance to reach at retirement), wired to the traits, which it puts in
    its ``children`` and observes to re-run.

    Examples
    --------
    >>> w = RetirementPlanWidget()
    >>> w.retirement_age - w.age
    30
    """

    age = traitlets.Int(35)
    retirement_age = traitlets.Int(65)
    balance = traitlets.Float(10_000.0)
    todays_dollars = traitlets.Bool(False)
    goal = traitlets.Float(None, allow_none=True)

    def _add_plan_controls(
        self, *, n_paths: int, seed: int, age_max: int, retire_min: int, balance_tooltip: str
    ) -> None:
        self.settings = base.SimulationSettings(self.message, n_paths=n_paths, seed=seed)
        self.settings.years_slider.layout.display = "none"  # years come from the two ages
        self.balance_box = base.text_box("Balance today ($)", "10,000", balance_tooltip)
        self.age_slider, self.retire_slider = base.age_sliders(
            age_max=age_max, retire_min=retire_min
        )
        self.market = base.market_menu()
        self.dollars_box = TodaysDollars(self.todays_dollars)
        traitlets.link((self.dollars_box, "value"), (self, "todays_dollars"))
        self.goal_box = base.text_box(
            "Goal at retirement ($)", "", "A balance you hope to have at retirement (leave "
            "blank for none)", "17em")
        self.goal_box.observe(self._on_goal, names="value")
        self.balance_box.observe(self._on_balance, names="value")
        self.age_slider.observe(self._on_ages, names="value")
        self.retire_slider.observe(self._on_ages, names="value")

    def _market_draws(self) -> tuple[Any, np.ndarray]:
        """Return the chosen market and its monthly draws from now to retirement (cached)."""
        market = markets.assumptions(self.market.value)
        months = (self.retirement_age - self.age) * base.PERIODS_PER_YEAR
        return market, self.settings.draws(market, months, self.progress)

    def _inflation(self) -> float:
        """Yearly inflation that goes with the chosen assumptions."""
        return markets.expected_inflation(self.market.value)

    def _shown_dollars(self, fan: pd.DataFrame) -> pd.DataFrame:
        """Return a yearly fan (``year``, ``value``) in the dollars the switch asks for."""
        factor = self.dollars_box.factor(self._inflation(), fan["year"].to_numpy(float))
        return fan.assign(value=fan["value"].to_numpy(float) * factor)

    def _dollar_words(self) -> str:
        """Say which dollars the sentences speak of."""
        return self.dollars_box.words(self._inflation())

    def _goal_words(self, endings: dict[str, np.ndarray], *, shown: bool = False) -> str:
        """Say how often each strategy's ending balance reaches the goal ("" with none).

        ``endings`` holds each strategy's balance at retirement in every future, in dollars
        of that day (``shown=True``: already in the dollars the switch asks for); the goal
        is in the dollars the switch asks for.
        """
        if self.goal is None:
            return ""
        years = self.retirement_age - self.age
        factor = 1.0 if shown else self.dollars_box.factor(self._inflation(), years)
        chances = [f"{base.percent(float(np.mean(end * factor >= self.goal)))} {name}"
                   for name, end in endings.items()]
        listed = " and ".join([", ".join(chances[:-1]), chances[-1]] if len(chances) > 1
                              else chances)
        return (f" The chance of at least {base.money(self.goal)} at {self.retirement_age}: "
                f"{listed}.")

    @base.guarded
    def _on_goal(self, change: dict[str, Any]) -> None:
        text = self.goal_box.value.strip()
        self.goal = None if not text else base.parse_amount(
            text, name="Goal at retirement", maximum=base.MAX_AMOUNT)

    @base.guarded
    def _on_balance(self, change: dict[str, Any]) -> None:
        self.balance = base.parse_amount(self.balance_box.value, name="Balance today")

    @base.guarded
    def _on_ages(self, change: dict[str, Any]) -> None:
        age, retire = self.age_slider.value, self.retire_slider.value
        base.check_ages(age, retire)
        with self.hold_trait_notifications():
            self.age, self.retirement_age = age, retire

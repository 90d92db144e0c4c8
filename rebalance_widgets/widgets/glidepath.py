"""Glide paths: how the mix changes with age, and what that does to the range of outcomes.

:class:`GlidePathExplorer` builds a glide path with :mod:`rebalance_widgets.core.planning.glidepath`
(target-date or "base minus age"), and runs it and a fixed mix on the SAME simulated futures
(:func:`rebalance_widgets.core.simulate`, both rebalanced once a year to their target mix,
monthly contributions), so the difference is the glide path's doing, not luck.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from rebalance_widgets.charts import glidepath as charts
from rebalance_widgets.core import simulate
from rebalance_widgets.core.planning import glidepath
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.contributions import yearly_percentiles
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.planning import RetirementPlanWidget

__all__ = ["PATHS", "GlidePathExplorer"]

#: Glide paths offered: label -> (kind, base for "base minus age").
PATHS: dict[str, tuple[str, int]] = {
    "Target-date fund (90% stocks, 50% at retirement)": ("target_date", 0),
    "110 minus age in stocks": ("rule", 110),
    "100 minus age in stocks": ("rule", 100),
    "120 minus age in stocks": ("rule", 120),
}
PERCENTILES = (5, 50, 95)
POLICY = policies.Calendar("annual")
GLIDE, FIXED = "Glide path", "Fixed mix"
POLICY_STEPS = base.PERIODS_PER_YEAR


class GlidePathExplorer(RetirementPlanWidget):
    """Compare a glide path with a fixed mix on the same simulated futures.

    Traits: ``age``, ``retirement_age``, ``fixed_stocks`` (share of stocks in the fixed
    mix, the rest in bonds), ``balance`` and ``monthly`` (dollars); ``settings`` holds paths
    and seed. ``glide`` is the last :class:`~rebalance_widgets.core.planning.glidepath.GlidePath`,
    ``balances`` the balance on every path at each whole year, by strategy (shape (paths,
    years + 1); only that is kept of each simulation, to bound memory on a shared server).

    Parameters
    ----------
    n_paths : int, default 1,000
        Simulated futures (at most 5,000).
    seed : int, default 2024
        Random seed.

    Examples
    --------
    >>> explorer = GlidePathExplorer(n_paths=100)
    >>> explorer.fixed_slider.value = 0.8
    >>> "80% stocks" in explorer.outcome_panel.sentence
    True
    """

    fixed_stocks = traitlets.Float(0.6)
    monthly = traitlets.Float(500.0)

    def __init__(self, *, n_paths: int = base.DEFAULT_PATHS, seed: int = base.DEFAULT_SEED):
        super().__init__()
        self.glide: Any = None
        self.balances: dict[str, np.ndarray] = {}
        self._runs: dict[str, tuple[tuple, tuple[Any, Any]]] = {}
        self._shown_path: tuple | None = None
        style = {"description_width": "initial"}
        self._add_plan_controls(
            n_paths=n_paths,
            seed=seed,
            age_max=70,
            retire_min=40,
            balance_tooltip="Dollars invested now",
        )
        self.path_menu = widgets.Dropdown(
            options=list(PATHS),
            description="Glide path",
            tooltip="How the share of stocks falls with age",
            style=style,
            layout=widgets.Layout(width="32em"),
        )
        self.fixed_slider = base.percent_slider(
            0.6,
            1.0,
            0.05,
            "Fixed mix: stocks",
            "Stocks in the mix that never changes (the rest is bonds)",
        )
        self.monthly_box = base.text_box(
            "Added each month ($)", "500", "Dollars added every month until retirement"
        )
        self.path_panel = base.ChartPanel()
        self.outcome_panel = base.ChartPanel()
        self.fixed_slider.observe(self._on_fixed, names="value")
        self.monthly_box.observe(self._on_monthly, names="value")
        self.children = [
            widgets.HBox([self.path_menu, self.fixed_slider]),
            widgets.HBox([self.age_slider, self.retire_slider]),
            widgets.HBox([self.balance_box, self.monthly_box]),
            widgets.HBox([self.market, self.settings]),
            widgets.HBox([self.dollars_box, self.goal_box]),
            self.message,
            self.progress,
            self.path_panel,
            self.outcome_panel,
        ]
        self.observe(
            self._refresh, names=["age", "retirement_age", "fixed_stocks", "balance", "monthly",
                                  "todays_dollars", "goal"]
        )
        self.path_menu.observe(self._refresh, names="value")
        self.market.observe(self._refresh, names="value")
        self.settings.observe(self._refresh, names=["n_paths", "seed"])
        self._refresh()

    @traitlets.observe("fixed_stocks")
    def _show_fixed(self, change: dict[str, Any]) -> None:
        self.fixed_slider.value = change["new"]

    @base.guarded
    def _on_fixed(self, change: dict[str, Any]) -> None:
        self.fixed_stocks = float(change["new"])

    @base.guarded
    def _on_monthly(self, change: dict[str, Any]) -> None:
        self.monthly = base.parse_amount(
            self.monthly_box.value, name="Added each month", maximum=1_000_000
        )

    def _glide_path(self, years: int) -> Any:
        kind, rule_base = PATHS[self.path_menu.value]
        if kind == "target_date":
            return glidepath.target_date(
                self.age, self.retirement_age, self.retirement_age, cash_of_rest=0.0
            )
        return glidepath.rule_of_thumb(self.age, years, base=rule_base, cash_of_rest=0.0)

    @base.guarded
    def _refresh(self, change: dict[str, Any] | None = None) -> None:
        years = self.retirement_age - self.age
        glide = self._glide_path(years)
        market, draws = self._market_draws()
        fixed = [self.fixed_stocks, 1.0 - self.fixed_stocks, 0.0]
        order = [glide.asset_names.index(asset) for asset in market.assets]
        common = (
            self.market.value,
            self.settings.seed,
            self.settings.n_paths,
            self.age,
            self.retirement_age,
            self.balance,
            self.monthly,
        )
        glide_key = (*common, self.path_menu.value)
        runs = {
            GLIDE: self._run(GLIDE, glide_key, draws, glide.weights[:, order]),
            FIXED: self._run(FIXED, (*common, self.fixed_stocks), draws, fixed),
        }
        balances = {name: run[0] for name, run in runs.items()}
        fans = {name: run[1] for name, run in runs.items()}
        fan = self._shown_dollars(pd.concat([fans[GLIDE], fans[FIXED]], ignore_index=True))
        outcome_chart = charts.outcomes_chart(
            fan,
            title=f"Balance by age: glide path against a fixed mix ({self.settings.n_paths:,} "
            "futures)",
            subtitle="Solid line: the middle future. Dashed lines and band: 9 futures in 10.",
        )
        path_key = (self.path_menu.value, self.age, self.retirement_age)
        if path_key != self._shown_path:
            mix = glide.table().rename(columns={"share": "weight"})
            mix = mix[mix["asset"] != "cash"]  # the paths here hold no cash
            path_chart = charts.glide_path_chart(
                mix, retirement_age=self.retirement_age, title="The glide path: the mix by age"
            )
            self.path_panel.update(path_chart, self._path_sentence(glide))
            self._shown_path = path_key
        self.glide, self.balances = glide, balances
        self.outcome_panel.update(outcome_chart, self._outcome_sentence(fan))

    def _run(self, name: str, key: tuple, draws: np.ndarray, target: Any) -> tuple[Any, Any]:
        """Simulate one strategy; keep its yearly balances and percentiles, reuse if unchanged."""
        last = self._runs.get(name)
        if last is not None and last[0] == key:
            return last[1]
        with base.long_job(self.progress, draws.shape[0], draws.shape[1]):
            result = simulate(
                draws, target, POLICY, initial_value=self.balance, cash_flows=self.monthly
            )
        fan = yearly_percentiles(result, PERCENTILES, self.age).assign(strategy=name)
        balances = np.array(result.wealth[:, ::POLICY_STEPS])
        self._runs[name] = (key, (balances, fan))
        return balances, fan

    def _path_sentence(self, glide: Any) -> str:
        stocks = glide.stocks
        return (
            f"This glide path holds {base.percent(stocks[0])} stocks at {self.age} and "
            f"{base.percent(stocks[-1])} at {self.retirement_age}; the rest is in bonds."
        )

    def _outcome_sentence(self, fan: pd.DataFrame) -> str:
        last = fan[fan["age"] == fan["age"].max()].set_index(["strategy", "percentile"])["value"]
        return (
            f"At {self.retirement_age}, the middle future holds {base.money(last[(GLIDE, 50)])} "
            f"with the glide path and {base.money(last[(FIXED, 50)])} with a fixed "
            f"{base.percent(self.fixed_stocks)} stocks; in the worst 1 in 20 futures, "
            f"{base.money(last[(GLIDE, 5)])} against {base.money(last[(FIXED, 5)])}, "
            f"{self._dollar_words()}."
            + self._goal_words({f"with the {name.lower()}": self.balances[name][:, -1]
                                for name in (GLIDE, FIXED)})
        )

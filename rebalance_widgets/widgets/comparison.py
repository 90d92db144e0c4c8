"""RebalancingComparison: tick rebalancing policies and compare them on the same futures.

Every ticked policy runs on the SAME simulated futures, so the differences come from the
policy alone. A table and a dot plot show, per policy, the medians across the futures
(ending balance, annualised return, volatility, worst drawdown, worst 12 months, drift,
rebalances, turnover and trading costs; and the chance of reaching a goal when one is set).
A second chart sets each policy against a reference policy future by future: in how many
futures it ended ahead, and the spread of the gap. A learner can add a band rule of their
own (width, kind, how far to trade, how often to look) and show dollars at today's prices.

Examples
--------
>>> from rebalance_widgets import RebalancingComparison   # doctest: +SKIP
>>> RebalancingComparison()                                # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from rebalance_widgets import core
from rebalance_widgets.charts.comparison import paired_difference_chart, policy_dot_chart
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.comparison_table import (
    METRICS,
    PER_PATH_COLUMNS,
    Metric,
    distinct_labels,
    metric_table,
    paired_rows,
    paired_sentence,
    sentence,
    shown_metrics,
    summary_of,
    table_frame,
    table_html,
)
from rebalance_widgets.widgets.parts.dollars import TodaysDollars
from rebalance_widgets.widgets.parts.download import CsvDownload
from rebalance_widgets.widgets.parts.rule_builder import RuleBuilder
from rebalance_widgets.widgets.parts.simulated import (
    POLICY_CHOICES,
    MixWidget,
    model_inflation,
    model_picker,
    return_model,
    target_weights,
)

__all__ = [
    "COMPARED_POLICIES",
    "METRICS",
    "Metric",
    "RebalancingComparison",
    "distinct_labels",
    "metric_table",
]

COMPARED_POLICIES: tuple[policies.Policy, ...] = (*POLICY_CHOICES, policies.CashFlow())
"""Policies that can be ticked, in the order shown."""

DEFAULT_TICKED = (0, 2, 4, 5, 8)  # never, quarterly, annual, 5-point band, cash flows
MAX_POLICIES = 24
"""Most tick boxes a learner can have (the ones offered plus the band rules they add)."""


class RebalancingComparison(MixWidget):
    """Compare rebalancing policies on the same simulated futures.

    Traits: ``target`` (the mix, asset -> share), ``policies`` (tuple of ticked policies),
    ``reference`` (the name of the policy the others are set against, future by future),
    ``cost_rate`` (trading cost as a fraction of each trade), ``contribution`` (dollars
    added every month), ``initial_value`` (starting balance), ``goal`` (dollars, or None),
    ``todays_dollars`` and ``model`` (return-model preset); years, futures and seed live
    on ``settings``.

    Parameters
    ----------
    target : float or mapping, default 0.6
        Starting mix, or its stock share with the rest in bonds.
    cost_rate : float, default 0.001
        Trading cost per dollar traded.
    contribution : float, default 500
        Dollars added every month.
    initial_value : float, default 100,000
        Starting balance in dollars.
    goal : float, optional
        An ending balance to reach, in dollars (today's dollars when ``todays_dollars``).
    todays_dollars : bool, default False
        Show ending balances at today's prices (the model's inflation).
    model : str, default "historical"
        Return-model preset.
    years, n_paths, seed : int
        Simulation settings (capped).

    Examples
    --------
    >>> comparison = RebalancingComparison(n_paths=50, years=5)   # doctest: +SKIP
    >>> comparison.cost_box.value = "0.25"                          # doctest: +SKIP
    """

    policies = traitlets.Tuple()
    reference = traitlets.Unicode("Never rebalance")
    cost_rate = traitlets.Float(0.001)
    contribution = traitlets.Float(500.0)
    initial_value = traitlets.Float(100_000.0)
    goal = traitlets.Float(None, allow_none=True)
    todays_dollars = traitlets.Bool(False)
    model = traitlets.Unicode("historical")

    def __init__(
        self,
        *,
        target: float | Mapping[str, float] = 0.6,
        cost_rate: float = base.DEFAULT_COST_RATE,
        contribution: float = 500.0,
        initial_value: float = 100_000.0,
        goal: float | None = None,
        todays_dollars: bool = False,
        model: str = base.DEFAULT_MODEL,
        years: int = base.DEFAULT_YEARS,
        n_paths: int = base.DEFAULT_PATHS,
        seed: int = base.DEFAULT_SEED,
        **kwargs: Any,
    ) -> None:
        super().__init__(target=target, **kwargs)
        self._choices: list[policies.Policy] = list(COMPARED_POLICIES)
        self._syncing = False
        self.policy_boxes = [
            self._policy_box(policy, index in DEFAULT_TICKED)
            for index, policy in enumerate(COMPARED_POLICIES)
        ]
        self.policy_grid = widgets.GridBox(  # three columns on a desktop, one on a phone
            self.policy_boxes,
            layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(15em, 1fr))"),
        )
        self.rule_builder = RuleBuilder(self.message)
        self.rule_builder.add_button.on_click(self._on_add_rule)
        self.cost_box = base.text_box(
            "Trading cost (%)", f"{cost_rate * 100:g}",
            "Cost of each trade, as a percent of the dollars bought or sold", "13em",
        )
        self.contribution_box = base.text_box(
            "Added each month ($)", f"{contribution:,.0f}",
            "Dollars added at the end of every month (0 for none)", "15em",
        )
        self.initial_box = base.text_box(
            "Starting balance ($)", f"{initial_value:,.0f}", "Dollars invested at the start",
            "16em",
        )
        self.goal_box = base.text_box(
            "Goal at the end ($)", "" if goal is None else f"{goal:,.0f}",
            "An ending balance you hope to reach (leave blank for none)", "16em",
        )
        self.dollars_box = TodaysDollars(todays_dollars)
        self.model_dropdown, self.model_caption = model_picker(model)
        self.settings = base.SimulationSettings(
            self.message, years=years, n_paths=n_paths, seed=seed
        )
        self.table = widgets.HTML()
        self.download = CsvDownload("rebalancing-comparison.csv",
                                    "Download this table (CSV)")
        self._per_path: dict[policies.Policy, pd.DataFrame] = {}
        self._per_path_inputs: tuple = ()
        self.panel = base.ChartPanel()
        self.reference_dropdown = widgets.Dropdown(
            description="Set each policy against", style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", max_width="100%"),
        )
        self.paired_panel = base.ChartPanel()
        self.children = [
            widgets.HTML("<b>Policies to compare</b>"),
            self.policy_grid,
            self.rule_builder,
            widgets.HBox([self.target_slider, self.model_dropdown]),
            self.model_caption,
            widgets.HBox([self.initial_box, self.contribution_box, self.cost_box]),
            widgets.HBox([self.goal_box, self.dollars_box]),
            self.settings,
            self.message,
            self.progress,
            self.table,
            self.download,
            self.panel,
            widgets.HTML("<b>Future by future: who ended ahead?</b>"),
            self.reference_dropdown,
            self.paired_panel,
        ]
        with self.hold_trait_notifications():
            self.model = model
            self.cost_rate, self.contribution, self.initial_value = (
                cost_rate, contribution, initial_value
            )
            self.goal, self.todays_dollars = goal, todays_dollars
            self.policies = self._ticked()
        self._show_references()
        traitlets.link((self.model_dropdown, "value"), (self, "model"))
        traitlets.link((self.dollars_box, "value"), (self, "todays_dollars"))
        traitlets.link((self.reference_dropdown, "value"), (self, "reference"))
        self.observe(self._show_policies, names="policies")
        self.cost_box.observe(self._on_cost, names="value")
        self.contribution_box.observe(self._on_contribution, names="value")
        self.initial_box.observe(self._on_initial, names="value")
        self.goal_box.observe(self._on_goal, names="value")
        self.observe(self.refresh, names=[
            "target", "policies", "cost_rate", "contribution", "initial_value", "model",
            "goal", "todays_dollars", "reference",
        ])
        self.settings.observe(self.refresh, names=["years", "n_paths", "seed"])
        self.refresh()

    def _policy_box(self, policy: policies.Policy, ticked: bool) -> widgets.Checkbox:
        """Make a tick box for ``policy`` that recomputes the comparison when ticked."""
        box = widgets.Checkbox(value=ticked, description=policy.label, indent=False,
                               layout=widgets.Layout(width="auto"))
        box.observe(self._on_tick, names="value")
        return box

    @traitlets.validate("policies")
    def _valid_policies(self, proposal: dict[str, Any]) -> tuple[policies.Policy, ...]:
        chosen = tuple(dict.fromkeys(proposal["value"]))  # the same policy twice: once
        for policy in chosen:
            if not isinstance(policy, policies.Policy):
                raise traitlets.TraitError(
                    f"Each policy must be a rebalancing policy, like policies.Calendar("
                    f'"annual"); got {policy!r}.'
                )
        return chosen

    def _show_policies(self, change: dict[str, Any]) -> None:
        """Tick the boxes of the policies set, adding a box for a policy set from code."""
        self._syncing = True
        try:
            for policy in change["new"]:
                if policy not in self._choices:
                    self._choices.append(policy)
                    self.policy_boxes.append(self._policy_box(policy, True))
            self.policy_grid.children = tuple(self.policy_boxes)
            for policy, box in zip(self._choices, self.policy_boxes, strict=True):
                box.value = policy in change["new"]
        finally:
            self._syncing = False
        self._show_references()

    def _show_references(self) -> None:
        """Offer the ticked policies as references, keeping the one chosen if still there."""
        names = distinct_labels(self.policies)
        keep = self.reference if self.reference in names else (
            "Never rebalance" if "Never rebalance" in names else names[0])
        with self.hold_trait_notifications():
            self.reference_dropdown.options = names
            self.reference_dropdown.value = keep
            self.reference = keep

    def _ticked(self) -> tuple[policies.Policy, ...]:
        pairs = zip(self._choices, self.policy_boxes, strict=True)
        return tuple(policy for policy, box in pairs if box.value)

    @base.guarded
    def _on_tick(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        ticked = self._ticked()
        if not ticked:  # put the tick back: the table still shows that policy
            self._syncing = True
            try:
                change["owner"].value = True
            finally:
                self._syncing = False
            raise ValueError("Tick at least one policy to compare.")
        self.policies = ticked

    @base.guarded
    def _on_add_rule(self, button: widgets.Button | None = None) -> None:
        rule = self.rule_builder.policy()
        if rule not in self._choices and len(self._choices) >= MAX_POLICIES:
            raise ValueError(f"The comparison holds at most {MAX_POLICIES} policies: untick "
                             "some, or reload the page to start again.")
        self.policies = (*self.policies, rule)

    @base.guarded
    def _on_cost(self, change: dict[str, Any]) -> None:
        self.cost_rate = base.parse_percent(self.cost_box.value, name="Trading cost",
                                            maximum=10.0)

    @base.guarded
    def _on_contribution(self, change: dict[str, Any]) -> None:
        self.contribution = base.parse_amount(
            self.contribution_box.value, name="Added each month", maximum=1_000_000.0
        )

    @base.guarded
    def _on_initial(self, change: dict[str, Any]) -> None:
        self.initial_value = base.parse_amount(
            self.initial_box.value, name="Starting balance", maximum=base.MAX_AMOUNT
        )

    @base.guarded
    def _on_goal(self, change: dict[str, Any]) -> None:
        text = self.goal_box.value.strip()
        self.goal = None if not text else base.parse_amount(
            text, name="Goal at the end", maximum=base.MAX_AMOUNT)

    def _run(self, model: Any, returns: Any, periods: int) -> dict[str, pd.DataFrame]:
        """Per-future metrics of every ticked policy, running only the ones not yet run."""
        settings = self.settings
        inputs = (self.model, settings.seed, settings.n_paths, periods,
                  tuple(self.target.items()), self.initial_value, self.cost_rate,
                  self.contribution)
        if inputs != self._per_path_inputs:  # anything but the ticks changed: start afresh
            self._per_path, self._per_path_inputs = {}, inputs
        names = dict(zip(self.policies, distinct_labels(self.policies), strict=True))
        missing = {names[p]: p for p in self.policies if p not in self._per_path}
        with self.progress.running(len(missing), "Comparing"):
            if missing:  # ticking a policy runs only that policy
                tables = core.policy_per_path(
                    returns,
                    target_weights(self.target, tuple(model.assets)),
                    missing,
                    columns=PER_PATH_COLUMNS,
                    done=self.progress.advance,
                    initial_value=self.initial_value,
                    cost_rate=self.cost_rate,
                    periods_per_year=base.PERIODS_PER_YEAR,
                    cash_flows=self.contribution if self.contribution > 0 else None,
                    assets=tuple(model.assets),
                )
                for name, policy in missing.items():
                    self._per_path[policy] = tables[name]
        return {names[policy]: self._per_path[policy] for policy in self.policies}

    @base.guarded
    def refresh(self, change: dict[str, Any] | None = None) -> None:
        """Run every ticked policy on the same futures and show the tables and charts."""
        if not self.policies:
            raise ValueError("Tick at least one policy to compare.")
        if self.initial_value <= 0 and self.contribution <= 0:
            raise ValueError("Put some money in: a starting balance or a monthly amount.")
        settings = self.settings
        model = return_model(self.model)
        periods = settings.years * base.PERIODS_PER_YEAR
        returns = settings.draws(model, periods, self.progress)
        per_path = self._run(model, returns, periods)
        inflation = model_inflation(self.model)
        factor = self.dollars_box.factor(inflation, settings.years)
        dollars = self.dollars_box.words(inflation)
        summary = summary_of(per_path, factor=factor, goal=self.goal)
        metrics = metric_table(summary)
        chart = policy_dot_chart(metrics, formats={
            m.title: m.number_format for m in shown_metrics(summary)})
        words = sentence(summary, settings.years)
        if self.goal is not None:
            chance = summary["probability_reaching_goal"]
            words += (f" The chance of ending with at least {base.money(self.goal)} ranged "
                      f"from {base.percent(float(chance.min()))} to "
                      f"{base.percent(float(chance.max()))}.")
        reference = self.reference if self.reference in per_path else next(iter(per_path))
        rows = paired_rows(per_path, reference, factor)
        paired_words = paired_sentence(rows, reference, dollars)
        paired_chart = paired_difference_chart(
            rows, reference=reference, all_policies=metrics["policy"].astype(str).tolist(),
        ) if len(rows) else self.paired_panel.chart
        with self.table.hold_sync():
            self.table.value = table_html(summary, dollars)
        self.download.show(table_frame(summary))
        self.panel.update(chart, words)
        self.paired_panel.view.layout.display = None if len(rows) else "none"
        self.paired_panel.update(paired_chart, paired_words)

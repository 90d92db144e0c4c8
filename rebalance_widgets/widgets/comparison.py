"""RebalancingComparison: tick rebalancing policies and compare them on the same futures.

Every ticked policy runs on the SAME simulated futures, so the differences come from the
policy alone. A table and a dot plot show, per policy, the medians ``core.compare`` gives
(computed for the metrics shown only, with ``core.policy_medians``): annualised return,
volatility, worst drawdown, drift, number of rebalances, turnover and trading costs.

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
from rebalance_widgets.charts.comparison import policy_dot_chart
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.comparison_table import METRICS, Metric, table_frame, table_html
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.download import CsvDownload
from rebalance_widgets.widgets.parts.simulated import (
    POLICY_CHOICES,
    MixWidget,
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


_COLUMNS = tuple(metric.column for metric in METRICS)

COMPARED_POLICIES: tuple[policies.Policy, ...] = (*POLICY_CHOICES, policies.CashFlow())
"""Policies that can be ticked, in the order shown."""

DEFAULT_TICKED = (0, 2, 4, 5, 8)  # never, quarterly, annual, 5-point band, cash flows


def distinct_labels(chosen: tuple[policies.Policy, ...]) -> list[str]:
    """Return each policy's label, made distinct with " (2)", " (3)" ... where two clash.

    Parameters
    ----------
    chosen : tuple of Policy
        The policies compared.

    Returns
    -------
    list of str
        One name per policy, all different.

    Examples
    --------
    >>> distinct_labels((policies.Never(), policies.Never()))
    ['Never rebalance', 'Never rebalance (2)']
    """
    names: list[str] = []
    for policy in chosen:
        name, count = policy.label, 1
        while name in names:
            count += 1
            name = f"{policy.label} ({count})"
        names.append(name)
    return names


def metric_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Return the long (policy, metric, value) table the dot chart draws.

    Parameters
    ----------
    summary : pandas.DataFrame
        One row per policy (index = policy label) with the columns of :data:`METRICS`.

    Returns
    -------
    pandas.DataFrame
        Columns ``policy``, ``metric`` (the metric's title) and ``value``.

    Examples
    --------
    >>> summary = pd.DataFrame({m.column: [0.0] for m in METRICS}, index=["Never"])
    >>> metric_table(summary)["metric"].iloc[0]
    'Annualised return'
    """
    rows = [
        (str(policy), metric.title, float(summary.loc[policy, metric.column]))
        for metric in METRICS
        for policy in summary.index
    ]
    return pd.DataFrame(rows, columns=["policy", "metric", "value"])


def _sentence(summary: pd.DataFrame, years: int) -> str:
    returns = summary["cagr"]
    best, worst = returns.idxmax(), returns.idxmin()
    drift = summary["average_drift"]
    steady = drift.idxmin()
    costs = summary["costs_paid"]
    text = (
        f"Over {years} years, “{best}” had the highest median annualised return "
        f"({base.percent(float(returns[best]), 2)}) and “{worst}” the lowest "
        f"({base.percent(float(returns[worst]), 2)}); “{steady}” stayed closest to the target "
        f"(average drift {base.percent(float(drift[steady]), 1)})"
    )
    if len(summary) == 1:
        return (
            f"Over {years} years, “{best}” had a median annualised return of "
            f"{base.percent(float(returns[best]), 2)}, an average drift of "
            f"{base.percent(float(drift[best]), 1)} and paid {base.money(float(costs[best]))} "
            f"in trading costs."
        )
    dearest = costs.idxmax()
    paid = base.money(float(costs[dearest]))
    return f"{text}, and “{dearest}” paid the most in trading costs ({paid})."


class RebalancingComparison(MixWidget):
    """Compare rebalancing policies on the same simulated futures.

    Traits: ``target`` (the mix, asset -> share), ``policies`` (tuple of ticked policies),
    ``cost_rate`` (trading cost as a fraction of each trade), ``contribution`` (dollars
    added every month), ``initial_value`` (starting balance) and ``model`` (return-model
    preset); years, futures and seed live on ``settings``.

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
    cost_rate = traitlets.Float(0.001)
    contribution = traitlets.Float(500.0)
    initial_value = traitlets.Float(100_000.0)
    model = traitlets.Unicode("historical")

    def __init__(
        self,
        *,
        target: float | Mapping[str, float] = 0.6,
        cost_rate: float = 0.001,
        contribution: float = 500.0,
        initial_value: float = 100_000.0,
        model: str = "historical",
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
        self.model_dropdown, self.model_caption = model_picker(model)
        self.settings = base.SimulationSettings(
            self.message, years=years, n_paths=n_paths, seed=seed
        )
        self.table = widgets.HTML()
        self.download = CsvDownload("rebalancing-comparison.csv",
                                    "Download this table (CSV)")
        self._rows: dict[policies.Policy, pd.DataFrame] = {}
        self._rows_inputs: tuple = ()
        self.panel = base.ChartPanel()
        self.children = [
            widgets.HTML("<b>Policies to compare</b>"),
            self.policy_grid,
            widgets.HBox([self.target_slider, self.model_dropdown]),
            self.model_caption,
            widgets.HBox([self.initial_box, self.contribution_box, self.cost_box]),
            self.settings,
            self.message,
            self.progress,
            self.table,
            self.download,
            self.panel,
        ]
        with self.hold_trait_notifications():
            self.model = model
            self.cost_rate, self.contribution, self.initial_value = (
                cost_rate, contribution, initial_value
            )
            self.policies = self._ticked()
        traitlets.link((self.model_dropdown, "value"), (self, "model"))
        self.observe(self._show_policies, names="policies")
        self.cost_box.observe(self._on_cost, names="value")
        self.contribution_box.observe(self._on_contribution, names="value")
        self.initial_box.observe(self._on_initial, names="value")
        self.observe(self.refresh, names=[
            "target", "policies", "cost_rate", "contribution", "initial_value", "model",
        ])
        self.settings.observe(self.refresh, names=["years", "n_paths", "seed"])
        self.refresh()

    def _policy_box(self, policy: policies.Policy, ticked: bool) -> widgets.Checkbox:
        """Make a tick box for ``policy`` that recomputes the comparison when ticked."""
        box = widgets.Checkbox(value=ticked, description=policy.label, indent=False,
                               layout=widgets.Layout(width="15em"))
        box.observe(self._on_tick, names="value")
        return box

    @traitlets.validate("policies")
    def _valid_policies(self, proposal: dict[str, Any]) -> tuple[policies.Policy, ...]:
        chosen = tuple(proposal["value"])
        for policy in chosen:
            if not isinstance(policy, policies.Policy):
                raise traitlets.TraitError(
                    f"Each policy must be a rebalancing policy, like policies.Calendar("
                    f'"annual"); got {policy!r}.'
                )
        return tuple(dict.fromkeys(chosen))  # the same policy twice is compared once

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

    def _ticked(self) -> tuple[policies.Policy, ...]:
        pairs = zip(self._choices, self.policy_boxes, strict=True)
        return tuple(policy for policy, box in pairs if box.value)

    @base.guarded
    def _on_tick(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        ticked = self._ticked()
        if not ticked:
            raise ValueError("Tick at least one policy to compare.")
        self.policies = ticked

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
    def refresh(self, change: dict[str, Any] | None = None) -> None:
        """Run every ticked policy on the same futures and show the table and the chart."""
        if not self.policies:
            raise ValueError("Tick at least one policy to compare.")
        settings = self.settings
        model = return_model(self.model)
        periods = settings.years * base.PERIODS_PER_YEAR
        returns = settings.draws(model, periods, self.progress)
        if self.initial_value <= 0 and self.contribution <= 0:
            raise ValueError("Put some money in: a starting balance or a monthly amount.")
        inputs = (self.model, settings.seed, settings.n_paths, periods,
                  tuple(self.target.items()), self.initial_value, self.cost_rate,
                  self.contribution)
        if inputs != self._rows_inputs:  # anything but the ticks changed: start afresh
            self._rows, self._rows_inputs = {}, inputs
        names = dict(zip(self.policies, distinct_labels(self.policies), strict=True))
        missing = {names[policy]: policy for policy in self.policies if policy not in self._rows}
        with self.progress.running(len(missing), "Comparing"):
            if missing:  # ticking a policy runs only that policy
                rows = core.policy_medians(
                    returns,
                    target_weights(self.target, tuple(model.assets)),
                    missing,
                    columns=_COLUMNS,
                    done=self.progress.advance,
                    initial_value=self.initial_value,
                    cost_rate=self.cost_rate,
                    periods_per_year=base.PERIODS_PER_YEAR,
                    cash_flows=self.contribution if self.contribution > 0 else None,
                    assets=tuple(model.assets),
                )
                for name, policy in missing.items():
                    self._rows[policy] = rows.loc[[name]]
        summary = pd.concat([self._rows[policy] for policy in self.policies])
        summary.index = pd.Index([names[policy] for policy in self.policies], name="policy")
        chart = policy_dot_chart(
            metric_table(summary), formats={m.title: m.number_format for m in METRICS}
        )
        sentence = _sentence(summary, settings.years)
        table = table_html(summary)
        with self.table.hold_sync():
            self.table.value = table
        self.download.show(table_frame(summary))
        self.panel.update(chart, sentence)

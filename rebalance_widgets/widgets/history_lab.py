"""HistoryLab: a learner's own test of rebalancing rules on real market history.

Pick a mix of stocks, bonds and cash, a span of years, monthly or yearly data, the rules to
compare (checks every month, quarter or year crossed with bands of 0, 1, 5 and 10 points;
never; cash-flow rebalancing), a trading cost and money added each month. Four views update
in place, each with one sentence in words: a table (one row per rule), the growth of 1
dollar per rule over time (log scale), the stock share over time, and each rule's worst
falls from a peak. Under them, a published test (Vanguard's research on rebalancing,
60/40, 1926-2009) beside the same rules run here, and a button that sets the lab up like it.

Examples
--------
>>> from rebalance_widgets.widgets import HistoryLab   # doctest: +SKIP
>>> HistoryLab()                                        # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping
from typing import Any

import ipywidgets as widgets
import traitlets

from rebalance_widgets.charts.history_lab import falls_chart, rule_lines_chart
from rebalance_widgets.core.history_runs import HistoryRuns, data_years
from rebalance_widgets.core.published import VANGUARD_2010, published_comparison
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts import history_words as words
from rebalance_widgets.widgets.parts.lab_rules import (
    CASH_FLOWS,
    DEFAULT_RULES,
    LAB_RULES,
    PUBLISHED_RULES,
    lab_runs,
    usable_with,
)
from rebalance_widgets.widgets.parts.mixes import ASSETS, rescale, valid_mix
from rebalance_widgets.widgets.parts.rule_builder import RuleBuilder

__all__ = ["DEFAULT_RULES", "LAB_RULES", "PUBLISHED_RULES", "HistoryLab"]

_STEP = 0.05  # the mix sliders' step
MAX_KNOWN_RULES = 24
"""Most tick boxes of rules a learner can have (the lab's own plus those they add)."""

@functools.cache
def _published() -> tuple[str, Any]:
    """Return the published test beside ours as HTML and as a file (once per kernel)."""
    comparison = published_comparison(VANGUARD_2010)
    return words.published_html(comparison), words.published_frame(comparison)


class HistoryLab(base.TeachingWidget):
    """Compare rebalancing rules on real market history, with the span and mix you choose.

    Traits: ``target`` (mix, asset -> share over stocks, bonds and cash), ``frequency``
    ("monthly" or "yearly"), ``start_year`` and ``end_year`` (inclusive), ``rules`` (names
    from :data:`LAB_RULES`), ``cost_rate`` (share of each trade), ``contribution`` (dollars
    added each month), ``initial_value`` (dollars at the start), ``after_inflation`` (growth
    shown after the rise in consumer prices). ``runs`` holds the last
    :class:`~rebalance_widgets.core.history_runs.HistoryRuns` shown.

    Parameters
    ----------
    target : mapping, optional
        Starting mix; 60% stocks and 40% bonds by default.
    frequency : str, default "monthly"
    start_year, end_year : int, optional
        Default: the whole span of the data.
    rules : tuple of str, default DEFAULT_RULES
    cost_rate, contribution, initial_value : float
        Default 0, 0 and 10,000.

    Examples
    --------
    >>> lab = HistoryLab(start_year=2000, end_year=2009)      # doctest: +SKIP
    >>> lab.start_box.value = "1973"                           # doctest: +SKIP
    """

    target = traitlets.Dict()
    frequency = traitlets.Unicode("monthly")
    start_year = traitlets.Int(1926)
    end_year = traitlets.Int(2022)
    rules = traitlets.Tuple()
    cost_rate = traitlets.Float(0.0)
    contribution = traitlets.Float(0.0)
    initial_value = traitlets.Float(10_000.0)
    after_inflation = traitlets.Bool(False)

    def __init__(self, *, target: Mapping[str, float] | None = None,
                 frequency: str = "monthly", start_year: int | None = None,
                 end_year: int | None = None, rules: tuple[str, ...] = DEFAULT_RULES,
                 cost_rate: float = 0.0, contribution: float = 0.0,
                 initial_value: float = 10_000.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._batches = 0  # depth of nested batches of trait changes
        self.runs: HistoryRuns | None = None
        first, last = data_years(frequency)
        self.sliders = {asset: base.percent_slider(
            0.0, 1.0, _STEP, asset.capitalize(), f"Share of {asset} in the mix; the others "
            "make room in proportion", width="22em", label_width="4em") for asset in ASSETS}
        self.frequency_menu = widgets.Dropdown(
            options=[("Monthly, July 1926 to November 2022", "monthly"),
                     ("Yearly, 1928 to 2025", "yearly")],
            value=frequency, description="Data", style={"description_width": "initial"},
            tooltip="Monthly returns, or one return per calendar year",
            layout=widgets.Layout(width="auto", max_width="100%"))
        self.start_box = base.text_box("Start year", str(start_year or first),
                                       "First calendar year replayed", "10em")
        self.end_box = base.text_box("End year", str(end_year or last),
                                     "Last calendar year replayed (included)", "10em")
        self.rule_boxes = {name: widgets.Checkbox(
            value=name in rules, description=name, indent=False,
            layout=widgets.Layout(width="auto")) for name in LAB_RULES}
        self.known_rules: dict[str, policies.Policy] = dict(LAB_RULES)
        self.rule_grid = widgets.GridBox(list(self.rule_boxes.values()), layout=widgets.Layout(
            grid_template_columns="repeat(auto-fill, minmax(13em, 1fr))"))
        self.rule_builder = RuleBuilder(self.message)  # a learner's own band rule joins in
        self.cost_box = base.text_box("Trading cost (%)", f"{cost_rate * 100:g}",
                                      "Cost of each trade, as a percent of the dollars traded",
                                      "13em")
        self.balance_box = base.text_box("Starting balance ($)", f"{initial_value:,.0f}",
                                         "Dollars invested at the start", "16em")
        self.contribution_box = base.text_box(
            "Added each month ($)", f"{contribution:,.0f}",
            "Dollars added at the end of every month (0 for none); cash-flow rebalancing "
            "steers them to what is behind", "15em")
        self.inflation_box = widgets.Checkbox(
            value=False, description="After inflation (CPI-U)", indent=False,
            tooltip="Show growth after the rise in consumer prices, in dollars of the start",
            layout=widgets.Layout(width="auto"))
        self.published_button = widgets.Button(
            description="Set up the published test", layout=widgets.Layout(width="auto"),
            tooltip="60% stocks, 40% bonds, monthly data 1926-2009, the published rules")
        self.table = widgets.HTML()
        self.download = base.CsvDownload("history-lab.csv", "Download this table (CSV)")
        self.table_summary = base.LiveText()
        self.growth_panel = base.ChartPanel()
        self.share_panel = base.ChartPanel()
        self.falls_panel = base.ChartPanel()
        self.published_table = widgets.HTML()
        self.published_download = base.CsvDownload("published-test.csv",
                                                   "Download the published test (CSV)")
        wrap = widgets.Layout(flex_flow="row wrap", grid_gap="4px 16px")
        self.children = [
            widgets.HTML("<b>Your mix</b> (moving one share rescales the others)"),
            widgets.HBox(list(self.sliders.values()), layout=wrap),
            widgets.HBox([self.frequency_menu, self.start_box, self.end_box], layout=wrap),
            widgets.HTML("<b>Rules to compare</b>"), self.rule_grid, self.rule_builder,
            widgets.HBox([self.cost_box, self.balance_box, self.contribution_box,
                          self.inflation_box], layout=wrap),
            self.published_button, self.message, self.progress,
            widgets.HTML("<b>The rules side by side</b>"), self.table, self.download,
            self.table_summary,
            widgets.HTML("<b>What $1 grew to</b>"), self.growth_panel,
            widgets.HTML("<b>Share in stocks over time</b>"), self.share_panel,
            widgets.HTML("<b>Worst falls</b>"), self.falls_panel,
            widgets.HTML("<b>A published test beside ours</b>"), self.published_table,
            self.published_download,
        ]
        with self._batch():
            self.target = dict(target) if target is not None else {"stocks": 0.6,
                                                                   "bonds": 0.4}
            self.frequency, self.start_year = frequency, start_year or first
            self.end_year, self.rules = end_year or last, self._ticked()
            self.cost_rate, self.contribution = cost_rate, contribution
            self.initial_value = initial_value
        for asset, slider in self.sliders.items():
            slider.observe(functools.partial(self._on_slider, asset), names="value")
        self.frequency_menu.observe(self._on_frequency, names="value")
        for box in (self.start_box, self.end_box):
            box.observe(self._on_years, names="value")
        for box in self.rule_boxes.values():
            box.observe(self._on_tick, names="value")
        self.rule_builder.add_button.on_click(self._on_add_rule)
        self.cost_box.observe(self._on_cost, names="value")
        self.balance_box.observe(self._on_balance, names="value")
        self.contribution_box.observe(self._on_contribution, names="value")
        self.published_button.on_click(self.use_published)
        traitlets.link((self.inflation_box, "value"), (self, "after_inflation"))
        self.observe(self.refresh, names=["target", "frequency", "start_year", "end_year",
                                          "rules", "cost_rate", "contribution",
                                          "initial_value", "after_inflation"])
        self._show_frequency()
        self.refresh()
        self.published_table.value, published = _published()
        self.published_download.show(published)

    @contextlib.contextmanager
    def _batch(self) -> Iterator[None]:
        """Set several traits with one redraw at the end (the caller refreshes); nests."""
        self._batches += 1
        try:
            yield
        finally:
            self._batches -= 1

    @property
    def _quiet(self) -> bool:
        return self._batches > 0

    @traitlets.validate("target")
    def _valid_target(self, proposal: dict[str, Any]) -> dict[str, float]:
        return valid_mix(proposal, ASSETS)

    @traitlets.validate("rules")
    def _valid_rules(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        chosen = tuple(dict.fromkeys(proposal["value"]))
        known = getattr(self, "known_rules", LAB_RULES)
        unknown = [str(name) for name in chosen if name not in known]
        if unknown or not chosen:
            raise traitlets.TraitError(
                f"Choose rules from: {', '.join(known)}; got {', '.join(unknown) or 'none'}.")
        return chosen

    @traitlets.validate("frequency")
    def _valid_frequency(self, proposal: dict[str, Any]) -> str:
        try:
            data_years(proposal["value"])  # a sentence for anything but monthly or yearly
        except ValueError as error:
            raise traitlets.TraitError(str(error)) from None
        return str(proposal["value"])

    @traitlets.observe("rules")
    def _show_rules(self, change: dict[str, Any]) -> None:
        with self._batch():
            for name, box in getattr(self, "rule_boxes", {}).items():
                box.value = name in change["new"]

    @traitlets.observe("target")
    def _show_target(self, change: dict[str, Any]) -> None:
        with self._batch():
            for asset, slider in getattr(self, "sliders", {}).items():
                slider.value = change["new"][asset]

    def _on_slider(self, asset: str, change: dict[str, Any]) -> None:
        if self._quiet or abs(change["new"] - self.target[asset]) < 1e-9:
            return
        mix = rescale(self.target, asset, change["new"], step=_STEP)
        self.target = {name: round(share, 12) for name, share in mix.items()}

    @base.guarded
    def _on_add_rule(self, button: Any = None) -> None:
        rule = self.rule_builder.policy()
        name = rule.label
        if name not in self.known_rules:
            if len(self.known_rules) >= MAX_KNOWN_RULES:
                raise ValueError(f"The lab holds at most {MAX_KNOWN_RULES} rules: reload the "
                                 "page to start again.")
            self.known_rules[name] = rule
            box = widgets.Checkbox(value=False, description=name, indent=False,
                                   layout=widgets.Layout(width="auto"))
            box.observe(self._on_tick, names="value")
            self.rule_boxes[name] = box
            self.rule_grid.children = tuple(self.rule_boxes.values())
            self._show_frequency()
        if self.rule_boxes[name].disabled:
            raise ValueError("Yearly data can only be checked once a year: pick “Once a "
                             "year” for this rule, or switch to monthly data.")
        self.rule_boxes[name].value = True

    def _ticked(self) -> tuple[str, ...]:
        return tuple(name for name, box in self.rule_boxes.items() if box.value)

    def _usable(self, rules: tuple[str, ...]) -> tuple[str, ...]:
        if self.frequency != "yearly":
            return rules
        usable = usable_with("yearly", self.known_rules)
        return tuple(name for name in rules if name in usable)

    def _show_frequency(self) -> None:
        for name, box in self.rule_boxes.items():
            box.disabled = name not in usable_with(self.frequency, self.known_rules)

    @base.guarded
    def _on_frequency(self, change: dict[str, Any]) -> None:
        first, last = data_years(change["new"])
        least = 1 if change["new"] == "yearly" else 0  # years after the start, at least
        start = min(max(self.start_year, first), last - least)
        end = min(max(self.end_year, start + least), last)
        if (start, end) != (self.start_year, self.end_year):
            self.message.note(f"The {change['new']} data run from {first} to {last}: the "
                              f"span is now {start} to {end}.")
        with self._batch():
            self.frequency, self.start_year, self.end_year = change["new"], start, end
            self.start_box.value, self.end_box.value = str(start), str(end)
        self._show_frequency()
        self.refresh()  # nothing happens inside an outer batch: its owner refreshes

    @base.guarded
    def _on_years(self, change: dict[str, Any]) -> None:
        if self._quiet:  # the boxes are being set to match the traits
            return
        first, last = data_years(self.frequency)
        start = base.parse_year(self.start_box.value, name="Start year", first=first,
                                last=last)
        end = base.parse_year(self.end_box.value, name="End year", first=first, last=last)
        if end < start:
            raise ValueError(f"The end year ({end}) comes before the start year ({start}): "
                             "type a later end or an earlier start.")
        if end == start and self.frequency == "yearly":
            raise ValueError(f"With yearly data, pick two years or more (from {start} to "
                             f"{start + 1} at least), or switch to monthly data for {start} "
                             "alone.")
        with self._batch():
            self.start_year, self.end_year = start, end
        self.refresh()

    @base.guarded
    def _on_tick(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        ticked = self._ticked()
        if not ticked:
            raise ValueError("Tick at least one rule to compare.")
        self.rules = ticked

    @base.guarded
    def _on_cost(self, change: dict[str, Any]) -> None:
        self.cost_rate = base.parse_percent(self.cost_box.value, name="Trading cost",
                                            maximum=10.0)

    @base.guarded
    def _on_balance(self, change: dict[str, Any]) -> None:
        self.initial_value = base.parse_amount(self.balance_box.value,
                                               name="Starting balance", minimum=1.0)

    @base.guarded
    def _on_contribution(self, change: dict[str, Any]) -> None:
        self.contribution = base.parse_amount(self.contribution_box.value,
                                              name="Added each month", maximum=1_000_000.0)

    @base.guarded
    def use_published(self, button: widgets.Button | None = None) -> None:
        """Set the lab up like the published test.

        60/40, monthly data 1926-2009, its eleven rules, no trading cost, no money added.
        """
        with self._batch():
            self.frequency_menu.value = "monthly"
            self.frequency, self.start_year, self.end_year = "monthly", 1926, 2009
            self.start_box.value, self.end_box.value = "1926", "2009"
            self.target = {"stocks": 0.6, "bonds": 0.4, "cash": 0.0}
            for name, box in self.rule_boxes.items():
                box.value = name in PUBLISHED_RULES
            self.rules = self._ticked()
            self.cost_rate = self.contribution = 0.0
            self.cost_box.value, self.contribution_box.value = "0", "0"
        self._show_frequency()
        self.refresh()

    @base.guarded
    def refresh(self, change: dict[str, Any] | None = None) -> None:
        """Run the ticked rules through the span and redraw the table and the charts."""
        if self._quiet:
            return
        rules = self._usable(self.rules)
        if not rules:
            raise ValueError("Yearly data can only be checked once a year: tick an annual "
                             "rule, never, or cash flows.")
        if len(rules) < len(self.rules):
            self.message.note("Yearly data can only be checked once a year, so the monthly "
                              "and quarterly rules are left out.")
        if CASH_FLOWS in rules and self.contribution == 0:
            self.message.note("With no money added, cash-flow rebalancing never trades: it "
                              "matches never rebalancing. Add money each month to see it "
                              "steer.")
        mix = tuple(float(self.target[asset]) for asset in ASSETS)
        runs = lab_runs(mix, tuple((name, self.known_rules[name]) for name in rules),
                        self.start_year, self.end_year, self.frequency,
                     self.cost_rate, self.contribution, self.initial_value)
        real = self.after_inflation
        growth = rule_lines_chart(runs.real_growth if real else runs.growth, "growth")
        share = rule_lines_chart(runs.stock_share, "share", target=mix[0])
        falls = falls_chart(runs.falls, list(runs.growth.columns))
        with self.table.hold_sync():
            self.table.value = words.rules_table_html(runs, self.contribution > 0, real)
        self.download.show(words.rules_table_frame(runs, self.contribution > 0, real))
        self.table_summary.value = words.table_sentence(runs, real)
        self.growth_panel.update(growth, words.growth_sentence(runs, real))
        self.share_panel.update(share, words.share_sentence(runs, mix[0]))
        self.falls_panel.update(falls, words.falls_sentence(runs))
        self.runs = runs

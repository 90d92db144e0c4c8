"""AutopilotComparison: rebalancing by hand, by an automatic service, or in a target-date fund.

Three savers put in the same money on the same simulated futures, from the age now to
retirement (:mod:`rebalance_widgets.core.simulation.autopilot`):

- **by hand, once a year**: back to the chosen mix every year, paying only the funds' fee;
- **automatic**: new money goes to what is behind, and a trade happens when a weight drifts
  past the band; the funds' fee plus the service's fee;
- **a target-date fund**: 90% stocks until 25 years before retirement, then sliding down to
  50% at retirement, kept every month inside the fund, for the fund's fee.

Two charts (balance by age, stock share by age) and their sentences say what each ended
with, what its fees took, and in how many futures each beat the saver who does it by hand.

Examples
--------
>>> from rebalance_widgets.widgets.autopilot import AutopilotComparison   # doctest: +SKIP
>>> AutopilotComparison(n_paths=200)                                       # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from rebalance_widgets.charts.fan import fan_chart
from rebalance_widgets.core.simulation import autopilot
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.dollars import deflator
from rebalance_widgets.widgets.parts.formatting import share
from rebalance_widgets.widgets.parts.planning import RetirementPlanWidget

__all__ = ["AutopilotComparison"]

BY_HAND = "By hand, once a year"
PERCENTILES = (10, 50, 90)
_FEES = (
    ("fund_fee", "Index funds' fee (%/yr)", "Yearly fee of the funds a saver picks by hand"),
    ("service_fee", "Service fee on top (%/yr)",
     "Yearly fee of an automatic service, on top of its funds' fee"),
    ("fund_date_fee", "Target-date fund's fee (%/yr)", "Yearly fee of the target-date fund"),
)


class AutopilotComparison(RetirementPlanWidget):
    """Compare rebalancing by hand, an automatic service and a target-date fund.

    Traits: ``age``, ``retirement_age``, ``balance`` and ``monthly`` (dollars), ``stocks``
    (the mix kept by hand and by the service; the rest in bonds), ``band`` (the service's
    band, weight points), the yearly fees ``fund_fee``, ``service_fee`` (on top of
    ``fund_fee``) and ``fund_date_fee`` (fractions), and ``todays_dollars``; ``settings``
    holds paths and seed. ``runs`` is the last
    :class:`~rebalance_widgets.core.simulation.autopilot.SaverRuns`.

    Parameters
    ----------
    n_paths : int, default 1,000
        Simulated futures (at most 5,000).
    seed : int, default 2024
        Random seed.

    Examples
    --------
    >>> comparison = AutopilotComparison(n_paths=50)
    >>> "Target-date fund" in comparison.balance_panel.sentence
    True
    """

    monthly = traitlets.Float(500.0)
    stocks = traitlets.Float(0.7)
    band = traitlets.Float(0.05)
    fund_fee = traitlets.Float(0.0005)
    service_fee = traitlets.Float(0.0025)
    fund_date_fee = traitlets.Float(0.0012)

    def __init__(self, *, n_paths: int = base.DEFAULT_PATHS, seed: int = base.DEFAULT_SEED,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runs: autopilot.SaverRuns | None = None
        self._reuse: dict[tuple, tuple] = {}  # a moved control re-runs only the savers it shapes
        self._add_plan_controls(n_paths=n_paths, seed=seed, age_max=70, retire_min=40,
                                balance_tooltip="Dollars in the 401(k) now")
        self.monthly_box = base.text_box(
            "Added each month ($)", "500", "Dollars added every month until retirement")
        self.stock_slider = base.percent_slider(
            self.stocks, 1.0, 0.05, "Mix kept: stocks",
            "Stocks in the mix kept by hand and by the automatic service (the rest is bonds)")
        self.band_box = base.text_box(
            "Service's band (points)", "5",
            "How far a weight may drift, in percentage points, before the service trades",
            "15em")
        self.fee_boxes = {
            name: base.text_box(label, f"{getattr(self, name) * 100:g}", tip, "21em")
            for name, label, tip in _FEES
        }
        self.balance_panel = base.ChartPanel()
        self.share_panel = base.ChartPanel()
        self.children = [
            widgets.HBox([self.age_slider, self.retire_slider]),
            widgets.HBox([self.balance_box, self.monthly_box]),
            widgets.HBox([self.stock_slider, self.band_box]),
            widgets.HBox(list(self.fee_boxes.values()),
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.market, self.settings]),
            widgets.HBox([self.dollars_box, self.goal_box]),
            self.message,
            self.progress,
            self.balance_panel,
            self.share_panel,
        ]
        self.monthly_box.observe(self._on_monthly, names="value")
        self.band_box.observe(self._on_band, names="value")
        self.stock_slider.observe(self._on_stocks, names="value")
        for box in self.fee_boxes.values():
            box.observe(self._on_fee, names="value")
        self.observe(self._refresh, names=[
            "age", "retirement_age", "balance", "monthly", "stocks", "band", "fund_fee",
            "service_fee", "fund_date_fee", "todays_dollars", "goal",
        ])
        self.market.observe(self._refresh, names="value")
        self.settings.observe(self._refresh, names=["n_paths", "seed"])
        self._refresh()

    @base.guarded
    def _on_monthly(self, change: dict[str, Any]) -> None:
        self.monthly = base.parse_amount(self.monthly_box.value, name="Added each month",
                                         maximum=1_000_000)

    @base.guarded
    def _on_band(self, change: dict[str, Any]) -> None:
        self.band = base.parse_percent(self.band_box.value, name="Service's band",
                                       minimum=0.5, maximum=50)

    @base.guarded
    def _on_stocks(self, change: dict[str, Any]) -> None:
        self.stocks = float(change["new"])

    @base.guarded
    def _on_fee(self, change: dict[str, Any]) -> None:
        for name, label, _ in _FEES:
            if self.fee_boxes[name] is change["owner"]:
                value = base.parse_percent(change["new"], name=label.split(" (")[0],
                                           maximum=autopilot.MAX_FEE * 100)
                setattr(self, name, value)

    def _savers(self) -> list[autopilot.Saver]:
        mix = (self.stocks, 1.0 - self.stocks, 0.0)
        glide = autopilot.fund_glide_path(self.age, self.retirement_age)
        return [
            autopilot.by_hand(mix, self.fund_fee),
            autopilot.automatic(mix, self.fund_fee + self.service_fee, band=self.band),
            autopilot.target_date_fund(glide, self.fund_date_fee),
        ]

    @base.guarded
    def _refresh(self, change: dict[str, Any] | None = None) -> None:
        """Run the three savers on the same futures and redraw both charts."""
        if self.balance <= 0 and self.monthly <= 0:
            raise ValueError("Put some money in: a balance today or a monthly amount.")
        market, draws = self._market_draws()
        savers = self._savers()
        steps = np.arange(draws.shape[1] + 1) / base.PERIODS_PER_YEAR
        today = deflator(self._inflation(), steps) if self.todays_dollars else None
        with base.long_job(self.progress, draws.shape[0], draws.shape[1] * len(savers)):
            runs = autopilot.run_savers(
                draws, savers, assets=tuple(market.assets), initial_value=self.balance,
                cash_flows=self.monthly if self.monthly > 0 else None,
                periods_per_year=base.PERIODS_PER_YEAR, percentiles=PERCENTILES,
                deflators=today, reuse=self._reuse)
        balances = self._by_age(runs.balances)
        shares = self._by_age(runs.stock_shares)
        balance_chart = fan_chart(
            balances, x="age", x_title="Age", y_title="Balance", series="saver",
            outer=(10, 90), inner=None,
            title="Balance by age, three ways of keeping the mix",
            subtitle="Solid line: the middle future. Band and dashed lines: 8 futures in 10.")
        share_chart = fan_chart(
            shares, x="age", x_title="Age", y_title="Stock share", series="saver",
            outer=(10, 90), inner=None, value_format=".0%",
            title="How much is in stocks", subtitle="Solid line: the middle future.")
        self.runs = runs
        self.balance_panel.update(balance_chart, self._balance_sentence(runs, balances))
        self.share_panel.update(share_chart, self._share_sentence(shares))

    def _by_age(self, table: pd.DataFrame) -> pd.DataFrame:
        return table.assign(age=self.age + table["year"].round().astype(int))

    def _balance_sentence(self, runs: autopilot.SaverRuns, balances: pd.DataFrame) -> str:
        last = balances[balances["age"] == balances["age"].max()]
        middle = last[last["percentile"] == 50].set_index("saver")["value"]
        fees = {name: float(np.median(paid)) for name, paid in runs.fees_paid.items()}
        ends = "; ".join(
            f"“{name}” {base.money(float(value))} (fees {base.money(fees[name])})"
            for name, value in middle.items())
        paired = runs.paired(BY_HAND)
        beats = " and ".join(
            f"“{name}” ended ahead in {share(float(row['share_ahead']))}"
            for name, row in paired.iterrows())
        reached = self._goal_words({f"for “{name}”": end for name, end in runs.endings.items()},
                                   shown=True)  # the runs are already in the dollars shown
        return (f"At {self.retirement_age}, the middle future ends with: {ends}, "
                f"{self._dollar_words()}. Against the saver who rebalances by hand, on the "
                f"same futures, {beats} of them.{reached}")

    def _share_sentence(self, shares: pd.DataFrame) -> str:
        middle = shares[shares["percentile"] == 50]
        start, end = middle["age"].min(), middle["age"].max()
        at = middle.set_index(["saver", "age"])["value"]
        fund = "Target-date fund"
        return (
            f"By hand and automatic both stay near {base.percent(self.stocks)} stocks; "
            f"the target-date fund holds {base.percent(float(at[(fund, start)]))} at {start} "
            f"and {base.percent(float(at[(fund, end)]))} at {end}: it takes less risk as "
            "retirement comes near."
        )

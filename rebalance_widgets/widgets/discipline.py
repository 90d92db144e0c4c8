"""StickingToPlan: what keeping the plan through a crash was worth.

Pick a real crash (or simulated futures), a mix, the fall that makes a person act and how
long they wait before buying back. Three behaviours run on the same months
(:mod:`rebalance_widgets.core.simulation.behaviours`): keep rebalancing, stop rebalancing
after the fall, sell every stock after the fall and buy back later. Two charts, each with
its sentence: the account's value, and its share in stocks; a sentence above them says
what sticking to the plan was worth in dollars and percent.

Examples
--------
>>> from rebalance_widgets import StickingToPlan   # doctest: +SKIP
>>> StickingToPlan(crash="2008-09")                # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from rebalance_widgets.charts.discipline import behaviour_share_chart, behaviour_wealth_chart
from rebalance_widgets.core.discipline import (
    available_episodes,
    compare_behaviours,
    episode_returns,
    find_episode,
)
from rebalance_widgets.core.markets.history import load_history
from rebalance_widgets.core.simulation.behaviours import (
    KeepRebalancing,
    SellAfterFall,
    StopRebalancing,
)
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.dollars import TodaysDollars, deflator
from rebalance_widgets.widgets.parts.plan_words import (
    EVERY_CHOICES,
    episode_sentences,
    futures_sentences,
)
from rebalance_widgets.widgets.parts.simulated import (
    MixWidget,
    model_inflation,
    model_picker,
    return_model,
    target_weights,
)

__all__ = ["SIMULATED", "StickingToPlan"]

#: Value of the crash picker for simulated futures.
SIMULATED = "simulated"
FALL_RANGE = (0.05, 0.60)  # the fall slider's ends
MAX_WAIT = 36  # months
_STYLE = {"description_width": "initial"}


class StickingToPlan(MixWidget):
    """Keep rebalancing, stop, or sell after a fall: on real crashes and simulated futures.

    Traits: ``target`` (the mix), ``crash`` (an episode key such as ``"2008-09"``, or
    ``"simulated"``), ``fall`` (0.2 = act after a 20% fall of the stock market from its
    peak), ``wait`` (months without a new low before buying back), ``every`` (the plan's
    rebalancing calendar), ``balance`` (starting dollars), ``model`` (the simulated
    futures' return model); years, futures and seed live on ``settings``.

    Parameters
    ----------
    target : float or mapping, default 0.6
        The mix, or its stock share with the rest in bonds.
    crash : str, default "2008-09"
        A crash from :func:`rebalance_widgets.core.discipline.available_episodes`, or
        ``"simulated"``.
    fall : float, default 0.2
        The fall that makes a person stop or sell (5% to 60%).
    wait : int, default 6
        Months after the market's low before the seller buys back (0 to 36).
    every : str, default "quarterly"
        "monthly", "quarterly", "semiannual" or "annual".
    balance : float, default 10,000
        Starting balance in dollars.
    model : str, default "historical"
        Return model of the simulated futures.
    years, n_paths, seed : int
        Simulated futures (capped at 60 years and 5,000 futures).

    Examples
    --------
    >>> lesson = StickingToPlan(crash="2008-09")   # doctest: +SKIP
    >>> lesson.fall_slider.value = 0.4             # doctest: +SKIP
    """

    crash = traitlets.Unicode("2008-09")
    fall = traitlets.Float(0.20)
    wait = traitlets.Int(6)
    every = traitlets.Unicode("quarterly")
    balance = traitlets.Float(10_000.0)
    model = traitlets.Unicode("historical")

    def __init__(
        self,
        *,
        target: float | Mapping[str, float] = 0.6,
        crash: str = "2008-09",
        fall: float = 0.20,
        wait: int = 6,
        every: str = "quarterly",
        balance: float = 10_000.0,
        model: str = "historical",
        years: int = 20,
        n_paths: int = base.DEFAULT_PATHS,
        seed: int = base.DEFAULT_SEED,
        **kwargs: Any,
    ) -> None:
        super().__init__(target=target, **kwargs)
        choices = [(episode.name, episode.key) for episode in available_episodes()]
        choices.append(("Simulated futures", SIMULATED))
        if crash not in [value for _, value in choices]:
            raise ValueError(f"Choose a crash from {', '.join(v for _, v in choices)}; "
                             f"got {crash!r}.")
        self.crash_dropdown = widgets.Dropdown(
            options=choices, value=crash, description="Crash",
            tooltip="A real stock market crash to replay, or many simulated futures",
            style=_STYLE,
        )
        self.fall_slider = widgets.FloatSlider(
            value=min(max(fall, FALL_RANGE[0]), FALL_RANGE[1]), min=FALL_RANGE[0],
            max=FALL_RANGE[1], step=0.05, readout_format=".0%", description="Act after a fall of",
            tooltip="How far the stock market falls from its peak before a person stops or sells",
            continuous_update=False, style=_STYLE, layout=widgets.Layout(width="27em"),
        )
        self.wait_slider = widgets.IntSlider(
            value=min(max(wait, 0), MAX_WAIT), min=0, max=MAX_WAIT,
            description="Months to wait after the low",
            tooltip="The seller buys back once the market has gone this many months "
                    "without a new low",
            continuous_update=False, style=_STYLE, layout=widgets.Layout(width="30em"),
        )
        self.every_dropdown = widgets.Dropdown(
            options=EVERY_CHOICES, value=every, description="The plan rebalances",
            tooltip="How often the plan trades back to the target mix", style=_STYLE,
        )
        self.balance_box = base.text_box("Starting balance ($)", f"{balance:,.0f}",
                                         "Dollars in the account at the start", "15em")
        self.model_dropdown, self.model_caption = model_picker(model)
        self.settings = base.SimulationSettings(self.message, years=years, n_paths=n_paths,
                                                seed=seed)
        self.futures_box = widgets.VBox(
            [widgets.HBox([self.model_dropdown, self.model_caption]), self.settings])
        self.worth_text = base.LiveText()
        self.worth_text.add_class("rebalance-worth")
        self.wealth_panel = base.ChartPanel()
        self.share_panel = base.ChartPanel()
        self.dollars_box = TodaysDollars()
        self.dollars_box.observe(lambda change: self.refresh(), names="value")
        self.children = [
            widgets.HBox([self.crash_dropdown, self.target_slider]),
            widgets.HBox([self.fall_slider, self.wait_slider]),
            widgets.HBox([self.every_dropdown, self.balance_box, self.dollars_box]),
            self.futures_box,
            self.message,
            self.progress,
            widgets.HTML("<b>What sticking to the plan was worth</b>"),
            self.worth_text,
            widgets.HTML("<b>Value of the account</b>"),
            self.wealth_panel,
            widgets.HTML("<b>Share in stocks</b>"),
            self.share_panel,
        ]
        with self.hold_trait_notifications():
            self.crash, self.every, self.model = crash, every, model
            self.fall, self.wait = self.fall_slider.value, self.wait_slider.value
            self.balance = balance
        for control, name in ((self.crash_dropdown, "crash"), (self.fall_slider, "fall"),
                              (self.wait_slider, "wait"), (self.every_dropdown, "every"),
                              (self.model_dropdown, "model")):
            traitlets.link((control, "value"), (self, name))
        self.balance_box.observe(self._on_balance, names="value")
        self.observe(self._on_change, names=["target", "crash", "fall", "wait", "every",
                                             "balance", "model"])
        self.settings.observe(self._on_settings, names=["years", "n_paths", "seed"])
        self.refresh()

    @traitlets.validate("fall")
    def _valid_fall(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        low, high = FALL_RANGE
        if not np.isfinite(value):
            raise traitlets.TraitError(f"The fall must be a number from {base.percent(low)} "
                                       f"to {base.percent(high)}.")
        kept = round(min(max(value, low), high), 12)
        if not low - 1e-9 <= value <= high + 1e-9:  # not a slider's rounding: say so
            self.message.note(f"The fall is kept from {base.percent(low)} to "
                              f"{base.percent(high)}, so {base.percent(kept)} is used.")
        return kept

    @traitlets.validate("wait")
    def _valid_wait(self, proposal: dict[str, Any]) -> int:
        value = int(proposal["value"])
        kept = min(max(value, 0), MAX_WAIT)
        if kept != value:
            self.message.note(f"The wait is kept from 0 to {MAX_WAIT} months, so {kept} is "
                              f"used.")
        return kept

    @traitlets.validate("balance")
    def _valid_balance(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if not (np.isfinite(value) and 1 <= value <= base.MAX_AMOUNT):
            raise traitlets.TraitError(
                f"The starting balance must be from $1 to {base.money(base.MAX_AMOUNT)}.")
        return value

    @base.guarded
    def _on_balance(self, change: dict[str, Any]) -> None:
        self.balance = base.parse_amount(self.balance_box.value, name="Starting balance",
                                         minimum=1)

    def _on_change(self, change: dict[str, Any]) -> None:
        if change["name"] == "balance":
            self.balance_box.value = f"{self.balance:,.0f}"
        self.refresh()

    def _on_settings(self, change: dict[str, Any]) -> None:
        if self.crash == SIMULATED:
            self.refresh()

    def _in_dollars_shown(self, runs: Any, times: Any, simulated: bool) -> tuple[Any, str]:
        """Restate the runs in today's dollars if asked; say which dollars are shown."""
        if not self.dollars_box.value:
            return runs, "of each day (not adjusted for rising prices)"
        if simulated:
            rate = model_inflation(self.model)
            return (runs.scaled(deflator(rate, np.asarray(times))),
                    f"at today's prices (prices rising {base.percent(rate, 1)} a year)")
        start = pd.Timestamp(times[0])
        return (runs.scaled(1.0 / _prices_since(times)),
                f"at the prices of {start:%B %Y} (US consumer prices, BLS CPI-U)")

    def _behaviours(self) -> tuple[Any, ...]:
        return (KeepRebalancing(), StopRebalancing(self.fall),
                SellAfterFall(self.fall, self.wait))

    @base.guarded
    def refresh(self) -> None:
        """Run the three behaviours on the chosen crash or futures, then redraw."""
        simulated = self.crash == SIMULATED
        self.futures_box.layout.display = None if simulated else "none"
        # a replay is restated at the prices of its first month, futures at today's prices
        self.dollars_box.description = ("Show today's dollars" if simulated
                                        else "Adjust for rising prices")
        if simulated:
            model = return_model(self.model)
            months = self.settings.years * base.PERIODS_PER_YEAR
            returns = self.settings.draws(model, months, self.progress)
            assets = tuple(model.assets)
            times: Any = np.arange(months + 1) / base.PERIODS_PER_YEAR
        else:
            episode = find_episode(self.crash)
            table = episode_returns(episode)
            returns, assets = table.to_numpy(), tuple(table.columns)
            times = pd.date_range(table.index[0], periods=len(table) + 1, freq="MS")
        weights = target_weights(self.target, assets)
        with base.long_job(self.progress, returns.shape[0] if simulated else 1,
                           returns.shape[-2]):
            runs = compare_behaviours(returns, weights, self._behaviours(), every=self.every,
                                      initial_value=self.balance, stock_asset=0,
                                      safe_asset=1)
        runs, dollars = self._in_dollars_shown(runs, times, simulated)
        medians = runs.medians()
        medians["time"] = np.asarray(times)[medians["step"].to_numpy()]
        kind = "year" if simulated else "date"
        events = None if simulated else _seller_moves(runs.run(SellAfterFall().label), times)
        wealth = behaviour_wealth_chart(medians.assign(value=medians["wealth"]), time=kind,
                                        events=events)
        # Futures: the average share, which shows the futures out of stocks; the median
        # future would hide them.
        shares = medians["mean_stock_share" if simulated else "stock_share"]
        share = behaviour_share_chart(medians.assign(value=shares), self.stock_share,
                                      time=kind)
        if simulated:
            words = futures_sentences(runs, self.stock_share, self.fall, self.wait,
                                      self.settings.years)
        else:
            words = episode_sentences(runs, times, self.stock_share, self.fall, self.wait)
        with self.hold_sync():
            self.wealth_panel.update(wealth, f"{words.wealth} Dollars {dollars}.")
            self.share_panel.update(share, words.share)
            self.worth_text.value = words.worth


def _prices_since(times: pd.DatetimeIndex) -> np.ndarray:
    """Rise in consumer prices from the start of a replay to the end of each month (CPI-U)."""
    months = load_history(times[0], times[-2], columns=["inflation"])["inflation"]
    return np.r_[1.0, np.cumprod(1.0 + months.to_numpy())]


def _seller_moves(run: Any, times: pd.DatetimeIndex) -> pd.DataFrame:
    """When the seller sold ("Sold") and bought back ("Back in") on a replay, for the chart."""
    moves = [(step, "Sold") for step in np.flatnonzero(run.sold[0])]
    moves += [(step, "Back in") for step in np.flatnonzero(run.bought_back[0])]
    return pd.DataFrame({"time": [times[step] for step, _ in moves],
                         "label": [label for _, label in moves]})

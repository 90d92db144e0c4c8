"""Choosing a mix: sliders that always add up to 100%, and what a mix means in dollars.

- :class:`AllocationSliders`: one slider per asset class; moving one rescales the unlocked
  others in proportion so the mix always adds up to 100%; presets; the mix is the ``value``
  trait (asset -> share).
- :class:`AllocationChart`: a ``target`` and a ``current`` mix with the tolerance band, and
  the expected value and range of one-year outcomes in dollars for an amount the person
  types (from :mod:`rebalance_widgets.core.markets` assumptions).

Link them: ``ipywidgets.dlink((sliders, "value"), (chart, "target"))``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from rebalance_widgets.charts import allocation as charts
from rebalance_widgets.core import markets
from rebalance_widgets.core.planning.questionnaire import load_presets
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.class_settings import class_settings
from rebalance_widgets.widgets.parts.mixes import (
    ASSETS,
    check_mix,
    describe_mix,
    rescale,
    valid_mix,
)

__all__ = ["ASSETS", "AllocationChart", "AllocationSliders", "check_mix", "describe_mix", "rescale"]

CUSTOM = "Custom"
_TOLERANCE = 1e-9


def _mix_frame(mix: Mapping[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"asset": list(mix), "weight": [float(v) for v in mix.values()]})


class AllocationSliders(base.TeachingWidget):
    """Sliders for a mix that always adds up to 100%, with locks and presets.

    Moving a slider rescales the unlocked others in proportion; a locked asset keeps its
    share; if every other asset is locked the slider cannot move. Choosing a preset sets
    the whole mix and clears the locks. The mix is the ``value`` trait (asset -> share,
    adding up to 1 within 1e-9); setting ``value`` from code or a link moves the sliders.

    Parameters
    ----------
    value : dict, optional
        Starting mix; default the "moderate" preset.
    assets : tuple of str, default ("stocks", "bonds", "cash")
        Asset classes, one slider each.

    Examples
    --------
    >>> sliders = AllocationSliders()
    >>> sliders.sliders["stocks"].value = 0.8
    >>> round(sum(sliders.value.values()), 9)
    1.0
    """

    value = traitlets.Dict()

    def __init__(self, value: Mapping[str, float] | None = None, assets: tuple[str, ...] = ASSETS):
        self.assets = tuple(assets)
        self.presets = {
            name: mix
            for name, mix in {**load_presets(), **class_settings().mixes}.items()
            if all(asset in self.assets or share == 0 for asset, share in mix.items())
        }
        start = value if value is not None else self.presets.get("moderate", self._equal())
        super().__init__()
        self._syncing = False
        self.sliders: dict[str, widgets.FloatSlider] = {}
        self.locks: dict[str, widgets.Checkbox] = {}
        rows = []
        for asset in self.assets:
            slider = base.percent_slider(
                0.0,
                1.0,
                0.01,
                asset.capitalize(),
                f"Share of {asset} in the mix",
                width="26em",
                label_width="6em",
            )
            lock = widgets.Checkbox(
                value=False,
                description=f"Lock {asset}",
                tooltip=f"Keep the share of {asset} fixed while moving the others",
                indent=False,
                layout=widgets.Layout(width="10em"),
            )
            slider.observe(self._on_slider, names="value")
            self.sliders[asset], self.locks[asset] = slider, lock
            rows.append(widgets.HBox([slider, lock]))
        self.preset = widgets.Dropdown(
            options=[(CUSTOM, CUSTOM)] + [(name.capitalize(), name) for name in self.presets],
            value=CUSTOM,
            description="Preset",
            tooltip="Start from a named mix",
            style={"description_width": "6em"},
        )
        self.preset.observe(self._on_preset, names="value")
        self.panel = base.ChartPanel()
        self.children = [self.preset, *rows, self.message, self.panel]
        self.value = dict(start)

    def _equal(self) -> dict[str, float]:
        return {asset: 1.0 / len(self.assets) for asset in self.assets}

    @traitlets.validate("value")
    def _valid_value(self, proposal: dict[str, Any]) -> dict[str, float]:
        return valid_mix(proposal, self.assets)

    @traitlets.observe("value")
    def _on_value(self, change: dict[str, Any]) -> None:
        mix = change["new"]
        self._syncing = True
        try:
            with self.hold_sync():
                for asset, share in mix.items():
                    self.sliders[asset].value = share
                matches = [name for name, p in self.presets.items() if _same(p, mix, self.assets)]
                self.preset.value = matches[0] if matches else CUSTOM
        finally:
            self._syncing = False
        self._show()

    @base.guarded
    def _on_slider(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        moved = next(a for a, s in self.sliders.items() if s is change["owner"])
        locked = [asset for asset, lock in self.locks.items() if lock.value]
        mix = rescale(self.value, moved, float(change["new"]), locked)
        if abs(mix[moved] - float(change["new"])) > 1e-9:
            self.message.note(
                f"{moved.capitalize()} can go up to {base.percent(mix[moved])} while "
                "the locked shares stay fixed: unlock one to go further."
            )
        if mix == self.value:
            self._syncing = True
            try:  # put the slider back where the rules allow
                self.sliders[moved].value = mix[moved]
            finally:
                self._syncing = False
            return
        self.value = mix

    @base.guarded
    def _on_preset(self, change: dict[str, Any]) -> None:
        if self._syncing or change["new"] == CUSTOM:
            return
        for lock in self.locks.values():
            lock.value = False
        self.value = dict(self.presets[change["new"]])

    @base.guarded
    def _show(self) -> None:
        words = describe_mix(self.value)
        self.panel.update(charts.mix_bar(_mix_frame(self.value)), f"Your mix: {words}.")


def _same(a: Mapping[str, float], b: Mapping[str, float], assets: Iterable[str]) -> bool:
    return all(abs(a.get(x, 0.0) - b.get(x, 0.0)) < 1e-9 for x in assets)


class AllocationChart(base.TeachingWidget):
    """A target mix against the current mix with its band, and one-year outcomes in dollars.

    Traits ``target`` and ``current`` (asset -> share) can be linked to other widgets'
    ``value``; ``band`` is the half-width of the tolerance band (0.05 = 5 points);
    ``amount`` the dollars typed.

    Parameters
    ----------
    target : dict, optional
        Target mix (default 60% stocks, 35% bonds, 5% cash).
    current : dict, optional
        Current mix (default: a 60/35/5 mix after a strong year for stocks, 66/30/4).
    amount : float, default 10,000
        Dollars for the one-year outcomes.

    Examples
    --------
    >>> chart = AllocationChart()
    >>> chart.band_slider.value = 0.10
    >>> "10-point band" in chart.band_panel.sentence
    True
    """

    target = traitlets.Dict()
    current = traitlets.Dict()
    band = traitlets.Float(0.05)
    amount = traitlets.Float(10_000.0)

    def __init__(
        self,
        target: Mapping[str, float] | None = None,
        current: Mapping[str, float] | None = None,
        amount: float = 10_000.0,
    ):
        super().__init__()
        self.band_slider = base.percent_slider(
            0.05,
            0.2,
            0.01,
            "Band (±)",
            "How far a share may wander from its target before you rebalance",
            width="26em",
            label_width="7em",
        )
        self.amount_box = base.text_box(
            "Amount ($)", f"{amount:,.0f}", "Dollars invested today", "16em"
        )
        self.market = widgets.Dropdown(
            options=[(name.capitalize(), name) for name in markets.ASSUMPTION_NAMES],
            value="historical",
            description="Assumptions",
            tooltip="Where the expected returns and risks come from",
            style={"description_width": "7em"},
        )
        self.band_panel = base.ChartPanel()
        self.outcome_panel = base.ChartPanel()
        self.band_slider.observe(self._on_band, names="value")
        self.amount_box.observe(self._on_amount, names="value")
        self.market.observe(self._refresh, names="value")
        self.children = [
            widgets.HBox([self.band_slider]),
            widgets.HBox([self.amount_box, self.market]),
            self.message,
            self.band_panel,
            self.outcome_panel,
        ]
        with self.hold_trait_notifications():
            self.target = dict(target or {"stocks": 0.6, "bonds": 0.35, "cash": 0.05})
            self.current = dict(current or {"stocks": 0.66, "bonds": 0.30, "cash": 0.04})
            self.amount = float(amount)
        self.observe(self._refresh, names=["target", "current", "band", "amount"])
        self._refresh()

    @traitlets.validate("target", "current")
    def _valid_mix(self, proposal: dict[str, Any]) -> dict[str, float]:
        return valid_mix(proposal)

    @traitlets.validate("band")
    def _valid_band(self, proposal: dict[str, Any]) -> float:
        band = float(proposal["value"])
        if not 0.0 <= band <= 0.5:
            raise traitlets.TraitError("The band must be between 0% and 50%.")
        return band

    @traitlets.observe("band")
    def _show_band(self, change: dict[str, Any]) -> None:
        self.band_slider.value = min(change["new"], self.band_slider.max)

    @base.guarded
    def _on_band(self, change: dict[str, Any]) -> None:
        self.band = float(change["new"])

    @base.guarded
    def _on_amount(self, change: dict[str, Any]) -> None:
        self.amount = base.parse_amount(
            self.amount_box.value, name="Amount", minimum=1.0, maximum=base.MAX_AMOUNT
        )

    @base.guarded
    def _refresh(self, change: dict[str, Any] | None = None) -> None:
        market = markets.assumptions(self.market.value)
        rows = []
        for name, mix in (("Target mix", self.target), ("Current mix", self.current)):
            weights = [mix[asset] for asset in market.assets]
            expected = market.annual_stats(weights).expected_return
            low, high = market.one_year_range(weights, 0.05, 0.95)
            rows.append(
                (name, self.amount, *(self.amount * (1 + r) for r in (low, expected, high)))
            )
        outcomes = pd.DataFrame(rows, columns=["mix", "start", "low", "expected", "high"])
        weights = pd.DataFrame(
            {
                "asset": list(ASSETS),
                "target": [self.target[a] for a in ASSETS],
                "current": [self.current[a] for a in ASSETS],
            }
        )
        band_chart = charts.target_vs_current(
            weights, self.band, title="Current mix (bars), target (black ticks) and band (grey)"
        )
        outcome_chart = charts.one_year_outcomes(
            outcomes, title="One year from now: from a bad year to a good year (1 in 20 each)"
        )
        self.band_panel.update(band_chart, self._band_sentence())
        self.outcome_panel.update(outcome_chart, _outcome_sentence(outcomes.iloc[0]))

    def _band_sentence(self) -> str:
        points = round(self.band * 100)
        outside = [
            f"{asset} at {base.percent(self.current[asset])} against a "
            f"{base.percent(self.target[asset])} target"
            for asset in ASSETS
            if abs(self.current[asset] - self.target[asset]) > self.band + _TOLERANCE
        ]
        if not outside:
            return (
                f"Every asset is inside its {points}-point band around the target, "
                "so this rule would not rebalance yet."
            )
        listed = "; ".join(outside)
        return f"Outside the {points}-point band: {listed}. This rule would rebalance now."


def _outcome_sentence(row: pd.Series) -> str:
    return (
        f"With {base.money(row['start'])} in the target mix, the expected value after one "
        f"year is {base.money(row['expected'])}; in a bad year (1 in 20) it could be "
        f"{base.money(row['low'])} or less, and in a good year (1 in 20) "
        f"{base.money(row['high'])} or more."
    )

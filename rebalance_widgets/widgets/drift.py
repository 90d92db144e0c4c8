"""DriftExplorer: watch the stock share drift away from its target, with and without rebalancing.

Two charts, each with one sentence in words under it:

- a percentile fan of the stock share across many simulated futures, never rebalanced next
  to the chosen policy (the random draws are cached, so moving the target or the policy
  reuses the same futures);
- one replay of real market history from a chosen start year, both ways.

Examples
--------
>>> from rebalance_widgets import DriftExplorer   # doctest: +SKIP
>>> DriftExplorer(target=0.8)                      # doctest: +SKIP
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from rebalance_widgets import core
from rebalance_widgets.charts.datasets import ordinal
from rebalance_widgets.charts.drift import drift_fan_chart, drift_replay_chart
from rebalance_widgets.core import markets, metrics
from rebalance_widgets.core.markets.history import load_history
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.rule_builder import RuleBuilder
from rebalance_widgets.widgets.parts.simulated import (
    POLICY_CHOICES,
    MixWidget,
    model_picker,
    return_model,
    target_weights,
    yearly,
)

__all__ = ["DriftExplorer", "scenario_name"]

FAN_PERCENTILES = (5, 25, 50, 75, 95)
REPLAY_YEARS_LEFT = 5  # the latest start year leaves at least this many years of history

NEVER_REBALANCED = "Never rebalanced"


def scenario_name(policy: policies.Policy) -> str:
    """Name a policy's line in the drift charts ("Never rebalanced", "Rebalanced: Annual").

    Parameters
    ----------
    policy : Policy
        A rebalancing policy.

    Returns
    -------
    str
        The legend entry.

    Examples
    --------
    >>> scenario_name(policies.Calendar("annual"))
    'Rebalanced: Annual'
    """
    if isinstance(policy, policies.Never):
        return NEVER_REBALANCED
    return f"Rebalanced: {policy.label}"


def _fan_sentence(bands: pd.DataFrame, target_share: float, policy: policies.Policy) -> str:
    year = bands["year"].to_numpy()
    final = year == year.max()
    years = int(round(float(year.max())))
    ends = {
        (scenario, float(percentile)): float(value)
        for scenario, percentile, value in zip(
            bands["scenario"].to_numpy()[final], bands["percentile"].to_numpy()[final],
            bands["value"].to_numpy()[final], strict=True,
        )
    }
    low, high = FAN_PERCENTILES[0], FAN_PERCENTILES[-1]

    def at(scenario: str, percentile: float) -> str:
        return base.percent(ends[(scenario, float(percentile))])

    never = NEVER_REBALANCED
    text = (
        f"After {years} years never rebalanced, the middle future holds {at(never, 50)} in "
        f"stocks instead of the {base.percent(target_share)} target "
        f"({ordinal(low)} to {ordinal(high)} percentile: {at(never, low)} to {at(never, high)})"
    )
    if isinstance(policy, policies.Never):
        return text + "."
    kept = scenario_name(policy)
    return (
        f"{text}; rebalanced with the rule “{policy.label}”, it holds {at(kept, 50)} "
        f"({at(kept, low)} to {at(kept, high)}) at the year end, before that day's trade."
    )


def _replay_sentence(
    dates: pd.DatetimeIndex, lines: dict[str, np.ndarray], target_share: float,
    policy: policies.Policy,
) -> str:
    drifted = lines[NEVER_REBALANCED]
    # dates[t] is the first day after t months of returns: the months replayed are
    # dates[0] to dates[-2], the last month of the history's index used.
    text = (
        f"Replaying real markets from {dates[0]:%B %Y} to {dates[-2]:%B %Y}, a mix that "
        f"started at {base.percent(target_share)} stocks and was never rebalanced ended at "
        f"{base.percent(float(drifted[-1]))} stocks (between "
        f"{base.percent(float(drifted.min()))} and {base.percent(float(drifted.max()))} "
        f"along the way)"
    )
    if isinstance(policy, policies.Never):
        return text + "."
    kept = lines[scenario_name(policy)]
    return (
        f"{text}; with the rule “{policy.label}” it ended at "
        f"{base.percent(float(kept[-1]))} and stayed between "
        f"{base.percent(float(kept.min()))} and {base.percent(float(kept.max()))} "
        "(each month's share before any trade)."
    )


@functools.lru_cache(maxsize=16)
def _replay(first_month: str) -> tuple[Any, pd.DatetimeIndex]:
    """Return the history replay from a month and the dates of its steps (months + 1)."""
    replay = markets.Replay(first_month, None, columns=("stocks", "bonds", "bills"))
    # Step t is the state after t months: the first day of the month that follows.
    dates = pd.date_range(replay.months[0], periods=len(replay.months) + 1, freq="MS")
    return replay, dates


class DriftExplorer(MixWidget):
    """Watch the stock share drift over the years, with and without rebalancing.

    Traits: ``target`` (the mix, asset -> share; ``dlink`` an ``AllocationSliders`` value
    to it),
    ``policy`` (a :mod:`rebalance_widgets.core.simulation.policies` policy), ``model`` (return-model
    preset name), ``start_year`` (first year of the history replay); years, number of
    futures and seed live on ``settings`` (:class:`~rebalance_widgets.widgets.parts.base.
    SimulationSettings`).

    Parameters
    ----------
    target : float or mapping, default 0.8
        Starting mix, or its stock share with the rest in bonds.
    policy : Policy, default quarterly rebalancing
        Starting policy (one of :data:`POLICY_CHOICES`).
    model : str, default "historical"
        Return-model preset.
    start_year : int, default 1973
        First year of the history replay.
    years, n_paths, seed : int
        Simulation settings (capped at 60 years and 5,000 futures).

    Examples
    --------
    >>> explorer = DriftExplorer(n_paths=50, years=5)   # doctest: +SKIP
    >>> explorer.target_slider.value = 0.6               # doctest: +SKIP
    """

    policy = traitlets.Instance(policies.Policy)
    model = traitlets.Unicode("historical")
    start_year = traitlets.Int(1973)

    def __init__(
        self,
        *,
        target: float | Mapping[str, float] = 0.8,
        policy: policies.Policy | None = None,
        model: str = base.DEFAULT_MODEL,
        start_year: int = 1973,
        years: int = base.DEFAULT_YEARS,
        n_paths: int = base.DEFAULT_PATHS,
        seed: int = base.DEFAULT_SEED,
        **kwargs: Any,
    ) -> None:
        super().__init__(target=target, **kwargs)
        policy = policies.Calendar("quarterly") if policy is None else policy
        history = load_history()
        self._first_month = history.index[0]
        first_year = int(history.index[0].year)
        last_full_year = int(history.index[-1].year) - (history.index[-1].month < 12)
        choices = list(POLICY_CHOICES)
        if policy not in choices:
            choices.append(policy)
        self.policy_dropdown = widgets.Dropdown(
            options=[(choice.label, choice) for choice in choices], value=policy,
            description="Rebalancing", tooltip="When to trade back to the target",
            style={"description_width": "initial"},
        )
        self.model_dropdown, self.model_caption = model_picker(model)
        self.start_slider = widgets.IntSlider(
            value=min(max(start_year, first_year), last_full_year - REPLAY_YEARS_LEFT),
            min=first_year, max=last_full_year - REPLAY_YEARS_LEFT,
            description="History from", tooltip="First year of the replay of real history",
            continuous_update=False, style={"description_width": "initial"},
        )
        self.settings = base.SimulationSettings(
            self.message, years=years, n_paths=n_paths, seed=seed
        )
        self.fan_panel = base.ChartPanel()
        self.replay_panel = base.ChartPanel()
        self._cache: dict[tuple[Any, ...], Any] = {}
        self.rule_builder = RuleBuilder(self.message)
        self.rule_builder.feed_menu(self.policy_dropdown)
        self.children = [
            widgets.HBox([self.target_slider, self.policy_dropdown]),
            self.rule_builder,
            widgets.HBox([self.model_dropdown, self.model_caption]),
            self.settings,
            self.message,
            self.progress,
            widgets.HTML("<b>Many simulated futures</b>"),
            self.fan_panel,
            widgets.HBox([widgets.HTML("<b>One replay of real history</b>"), self.start_slider]),
            self.replay_panel,
        ]
        with self.hold_trait_notifications():
            self.policy, self.model = policy, model
            self.start_year = self.start_slider.value
        for control, name in (
            (self.policy_dropdown, "policy"),
            (self.model_dropdown, "model"), (self.start_slider, "start_year"),
        ):
            traitlets.link((control, "value"), (self, name))
        self.observe(self._on_change, names=["target", "policy", "model", "start_year"])
        self.settings.observe(self._on_settings, names=["years", "n_paths", "seed"])
        self.refresh()

    def _on_change(self, change: dict[str, Any]) -> None:
        if change["name"] == "start_year":
            self._refresh_replay()
        elif change["name"] == "model":
            self._refresh_fan()
        else:
            self.refresh()

    def _on_settings(self, change: dict[str, Any]) -> None:
        if change["name"] == "years":
            self.refresh()
        else:
            self._refresh_fan()

    @base.guarded
    def refresh(self) -> None:
        """Re-run the simulated futures and the history replay.

        The replay of history is one more path under the same policy and target, so it
        rides along as the last path of each fan's simulation (the engine's time per step
        hardly depends on the number of paths) instead of a run of its own.
        """
        self._refresh_fan(replay=self._replay_inputs())
        self._refresh_replay()

    def _remember(self, key: tuple, compute: Any) -> Any:
        """Return ``compute()``, kept for the last few keys (small summaries only).

        A result of 1,000 futures x 30 years holds tens of megabytes, so only what the
        charts need (percentiles, one replay line) is kept, not the result itself.
        """
        if key not in self._cache:
            self._keep(key, compute())
        return self._cache[key]

    def _keep(self, key: tuple, value: Any) -> None:
        if key not in self._cache and len(self._cache) >= 16:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = value

    def _run(self, returns: np.ndarray, weights: np.ndarray, policy: Any, assets: tuple) -> Any:
        return core.simulate(
            returns, weights, policy, initial_value=1.0, cost_rate=0.0,
            periods_per_year=base.PERIODS_PER_YEAR, assets=assets,
        )

    def _scenarios(self) -> list[Any]:
        never = policies.Never()
        return [never] if self.policy == never else [never, self.policy]

    def _replay_inputs(self) -> tuple[tuple, np.ndarray, tuple, pd.DatetimeIndex]:
        """Key of the replay's cached lines, its returns (months, assets), assets, dates."""
        first = max(pd.Timestamp(year=self.start_year, month=1, day=1), self._first_month)
        replay, all_dates = _replay(f"{first:%Y-%m}")
        months = replay.months[: self.settings.years * base.PERIODS_PER_YEAR]
        key = ("replay", self.start_year, len(months))
        return key, replay.sample(n_periods=len(months))[0], tuple(replay.assets), \
            all_dates[: len(months) + 1]

    @base.guarded
    def _refresh_fan(self, replay: tuple | None = None) -> None:
        settings = self.settings
        model = return_model(self.model)
        periods = settings.years * base.PERIODS_PER_YEAR
        returns = settings.draws(model, periods, self.progress)
        weights = target_weights(self.target, tuple(model.assets))
        key = ("fan", self.model, settings.seed, settings.n_paths, periods)
        mix = tuple(np.round(weights, 12))
        stacked = None  # the futures with the replay of history as one more path
        if replay is not None and _same_assets(model.assets, replay[2]):
            replay_key, replay_returns = replay[0], replay[1]
        else:
            replay_key = replay_returns = None
        tables = []
        for policy in self._scenarios():
            fan_key = (*key, mix, policy)
            line_key = None if replay_key is None else (*replay_key, mix, policy)
            if fan_key not in self._cache and line_key is not None and (
                    line_key not in self._cache):
                if stacked is None:
                    stacked = _with_extra_path(returns, replay_returns)
                result = self._run(stacked, weights, policy, tuple(model.assets))
                self._keep(fan_key, _fan_table(result, settings.n_paths))
                self._keep(line_key, np.array(
                    result.weights[-1, : len(replay_returns) + 1, 0]))

            def fan_table(policy: Any = policy) -> pd.DataFrame:
                result = self._run(returns, weights, policy, tuple(model.assets))
                return _fan_table(result, settings.n_paths)

            table = self._remember(fan_key, fan_table)
            tables.append(table.assign(scenario=scenario_name(policy)))
        bands = pd.concat(tables, ignore_index=True)
        chart = drift_fan_chart(bands, self.stock_share)
        self.fan_panel.update(chart, _fan_sentence(bands, self.stock_share, self.policy))

    @base.guarded
    def _refresh_replay(self) -> None:
        key, returns, assets, dates = self._replay_inputs()
        months = len(returns)
        if months < self.settings.years * base.PERIODS_PER_YEAR:
            self.message.note(
                f"The history ends in {dates[-2]:%B %Y}, so the replay from "
                f"{self.start_year} covers {months / base.PERIODS_PER_YEAR:.1f} years, "
                f"not {self.settings.years}."
            )
        weights = target_weights(self.target, assets)
        lines = {}
        for policy in self._scenarios():

            def stock_line(policy: Any = policy) -> np.ndarray:
                result = self._run(returns, weights, policy, assets)
                # each month's share before any trade, as the fan shows it: a rule's line
                # then shows how far the mix drifted between its trades
                before = getattr(result, "weights_before_trade", None)
                return np.array((result.weights if before is None else before)[0, :, 0])

            lines[scenario_name(policy)] = self._remember(
                (*key, tuple(np.round(weights, 12)), policy), stock_line
            )
        paths = pd.DataFrame({
            "date": np.tile(dates, len(lines)),
            "scenario": np.repeat(list(lines), len(dates)),
            "value": np.concatenate(list(lines.values())),
        })
        chart = drift_replay_chart(paths, self.stock_share)
        sentence = _replay_sentence(dates, lines, self.stock_share, self.policy)
        self.replay_panel.update(chart, sentence)


_SAME_ASSET = {"bills": "cash"}


def _same_assets(first: Any, second: Any) -> bool:
    """Whether two lists of assets are the same, in the same order (bills = cash)."""
    def names(assets: Any) -> tuple[str, ...]:
        return tuple(_SAME_ASSET.get(str(name).lower(), str(name).lower()) for name in assets)

    return names(first) == names(second)


def _with_extra_path(returns: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """Stack ``extra`` (n, A), n <= T, after the paths of ``returns`` (P, T, A) as path P + 1.

    Months after the end of ``extra`` get a return of 0; a simulation never looks ahead,
    so its first n + 1 steps on the extra path are those of ``extra`` alone.
    """
    paths, periods, assets = returns.shape
    stacked = np.zeros((paths + 1, periods, assets))
    stacked[:paths] = returns
    stacked[paths, : len(extra)] = extra
    return stacked


def _fan_table(result: Any, n_paths: int) -> pd.DataFrame:
    """Percentiles of the stock share at each year end, before that day's trade.

    Only the first ``n_paths`` paths count (a replay of history may follow them).
    """
    view = yearly(result, before_trade=True)
    view.weights = view.weights[:n_paths]
    return metrics.weight_percentiles(view, "stocks", FAN_PERCENTILES)

"""DriftExplorer driven as a person would: slider moves, dropdowns, typing."""

from __future__ import annotations

import io

import ipywidgets
import numpy as np
import pandas as pd
import pytest

from rebalance_widgets import AllocationSliders, DriftExplorer
from rebalance_widgets.core import simulate
from rebalance_widgets.core.markets.history import load_history
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.simulated import return_model, target_weights

PATHS, YEARS, SEED = 40, 5, 7


@pytest.fixture
def explorer() -> DriftExplorer:
    return DriftExplorer(target=0.8, n_paths=PATHS, years=YEARS, seed=SEED)


def fan_rows(explorer: DriftExplorer) -> pd.DataFrame:
    return pd.DataFrame(explorer.fan_panel.chart.to_dict()["datasets"]["fan"])


def replay_rows(explorer: DriftExplorer) -> pd.DataFrame:
    text = explorer.replay_panel.chart.to_dict()["datasets"]["replay"]
    return pd.read_csv(io.StringIO(text), parse_dates=["date"])


def test_fan_matches_percentiles_of_the_same_futures_simulated_directly(explorer):
    model = return_model("historical")
    draws = base.DRAWS.get(model, seed=SEED, n_paths=PATHS, n_periods=YEARS * 12)
    weights = target_weights({"stocks": 0.8, "bonds": 0.2}, model.assets)
    never = simulate(draws, weights, policies.Never(), assets=model.assets)
    stock_by_year = never.weights[:, ::12, 0]
    expected = np.percentile(stock_by_year, [5, 25, 50, 75, 95], axis=0)

    rows = fan_rows(explorer)
    drifted = rows[rows["scenario"] == "Never rebalanced"].sort_values("year")
    assert drifted["year"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    for position, p in enumerate(["p5", "p25", "p50", "p75", "p95"]):
        np.testing.assert_allclose(drifted[p].to_numpy(), expected[position], rtol=0, atol=1e-12)
    # Every future starts exactly at the target.
    assert drifted.iloc[0][["p5", "p95"]].tolist() == [pytest.approx(0.8), pytest.approx(0.8)]


def test_rebalanced_fan_shows_the_drift_just_before_each_year_end_trade(explorer):
    model = return_model("historical")
    draws = base.DRAWS.get(model, seed=SEED, n_paths=PATHS, n_periods=YEARS * 12)
    weights = target_weights({"stocks": 0.8, "bonds": 0.2}, model.assets)
    run = simulate(draws, weights, policies.Calendar("quarterly"), assets=model.assets)
    # Quarterly checks fall on months 3, 6, 9, 12, ...: every year end is a check date, so
    # after the trade every future is back on target; the fan shows the mix just before.
    np.testing.assert_allclose(run.weights[:, 12::12, 0], 0.8, atol=1e-12)
    expected = np.percentile(run.weights_before_trade[:, ::12, 0], [5, 50, 95], axis=0)

    rows = fan_rows(explorer)
    kept = rows[rows["scenario"] == "Rebalanced: Quarterly"].sort_values("year")
    assert len(kept) == YEARS + 1
    for position, p in enumerate(["p5", "p50", "p95"]):
        np.testing.assert_allclose(kept[p].to_numpy(), expected[position], atol=1e-12)
    # Three months of drift: off target, but far less than five years of it.
    assert 0 < (kept["p95"] - kept["p5"]).iloc[-1] < 0.5 * (
        rows.query("scenario == 'Never rebalanced'")["p95"]
        - rows.query("scenario == 'Never rebalanced'")["p5"]
    ).iloc[-1]
    assert "at the year end, before that day's trade" in explorer.fan_panel.sentence


def test_moving_the_target_slider_redraws_the_fan_and_its_sentence(explorer):
    explorer.target_slider.value = 0.6
    assert explorer.target == {"stocks": 0.6, "bonds": pytest.approx(0.4), "cash": 0.0}
    spec = explorer.fan_panel.chart.to_dict()
    assert spec["datasets"]["target"] == [{"value": 0.6, "label": "Target 60%"}]
    start = fan_rows(explorer).query("year == 0")
    np.testing.assert_allclose(start[["p5", "p50", "p95"]].to_numpy(), 0.6, atol=1e-12)
    assert "instead of the 60% target" in explorer.fan_panel.sentence
    assert "started at 60% stocks" in explorer.replay_panel.sentence


def test_moving_the_target_reuses_the_same_random_futures(explorer):
    misses = base.DRAWS.misses
    explorer.target_slider.value = 0.5
    explorer.policy_dropdown.value = policies.Calendar("annual")
    assert base.DRAWS.misses == misses


def test_choosing_never_shows_one_fan_and_says_so(explorer):
    explorer.policy_dropdown.value = policies.Never()
    rows = fan_rows(explorer)
    assert set(rows["scenario"]) == {"Never rebalanced"}
    assert explorer.fan_panel.sentence.endswith(")."), explorer.fan_panel.sentence
    assert "rule" not in explorer.fan_panel.sentence


def test_history_replay_follows_the_real_first_month_by_hand(explorer):
    explorer.policy_dropdown.value = policies.Never()
    explorer.start_slider.value = 2000
    history = load_history("2000-01", "2000-01")
    stocks, bonds = history["stocks"].iloc[0], history["bonds"].iloc[0]
    # 80/20 after one month: 0.8 (1 + r_s) / (0.8 (1 + r_s) + 0.2 (1 + r_b)).
    expected = 0.8 * (1 + stocks) / (0.8 * (1 + stocks) + 0.2 * (1 + bonds))
    rows = replay_rows(explorer)
    assert len(rows) == YEARS * 12 + 1
    assert rows["date"].iloc[0] == pd.Timestamp("2000-01-01")
    assert rows["date"].iloc[1] == pd.Timestamp("2000-02-01")
    assert rows["value"].iloc[0] == pytest.approx(0.8)
    assert rows["value"].iloc[1] == pytest.approx(expected, abs=1e-10)
    # Five years of monthly returns: January 2000 to December 2004, both included.
    assert explorer.replay_panel.sentence.startswith(
        "Replaying real markets from January 2000 to December 2004"
    )


def test_replay_sentence_ends_with_the_last_month_of_the_data(explorer):
    # Issue 10: a replay from 2013 runs to the history's last month (November 2022), not
    # to the first day after it.
    explorer.settings.years = 10
    explorer.start_slider.value = 2013
    last = load_history().index[-1]
    assert f"{last:%B %Y}" == "November 2022"
    assert explorer.replay_panel.sentence.startswith(
        f"Replaying real markets from January 2013 to {last:%B %Y}, "
    )
    assert f"The history ends in {last:%B %Y}" in explorer.message.text


def test_replay_shorter_than_the_years_asked_for_says_so(explorer):
    explorer.settings.years = 10
    # History ends 2022-11: the last full year is 2021, and a start leaves five years of it.
    explorer.start_slider.value = explorer.start_slider.max
    assert explorer.start_slider.max == 2021 - 5 == 2016
    months = len(load_history("2016-01"))
    assert months == 7 * 12 - 1  # 2016-01 to 2022-11: 83 months, 6.9 years
    assert len(replay_rows(explorer)) == 2 * (months + 1)
    assert explorer.message.kind == "info"
    assert "so the replay from 2016 covers 6.9 years, not 10" in explorer.message.text


def test_typing_letters_for_the_number_of_futures_keeps_the_last_chart(explorer):
    before = explorer.fan_panel.chart
    explorer.settings.paths_box.value = "lots"
    assert explorer.message.kind == "error"
    assert "Futures must be a number" in explorer.message.text
    assert explorer.fan_panel.chart is before
    explorer.settings.paths_box.value = "60"
    assert explorer.message.kind == ""
    assert explorer.fan_panel.chart is not before


def test_an_allocation_slider_drives_the_explorer_through_dlink(explorer):
    sliders = AllocationSliders()
    ipywidgets.dlink((sliders, "value"), (explorer, "target"))
    sliders.value = {"stocks": 0.7, "bonds": 0.2, "cash": 0.1}
    assert explorer.target_slider.value == pytest.approx(0.7)
    assert explorer.target == {"stocks": 0.7, "bonds": 0.2, "cash": 0.1}
    assert "instead of the 70% target" in explorer.fan_panel.sentence
    # Moving the explorer's own slider keeps bonds and cash in proportion (2 : 1).
    explorer.target_slider.value = 0.4
    assert explorer.target["bonds"] == pytest.approx(0.4)
    assert explorer.target["cash"] == pytest.approx(0.2)


def test_target_weights_line_a_mix_up_with_the_models_assets():
    mix = {"stocks": 0.6, "bonds": 0.3, "cash": 0.1}
    np.testing.assert_allclose(target_weights(mix, ("stocks", "bonds", "cash")), [0.6, 0.3, 0.1])
    # Real history calls cash "bills".
    np.testing.assert_allclose(target_weights(mix, ("bills", "stocks", "bonds")), [0.1, 0.6, 0.3])
    with pytest.raises(ValueError, match="These markets have stocks, bonds; they have no cash"):
        target_weights(mix, ("stocks", "bonds"))


def test_a_mix_that_does_not_add_up_is_refused():
    import traitlets

    explorer = DriftExplorer(n_paths=base.MIN_PATHS, years=1)
    with pytest.raises(traitlets.TraitError, match="100%"):
        explorer.target = {"stocks": 0.5, "bonds": 0.4}
    assert explorer.target == {"stocks": 0.8, "bonds": 0.2, "cash": 0.0}


def test_markets_dropdown_changes_the_futures_and_its_caption(explorer):
    before = fan_rows(explorer)
    explorer.model_dropdown.value = "resampled"
    assert "Random one-year blocks of real months, July 1926 to November 2022" in (
        explorer.model_caption.value
    )
    after = fan_rows(explorer)
    assert explorer.message.kind == ""
    assert not np.allclose(before["p50"].to_numpy(), after["p50"].to_numpy())
    np.testing.assert_allclose(after.query("year == 0")["p50"].to_numpy(), 0.8, atol=1e-12)


def test_the_replay_rides_along_with_each_fan_run_and_matches_its_own_run(explorer):
    explorer.settings.years = 10
    explorer.start_slider.value = explorer.start_slider.max  # a replay shorter than 10 years
    explorer.policy_dropdown.value = policies.Threshold(absolute=0.05)
    runs = []
    run = explorer._run

    def counted(returns, *args):
        runs.append(1 if np.ndim(returns) == 2 else len(returns))  # paths simulated
        return run(returns, *args)

    explorer._run = counted
    explorer.target_slider.value = 0.55
    # one run per policy: the 40 futures and the replay as a 41st path
    assert runs == [PATHS + 1, PATHS + 1]
    history = load_history(f"{explorer.start_slider.max}-01")[["stocks", "bonds", "bills"]]
    weights = target_weights(explorer.target, ("stocks", "bonds", "bills"))
    rows = replay_rows(explorer)
    for policy, name in ((policies.Never(), "Never rebalanced"),
                         (policies.Threshold(absolute=0.05), "Rebalanced: 5-point band")):
        alone = simulate(history.to_numpy(), weights, policy).weights[0, :, 0]
        shown = rows[rows["scenario"] == name]["value"].to_numpy()
        np.testing.assert_allclose(shown, alone, rtol=0, atol=1e-12)
    # moving the start year replays history alone: one one-path run per policy
    runs.clear()
    explorer.start_slider.value = 1990
    assert runs == [1, 1]


def test_a_learners_band_rule_joins_the_menu_and_is_drawn(add_rule):
    explorer = DriftExplorer(n_paths=40)
    builder = explorer.rule_builder
    add_rule(builder, kind="relative", relative="20", trade_to="band", check="quarterly")
    rule = policies.Threshold(absolute=None, relative=0.2, check="quarterly", trade_to="band")
    assert explorer.policy == rule
    assert explorer.message.kind == ""
    assert f"“{rule.label}”" in explorer.fan_panel.sentence
    builder.add_button.click()  # the same rule twice stays one entry
    assert [value for _, value in explorer.policy_dropdown.options].count(rule) == 1
    builder.relative_box.value = "0"
    assert "Band (% of target) must be at least 1%" in explorer.message.text
    assert explorer.policy == rule


def test_the_replay_reaches_the_crash_of_2020_and_2022(explorer):
    # The latest start leaves five full years of history: 2016, which runs to 2022-11.
    assert explorer.start_slider.max == 2016
    explorer.settings.years = 20
    explorer.start_slider.value = explorer.start_slider.max
    rows = replay_rows(explorer)
    assert rows["date"].iloc[-1] == pd.Timestamp("2022-12-01")  # after November 2022
    assert "from January 2016 to November 2022" in explorer.replay_panel.sentence
    drifted = rows[rows["scenario"] == "Never rebalanced"].set_index("date")["value"]
    # February and March 2020: stocks fell, bonds rose, the stock share slid.
    assert drifted[pd.Timestamp("2020-04-01")] < drifted[pd.Timestamp("2020-02-01")] - 0.03

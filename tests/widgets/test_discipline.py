"""StickingToPlan driven as a person would: crash picker, sliders, typing; numbers, sentences
and chart specs checked against the core run directly."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets import StickingToPlan
from rebalance_widgets.core.discipline import (
    available_episodes,
    compare_behaviours,
    episode_returns,
)
from rebalance_widgets.core.simulation.behaviours import (
    KeepRebalancing,
    SellAfterFall,
    StopRebalancing,
)
from rebalance_widgets.widgets import discipline
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.simulated import return_model

PATHS, YEARS, SEED = 60, 10, 5
LABELS = ["Keep rebalancing", "Stop rebalancing", "Sell after a fall"]


@pytest.fixture
def lesson() -> StickingToPlan:
    return StickingToPlan(n_paths=PATHS, years=YEARS, seed=SEED)


def lines(panel: base.ChartPanel) -> pd.DataFrame:
    text = panel.chart.to_dict()["datasets"]["lines"]
    return pd.read_csv(io.StringIO(text))


def direct(crash: str, stocks: float, fall: float = 0.2, wait: int = 6, every="quarterly",
           balance: float = 10_000.0):
    table = episode_returns(crash)
    return compare_behaviours(
        table, [stocks, 1 - stocks, 0.0],
        [KeepRebalancing(), StopRebalancing(fall), SellAfterFall(fall, wait)],
        every=every, initial_value=balance)


def test_the_2008_replay_shows_the_three_behaviours_as_core_computes_them(lesson):
    runs = direct("2008-09", 0.6)
    wealth = lines(lesson.wealth_panel)
    assert list(dict.fromkeys(wealth["behaviour"])) == LABELS
    for run in runs.runs:
        drawn = wealth[wealth["behaviour"] == run.behaviour.label]["value"].to_numpy()
        np.testing.assert_allclose(drawn, run.wealth[0], rtol=1e-10)
    first = wealth.groupby("behaviour")["time"].first()
    assert (first == "2007-10-01T00:00:00").all()
    assert wealth["time"].iloc[-1] == "2012-10-01T00:00:00"  # the day after September 2012
    share = lines(lesson.share_panel)
    sold = share[share["behaviour"] == "Sell after a fall"]["value"].to_numpy()
    np.testing.assert_allclose(sold, runs.run("Sell after a fall").stock_share[0], atol=1e-12)
    assert lesson.share_panel.chart.to_dict()["datasets"]["target"][0]["label"] == "Target 60%"
    events = lesson.wealth_panel.chart.to_dict()["datasets"]["events"]
    assert events == [{"time": "2008-10-01T00:00:00", "label": "Sold"},
                      {"time": "2009-09-01T00:00:00", "label": "Back in"}]


def test_the_sentences_state_the_run_in_dollars_months_and_percent(lesson):
    runs = direct("2008-09", 0.6)
    ends = [base.money(run.wealth[0, -1]) for run in runs.runs]
    sentence = lesson.wealth_panel.sentence
    assert sentence.startswith("From the start of October 2007 to the end of September 2012")
    for end in ends:
        assert end in sentence
    assert "stopping rebalancing at the end of September 2008" in sentence
    assert "selling all stocks at the end of September 2008" in sentence
    assert "buying back at the end of August 2009" in sentence
    assert "the seller held 0% in stocks for 11 months" in lesson.share_panel.sentence
    stop, sell = runs.worth("Stop rebalancing"), runs.worth("Sell after a fall")
    worth = lesson.worth_text.value
    assert (f"{base.money(stop.median_gap)} ({base.percent(stop.median_gap_share, 1)}) "
            "ahead of stopping rebalancing") in worth
    assert (f"{base.money(-sell.median_gap)} ({base.percent(-sell.median_gap_share, 1)}) "
            "behind selling after the fall") in worth
    assert "This time selling came out ahead" in worth


def test_a_deeper_fall_sells_later_and_the_sentences_follow(lesson):
    before = (lesson.worth_text.value, lesson.wealth_panel.chart.to_dict())
    lesson.fall_slider.value = 0.4
    assert lesson.fall == pytest.approx(0.4)
    assert "selling all stocks at the end of November 2008" in lesson.wealth_panel.sentence
    runs = direct("2008-09", 0.6, fall=0.4)
    gap = runs.worth("Sell after a fall").median_gap
    assert gap > 0 and f"{base.money(gap)} (" in lesson.worth_text.value
    assert "This time selling came out ahead" not in lesson.worth_text.value
    assert (lesson.worth_text.value, lesson.wealth_panel.chart.to_dict()) != before


def test_the_wait_moves_the_buyback_and_a_fall_never_reached_leaves_all_on_the_plan(lesson):
    lesson.wait_slider.value = 12
    assert "buying back at the end of February 2010" in lesson.wealth_panel.sentence
    lesson.fall_slider.value = 0.6  # 2008-09 fell about 50% at a month's end
    assert "never ended a month 60% below its peak" in lesson.wealth_panel.sentence
    assert lesson.worth_text.value.startswith("Nobody left the plan")
    drawn = lines(lesson.wealth_panel)
    by = {name: rows["value"].to_numpy() for name, rows in drawn.groupby("behaviour")}
    np.testing.assert_allclose(by["Sell after a fall"], by["Keep rebalancing"], rtol=1e-12)


def test_the_mix_the_plan_calendar_and_the_balance_reach_the_numbers(lesson):
    lesson.target_slider.value = 0.8
    lesson.every_dropdown.value = "annual"
    lesson.balance_box.value = "$25,000"
    assert lesson.balance == 25_000 and lesson.message.kind == ""
    runs = direct("2008-09", 0.8, every="annual", balance=25_000)
    keep = lines(lesson.wealth_panel).query("behaviour == 'Keep rebalancing'")["value"]
    np.testing.assert_allclose(keep.to_numpy(), runs.runs[0].wealth[0], rtol=1e-10)
    assert "$25,000 in a mix with 80% in stocks" in lesson.wealth_panel.sentence


@pytest.mark.parametrize("typed", ["", "abc", "-5", "0", "nan", "1e308", "<b>"])
def test_a_bad_balance_is_explained_and_the_last_good_chart_stays(lesson, typed):
    chart, words = lesson.wealth_panel.chart, lesson.worth_text.value
    lesson.balance_box.value = typed
    assert lesson.message.kind == "error"
    assert lesson.message.text.startswith("Starting balance")
    assert lesson.wealth_panel.chart is chart and lesson.worth_text.value == words
    assert lesson.balance == 10_000
    lesson.balance_box.value = "10,000"
    assert lesson.message.kind == ""


def test_the_picker_lists_the_crashes_the_history_reaches_then_simulated_futures(lesson):
    values = [value for _, value in lesson.crash_dropdown.options]
    assert values == [e.key for e in available_episodes()] + [discipline.SIMULATED]
    assert lesson.futures_box.layout.display == "none"


def test_a_crash_missing_from_the_history_is_left_out(monkeypatch):
    monkeypatch.setattr(discipline, "available_episodes",
                        lambda: tuple(available_episodes()[:1]))
    lesson = StickingToPlan(crash="2000-02", n_paths=PATHS, years=YEARS)
    assert [value for _, value in lesson.crash_dropdown.options] == ["2000-02", "simulated"]
    with pytest.raises(ValueError, match="Choose a crash from 2000-02, simulated"):
        StickingToPlan(crash="2008-09")


def test_simulated_futures_give_the_median_gap_and_the_share_ahead(lesson):
    lesson.crash_dropdown.value = discipline.SIMULATED
    assert lesson.futures_box.layout.display is None
    model = return_model("historical")
    draws = base.DRAWS.get(model, seed=SEED, n_paths=PATHS, n_periods=YEARS * 12)
    runs = compare_behaviours(draws, [0.6, 0.4, 0.0],
                              [KeepRebalancing(), StopRebalancing(0.2), SellAfterFall(0.2, 6)],
                              initial_value=10_000)
    sell = runs.worth("Sell after a fall")
    worth = lesson.worth_text.value
    assert worth.startswith(f"Across {PATHS} futures, keeping the plan ended ahead of selling")
    assert f"in {base.percent(sell.share_ahead)} of them" in worth
    assert f"behind in {base.percent(sell.share_behind)}" in worth
    assert base.money(abs(sell.median_gap)) in worth
    drawn = lines(lesson.wealth_panel)
    keep = drawn[drawn["behaviour"] == "Keep rebalancing"]
    assert keep["time"].tolist()[:2] == [0, pytest.approx(1 / 12)]
    np.testing.assert_allclose(keep["value"], np.median(runs.runs[0].wealth, axis=0))
    spec = lesson.wealth_panel.chart.to_dict()
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Years from now"
    assert spec["datasets"]["events"] == []
    assert "In the middle future (the median of 60)" in lesson.wealth_panel.sentence


def test_more_futures_or_another_seed_rerun_only_in_simulated_mode(lesson):
    words = lesson.worth_text.value
    lesson.settings.seed = 99  # the replay of history does not depend on it
    assert lesson.worth_text.value == words
    lesson.crash_dropdown.value = discipline.SIMULATED
    first = lesson.worth_text.value
    lesson.settings.seed = 100
    assert lesson.worth_text.value != first


def test_fall_and_wait_set_from_code_are_kept_in_range(lesson):
    lesson.fall = 0.95
    assert lesson.fall == lesson.fall_slider.value == 0.6
    assert "The fall is kept from 5% to 60%" in lesson.message.text
    lesson.wait = -3
    assert lesson.wait == lesson.wait_slider.value == 0
    lesson.fall_slider.value = 0.05 * 3  # 0.15000000000000002, as a slider may send it
    assert lesson.fall == 0.15 and lesson.message.kind == ""


def test_the_charts_are_valid_vega_lite_with_a_dash_per_behaviour(lesson):
    for panel in (lesson.wealth_panel, lesson.share_panel):
        spec = panel.chart.to_dict()  # validates against the schema
        encoding = spec["encoding"] if "encoding" in spec else spec["layer"][0]["encoding"]
        assert encoding["color"]["scale"]["domain"] == LABELS
        assert len({tuple(d) for d in encoding["strokeDash"]["scale"]["range"]}) == 3


@pytest.mark.parametrize("model", ["forward-looking", "resampled"])
def test_every_market_of_the_futures_runs_with_a_mix_holding_cash(lesson, model):
    lesson.crash_dropdown.value = discipline.SIMULATED
    lesson.target = {"stocks": 0.5, "bonds": 0.3, "cash": 0.2}
    lesson.model_dropdown.value = model
    assert lesson.message.kind == "", lesson.message.text
    assert lesson.worth_text.value.startswith(f"Across {PATHS} futures")
    for every in ("monthly", "semiannual", "annual"):
        lesson.every_dropdown.value = every
        assert lesson.message.kind == "", lesson.message.text


def test_sentences_say_when_the_seller_sold_twice_or_is_still_out():
    from rebalance_widgets.widgets.parts.plan_words import episode_sentences

    # Falls 25%, back in, regains the peak, falls 30% and ends out of stocks.
    stocks = [-0.25, 0.1, 0.1, 0.3, -0.3, 0.0]
    returns = np.column_stack([stocks, np.zeros(6), np.zeros(6)])
    runs = compare_behaviours(returns, [0.6, 0.4, 0.0],
                              [KeepRebalancing(), StopRebalancing(0.2), SellAfterFall(0.2, 2)],
                              initial_value=1_000)
    dates = pd.date_range("2001-01", periods=7, freq="MS")
    words = episode_sentences(runs, dates, 0.6, 0.2, 2)
    assert "selling all stocks at the end of January 2001" in words.wealth
    assert "buying back at the end of March 2001" in words.wealth
    assert "(and selling 1 more time), still out of stocks at the end" in words.wealth
    assert "the seller held 0% in stocks for 4 months" in words.share
    assert "buying back 2 months after the low" in words.worth


@pytest.mark.parametrize("crash", [e.key for e in available_episodes()])
def test_every_crash_the_history_reaches_has_its_three_sentences(lesson, crash):
    lesson.crash_dropdown.value = crash
    assert lesson.message.kind == ""
    first = episode_returns(crash).index[0]
    assert lesson.wealth_panel.sentence.startswith(f"From the start of {first:%B %Y}")
    assert lesson.worth_text.value and lesson.share_panel.sentence


def test_todays_dollars_restate_a_replay_at_its_starting_prices():
    from rebalance_widgets import StickingToPlan
    from rebalance_widgets.core.markets.history import load_history

    lesson = StickingToPlan()
    nominal = lesson.wealth_panel.chart.to_dict()["datasets"]
    lesson.dollars_box.value = True
    real = lesson.wealth_panel.chart.to_dict()["datasets"]
    assert "at the prices of October 2007 (US consumer prices, BLS CPI-U)" in (
        lesson.wealth_panel.sentence)
    first = pd.read_csv(io.StringIO(nominal["lines"]))
    second = pd.read_csv(io.StringIO(real["lines"]))
    prices = (1 + load_history("2007-10", "2012-09", columns=["inflation"])["inflation"]).cumprod()
    kept = first["behaviour"] == "Keep rebalancing"
    assert second[kept]["value"].iloc[-1] == pytest.approx(
        first[kept]["value"].iloc[-1] / prices.iloc[-1], rel=1e-6)
    assert second[kept]["value"].iloc[0] == pytest.approx(10_000)
    lesson.crash = "simulated"
    assert "at today's prices (prices rising" in lesson.wealth_panel.sentence

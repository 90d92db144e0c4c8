"""ContributionPlanner and GlidePathExplorer, driven as a person would (few paths)."""

import numpy as np
import pytest

from rebalance_widgets import ContributionPlanner, GlidePathExplorer
from rebalance_widgets.core import markets, simulate
from rebalance_widgets.core.planning import glidepath
from rebalance_widgets.core.planning.contributions import Match, contribution_schedule
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.parts import base

PATHS = 60
SAFE_HARBOR = Match.tiered((1.0, 0.03), (0.5, 0.02))


def _middle_at_end(balances):
    return float(np.percentile(balances[:, -1], 50))


def test_planner_numbers_match_the_core_and_hand_sums():
    w = ContributionPlanner(n_paths=PATHS, seed=7)
    assert w.message.kind == ""
    w.retire_slider.value = 45  # age 35 -> 10 years
    assert (w.age, w.retirement_age) == (35, 45)
    balances = w.balances
    assert balances.shape == (PATHS, 11)
    # contributions by hand: 6% of 60,000 = 3,600 a year rising 3% a year; the employer's
    # 100% of 3% + 50% of the next 2% = 4% of pay = 2,400 a year rising 3% a year
    growth = 1.03 ** np.arange(10)
    yours = 10_000 + 3_600 * growth.sum()
    employer = 2_400 * growth.sum()
    spec = w.parts_panel.chart.to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    last = {r["part"]: r["dollars"] for r in rows if r["age"] == 45}
    assert last["Your contributions"] == pytest.approx(yours, rel=1e-9)
    assert last["Employer match"] == pytest.approx(employer, rel=1e-9)
    middle = _middle_at_end(balances)
    assert sum(last.values()) == pytest.approx(middle, rel=1e-9)
    # the same simulation straight from the core, on the same draws
    draws = markets.assumptions("historical").sample(PATHS, 120, np.random.default_rng(7))
    again = simulate(
        draws,
        [0.8, 0.2, 0.0],
        policies.Calendar("annual"),
        initial_value=10_000,
        cash_flows=contribution_schedule(60_000, 0.06, 10, match=SAFE_HARBOR, age=35).cash_flows,
    )
    np.testing.assert_allclose(again.wealth[:, ::12], balances, rtol=1e-12)
    assert f"{base.money(middle)}" in w.range_panel.sentence
    assert w.range_panel.sentence.startswith("At 45, saving 6% of pay in 80% stocks and 20% bonds")


def test_planner_deferral_slider_reuses_draws_and_raises_the_balance():
    w = ContributionPlanner(n_paths=PATHS)
    w.retire_slider.value = 50
    before = _middle_at_end(w.balances)
    misses = base.DRAWS.misses
    w.deferral_slider.value = 0.10
    assert base.DRAWS.misses == misses  # same futures, only the savings changed
    assert w.deferral == pytest.approx(0.10)
    assert _middle_at_end(w.balances) > before
    assert "saving 10% of pay" in w.range_panel.sentence


def test_planner_bad_inputs_keep_the_last_result():
    w = ContributionPlanner(n_paths=PATHS)
    w.retire_slider.value = 45
    chart, sentence = w.range_panel.chart, w.range_panel.sentence
    for text in ["abc", "", "-5", "nan", "1e308", "<script>"]:
        w.salary_box.value = text
        assert w.message.kind == "error", text
        assert w.range_panel.chart is chart and w.range_panel.sentence == sentence
    w.salary_box.value = "80,000"
    assert w.message.kind == "" and w.salary == 80_000
    w.retire_slider.value = 30
    assert "must be later than your age now (35)" in w.message.text
    w.retire_slider.value = 45
    assert w.message.kind == ""


def test_planner_caps_paths_and_says_so():
    w = ContributionPlanner(n_paths=PATHS)
    w.retire_slider.value = 37
    w.settings.paths_box.value = "1,000,000"
    assert w.settings.n_paths == base.MAX_PATHS
    assert w.message.kind == "info" and "5,000" in w.message.text
    assert w.balances.shape[0] == base.MAX_PATHS


def test_glide_path_chart_is_the_core_glide_path():
    w = GlidePathExplorer(n_paths=PATHS)
    w.retire_slider.value = 55  # 35 -> 55
    expected = glidepath.target_date(35, 55, 55, cash_of_rest=0.0)
    spec = w.path_panel.chart.to_dict()
    rows = spec["datasets"]["rows"]
    stocks = {r["age"]: r["weight"] for r in rows if r["asset"] == "stocks"}
    assert stocks[35.0] == pytest.approx(0.9)
    assert stocks[55.0] == pytest.approx(0.5)
    assert stocks[45.0] == pytest.approx(float(expected.stocks[120]))
    assert w.path_panel.sentence == (
        "This glide path holds 90% stocks at 35 and 50% at 55; the rest is in bonds."
    )
    w.path_menu.value = "110 minus age in stocks"
    assert w.path_panel.sentence.startswith("This glide path holds 75% stocks at 35 and 55% at 55")


def test_glide_and_fixed_run_on_the_same_futures():
    w = GlidePathExplorer(n_paths=PATHS, seed=11)
    w.retire_slider.value = 50
    draws = markets.assumptions("historical").sample(PATHS, 180, np.random.default_rng(11))
    fixed = simulate(
        draws,
        [0.6, 0.4, 0.0],
        policies.Calendar("annual"),
        initial_value=10_000,
        cash_flows=500.0,
    )
    np.testing.assert_allclose(w.balances["Fixed mix"], fixed.wealth[:, ::12], rtol=1e-12)
    glide_run = w.balances["Glide path"]
    w.fixed_slider.value = 0.8  # only the fixed mix is simulated again
    assert w.balances["Glide path"] is glide_run
    assert "a fixed 80% stocks" in w.outcome_panel.sentence
    middle = float(np.percentile(w.balances["Fixed mix"][:, -1], 50))
    assert base.money(middle) in w.outcome_panel.sentence
    spec = w.outcome_panel.chart.to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert {r["strategy"] for r in rows} == {"Glide path", "Fixed mix"}
    last = next(r for r in rows if r["strategy"] == "Fixed mix" and r["age"] == 50)
    assert last["p50"] == pytest.approx(middle, rel=1e-12)


def test_glide_bad_inputs():
    w = GlidePathExplorer(n_paths=PATHS)
    w.retire_slider.value = 50
    sentence = w.outcome_panel.sentence
    w.monthly_box.value = "lots"
    assert w.message.kind == "error" and "Added each month" in w.message.text
    assert w.outcome_panel.sentence == sentence
    w.monthly_box.value = "0"
    assert w.message.kind == "" and w.monthly == 0.0
    w.age_slider.value = 60
    assert "later than your age now (60)" in w.message.text


def test_planner_says_when_the_deferral_limit_cuts_saving():
    w = ContributionPlanner(n_paths=PATHS)
    w.retire_slider.value = 37
    w.year_menu.value = 2025
    w.salary_box.value = "200,000"
    w.deferral_slider.value = 0.20
    assert w.message.kind == ""
    assert w.range_panel.sentence.startswith(
        "At 37, saving $23,500 a year, the 2025 limit, instead of 20% of pay ($40,000) in "
    )
    w.year_menu.value = 2026
    assert "saving $24,500 a year, the 2026 limit, instead of 20% of pay" in (
        w.range_panel.sentence
    )
    # Under the limit in the first year (24,000), over it the next (10% of 247,200):
    # said with the age it starts.
    w.salary_box.value = "240,000"
    w.deferral_slider.value = 0.10
    assert "saving 10% of pay (held to the 2026 limit of $24,500 a year from age 36)" in (
        w.range_panel.sentence
    )


def test_planner_employer_money_stops_at_the_compensation_limit():
    w = ContributionPlanner(n_paths=PATHS)
    w.retire_slider.value = 36
    w.year_menu.value = 2025
    w.match_menu.value = "3% of pay, whatever you put in"
    w.salary_box.value = "500,000"
    # 3% of 350,000 = 10,500, not 3% of 500,000 = 15,000.
    spec = w.parts_panel.chart.to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    employer = {r["age"]: r["dollars"] for r in rows if r["part"] == "Employer match"}
    assert employer[36] == pytest.approx(10_500)
    assert (
        "In 2025 your employer puts in $10,500 instead of $15,000: pay above $350,000 (the "
        "2025 compensation limit) earns no employer money." in w.parts_panel.sentence
    )
    for absurd in ("20,000,000", "10,000,000"):
        w.salary_box.value = absurd
        assert w.message.kind == "error" and "5,000,000" in w.message.text
        assert w.salary == 500_000

"""AutopilotComparison driven as a person would: sliders, fee boxes, today's dollars."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets import AutopilotComparison
from rebalance_widgets.core import markets, policies, simulate
from rebalance_widgets.core.simulation import autopilot
from rebalance_widgets.widgets.parts import base

PATHS, SEED = 60, 7
SAVERS = ["By hand, once a year", "Automatic (band + new money)", "Target-date fund"]


@pytest.fixture
def widget() -> AutopilotComparison:
    return AutopilotComparison(n_paths=PATHS, seed=SEED)


def rows(panel) -> pd.DataFrame:
    return pd.DataFrame(panel.chart.to_dict()["datasets"]["rows"])


def direct(widget, policy, target, fee):
    market = markets.assumptions("historical")
    draws = base.DRAWS.get(market, seed=SEED, n_paths=PATHS,
                           n_periods=(widget.retirement_age - widget.age) * 12)
    return simulate(draws, target, policy, initial_value=widget.balance,
                    cash_flows=widget.monthly, expense_ratio=fee)


def test_the_three_savers_match_simulate_on_the_same_futures(widget):
    table = rows(widget.balance_panel)
    assert sorted(table["saver"].unique()) == sorted(SAVERS)
    glide = autopilot.fund_glide_path(35, 65)
    expected = {
        SAVERS[0]: direct(widget, policies.Calendar("annual"), (0.7, 0.3, 0.0), 0.0005),
        SAVERS[1]: direct(widget, policies.CashFlow(band=policies.Threshold(0.05)),
                          (0.7, 0.3, 0.0), 0.003),
        SAVERS[2]: direct(widget, policies.Calendar("monthly"), glide.weights, 0.0012),
    }
    for name, result in expected.items():
        shown = table[table["saver"] == name].sort_values("age")["p50"].to_numpy()
        np.testing.assert_allclose(shown, np.median(result.wealth[:, ::12], axis=0),
                                   rtol=1e-9)
        end = base.money(float(np.median(result.wealth[:, -1])))
        assert f"“{name}” {end}" in widget.balance_panel.sentence
    assert "dollars of the day" in widget.balance_panel.sentence
    assert "the target-date fund holds 90% at 35 and 50% at 65" in widget.share_panel.sentence
    widget.age_slider.value = 55
    assert "holds 66% at 55 and 50% at 65" in widget.share_panel.sentence


def test_moving_the_mix_and_the_fees_changes_the_charts(widget):
    before = rows(widget.balance_panel)
    widget.stock_slider.value = 0.4
    assert widget.message.kind == ""
    after = rows(widget.balance_panel)
    hand = after[after["saver"] == SAVERS[0]]["p50"].iloc[-1]
    assert hand != before[before["saver"] == SAVERS[0]]["p50"].iloc[-1]
    fund = after[after["saver"] == SAVERS[2]]["p50"].iloc[-1]
    assert fund == before[before["saver"] == SAVERS[2]]["p50"].iloc[-1]  # not its mix
    assert "stay near 40% stocks" in widget.share_panel.sentence
    widget.fee_boxes["service_fee"].value = "0"
    assert widget.service_fee == 0
    assert f"“{SAVERS[1]}” ended ahead in" in widget.balance_panel.sentence


def test_with_no_service_fee_the_band_rule_is_a_fair_race(widget):
    widget.fee_boxes["service_fee"].value = "0"
    paired = widget.runs.paired(SAVERS[0])
    share = float(paired.loc[SAVERS[1], "share_ahead"])
    assert 0 < share < 1  # neither always wins once fees are equal
    widget.fee_boxes["service_fee"].value = "0.25"
    assert float(widget.runs.paired(SAVERS[0]).loc[SAVERS[1], "share_ahead"]) < share


def test_todays_dollars(widget):
    nominal = rows(widget.balance_panel)
    widget.dollars_box.value = True
    real = rows(widget.balance_panel)
    factor = (1 + markets.expected_inflation("historical")) ** -(nominal["age"] - 35)
    np.testing.assert_allclose(real["p50"], nominal["p50"] * factor, rtol=1e-9)
    assert "in today's dollars (prices rising 2.9% a year)" in widget.balance_panel.sentence


@pytest.mark.parametrize(
    ("box", "typed", "words"),
    [
        ("service_fee", "abc", "Service fee on top must be a number"),
        ("service_fee", "9", "Service fee on top must be at most 5%"),
        ("fund_fee", "-1", "Index funds' fee must be at least 0%"),
        ("fund_date_fee", "", "Target-date fund's fee is empty"),
    ],
)
def test_a_bad_fee_says_what_to_fix_and_keeps_the_charts(widget, box, typed, words):
    before = widget.balance_panel.chart
    widget.fee_boxes[box].value = typed
    assert widget.message.kind == "error"
    assert words in widget.message.text
    assert widget.balance_panel.chart is before


def test_no_money_is_refused(widget):
    widget.monthly_box.value = "0"
    widget.balance_box.value = "0"
    assert widget.message.text == "Put some money in: a balance today or a monthly amount."


def test_a_goal_says_each_savers_chance_of_reaching_it(widget):
    widget.goal_box.value = "1,000,000"
    for name, end in widget.runs.endings.items():
        share = base.percent(float(np.mean(end >= 1_000_000)))
        assert f"{share} for “{name}”" in widget.balance_panel.sentence
    widget.dollars_box.value = True  # the goal is then in today's dollars: fewer reach it
    assert "The chance of at least $1,000,000 at 65" in widget.balance_panel.sentence
    widget.goal_box.value = ""
    assert "chance" not in widget.balance_panel.sentence

"""RebalancingComparison driven as a person would: ticking policies, typing costs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets import RebalancingComparison, core
from rebalance_widgets.core import compare
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.comparison import COMPARED_POLICIES, MAX_POLICIES, METRICS
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.simulated import (
    model_inflation,
    return_model,
    target_weights,
)

PATHS, YEARS, SEED = 30, 3, 11


@pytest.fixture
def comparison() -> RebalancingComparison:
    return RebalancingComparison(n_paths=PATHS, years=YEARS, seed=SEED)


TITLES = [metric.title for metric in METRICS]


def panel_values(comparison: RebalancingComparison, metric: int | str) -> dict[str, float]:
    metric_index = TITLES.index(metric) if isinstance(metric, str) else metric
    spec = comparison.panel.chart.to_dict()
    return {row["policy"]: row["value"] for row in spec["datasets"][f"metric_{metric_index}"]}


def tick_only(comparison: RebalancingComparison, labels: set[str]) -> None:
    for policy, box in zip(COMPARED_POLICIES, comparison.policy_boxes, strict=True):
        box.value = policy.label in labels


def test_chart_shows_the_medians_core_compare_gives_on_the_same_futures(comparison):
    model = return_model("historical")
    draws = base.DRAWS.get(model, seed=SEED, n_paths=PATHS, n_periods=YEARS * 12)
    ticked = {p.label: p for p in comparison.policies}
    assert list(ticked) == [
        "Never rebalance", "Quarterly", "Annual", "5-point band", "Cash flows only"
    ]
    expected = compare(
        draws, target_weights({"stocks": 0.6, "bonds": 0.4}, model.assets), ticked,
        initial_value=100_000.0, cost_rate=0.001, cash_flows=500.0, assets=model.assets,
    )
    for index, metric in enumerate(METRICS):
        shown = panel_values(comparison, index)
        for label in ticked:
            assert shown[label] == pytest.approx(float(expected.loc[label, metric.column]))
    assert "Medians across the simulated futures" in comparison.table.value
    assert comparison.table.value.count("<tr>") == 1 + len(ticked)


def test_without_contributions_never_rebalancing_trades_nothing_and_pays_nothing(comparison):
    comparison.contribution_box.value = "0"
    tick_only(comparison, {"Never rebalance", "Monthly"})
    rebalances = panel_values(comparison, "Rebalances")
    costs = panel_values(comparison, "Trading costs paid")
    assert rebalances["Never rebalance"] == 0
    assert costs["Never rebalance"] == 0
    # Monthly checks: some month of every path drifts, so it trades and pays.
    assert rebalances["Monthly"] > 0
    assert costs["Monthly"] > 0


def test_trading_cost_typed_as_percent_scales_costs_exactly(comparison):
    comparison.contribution_box.value = "0"
    tick_only(comparison, {"Monthly"})
    at_tenth = panel_values(comparison, "Trading costs paid")["Monthly"]
    comparison.cost_box.value = "0.2%"
    assert comparison.cost_rate == pytest.approx(0.002)
    # Costs are charged pro rata after the trade, so doubling the rate roughly doubles the
    # bill (slightly less: the first charges shrink the balance the later ones apply to).
    at_fifth = panel_values(comparison, "Trading costs paid")["Monthly"]
    assert 1.9 * at_tenth < at_fifth <= 2.0 * at_tenth


def test_the_same_futures_serve_every_policy_and_every_cost(comparison):
    misses = base.DRAWS.misses
    comparison.cost_box.value = "0.5"
    comparison.policy_boxes[1].value = True
    comparison.target_slider.value = 0.8
    assert base.DRAWS.misses == misses


def test_unticking_everything_asks_for_a_policy_and_keeps_the_last_result(comparison):
    for box in comparison.policy_boxes[1:]:
        box.value = False
    before = comparison.panel.chart
    comparison.policy_boxes[0].value = False
    assert comparison.message.kind == "error"
    assert comparison.message.text == "Tick at least one policy to compare."
    assert comparison.panel.chart is before
    assert comparison.policy_boxes[0].value is True  # the tick is put back, as shown
    assert comparison.policies == (policies.Never(),)
    comparison.policy_boxes[1].value = True
    assert comparison.message.kind == ""
    assert set(panel_values(comparison, 0)) == {"Never rebalance", "Monthly"}


@pytest.mark.parametrize(
    ("box", "typed", "words"),
    [
        ("cost_box", "abc", "Trading cost must be a number"),
        ("cost_box", "25", "Trading cost must be at most 10%"),
        ("contribution_box", "-100", "Added each month must be at least $0; you typed “-100”."),
        ("initial_box", "", "Starting balance is empty"),
    ],
)
def test_bad_typing_shows_what_to_fix(comparison, box, typed, words):
    before = comparison.panel.chart
    getattr(comparison, box).value = typed
    assert comparison.message.kind == "error"
    assert words in comparison.message.text
    assert comparison.panel.chart is before


def test_no_money_at_all_is_refused(comparison):
    comparison.contribution_box.value = "0"
    comparison.initial_box.value = "0"
    assert comparison.message.text == "Put some money in: a starting balance or a monthly amount."


def test_sentence_names_the_best_return_and_the_costliest_policy(comparison):
    spec = comparison.panel.chart.to_dict()
    returns = pd.DataFrame(spec["datasets"][f"metric_{TITLES.index('Annualised return')}"]
                           ).set_index("policy")["value"]
    best = returns.idxmax()
    assert f"“{best}” had the highest median annualised return" in comparison.panel.sentence
    assert f"({base.percent(float(returns[best]), 2)})" in comparison.panel.sentence
    assert np.isfinite(returns.to_numpy()).all()


def test_a_policy_from_core_can_be_compared_by_its_label():
    assert [p.label for p in COMPARED_POLICIES] == [
        "Never rebalance", "Monthly", "Quarterly", "Twice a year", "Annual",
        "5-point band", "10-point band", "5/25 band", "Cash flows only",
    ]
    assert isinstance(COMPARED_POLICIES[-1], policies.CashFlow)


BROAD = (
    policies.Never(),
    policies.Calendar("monthly"), policies.Calendar("quarterly"),
    policies.Calendar("semiannual"), policies.Calendar("annual"),
    policies.Calendar(1), policies.Calendar(2), policies.Calendar(6), policies.Calendar(24),
    policies.Threshold(0.05), policies.Threshold(0.05, check="quarterly"),
    policies.Threshold(0.05, check="annual"), policies.Threshold(0.05, check="semiannual"),
    policies.Threshold(0.05, check=3), policies.Threshold(0.05, check=1),
    policies.Threshold(0.05, trade_to="band"),
    policies.Threshold(0.05, check="annual", trade_to="band"),
    policies.Threshold(0.10), policies.Threshold(0.050000001), policies.Threshold(0.0),
    policies.Threshold(0.05, relative=0.25), policies.Threshold(0.05, relative=0.2),
    policies.Threshold(0.05, relative=0.25, check="annual"),
    policies.Threshold(absolute=None, relative=0.25),
    policies.Threshold(absolute=None, relative=0.25, trade_to="band"),
    policies.CashFlow(), policies.CashFlow(band=policies.Threshold(0.05)),
    policies.CashFlow(band=policies.Threshold(0.05, check="annual")),
    policies.CashFlow(band=policies.Threshold(0.05, trade_to="band")),
)


def test_every_pair_of_policies_gets_distinct_labels():
    assert len(set(BROAD)) == len(BROAD)
    labels = [policy.label for policy in BROAD]
    assert len(set(labels)) == len(labels), labels
    assert policies.Threshold(0.05).label == "5-point band"
    assert policies.Threshold(0.05, check="annual").label == "5-point band, checked annually"
    assert (policies.CashFlow(band=policies.Threshold(0.05, check=3, trade_to="band")).label
            == "Cash flows + 5-point band, checked every 3 periods (to edge)")


def test_comparison_with_any_pair_never_shows_a_python_error():
    w = RebalancingComparison(n_paths=5, years=1, seed=3)
    for i, first in enumerate(BROAD):
        for second in BROAD[i + 1:]:
            w.policies = (first, second)
            assert w.message.kind != "error", (first, second, w.message.text)
            names = [row["policy"] for row in w.panel.chart.to_dict()["datasets"]["metric_0"]]
            assert names == [first.label, second.label]


def test_issue_case_two_five_point_bands():
    w = RebalancingComparison(n_paths=PATHS, years=YEARS, seed=SEED)
    w.policies = (policies.Threshold(0.05), policies.Threshold(0.05, check="annual"))
    assert w.message.kind == ""
    assert "5-point band, checked annually" in w.table.value
    # Two policies that share a label (a custom policy) are told apart, not an error.
    class Mine(policies.Never):
        pass

    w.policies = (policies.Never(), Mine())
    assert w.message.kind == ""
    assert "Never rebalance (2)" in w.table.value
    with pytest.raises(Exception, match="must be a rebalancing policy"):
        w.policies = ("annual",)


def test_policies_set_from_code_survive_a_tick(comparison):
    mine = policies.Threshold(0.07, check="annual")
    comparison.policies = (policies.Never(), mine)
    assert [b.description for b in comparison.policy_boxes if b.value] == [
        "Never rebalance", "7-point band, checked annually"
    ]
    comparison.policy_boxes[4].value = True  # tick "Annual"
    assert comparison.policies == (policies.Never(), policies.Calendar("annual"), mine)
    assert comparison.message.kind == ""
    assert "7-point band, checked annually" in comparison.table.value
    comparison.policy_boxes[-1].value = False  # untick the instructor's policy
    assert comparison.policies == (policies.Never(), policies.Calendar("annual"))


def paired(comparison: RebalancingComparison) -> dict[str, dict]:
    rows = comparison.paired_panel.chart.to_dict()["datasets"]["paired"]
    return {row["policy"]: row for row in rows}


def test_paired_chart_matches_simulate_future_by_future(comparison):
    model = return_model("historical")
    draws = base.DRAWS.get(model, seed=SEED, n_paths=PATHS, n_periods=YEARS * 12)
    kwargs = {"initial_value": 100_000.0, "cost_rate": 0.001, "cash_flows": 500.0,
              "assets": model.assets}
    weights = target_weights({"stocks": 0.6, "bonds": 0.4}, model.assets)
    never = core.simulate(draws, weights, policies.Never(), **kwargs).wealth[:, -1]
    annual = core.simulate(draws, weights, policies.Calendar("annual"), **kwargs).wealth[:, -1]
    assert comparison.reference == "Never rebalance"
    row = paired(comparison)["Annual"]
    gaps = annual - never
    assert row["middle"] == pytest.approx(float(np.median(gaps)), rel=1e-7)
    assert row["low"] == pytest.approx(float(np.percentile(gaps, 10)), rel=1e-7)
    assert row["high"] == pytest.approx(float(np.percentile(gaps, 90)), rel=1e-7)
    ahead = sum(gap > 1e-9 * max(a, b, 1.0) for gap, a, b in zip(gaps, annual, never,
                                                                  strict=True))
    assert row["ahead"] == f"ahead in {ahead / PATHS:.0%}"
    assert "Never rebalance" not in paired(comparison)
    assert f"On the same {PATHS:,} futures" in comparison.paired_panel.sentence


def test_the_reference_can_be_any_ticked_policy_and_follows_the_ticks(comparison):
    assert comparison.reference_dropdown.options == (
        "Never rebalance", "Quarterly", "Annual", "5-point band", "Cash flows only")
    comparison.reference_dropdown.value = "Annual"
    assert set(paired(comparison)) == {"Never rebalance", "Quarterly", "5-point band",
                                       "Cash flows only"}
    assert "ahead of “Annual”" in comparison.paired_panel.sentence
    comparison.policy_boxes[4].value = False  # untick "Annual": back to never rebalancing
    assert comparison.reference == "Never rebalance"
    tick_only(comparison, {"Monthly"})
    assert comparison.reference == "Monthly"
    assert comparison.paired_panel.view.layout.display == "none"
    assert comparison.paired_panel.sentence == "Tick another policy to set against “Monthly”."


def test_todays_dollars_divide_every_ending_balance_by_the_rise_in_prices(comparison):
    nominal = panel_values(comparison, "Ending balance")
    gaps = {name: row["middle"] for name, row in paired(comparison).items()}
    comparison.dollars_box.value = True
    factor = (1 + model_inflation("historical")) ** -YEARS
    real = panel_values(comparison, "Ending balance")
    for name, value in nominal.items():
        assert real[name] == pytest.approx(value * factor, rel=1e-12)
    for name, row in paired(comparison).items():
        assert row["middle"] == pytest.approx(gaps[name] * factor, rel=1e-9, abs=1e-9)
    assert "in today's dollars (prices rising 2.9% a year)" in comparison.paired_panel.sentence
    assert "today&#x27;s dollars" in comparison.table.value
    # the trading costs stay as paid
    comparison.dollars_box.value = False
    assert panel_values(comparison, "Ending balance") == nominal


def test_a_goal_adds_the_chance_of_reaching_it(comparison):
    comparison.goal_box.value = "150,000"
    assert comparison.goal == 150_000
    spec = comparison.panel.chart.to_dict()
    assert len(spec["vconcat"]) == len(METRICS) + 1
    chances = {row["policy"]: row["value"] for row in spec["datasets"][f"metric_{len(METRICS)}"]}
    model = return_model("historical")
    draws = base.DRAWS.get(model, seed=SEED, n_paths=PATHS, n_periods=YEARS * 12)
    end = core.simulate(draws, target_weights({"stocks": 0.6, "bonds": 0.4}, model.assets),
                        policies.Never(), initial_value=100_000.0, cost_rate=0.001,
                        cash_flows=500.0, assets=model.assets).wealth[:, -1]
    assert chances["Never rebalance"] == pytest.approx(float(np.mean(end >= 150_000)))
    assert "Chance of reaching the goal" in comparison.table.value
    assert "The chance of ending with at least $150,000 ranged from" in (
        comparison.panel.sentence)
    comparison.goal_box.value = "  "
    assert comparison.goal is None
    assert "Chance of reaching the goal" not in comparison.table.value


def test_a_learners_band_rule_joins_the_comparison(comparison, add_rule):
    builder = comparison.rule_builder
    add_rule(builder, kind="both", points="7", relative="20", trade_to="band", check="quarterly")
    rule = policies.Threshold(absolute=0.07, relative=0.2, check="quarterly", trade_to="band")
    assert comparison.policies[-1] == rule
    assert comparison.message.kind == ""
    assert rule.label in comparison.table.value
    assert rule.label in paired(comparison)
    builder.add_button.click()  # the same rule twice is one box
    assert [b.description for b in comparison.policy_boxes].count(rule.label) == 1


@pytest.mark.parametrize(
    ("box", "typed", "words"),
    [
        ("points_box", "", "Band (points) is empty"),
        ("points_box", "abc", "Band (points) must be a number"),
        ("points_box", "-3", "Band (points) must be at least 0.1;"),
        ("points_box", "80", "Band (points) must be at most 50;"),
        ("points_box", "nan", "Band (points)"),
    ],
)
def test_a_bad_band_says_what_to_fix_and_adds_nothing(comparison, box, typed, words):
    before = comparison.policies
    getattr(comparison.rule_builder, box).value = typed
    comparison.rule_builder.add_button.click()
    assert comparison.message.kind == "error"
    assert words in comparison.message.text
    assert comparison.policies == before


def test_the_added_rules_are_capped(comparison):
    builder = comparison.rule_builder
    for width in range(1, 40):
        builder.points_box.value = str(width)
        builder.add_button.click()
    assert len(comparison.policy_boxes) == MAX_POLICIES
    assert "at most 24 policies" in comparison.message.text


@pytest.mark.parametrize("typed", ["abc", "-5", "nan", "1e30"])
def test_a_bad_goal_keeps_the_last_result(comparison, typed):
    before = comparison.panel.chart
    comparison.goal_box.value = typed
    assert comparison.message.kind == "error"
    assert "Goal at the end" in comparison.message.text
    assert comparison.panel.chart is before


def test_the_table_downloads_as_csv_with_its_units():
    comparison = RebalancingComparison(n_paths=20, years=3)
    lines = comparison.download.csv.splitlines()
    assert lines[0] == (
        "Policy,Ending balance ($),Annualised return (%),Volatility (a year) (%),"
        "Worst drawdown (%),Worst 12 months (%),Average drift from target (%),Rebalances,"
        "Turnover a year (%),Trading costs paid ($)"
    )
    assert len(lines) == 1 + len(comparison.policies)
    assert lines[1].startswith("Never rebalance,")
    assert comparison.download.filename == "rebalancing-comparison.csv"


def policy_colours(spec: dict) -> dict[str, str]:
    """Policy -> colour, read from every colour scale of a chart spec."""
    found: dict[str, str] = {}

    def walk(node):
        if isinstance(node, dict):
            scale = node.get("scale") if node.get("field") == "policy" else None
            if isinstance(scale, dict) and "domain" in scale:
                found.update(zip(scale["domain"], scale["range"], strict=True))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    return found


@pytest.mark.parametrize("reference", ["Never rebalance", "Annual", "Cash flows only"])
def test_a_policy_keeps_its_colour_in_both_charts(comparison, reference):
    comparison.reference_dropdown.value = reference
    dots = policy_colours(comparison.panel.chart.to_dict())
    gaps = policy_colours(comparison.paired_panel.chart.to_dict())
    shown = set(paired(comparison))
    assert shown and reference not in shown
    assert {policy: gaps[policy] for policy in shown} == {policy: dots[policy]
                                                          for policy in shown}
    assert len(set(dots.values())) == len(dots)  # and the policies' colours differ

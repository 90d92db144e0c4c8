"""HistoryLab driven as a person would: the span, the mix, the rules, the data, bad typing."""

from __future__ import annotations

import io
import time

import numpy as np
import pandas as pd
import pytest
import traitlets

from rebalance_widgets import HistoryLab
from rebalance_widgets.core.history_runs import history_runs
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.core.study import history_study
from rebalance_widgets.widgets.history_lab import DEFAULT_RULES, LAB_RULES, PUBLISHED_RULES


@pytest.fixture
def lab() -> HistoryLab:
    return HistoryLab()


def lines(panel) -> pd.DataFrame:
    text = panel.chart.to_dict()["datasets"]["lines"]
    return pd.read_csv(io.StringIO(text), parse_dates=["date"])


def study_rows(start: str, end: str, target=(0.6, 0.4)) -> pd.DataFrame:
    return history_study(target=target, start=start, end=end).set_index("policy")


def test_first_view_is_the_whole_monthly_history_with_the_default_rules(lab):
    assert lab.rules == DEFAULT_RULES
    table = lab.runs.table.set_index("rule")
    study = study_rows("1926-07", "2022-11")
    for rule in DEFAULT_RULES:
        for column in ("average_stock_weight", "annualised_return", "max_drawdown"):
            assert table.loc[rule, column] == pytest.approx(study.loc[rule, column], abs=1e-12)
        assert table.loc[rule, "rebalance_count"] == study.loc[rule, "rebalance_count"]
    assert lab.table_summary.value.startswith("Replaying from July 1926 to November 2022")
    assert "never rebalancing 87%" in lab.table_summary.value
    assert "Never rebalance" in lab.table.value and "<script" not in lab.table.value
    assert lab.growth_panel.sentence.startswith("$1 put in at the end of June 1926 grew to")
    assert "log scale" in lab.growth_panel.sentence
    spec = lab.growth_panel.chart.to_dict()
    assert spec["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"
    assert "The deepest fall was" in lab.falls_panel.sentence
    assert "1,008 / 1,002" in lab.published_table.value  # the count the paper quotes


def test_changing_the_span_redraws_every_view_with_the_same_numbers_as_the_core(lab):
    before = (lab.table_summary.value, lab.growth_panel.sentence, lab.share_panel.sentence,
              lab.falls_panel.sentence)
    started = time.perf_counter()
    lab.start_box.value = "1973"
    seconds = time.perf_counter() - started
    assert seconds < 1.0, seconds  # a span change redraws in well under a second
    assert (lab.start_year, lab.end_year) == (1973, 2022)
    after = (lab.table_summary.value, lab.growth_panel.sentence, lab.share_panel.sentence,
             lab.falls_panel.sentence)
    assert all(a != b for a, b in zip(before, after, strict=True))
    assert lab.table_summary.value.startswith("Replaying from January 1973 to November 2022")
    study = study_rows("1973-01", "2022-11")
    table = lab.runs.table.set_index("rule")
    for rule in DEFAULT_RULES:
        assert table.loc[rule, "annualised_return"] == pytest.approx(
            study.loc[rule, "annualised_return"], abs=1e-12)
    grown = lines(lab.growth_panel)
    never = grown[grown["rule"] == "Never rebalance"]
    assert never["date"].iloc[0] == pd.Timestamp("1972-12-31")
    assert never["value"].iloc[-1] == pytest.approx(study.loc["Never rebalance",
                                                              "terminal_wealth"], rel=1e-9)
    worst = f"{-table['max_drawdown'].min() * 100:.0f}%"
    assert f"The deepest fall was {worst}" in lab.falls_panel.sentence


def test_moving_the_mix_rescales_the_others_and_follows_the_core(lab):
    lab.end_box.value = "2009"
    lab.sliders["stocks"].value = 0.5
    assert lab.target == {"stocks": 0.5, "bonds": 0.5, "cash": 0.0}
    lab.sliders["cash"].value = 0.2
    assert lab.target == pytest.approx({"stocks": 0.4, "bonds": 0.4, "cash": 0.2})
    assert lab.sliders["bonds"].value == pytest.approx(0.4)
    direct = history_runs({r: LAB_RULES[r] for r in DEFAULT_RULES}, (0.4, 0.4, 0.2),
                          1926, 2009)
    pd.testing.assert_frame_equal(lab.runs.table, direct.table)
    assert "The target was 40% in stocks" in lab.share_panel.sentence
    target = lab.share_panel.chart.to_dict()["datasets"]["target"]
    assert target == [{"value": 0.4, "label": "Target 40%"}]


def test_ticking_rules_adds_their_lines_and_rows(lab):
    lab.rule_boxes["Quarterly, 1% band"].value = True
    assert "Quarterly, 1% band" in lab.rules
    assert "Quarterly, 1% band" in set(lines(lab.share_panel)["rule"])
    assert "Quarterly, 1% band" in lab.table.value
    for name in DEFAULT_RULES:
        lab.rule_boxes[name].value = False
    assert lab.rules == ("Quarterly, 1% band",)
    lab.rule_boxes["Quarterly, 1% band"].value = False  # the last one: refused
    assert lab.message.kind == "error" and "at least one rule" in lab.message.text
    assert lab.rules == ("Quarterly, 1% band",)
    assert "Quarterly, 1% band" in lab.table.value  # the last good table stays


def test_end_before_start_is_refused_and_the_last_good_view_stays(lab):
    lab.start_box.value = "2000"
    good = (lab.growth_panel.chart, lab.table.value)
    lab.end_box.value = "1999"
    assert lab.message.kind == "error"
    assert "comes before the start year" in lab.message.text
    assert (lab.start_year, lab.end_year) == (2000, 2022)
    assert lab.growth_panel.chart is good[0] and lab.table.value == good[1]
    lab.end_box.value = "2022"
    assert lab.message.kind == ""


@pytest.mark.parametrize("typed", ["", "abc", "-5", "nan", "1e308", "1900", "2030", "1990.5"])
def test_bad_years_get_a_message(lab, typed):
    lab.start_box.value = typed
    assert lab.message.kind == "error", typed
    assert lab.start_year == 1926


def test_yearly_data_reach_2025_and_leave_out_checks_they_cannot_make(lab):
    lab.frequency_menu.value = "yearly"
    assert (lab.start_year, lab.end_year) == (1928, 2022)
    assert "the span is now 1928 to 2022" in lab.message.text
    assert lab.rule_boxes["Monthly, no band"].disabled
    lab.end_box.value = "2025"
    assert lab.message.kind == "info" and "left out" in lab.message.text
    assert set(lab.runs.table["rule"]) == {"Never rebalance", "Annual, no band",
                                           "Annual, 10% band"}
    assert lab.table_summary.value.startswith("Replaying from 1928 to 2025")
    assert lab.growth_panel.sentence.startswith("$1 put in at the end of 1927")
    lab.frequency_menu.value = "monthly"
    assert (lab.start_year, lab.end_year) == (1928, 2022)
    assert not lab.rule_boxes["Monthly, no band"].disabled


def test_cost_and_money_added(lab):
    lab.rule_boxes["Cash flows only"].value = True
    assert "cash-flow rebalancing never trades" in lab.message.text
    lab.contribution_box.value = "500"
    assert lab.contribution == 500.0 and lab.message.kind == ""
    assert "Ending balance" in lab.table.value
    free = lab.runs.table.set_index("rule").loc["Monthly, no band", "annualised_return"]
    lab.cost_box.value = "0.5"
    assert lab.cost_rate == pytest.approx(0.005)
    paid = lab.runs.table.set_index("rule").loc["Monthly, no band", "annualised_return"]
    assert paid < free
    lab.cost_box.value = "50"
    assert lab.message.kind == "error" and lab.cost_rate == pytest.approx(0.005)


def test_the_published_button_sets_up_the_published_test(lab):
    lab.start_box.value = "1990"
    lab.use_published()
    assert (lab.start_year, lab.end_year, lab.frequency) == (1926, 2009, "monthly")
    assert lab.rules == PUBLISHED_RULES and len(PUBLISHED_RULES) == 11
    assert lab.target == {"stocks": 0.6, "bonds": 0.4, "cash": 0.0}
    counts = lab.runs.table.set_index("rule")["rebalance_count"]
    assert counts["Monthly, no band"] == 1002 and counts["Annual, 10% band"] == 15
    assert lab.start_box.value == "1926" and lab.end_box.value == "2009"


def test_the_published_button_works_after_bad_typing_and_redraws_once(lab, monkeypatch):
    lab.end_box.value = "abc"
    lab.cost_box.value = "lots"
    assert lab.message.kind == "error"
    redraws = []
    monkeypatch.setattr(lab.growth_panel, "update",
                        lambda chart, sentence: redraws.append(sentence))
    lab.published_button.click()
    assert lab.message.kind == "" and len(redraws) == 1, (lab.message.text, redraws)
    assert (lab.end_year, lab.cost_rate) == (2009, 0.0)
    assert lab.end_box.value == "2009" and lab.cost_box.value == "0"


def test_rules_set_from_code_tick_their_boxes_and_unknown_ones_are_refused(lab):
    lab.rules = ("Annual, 5% band", "Never rebalance")
    assert lab.rule_boxes["Annual, 5% band"].value and not lab.rule_boxes["Monthly, no band"].value
    assert list(lab.runs.table["rule"]) == ["Annual, 5% band", "Never rebalance"]
    with pytest.raises(traitlets.TraitError, match="Choose rules from"):
        lab.rules = ("Every leap year",)
    with pytest.raises(traitlets.TraitError, match="monthly or yearly"):
        lab.frequency = "daily"


def test_after_inflation_shows_growth_in_dollars_of_the_start(lab):
    nominal = lines(lab.growth_panel)
    lab.inflation_box.value = True
    real = lines(lab.growth_panel)
    prices = lab.runs.prices
    never = lab.runs.table.set_index("rule").loc["Never rebalance"]
    assert real["value"].iloc[-1] < nominal["value"].iloc[-1]
    assert never["real_growth_of_1"] == pytest.approx(never["growth_of_1"] / prices.iloc[-1])
    months = len(prices) - 1
    assert never["real_annualised_return"] == pytest.approx(
        never["real_growth_of_1"] ** (12 / months) - 1)
    assert 16 < prices.iloc[-1] < 18  # CPI-U, June 1926 to November 2022
    assert "counted in dollars of June 1926: prices rose 16.8 times" in lab.growth_panel.sentence
    assert "Growth per year after inflation" in lab.table.value
    lab.inflation_box.value = False
    assert "after inflation" not in lab.table.value


def test_no_chart_carries_nan(lab):
    lab.sliders["stocks"].value = 1.0
    for panel in (lab.growth_panel, lab.share_panel):
        assert not np.isnan(lines(panel)["value"]).any()
    assert lab.falls_panel.chart.to_dict()["datasets"]["falls"]


def test_one_year_alone_can_be_replayed_with_monthly_data(lab):
    lab.start_box.value, lab.end_box.value = "2020", "2020"
    assert lab.message.kind == ""
    assert (lab.start_year, lab.end_year) == (2020, 2020)
    assert "from January 2020 to December 2020" in lab.table_summary.value
    lab.frequency_menu.value = "yearly"  # yearly data need two years: the span widens
    assert (lab.start_year, lab.end_year) == (2020, 2021)
    lab.end_box.value = "2020"
    assert "With yearly data, pick two years or more" in lab.message.text


@pytest.mark.parametrize("typed", ["1900", "2030"])
def test_years_in_messages_are_written_as_years(lab, typed):
    lab.start_box.value = typed
    assert "must be a year from 1926 to 2022" in lab.message.text
    assert "1,926" not in lab.message.text


def test_the_sentence_under_the_table_follows_the_inflation_switch(lab):
    lab.inflation_box.value = True
    real = lab.runs.table.set_index("rule")["real_annualised_return"]
    best = real.idxmax()
    assert f"“{best}” grew fastest after inflation, {real[best] * 100:.2f}% a year" in (
        lab.table_summary.value)


def test_the_table_downloads_as_csv_with_its_units(lab):
    lines = lab.download.csv.splitlines()
    assert lines[0] == ("Rule,Average share in stocks (%),Rebalances,Traded per year (%),"
                        "Growth per year (%),Volatility (%),Worst fall (%),Worst 12 months (%),"
                        "What $1 grew to ($)")
    assert len(lines) == 1 + len(lab.runs.table)
    assert lab.download.filename == "history-lab.csv"
    never = lab.runs.table.set_index("rule").loc["Never rebalance"]
    first = lines[1].split(",")
    assert first[0] == "Never rebalance"
    assert float(first[4]) == pytest.approx(never["annualised_return"] * 100, abs=1e-4)


def test_the_published_test_downloads_too_and_tables_are_named_by_their_titles(lab):
    lines = lab.published_download.csv.splitlines()
    assert lines[0].startswith("Rule,Average share in stocks (published) (%),"
                               "Average share in stocks (ours) (%),Rebalances (published)")
    monthly = next(line for line in lines if line.startswith('"Monthly, no band"'))
    assert ",1008.0,1002.0," in monthly
    for html in (lab.table.value, lab.published_table.value):
        key = html.split('id="', 1)[1].split('"', 1)[0]
        assert f'aria-labelledby="{key}"' in html and "<caption" not in html


def test_a_learners_band_rule_joins_the_lab_and_is_run_on_real_history(lab, add_rule):
    builder = lab.rule_builder
    add_rule(builder, kind="both", points="7", relative="20", trade_to="band", check="quarterly")
    rule = policies.Threshold(absolute=0.07, relative=0.2, check="quarterly", trade_to="band")
    assert lab.message.kind == ""
    assert lab.rules[-1] == rule.label
    row = lab.runs.table.set_index("rule").loc[rule.label]
    direct = history_runs({rule.label: rule}, (0.6, 0.4, 0.0), 1926, 2022)
    assert row["rebalance_count"] == direct.table.loc[0, "rebalance_count"]
    assert row["annualised_return"] == pytest.approx(direct.table.loc[0, "annualised_return"])
    lab.frequency_menu.value = "yearly"  # a quarterly check cannot run on yearly data
    assert lab.rule_boxes[rule.label].disabled
    builder.check.value = "annual"
    builder.add_button.click()
    assert lab.rules[-1] == "7/20 band, checked annually (to edge)"
    builder.points_box.value = "x"
    assert "Band (points) must be a number" in lab.message.text

"""CostsAndTaxes driven as a person would: charge sliders, account buttons, typing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import traitlets

from rebalance_widgets import CostsAndTaxes
from rebalance_widgets.core import markets, simulate
from rebalance_widgets.core.planning import accounts
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.simulated import return_model, target_weights

PATHS, YEARS, SEED = 30, 4, 5


@pytest.fixture
def costs() -> CostsAndTaxes:
    return CostsAndTaxes(n_paths=PATHS, years=YEARS, seed=SEED)


def bars(widget: CostsAndTaxes) -> pd.DataFrame:
    spec = widget.wealth_panel.chart.to_dict()
    return pd.DataFrame(spec["datasets"]["wealth"]).set_index("account")


def paid(widget: CostsAndTaxes) -> pd.DataFrame:
    spec = widget.costs_panel.chart.to_dict()
    return pd.DataFrame(spec["datasets"]["costs"]).pivot(index="year", columns="kind",
                                                         values="value")


def test_after_tax_bars_follow_each_accounts_rule(costs):
    table = bars(costs)
    assert table.index.tolist() == ["401(k)", "Roth 401(k)", "Taxable account"]
    # The same pay before tax: all of it grows in the 401(k), which then pays 12% on the
    # way out; the Roth gets 78% of it (22% tax now) and pays nothing later. The same
    # trades in proportion, so each 401(k) percentile is the Roth's times 0.88 / 0.78.
    for column in ("low", "middle", "high"):
        assert table.loc["401(k)", column] == pytest.approx(
            0.88 / 0.78 * table.loc["Roth 401(k)", column], rel=1e-12)
    assert (table.loc["Taxable account"] < table.loc["Roth 401(k)"]).all()
    costs.income_tax_slider.value = 0.22  # the same rate now and later: the same money
    table = bars(costs)
    assert table.loc["401(k)"].tolist() == pytest.approx(table.loc["Roth 401(k)"].tolist())
    assert "The 401(k) and the Roth come out the same" in costs.wealth_panel.sentence
    costs.tax_now_slider.value = 0.10  # lower tax now: the Roth comes out ahead
    assert "The Roth comes out ahead of the 401(k) because its tax (10% now)" in (
        costs.wealth_panel.sentence)


def test_the_roth_bar_is_the_median_of_a_direct_simulation(costs):
    model = return_model("historical")
    draws = base.DRAWS.get(model, seed=SEED, n_paths=PATHS, n_periods=YEARS * 12)
    # The Roth gets the pay less 22% income tax: 78,000 at the start and 390 a month.
    run = simulate(
        draws, target_weights({"stocks": 0.6, "bonds": 0.4}, model.assets),
        policies.Calendar("annual"), initial_value=78_000.0, cost_rate=0.001,
        expense_ratio=0.005, cash_flows=390.0, account=accounts.Roth(), assets=model.assets,
    )
    expected = np.percentile(run.after_tax_wealth, [10, 50, 90])
    assert bars(costs).loc["Roth 401(k)", ["low", "middle", "high"]].tolist() == pytest.approx(
        expected.tolist()
    )


def test_with_no_tax_on_gains_or_income_the_taxable_account_matches_the_roth(costs):
    costs.gains_tax_slider.value = 0.0
    assert paid(costs)["Taxes on gains"].max() == 0
    assert paid(costs)["Taxes on dividends and interest"].iloc[-1] > 0
    costs.dividend_tax_slider.value = 0.0
    table = bars(costs)
    assert table.loc["Taxable account"].tolist() == pytest.approx(
        table.loc["Roth 401(k)"].tolist()
    )
    assert paid(costs)["Taxes on dividends and interest"].max() == 0
    assert "the taxable account keeps up with the Roth" in costs.wealth_panel.sentence


def test_zero_charges_draw_flat_zero_lines(costs):
    costs.cost_slider.value = 0.0
    costs.expense_slider.value = 0.0
    lines = paid(costs)
    assert lines.index.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert lines["Trading costs"].max() == 0
    assert lines["Fund fees"].max() == 0
    assert "trading costs $0, fund fees $0, taxes on gains $" in costs.costs_panel.sentence
    assert "and taxes on dividends and interest $" in costs.costs_panel.sentence


def test_costs_only_grow_and_start_at_zero(costs):
    lines = paid(costs)
    assert lines.iloc[0].tolist() == [0.0, 0.0, 0.0, 0.0]
    for kind in lines.columns:
        assert (np.diff(lines[kind].to_numpy()) >= 0).all()
    assert lines["Fund fees"].iloc[-1] > 0


def test_switching_account_redraws_without_simulating_again(costs):
    simulated = costs._results
    costs.account_buttons.value = "401k"
    assert costs._results is simulated
    assert paid(costs)["Taxes on gains"].max() == 0
    assert costs.costs_panel.sentence.startswith("Over 4 years in a 401(k), the median future")


def test_a_higher_expense_ratio_costs_more_fees(costs):
    before = paid(costs)["Fund fees"].iloc[-1]
    costs.expense_slider.value = 0.01
    assert paid(costs)["Fund fees"].iloc[-1] > 1.9 * before


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("abc", "Starting balance must be a number, like 25,000; you typed “abc”."),
        ("12,000,000,000", "Starting balance must be at most $1,000,000,000"),
        ("nan", "Starting balance must be a number"),
    ],
)
def test_bad_starting_balance_keeps_the_last_charts(costs, typed, words):
    before = costs.wealth_panel.chart
    costs.initial_box.value = typed
    assert costs.message.kind == "error"
    assert words in costs.message.text
    assert costs.wealth_panel.chart is before
    costs.initial_box.value = "50,000"
    assert costs.message.kind == ""
    assert costs.initial_value == 50_000


def test_wealth_sentence_reads_the_medians(costs):
    table = bars(costs)
    sentence = costs.wealth_panel.sentence
    assert sentence.startswith(
        "From the same pay before tax, the median future leaves "
        f"{base.money(table.loc['401(k)', 'middle'])} in a 401(k), "
        f"{base.money(table.loc['Roth 401(k)', 'middle'])} in a Roth 401(k)"
    )
    assert "The 401(k) comes out ahead of the Roth because its tax (12% in retirement)" in (
        sentence)
    assert "so it trails" in sentence


def test_cost_lines_are_the_medians_of_the_running_totals_of_a_direct_simulation(costs):
    model = return_model("historical")
    draws = base.DRAWS.get(model, seed=SEED, n_paths=PATHS, n_periods=YEARS * 12)
    # The taxable account: the pay less 22% income tax, yearly tax of 15% on the income
    # yields at the end of the embedded data.
    account = accounts.Taxable(tax_rate=0.15, dividend_tax=0.15,
                               income_yield=markets.income_yields())
    run = simulate(
        draws, target_weights({"stocks": 0.6, "bonds": 0.4}, model.assets),
        policies.Calendar("annual"), initial_value=78_000.0, cost_rate=0.001,
        expense_ratio=0.005, cash_flows=390.0, account=account, assets=model.assets,
    )
    lines = paid(costs)
    charges = {"costs": run.costs, "fees": run.fees, "taxes": run.taxes - run.income_taxes,
               "income": run.income_taxes}
    for attribute, kind in (("costs", "Trading costs"), ("fees", "Fund fees"),
                            ("taxes", "Taxes on gains"),
                            ("income", "Taxes on dividends and interest")):
        so_far = np.cumsum(charges[attribute], axis=1)[:, ::12]
        np.testing.assert_allclose(lines[kind].to_numpy(), np.median(so_far, axis=0),
                                   rtol=1e-12, atol=1e-9)
    assert lines["Fund fees"].iloc[-1] > 0


@pytest.mark.parametrize("name", ["tax_now", "income_tax", "dividend_tax", "gains_tax",
                                  "cost_rate", "expense_ratio"])
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -0.1, 1.0, 2.0])
def test_a_rate_set_from_code_must_be_a_rate(name, bad):
    w = CostsAndTaxes(n_paths=20, years=2)
    before = getattr(w, name)
    with pytest.raises(traitlets.TraitError, match=f"{name.replace('_', ' ')} must be a rate"):
        setattr(w, name, bad)
    assert getattr(w, name) == before


def test_a_learners_band_rule_can_be_costed():
    from rebalance_widgets import CostsAndTaxes
    from rebalance_widgets.core.simulation import policies as rules

    widget = CostsAndTaxes(n_paths=30, years=5)
    widget.rule_builder.points_box.value = "3"
    widget.rule_builder.check.value = "annual"
    widget.rule_builder.add_button.click()
    assert widget.policy == rules.Threshold(0.03, check="annual")
    assert widget.message.kind == ""

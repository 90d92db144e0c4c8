"""Hand-computed cases for simulate(); every expected number is derived in a comment."""

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets.core import (
    Roth,
    SimulationResult,
    Taxable,
    TaxDeferred,
    compare,
    policies,
    simulate,
)

EXACT = dict(rtol=1e-12, atol=1e-12)

# 60/40 stocks/bonds, monthly: stocks +10% then -5%, then a flat month; bonds flat.
TWO_ASSETS = np.array([[0.10, 0.0], [-0.05, 0.0], [0.0, 0.0]])


def test_never_lets_the_weights_drift():
    res = simulate(TWO_ASSETS, [0.6, 0.4])
    # t1: stocks 0.6 * 1.1 = 0.66, bonds 0.4, wealth 1.06; t2: stocks 0.66 * 0.95 = 0.627
    np.testing.assert_allclose(res.wealth, [[1.0, 1.06, 1.027, 1.027]], **EXACT)
    np.testing.assert_allclose(res.weights[0, 1], [0.66 / 1.06, 0.4 / 1.06], **EXACT)
    np.testing.assert_allclose(res.weights[0, 3], [0.627 / 1.027, 0.4 / 1.027], **EXACT)
    assert not res.rebalanced.any()
    assert res.wealth.shape == (1, 4) and res.weights.shape == (1, 4, 2)


def test_quarterly_trades_once_at_month_three():
    res = simulate(TWO_ASSETS, [0.6, 0.4], policies.Calendar("quarterly"))
    # same wealth as never (no costs); at t3 stocks 0.627 -> 0.6 * 1.027 = 0.6162, so
    # 0.0108 of stocks is sold and 0.0108 of bonds bought
    np.testing.assert_allclose(res.wealth, [[1.0, 1.06, 1.027, 1.027]], **EXACT)
    assert res.rebalanced.tolist() == [[False, False, False, True]]
    np.testing.assert_allclose(res.sells[0], [0, 0, 0, 0.0108], **EXACT)
    np.testing.assert_allclose(res.buys[0], [0, 0, 0, 0.0108], **EXACT)
    np.testing.assert_allclose(res.weights[0, 3], [0.6, 0.4], **EXACT)
    np.testing.assert_allclose(res.weights_before_trade[0, 3], [0.627 / 1.027, 0.4 / 1.027],
                               **EXACT)


def test_monthly_rebalancing_changes_the_wealth():
    res = simulate(TWO_ASSETS, [0.6, 0.4], policies.Calendar("monthly"))
    # t1: 0.66 + 0.4 = 1.06 -> 0.636 / 0.424 (trade 0.024)
    # t2: stocks 0.636 * 0.95 = 0.6042, wealth 1.0282 -> 0.61692 / 0.41128 (trade 0.01272)
    # t3: flat, already on target: nothing to trade, so no rebalance is counted
    np.testing.assert_allclose(res.wealth, [[1.0, 1.06, 1.0282, 1.0282]], **EXACT)
    np.testing.assert_allclose(res.buys[0], [0, 0.024, 0.01272, 0], **EXACT)
    assert res.rebalanced.tolist() == [[False, True, True, False]]


def test_flat_prices_keep_everything_still():
    returns = np.zeros((2, 24, 3))
    res = simulate(returns, [0.5, 0.3, 0.2], policies.Calendar("monthly"), initial_value=100)
    np.testing.assert_allclose(res.wealth, 100.0, **EXACT)
    np.testing.assert_allclose(res.weights, np.broadcast_to([0.5, 0.3, 0.2], (2, 25, 3)),
                               **EXACT)
    assert not res.rebalanced.any()
    assert (res.buys == 0).all() and (res.sells == 0).all() and (res.costs == 0).all()


def test_flat_prices_with_contributions_add_up():
    # 100 a month for 12 months, bought at the target: wealth = 1000 + 100 t
    res = simulate(np.zeros((12, 2)), [0.7, 0.3], policies.Calendar("quarterly"),
                   initial_value=1000, cash_flows=100)
    np.testing.assert_allclose(res.wealth[0], 1000 + 100 * np.arange(13), **EXACT)
    np.testing.assert_allclose(res.buys[0, 1:], 100, **EXACT)
    np.testing.assert_allclose(res.flows[0], [0] + [100] * 12, **EXACT)
    assert not res.rebalanced.any()


def stocks_up(*moves):
    """Two assets; stocks move as given, bonds stay flat."""
    return np.array([[move, 0.0] for move in moves])


def test_five_point_threshold_triggers_exactly_once():
    res = simulate(stocks_up(0.1, 0.1, 0.1, 0.0), [0.6, 0.4], policies.Threshold(0.05))
    # stocks 0.66, 0.726, 0.7986 against bonds 0.4: weights 0.6226, 0.6448, 0.6663;
    # only the third month is more than 5 points over 60%
    assert res.rebalanced.tolist() == [[False, False, False, True, False]]
    np.testing.assert_allclose(res.weights_before_trade[0, 3, 0], 0.7986 / 1.1986, **EXACT)
    np.testing.assert_allclose(res.weights[0, 3], [0.6, 0.4], **EXACT)
    np.testing.assert_allclose(res.sells[0, 3], 0.7986 - 0.6 * 1.1986, **EXACT)


def test_band_edge_lands_exactly_on_65_percent():
    policy = policies.Threshold(0.05, trade_to="band")
    res = simulate(stocks_up(0.1, 0.1, 0.1, 0.0), [0.6, 0.4], policy)
    # stocks end at 0.65 x 1.1986 = 0.77909: sell 0.7986 - 0.77909 = 0.01951
    np.testing.assert_allclose(res.weights[0, 3], [0.65, 0.35], **EXACT)
    np.testing.assert_allclose(res.sells[0, 3], 0.01951, **EXACT)
    np.testing.assert_allclose(res.wealth[0, 3], 1.1986, **EXACT)
    # the next (flat) month sits on the edge, which is inside the band: no trade
    assert res.rebalanced.tolist() == [[False, False, False, True, False]]


def test_five_twenty_five_uses_the_smaller_band():
    # 80/20: stocks' band is min(5, 25% of 80 = 20) = 5 points, bonds' min(5, 5) = 5 points;
    # 90/10: bonds' band is 2.5 points. Bonds -20% moves 90/10 to 90/8 -> bonds 8.16%,
    # 1.84 points under: inside 2.5. Another -20%: 6.4/96.4 = 6.64%, 3.36 points: trade.
    policy = policies.Threshold(0.05, 0.25)
    returns = np.array([[0.0, -0.2], [0.0, -0.2]])
    res = simulate(returns, [0.9, 0.1], policy)
    assert res.rebalanced.tolist() == [[False, False, True]]
    np.testing.assert_allclose(res.weights[0, 2], [0.9, 0.1], **EXACT)


def test_threshold_zero_equals_the_calendar_on_the_same_dates():
    rng = np.random.default_rng(4)
    returns = rng.normal(0.01, 0.05, (3, 24, 3))
    a = simulate(returns, [0.5, 0.3, 0.2], policies.Threshold(0.0, check="quarterly"))
    b = simulate(returns, [0.5, 0.3, 0.2], policies.Calendar("quarterly"))
    np.testing.assert_array_equal(a.rebalanced, b.rebalanced)
    np.testing.assert_allclose(a.wealth, b.wealth, **EXACT)


def test_cost_of_one_percent_on_a_known_trade():
    res = simulate(TWO_ASSETS, [0.6, 0.4], policies.Calendar("quarterly"), cost_rate=0.01)
    # traded 0.0108 + 0.0108 = 0.0216, cost 0.000216, taken pro-rata: weights stay 60/40
    np.testing.assert_allclose(res.costs[0], [0, 0, 0, 0.000216], **EXACT)
    np.testing.assert_allclose(res.wealth[0, 3], 1.027 - 0.000216, **EXACT)
    np.testing.assert_allclose(res.weights[0, 3], [0.6, 0.4], **EXACT)


def test_contributions_pay_the_trading_cost_too():
    res = simulate(np.zeros((1, 2)), [0.5, 0.5], initial_value=100, cash_flows=10,
                   cost_rate=0.01)
    # 10 invested -> cost 0.1 -> wealth 109.9
    np.testing.assert_allclose(res.wealth[0], [100, 109.9], **EXACT)
    np.testing.assert_allclose(res.costs[0], [0, 0.1], **EXACT)


def test_taxable_sale_with_known_basis():
    # 100 in 60/40, stocks +50%: stocks 90 (basis 60), bonds 40 (basis 40), wealth 130.
    # Rebalance to 78/52: sell 12 of stocks; basis share 60/90 = 2/3, gain 12/3 = 4,
    # tax 15% x 4 = 0.6. Basis: stocks 60 - 8 = 52, bonds 40 + 12 = 52.
    # Tax paid pro-rata: wealth 129.4, weights stay 60/40, basis x 129.4/130 = 51.76 each.
    # If sold at the end: gain 129.4 - 103.52 = 25.88, tax 3.882 -> 125.518.
    res = simulate(stocks_up(0.5), [0.6, 0.4], policies.Calendar(1), initial_value=100,
                   account=Taxable(0.15))
    np.testing.assert_allclose(res.taxes[0], [0, 0.6], **EXACT)
    np.testing.assert_allclose(res.wealth[0], [100, 129.4], **EXACT)
    np.testing.assert_allclose(res.weights[0, 1], [0.6, 0.4], **EXACT)
    np.testing.assert_allclose(res.after_tax_wealth, [125.518], **EXACT)


def test_losses_offset_gains_in_the_same_step():
    # stocks +50% (90, basis 60), bonds -25% (30, basis 40); withdraw 12 = 10% pro-rata:
    # stocks sell 9 (gain 3), bonds sell 3 (loss 1): net gain 2, tax 0.3
    returns = np.array([[0.5, -0.25]])
    res = simulate(returns, [0.6, 0.4], initial_value=100, cash_flows=-12,
                   account=Taxable(0.15))
    np.testing.assert_allclose(res.taxes[0], [0, 0.3], **EXACT)
    np.testing.assert_allclose(res.sells[0], [0, 12], **EXACT)
    np.testing.assert_allclose(res.wealth[0], [100, 120 - 12 - 0.3], **EXACT)


def test_tax_deferred_and_roth_never_tax_trades():
    for account, after_tax in ((TaxDeferred(), 129.0), (TaxDeferred(0.25), 129 * 0.75),
                               (Roth(), 129.0)):
        res = simulate(stocks_up(0.5), [0.6, 0.4], policies.Calendar(1), initial_value=100,
                       account=account, cost_rate=0.0, expense_ratio=0.0,
                       cash_flows=-1.0)
        assert (res.taxes == 0).all()
        np.testing.assert_allclose(res.after_tax_wealth, [after_tax], **EXACT)


def test_contributions_go_to_the_most_underweight_asset_first():
    # 50/30/20 of 100; +20%, 0, -10% -> 60, 30, 18 (108). Add 6: wealth 114, targets
    # 57, 34.2, 22.8, shortfalls -3, 4.2, 4.8. Levelling 6 over the two shortfalls:
    # level (4.2 + 4.8 - 6) / 2 = 1.5, so bonds get 2.7 and cash 3.3.
    res = simulate(np.array([[0.2, 0.0, -0.1]]), [0.5, 0.3, 0.2], initial_value=100,
                   cash_flows=6, flows_to="underweight")
    np.testing.assert_allclose(res.wealth[0, 1] * res.weights[0, 1], [60, 32.7, 21.3],
                               **EXACT)
    np.testing.assert_allclose(res.buys[0, 1], 6, **EXACT)
    # the cash-flow policy does the same whatever flows_to says
    same = simulate(np.array([[0.2, 0.0, -0.1]]), [0.5, 0.3, 0.2], policies.CashFlow(),
                    initial_value=100, cash_flows=6)
    np.testing.assert_allclose(same.weights, res.weights, **EXACT)
    assert not same.rebalanced.any()


def test_a_big_enough_contribution_reaches_the_target():
    # 90/40 after stocks +50%; add 30: wealth 160, targets 96/64, shortfalls 6 and 24
    res = simulate(stocks_up(0.5), [0.6, 0.4], initial_value=100, cash_flows=30,
                   flows_to="underweight")
    np.testing.assert_allclose(res.weights[0, 1], [0.6, 0.4], **EXACT)


def test_withdrawals_pro_rata_and_from_the_overweight_asset():
    # stocks 90, bonds 40 (130); take 30
    pro_rata = simulate(stocks_up(0.5), [0.6, 0.4], initial_value=100, cash_flows=-30)
    np.testing.assert_allclose(pro_rata.weights[0, 1], [90 / 130, 40 / 130], **EXACT)
    np.testing.assert_allclose(pro_rata.wealth[0, 1], 100, **EXACT)
    # from the overweight first: wealth 100, targets 60/40, excess 30 in stocks only
    steered = simulate(stocks_up(0.5), [0.6, 0.4], initial_value=100, cash_flows=-30,
                       flows_to="underweight")
    np.testing.assert_allclose(steered.weights[0, 1], [0.6, 0.4], **EXACT)
    np.testing.assert_allclose(steered.sells[0, 1], 30, **EXACT)


def test_a_withdrawal_larger_than_the_portfolio_empties_it():
    flows = [-200.0, -10.0, 0.0, 10.0]
    res = simulate(stocks_up(0.5, 0.1, 0.1, 0.0), [0.6, 0.4], initial_value=100,
                   cash_flows=flows)
    # only the 130 that is there can be taken; then it stays empty until money comes in,
    # which is invested at the target
    np.testing.assert_allclose(res.wealth[0], [100, 0, 0, 0, 10], **EXACT)
    np.testing.assert_allclose(res.flows[0], [0, -130, 0, 0, 10], **EXACT)
    np.testing.assert_allclose(res.weights[0, 1:4], [[0.6, 0.4]] * 3, **EXACT)
    np.testing.assert_allclose(res.weights[0, 4], [0.6, 0.4], **EXACT)


def test_expense_ratio_is_a_steady_drag():
    # (1 - 0.12) ** (1/12) each month on flat prices: after 12 months exactly 0.88 is left
    res = simulate(np.zeros((12, 2)), [0.5, 0.5], initial_value=1.0, expense_ratio=0.12)
    np.testing.assert_allclose(res.wealth[0, -1], 0.88, **EXACT)
    np.testing.assert_allclose(res.fees.sum(), 0.12, **EXACT)
    np.testing.assert_allclose(res.fees[0, 1], 1 - 0.88 ** (1 / 12), **EXACT)


def test_glide_path_targets_move_with_the_calendar():
    glide = [[0.6, 0.4], [0.55, 0.45], [0.5, 0.5]]
    res = simulate(np.zeros((2, 2)), glide, policies.Calendar("monthly"))
    # flat prices: each month 5 points of stocks move to bonds
    np.testing.assert_allclose(res.weights[0], glide, **EXACT)
    np.testing.assert_allclose(res.sells[0], [0, 0.05, 0.05], **EXACT)
    np.testing.assert_allclose(res.target, glide, **EXACT)
    drift = simulate(np.zeros((2, 2)), glide)
    np.testing.assert_allclose(drift.weights[0, 2], [0.6, 0.4], **EXACT)


def test_a_total_loss_of_one_asset():
    res = simulate(np.array([[-1.0, 0.0], [0.0, 0.0]]), [0.5, 0.5], policies.Calendar(1))
    # stocks go to 0: wealth 0.5, rebalanced to 0.25/0.25
    np.testing.assert_allclose(res.wealth[0], [1.0, 0.5, 0.5], **EXACT)
    np.testing.assert_allclose(res.weights_before_trade[0, 1], [0.0, 1.0], **EXACT)
    np.testing.assert_allclose(res.weights[0, 1], [0.5, 0.5], **EXACT)


def test_dataframe_returns_name_the_assets():
    frame = pd.DataFrame({"stocks": [0.1, -0.05, 0.0], "bonds": [0.0, 0.0, 0.0]})
    res = simulate(frame, [0.6, 0.4])
    assert res.assets == ("stocks", "bonds")
    np.testing.assert_allclose(res.wealth, [[1.0, 1.06, 1.027, 1.027]], **EXACT)
    assert simulate(TWO_ASSETS, [0.6, 0.4]).assets == ("asset_1", "asset_2")
    assert simulate(TWO_ASSETS, [0.6, 0.4], assets=["a", "b"]).assets == ("a", "b")


def test_many_paths_and_per_path_cash_flows():
    returns = np.stack([TWO_ASSETS, np.zeros((3, 2))])
    flows = np.array([[0.0, 0.0, 0.0], [1.0, -0.5, 0.0]])
    res = simulate(returns, [0.6, 0.4], cash_flows=flows)
    np.testing.assert_allclose(res.wealth[0], [1.0, 1.06, 1.027, 1.027], **EXACT)
    np.testing.assert_allclose(res.wealth[1], [1.0, 2.0, 1.5, 1.5], **EXACT)
    assert isinstance(res, SimulationResult)
    assert res.n_paths == 2 and res.n_periods == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(target=[0.5, 0.4]), "Weights must add up to 100%; these add up to 90%."),
        (dict(target=[1.2, -0.2]), "cannot be negative"),
        (dict(target=[0.5, 0.3, 0.2]), "there are 2 assets but 3 weights"),
        (dict(target=np.full((3, 2), 0.5)), "one row per step"),
        (dict(returns=np.array([[-1.5, 0.0]])), "below -100%"),
        (dict(returns=np.array([[np.nan, 0.0]])), "finite"),
        (dict(returns=np.zeros(3)), "dimension"),
        (dict(policy="monthly"), "must be one of the policies"),
        (dict(cost_rate=-0.01), "trading cost must be at least 0%"),
        (dict(cost_rate=0.6), "below 50%"),
        (dict(expense_ratio=1.0), "expense ratio"),
        (dict(initial_value=-5), "zero or more dollars"),
        (dict(periods_per_year=0), "Periods per year must be positive"),
        (dict(flows_to="overweight"), "flows_to"),
        (dict(cash_flows=[1.0, 2.0]), "one cash flow per period"),
        (dict(cash_flows=np.ones((2, 3))), "shape (paths, periods)"),
        (dict(account="roth"), "TaxDeferred, Roth or Taxable"),
        (dict(assets=["a"]), "2 assets in the returns but 1 names"),
        (dict(policy=policies.Calendar("quarterly"), periods_per_year=26),
         "does not fall on a whole number of periods"),
    ],
)
def test_bad_input_says_what_to_fix(kwargs, message):
    args = dict(returns=TWO_ASSETS, target=[0.6, 0.4])
    args.update(kwargs)
    with pytest.raises(ValueError) as error:
        simulate(args.pop("returns"), args.pop("target"), **args)
    assert message in str(error.value)


def test_glide_path_with_a_bad_row_names_the_step():
    glide = [[0.6, 0.4], [0.6, 0.3], [0.5, 0.5], [0.5, 0.5]]
    with pytest.raises(ValueError, match="at step 1 add up to 90%"):
        simulate(TWO_ASSETS, glide)


def test_compare_uses_the_same_returns_for_every_policy():
    rng = np.random.default_rng(7)
    returns = rng.normal(0.005, 0.04, (50, 36, 2))
    table = compare(returns, [0.6, 0.4], {"never": policies.Never(),
                                          "quarterly": policies.Calendar("quarterly")},
                    cost_rate=0.001)
    assert list(table.index) == ["never", "quarterly"]
    never = simulate(returns, [0.6, 0.4], cost_rate=0.001)
    assert table.loc["never", "terminal_wealth"] == pytest.approx(
        np.median(never.wealth[:, -1]), rel=1e-12)
    assert table.loc["never", "terminal_wealth_p5"] == pytest.approx(
        np.percentile(never.wealth[:, -1], 5), rel=1e-12)
    assert table.loc["never", "rebalance_count"] == 0
    assert table.loc["quarterly", "rebalance_count"] == 12
    with pytest.raises(ValueError, match="at least one policy"):
        compare(returns, [0.6, 0.4], {})


def test_summary_and_metrics_come_from_the_metrics_module():
    res = simulate(np.zeros((3, 12, 2)), [0.5, 0.5], policies.Calendar("quarterly"))
    per_path = res.metrics()
    assert len(per_path) == 3
    assert per_path["terminal_wealth"].tolist() == [1.0, 1.0, 1.0]
    summary = res.summary(percentiles=(50,))
    assert summary.loc["terminal_wealth", "p50"] == 1.0


def test_taxable_account_pays_yearly_tax_on_dividends_by_hand():
    # One asset, +1% a month, of which 2.4% a year (0.2% a month) is dividends taxed at 20%.
    # Month 1: income 0.2 on 100, tax 0.04, value 101 - 0.04 = 100.96, basis 100.16.
    # Month 2: income 0.20192, tax 0.040384, value 100.96 x 1.0096 = 101.929216,
    # basis 100.16 + 0.20192 - 0.040384 = 100.321536; selling all at the end taxes the
    # gain 1.60768 at 15%: 101.929216 - 0.241152 = 101.688064.
    from rebalance_widgets.core.planning.accounts import Taxable

    account = Taxable(tax_rate=0.15, dividend_tax=0.2, income_yield={"stocks": 0.024})
    res = simulate(np.full((1, 2, 1), 0.01), [1.0], policies.Never(), initial_value=100,
                   account=account, assets=("stocks",))
    np.testing.assert_allclose(res.wealth[0], [100, 100.96, 101.929216], rtol=1e-13)
    np.testing.assert_allclose(res.income_taxes[0], [0, 0.04, 0.040384], rtol=1e-13)
    np.testing.assert_allclose(res.taxes, res.income_taxes, rtol=1e-13)
    np.testing.assert_allclose(res.after_tax_wealth, [101.688064], rtol=1e-13)
    assert account.label == "Taxable (15% on gains, 20% on income)"
    # without the tax on income nothing changes from before
    plain = simulate(np.full((1, 2, 1), 0.01), [1.0], policies.Never(), initial_value=100,
                     account=Taxable(0.15, income_yield={"stocks": 0.024}))
    assert plain.income_taxes is None
    np.testing.assert_allclose(plain.wealth[0, -1], 102.01, rtol=1e-13)


def test_income_yield_of_an_unknown_asset_is_refused():
    from rebalance_widgets.core.planning.accounts import Taxable

    account = Taxable(dividend_tax=0.2, income_yield={"gold": 0.01})
    with pytest.raises(ValueError, match=r"names gold, which is not among the assets"):
        simulate(np.zeros((1, 2, 2)), [0.5, 0.5], policies.Never(), account=account,
                 assets=("stocks", "bonds"))
    with pytest.raises(ValueError, match="income yield must map each asset"):
        Taxable(income_yield=[0.02])
    with pytest.raises(ValueError, match="income yield of stocks"):
        Taxable(income_yield={"stocks": 2.0})

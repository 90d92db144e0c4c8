import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rebalance_widgets.core.calculator.holdings import (
    Holding,
    parse_holdings_csv,
    parse_mix,
    read_holdings_csv,
)
from rebalance_widgets.core.calculator.trades import MAX_CONTRIBUTION, plan_trades

SIXTY_FORTY = {"stocks": 0.6, "bonds": 0.4}


def cents(values):
    return np.round(np.asarray(values, dtype=float) * 100).astype(np.int64)


def trades_by_fund(plan):
    return {t.fund: t.signed_amount for t in plan.trades}


def test_full_rebalance_by_hand():
    plan = plan_trades(
        [Holding("S&P 500 Index", "stocks", 70_000), Holding("Bond Index", "bonds", 30_000)],
        SIXTY_FORTY,
    )
    assert trades_by_fund(plan) == {"S&P 500 Index": -10_000.0, "Bond Index": 10_000.0}
    assert [t.action for t in plan.trades] == ["buy", "sell"]
    assert plan.classes.loc["stocks", "before"] == 70_000
    assert plan.classes.loc["stocks", "after"] == 60_000
    assert plan.classes.loc["stocks", "before_weight"] == pytest.approx(0.7)
    assert plan.classes.loc["bonds", "drift_before"] == pytest.approx(-0.1)
    np.testing.assert_allclose(plan.classes["drift_after"], 0.0, atol=1e-12)
    assert "2 trades: buy $10,000.00 and sell $10,000.00" in plan.summary
    assert "from 10.0 to 0.0 percentage points" in plan.summary
    assert list(plan.table().columns) == ["fund", "action", "amount", "asset_class"]


def test_already_on_target_needs_no_trades():
    plan = plan_trades([Holding("S", "stocks", 600), Holding("B", "bonds", 400)], SIXTY_FORTY)
    assert plan.trades == ()
    assert plan.summary.startswith("No trades needed.")


def test_full_rebalance_with_contribution_and_withdrawal():
    holdings = [Holding("S", "stocks", 70_000), Holding("B", "bonds", 30_000)]
    # Total 110,000 -> 66,000 / 44,000.
    assert trades_by_fund(plan_trades(holdings, SIXTY_FORTY, 10_000)) == {
        "S": -4_000.0,
        "B": 14_000.0,
    }
    # Total 80,000 -> 48,000 / 32,000.
    plan = plan_trades(holdings, SIXTY_FORTY, -20_000)
    assert trades_by_fund(plan) == {"S": -22_000.0, "B": 2_000.0}
    assert "taking out $20,000.00" in plan.summary


def test_buy_only_fills_the_most_underweight_first():
    holdings = [Holding("S", "stocks", 70_000), Holding("B", "bonds", 30_000)]
    small = plan_trades(holdings, SIXTY_FORTY, 10_000, mode="buy_only")
    assert trades_by_fund(small) == {"B": 10_000.0}
    # Bonds reach the stock level (70,000 / 0.6) at 46,666.67, then both rise together:
    # 50,000 new -> total 150,000 -> exactly 90,000 / 60,000.
    large = plan_trades(holdings, SIXTY_FORTY, 50_000, mode="buy_only")
    assert trades_by_fund(large) == {"S": 20_000.0, "B": 30_000.0}
    assert all(t.action == "buy" for t in large.trades)
    three = plan_trades(
        [Holding("S", "stocks", 50), Holding("B", "bonds", 30), Holding("C", "cash", 0)],
        {"stocks": 0.5, "bonds": 0.3, "cash": 0.2},
        20,
        mode="buy_only",
    )
    assert trades_by_fund(three) == {"C": 20.0}


def test_cents_add_up_exactly():
    plan = plan_trades(
        [Holding("A", "stocks", 0), Holding("B", "bonds", 0), Holding("C", "cash", 0)],
        {"stocks": 1 / 3, "bonds": 1 / 3, "cash": 1 / 3},
        100,
    )
    amounts = sorted(t.amount for t in plan.trades)
    assert amounts == [33.33, 33.33, 33.34]
    assert cents([t.signed_amount for t in plan.trades]).sum() == 10_000


def test_odd_cents_withdrawal():
    plan = plan_trades(
        [Holding("S", "stocks", 100.01), Holding("B", "bonds", 33.33)],
        {"stocks": 1 / 3, "bonds": 2 / 3},
        -50,
    )
    # Total 83.34 -> 27.78 / 55.56.
    assert trades_by_fund(plan) == {"S": -72.23, "B": 22.23}


def test_min_trade_skips_offsetting_small_trades():
    holdings = [
        Holding("S", "stocks", 59_990),
        Holding("B", "bonds", 30_010),
        Holding("C", "cash", 9_000),
    ]
    target = {"stocks": 0.6, "bonds": 0.3, "cash": 0.1}
    exact = plan_trades(holdings, target, 1_000)
    assert trades_by_fund(exact) == {"S": 10.0, "B": -10.0, "C": 1_000.0}
    plan = plan_trades(holdings, target, 1_000, min_trade=20)
    assert trades_by_fund(plan) == {"C": 1_000.0}
    assert {t.fund for t in plan.skipped} == {"S", "B"}
    assert any("2 trades under $20.00 skipped" in n and "cancel out" in n for n in plan.notes)


def test_min_trade_folds_net_into_largest_trade():
    holdings = [
        Holding("S", "stocks", 59_990),
        Holding("B", "bonds", 29_000),
        Holding("C", "cash", 10_000),
    ]
    target = {"stocks": 0.6, "bonds": 0.3, "cash": 0.1}
    assert trades_by_fund(plan_trades(holdings, target, 1_010)) == {"S": 10.0, "B": 1_000.0}
    plan = plan_trades(holdings, target, 1_010, min_trade=20)
    assert trades_by_fund(plan) == {"B": 1_010.0}
    assert any("went into the trade of B" in n for n in plan.notes)
    buy_only = plan_trades(holdings, target, 1_010, mode="buy_only", min_trade=20)
    assert trades_by_fund(buy_only) == {"B": 1_010.0}


def test_min_trade_when_every_trade_is_small():
    holdings = [Holding("S", "stocks", 600), Holding("B", "bonds", 400)]
    plan = plan_trades(holdings, SIXTY_FORTY, 50, min_trade=100)
    # Exact: buy 30 stocks, 20 bonds; all goes into the larger one.
    assert trades_by_fund(plan) == {"S": 50.0}


def test_min_trade_folding_respects_balances():
    holdings = [Holding("S", "stocks", 8), Holding("B", "bonds", 2)]
    plan = plan_trades(holdings, {"stocks": 0.0, "bonds": 1.0}, -1, min_trade=100)
    # Exact: sell 8 of S, buy 7 of B; the buy folds into the sale: sell 1 of S.
    assert trades_by_fund(plan) == {"S": -1.0}


def test_min_trade_kept_when_it_cannot_be_folded():
    # Exact: sell 5 of S and 3 of B to take out 8. No one fund holds 8, so nothing is skipped.
    holdings = [Holding("S", "stocks", 5), Holding("B", "bonds", 5)]
    plan = plan_trades(holdings, {"stocks": 0.0, "bonds": 1.0}, -8, min_trade=10)
    assert trades_by_fund(plan) == {"S": -5.0, "B": -3.0}
    assert plan.skipped == ()
    assert any("so they were kept" in n for n in plan.notes)


def test_look_through_fund_is_held_and_counted():
    holdings = [
        Holding("S&P 500 Index", "stocks", 30_000),
        Holding("Target 2050", {"stocks": 0.9, "bonds": 0.1}, 20_000),
        Holding("Bond Index", "bonds", 10_000),
    ]
    plan = plan_trades(holdings, SIXTY_FORTY)
    # Stocks 30,000 + 18,000 = 48,000 of 60,000; target 36,000: sell 12,000 of the index.
    assert trades_by_fund(plan) == {"S&P 500 Index": -12_000.0, "Bond Index": 12_000.0}
    assert plan.classes.loc["stocks", "after"] == pytest.approx(36_000)
    assert plan.classes.loc["bonds", "after"] == pytest.approx(24_000)
    # Selling the target-date fund instead would trade more (13,333.33 for 12,000 of stocks).
    assert "Target 2050" not in trades_by_fund(plan)
    assert any("Mixed funds (Target 2050)" in n for n in plan.notes)


def test_target_date_fund_is_sold_to_reach_the_target():
    # The case of issue 10: 45,000 + 0 stocks, 5,000 + 10,000 bonds = 75/25; target 70/30
    # of 60,000 = 42,000 / 18,000. Stocks come only from the fund: 42,000 / 0.9 = 46,666.67
    # of it, so sell 3,333.33; bonds 18,000 - 4,666.67 = 13,333.33, so buy 3,333.33.
    holdings = [
        Holding("Target 2050", {"stocks": 0.9, "bonds": 0.1}, 50_000),
        Holding("Bond Index", "bonds", 10_000),
    ]
    plan = plan_trades(holdings, {"stocks": 0.7, "bonds": 0.3})
    assert trades_by_fund(plan) == {"Target 2050": -3_333.33, "Bond Index": 3_333.33}
    assert plan.classes.loc["stocks", "before_weight"] == pytest.approx(0.75)
    assert plan.classes.loc["stocks", "after"] == pytest.approx(42_000, abs=0.01)
    assert plan.classes.loc["bonds", "after"] == pytest.approx(18_000, abs=0.01)
    assert round(plan.classes.loc["stocks", "after"], 2) == 42_000.00
    assert plan.summary.startswith("2 trades: buy $3,333.33 and sell $3,333.33.")
    assert "from 5.0 to 0.0 percentage points" in plan.summary
    assert not any("cannot be reached" in n for n in plan.notes)


def test_mixed_fund_overweight_is_sold_down():
    # Target 2050 holds 81,000 of stocks, above the 60,000 target: sell it to 66,666.67
    # (60,000 of stocks) and put the 23,333.33 into bonds, rather than sell all of it.
    holdings = [
        Holding("S", "stocks", 0),
        Holding("Target 2050", {"stocks": 0.9, "bonds": 0.1}, 90_000),
        Holding("B", "bonds", 10_000),
    ]
    plan = plan_trades(holdings, SIXTY_FORTY)
    assert trades_by_fund(plan) == {"Target 2050": -23_333.33, "B": 23_333.33}
    assert plan.classes.loc["stocks", "after_weight"] == pytest.approx(0.6, abs=1e-7)


def test_target_out_of_reach_comes_as_close_as_it_can_and_says_so():
    # Stocks can be at most 90% (all in the target-date fund); the target asks for 95%.
    holdings = [
        Holding("Target 2050", {"stocks": 0.9, "bonds": 0.1}, 50_000),
        Holding("Bond Index", "bonds", 10_000),
    ]
    plan = plan_trades(holdings, {"stocks": 0.95, "bonds": 0.05})
    assert trades_by_fund(plan) == {"Target 2050": 10_000.0, "Bond Index": -10_000.0}
    assert plan.classes.loc["stocks", "after_weight"] == pytest.approx(0.9)
    note = next(n for n in plan.notes if "cannot be reached" in n)
    assert "90.0% stocks / 10.0% bonds" in note
    assert "stocks 5.0 points under its target" in note
    assert "A fund that holds only stocks would close the gap" in note


def test_buy_only_with_a_target_date_fund_reaches_the_target_when_it_can():
    # 60,000 + 15,000 new = 75,000 -> 52,500 / 22,500. Stocks only come with the fund:
    # buy 52,500 / 0.9 - 50,000 = 8,333.33 of it and 6,666.67 of bonds.
    holdings = [
        Holding("Target 2050", {"stocks": 0.9, "bonds": 0.1}, 50_000),
        Holding("Bond Index", "bonds", 10_000),
    ]
    plan = plan_trades(holdings, {"stocks": 0.7, "bonds": 0.3}, 15_000, mode="buy_only")
    assert trades_by_fund(plan) == {"Target 2050": 8_333.33, "Bond Index": 6_666.67}
    assert round(plan.classes.loc["stocks", "after"], 2) == 52_500.00
    # With too little money it cannot, and never sells: all of it goes to bonds.
    small = plan_trades(holdings, {"stocks": 0.7, "bonds": 0.3}, 1_000, mode="buy_only")
    assert trades_by_fund(small) == {"Bond Index": 1_000.0}
    assert any("Buying alone cannot reach the target" in n for n in small.notes)


def test_withdrawal_with_a_target_date_fund_lands_on_target():
    # 60,000 - 6,000 = 54,000 -> 37,800 / 16,200: the fund 42,000, bonds 16,200 - 4,200.
    holdings = [
        Holding("Target 2050", {"stocks": 0.9, "bonds": 0.1}, 50_000),
        Holding("Bond Index", "bonds", 10_000),
    ]
    plan = plan_trades(holdings, {"stocks": 0.7, "bonds": 0.3}, -6_000)
    assert trades_by_fund(plan) == {"Target 2050": -8_000.0, "Bond Index": 2_000.0}


def test_class_with_no_fund_of_its_own_is_reported():
    holdings = [Holding("S", "stocks", 50_000), Holding("B", "bonds", 50_000)]
    plan = plan_trades(holdings, {"stocks": 0.6, "bonds": 0.3, "cash": 0.1})
    assert plan.unreachable == ("cash",)
    # Cash's 10% is spread 2:1 -> 66,666.67 / 33,333.33.
    assert trades_by_fund(plan) == {"S": 16_666.67, "B": -16_666.67}
    assert any("No fund holds cash" in n and "in proportion" in n for n in plan.notes)


def test_two_mixed_funds_are_traded_to_the_target():
    # 41,000 at 60/40 from a 90/10 and a 60/40 fund: only the 60/40 fund does it.
    holdings = [
        Holding("Target 2050", {"stocks": 0.9, "bonds": 0.1}, 30_000),
        Holding("Balanced", {"stocks": 0.6, "bonds": 0.4}, 10_000),
    ]
    plan = plan_trades(holdings, SIXTY_FORTY, 1_000)
    assert trades_by_fund(plan) == {"Target 2050": -30_000.0, "Balanced": 31_000.0}


def test_only_mixed_funds_take_new_money_pro_rata_when_buying_only():
    holdings = [
        Holding("Target 2050", {"stocks": 0.9, "bonds": 0.1}, 30_000),
        Holding("Balanced", {"stocks": 0.6, "bonds": 0.4}, 10_000),
    ]
    plan = plan_trades(holdings, SIXTY_FORTY, 1_000, mode="buy_only")
    assert trades_by_fund(plan) == {"Target 2050": 750.0, "Balanced": 250.0}
    assert any("in proportion to their balances" in n for n in plan.notes)


def test_withdrawal_larger_than_single_class_funds_sells_mixed_funds():
    # 5,000 left at 60/40: 3,000 / 2,000. Bonds only come with T: T = 4,000, S = 1,000.
    holdings = [Holding("S", "stocks", 1_000), Holding("T", {"stocks": 0.5, "bonds": 0.5}, 9_000)]
    plan = plan_trades(holdings, SIXTY_FORTY, -5_000)
    assert trades_by_fund(plan) == {"T": -5_000.0}


def test_withdraw_everything():
    holdings = [Holding("S", "stocks", 1_000.5), Holding("B", "bonds", 99.49)]
    plan = plan_trades(holdings, SIXTY_FORTY, -1_099.99)
    assert trades_by_fund(plan) == {"S": -1_000.5, "B": -99.49}
    assert (plan.funds["after"] == 0).all()


def test_several_funds_in_one_class():
    holdings = [
        Holding("Small", "stocks", 20_000),
        Holding("Large", "stocks", 50_000),
        Holding("B", "bonds", 30_000),
    ]
    assert trades_by_fund(plan_trades(holdings, SIXTY_FORTY)) == {"Large": -10_000.0, "B": 10_000.0}
    # Selling more than the largest fund holds moves on to the next.
    all_out = plan_trades(holdings, {"stocks": 0.0, "bonds": 1.0})
    assert trades_by_fund(all_out) == {"Large": -50_000.0, "Small": -20_000.0, "B": 70_000.0}
    assert trades_by_fund(plan_trades(holdings, {"stocks": 0.8, "bonds": 0.2})) == {
        "Large": 10_000.0,
        "B": -10_000.0,
    }


def test_tuples_are_accepted():
    plan = plan_trades([("S", "stocks", 70_000), ("B", "bonds", 30_000)], SIXTY_FORTY)
    assert trades_by_fund(plan) == {"S": -10_000.0, "B": 10_000.0}


@pytest.mark.parametrize(
    ("holdings", "target", "kwargs", "message"),
    [
        ([("S", "stocks", -5)], SIXTY_FORTY, {}, r"'S' is negative \(\$-5.00\)"),
        (
            [("S", "stocks", 5)],
            {"stocks": 0.6, "bonds": 0.3},
            {},
            "add up to 100%; these add up to 90%",
        ),
        ([("S", "stocks", 5)], {"stocks": 60, "bonds": 40}, {}, "fractions"),
        ([("S", "stocks", 5)], {}, {}, "Give a target mix"),
        ([("S", "stocks", 5)], {"stocks": 1.2, "bonds": -0.2}, {}, "cannot be below 0%"),
        (
            [("S", "stcoks", 5)],
            SIXTY_FORTY,
            {},
            r"'S' holds stcoks, which is not in the target\. Known asset classes: bonds, stocks",
        ),
        ([("S", "stocks", 5)], SIXTY_FORTY, {"contribution": 2e6}, r"more than the \$1,000,000.00"),
        ([("S", "stocks", 5)], SIXTY_FORTY, {"contribution": -6}, r"take out \$6.00.*only \$5.00"),
        ([("  ", "stocks", 5)], SIXTY_FORTY, {}, "one name is blank"),
        ([], SIXTY_FORTY, {}, "Add at least one holding"),
        ([("S", "stocks", 5), ("S", "bonds", 5)], SIXTY_FORTY, {}, "'S' is listed twice"),
        (
            [("S", "stocks", 5)],
            SIXTY_FORTY,
            {"contribution": -1, "mode": "buy_only"},
            "never sells",
        ),
        ([("S", "stocks", 5)], SIXTY_FORTY, {"mode": "sell"}, "mode must be 'full' or 'buy_only'"),
        ([("S", "stocks", 5)], SIXTY_FORTY, {"min_trade": -1}, "minimum trade cannot be below"),
        ([("S", "stocks", 5)], SIXTY_FORTY, {"contribution": float("nan")}, "must be a number"),
        (
            [("C", "cash", 5)],
            {"stocks": 0.6, "bonds": 0.4, "cash": 0.0},
            {"contribution": 5},
            "None of your funds can take the money",
        ),
        ([("T", {"stocks": 0.9, "bonds": 0.2}, 5)], SIXTY_FORTY, {}, "adds up to 110%"),
        ([("S", "", 5)], SIXTY_FORTY, {}, "asset class of 'S' is blank"),
    ],
)
def test_bad_input_messages(holdings, target, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plan_trades(holdings, target, **kwargs)


def test_contribution_cap_is_allowed_exactly():
    plan = plan_trades([("S", "stocks", 0)], {"stocks": 1.0}, MAX_CONTRIBUTION)
    assert trades_by_fund(plan) == {"S": 1_000_000.0}


CLASSES = ["stocks", "bonds", "cash"]


@st.composite
def accounts(draw, mode):
    n = draw(st.integers(1, 6))
    holdings = []
    for i in range(n):
        amount = draw(st.integers(0, 10_000_000)) / 100
        if draw(st.booleans()) and n > 1 and i > 0:
            first, second = draw(st.permutations(CLASSES))[:2]
            share = draw(st.integers(1, 99)) / 100
            holdings.append(Holding(f"mixed {i}", {first: share, second: 1 - share}, amount))
        else:
            holdings.append(Holding(f"fund {i}", draw(st.sampled_from(CLASSES)), amount))
    raw = [draw(st.integers(0, 100)) for _ in CLASSES]
    if sum(raw) == 0:
        raw[0] = 1
    target = {c: r / sum(raw) for c, r in zip(CLASSES, raw, strict=True)}
    balance = int(sum(round(h.amount * 100) for h in holdings))
    low = 0 if mode == "buy_only" else -balance
    contribution = draw(st.integers(low, 100_000_000)) / 100
    min_trade = draw(st.sampled_from([0.0, 0.0, 0.01, 5.0, 1_000.0]))
    return holdings, target, contribution, min_trade


def nowhere_to_put_money(holdings, target, contribution, mode):
    singles = {h.single_class for h in holdings}
    if any(target[c] > 0 for c in singles if c) or any(h.is_mixed for h in holdings):
        return False
    single_total = sum(round(h.amount * 100) for h in holdings)
    to_place = round(contribution * 100) + (single_total if mode == "full" else 0)
    return to_place != 0


def check_invariants(holdings, target, contribution, min_trade, mode):
    if nowhere_to_put_money(holdings, target, contribution, mode):
        with pytest.raises(ValueError, match="None of your funds"):
            plan_trades(holdings, target, contribution, mode=mode, min_trade=min_trade)
        return None
    plan = plan_trades(holdings, target, contribution, mode=mode, min_trade=min_trade)
    before = cents([h.amount for h in holdings])
    after = cents(plan.funds["after"])
    moved = cents([t.signed_amount for t in plan.trades])
    assert moved.sum() == round(contribution * 100)
    assert after.sum() == before.sum() + round(contribution * 100)
    assert (after >= 0).all()
    np.testing.assert_array_equal(after - before, cents(plan.funds["trade"]))
    assert all(t.amount > 0 and t.amount == round(t.amount, 2) for t in plan.trades)
    if mode == "buy_only":
        assert all(t.action == "buy" for t in plan.trades)
    return plan


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(accounts("full"))
def test_full_rebalance_properties(case):
    holdings, target, contribution, min_trade = case
    plan = check_invariants(holdings, target, contribution, min_trade, "full")
    singles = {h.single_class for h in holdings}
    if plan is None or min_trade > 0 or any(h.is_mixed for h in holdings):
        return
    if all(c in singles for c, share in target.items() if share > 0):
        total = sum(h.amount for h in holdings) + contribution
        for label, share in target.items():
            if label in singles:
                assert abs(plan.classes.loc[label, "after"] - share * total) <= 0.01 + 1e-6


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(accounts("buy_only"))
def test_buy_only_properties(case):
    holdings, target, contribution, min_trade = case
    plan = check_invariants(holdings, target, contribution, min_trade, "buy_only")
    if plan is None or min_trade > 0 or plan.unreachable or any(h.is_mixed for h in holdings):
        return
    # With every target class reachable, water-filling never lifts a class above its
    # target share of the new total.
    total = sum(h.amount for h in holdings) + contribution
    bought = plan.classes["after"] - plan.classes["before"]
    for label in plan.classes.index[bought > 0.005]:
        assert plan.classes.loc[label, "after"] <= target[label] * total + 0.01 + 1e-6


@settings(max_examples=100, deadline=None)
@given(accounts("full"))
def test_full_rebalance_with_mixed_funds_lands_on_target_when_possible(case):
    holdings, target, contribution, _ = case
    plan = check_invariants(holdings, target, contribution, 0.0, "full")
    if plan is None:
        return
    total = sum(h.amount for h in holdings) + contribution
    singles = {h.single_class for h in holdings}
    looked = {c: sum(h.amount * h.mix.get(c, 0) for h in holdings if h.is_mixed) for c in CLASSES}
    reachable = all(c in singles for c, share in target.items() if share > 0)
    feasible = all(target[c] * total >= looked[c] - 1e-6 for c in CLASSES)
    if reachable and feasible and all(looked[c] == 0 or c in singles for c in CLASSES):
        for label in target:
            assert abs(plan.classes.loc[label, "after"] - target[label] * total) <= 0.01 + 1e-6


GOOD_CSV = """Fund, Asset Class ,Amount
S&P 500 Index,stocks,"$30,000.50"
Target 2050,stocks:0.9;bonds:0.1,20000

Bond Index,bonds,10000
"""


def test_parse_csv():
    holdings = parse_holdings_csv(GOOD_CSV)
    assert [h.name for h in holdings] == ["S&P 500 Index", "Target 2050", "Bond Index"]
    assert holdings[0].amount == 30_000.5
    assert holdings[1].mix == {"stocks": 0.9, "bonds": 0.1}
    assert holdings[1].is_mixed and holdings[0].single_class == "stocks"
    plan = plan_trades(holdings, SIXTY_FORTY)
    assert cents([t.signed_amount for t in plan.trades]).sum() == 0


def test_read_csv_file(tmp_path):
    path = tmp_path / "holdings.csv"
    path.write_text("\ufefffund,class,amount\nCash,cash,5\n", encoding="utf-8")
    assert read_holdings_csv(path) == [Holding("Cash", "cash", 5)]


def test_parse_mix():
    assert parse_mix("stocks") == "stocks"
    assert parse_mix("stocks:90%; bonds:10%") == {"stocks": 0.9, "bonds": 0.1}
    with pytest.raises(ValueError, match="adds up to 80%"):
        parse_mix("stocks:0.7;bonds:0.1")
    with pytest.raises(ValueError, match=r"share of bonds \('lots'\) is not a number"):
        parse_mix("stocks:0.7;bonds:lots")
    with pytest.raises(ValueError, match="should look like stocks:0.9;bonds:0.1"):
        parse_mix("stocks:0.7;bonds")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The CSV is empty"),
        ("name,class,amount\nA,stocks,5\n", "Missing: fund"),
        ("fund,type,value\nA,stocks,5\n", "it has fund, type, value. Missing: asset_class, amount"),
        ("fund,asset_class,amount\n", "header but no holdings"),
        ("fund,asset_class,amount\n,stocks,5\n", "Row 2: the fund name is blank"),
        ("fund,asset_class,amount\nA,,5\n", "Row 2: the asset class of 'A' is blank"),
        ("fund,asset_class,amount\nA,stocks,\n", "Row 2: the amount of 'A' is blank"),
        (
            "fund,asset_class,amount\nA,stocks,5\nB,bonds,12k\n",
            r"Row 3: the amount of 'B' \('12k'\) is not a number",
        ),
        ("fund,asset_class,amount\nA,stocks,-5\n", r"Row 2: the amount of 'A' is negative \(-5\)"),
        ("fund,asset_class,amount\nA,stocks,inf\n", "is not a number"),
    ],
)
def test_bad_csv_messages(text, message):
    with pytest.raises(ValueError, match=message):
        parse_holdings_csv(text)


@st.composite
def reachable_targets(draw, mode):
    """Funds with random look-through mixes, and a target some fund amounts reach."""
    n = draw(st.integers(1, 5))
    holdings = []
    for i in range(n):
        raw = [draw(st.integers(0, 100)) for _ in CLASSES]
        if sum(raw) == 0:
            raw[draw(st.integers(0, 2))] = 1
        mix = {c: r / sum(raw) for c, r in zip(CLASSES, raw, strict=True) if r}
        amount = draw(st.one_of(st.integers(0, 20_000_000), st.integers(0, 10**13))) / 100
        holdings.append(Holding(f"fund {i}", mix, amount))
    before = [round(h.amount * 100) for h in holdings]
    low = 0 if mode == "buy_only" else -min(sum(before), 100_000_000)
    contribution = draw(st.integers(low, 20_000_000))
    total = sum(before) + contribution
    if total <= 0:
        contribution, total = contribution + 100, total + 100
    # Fund amounts after, at least the balances when only buying, adding up to total.
    floor = before if mode == "buy_only" else [0] * n
    spare = total - sum(floor)
    cuts = sorted(draw(st.lists(st.integers(0, spare), min_size=n - 1, max_size=n - 1)))
    parts = np.diff([0, *cuts, spare])
    after = np.array(floor) + parts
    classes = {c: sum(a * h.mix.get(c, 0.0) for a, h in zip(after, holdings, strict=True))
               for c in CLASSES}
    target = {c: v / total for c, v in classes.items()}
    return holdings, target, contribution / 100


@pytest.mark.parametrize("mode", ["full", "buy_only"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_reachable_target_is_reached_to_the_cent(mode, data):
    holdings, target, contribution = data.draw(reachable_targets(mode))
    plan = check_invariants(holdings, target, contribution, 0.0, mode)
    total = sum(round(h.amount * 100) for h in holdings) + round(contribution * 100)
    for label, share in target.items():
        # Each fund is rounded to whole cents: a class is within a cent per fund of target.
        assert abs(plan.classes.loc[label, "after"] * 100 - share * total) <= len(holdings)
    assert not any("cannot be reached" in n or "Buying alone" in n for n in plan.notes)


def test_min_trade_folding_on_a_very_large_account():
    # $100 billion: the trades are 10^12 cents, whose product overflows 64-bit integers.
    # Exact: sell 10,000,000,000 of S, buy 9,999,999,995 of B and 5 of C; the 5 is under
    # the minimum and folds into the largest trade, the sale.
    holdings = [Holding("S", "stocks", 7e10), Holding("B", "bonds", 3e10),
                Holding("C", "cash", 0)]
    target = {"stocks": 0.6, "bonds": 0.4 - 5e-11, "cash": 5e-11}
    plan = plan_trades(holdings, target, min_trade=100)
    assert trades_by_fund(plan) == {"S": -9_999_999_995.0, "B": 9_999_999_995.0}


def test_solver_edge_cases_found_by_the_property_tests():
    # Buy-only with no new money: the bounds are the balances and must still add up.
    plan = plan_trades([Holding("S", "stocks", 1_000), Holding("M", {"bonds": 0.01,
                                                                      "stocks": 0.99}, 0.01)],
                       {"stocks": 1.0, "bonds": 0.0, "cash": 0.0}, 0.0, mode="buy_only")
    assert plan.trades == ()
    # A target a hair from a corner of the reachable set.
    funds = [Holding("M", {"bonds": 0.010526315789473684, "cash": 0.9894736842105263}, 0.02),
             Holding("C", "cash", 0.0)]
    target = {"stocks": 0.0, "bonds": 1.249998906250957e-08, "cash": 0.999999987500011}
    plan = plan_trades(funds, target, 8_421.04)
    assert round(sum(t.signed_amount for t in plan.trades), 2) == 8_421.04
    assert abs(plan.classes.loc["bonds", "after"] - target["bonds"] * 8_421.06) <= 0.02

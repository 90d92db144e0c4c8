"""Savers by hand, on autopilot and in a target-date fund: by hand and against simulate()."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rebalance_widgets.core import policies, simulate
from rebalance_widgets.core.planning import glidepath
from rebalance_widgets.core.simulation import autopilot

ASSETS = ("stocks", "bonds", "cash")
MIX = (0.7, 0.3, 0.0)


def draws(paths=200, years=10, seed=5):
    rng = np.random.default_rng(seed)
    stocks = rng.normal(0.007, 0.045, size=(paths, years * 12))
    bonds = rng.normal(0.003, 0.015, size=(paths, years * 12))
    return np.stack([stocks, bonds, np.full_like(stocks, 0.002)], axis=2)


def test_a_fee_with_flat_markets_takes_exactly_its_share_each_year():
    returns = np.zeros((3, 5 * 12, 3))
    runs = autopilot.run_savers(returns, [autopilot.by_hand(MIX, fee=0.01)], assets=ASSETS,
                                initial_value=1_000.0)
    end = runs.endings["By hand, once a year"]
    np.testing.assert_allclose(end, 1_000.0 * 0.99 ** 5, rtol=1e-12)
    np.testing.assert_allclose(runs.fees_paid["By hand, once a year"], 1_000.0 - end,
                               rtol=1e-9)


def test_each_saver_is_simulate_with_its_rule_fee_and_target():
    returns = draws()
    glide = glidepath.target_date(35, 45, 45, cash_of_rest=0.0)
    savers = [autopilot.by_hand(MIX, 0.0005), autopilot.automatic(MIX, 0.003, band=0.05),
              autopilot.target_date_fund(glide, 0.0012)]
    runs = autopilot.run_savers(returns, savers, assets=ASSETS, initial_value=10_000.0,
                                cash_flows=500.0)
    expected = {
        "By hand, once a year": simulate(returns, MIX, policies.Calendar("annual"),
                                         initial_value=10_000.0, cash_flows=500.0,
                                         expense_ratio=0.0005),
        "Automatic (band + new money)": simulate(
            returns, MIX, policies.CashFlow(band=policies.Threshold(0.05)),
            initial_value=10_000.0, cash_flows=500.0, expense_ratio=0.003),
        "Target-date fund": simulate(returns, glide.weights, policies.Calendar("monthly"),
                                     initial_value=10_000.0, cash_flows=500.0,
                                     expense_ratio=0.0012),
    }
    for name, result in expected.items():
        np.testing.assert_allclose(runs.endings[name], result.wealth[:, -1], rtol=1e-12)
        np.testing.assert_allclose(runs.fees_paid[name], result.fees.sum(axis=1), rtol=1e-12)
        middle = runs.balances.query("saver == @name and percentile == 50")["value"]
        np.testing.assert_allclose(middle, np.median(result.wealth[:, ::12], axis=0))
    # inside the fund the mix is put back every month: its stock share is the glide path's
    share = runs.stock_shares.query("saver == 'Target-date fund' and percentile == 10")
    np.testing.assert_allclose(share["value"], glide.weights[::12, 0], atol=1e-12)
    paired = runs.paired("By hand, once a year")
    assert list(paired.index) == ["Automatic (band + new money)", "Target-date fund"]


def test_todays_dollars_deflate_each_fee_on_the_day_it_is_paid():
    returns = draws(paths=20, years=3)
    factors = 1.03 ** -(np.arange(37) / 12)
    saver = autopilot.by_hand(MIX, 0.01)
    plain = simulate(returns, MIX, saver.policy, initial_value=1_000.0, expense_ratio=0.01)
    runs = autopilot.run_savers(returns, [saver], assets=ASSETS, initial_value=1_000.0,
                                deflators=factors)
    np.testing.assert_allclose(runs.fees_paid[saver.name], (plain.fees * factors).sum(axis=1))
    np.testing.assert_allclose(runs.endings[saver.name], plain.wealth[:, -1] * factors[-1])


@settings(max_examples=25, deadline=None)
@given(fee=st.floats(0, 0.05), extra=st.floats(0.0001, 0.05), seed=st.integers(0, 99))
def test_a_higher_fee_never_ends_ahead_on_the_same_futures(fee, extra, seed):
    returns = draws(paths=30, years=4, seed=seed)
    savers = [autopilot.by_hand(MIX, fee),
              autopilot.Saver("Dearer", policies.Calendar("annual"), MIX, min(fee + extra,
                                                                                0.05))]
    runs = autopilot.run_savers(returns, savers, assets=ASSETS, initial_value=1_000.0,
                                cash_flows=100.0)
    if savers[1].fee > savers[0].fee:
        assert runs.paired("By hand, once a year").loc["Dearer", "share_ahead"] == 0.0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: autopilot.by_hand(MIX, fee=0.2), "at most 5%"),
        (lambda: autopilot.by_hand(MIX, fee=-0.01), "fee"),
        (lambda: autopilot.run_savers(draws(2, 1), [], assets=ASSETS), "one or more"),
        (lambda: autopilot.run_savers(draws(2, 1), [autopilot.by_hand(MIX, 0)],
                                      assets=("a", "b", "c")), "no 'stocks'"),
    ],
)
def test_refuses_what_makes_no_sense(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_the_funds_glide_path_depends_on_the_years_left():
    young = autopilot.fund_glide_path(30, 65)
    by_age = dict(zip(30 + np.arange(len(young.stocks)) / 12, young.stocks, strict=True))
    assert by_age[30] == pytest.approx(0.9) and by_age[40] == pytest.approx(0.9)
    assert by_age[52.5] == pytest.approx(0.7) and by_age[65] == pytest.approx(0.5)
    late = autopilot.fund_glide_path(52.5, 65)
    assert late.stocks[0] == pytest.approx(0.7)  # joins the same line part way down
    np.testing.assert_allclose(late.stocks, young.stocks[-len(late.stocks):], atol=1e-12)
    with pytest.raises(ValueError, match="more than 0 years"):
        autopilot.fund_glide_path(30, 65, slide_years=0)


def test_reuse_runs_again_only_the_savers_that_changed(monkeypatch):
    returns = draws(paths=40, years=5)
    calls = []
    original = autopilot.simulate
    monkeypatch.setattr(autopilot, "simulate",
                        lambda *a, **k: calls.append(k["expense_ratio"]) or original(*a, **k))
    reuse: dict = {}
    glide = autopilot.fund_glide_path(60, 65)
    first = [autopilot.by_hand(MIX, 0.001), autopilot.target_date_fund(glide, 0.002)]
    autopilot.run_savers(returns, first, assets=ASSETS, initial_value=100.0, reuse=reuse)
    assert calls == [0.001, 0.002]
    second = [autopilot.by_hand(MIX, 0.003), first[1]]
    again = autopilot.run_savers(returns, second, assets=ASSETS, initial_value=100.0,
                                 reuse=reuse)
    assert calls == [0.001, 0.002, 0.003]  # the fund was not run again
    fresh = autopilot.run_savers(returns, second, assets=ASSETS, initial_value=100.0)
    for name in again.endings:
        np.testing.assert_array_equal(again.endings[name], fresh.endings[name])
    other = draws(paths=40, years=5, seed=6)  # new futures: everything runs again
    autopilot.run_savers(other, second, assets=ASSETS, initial_value=100.0, reuse=reuse)
    assert len(calls) == 7  # 3 before, 2 for the fresh run, 2 for the new futures

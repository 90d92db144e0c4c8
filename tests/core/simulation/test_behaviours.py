"""Keep rebalancing, stop rebalancing, sell after a fall: hand-computed cases, a slow
per-path reference, and invariants on random markets (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rebalance_widgets.core import policies, simulate
from rebalance_widgets.core.simulation.behaviours import (
    MAX_WAIT_MONTHS,
    KeepRebalancing,
    SellAfterFall,
    StopRebalancing,
    follow,
    market_level,
)

SETTINGS = settings(max_examples=60, deadline=None)
CHECKS = {"monthly": 1, "quarterly": 3, "annual": 12, 2: 2}


def reference(returns, target, behaviour, every=3, initial_value=1.0, stock=0, safe=1):
    """One path at a time, in plain Python, straight from the rules in the docstring."""
    paths, periods, assets = returns.shape
    wealth = np.zeros((paths, periods + 1))
    share = np.zeros((paths, periods + 1))
    for p in range(paths):
        hold = [initial_value * w for w in target]
        level = peak = 1.0
        armed, out, stopped = True, False, False
        low, low_month = 1.0, 0
        wealth[p, 0], share[p, 0] = initial_value, target[stock]
        for t in range(1, periods + 1):
            hold = [h * (1 + returns[p, t - 1, a]) for a, h in enumerate(hold)]
            level *= 1 + returns[p, t - 1, stock]
            if level >= peak:
                armed = True
                peak = level
            fallen = level <= (1 - behaviour.fall) * peak * (1 + 1e-12)
            total = sum(hold)
            rebalance = False
            if isinstance(behaviour, StopRebalancing):
                if not stopped and fallen:
                    stopped = True
                rebalance = not stopped and t % every == 0
            elif out:
                if level < low:
                    low, low_month = level, t
                if t - low_month >= behaviour.wait:
                    out, rebalance = False, True
            elif armed and fallen:
                hold[safe] += hold[stock]
                hold[stock] = 0.0
                out, armed, low, low_month = True, False, level, t
            else:
                rebalance = t % every == 0
            if rebalance:
                hold = [total * w for w in target]
            wealth[p, t] = total
            share[p, t] = hold[stock] / total if total > 0 else (0.0 if out else target[stock])
    return wealth, share


# ---------------------------------------------------------------- cases worked by hand
def test_a_seller_misses_the_rebound_that_a_rebalancer_buys():
    # Stocks halve, then double; bonds stay flat. 50/50, rebalanced every month.
    returns = np.array([[-0.5, 0.0], [1.0, 0.0], [0.0, 0.0]])
    keep = follow(returns, [0.5, 0.5], KeepRebalancing(), every="monthly")
    # Month 1: 0.25 + 0.5 = 0.75, back to 0.375 / 0.375; month 2: 0.75 + 0.375 = 1.125.
    np.testing.assert_allclose(keep.wealth, [[1.0, 0.75, 1.125, 1.125]])
    stop = follow(returns, [0.5, 0.5], StopRebalancing(0.2), every="monthly")
    # Stops at the end of month 1 without trading: 0.25 in stocks doubles to 0.5.
    np.testing.assert_allclose(stop.wealth, [[1.0, 0.75, 1.0, 1.0]])
    np.testing.assert_allclose(stop.stock_share, [[0.5, 1 / 3, 0.5, 0.5]])
    assert stop.stopped[0].tolist() == [False, True, False, False]
    sell = follow(returns, [0.5, 0.5], SellAfterFall(0.2, wait=1), every="monthly")
    # Sells 0.25 of stocks into bonds at the end of month 1, misses the doubling, buys
    # back at the end of month 2 (one month after the low).
    np.testing.assert_allclose(sell.wealth, [[1.0, 0.75, 0.75, 0.75]])
    np.testing.assert_allclose(sell.stock_share, [[0.5, 0.0, 0.5, 0.5]])
    assert sell.sold[0].tolist() == [False, True, False, False]
    assert sell.bought_back[0].tolist() == [False, False, True, False]
    assert sell.out_of_stocks[0].tolist() == [False, True, False, False]


def test_the_wait_counts_months_without_a_new_low():
    # Stocks: -30%, -10% (a new low), +5%, +5%, +5%; wait 2 months after the low.
    stocks = [-0.3, -0.1, 0.05, 0.05, 0.05]
    returns = np.column_stack([stocks, np.zeros(5)])
    run = follow(returns, [0.6, 0.4], SellAfterFall(0.2, wait=2), every="annual")
    assert run.sold[0].tolist() == [False, True, False, False, False, False]
    # The low is the end of month 2; two months later (month 4) the account goes back in.
    assert run.bought_back[0].tolist() == [False, False, False, False, True, False]
    assert run.stock_share[0, 1:4].tolist() == [0.0, 0.0, 0.0]
    after_sale = 0.6 * 0.7 + 0.4
    np.testing.assert_allclose(run.wealth[0, 1:5], after_sale)
    np.testing.assert_allclose(run.wealth[0, 5], after_sale * (0.6 * 1.05 + 0.4))


def test_a_fall_of_exactly_the_threshold_counts_and_a_smaller_one_does_not():
    returns = np.array([[[0.25, 0.0], [-0.2, 0.0]]])  # up to 1.25, then down 20% to 1.0
    assert follow(returns, [0.6, 0.4], SellAfterFall(0.2)).sold[0, 2]
    assert not follow(returns, [0.6, 0.4], SellAfterFall(0.21)).sold.any()


def test_one_fall_leads_to_one_sale_until_the_market_is_back_at_its_peak():
    # Falls 25%, the seller goes back in at once, the market falls further, then
    # recovers past the old peak and falls 25% again: two sales in all.
    stocks = [-0.25, -0.1, 0.2, 0.3, 0.1, -0.3, 0.0]
    returns = np.column_stack([stocks, np.zeros(7)])
    run = follow(returns, [0.5, 0.5], SellAfterFall(0.2, wait=0), every="annual")
    assert np.flatnonzero(run.sold[0]).tolist() == [1, 6]
    assert np.flatnonzero(run.bought_back[0]).tolist() == [2, 7]  # wait 0: a month later
    level = market_level(stocks)
    assert level[5] > 1.0 and level[6] / level[5] == pytest.approx(0.7)


def test_keep_rebalancing_is_the_engine_with_the_calendar_rule():
    rng = np.random.default_rng(3)
    returns = rng.normal(0.005, 0.05, size=(20, 48, 3))
    for every in ("monthly", "quarterly", "annual"):
        run = follow(returns, [0.6, 0.3, 0.1], KeepRebalancing(), every=every,
                     initial_value=500.0)
        engine = simulate(returns, [0.6, 0.3, 0.1], policies.Calendar(every),
                          initial_value=500.0)
        np.testing.assert_allclose(run.wealth, engine.wealth, rtol=1e-12)
        np.testing.assert_allclose(run.stock_share, engine.weights[:, :, 0], rtol=1e-12)
        assert not run.acted.any()


# ---------------------------------------------------------------- the loop vs the reference
@pytest.mark.parametrize("behaviour", [StopRebalancing(0.1), SellAfterFall(0.1, 0),
                                       SellAfterFall(0.15, 3), SellAfterFall(0.3, 12)])
@pytest.mark.parametrize("every", ["monthly", "quarterly", "annual"])
def test_the_loop_matches_a_slow_per_path_reference(behaviour, every):
    rng = np.random.default_rng(11)
    returns = rng.normal(0.004, 0.07, size=(30, 72, 3))
    target = np.array([0.7, 0.2, 0.1])
    run = follow(returns, target, behaviour, every=every, initial_value=1_000.0)
    wealth, share = reference(returns, target, behaviour, every=CHECKS[every],
                              initial_value=1_000.0)
    np.testing.assert_allclose(run.wealth, wealth, rtol=1e-12)
    np.testing.assert_allclose(run.stock_share, share, rtol=1e-12, atol=1e-15)


@st.composite
def markets(draw):
    paths = draw(st.integers(1, 3))
    periods = draw(st.integers(1, 30))
    assets = draw(st.integers(2, 3))
    returns = draw(arrays(float, (paths, periods, assets),
                          elements=st.floats(-0.5, 0.5, allow_nan=False)))
    raw = draw(arrays(float, assets, elements=st.floats(0.0, 1.0)))
    if raw.sum() == 0:
        raw[0] = 1.0
    fall = draw(st.floats(0.01, 0.9))
    wait = draw(st.integers(0, 12))
    every = draw(st.sampled_from(list(CHECKS)))
    return returns, raw / raw.sum(), fall, wait, every


@SETTINGS
@given(markets())
def test_reference_agrees_on_random_markets(case):
    returns, target, fall, wait, every = case
    for behaviour in (StopRebalancing(fall), SellAfterFall(fall, wait)):
        run = follow(returns, target, behaviour, every=every)
        wealth, share = reference(returns, target, behaviour, every=CHECKS[every])
        np.testing.assert_allclose(run.wealth, wealth, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(run.stock_share, share, rtol=1e-10, atol=1e-12)


@SETTINGS
@given(markets())
def test_wealth_stays_positive_and_the_share_is_zero_while_out(case):
    returns, target, fall, wait, every = case
    run = follow(returns, target, SellAfterFall(fall, wait), every=every, initial_value=10.0)
    assert (run.wealth > 0).all()
    assert (run.stock_share[run.out_of_stocks] == 0).all()
    assert ((run.stock_share >= -1e-12) & (run.stock_share <= 1 + 1e-12)).all()
    # A sale only ever follows a fall of at least ``fall`` from the peak.
    level = market_level(returns[:, :, 0])
    peak = np.maximum.accumulate(level, axis=1)
    assert (level[run.sold] <= (1 - fall) * peak[run.sold] * (1 + 1e-9)).all()


@SETTINGS
@given(markets())
def test_without_a_fall_every_behaviour_is_keep_rebalancing(case):
    returns, target, fall, wait, every = case
    rising = np.abs(returns)  # stocks never fall: no behaviour ever leaves the plan
    keep = follow(rising, target, KeepRebalancing(), every=every)
    for behaviour in (StopRebalancing(fall), SellAfterFall(fall, wait)):
        run = follow(rising, target, behaviour, every=every)
        assert not run.acted.any()
        np.testing.assert_allclose(run.wealth, keep.wealth, rtol=1e-12)
        np.testing.assert_allclose(run.stock_share, keep.stock_share, rtol=1e-12, atol=1e-15)


@SETTINGS
@given(markets(), st.integers(0, 29))
def test_no_decision_looks_ahead(case, cut):
    returns, target, fall, wait, every = case
    cut = min(cut, returns.shape[1] - 1)
    changed = returns.copy()
    changed[:, cut:] = -changed[:, cut:]  # a different future after month ``cut``
    for behaviour in (StopRebalancing(fall), SellAfterFall(fall, wait)):
        first = follow(returns, target, behaviour, every=every)
        second = follow(changed, target, behaviour, every=every)
        np.testing.assert_array_equal(first.wealth[:, : cut + 1], second.wealth[:, : cut + 1])
        np.testing.assert_array_equal(first.sold[:, : cut + 1], second.sold[:, : cut + 1])


# ---------------------------------------------------------------- what is refused
@pytest.mark.parametrize("make", [
    lambda: StopRebalancing(0.0), lambda: StopRebalancing(1.0), lambda: SellAfterFall(-0.1),
    lambda: SellAfterFall(float("nan")), lambda: SellAfterFall("20%"),
    lambda: SellAfterFall(0.2, -1), lambda: SellAfterFall(0.2, MAX_WAIT_MONTHS + 1),
    lambda: SellAfterFall(0.2, 2.5),
])
def test_a_rule_that_makes_no_sense_is_refused_in_words(make):
    with pytest.raises(ValueError, match="The (fall|wait) must"):
        make()


def test_inputs_that_cannot_be_used_are_refused():
    returns = np.zeros((2, 12, 2))
    with pytest.raises(ValueError, match="must be different"):
        follow(returns, [0.5, 0.5], SellAfterFall(), safe_asset=0)
    with pytest.raises(ValueError, match="safe asset"):
        follow(returns, [0.5, 0.5], SellAfterFall(), safe_asset=2)
    with pytest.raises(ValueError, match="behaviour"):
        follow(returns, [0.5, 0.5], policies.Never())
    with pytest.raises(ValueError, match="one fixed target"):
        follow(returns, np.full((13, 2), 0.5), SellAfterFall())
    with pytest.raises(ValueError, match="starting value"):
        follow(returns, [0.5, 0.5], SellAfterFall(), initial_value=float("nan"))
    with pytest.raises(ValueError):
        follow(np.full((2, 12, 2), np.nan), [0.5, 0.5], SellAfterFall())

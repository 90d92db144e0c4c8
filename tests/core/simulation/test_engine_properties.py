"""Invariants of the engine on random inputs (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rebalance_widgets.core import Taxable, simulate
from rebalance_widgets.core.markets import Lognormal
from rebalance_widgets.core.simulation import policies

POLICIES = [
    policies.Never(),
    policies.Calendar("monthly"),
    policies.Calendar("quarterly"),
    policies.Calendar(2),
    policies.Threshold(0.05),
    policies.Threshold(0.0),
    policies.Threshold(0.05, 0.25),
    policies.Threshold(None, 0.3, check=2),
    policies.Threshold(0.03, trade_to="band"),
    policies.Threshold(0.05, 0.25, trade_to="band"),
    policies.CashFlow(),
    policies.CashFlow(policies.Threshold(0.04)),
    policies.CashFlow(policies.Threshold(0.04, trade_to="band")),
]

SETTINGS = settings(max_examples=40, deadline=None)


@st.composite
def cases(draw):
    paths = draw(st.integers(1, 4))
    periods = draw(st.integers(1, 18))
    assets = draw(st.integers(1, 4))
    returns = draw(arrays(float, (paths, periods, assets),
                          elements=st.floats(-0.6, 0.6, allow_nan=False)))
    raw = draw(arrays(float, assets, elements=st.floats(0.0, 1.0)))
    if raw.sum() == 0:
        raw[0] = 1.0
    target = raw / raw.sum()
    policy = draw(st.sampled_from(POLICIES))
    flows = draw(arrays(float, (paths, periods), elements=st.floats(-0.5, 0.5)))
    flows_to = draw(st.sampled_from(["target", "underweight"]))
    return returns, target, policy, flows, flows_to


def band_of(policy, target):
    if isinstance(policy, policies.CashFlow):
        policy = policy.band
    return None if policy is None else policy.band_width(target)


@SETTINGS
@given(cases())
def test_money_is_conserved_with_flat_prices_and_no_costs(case):
    returns, target, policy, flows, flows_to = case
    res = simulate(np.zeros_like(returns), target, policy, initial_value=1.0,
                   cash_flows=flows, flows_to=flows_to)
    # wealth = start + every flow that happened; a flow is cut only when it would
    # take more than the portfolio holds
    np.testing.assert_allclose(res.wealth, 1.0 + np.cumsum(res.flows, axis=1), atol=1e-12)
    cut = ~np.isclose(res.flows[:, 1:], flows)
    assert (res.wealth[:, 1:][cut] == 0).all()


@SETTINGS
@given(cases(), st.sampled_from([0.0, 0.003]), st.booleans())
def test_weights_add_up_and_nothing_goes_negative(case, cost_rate, taxable):
    returns, target, policy, flows, flows_to = case
    res = simulate(returns, target, policy, cost_rate=cost_rate, cash_flows=flows,
                   flows_to=flows_to, account=Taxable(0.2) if taxable else None,
                   expense_ratio=0.01)
    np.testing.assert_allclose(res.weights.sum(axis=2), 1.0, atol=1e-12)
    assert (res.weights >= -1e-12).all()
    assert (res.wealth >= 0).all()
    for name in ("buys", "sells", "costs", "taxes", "fees"):
        assert (getattr(res, name) >= 0).all(), name
    assert (res.after_tax_wealth <= res.wealth[:, -1] + 1e-12).all()


@SETTINGS
@given(cases(), st.sampled_from([0.0, 0.01]))
def test_after_a_trade_every_weight_is_inside_its_band(case, cost_rate):
    returns, target, policy, flows, flows_to = case
    res = simulate(returns, target, policy, cost_rate=cost_rate, cash_flows=flows * 0.1,
                   flows_to=flows_to)
    traded = res.rebalanced
    if not traded.any():
        return
    gaps = np.abs(res.weights - res.target)[traded]
    if policy.trade_to == "target":
        np.testing.assert_allclose(gaps, 0.0, atol=1e-9)
    else:
        band = band_of(policy, target)
        assert (gaps <= band + 1e-9).all()
        # the most-breached asset lands exactly on its edge
        np.testing.assert_allclose((gaps - band).max(axis=1), 0.0, atol=1e-9)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(POLICIES))
def test_same_seed_same_result(seed, policy):
    market = Lognormal(expected=(0.07, 0.03), volatility=(0.16, 0.06), assets=("s", "b"))
    first = simulate(market.sample(20, 24, rng=seed), [0.6, 0.4], policy, cash_flows=0.01)
    second = simulate(market.sample(20, 24, rng=seed), [0.6, 0.4], policy, cash_flows=0.01)
    np.testing.assert_array_equal(first.wealth, second.wealth)
    np.testing.assert_array_equal(first.weights, second.weights)
    np.testing.assert_array_equal(first.rebalanced, second.rebalanced)

"""The vectorised engine against the slow per-path reference loop (reference.py beside it)."""

import numpy as np
import pytest
from reference import reference_simulate

from rebalance_widgets.core import simulate
from rebalance_widgets.core.planning import accounts
from rebalance_widgets.core.simulation import policies

POLICIES = {
    "never": policies.Never(),
    "monthly": policies.Calendar("monthly"),
    "quarterly": policies.Calendar("quarterly"),
    "annual": policies.Calendar("annual"),
    "every 5": policies.Calendar(5),
    "threshold 5": policies.Threshold(0.05),
    "threshold 0": policies.Threshold(0.0, check="quarterly"),
    "5/25": policies.Threshold(0.05, 0.25),
    "relative 20": policies.Threshold(None, 0.20, check=2),
    "band edge": policies.Threshold(0.04, trade_to="band"),
    "5/25 edge": policies.Threshold(0.05, 0.25, check="quarterly", trade_to="band"),
    "cash flow": policies.CashFlow(),
    "cash flow + band": policies.CashFlow(policies.Threshold(0.06)),
    "cash flow + edge": policies.CashFlow(policies.Threshold(0.03, trade_to="band")),
}

FIELDS = ("wealth", "weights", "buys", "sells", "costs", "taxes", "fees", "flows",
          "after_tax_wealth")


def random_case(seed, paths=5, periods=30, assets=3):
    rng = np.random.default_rng(seed)
    returns = rng.normal(0.006, 0.06, (paths, periods, assets))
    returns[:, :, -1] *= 0.3
    start = rng.dirichlet(np.ones(assets))
    end = rng.dirichlet(np.ones(assets))
    glide = np.linspace(start, end, periods + 1)
    flows = rng.normal(0.0, 0.04, (paths, periods))
    return returns, glide, flows


def assert_same(result, expected, scale):
    for name in FIELDS:
        np.testing.assert_allclose(getattr(result, name), expected[name], rtol=1e-12,
                                   atol=1e-12 * scale, err_msg=name)
    np.testing.assert_array_equal(result.rebalanced, expected["rebalanced"])


@pytest.mark.parametrize("name", list(POLICIES))
@pytest.mark.parametrize("flows_to", ["target", "underweight"])
def test_engine_matches_reference_with_everything_on(name, flows_to):
    policy = POLICIES[name]
    returns, glide, flows = random_case(seed=len(name) * 7 + (flows_to == "target"))
    kwargs = dict(initial_value=1.0, cost_rate=0.003, periods_per_year=12, cash_flows=flows,
                  flows_to=flows_to, expense_ratio=0.006)
    result = simulate(returns, glide, policy, account=accounts.Taxable(0.2), **kwargs)
    expected = reference_simulate(returns, glide, policy, tax_rate=0.2, **kwargs)
    assert_same(result, expected, scale=1.0)
    # the case really exercises the policy and the cash flows
    assert (result.flows < 0).any() and (result.flows > 0).any()
    if name not in ("never", "cash flow"):
        assert result.rebalanced.any()


@pytest.mark.parametrize("name", ["never", "quarterly", "5/25", "band edge", "cash flow"])
def test_engine_matches_reference_with_a_fixed_target_and_no_charges(name):
    policy = POLICIES[name]
    returns, glide, _ = random_case(seed=3, paths=4, periods=40, assets=4)
    target = glide[0]
    result = simulate(returns, target, policy, initial_value=1000.0)
    expected = reference_simulate(returns, target, policy, initial_value=1000.0)
    assert_same(result, expected, scale=1000.0)
    assert np.all(result.taxes == 0) and np.all(result.costs == 0)


@pytest.mark.parametrize("name", ["quarterly", "5/25 edge", "cash flow + band"])
@pytest.mark.parametrize("flows_to", ["target", "underweight"])
def test_engine_matches_reference_when_withdrawals_empty_the_portfolio(name, flows_to):
    policy = POLICIES[name]
    returns, glide, _ = random_case(seed=11, paths=4, periods=24, assets=3)
    flows = np.full((4, 24), -0.1)
    flows[:, 15:] = 0.2  # money comes back after the portfolio ran dry
    flows[0] = 0.05
    returns[1, 3, 0] = -1.0  # one asset loses everything once
    kwargs = dict(cost_rate=0.01, cash_flows=flows, flows_to=flows_to, periods_per_year=12)
    result = simulate(returns, glide, policy, account=accounts.Taxable(0.3), **kwargs)
    expected = reference_simulate(returns, glide, policy, tax_rate=0.3, **kwargs)
    assert_same(result, expected, scale=1.0)
    assert (result.wealth[1:, 1:] == 0).any()


def test_engine_matches_reference_with_one_number_for_every_cash_flow():
    returns, glide, _ = random_case(seed=5, paths=3, periods=26, assets=2)
    policy = policies.Threshold(0.05, check=2)
    kwargs = dict(initial_value=0.0, cash_flows=100.0, periods_per_year=26, cost_rate=0.001)
    result = simulate(returns, glide, policy, **kwargs)
    expected = reference_simulate(returns, glide, policy, **kwargs)
    assert_same(result, expected, scale=1000.0)


@pytest.mark.parametrize("policy", [
    POLICIES["5/25"], POLICIES["band edge"], POLICIES["threshold 5"],
    policies.CashFlow(policies.Threshold(0.02, trade_to="band")),
], ids=["5/25", "band edge", "threshold 5", "cash flow + 2-point edge"])
def test_engine_matches_reference_when_only_a_few_paths_leave_their_band(policy):
    # with many paths only some breach at a time, and the engine trades just those
    returns, glide, flows = random_case(seed=21, paths=60, periods=24, assets=3)
    kwargs = dict(cost_rate=0.002, cash_flows=flows * 0.25, expense_ratio=0.01)
    result = simulate(returns, glide[0], policy, account=accounts.Taxable(0.25), **kwargs)
    expected = reference_simulate(returns, glide[0], policy, tax_rate=0.25, **kwargs)
    assert_same(result, expected, scale=1.0)
    per_step = result.rebalanced.sum(axis=0)
    assert ((per_step > 0) & (per_step <= 60 // 8)).any()


def test_engine_matches_reference_with_many_assets_and_cash_flow_rebalancing():
    returns, glide, flows = random_case(seed=8, paths=4, periods=20, assets=10)
    policy = POLICIES["cash flow + band"]
    kwargs = dict(cash_flows=flows * 3, flows_to="underweight", cost_rate=0.001)
    result = simulate(returns, glide, policy, **kwargs)
    expected = reference_simulate(returns, glide, policy, **kwargs)
    assert_same(result, expected, scale=1.0)


@pytest.mark.parametrize("name", list(POLICIES))
@pytest.mark.parametrize("flows_to", ["target", "underweight"])
def test_engine_matches_reference_with_yearly_tax_on_dividends_and_interest(name, flows_to):
    policy = POLICIES[name]
    returns, glide, flows = random_case(seed=len(name) * 11 + (flows_to == "target"))
    returns[0, 3, 2] = -1.0  # a wiped-out asset: the tax can take no more than it holds
    yields = [0.02, 0.035, 0.9]  # cash: a yield above its return
    kwargs = dict(initial_value=1.0, cost_rate=0.003, periods_per_year=12, cash_flows=flows,
                  flows_to=flows_to, expense_ratio=0.006)
    account = accounts.Taxable(0.2, dividend_tax=0.3,
                               income_yield={"a": yields[0], "b": yields[1], "c": yields[2]})
    result = simulate(returns, glide, policy, account=account, assets=("a", "b", "c"),
                      **kwargs)
    expected = reference_simulate(returns, glide, policy, tax_rate=0.2, dividend_tax=0.3,
                                  income_yield=yields, **kwargs)
    assert_same(result, expected, scale=1.0)
    assert (result.income_taxes > 0).any()
    assert (result.taxes >= result.income_taxes - 1e-15).all()

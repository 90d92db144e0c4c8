"""Metrics computed while simulating, against per_path(simulate(...)) and by hand."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_reference import POLICIES

from rebalance_widgets.core import (
    accounts,
    compare,
    metrics,
    policies,
    policy_medians,
    simulate,
)
from rebalance_widgets.core.simulation import streamed
from rebalance_widgets.core.simulation.engine import prepare
from rebalance_widgets.core.simulation.streamed import (
    STREAMED_COLUMNS,
    streamable,
    streamed_per_path,
)

COLUMNS = list(STREAMED_COLUMNS)


def assert_matches_engine(returns, target, policy, **kwargs):
    expected = metrics.per_path(simulate(returns, target, policy, **kwargs), columns=COLUMNS)
    found = streamed_per_path(prepare(returns, target, **kwargs), policy)
    assert list(found.columns) == COLUMNS
    pd.testing.assert_index_equal(found.index, expected.index)
    np.testing.assert_allclose(found.to_numpy(float), expected.to_numpy(float), rtol=1e-9,
                               atol=1e-12, equal_nan=True)


def random_case(seed, paths=6, periods=40, assets=3):
    rng = np.random.default_rng(seed)
    returns = rng.normal(0.006, 0.05, (paths, periods, assets))
    returns[:, :, -1] *= 0.2
    glide = np.linspace(rng.dirichlet(np.ones(assets)), rng.dirichlet(np.ones(assets)),
                        periods + 1)
    flows = np.where(rng.random(periods) < 0.7, rng.uniform(0, 0.05, periods), 0.0)
    return returns, glide, flows


@pytest.mark.parametrize("name", list(POLICIES))
def test_every_policy_matches_the_engine_with_everything_streamable_on(name):
    returns, glide, flows = random_case(1)
    assert_matches_engine(returns, glide, POLICIES[name], cost_rate=0.004, cash_flows=flows,
                          expense_ratio=0.01, account=accounts.Roth(), initial_value=1.0)


@pytest.mark.parametrize("name", ["never", "quarterly", "5/25", "band edge", "cash flow"])
@pytest.mark.parametrize("flows_to", ["target", "underweight"])
def test_fixed_target_with_and_without_contributions(name, flows_to):
    returns, _, flows = random_case(2, assets=2)
    for cash_flows in (None, 0.01, flows):
        for start in (100.0, 0.0):  # from nothing, the first contribution starts it
            assert_matches_engine(returns, [0.7, 0.3], POLICIES[name], cash_flows=cash_flows,
                                  flows_to=flows_to, cost_rate=0.001, initial_value=start)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), name=st.sampled_from(sorted(POLICIES)),
       assets=st.integers(1, 6), periods=st.integers(1, 30),
       cost=st.sampled_from([0.0, 0.002, 0.3]), fee=st.sampled_from([0.0, 0.02]),
       flows_to=st.sampled_from(["target", "underweight"]), start=st.sampled_from([0.0, 3.0]))
def test_any_streamable_case_matches_the_engine(seed, name, assets, periods, cost, fee,
                                                flows_to, start):
    returns, glide, flows = random_case(seed, paths=4, periods=periods, assets=assets)
    assert_matches_engine(returns, glide, POLICIES[name], cost_rate=cost, cash_flows=flows,
                          initial_value=start,
                          expense_ratio=fee, flows_to=flows_to, periods_per_year=12,
                          account=accounts.TaxDeferred(income_tax=0.2))


def test_a_small_case_by_hand():
    # 60/40, stocks +10% then -5%, bonds flat, quarterly checks never come in two months
    returns = np.array([[0.10, 0.0], [-0.05, 0.0]])
    table = streamed_per_path(prepare(returns, [0.6, 0.4], periods_per_year=2),
                              policies.Never())
    row = table.iloc[0]
    assert row["terminal_wealth"] == pytest.approx(1.06 - 0.033)  # 0.627 + 0.4
    assert row["cagr"] == pytest.approx(1.027 - 1)  # one year of two periods
    # the weights after step 1: 0.66 / 1.06 in stocks, 0.0226 from the target
    first = abs(0.66 / 1.06 - 0.6)
    second = abs(0.627 / 1.027 - 0.6)
    assert row["average_drift"] == pytest.approx((first + second) / 2)
    assert row["largest_drift"] == pytest.approx(max(first, second))
    assert row["max_drawdown"] == pytest.approx(1.027 / 1.06 - 1)
    assert row["rebalance_count"] == 0
    assert row["volatility"] == pytest.approx(np.std([0.06, 1.027 / 1.06 - 1], ddof=1)
                                              * np.sqrt(2))


def test_a_calendar_trade_and_its_cost_by_hand():
    # one month: stocks +10%; monthly rebalancing back to 60/40 at 1% cost per dollar
    returns = np.array([[0.10, 0.0]])
    table = streamed_per_path(prepare(returns, [0.6, 0.4], cost_rate=0.01,
                                      initial_value=100.0), policies.Calendar("monthly"))
    row = table.iloc[0]
    # 66 + 40 = 106; to 63.6 / 42.4 sells 2.4 and buys 2.4; cost 0.048
    assert row["costs_paid"] == pytest.approx(0.048)
    assert row["terminal_wealth"] == pytest.approx(106 - 0.048)
    assert row["rebalance_count"] == 1
    assert row["annual_turnover"] == pytest.approx(2.4 / (106 - 0.048) * 12)
    assert row["average_drift"] == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("kwargs", [
    {"account": accounts.Taxable(tax_rate=0.15)},
    {"cash_flows": -0.01},
    {"cash_flows": np.full((3, 12), 0.01)},
    {"cost_rate": 0.4},
])
def test_what_only_the_full_simulation_can_do(kwargs):
    returns = np.full((3, 12, 2), 0.01)
    setup = prepare(returns, [0.5, 0.5], **kwargs)
    assert not streamable(setup, setup.rules(policies.Never()), ["cagr"])
    with pytest.raises(ValueError, match="full simulation"):
        streamed_per_path(setup, policies.Never(), ["cagr"])
    # policy_medians still answers, through simulate
    table = policy_medians(returns, [0.5, 0.5], [policies.Never()], columns=["cagr"],
                           **kwargs)
    expected = metrics.compare_row(simulate(returns, [0.5, 0.5], policies.Never(), **kwargs),
                                   columns=["cagr"], percentiles=())
    assert table.loc["Never rebalance", "cagr"] == pytest.approx(expected["cagr"])


def test_a_wiped_out_path_and_unstreamed_metrics_go_to_the_engine():
    returns = np.full((2, 12, 2), 0.01)
    returns[0, 3, 0] = -1.0
    setup = prepare(returns, [0.5, 0.5])
    assert not streamable(setup, setup.rules(policies.Never()), ["cagr"])
    setup = prepare(np.full((2, 12, 2), 0.01), [0.5, 0.5])
    assert not streamable(setup, setup.rules(policies.Never()), ["time_outside_band"])


def test_policy_medians_equal_compare_and_call_back_per_policy():
    returns, glide, flows = random_case(5, paths=30, periods=36)
    chosen = {"never": policies.Never(), "annual": policies.Calendar("annual"),
              "cash flow": policies.CashFlow(policies.Threshold(0.05))}
    kwargs = {"cost_rate": 0.002, "cash_flows": flows, "initial_value": 10.0}
    calls = []
    table = policy_medians(returns, glide, chosen, columns=["cagr", "costs_paid"],
                           done=lambda: calls.append(1), **kwargs)
    assert len(calls) == 3
    full = policy_medians(returns, glide, chosen, **kwargs)  # every metric: the engine
    compared = compare(returns, glide, chosen, percentiles=(), **kwargs)
    for name in chosen:
        for column in ("cagr", "costs_paid"):
            expected = compared.loc[name, column]
            assert table.loc[name, column] == pytest.approx(expected, rel=1e-9)
            assert full.loc[name, column] == pytest.approx(expected, rel=1e-12)


def test_policy_medians_names_a_list_of_policies_by_their_labels_and_checks_input():
    returns = np.zeros((2, 6, 2))
    table = policy_medians(returns, [0.5, 0.5], [policies.Never(), policies.Threshold(0.05)],
                           columns=["rebalance_count"])
    assert list(table.index) == ["Never rebalance", "5-point band"]
    assert table.index.name == "policy"
    with pytest.raises(ValueError, match="at least one policy"):
        policy_medians(returns, [0.5, 0.5], [])
    with pytest.raises(ValueError, match="add up"):
        policy_medians(returns, [0.5, 0.6], [policies.Never()])


def printed(code):
    """The words a fresh Python process prints when it runs ``code``."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120).stdout.split()


# one policy's median CAGR on flat 1% months, printed by a fresh process, and its value
FLAT_CAGR = (
    "import sys, numpy\n"
    "from rebalance_widgets.core import policies, policy_medians\n"
    "table = policy_medians(numpy.full((4, 24, 2), 0.01), [0.5, 0.5],\n"
    "                       [policies.Never()], columns=['cagr'])\n"
    "print(round(float(table['cagr'].iloc[0]), 6), 'numba' in sys.modules)\n"
)
FLAT_CAGR_SHOWN = str(round(1.01 ** 12 - 1, 6))


def test_importing_the_package_does_not_load_the_compiler():
    assert printed("import sys, rebalance_widgets; print('numba' in sys.modules)") == ["False"]


def test_a_tight_memory_limit_uses_the_engine_instead_of_loading_the_compiler():
    # a kernel of `serve --public` runs under an address-space limit; where numba would not
    # fit, loading it could fail or hang, so the comparison must use the engine
    limit = (
        "import resource, numpy, pandas\n"
        "from rebalance_widgets.core import policies, policy_medians\n"
        "used = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()\n"
        "limit = used + 300 * 2**20\n"
        "hard = resource.getrlimit(resource.RLIMIT_AS)[1]\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, hard))\n"
    )
    assert printed(limit + FLAT_CAGR) == [FLAT_CAGR_SHOWN, "False"]


class _QuarterlyToTheEdge(policies.Calendar):
    """A rule that asks to trade to a band's edge but has no band: it trades to target."""

    trade_to = "band"


def test_a_rule_with_no_band_trades_to_target_whatever_it_asks():
    returns, _, flows = random_case(7, periods=24, assets=2)
    assert_matches_engine(returns, [0.6, 0.4], _QuarterlyToTheEdge("quarterly"),
                          cash_flows=flows)


def test_the_trade_tolerance_is_the_engines_at_every_call(monkeypatch):
    returns = np.array([[[0.10, 0.0]]])
    setup = prepare(returns, [0.6, 0.4])
    monthly = policies.Calendar("monthly")
    assert streamed_per_path(setup, monthly)["rebalance_count"].iloc[0] == 1
    monkeypatch.setattr(streamed, "TRADE_TOLERANCE", 0.5)  # a trade of 4% is now too small
    assert streamed_per_path(setup, monthly)["rebalance_count"].iloc[0] == 0


def test_two_policies_with_one_name_are_refused():
    # Built-in policies that differ never share a label; a policy of one's own may.
    class Mine(policies.Never):
        pass

    returns = np.zeros((2, 6, 2))
    with pytest.raises(ValueError, match="same name"):
        policy_medians(returns, [0.5, 0.5], [policies.Never(), Mine()])
    table = policy_medians(returns, [0.5, 0.5], [policies.Threshold(0.05),
                                                  policies.Threshold(0.05, check="annual")])
    assert list(table.index) == ["5-point band", "5-point band, checked annually"]


def test_a_compiler_that_fails_to_load_leaves_the_work_to_the_engine():
    broken = "import sys\nsys.modules['numba'] = None  # importing it now fails\n"
    assert printed(broken + FLAT_CAGR)[0] == FLAT_CAGR_SHOWN

"""Paired comparisons against a direct, per-future computation from simulate()."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rebalance_widgets.core import metrics, policies, policy_per_path, simulate

POLICIES = {
    "never": policies.Never(),
    "annual": policies.Calendar("annual"),
    "band": policies.Threshold(absolute=0.05),
    "flows": policies.CashFlow(),
}


def direct(returns, reference, other, **kwargs):
    """Slow and plain: simulate both, walk the futures one by one."""
    first = simulate(returns, [0.6, 0.4], reference, **kwargs).wealth[:, -1]
    second = simulate(returns, [0.6, 0.4], other, **kwargs).wealth[:, -1]
    ahead = behind = tied = 0
    differences = []
    for a, b in zip(first.tolist(), second.tolist(), strict=True):
        difference = b - a
        if abs(difference) <= 1e-9 * max(abs(a), abs(b), 1.0):
            tied += 1
        elif difference > 0:
            ahead += 1
        else:
            behind += 1
        differences.append(difference)
    count = len(differences)
    return ahead / count, behind / count, tied / count, sorted(differences)


@pytest.mark.parametrize("name", ["annual", "band", "flows"])
def test_matches_a_direct_computation_on_the_same_draws(name):
    rng = np.random.default_rng(7)
    returns = rng.normal([0.007, 0.003], [0.045, 0.02], size=(400, 120, 2))
    kwargs = {"initial_value": 10_000.0, "cash_flows": 200.0, "cost_rate": 0.001}
    tables = policy_per_path(returns, [0.6, 0.4], {"never": POLICIES["never"],
                                                   name: POLICIES[name]},
                             columns=["terminal_wealth"], **kwargs)
    row = metrics.paired_differences(tables, "never").loc[name]
    ahead, behind, tied, differences = direct(returns, POLICIES["never"], POLICIES[name],
                                              **kwargs)
    assert row["share_ahead"] == pytest.approx(ahead, abs=1e-12)
    assert row["share_behind"] == pytest.approx(behind, abs=1e-12)
    assert row["share_tied"] == pytest.approx(tied, abs=1e-12)
    assert row["futures"] == 400
    # the 10th percentile by numpy's linear rule: between sorted values 39 and 40 (0-based)
    position = 0.10 * (len(differences) - 1)
    low, weight = int(position), position - int(position)
    p10 = differences[low] + weight * (differences[low + 1] - differences[low])
    assert row["difference_p10"] == pytest.approx(p10, rel=1e-7, abs=1e-6)
    assert row["difference_p50"] == pytest.approx(float(np.median(differences)), rel=1e-7,
                                                  abs=1e-6)


def test_a_small_case_by_hand():
    # two futures: stocks +20% then flat; stocks -20% then flat; bonds flat; 50/50, $100
    returns = np.array([[[0.2, 0.0], [0.0, 0.0]], [[-0.2, 0.0], [0.0, 0.0]]])
    tables = policy_per_path(returns, [0.5, 0.5], {"never": policies.Never(),
                                                   "monthly": policies.Calendar(1)},
                             columns=["terminal_wealth"], initial_value=100.0)
    # no cost and flat second month: rebalancing changes nothing about the end value
    row = metrics.paired_differences(tables, "never").loc["monthly"]
    assert row["share_tied"] == 1.0
    assert tables["never"]["terminal_wealth"].tolist() == pytest.approx([110.0, 90.0])


def test_ties_and_nan_futures():
    tables = {"a": pd.DataFrame({"terminal_wealth": [1.0, 2.0, np.nan, 4.0]}),
              "b": pd.DataFrame({"terminal_wealth": [1.0 + 1e-12, 3.0, 5.0, 3.0]})}
    row = metrics.paired_differences(tables, "a").loc["b"]
    assert row["futures"] == 3
    assert row[["share_ahead", "share_behind", "share_tied"]].tolist() == pytest.approx(
        [1 / 3, 1 / 3, 1 / 3])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e6), st.floats(0, 1e6)), min_size=1, max_size=40))
def test_shares_add_to_one_and_swap_when_the_reference_swaps(pairs):
    tables = {"a": pd.DataFrame({"terminal_wealth": [a for a, _ in pairs]}),
              "b": pd.DataFrame({"terminal_wealth": [b for _, b in pairs]})}
    forward = metrics.paired_differences(tables, "a").loc["b"]
    backward = metrics.paired_differences(tables, "b").loc["a"]
    assert forward["share_ahead"] + forward["share_behind"] + forward["share_tied"] == (
        pytest.approx(1.0))
    assert forward["share_ahead"] == pytest.approx(backward["share_behind"])
    assert forward["difference_p50"] == pytest.approx(-backward["difference_p50"], abs=1e-6)


@pytest.mark.parametrize(
    ("tables", "reference", "message"),
    [
        ({"a": pd.DataFrame({"terminal_wealth": [1.0]})}, "b", "not among"),
        ({"a": pd.DataFrame({"terminal_wealth": [1.0]}),
          "b": pd.DataFrame({"terminal_wealth": [1.0, 2.0]})}, "a", "same futures"),
        ({"a": pd.DataFrame({"cagr": [1.0]})}, "a", "no column"),
    ],
)
def test_refuses_what_cannot_be_paired(tables, reference, message):
    with pytest.raises(ValueError, match=message):
        metrics.paired_differences(tables, reference)

"""Metrics on hand-built results whose numbers are worked out in the comments."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets.core import metrics


@dataclass(frozen=True)
class Band:
    width: float | None
    label: str = "band"

    def band_width(self, target):
        if self.width is None:
            return None
        return np.full(np.shape(target), self.width)


@dataclass(frozen=True)
class Result:
    """Stand-in with the engine result's attribute names."""

    wealth: np.ndarray
    weights: np.ndarray
    target: np.ndarray
    rebalanced: np.ndarray
    periods_per_year: int
    assets: tuple[str, ...]
    buys: np.ndarray | None = None
    sells: np.ndarray | None = None
    costs: np.ndarray | None = None
    taxes: np.ndarray | None = None
    fees: np.ndarray | None = None
    flows: np.ndarray | None = None
    after_tax_wealth: np.ndarray | None = None
    policy: object = field(default_factory=lambda: Band(None))
    initial_value: float = 100.0


def simple(wealth, stock_weights=None, flows=None, ppy=12, target=0.6, **extra):
    """One or more paths of a stocks/bonds portfolio."""
    wealth = np.atleast_2d(np.asarray(wealth, dtype=float))
    stock = np.full(wealth.shape, target) if stock_weights is None else stock_weights
    stock = np.atleast_2d(np.asarray(stock, dtype=float))
    weights = np.stack([stock, 1 - stock], axis=2)
    return Result(
        wealth=wealth,
        weights=weights,
        target=np.tile([target, 1 - target], (wealth.shape[1], 1)),
        rebalanced=np.zeros(wealth.shape, dtype=bool),
        periods_per_year=ppy,
        assets=("stocks", "bonds"),
        flows=None if flows is None else np.atleast_2d(np.asarray(flows, dtype=float)),
        **extra,
    )


def two_paths() -> Result:
    # Quarterly steps (ppy = 4), T = 4 periods = 1 year, target 60/40.
    # Path 0, no cash flows: 100 -> 110 -> 99 -> 118.8 -> 124.74
    #   returns 0.1, -0.1, 0.2, 0.05; growth 1.1, 0.99, 1.188, 1.2474.
    # Path 1: 100 -> 90 (r = -0.1); then grows 20% to 108, +10 contribution -> 118
    #   (r = (118 - 10) / 90 - 1 = 0.2); then flat, 18 withdrawn -> 100
    #   (r = (100 + 18) / 118 - 1 = 0); then 100 -> 105 (r = 0.05).
    #   growth 0.9, 1.08, 1.08, 1.134.
    wealth = np.array(
        [[100.0, 110.0, 99.0, 118.8, 124.74], [100.0, 90.0, 118.0, 100.0, 105.0]]
    )
    flows = np.array([[0.0] * 5, [0.0, 0.0, 10.0, -18.0, 0.0]])
    stock = np.array([[0.6, 0.65, 0.55, 0.60, 0.62], [0.6, 0.56, 0.60, 0.60, 0.61]])
    rebalanced = np.array(
        [[False, False, False, True, False], [False, False, True, True, False]]
    )
    buys = np.array([[0, 0, 0, 5.94, 0], [0, 0, 13.0, 2.0, 0]])
    sells = np.array([[0, 0, 0, 5.94, 0], [0, 0, 3.0, 20.0, 0]])
    costs = np.array([[0, 0, 0, 0.1, 0], [0, 0, 0.2, 0.3, 0]])
    taxes = np.array([[0, 0, 0, 0.2, 0], [0, 0, 0, 0.5, 0]])
    fees = np.array([[0, 0.05, 0.05, 0.05, 0.05], [0, 0.04, 0.04, 0.04, 0.04]])
    base = simple(wealth, stock, flows=flows, ppy=4)
    return Result(
        wealth=base.wealth,
        weights=base.weights,
        target=base.target,
        rebalanced=rebalanced,
        periods_per_year=4,
        assets=base.assets,
        buys=buys,
        sells=sells,
        costs=costs,
        taxes=taxes,
        fees=fees,
        flows=base.flows,
        after_tax_wealth=np.array([120.0, 104.0]),
        policy=Band(0.04),
    )


def test_two_paths_four_steps_by_hand():
    table = metrics.per_path(two_paths(), goal=120.0)
    assert list(table.index) == [0, 1]
    assert table.index.name == "path"
    expected = {
        "terminal_wealth": [124.74, 105.0],
        "after_tax_wealth": [120.0, 104.0],
        # one year, so CAGR = growth - 1
        "cagr": [0.2474, 0.134],
        # path 0: mean 0.0625, deviations 0.0375, -0.1625, 0.1375, -0.0125,
        #   squares sum 0.046875, / 3 = 0.015625, sqrt 0.125, x sqrt(4) = 0.25
        # path 1: mean 0.0375, deviations -0.1375, 0.1625, -0.0375, 0.0125 -> also 0.25
        "volatility": [0.25, 0.25],
        # path 0: 0.99 / 1.1 - 1; path 1: 0.9 / 1 - 1
        "max_drawdown": [-0.1, -0.1],
        # a year is the whole run here
        "worst_12_months": [0.2474, 0.134],
        # gaps at steps 1..4: path 0 .05 .05 0 .02; path 1 .04 0 0 .01
        "average_drift": [0.03, 0.0125],
        "largest_drift": [0.05, 0.04],
        # two assets: the half-sum equals the largest gap
        "average_total_drift": [0.03, 0.0125],
        "average_weight_stocks": [2.42 / 4, 2.37 / 4],
        "average_weight_bonds": [1 - 2.42 / 4, 1 - 2.37 / 4],
        # band 0.04: path 0 outside at steps 1 and 2; path 1 touches .04 at step 1 only
        "time_outside_band": [0.5, 0.0],
        "rebalance_count": [1, 2],
        "rebalances_per_year": [1.0, 2.0],
        # path 0: 5.94 / 118.8; path 1: 3 / 118 + 2 / 100; over one year
        "annual_turnover": [0.05, 3 / 118 + 0.02],
        "costs_paid": [0.1, 0.5],
        "taxes_paid": [0.2, 0.5],
        "fees_paid": [0.2, 0.16],
    }
    for column, values in expected.items():
        np.testing.assert_allclose(table[column], values, rtol=1e-12, atol=1e-12, err_msg=column)
    assert table["reached_goal"].tolist() == [True, False]
    assert list(table.columns)[: len(expected)] == list(expected)


def test_band_argument_and_edge_tolerance():
    run = two_paths()
    # |0.65 - 0.6| is 0.05000000000000004 in floats; a 5% band still counts it as inside.
    assert metrics.per_path(run, band=0.05)["time_outside_band"].tolist() == [0.0, 0.0]
    # band 0.01: path 0 outside at steps 1, 2, 4; path 1 at step 1 only
    assert metrics.per_path(run, band=0.01)["time_outside_band"].tolist() == [0.75, 0.25]
    # a band per asset: stocks 0.01, bonds 0.1; bonds gaps equal stocks gaps here
    per_asset = metrics.per_path(run, band=[0.01, 0.1])["time_outside_band"]
    assert per_asset.tolist() == [0.75, 0.25]


def test_default_band_when_policy_has_none():
    # stock weights 0.6, 0.66, 0.6: a gap of 0.06 at one step of two is outside 5%
    run = simple([[1.0, 1.0, 1.0]], [[0.6, 0.66, 0.6]])
    assert metrics.per_path(run)["time_outside_band"].item() == pytest.approx(0.5)
    assert metrics.DEFAULT_BAND == 0.05


def test_time_outside_band_uses_pre_trade_weights_when_recorded():
    @dataclass(frozen=True)
    class WithPreTrade(Result):
        weights_before_trade: np.ndarray | None = None

    # recorded weights are back at target after each trade, but before trading the
    # stock weight was 0.7 at step 1 and 0.62 at step 2
    base = simple([[1.0, 1.0, 1.0]])
    before = np.stack([np.array([[0.6, 0.7, 0.62]]), np.array([[0.4, 0.3, 0.38]])], axis=2)
    run = WithPreTrade(**{**base.__dict__, "weights_before_trade": before})
    assert metrics.per_path(run)["time_outside_band"].item() == pytest.approx(0.5)
    assert metrics.per_path(base)["time_outside_band"].item() == 0.0


def test_total_drift_is_half_the_sum_of_gaps():
    # four assets, target 40/20/30/10, weights 45/25/20/10 at the only step:
    # gaps .05 .05 .10 0 -> largest .10, half-sum .10; a second step 44/18/30/8:
    # gaps .04 .02 0 .02 -> largest .04, half-sum .04; averages .07 and .07.
    # A third step 42/22/28/8: gaps .02 .02 .02 .02 -> largest .02, half-sum .04.
    target = np.array([0.4, 0.2, 0.3, 0.1])
    weights = np.array(
        [[target, [0.45, 0.25, 0.20, 0.10], [0.44, 0.18, 0.30, 0.08], [0.42, 0.22, 0.28, 0.08]]]
    )
    run = Result(
        wealth=np.ones((1, 4)),
        weights=weights,
        target=np.tile(target, (4, 1)),
        rebalanced=np.zeros((1, 4), dtype=bool),
        periods_per_year=12,
        assets=("us", "world", "bonds", "cash"),
    )
    row = metrics.per_path(run).iloc[0]
    assert row["average_drift"] == pytest.approx((0.10 + 0.04 + 0.02) / 3)
    assert row["average_total_drift"] == pytest.approx((0.10 + 0.04 + 0.04) / 3)
    assert row["largest_drift"] == pytest.approx(0.10)
    assert row["average_weight_cash"] == pytest.approx((0.10 + 0.08 + 0.08) / 3)


def test_flat_path_has_no_volatility_and_no_drawdown():
    run = simple(np.full((1, 25), 100.0))
    row = metrics.per_path(run).iloc[0]
    assert row["cagr"] == 0.0
    assert row["volatility"] == 0.0
    assert row["max_drawdown"] == 0.0
    assert row["worst_12_months"] == 0.0
    assert row["annual_turnover"] == 0.0
    assert row["rebalance_count"] == 0


def test_known_drawdown():
    # 100 -> 120 -> 90 -> 130: from the 120 peak to 90 is -25%
    row = metrics.per_path(simple([[100.0, 120.0, 90.0, 130.0]])).iloc[0]
    assert row["max_drawdown"] == pytest.approx(-0.25)
    # three monthly periods: CAGR = 1.3 ** (12 / 3) - 1
    assert row["cagr"] == pytest.approx(1.3**4 - 1)
    # shorter than a year: no 12-month window
    assert np.isnan(row["worst_12_months"])


def test_time_weighted_return_ignores_contributions():
    # Same monthly returns, with and without 10 contributed at the end of every month.
    returns = np.array([0.02, -0.05, 0.03, 0.01, -0.02, 0.04] * 4)
    plain = 100 * np.concatenate([[1.0], np.cumprod(1 + returns)])
    funded = [100.0]
    for r in returns:
        funded.append(funded[-1] * (1 + r) + 10)
    flows = np.concatenate([[0.0], np.full(returns.size, 10.0)])
    without = metrics.per_path(simple([plain])).iloc[0]
    with_money = metrics.per_path(simple([funded], flows=[flows])).iloc[0]
    for name in ("cagr", "volatility", "max_drawdown", "worst_12_months"):
        assert with_money[name] == pytest.approx(without[name], rel=1e-12), name
    # the no-flow CAGR is the plain wealth CAGR over two years
    assert without["cagr"] == pytest.approx((plain[-1] / plain[0]) ** (12 / 24) - 1)
    # but terminal wealth differs: the contributions are in the money
    assert with_money["terminal_wealth"] > without["terminal_wealth"] + 240


def test_worst_twelve_months_by_hand():
    # 13 monthly returns: twelve of +1% and then -10% at month 13.
    # Windows: months 1-12 give 1.01**12 - 1; months 2-13 give 1.01**11 * 0.9 - 1 (worst).
    returns = np.array([0.01] * 12 + [-0.10])
    wealth = np.concatenate([[1.0], np.cumprod(1 + returns)])
    row = metrics.per_path(simple([wealth])).iloc[0]
    assert row["worst_12_months"] == pytest.approx(1.01**11 * 0.9 - 1)


def test_turnover_of_a_known_trade():
    # 12 monthly steps; at step 6 sell 10 of stocks and buy 10 of bonds with wealth 100:
    # min(10, 10) / 100 = 0.1 over one year. A contribution of 5 at step 9 (buys 5,
    # sells 0) is not turnover.
    buys = np.zeros((1, 13))
    sells = np.zeros((1, 13))
    buys[0, 6], sells[0, 6] = 10.0, 10.0
    buys[0, 9] = 5.0
    wealth = np.full((1, 13), 100.0)
    wealth[0, 9:] = 105.0
    flows = np.zeros((1, 13))
    flows[0, 9] = 5.0
    rebalanced = np.zeros((1, 13), dtype=bool)
    rebalanced[0, 6] = True
    base = simple(wealth, flows=flows, buys=buys, sells=sells)
    run = Result(**{**base.__dict__, "rebalanced": rebalanced})
    row = metrics.per_path(run).iloc[0]
    assert row["annual_turnover"] == pytest.approx(0.1)
    assert row["rebalance_count"] == 1
    assert row["cagr"] == pytest.approx(0.0)
    # the same trade over two years of steps halves the yearly figures
    long = metrics.per_path(
        simple(np.full((1, 25), 100.0), buys=np.pad(buys, ((0, 0), (0, 12))),
               sells=np.pad(sells, ((0, 0), (0, 12))))
    ).iloc[0]
    assert long["annual_turnover"] == pytest.approx(0.05)


def test_emptied_portfolio_stops_growing():
    # everything withdrawn at step 2: return -100% of what was left... then nothing
    wealth = [[100.0, 110.0, 0.0, 0.0]]
    flows = [[0.0, 0.0, -110.0, 0.0]]
    row = metrics.per_path(simple(wealth, flows=flows)).iloc[0]
    # r = 0.1, (0 + 110) / 110 - 1 = 0, then no money: 0
    assert row["cagr"] == pytest.approx(1.1**4 - 1)
    assert row["max_drawdown"] == 0.0


def test_goal_and_band_validation():
    run = two_paths()
    with pytest.raises(ValueError, match="goal must be zero or more dollars"):
        metrics.per_path(run, goal=-1)
    with pytest.raises(ValueError, match="goal must be a number"):
        metrics.per_path(run, goal="a lot")
    with pytest.raises(ValueError, match="band must be zero or more"):
        metrics.per_path(run, band=-0.01)
    table = metrics.per_path(run, goal=0)
    assert table["reached_goal"].all()


def test_shape_mismatch_is_reported():
    run = two_paths()
    broken = Result(**{**run.__dict__, "flows": np.zeros((2, 3))})
    with pytest.raises(ValueError, match="flows has shape"):
        metrics.per_path(broken)


def test_summarise_by_hand():
    table = metrics.per_path(two_paths(), goal=120.0)
    summary = metrics.summarise(table)
    assert list(summary.columns) == ["mean", "p5", "p50", "p95"]
    # two values 124.74 and 105: mean 114.87; linear percentiles 105 + p * 19.74
    np.testing.assert_allclose(
        summary.loc["terminal_wealth"], [114.87, 105.987, 114.87, 123.753], rtol=1e-12
    )
    assert "reached_goal" not in summary.index
    probability = summary.loc["probability_reaching_goal"]
    assert probability["mean"] == 0.5
    assert probability[["p5", "p50", "p95"]].isna().all()
    custom = metrics.summarise(table, percentiles=(2.5, 97.5))
    assert list(custom.columns) == ["mean", "p2.5", "p97.5"]


def test_summarise_skips_missing_values():
    table = pd.DataFrame({"worst_12_months": [np.nan, -0.2, -0.1], "empty": [np.nan] * 3})
    summary = metrics.summarise(table, percentiles=(0, 100))
    assert summary.loc["worst_12_months"].tolist() == pytest.approx([-0.15, -0.2, -0.1])
    assert summary.loc["empty"].isna().all()


def test_target_that_changes_over_time():
    # a glide path: target stocks 0.6 then 0.5; weights 0.6, 0.55, 0.5 -> gaps 0.05, 0
    base = simple([[1.0, 1.0, 1.0]], [[0.6, 0.55, 0.5]])
    target = np.array([[0.6, 0.4], [0.5, 0.5], [0.5, 0.5]])
    run = Result(**{**base.__dict__, "target": target, "policy": Band(0.04)})
    row = metrics.per_path(run).iloc[0]
    assert row["average_drift"] == pytest.approx(0.025)
    assert row["time_outside_band"] == pytest.approx(0.5)


def test_a_total_loss_is_the_worst_year():
    # twelve months of +1%, then everything is lost in month 13: worst year is -100%
    wealth = np.concatenate([[1.0], 1.01 ** np.arange(1, 13), [0.0]])
    row = metrics.per_path(simple([wealth])).iloc[0]
    assert row["worst_12_months"] == -1.0
    assert row["max_drawdown"] == -1.0
    assert row["cagr"] == -1.0


def reference_row(run, path: int, band: float) -> dict[str, float]:
    """Plain loops over one path, straight from the definitions."""
    wealth, flows, ppy = run.wealth[path], run.flows[path], run.periods_per_year
    periods = len(wealth) - 1
    returns = [(wealth[t] - flows[t]) / wealth[t - 1] - 1 for t in range(1, periods + 1)]
    growth = [1.0]
    for r in returns:
        growth.append(growth[-1] * (1 + r))
    worst_drop, peak = 0.0, 1.0
    for g in growth:
        peak = max(peak, g)
        worst_drop = min(worst_drop, g / peak - 1)
    years = [np.prod([1 + r for r in returns[s:s + 12]]) - 1 for s in range(periods - 11)]
    gaps = [np.abs(run.weights[path, t] - run.target[t]) for t in range(1, periods + 1)]
    before = [np.abs(run.weights_before_trade[path, t] - run.target[t])
              for t in range(1, periods + 1)]
    turnover = sum(min(run.buys[path, t], run.sells[path, t]) / wealth[t]
                   for t in range(1, periods + 1))
    return {
        "cagr": growth[-1] ** (ppy / periods) - 1,
        "volatility": np.std(returns, ddof=1) * np.sqrt(ppy),
        "max_drawdown": worst_drop,
        "worst_12_months": min(years),
        "average_drift": np.mean([gap.max() for gap in gaps]),
        "largest_drift": max(gap.max() for gap in gaps),
        "average_total_drift": np.mean([gap.sum() / 2 for gap in gaps]),
        "time_outside_band": np.mean([(gap > band + 1e-9).any() for gap in before]),
        "annual_turnover": turnover / (periods / ppy),
        "rebalance_count": run.rebalanced[path, 1:].sum(),
        "costs_paid": run.costs[path].sum(),
    }


def test_engine_result_matches_plain_loops():
    from rebalance_widgets.core import simulate
    from rebalance_widgets.core.simulation import policies

    rng = np.random.default_rng(3)
    returns = rng.normal([0.007, 0.004, 0.002], [0.045, 0.02, 0.003], size=(6, 48, 3))
    flows = rng.choice([0.0, 2.0, -3.0], size=(6, 48))
    run = simulate(returns, target=[0.5, 0.3, 0.2], cost_rate=0.002, initial_value=50.0,
                   policy=policies.Threshold(absolute=0.03, check="quarterly"),
                   cash_flows=flows, periods_per_year=12)
    table = metrics.per_path(run)
    for path in range(6):
        for name, value in reference_row(run, path, band=0.03).items():
            assert table.loc[path, name] == pytest.approx(value, rel=1e-9, abs=1e-12), name
    assert table["rebalance_count"].sum() > 0
    assert table["costs_paid"].gt(0).all()


def test_many_paths_are_swept_in_blocks_of_steps_with_the_same_results():
    from rebalance_widgets.core import simulate
    from rebalance_widgets.core.metrics.paths import Paths
    from rebalance_widgets.core.simulation import policies

    rng = np.random.default_rng(8)
    returns = rng.normal([0.007, 0.004, 0.002], [0.06, 0.02, 0.003], size=(3000, 60, 3))
    flows = rng.choice([0.0, 2.0, -3.0], size=(3000, 60))
    run = simulate(returns, target=[0.5, 0.3, 0.2], cost_rate=0.002, initial_value=50.0,
                   policy=policies.Threshold(absolute=0.03, check="quarterly"),
                   cash_flows=flows, periods_per_year=12)
    table = metrics.per_path(run)
    assert len(Paths(run, run.wealth, run.weights, run.target, lambda: None).blocks) > 3
    for path in (0, 1234, 2999):
        for name, value in reference_row(run, path, band=0.03).items():
            assert table.loc[path, name] == pytest.approx(value, rel=1e-9, abs=1e-12), name


def test_asking_for_some_metrics_computes_the_same_numbers():
    run = two_paths()
    full = metrics.per_path(run, goal=120.0)
    some = metrics.per_path(run, goal=120.0,
                            columns=["max_drawdown", "reached_goal", "average_weight_bonds"])
    assert list(some.columns) == ["max_drawdown", "reached_goal", "average_weight_bonds"]
    pd.testing.assert_frame_equal(some, full[list(some.columns)])
    assert metrics.column_names(run.assets, goal=True) == list(full.columns)


def test_asking_for_an_unknown_metric_says_which_exist():
    with pytest.raises(ValueError, match="Unknown metric 'sharpe'; choose from terminal_wealth"):
        metrics.per_path(two_paths(), columns=["sharpe"])
    with pytest.raises(ValueError, match="Give a goal in dollars"):
        metrics.per_path(two_paths(), columns=["reached_goal"])


def test_compare_row_matches_core_compare():
    from rebalance_widgets.core import compare, simulate
    from rebalance_widgets.core.simulation import policies

    rng = np.random.default_rng(5)
    returns = rng.normal([0.007, 0.003], [0.05, 0.02], size=(41, 36, 2))
    policy = policies.Calendar("quarterly")
    kwargs = dict(initial_value=100.0, cost_rate=0.001, cash_flows=5.0)
    expected = compare(returns, [0.7, 0.3], {"q": policy}, goal=150.0, **kwargs).loc["q"]
    row = metrics.compare_row(simulate(returns, [0.7, 0.3], policy, **kwargs), goal=150.0)
    assert list(row) == list(expected.index)
    for name, value in row.items():
        assert value == pytest.approx(expected[name], rel=1e-12, nan_ok=True), name
    some = metrics.compare_row(simulate(returns, [0.7, 0.3], policy, **kwargs),
                               columns=["cagr", "costs_paid"], percentiles=())
    assert some == pytest.approx({"cagr": expected["cagr"], "costs_paid": expected["costs_paid"]})

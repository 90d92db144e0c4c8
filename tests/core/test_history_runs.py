"""Rules through a span of real history, step by step; worst falls; the published test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets.core import load_history, simulate
from rebalance_widgets.core.history_runs import RUN_COLUMNS, history_runs, worst_falls
from rebalance_widgets.core.published import VANGUARD_2010, published_comparison
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.core.study import history_study


def falls_by_hand(values: list[float], dates: pd.DatetimeIndex) -> list[tuple]:
    """A plain loop: walk the path, open a fall when it drops below its peak, close it when
    the path gets back to the peak. Returns (depth, peak, trough, recovery), deepest first."""
    found, peak_at, trough_at, falling = [], 0, 0, False
    for step in range(1, len(values)):
        if values[step] >= values[peak_at]:
            if falling:
                found.append((values[trough_at] / values[peak_at] - 1, dates[peak_at],
                              dates[trough_at], dates[step]))
            peak_at, trough_at, falling = step, step, False
        else:
            if not falling or values[step] < values[trough_at]:
                trough_at = step
            falling = True
    if falling:
        found.append((values[trough_at] / values[peak_at] - 1, dates[peak_at],
                      dates[trough_at], pd.NaT))
    return sorted(found, key=lambda fall: fall[0])


@pytest.mark.parametrize("seed", range(25))
def test_worst_falls_match_a_plain_loop(seed):
    rng = np.random.default_rng(seed)
    values = list(np.cumprod(1 + rng.normal(0.003, 0.05, size=int(rng.integers(2, 300)))))
    dates = pd.date_range("1990-01-31", periods=len(values), freq="ME")
    expected = falls_by_hand(values, dates)[:3]
    got = worst_falls(values, dates, count=3)
    assert len(got) == len(expected)
    for row, (depth, peak, trough, recovery) in zip(got.itertuples(), expected, strict=True):
        assert row.depth == pytest.approx(depth, abs=1e-12)
        assert (row.peak, row.trough) == (peak, trough)
        assert (pd.isna(row.recovery) and pd.isna(recovery)) or row.recovery == recovery


def test_worst_falls_by_hand_and_edge_cases():
    days = pd.date_range("2000-01-31", periods=6, freq="ME")
    falls = worst_falls([1.0, 0.8, 1.0, 1.1, 0.55, 0.6], days)
    assert falls["depth"].round(6).tolist() == [-0.5, -0.2]
    assert falls.loc[0, "peak"] == days[3] and falls.loc[0, "trough"] == days[4]
    assert pd.isna(falls.loc[0, "recovery"])
    assert falls.loc[1, "recovery"] == days[2]  # back to the peak, not above it
    assert worst_falls([1.0, 1.1, 1.2], days[:3]).empty
    with pytest.raises(ValueError, match="positive"):
        worst_falls([1.0, 0.0], days[:2])
    with pytest.raises(ValueError, match="one date"):
        worst_falls([1.0, 2.0], days[:3])


RULES = {
    "Never rebalance": policies.Never(),
    "Monthly, no band": policies.Threshold(absolute=0.0, check="monthly"),
    "Quarterly, 5% band": policies.Threshold(absolute=0.05, check="quarterly"),
    "Annual, 10% band": policies.Threshold(absolute=0.10, check="annual"),
}


def test_runs_agree_with_the_study_on_the_same_span():
    runs = history_runs(RULES, (0.6, 0.4, 0.0), 1973, 2022)
    study = history_study(target=(0.6, 0.4), start="1973-01", end="2022-11").set_index(
        "policy")
    table = runs.table.set_index("rule")
    assert list(runs.table.columns) == list(RUN_COLUMNS)
    for name in RULES:
        mine = study.loc[name if name != "Never rebalance" else "Never rebalance"]
        row = table.loc[name]
        for column in ("average_stock_weight", "annual_turnover", "annualised_return",
                       "annualised_volatility", "max_drawdown"):
            assert row[column] == pytest.approx(mine[column], abs=1e-12), (name, column)
        assert row["rebalance_count"] == mine["rebalance_count"]
        assert row["growth_of_1"] == pytest.approx(mine["terminal_wealth"], rel=1e-12)
        assert row["ending_balance"] == pytest.approx(10_000 * mine["terminal_wealth"])
        assert runs.growth[name].iloc[-1] == pytest.approx(row["growth_of_1"], rel=1e-12)
        worst = runs.falls[runs.falls["rule"] == name]["depth"].min()
        assert worst == pytest.approx(row["max_drawdown"], abs=1e-12)
    # step 0 is the last day before January 1973, step t the end of the t-th month
    assert runs.dates[0] == pd.Timestamp("1972-12-31")
    assert runs.dates[-1] == pd.Timestamp("2022-11-30")
    assert runs.growth.shape == (len(load_history("1973-01", "2022-11")) + 1, 4)
    assert (runs.stock_share["Monthly, no band"].round(12) == 0.6).all()


def test_yearly_data_by_hand():
    runs = history_runs({"Never": policies.Never(), "Annual": policies.Calendar("annual")},
                        (0.5, 0.3, 0.2), 2020, 2022, "yearly")
    years = load_history(2020, 2022, frequency="yearly")
    mix = np.array([0.5, 0.3, 0.2])
    rebalanced = np.cumprod(1 + years[["stocks", "bonds", "bills"]].to_numpy() @ mix)
    assert runs.growth["Annual"].tolist()[1:] == pytest.approx(rebalanced.tolist())
    held = (1 + years[["stocks", "bonds", "bills"]]).cumprod().to_numpy() @ mix
    assert runs.growth["Never"].tolist()[1:] == pytest.approx(held.tolist())
    assert list(runs.dates.year) == [2019, 2020, 2021, 2022]
    prices = np.cumprod(1 + years["inflation"].to_numpy())
    assert runs.prices.tolist() == pytest.approx([1.0, *prices])
    table = runs.table.set_index("rule")
    assert table.loc["Never", "real_growth_of_1"] == pytest.approx(held[-1] / prices[-1])
    assert table.loc["Never", "real_annualised_return"] == pytest.approx(
        (held[-1] / prices[-1]) ** (1 / 3) - 1)
    assert runs.real_growth["Annual"].iloc[-1] == pytest.approx(rebalanced[-1] / prices[-1])


def test_money_added_is_not_growth_and_cash_flows_steer_it():
    rules = {"Never": policies.Never(), "Cash flows": policies.CashFlow()}
    quiet = history_runs(rules, (0.6, 0.4, 0.0), 1990, 2000)
    assert quiet.growth["Never"].equals(quiet.growth["Cash flows"])  # nothing to steer
    runs = history_runs(rules, (0.6, 0.4, 0.0), 1990, 2000, contribution=500)
    returns = load_history("1990-01", "2000-12", columns=["stocks", "bonds", "bills"])
    never = simulate(returns, [0.6, 0.4, 0.0], policies.Never(), initial_value=10_000,
                     cash_flows=500.0)
    assert runs.table.loc[0, "ending_balance"] == pytest.approx(never.wealth[0, -1])
    assert runs.table.loc[0, "growth_of_1"] < never.wealth[0, -1] / 10_000  # flows left out
    steered = runs.stock_share["Cash flows"]
    assert abs(steered - 0.6).mean() < abs(runs.stock_share["Never"] - 0.6).mean()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"start": 2000, "end": 1999}, "must come after"),
    ({"start": 2000, "end": 2000, "frequency": "yearly"}, "two years or more"),
    ({"start": 1920, "end": 2000}, "runs from 1926 to 2022"),
    ({"start": 2000, "end": 2025}, "runs from 1926 to 2022"),
    ({"start": "2000", "end": 2010}, "whole year"),
    ({"target": (0.5, 0.4, 0.0)}, "adding up to 100%"),
    ({"target": (0.5, float("nan"), 0.5)}, "adding up to 100%"),
    ({"contribution": -5}, "money added"),
    ({"frequency": "daily"}, "monthly or yearly"),
])
def test_bad_input_says_what_to_fix(kwargs, message):
    with pytest.raises(ValueError, match=message):
        history_runs(RULES, **kwargs)


def test_yearly_data_refuse_monthly_checks_and_no_rules():
    with pytest.raises(ValueError, match="check does not fall on a whole number"):
        history_runs(RULES, frequency="yearly", start=1990, end=2000)
    with pytest.raises(ValueError, match="at least one rule"):
        history_runs({})


def test_published_comparison_reproduces_the_two_counts_the_paper_quotes():
    table = published_comparison()
    assert len(table) == len(VANGUARD_2010.rows) == 11
    annual_ten = table[(table["check"] == "annual") & (table["threshold"] == 0.10)].iloc[0]
    assert annual_ten["published_rebalance_count"] == annual_ten["ours_rebalance_count"] == 15
    monthly = table[(table["check"] == "monthly") & (table["threshold"] == 0.0)].iloc[0]
    # 84 years of months is 1,008; the history starts in July 1926, six months later
    assert monthly["published_rebalance_count"] == 1008
    assert monthly["ours_rebalance_count"] == 1008 - 6
    rules = table[table["check"] != "never"]
    gap = (rules["ours_average_stock_weight"] - rules["published_average_stock_weight"]).abs()
    assert gap.max() < 0.015
    assert (rules["ours_annualised_volatility"]
            - rules["published_annualised_volatility"]).abs().max() < 0.005


def test_worst_12_months_is_the_worst_run_of_twelve_months_by_a_plain_loop():
    runs = history_runs({"Monthly": policies.Calendar("monthly")}, (0.6, 0.4, 0.0), 2000, 2009)
    path = runs.growth["Monthly"].to_numpy()
    worst = min(path[t + 12] / path[t] - 1 for t in range(len(path) - 12))
    assert runs.table.loc[0, "worst_12_months"] == pytest.approx(worst, rel=1e-9)

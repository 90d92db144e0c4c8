"""The historical rebalancing study: hand-made history and the embedded 1926- data."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets.core import metrics, simulate
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.core.study import STUDY_COLUMNS, history_study


def steady_history(months: int = 12) -> pd.DataFrame:
    """Stocks earn exactly 1% every month, bonds nothing."""
    index = pd.date_range("2000-01-01", periods=months, freq="MS", name="date")
    return pd.DataFrame(
        {"stocks": 0.01, "bonds": 0.0, "bills": 0.0, "inflation": 0.002}, index=index
    )


@pytest.fixture(scope="module")
def real_study() -> pd.DataFrame:
    return history_study()


def test_hand_made_history():
    table = history_study(
        start=None, checks=("monthly", "quarterly", "annual"),
        thresholds=(0.0, 0.01, 0.05), history=steady_history(),
    ).set_index("policy")
    growth = 1.01 ** np.arange(1, 13)
    drifting = 0.6 * growth / (0.6 * growth + 0.4)  # the stock weight if never rebalanced

    never = table.loc["Never rebalance"]
    assert never["terminal_wealth"] == pytest.approx(0.6 * 1.01**12 + 0.4)
    assert never["average_stock_weight"] == pytest.approx(drifting.mean())
    assert never["rebalance_count"] == 0
    assert never["annual_turnover"] == 0.0

    monthly = table.loc["Monthly, no band"]
    # back to 60/40 every month: 0.6% a month, no ups and downs
    assert monthly["terminal_wealth"] == pytest.approx(1.006**12)
    assert monthly["annualised_return"] == pytest.approx(1.006**12 - 1)
    assert monthly["annualised_volatility"] == pytest.approx(0.0, abs=1e-12)
    assert monthly["max_drawdown"] == 0.0
    assert monthly["rebalance_count"] == 12
    # each month stocks are 0.606 of 1.006: sell 0.606 - 0.6 * 1.006 = 0.0024 of each dollar
    assert monthly["annual_turnover"] == pytest.approx(12 * 0.0024 / 1.006)
    assert monthly["average_stock_weight"] == pytest.approx(0.6)

    # annual: drifts like never, then one trade at month 12 back to 60%
    annual = table.loc["Annual, no band"]
    wealth = 0.6 * 1.01**12 + 0.4
    assert annual["terminal_wealth"] == pytest.approx(wealth)
    assert annual["rebalance_count"] == 1
    assert annual["annual_turnover"] == pytest.approx((0.6 * 1.01**12 - 0.6 * wealth) / wealth)
    assert annual["average_stock_weight"] == pytest.approx((drifting[:11].sum() + 0.6) / 12)

    # a 1% band: 0.6 x / (0.6 x + 0.4) > 0.61 once x = 1.01**k > 1.0427, k >= 5:
    # monthly checks trade at months 5 and 10
    assert table.loc["Monthly, 1% band", "rebalance_count"] == 2
    # quarterly checks see 0.6071 at month 3 (inside) and 0.6142 at month 6: months 6 and 12
    assert table.loc["Quarterly, 1% band", "rebalance_count"] == 2
    # a 5% band needs 1.01**k > 1.238 (k >= 22): never within a year
    assert table.loc["Monthly, 5% band", "rebalance_count"] == 0
    assert table.loc["Monthly, 5% band", "terminal_wealth"] == pytest.approx(wealth)


def test_costs_lower_the_return():
    free = history_study(checks=("monthly",), thresholds=(0.0,), include_never=False,
                         start=None, history=steady_history())
    costly = history_study(checks=("monthly",), thresholds=(0.0,), include_never=False,
                           start=None, history=steady_history(), cost_rate=0.01)
    assert costly["annualised_return"].item() < free["annualised_return"].item()
    assert costly["rebalance_count"].item() == 12


def test_shapes_and_labels(real_study):
    assert list(real_study.columns) == list(STUDY_COLUMNS)
    assert len(real_study) == 3 * 4 + 1
    assert real_study["policy"].tolist() == [
        "Monthly, no band", "Monthly, 1% band", "Monthly, 5% band", "Monthly, 10% band",
        "Quarterly, no band", "Quarterly, 1% band", "Quarterly, 5% band", "Quarterly, 10% band",
        "Annual, no band", "Annual, 1% band", "Annual, 5% band", "Annual, 10% band",
        "Never rebalance",
    ]
    assert real_study["check"].tolist() == ["monthly"] * 4 + ["quarterly"] * 4 + [
        "annual"] * 4 + ["never"]
    assert real_study["threshold"].iloc[:4].tolist() == [0.0, 0.01, 0.05, 0.10]
    assert np.isnan(real_study["threshold"].iloc[-1])
    assert real_study["rebalance_count"].dtype.kind == "i"


def test_threshold_zero_is_the_calendar():
    returns = pd.DataFrame(
        {"stocks": [0.05, -0.03, 0.02, 0.04, -0.06, 0.01] * 4,
         "bonds": [0.01, 0.0, -0.01, 0.005, 0.02, 0.0] * 4},
        index=pd.date_range("1990-01-01", periods=24, freq="MS"),
    )
    study = history_study(checks=("monthly", "quarterly"), thresholds=(0.0,),
                          include_never=False, start=None, history=returns,
                          cost_rate=0.002)
    for row, every in zip(study.itertuples(), ("monthly", "quarterly"), strict=True):
        calendar = simulate(returns, target=[0.6, 0.4], policy=policies.Calendar(every),
                            initial_value=1.0, cost_rate=0.002, periods_per_year=12)
        expected = metrics.per_path(calendar).iloc[0]
        assert row.rebalance_count == expected["rebalance_count"]
        assert row.terminal_wealth == pytest.approx(expected["terminal_wealth"], rel=1e-12)
        assert row.annual_turnover == pytest.approx(expected["annual_turnover"], rel=1e-12)
        assert row.average_stock_weight == pytest.approx(
            expected["average_weight_stocks"], rel=1e-12)


def test_never_does_not_trade(real_study):
    never = real_study.iloc[-1]
    assert never["rebalance_count"] == 0
    assert never["annual_turnover"] == 0.0


def test_wider_bands_trade_less_often(real_study):
    for check in ("monthly", "quarterly", "annual"):
        counts = real_study.loc[real_study["check"] == check].sort_values("threshold")
        assert counts["rebalance_count"].is_monotonic_decreasing, check
        turnover = counts["annual_turnover"].to_numpy()
        assert turnover[0] > 0


def test_never_rebalanced_drifts_towards_stocks(real_study):
    # 1926-07 onwards: stocks outgrew bonds, so buy-and-hold ends up mostly in stocks
    never = real_study.iloc[-1]
    assert never["average_stock_weight"] > 0.7
    rebalanced = real_study.iloc[:-1]
    # calendar and bands up to 5 points keep the stock weight near 60% on average
    narrow = rebalanced[rebalanced["threshold"] <= 0.05]
    np.testing.assert_allclose(narrow["average_stock_weight"], 0.6, atol=0.02)
    # a 10-point band lets stocks run up to 70% before a trade: about 63% on average
    # (measured 0.6295 to 0.6320), still inside its band and far below never rebalancing
    wide = rebalanced[rebalanced["threshold"] == 0.10]["average_stock_weight"]
    assert ((wide > 0.62) & (wide < 0.64)).all()
    # the calendar policies check less often as the frequency falls
    calendar = real_study[real_study["threshold"] == 0.0].set_index("check")
    assert calendar.loc["monthly", "rebalance_count"] > calendar.loc["quarterly",
                                                                      "rebalance_count"]
    assert calendar.loc["quarterly", "rebalance_count"] > calendar.loc["annual",
                                                                        "rebalance_count"]


def test_later_span_and_three_assets():
    table = history_study(target=(0.5, 0.3, 0.2), assets=("stocks", "bonds", "bills"),
                          start="1990", end="2009", checks=("semiannual",),
                          thresholds=(0.05,))
    assert table["policy"].tolist() == ["Twice a year, 5% band", "Never rebalance"]
    assert table["check"].tolist() == ["semiannual", "never"]
    assert (table["terminal_wealth"] > 0).all()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"target": (0.5, 0.4)}, "Weights must add up to 100%; these add up to 90%."),
        ({"target": (1.2, -0.2)}, "Weights must be zero or more"),
        ({"target": ("sixty", "forty")}, "Weights must be numbers such as 0.6 and 0.4"),
        ({"target": (0.6, 0.3, 0.1)}, "Give one weight per asset: 2 assets"),
        ({"assets": ("stocks", "gold")}, "Unknown asset 'gold'"),
        ({"assets": ("stocks", "inflation")}, "'inflation' is not something a portfolio"),
        ({"assets": ("stocks", "stocks")}, "Each asset may appear once"),
        ({"start": "1920-01"}, "too early"),
        ({"end": "2030"}, "too late"),
        ({"start": "2000", "end": "1999"}, "comes before the start"),
        ({"start": "2000-01", "end": "2000-06"}, "has 6 months; choose at least 12"),
        ({"start": "someday"}, "is not a date"),
        ({"checks": ("weekly",)}, "weekly"),
        ({"thresholds": (-0.01,)}, "band must be at least 0%"),
        ({"thresholds": ()}, "Give at least one threshold"),
        ({"checks": (), "include_never": False}, "Choose at least one check frequency"),
        ({"cost_rate": -0.001}, "trading cost must be at least 0%"),
        ({"history": "my table"}, "history must be a table"),
    ],
)
def test_bad_input_is_explained(arguments, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        history_study(**arguments)


def test_missing_months_are_refused():
    history = steady_history(24)
    history.iloc[5, 0] = np.nan
    with pytest.raises(ValueError, match="missing months"):
        history_study(start=None, history=history)

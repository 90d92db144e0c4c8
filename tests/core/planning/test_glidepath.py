import numpy as np
import pytest

from rebalance_widgets.core.planning.glidepath import (
    GlidePath,
    constant,
    custom,
    rule_of_thumb,
    target_date,
)


def test_target_date_endpoints_shape_and_monotone():
    path = target_date(25, 65, 95)  # monthly by default
    assert path.weights.shape == ((95 - 25) * 12 + 1, 2)
    assert path.n_periods == 840
    assert path.asset_names == ("stocks", "bonds")
    stocks = path.stocks
    assert stocks[0] == 0.9
    assert stocks[40 * 12] == pytest.approx(0.5, abs=1e-15)
    assert stocks[47 * 12] == pytest.approx(0.3, abs=1e-15)
    assert stocks[-1] == pytest.approx(0.3, abs=1e-15)
    assert (np.diff(stocks) <= 1e-15).all()
    np.testing.assert_allclose(path.weights.sum(axis=1), 1.0, atol=1e-15)
    # Straight line: half way from 25 to 65 (age 45) is half way from 90% to 50%.
    assert stocks[20 * 12] == pytest.approx(0.7)
    # Monthly step before retirement is (0.9 - 0.5) / 480.
    np.testing.assert_allclose(np.diff(stocks[:481]), -0.4 / 480, atol=1e-13)
    np.testing.assert_allclose(path.ages[[0, -1]], [25, 95])
    np.testing.assert_array_equal(np.asarray(path), path.weights)


def test_target_date_with_cash_and_quarterly():
    path = target_date(30, 60, 70, cash_of_rest=0.25, periods_per_year=4, landing_years=5)
    assert path.asset_names == ("stocks", "bonds", "cash")
    assert path.weights.shape == (40 * 4 + 1, 3)
    np.testing.assert_allclose(path.weights[0], [0.9, 0.075, 0.025])
    np.testing.assert_allclose(path.weights[-1], [0.3, 0.525, 0.175])
    np.testing.assert_allclose(path.weights.sum(axis=1), 1.0, atol=1e-15)


def test_target_date_ending_before_landing():
    path = target_date(60, 65, 66, periods_per_year=1)
    # 65: 0.5; one year into a 7-year landing towards 0.3.
    np.testing.assert_allclose(path.stocks, [0.9, 0.82, 0.74, 0.66, 0.58, 0.5, 0.5 - 0.2 / 7])


def test_rule_of_thumb():
    path = rule_of_thumb(30, 40)
    assert path.weights.shape == (481, 2)
    assert path.stocks[0] == pytest.approx(0.8)
    assert path.stocks[-1] == pytest.approx(0.4)  # 110 - 70
    assert path.stocks[12] == pytest.approx(0.79)
    assert (np.diff(path.stocks) < 0).all()
    clipped = rule_of_thumb(5, 10, base=110, periods_per_year=1)
    np.testing.assert_allclose(clipped.stocks[:6], 1.0)  # 110 - age >= 100 until age 10
    assert clipped.stocks[-1] == pytest.approx(0.95)
    late = rule_of_thumb(100, 20, base=110, periods_per_year=1, cash_of_rest=0.5)
    assert late.stocks[-1] == 0.0
    np.testing.assert_allclose(late.weights[-1], [0.0, 0.5, 0.5])


def test_custom_points():
    path = custom([30, 40, 50], [0.8, 0.8, 0.4], end_age=55, periods_per_year=2)
    assert path.weights.shape == (51, 2)
    assert path.start_age == 30
    assert path.stocks[0] == 0.8
    assert path.stocks[20] == pytest.approx(0.8)
    assert path.stocks[30] == pytest.approx(0.6)
    assert path.stocks[40] == pytest.approx(0.4)
    np.testing.assert_allclose(path.stocks[40:], 0.4)
    rising = custom([60, 70], [0.3, 0.6], periods_per_year=1)
    assert (np.diff(rising.stocks) > 0).all()


def test_constant_and_shapes():
    path = constant([0.6, 0.4], 120)
    assert path.weights.shape == (121, 2)
    assert path.asset_names == ("stocks", "bonds")
    named = constant({"stocks": 0.5, "bonds": 0.3, "cash": 0.2}, 0, start_age=40)
    assert named.weights.shape == (1, 3)
    assert named.asset_names == ("stocks", "bonds", "cash")
    four = constant([0.25] * 4, 2)
    assert four.asset_names[-1] == "asset 4"


def test_table_is_tidy_by_age():
    table = target_date(60, 65, 66).table()
    assert list(table.columns) == ["period", "years", "age", "asset", "share"]
    assert table["period"].unique().tolist() == [0, 12, 24, 36, 48, 60, 72]
    np.testing.assert_allclose(table.groupby("period")["share"].sum(), 1.0)
    assert table["age"].iloc[0] == 60
    monthly = target_date(60, 65, 66).table(every=1)
    assert len(monthly) == 73 * 2
    no_age = constant([1.0], 3).table(every=2)
    assert no_age["age"].isna().all()
    assert no_age["period"].tolist() == [0, 2, 3]


def test_weights_are_read_only():
    path = rule_of_thumb(30, 1)
    with pytest.raises(ValueError):
        path.weights[0, 0] = 0.5
    with pytest.raises(AttributeError):
        path.start_age = 31  # type: ignore[misc]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: target_date(65, 65, 90), r"retirement age \(65\) must be after the start age"),
        (lambda: target_date(30, 65, 60), r"end age \(60\) must be at or after"),
        (lambda: target_date(30, 65, 90, stocks_start=90), r"between 0 and 1.*Did you mean 0.9\?"),
        (lambda: target_date(30, 65, 90, landing_years=-1), "landing years must be 0 or more"),
        (lambda: target_date(30, 65, 90, landing_years=0), "must match"),
        (lambda: target_date(30, 65, 90, periods_per_year=5), "Periods per year must be"),
        (lambda: target_date(-1, 65, 90), "start age must be between 0 and 120"),
        (lambda: target_date(0, 65, 120), "at most 100 years"),
        (lambda: rule_of_thumb(30, 0), "Years must be more than 0"),
        (lambda: rule_of_thumb(30, 1.5, periods_per_year=1), "not a whole number of periods"),
        (lambda: rule_of_thumb(30, 10, base=500), "base must be between 0 and 200"),
        (lambda: custom([40, 30], [0.8, 0.4]), "Ages must increase: 30 comes after 40"),
        (lambda: custom([30, 40], [0.8]), "one stock share per age"),
        (lambda: custom([30], [0.8]), "at least two points"),
        (lambda: custom([30, 40], [0.8, 1.2]), "stock share at age 40"),
        (lambda: custom([30, 40], [0.8, 0.4], end_age=35), "at or after the last point"),
        (lambda: constant([0.6, 0.3], 10), "add up to 100%; these add up to 90%"),
        (lambda: constant([0.6, 0.4], -1), "number of periods must be 0"),
        (lambda: constant([0.6, "x"], 3), "Weight 2 must be a number"),
        (lambda: rule_of_thumb(30, 1, cash_of_rest=2), "cash part of the rest"),
        (
            lambda: GlidePath(np.array([[0.5, 0.4]]), ("stocks", "bonds"), 12),
            "row 0 adds up to 90%",
        ),
        (lambda: GlidePath(np.array([[1.2, -0.2]]), ("stocks", "bonds"), 12), "between 0%"),
        (lambda: GlidePath(np.array([[1.0]]), ("stocks", "bonds"), 12), "1 columns"),
    ],
)
def test_bad_input_messages(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_feeds_the_engine_as_a_time_varying_target():
    from rebalance_widgets.core import simulate
    from rebalance_widgets.core.simulation import policies

    path = target_date(60, 65, 70)
    returns = np.zeros((path.n_periods, 2))
    result = simulate(returns, path.weights, policies.Calendar("monthly"), initial_value=100.0)
    # With flat returns and a monthly trade, the recorded weights follow the path.
    np.testing.assert_allclose(result.weights[0], path.weights, atol=1e-12)
    again = simulate(returns, np.asarray(path), policies.Calendar("monthly"), initial_value=100.0)
    np.testing.assert_allclose(again.weights, result.weights)

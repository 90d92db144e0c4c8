"""Return models: lognormal moments, bootstrap blocks, windows, replay and the presets.

Statistical checks are seeded; each tolerance is several standard errors wide for the
sample size used, so a correct model passes for any seed and a wrong moment fails.
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets.core.markets import (
    ASSUMPTION_NAMES,
    Bootstrap,
    HistoricalWindows,
    Lognormal,
    Replay,
    assumptions,
    describe_assumptions,
)
from rebalance_widgets.core.markets.history import load_history
from rebalance_widgets.core.markets.presets import PRESET_MONTH, PRESET_YEARS, income_yields

EXPECTED = (0.08, 0.04, 0.02)
VOLATILITY = (0.18, 0.07, 0.01)
CORRELATION = ((1.0, 0.2, 0.0), (0.2, 1.0, 0.4), (0.0, 0.4, 1.0))


@pytest.fixture(scope="module")
def market() -> Lognormal:
    return Lognormal(EXPECTED, VOLATILITY, CORRELATION)


@pytest.fixture(scope="module")
def annual(market) -> np.ndarray:
    """200,000 simulated years: twelve monthly draws compounded, per asset."""
    monthly = market.sample(200_000, 12, rng=20240601)
    return np.prod(1.0 + monthly, axis=1) - 1.0


# --- Lognormal: shape, seeds, hand cases ------------------------------------------------------


def test_sample_shape_dtype_and_seed(market):
    paths = market.sample(4, 36, rng=7)
    assert paths.shape == (4, 36, 3)
    assert paths.dtype == np.float64
    np.testing.assert_array_equal(paths, market.sample(4, 36, rng=7))
    np.testing.assert_array_equal(paths, market.sample(4, 36, rng=np.random.default_rng(7)))
    assert not np.array_equal(paths, market.sample(4, 36, rng=8))
    assert (paths > -1).all()


def test_more_paths_extend_fewer_paths(market):
    # Paths are drawn in chunks; the chunking must not change the numbers.
    many = market.sample(500, 120, rng=3)
    few = market.sample(37, 120, rng=3)
    np.testing.assert_array_equal(many[:37], few)


def test_zero_volatility_gives_the_exact_monthly_rate():
    market = Lognormal((0.07, 0.0), (0.0, 0.0), assets=("a", "b"))
    paths = market.sample(2, 24, rng=0)
    np.testing.assert_allclose(paths[..., 0], 1.07 ** (1 / 12) - 1, rtol=1e-13)
    np.testing.assert_allclose(paths[..., 1], 0.0, atol=1e-15)
    np.testing.assert_allclose(np.prod(1 + paths[0, :12, 0]) - 1, 0.07, rtol=1e-12)


def test_annual_draws_match_the_stated_moments(annual):
    # Standard errors with n = 200,000: mean <= 0.0004, stdev <= 0.0003, correlation <= 0.0022.
    np.testing.assert_allclose(annual.mean(axis=0), EXPECTED, atol=0.0015)
    np.testing.assert_allclose(annual.std(axis=0, ddof=1), VOLATILITY, rtol=0.01)
    log_correlation = np.corrcoef(np.log1p(annual), rowvar=False)
    np.testing.assert_allclose(log_correlation, CORRELATION, atol=0.01)


def test_simple_correlation_matches_simulation(market, annual):
    np.testing.assert_allclose(np.corrcoef(annual, rowvar=False), market.simple_correlation,
                               atol=0.01)
    # For small volatilities the two correlations nearly agree; here by hand for stocks/bonds.
    s1 = math.sqrt(math.log(1 + (0.18 / 1.08) ** 2))
    s2 = math.sqrt(math.log(1 + (0.07 / 1.04) ** 2))
    by_hand = math.expm1(0.2 * s1 * s2) / math.sqrt(math.expm1(s1**2) * math.expm1(s2**2))
    assert market.simple_correlation[0, 1] == pytest.approx(by_hand, rel=1e-12)


def test_annual_covariance_by_hand(market):
    covariance = market.annual_covariance()
    np.testing.assert_allclose(np.diag(covariance), np.square(VOLATILITY), rtol=1e-12)
    s1 = math.sqrt(math.log(1 + (0.18 / 1.08) ** 2))
    s2 = math.sqrt(math.log(1 + (0.07 / 1.04) ** 2))
    assert covariance[0, 1] == pytest.approx(1.08 * 1.04 * math.expm1(0.2 * s1 * s2), rel=1e-12)
    assert covariance[0, 2] == 0.0


def test_annual_stats_hand_cases():
    market = Lognormal((0.08, 0.03), (0.20, 0.0), assets=("stocks", "cash"))
    stats = market.annual_stats([0.5, 0.5])
    assert stats.expected_return == pytest.approx(0.055, rel=1e-12)
    assert stats.volatility == pytest.approx(0.10, rel=1e-12)
    uncorrelated = Lognormal((0.08, 0.04), (0.20, 0.10), assets=("a", "b"))
    stats = uncorrelated.annual_stats((0.6, 0.4))
    assert stats.expected_return == pytest.approx(0.064, rel=1e-12)
    assert stats.volatility == pytest.approx(math.sqrt(0.36 * 0.04 + 0.16 * 0.01), rel=1e-12)


def test_annual_stats_match_a_mix_held_for_a_year(market, annual):
    weights = np.array([0.6, 0.3, 0.1])
    held = annual @ weights
    stats = market.annual_stats(weights)
    assert held.mean() == pytest.approx(stats.expected_return, abs=0.001)
    assert held.std(ddof=1) == pytest.approx(stats.volatility, rel=0.01)


def test_one_year_range_single_asset_is_exact_lognormal():
    market = Lognormal((0.10,), (0.20,), assets=("stocks",))
    low, high = market.one_year_range([1.0], 0.05, 0.95)
    s = math.sqrt(math.log(1 + (0.2 / 1.1) ** 2))
    mu = math.log(1.1) - s * s / 2
    assert low == pytest.approx(math.expm1(mu - 1.6448536269514722 * s), rel=1e-9)
    assert high == pytest.approx(math.expm1(mu + 1.6448536269514722 * s), rel=1e-9)


def test_one_year_range_of_a_mix_is_close_to_simulation(market, annual):
    weights = [0.6, 0.3, 0.1]
    low, high = market.one_year_range(weights)
    simulated = np.quantile(annual @ np.array(weights), [0.05, 0.95])
    # Lognormal approximation of a sum of lognormals: within half a point here.
    assert low == pytest.approx(simulated[0], abs=0.005)
    assert high == pytest.approx(simulated[1], abs=0.005)


def test_perfect_correlation_is_allowed_and_gives_identical_draws():
    market = Lognormal((0.07, 0.07), (0.15, 0.15), ((1.0, 1.0), (1.0, 1.0)), assets=("a", "b"))
    paths = market.sample(3, 12, rng=1)
    np.testing.assert_allclose(paths[..., 0], paths[..., 1], rtol=1e-12)


def test_frozen_and_normalised_to_tuples():
    market = Lognormal([0.07, 0.03], [0.15, 0.05], [[1, 0], [0, 1]], assets=["s", "b"])
    assert market.expected == (0.07, 0.03)
    assert market.correlation == ((1.0, 0.0), (0.0, 1.0))
    assert market.assets == ("s", "b")
    assert market == Lognormal((0.07, 0.03), (0.15, 0.05), None, assets=("s", "b"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        market.expected = (0.1, 0.1)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"expected": (0.07, 0.03)}, "Give one expected return per asset: 3 assets"),
        ({"volatility": (0.1,)}, "Give one volatility per asset"),
        ({"expected": (-1.2, 0.03, 0.02)}, "of stocks must be above -100%; got -120%"),
        ({"volatility": (0.1, -0.05, 0.01)}, "volatility of bonds cannot be negative; got -5%"),
        ({"expected": (float("nan"), 0.03, 0.02)}, "Every expected return must be a number"),
        ({"correlation": ((1, 0), (0, 1))}, "must be a 3 by 3 table"),
        ({"correlation": ((1, 0.5, 0), (0.4, 1, 0), (0, 0, 1))}, "must be symmetric"),
        ({"correlation": ((0.9, 0, 0), (0, 1, 0), (0, 0, 1))}, "with itself .* must be 1"),
        ({"correlation": ((1, 1.2, 0), (1.2, 1, 0), (0, 0, 1))}, "between -1 and 1"),
        (
            {"correlation": ((1, 0.9, -0.9), (0.9, 1, 0.9), (-0.9, 0.9, 1))},
            "cannot all hold at once",
        ),
        ({"correlation": (("a", 0, 0), (0, 1, 0), (0, 0, 1))}, "square table of numbers"),
        ({"assets": ("stocks", "stocks", "cash")}, "different name"),
        ({"periods_per_year": 0}, "periods per year"),
    ],
)
def test_lognormal_input_errors(kwargs, message):
    arguments = {"expected": (0.07, 0.03, 0.02), "volatility": (0.15, 0.05, 0.01)} | kwargs
    with pytest.raises(ValueError, match=message):
        Lognormal(**arguments)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "10", None])
def test_counts_must_be_whole_numbers(market, bad):
    with pytest.raises(ValueError, match="must be a whole number of at least 1"):
        market.sample(bad, 12)
    with pytest.raises(ValueError, match="must be a whole number of at least 1"):
        market.sample(10, bad)


def test_weight_errors_speak_in_percent(market):
    message = "Weights must add up to 100%; these add up to 90%."
    with pytest.raises(ValueError, match=re.escape(message)):
        market.annual_stats([0.5, 0.3, 0.1])
    with pytest.raises(ValueError, match="Weights cannot be negative"):
        market.annual_stats([1.2, -0.2, 0.0])
    with pytest.raises(ValueError, match="Give one weight per asset"):
        market.one_year_range([0.5, 0.5])
    with pytest.raises(ValueError, match="0 < low < high < 1"):
        market.one_year_range([0.6, 0.4, 0.0], 0.9, 0.1)


# --- Bootstrap -------------------------------------------------------------------------------


def numbered_history(months: int = 50) -> pd.DataFrame:
    """Returns that name their own row: row k holds k / 1000 and -k / 1000."""
    index = pd.date_range("2000-01-01", periods=months, freq="MS")
    rows = np.arange(months) / 1000
    return pd.DataFrame({"a": rows, "b": -rows}, index=index)


def test_bootstrap_iid_draws_real_months():
    table = numbered_history()
    model = Bootstrap(table, columns=("a", "b"))
    paths = model.sample(200, 30, rng=5)
    assert paths.shape == (200, 30, 2)
    assert model.assets == ("a", "b")
    rows = np.rint(paths[..., 0] * 1000).astype(int)
    np.testing.assert_array_equal(paths[..., 1], -paths[..., 0])  # rows stay whole
    assert rows.min() >= 0 and rows.max() <= 49
    np.testing.assert_array_equal(rows, model.draw_months(200, 30, rng=5))
    assert len(np.unique(rows)) == 50  # 6,000 draws from 50 months reach them all


def test_bootstrap_blocks_are_runs_of_consecutive_months():
    table = numbered_history(50)
    model = Bootstrap(table, columns=("a",), block=6)
    paths = model.sample(300, 40, rng=11)
    rows = np.rint(paths[..., 0] * 1000).astype(int)
    # 40 months = six full blocks of 6 plus a block cut to 4 months.
    for first in range(0, 40, 6):
        block = rows[:, first : first + 6]
        steps = np.diff(block, axis=1) % 50
        assert (steps == 1).all()  # the next real month, wrapping from the last to the first
    # Block starts are independent draws, so runs break at block edges somewhere.
    assert ((rows[:, 6] - rows[:, 5]) % 50 != 1).any()


def test_bootstrap_blocks_on_the_real_history():
    model = Bootstrap(block=12, start="1970", end="1989")
    positions = model.draw_months(50, 36, rng=2)
    paths = model.sample(50, 36, rng=2)
    real = load_history("1970", "1989", columns=["stocks", "bonds", "bills"]).to_numpy()
    for path, where in zip(paths, positions, strict=True):
        for first in (0, 12, 24):
            start = where[first]
            expected = real[(start + np.arange(12)) % len(real)]
            np.testing.assert_array_equal(path[first : first + 12], expected)


def test_circular_blocks_draw_every_month_equally_often():
    table = numbered_history(10)
    counts = np.bincount(Bootstrap(table, columns=("a",), block=4).draw_months(5000, 8, rng=4)
                         .ravel(), minlength=10)
    # 40,000 draws: 4,000 expected per month, standard deviation about 250 (blocks of 4).
    assert np.abs(counts - 4000).max() < 1000


def test_bootstrap_span_and_errors():
    paths = Bootstrap(start="2000-01", end="2000-12", columns=("stocks",)).sample(10, 24, rng=0)
    year_2000 = load_history("2000", "2000", columns=["stocks"])["stocks"].to_numpy()
    assert np.isin(paths, year_2000).all()
    with pytest.raises(ValueError, match="Unknown column 'cape'; choose from stocks, bonds"):
        Bootstrap(columns=("stocks", "cape"))
    with pytest.raises(ValueError, match="block of 13 months is longer than the 12 months"):
        Bootstrap(start="2000", end="2000", block=13)
    with pytest.raises(ValueError, match="months in a block must be a whole number"):
        Bootstrap(block=0)
    gappy = numbered_history(5)
    gappy.iloc[2, 0] = np.nan
    with pytest.raises(ValueError, match="missing values in a"):
        Bootstrap(gappy, columns=("a",))


# --- HistoricalWindows ---------------------------------------------------------------------


def test_windows_cover_every_start_month():
    windows = HistoricalWindows(30)
    history = load_history(columns=["stocks", "bonds", "bills"])
    # 1,157 months (1926-07 to 2022-11): the last 30-year window starts 360 months before
    # the end, in 1992-12.
    assert windows.window_count == 1157 - 360 + 1 == 798
    assert windows.starts[0] == pd.Timestamp("1926-07-01")
    assert windows.starts[-1] == pd.Timestamp("1992-12-01")
    paths = windows.sample()
    assert paths.shape == (798, 360, 3)
    np.testing.assert_array_equal(paths[0], history.iloc[:360].to_numpy())
    np.testing.assert_array_equal(paths[-1], history.iloc[-360:].to_numpy())
    np.testing.assert_array_equal(paths[100], history.iloc[100:460].to_numpy())


def test_windows_step_and_even_selection():
    windows = HistoricalWindows(30, step=12)
    # Starts 1926-07, 1927-07, ..., 1992-07: a 1992-12 start is the last that fits, and
    # 1992-07 is the last July before it. Three evenly spread: positions 0, 66 / 2, 66.
    assert windows.window_count == 67
    assert windows.starts[-1] == pd.Timestamp("1992-07-01")
    assert windows.chosen_windows(3).tolist() == [0, 33, 66]
    assert windows.chosen_windows(1).tolist() == [0]
    assert windows.chosen_windows(1000).tolist() == list(range(67))
    assert list(windows.path_starts(3).year) == [1926, 1959, 1992]
    np.testing.assert_array_equal(windows.sample(3)[1], windows.sample()[33])


def test_windows_inside_a_span_and_shorter_paths():
    windows = HistoricalWindows(10, columns=("stocks",), start="1990", end="2018-11")
    assert windows.starts[0] == pd.Timestamp("1990-01-01")
    assert windows.starts[-1] == pd.Timestamp("2008-12-01")
    assert windows.window_count == 347 - 120 + 1
    first_year = windows.sample(n_periods=12)
    assert first_year.shape == (228, 12, 1)
    np.testing.assert_array_equal(first_year[0, :, 0],
                                  load_history("1990", "1990")["stocks"].to_numpy())


def test_windows_errors():
    with pytest.raises(ValueError, match="A 100-year window does not fit"):
        HistoricalWindows(100)
    with pytest.raises(ValueError, match="A 10-year window has 120 months; 121 were asked for"):
        HistoricalWindows(10).sample(n_periods=121)
    with pytest.raises(ValueError, match="months between window starts"):
        HistoricalWindows(10, step=0)
    with pytest.raises(ValueError, match="number of paths"):
        HistoricalWindows(10).sample(0)


# --- Replay ---------------------------------------------------------------------------------


def test_replay_2008():
    replay = Replay("2008-01", "2008-12")
    path = replay.sample(rng=123)
    assert path.shape == (1, 12, 3)
    assert replay.assets == ("stocks", "bonds", "bills")
    assert list(replay.months.month) == list(range(1, 13))
    assert np.prod(1 + path[0, :, 0]) - 1 == pytest.approx(-0.37, abs=0.01)
    np.testing.assert_array_equal(path[0], load_history("2008", "2008").iloc[:, :3].to_numpy())


def test_replay_to_the_end_and_errors():
    replay = Replay("2022", columns=("inflation",))  # the history ends in 2022-11
    assert replay.sample().shape == (1, 11, 1)
    assert replay.sample(n_paths=5, n_periods=3).shape == (1, 3, 1)
    with pytest.raises(ValueError, match="covers 11 months"):
        replay.sample(n_periods=12)
    with pytest.raises(ValueError, match="Choose the first month"):
        Replay(None)
    with pytest.raises(ValueError, match="too early"):
        Replay("1900")


# --- presets ------------------------------------------------------------------------------


def full_calendar_years() -> pd.DataFrame:
    monthly = load_history(columns=["stocks", "bonds", "bills"])
    grown = (1 + monthly).groupby(monthly.index.year).prod() - 1
    return grown.loc[1927:2017]


def test_assumption_names_and_errors():
    assert ASSUMPTION_NAMES == ("historical", "forward-looking")
    for name in ASSUMPTION_NAMES:
        assert describe_assumptions(name)
    with pytest.raises(ValueError, match="Unknown set of assumptions 'rosy'; choose from"):
        assumptions("rosy")


def test_historical_preset_is_computed_from_the_history():
    market = assumptions("historical")
    years = full_calendar_years()
    assert market.assets == ("stocks", "bonds", "cash")
    np.testing.assert_allclose(market.expected, years.mean().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(market.volatility, years.std().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(market.correlation, np.log1p(years).corr().to_numpy(), rtol=1e-12)
    # Published arithmetic means of SBBI large stocks (1926-2018) are about 11.9%.
    assert market.expected[0] == pytest.approx(0.119, abs=0.005)


def test_forward_looking_preset_by_building_blocks():
    market = assumptions("forward-looking")
    historical = assumptions("historical")
    assert market.volatility == historical.volatility
    assert market.correlation == historical.correlation
    # Read at 2018-11 (PRESET_MONTH), the last month of French's data, not the table's end.
    assert PRESET_MONTH == "2018-11"
    last = load_history().loc["2018-11-01"]
    inflation = (1 + load_history("2008-12", "2018-11")["inflation"]).prod() ** 0.1 - 1
    compound = [
        (1 + 1 / last["cape"]) * (1 + inflation) - 1,
        last["long_rate"],
        (1 + last["bills"]) ** 12 - 1,
    ]
    assert compound[0] == pytest.approx(0.051, abs=0.001)
    assert compound[2] == pytest.approx(0.0218, abs=0.0001)
    # Lognormal median growth: (1 + mean) / sqrt(1 + volatility**2 / (1 + mean)**2).
    gross = 1 + np.array(market.expected)
    median = gross / np.sqrt(1 + (np.array(market.volatility) / gross) ** 2) - 1
    np.testing.assert_allclose(median, compound, rtol=1e-12)


def test_descriptions_take_their_dates_from_the_data():
    # The presets stay on French's span (1926-07 to 2018-11) after the history was extended:
    # its complete calendar years are 1927-2017, its last month 2018-11.
    french = load_history(end="2018-11")
    first, last = french.index[0].year + 1, french.index[-1].year - 1
    assert (first, last) == PRESET_YEARS == (1927, 2017)
    assert describe_assumptions("historical").endswith(f"{first}-{last}.")
    assert describe_assumptions("forward-looking").startswith("Building blocks at 2018-11:")
    assert describe_assumptions("forward-looking").endswith("risk from history 1927-2017.")


def test_presets_do_not_move_with_the_end_of_the_history():
    # Fitted by hand on 1927-2017 only: the months after 2018 change nothing.
    years = full_calendar_years()
    assert years.index[0] == 1927 and years.index[-1] == 2017
    assert assumptions("historical").expected[0] == pytest.approx(years["stocks"].mean(), rel=1e-12)
    assert income_yields() == {
        "stocks": 0.02,
        "bonds": pytest.approx(0.0312, abs=1e-12),
        "cash": pytest.approx(1.0018**12 - 1, rel=1e-12),
    }

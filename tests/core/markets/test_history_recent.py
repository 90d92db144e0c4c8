"""The months after French's file (2018-12 to 2022-11) and the yearly table (1928-2025).

Published figures used (each is named where it is used):
- Kenneth R. French, Data Library, Fama/French 3 factors (monthly), 2018-12: Mkt-RF -9.55,
  RF 0.19 (percent), so the market returned -9.36%.
- S&P Dow Jones Indices, S&P 500 total return: 2019 31.49%, 2020 18.40%, 2021 28.71%,
  2022 -18.11%, December 2022 -5.76% (so January-November 2022: 0.8189 / 0.9424 - 1 =
  -13.10%); February 2020 -8.23%, March 2020 -12.35%, April 2020 +12.82%.
- BLS CPI-U, U.S. city average, all items, not seasonally adjusted (1982-84 = 100),
  December: 2019 256.974, 2020 260.474, 2021 278.802, 2022 296.797 (so December to
  December 1.362%, 7.036%, 6.454%; BLS rounds them to 1.4%, 7.0%, 6.5%); November 2022
  297.711. The monthly file ends in November 2022, so it is checked to November there and
  the yearly table holds December to December 2022.
- FRED GS10 (10-year Treasury constant maturity, monthly average): 2020-03 0.87%.
- Aswath Damodaran (NYU Stern), "Historical Returns on Stocks, Bonds and Bills: 1928-2025":
  the rows typed in ``DAMODARAN`` below, in percent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rebalance_widgets.core.markets.history import (
    FREQUENCIES,
    MONTHLY_SPAN,
    YEARLY_SPAN,
    calendar_year_returns,
    load_history,
)
from rebalance_widgets.core.markets.yearly import YEARLY_COLUMNS, select_years

# Damodaran's table, in percent: S&P 500, 10-year T-note, 3-month T-bill, CPI inflation.
DAMODARAN = {
    1928: (43.81, 0.84, 3.08, -1.16),
    1931: (-43.84, -2.56, 2.31, -9.32),
    1974: (-25.90, 1.99, 7.85, 12.34),
    2008: (-36.55, 20.10, 1.40, 0.09),
    2019: (31.21, 9.64, 2.11, 2.29),
    2020: (18.02, 11.33, 0.36, 1.36),
    2021: (28.47, -4.42, 0.04, 7.04),
    2022: (-18.04, -17.83, 2.09, 6.45),
    2025: (17.72, 7.80, 4.21, 2.74),
}
HALF_POINT = 0.005


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return load_history()


@pytest.fixture(scope="module")
def yearly() -> pd.DataFrame:
    return load_history(frequency="yearly")


def grown(history: pd.DataFrame, column: str, start: str, end: str) -> float:
    return float((1.0 + history.loc[start:end, column]).prod() - 1.0)


# --- the monthly splices ---------------------------------------------------------------------


def test_no_gaps_from_1926_to_2022(history):
    expected = pd.date_range("1926-07-01", "2022-11-01", freq="MS")
    pd.testing.assert_index_equal(history.index, expected, check_names=False)
    assert not history.isna().any().any()
    assert MONTHLY_SPAN == ("1926-07", "2022-11")


def test_december_2018_from_french_daily_factors(history):
    # French's monthly file (not shipped in any package) gives -9.55 + 0.19 = -9.36%.
    assert history.loc["2018-12-01", "stocks"] == pytest.approx(-0.0936, abs=0.0002)
    assert history.loc["2018-12-01", "bills"] == pytest.approx(0.0019, abs=0.00005)


@pytest.mark.parametrize(("year", "published"), [(2019, 0.3149), (2020, 0.1840), (2021, 0.2871)])
def test_sp500_total_return_by_year(history, year, published):
    # S&P Dow Jones Indices, S&P 500 total return.
    assert grown(history, "stocks", f"{year}-01", f"{year}-12") == pytest.approx(
        published, abs=HALF_POINT)


def test_sp500_january_to_november_2022(history):
    # S&P Dow Jones Indices: 2022 -18.11% and December 2022 -5.76% give -13.10%.
    published = (1 - 0.1811) / (1 - 0.0576) - 1
    assert published == pytest.approx(-0.1310, abs=0.00005)
    assert grown(history, "stocks", "2022-01", "2022-11") == pytest.approx(
        published, abs=HALF_POINT)


@pytest.mark.parametrize(
    ("month", "published"), [("2020-02", -0.0823), ("2020-03", -0.1235), ("2020-04", 0.1282)]
)
def test_the_2020_crash_months(history, month, published):
    # S&P Dow Jones Indices, S&P 500 monthly total return.
    assert history.loc[f"{month}-01", "stocks"] == pytest.approx(published, abs=HALF_POINT)


def test_2020_stocks_fell_a_third_in_weeks_while_bonds_rose(history):
    spring = history.loc["2020-02":"2020-03"]
    assert grown(spring, "stocks", "2020-02", "2020-03") < -0.19  # month ends; -34% intraday
    assert (spring["bonds"] > 0).all()
    # GS10 fell to 0.87% in March 2020 (FRED).
    assert history.loc["2020-03-01", "long_rate"] == pytest.approx(0.0087, abs=1e-9)


def test_2022_stocks_and_bonds_fell_together(history):
    assert grown(history, "stocks", "2022-01", "2022-11") < -0.10
    assert grown(history, "bonds", "2022-01", "2022-11") < -0.10


@pytest.mark.parametrize(
    ("year", "december_before", "december"),
    [(2020, 256.974, 260.474), (2021, 260.474, 278.802), (2022, 278.802, 297.711)],
)
def test_cpi_u_december_to_december(history, year, december_before, december):
    # BLS CPI-U index levels; the monthly changes must compound to the published change
    # (2022: December 2021 to November 2022, the last month of the file).
    published = december / december_before - 1
    end = f"{year}-11" if year == 2022 else f"{year}-12"
    assert grown(history, "inflation", f"{year}-01", end) == pytest.approx(
        published, abs=0.0001)


def test_bills_after_2018_are_damodarans_year_spread_evenly(history):
    for year in (2019, 2020, 2021, 2022):
        months = history.loc[str(year), "bills"]
        assert months.nunique() == 1  # one rate for every month of the year
        yearly_bill = DAMODARAN[year][2] / 100
        assert (1 + months.iloc[0]) ** 12 - 1 == pytest.approx(yearly_bill, abs=1e-9)


def test_monthly_and_yearly_tables_agree_after_2018(history, yearly):
    years = calendar_year_returns(history.loc["2019":, ["stocks", "bills"]])
    assert list(years.index) == [2019, 2020, 2021]
    np.testing.assert_allclose(years["bills"], yearly.loc[2019:2021, "bills"], atol=1e-9)
    # The S&P 500 from closes and Shiller's dividends against Damodaran's own figure.
    np.testing.assert_allclose(years["stocks"], yearly.loc[2019:2021, "stocks"], atol=HALF_POINT)


# --- the yearly table -------------------------------------------------------------------------


def test_yearly_shape_and_span(yearly):
    assert yearly.shape == (98, 4)
    assert tuple(yearly.columns) == YEARLY_COLUMNS == ("stocks", "bonds", "bills", "inflation")
    assert list(yearly.index) == list(range(1928, 2026))
    assert (int(yearly.index[0]), int(yearly.index[-1])) == YEARLY_SPAN
    assert yearly.index.name == "year"
    assert all(dtype == np.float64 for dtype in yearly.dtypes)
    assert not yearly.isna().any().any()
    assert yearly.abs().max().max() < 1.0  # decimals, not percent


@pytest.mark.parametrize("year", sorted(DAMODARAN))
def test_yearly_values_equal_damodarans_table(yearly, year):
    # Damodaran gives percent to two decimals; the file holds them as decimals.
    np.testing.assert_array_equal(np.round(yearly.loc[year].to_numpy() * 100, 2),
                                  np.array(DAMODARAN[year]))


def test_yearly_2022_stocks_and_treasuries_both_negative(yearly):
    assert yearly.loc[2022, "stocks"] < 0
    assert yearly.loc[2022, "bonds"] < 0


def test_yearly_inflation_is_bls_december_to_december(yearly):
    for year in (2020, 2021, 2022):
        december_before, december = {2020: (256.974, 260.474), 2021: (260.474, 278.802),
                                     2022: (278.802, 296.797)}[year]
        assert yearly.loc[year, "inflation"] == pytest.approx(
            december / december_before - 1, abs=0.00005)  # Damodaran rounds to 0.01 point


def test_yearly_selection_and_columns():
    table = load_history("1990", 1992, columns=["bills", "stocks"], frequency="yearly")
    assert list(table.index) == [1990, 1991, 1992]
    assert list(table.columns) == ["bills", "stocks"]
    assert list(load_history("2008-06", pd.Timestamp("2009-03-01"),
                             frequency="yearly").index) == [2008, 2009]


def test_yearly_returns_a_fresh_copy():
    first = load_history(frequency="yearly")
    first.iloc[0, 0] = 99.0
    assert load_history(frequency="yearly").iloc[0, 0] == pytest.approx(0.4381)


def test_default_is_still_the_monthly_table():
    assert load_history().index.freqstr == "MS"
    assert FREQUENCIES == ("monthly", "yearly")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"frequency": "weekly"}, "Unknown frequency 'weekly'; choose from 'monthly', 'yearly'"),
        ({"frequency": "Yearly"}, "Unknown frequency 'Yearly'"),
        ({"start": 1927, "frequency": "yearly"},
         "covers 1928 to 2025; a start of 1927 is too early"),
        ({"end": "2026", "frequency": "yearly"}, "an end of 2026 is too late"),
        ({"start": 2001, "end": 2000, "frequency": "yearly"},
         r"The end \(2000\) comes before the start \(2001\)"),
        ({"start": "next year", "frequency": "yearly"}, "The start year 'next year' is not"),
        ({"end": True, "frequency": "yearly"}, "The end year True is not a year"),
        ({"columns": ["cape"], "frequency": "yearly"},
         "Unknown column 'cape'; choose from stocks, bonds, bills, inflation"),
    ],
)
def test_yearly_errors_are_specific(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_history(**kwargs)


# --- properties ---------------------------------------------------------------------------------

MONTHS = pd.date_range("1926-07-01", "2022-11-01", freq="MS")


@settings(max_examples=60, deadline=None)
@given(st.integers(0, len(MONTHS) - 1), st.integers(0, len(MONTHS) - 1))
def test_any_span_of_months_is_complete(first, last):
    first, last = min(first, last), max(first, last)
    start, end = MONTHS[first], MONTHS[last]
    table = load_history(f"{start:%Y-%m}", f"{end:%Y-%m}")
    assert len(table) == last - first + 1
    assert (table.index[0], table.index[-1]) == (start, end)


@settings(max_examples=60, deadline=None)
@given(st.integers(1928, 2025), st.integers(1928, 2025))
def test_any_span_of_years_is_complete(first, last):
    first, last = min(first, last), max(first, last)
    table = load_history(first, str(last), frequency="yearly")
    assert list(table.index) == list(range(first, last + 1))


@settings(max_examples=60, deadline=None)
@given(st.integers(1900, 2100), st.integers(1900, 2100))
def test_select_years_keeps_exactly_the_years_asked(first, last):
    table = pd.DataFrame({"a": np.arange(11.0)}, index=range(2000, 2011))
    inside = 2000 <= first <= last <= 2010
    if inside:
        assert list(select_years(table, first, last).index) == list(range(first, last + 1))
    else:
        with pytest.raises(ValueError):
            select_years(table, first, last)


def test_the_docstring_states_both_spans(history, yearly):
    doc = " ".join(load_history.__doc__.split())
    first, last = f"{history.index[0]:%Y-%m}", f"{history.index[-1]:%Y-%m}"
    assert f"Monthly ({first} to {last}, {len(history):,} months)" in doc
    assert f"Yearly ({yearly.index[0]} to {yearly.index[-1]}, {len(yearly)} years" in doc

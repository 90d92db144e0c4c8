"""The embedded monthly history: shape, loading rules, and facts checked against published figures.

The months after 2018-11 (the splices) and the yearly table are tested in
``test_history_recent.py``.

Published figures used (all nominal, US):
- Ibbotson SBBI 1926-2018 compound annual returns: large company stocks 10.0%, intermediate
  government bonds 5.1%, Treasury bills 3.3%, inflation 2.9%.
- Calendar-year stock returns: 1931 about -43% to -45% (the worst year since 1926),
  2008 -37.0% (S&P 500 total return).
- BLS CPI-U December-to-December inflation: 1974 12.3%, 1979 13.3%, 2008 0.1%.
- Ibbotson SBBI Treasury bills, 1981: 14.7%.
- FRED GS10 (10-year Treasury constant maturity, monthly average), 2018-11: 3.12%;
  2022-11: 3.89%.
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets.core.markets.history import (
    HISTORY_COLUMNS,
    MONTHLY_SPAN,
    calendar_year_returns,
    check_columns,
    describe_column,
    load_history,
    select_months,
)


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return load_history()


def compound_annual(returns: pd.Series) -> float:
    return float((1.0 + returns).prod() ** (12 / len(returns)) - 1.0)


def year_return(history: pd.DataFrame, column: str, year: int) -> float:
    months = history.loc[str(year), column]
    assert len(months) == 12
    return float((1.0 + months).prod() - 1.0)


# --- shape and coverage -------------------------------------------------------------------


def test_covers_1926_07_to_2022_11_every_month(history):
    assert history.index[0] == pd.Timestamp("1926-07-01")
    assert history.index[-1] == pd.Timestamp("2022-11-01")
    assert len(history) == (2022 - 1926) * 12 + (11 - 7) + 1 == 1157
    assert (f"{history.index[0]:%Y-%m}", f"{history.index[-1]:%Y-%m}") == MONTHLY_SPAN
    expected = pd.date_range("1926-07-01", "2022-11-01", freq="MS")
    pd.testing.assert_index_equal(history.index, expected, check_names=False)
    assert history.index.freqstr == "MS"


def test_columns_complete_and_float(history):
    assert tuple(history.columns) == HISTORY_COLUMNS
    assert not history.isna().any().any()
    assert all(dtype == np.float64 for dtype in history.dtypes)
    assert np.isfinite(history.to_numpy()).all()


def test_values_are_plausible_monthly_returns(history):
    returns = history[["stocks", "bonds", "bills", "inflation"]]
    assert returns.abs().max().max() < 0.5  # decimals, not percent
    # The worst month since 1926 is September 1931 (SBBI large stocks: about -30%).
    assert history["stocks"].idxmin() == pd.Timestamp("1931-09-01")
    assert -0.31 <= history["stocks"].min() <= -0.28
    assert (history["bills"] >= -0.001).all()
    assert history["cape"].between(4, 50).all()
    # FRED GS10: highest 15.32% (1981-09), lowest 0.62% (2020-07).
    assert history["long_rate"].between(0.006, 0.16).all()
    assert history["long_rate"].idxmin() == pd.Timestamp("2020-07-01")


def test_returns_a_fresh_copy_each_time():
    first = load_history()
    first.iloc[0, 0] = 99.0
    assert load_history().iloc[0, 0] == pytest.approx(0.0318)


# --- choosing months and columns ------------------------------------------------------------


def test_start_end_by_month_year_and_timestamp():
    table = load_history("1990-03", "1990-05")
    assert list(table.index.strftime("%Y-%m")) == ["1990-03", "1990-04", "1990-05"]
    assert table.index.freqstr == "MS"
    whole_year = load_history("2000", "2000")
    assert list(whole_year.index.month) == list(range(1, 13))
    assert len(load_history(2000, 2001)) == 24
    stamps = load_history(pd.Timestamp("2000-03-15"), datetime.date(2000, 5, 31))
    assert list(stamps.index.month) == [3, 4, 5]


def test_open_ends_reach_the_edges():
    assert load_history(start="2022-01").index[-1] == pd.Timestamp("2022-11-01")
    assert load_history(end="1926-12").index[0] == pd.Timestamp("1926-07-01")
    assert len(load_history(end="1926-12")) == 6


def test_columns_in_requested_order():
    table = load_history(columns=["bills", "stocks"])
    assert list(table.columns) == ["bills", "stocks"]
    assert list(load_history(columns="bonds").columns) == ["bonds"]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("1920-01", None, "covers 1926-07 to 2022-11; a start of 1920-01 is too early"),
        (None, "2022-12", "an end of 2022-12 is too late"),
        (None, "2022", "an end of 2022-12 is too late"),
        ("2001", "2000", re.escape("The end (2000-12) comes before the start (2001-01).")),
        ("next year", None, "The start date 'next year' is not a date"),
        (None, 3.5, "The end date 3.5 is not a date"),
    ],
)
def test_span_errors_are_specific(start, end, message):
    with pytest.raises(ValueError, match=message):
        load_history(start, end)


def test_unknown_or_repeated_column():
    with pytest.raises(ValueError, match="Unknown column 'gold'; choose from stocks, bonds"):
        load_history(columns=["stocks", "gold"])
    with pytest.raises(ValueError, match="Each column may appear once"):
        check_columns(["stocks", "stocks"])
    with pytest.raises(ValueError, match="at least one column"):
        check_columns([])


def test_select_months_needs_dates():
    with pytest.raises(ValueError, match="needs dates as its index"):
        select_months(pd.DataFrame({"a": [0.1, 0.2]}), "2000", None)


def test_describe_column():
    assert describe_column("stocks") == "US stock market total return"
    assert describe_column("bills").startswith("Treasury bill return (one-month to 2018")
    with pytest.raises(ValueError, match="Unknown column"):
        describe_column("gold")


# --- calendar-year compounding, by hand ------------------------------------------------------


def test_calendar_year_returns_hand_case():
    months = pd.date_range("2000-01-01", periods=15, freq="MS")
    table = pd.DataFrame({"a": [0.01] * 12 + [0.5] * 3, "b": [0.0] * 11 + [0.1] + [0.0] * 3},
                         index=months)
    years = calendar_year_returns(table)
    assert list(years.index) == [2000]  # 2001 has only three months
    assert years.loc[2000, "a"] == pytest.approx(1.01**12 - 1, rel=1e-12)
    assert years.loc[2000, "b"] == pytest.approx(0.1, rel=1e-12)


def test_calendar_years_of_the_history_are_1927_to_2021(history):
    years = calendar_year_returns(history[["stocks"]])
    assert years.index[0] == 1927
    assert years.index[-1] == 2021  # 2022 stops in November
    assert len(years) == 95


# --- facts compared with published figures ------------------------------------------------------


def test_worst_calendar_year_for_stocks_is_1931(history):
    years = calendar_year_returns(history[["stocks"]])["stocks"]
    assert years.idxmin() == 1931
    assert -0.45 <= years.loc[1931] <= -0.43


def test_stocks_2008(history):
    # S&P 500 total return 2008: -37.0%; the whole market (French) was close to it.
    assert year_return(history, "stocks", 2008) == pytest.approx(-0.37, abs=0.01)


def test_long_run_compound_growth():
    # Published 1926-2018 figures (SBBI), compared on French's span 1926-07 to 2018-11.
    history = load_history(end="2018-11")
    assert compound_annual(history["stocks"]) == pytest.approx(0.100, abs=0.004)
    assert compound_annual(history["bills"]) == pytest.approx(0.033, abs=0.001)
    assert compound_annual(history["inflation"]) == pytest.approx(0.029, abs=0.001)
    # 10-year Treasuries sit between intermediate (5.1%) and long (5.5%) SBBI bonds,
    # nearer the intermediate; Shiller's monthly-average yields smooth a little.
    assert compound_annual(history["bonds"]) == pytest.approx(0.050, abs=0.003)


@pytest.mark.parametrize(("year", "published"), [(1974, 0.123), (1979, 0.133), (2008, 0.001)])
def test_december_to_december_inflation(history, year, published):
    # If the CPI months were shifted by one, these would miss by far more than 0.1 point.
    assert year_return(history, "inflation", year) == pytest.approx(published, abs=0.0006)


def test_bills_1981(history):
    assert year_return(history, "bills", 1981) == pytest.approx(0.147, abs=0.001)


def test_levels_in_2018_11_and_at_the_end(history):
    november_2018 = history.loc["2018-11-01"]
    assert november_2018["long_rate"] == pytest.approx(0.0312, abs=1e-9)
    assert november_2018["cape"] == pytest.approx(30.2, abs=0.1)
    last = history.iloc[-1]
    assert last["long_rate"] == pytest.approx(0.0389, abs=1e-9)
    assert last["cape"] == pytest.approx(28.4, abs=0.1)


def test_bond_years_have_the_right_sign(history):
    # 1994 and 2009: yields jumped and 10-year Treasuries lost money; 2008: they rallied.
    assert year_return(history, "bonds", 1994) < -0.04
    assert year_return(history, "bonds", 2009) < -0.04
    assert year_return(history, "bonds", 2008) > 0.12


def test_bond_return_of_month_m_uses_yields_of_months_m_minus_1_and_m(history):
    # A par bond with 120 months to run, coupon y(m-1)/12 a month, valued a month later with
    # 119 months left at yield y(m): Shiller's formula, filed under the month it ends.
    before = history["long_rate"].to_numpy()[:-1] / 12
    after = history["long_rate"].to_numpy()[1:] / 12
    coupon = before
    annuity = (1 - (1 + after) ** -119) / after
    price = coupon * annuity + (1 + after) ** -119
    rebuilt = price + coupon - 1
    np.testing.assert_allclose(history["bonds"].to_numpy()[1:], rebuilt, rtol=0, atol=1e-10)
    # The same returns filed one month earlier would not fit.
    assert np.abs(history["bonds"].to_numpy()[:-1] - rebuilt).max() > 0.01

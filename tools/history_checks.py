"""Build-time checks of the embedded history: each splice against its neighbour source.

Used by ``tools/build_history.py``. Each check measures something, stops the build with
``SystemExit`` when the figure is outside its stated bound, and returns the figures so the
build can print them. Returns are decimals (0.01 = 1%); "points" are percentage points.

Published figures used here:

- S&P 500 total return (S&P Dow Jones Indices): 2019 31.49%, 2020 18.40%, 2021 28.71%;
  2022 -18.11% with December 2022 -5.76%, so January to November 2022 is
  0.8189 / 0.9424 - 1 = -13.10%; February, March and April 2020: -8.23%, -12.35%, +12.82%.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PUBLISHED_SP500_YEARS = {2019: 0.3149, 2020: 0.1840, 2021: 0.2871}
PUBLISHED_SP500_JAN_NOV_2022 = (1 - 0.1811) / (1 - 0.0576) - 1  # -13.10%
PUBLISHED_SP500_MONTHS = {"2020-02": -0.0823, "2020-03": -0.1235, "2020-04": 0.1282}
PUBLISHED_TOLERANCE = 0.005  # half a point

# Bounds, each a little wider than the figure measured when the splice was chosen.
DAILY_FRENCH_MAX_MEAN_GAP = 0.0003  # measured 0.00021 (stocks), 0.000055 (bills)
DAILY_FRENCH_MIN_CORRELATION = 0.9999  # measured 0.99997
SP500_MIN_CORRELATION = 0.98  # measured 0.986 (1990-02 to 2018-11)
SP500_MAX_MEAN_GAP = 0.0055  # measured 0.0047 a month
SP500_CLOSE_MAX_GAP = 0.01  # index points; Yahoo's closes carry float noise
BILLS_MIN_CORRELATION = 0.96  # measured 0.969 (1928-01 to 2018-11)
BILLS_MAX_MEAN_GAP = 0.0005  # measured 0.00038 a month
YEARLY_INFLATION_MAX_GAP = 0.0000501  # Damodaran rounds to 0.01 point


def _fail(message: str) -> None:
    raise SystemExit(f"Check failed: {message}")


def _compare(ours: pd.Series, theirs: pd.Series) -> tuple[float, float]:
    """Correlation and mean absolute difference over the common index."""
    common = ours.index.intersection(theirs.index)
    a, b = ours.loc[common].to_numpy(), theirs.loc[common].to_numpy()
    return float(np.corrcoef(a, b)[0, 1]), float(np.abs(a - b).mean())


def monthly_from_daily(daily: pd.DataFrame) -> pd.DataFrame:
    """Compound French's daily percent factors into monthly market and bill returns."""
    month = daily.index.to_period("M")
    market = (1 + (daily["Mkt-RF"] + daily["RF"]) / 100).groupby(month).prod() - 1
    bills = (1 + daily["RF"] / 100).groupby(month).prod() - 1
    return pd.DataFrame({"stocks": market, "bills": bills})


def check_daily_french(from_daily: pd.DataFrame, french: pd.DataFrame) -> dict[str, float]:
    """French's daily factors, compounded, must agree with his monthly file (1960-2018)."""
    monthly = pd.DataFrame({"stocks": (french["Mkt-RF"] + french["RF"]) / 100,
                            "bills": french["RF"] / 100})
    figures = {}
    for column in ("stocks", "bills"):
        correlation, gap = _compare(from_daily[column], monthly[column])
        figures[f"daily French {column}: correlation"] = correlation
        figures[f"daily French {column}: mean |difference|"] = gap
        if gap > DAILY_FRENCH_MAX_MEAN_GAP:
            _fail(f"daily French {column} miss the monthly file by {gap:.5f} a month")
    if figures["daily French stocks: correlation"] < DAILY_FRENCH_MIN_CORRELATION:
        _fail("daily French market returns do not track the monthly file")
    return figures


def check_closes(closes: pd.Series, yahoo: pd.Series) -> dict[str, float]:
    """skfolio's S&P 500 closes must equal arch's (Yahoo) closes on every common day."""
    common = closes.index.intersection(yahoo.index)
    gap = float((closes.loc[common] - yahoo.loc[common]).abs().max())
    if len(common) < 4000 or gap > SP500_CLOSE_MAX_GAP:
        _fail(f"S&P 500 closes differ between packages ({len(common)} days, gap {gap})")
    return {"S&P 500 closes: common days": float(len(common)),
            "S&P 500 closes: largest |difference| (index points)": gap}


def check_sp500(total: pd.Series, french_market: pd.Series) -> dict[str, float]:
    """S&P 500 total return against French's market and against published figures."""
    overlap = total.index.intersection(french_market.index)
    correlation, gap = _compare(total.loc[overlap], french_market)
    figures = {"S&P 500 vs French market 1990-2018: correlation": correlation,
               "S&P 500 vs French market 1990-2018: mean |difference|": gap}
    if correlation < SP500_MIN_CORRELATION or gap > SP500_MAX_MEAN_GAP:
        _fail(f"S&P 500 splice tracks French at {correlation:.4f} / {gap:.5f}")
    targets = {str(year): value for year, value in PUBLISHED_SP500_YEARS.items()}
    targets["2022-01..2022-11"] = PUBLISHED_SP500_JAN_NOV_2022
    targets.update(PUBLISHED_SP500_MONTHS)
    for label, published in targets.items():
        first, _, last = label.partition("..")
        ours = float((1 + total.loc[first:last or first]).prod() - 1)
        figures[f"S&P 500 {label}: ours"] = ours
        figures[f"S&P 500 {label}: published"] = published
        if abs(ours - published) > PUBLISHED_TOLERANCE:
            _fail(f"S&P 500 {label}: {ours:.4f} against published {published:.4f}")
    return figures


def check_cpi(bls: pd.Series, shiller_cpi: pd.Series, months: pd.PeriodIndex
              ) -> dict[str, float]:
    """BLS CPI-U must equal the CPI in Shiller's data wherever the old file used it."""
    gap = float((bls.loc[months] - shiller_cpi.loc[months]).abs().max())
    if gap > 1e-9:
        _fail(f"BLS CPI-U and Shiller's CPI differ by {gap}")
    figures = {"CPI-U vs Shiller CPI 1926-06..2018-11: largest |difference|": gap}
    for year in (2020, 2021, 2022):
        figures[f"CPI-U Dec-Dec {year}"] = float(
            bls[pd.Period(f"{year}-12")] / bls[pd.Period(f"{year - 1}-12")] - 1)
    return figures


def check_bills(spread: pd.Series, french_bills: pd.Series) -> dict[str, float]:
    """Damodaran's yearly T-bill return, spread evenly over months, against French's RF."""
    correlation, gap = _compare(spread, french_bills.loc["1928-01":])
    figures = {"Damodaran bills spread vs French RF 1928-2018: correlation": correlation,
               "Damodaran bills spread vs French RF 1928-2018: mean |difference|": gap}
    if correlation < BILLS_MIN_CORRELATION or gap > BILLS_MAX_MEAN_GAP:
        _fail(f"spread bills track French at {correlation:.4f} / {gap:.5f}")
    return figures


def check_yearly(yearly: pd.DataFrame, bls: pd.Series, monthly: pd.DataFrame
                 ) -> dict[str, float]:
    """Damodaran's yearly table against BLS CPI-U and against the monthly history."""
    years = yearly.index
    december = pd.Series({year: bls[pd.Period(f"{year}-12")] for year in range(years[0] - 1,
                                                                              years[-1] + 1)})
    bls_inflation = (december / december.shift(1) - 1).loc[years]
    # Damodaran's last year was published before BLS's December figure: his 2025 is the
    # twelve months to November 2025 (BLS Nov/Nov 2.735%; Dec/Dec is 2.677%).
    last = years[-1]
    if last == 2025:
        november = bls[pd.Period(f"{last}-11")] / bls[pd.Period(f"{last - 1}-11")]
        bls_inflation.loc[last] = november - 1
    gap = float((yearly["inflation"] - bls_inflation).abs().max())
    if gap > YEARLY_INFLATION_MAX_GAP:
        _fail(f"Damodaran's inflation misses BLS CPI-U December to December by {gap}")
    figures = {"yearly inflation vs BLS Dec-Dec (2025: Nov-Nov): largest |difference|": gap,
               "yearly inflation 2025: BLS Dec-Dec": float(december[last] / december[last - 1] - 1)}
    month_years = monthly.index.year
    grown = (1 + monthly).groupby(month_years).prod() - 1
    complete = monthly.groupby(month_years).size().loc[lambda n: n == 12].index
    both = years.intersection(complete)
    for column in ("stocks", "bonds", "bills"):
        correlation, mean_gap = _compare(yearly.loc[both, column], grown.loc[both, column])
        figures[f"yearly {column} vs monthly compounded {both[0]}-{both[-1]}: correlation"] = (
            correlation)
        figures[f"yearly {column} vs monthly compounded: mean |difference|"] = mean_gap
        if correlation < 0.95:
            _fail(f"yearly {column} do not track the monthly history ({correlation:.3f})")
    return figures

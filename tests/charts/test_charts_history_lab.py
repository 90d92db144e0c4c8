"""The history lab's charts: lines per rule (thinned for drawing), worst falls per rule."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from rebalance_widgets.charts.history_lab import falls_chart, rule_lines_chart


def test_long_lines_are_thinned_for_drawing_and_keep_their_last_point():
    days = pd.date_range("1926-06-30", periods=1158, freq="ME")
    paths = pd.DataFrame({"Never": range(1, 1159), "Annual": 1.0}, index=days)
    spec = rule_lines_chart(paths, "growth", max_points=400).to_dict()
    rows = pd.read_csv(io.StringIO(spec["datasets"]["lines"]), parse_dates=["date"])
    never = rows[rows["rule"] == "Never"]
    assert len(never) <= 401
    assert never["date"].iloc[-1] == days[-1] and never["value"].iloc[-1] == 1158
    assert spec["layer"][0]["encoding"]["y"]["scale"]["type"] == "log"


def test_share_lines_draw_the_target_and_refuse_bad_tables():
    days = pd.date_range("2000-01-31", periods=3, freq="ME")
    spec = rule_lines_chart(pd.DataFrame({"Never": [0.6, 0.62, 0.63]}, index=days), "share",
                            target=0.6).to_dict()
    assert spec["datasets"]["target"] == [{"value": 0.6, "label": "Target 60%"}]
    with pytest.raises(ValueError, match="growth or share"):
        rule_lines_chart(pd.DataFrame({"a": [1.0]}, index=days[:1]), "wealth")
    with pytest.raises(ValueError, match="dates"):
        rule_lines_chart(pd.DataFrame({"a": [1.0]}), "growth")


def test_falls_are_ranked_per_rule_and_a_rule_that_never_fell_shows_at_zero():
    falls = pd.DataFrame({
        "rule": ["Never", "Never"], "depth": [-0.6, -0.3],
        "peak": pd.to_datetime(["1929-08-31", "1937-02-28"]),
        "trough": pd.to_datetime(["1932-05-31", "1938-03-31"]),
        "recovery": pd.to_datetime(["1943-05-31", None]),
    })
    rows = falls_chart(falls, ["Never", "Steady"]).to_dict()["datasets"]["falls"]
    assert [(r["rule"], r["rank"]) for r in rows] == [
        ("Never", "Worst fall"), ("Never", "2nd worst"), ("Steady", "No fall")]
    assert rows[0]["peak"] == "Aug 1929" and rows[1]["recovery"] == "not yet"
    with pytest.raises(ValueError, match="columns"):
        falls_chart(falls.drop(columns="peak"))

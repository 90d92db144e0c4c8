"""Chart builders for drift, policy comparison and costs: specs checked through to_dict()."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from rebalance_widgets.charts.comparison import policy_dot_chart
from rebalance_widgets.charts.costs import after_tax_wealth_chart, cumulative_costs_chart
from rebalance_widgets.charts.datasets import ordinal
from rebalance_widgets.charts.drift import drift_fan_chart, drift_replay_chart
from rebalance_widgets.charts.theme import SERIES_COLORS


def _bands() -> pd.DataFrame:
    rows = []
    # Two scenarios, two years, five percentiles; value = scenario offset + year + p/1000.
    for offset, scenario in ((0.5, "Never rebalanced"), (0.6, "Rebalanced annually")):
        for year in (0, 1):
            for p in (5, 25, 50, 75, 95):
                rows.append((year, scenario, p, offset + year / 10 + p / 1000))
    return pd.DataFrame(rows, columns=["year", "scenario", "percentile", "value"])


def test_fan_chart_pairs_outer_and_inner_percentiles_and_draws_the_median():
    spec = drift_fan_chart(_bands(), 0.8).to_dict()
    marks = [layer.get("mark", {}).get("type") for layer in spec["layer"]]
    assert marks[:3] == ["area", "area", "line"]
    outer, inner, median = spec["layer"][:3]
    assert (outer["encoding"]["y"]["field"], outer["encoding"]["y2"]["field"]) == ("p5", "p95")
    assert (inner["encoding"]["y"]["field"], inner["encoding"]["y2"]["field"]) == ("p25", "p75")
    assert median["encoding"]["y"]["field"] == "p50"
    # The inner band is darker than the outer one.
    assert inner["mark"]["opacity"] > outer["mark"]["opacity"]
    assert outer["data"] == {"name": "fan"}
    rows = {(r["scenario"], r["year"]): r for r in spec["datasets"]["fan"]}
    assert len(rows) == 4
    assert rows[("Never rebalanced", 1)]["p5"] == pytest.approx(0.5 + 0.1 + 0.005)
    assert rows[("Rebalanced annually", 0)]["p95"] == pytest.approx(0.6 + 0.095)
    assert rows[("Rebalanced annually", 1)]["p50"] == pytest.approx(0.6 + 0.1 + 0.05)


def test_fan_chart_colours_scenarios_from_the_theme_and_marks_the_target():
    spec = drift_fan_chart(_bands(), 0.8, asset="Stock").to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Never rebalanced", "Rebalanced annually"]
    assert scale["range"][0] == SERIES_COLORS["Never rebalanced"]
    assert scale["range"][1] != scale["range"][0]
    rule, label = spec["layer"][-2:]
    assert (rule["mark"]["type"], label["mark"]["type"]) == ("rule", "text")
    assert rule["data"] == label["data"] == {"name": "target"}
    assert spec["datasets"]["target"] == [{"value": 0.8, "label": "Target 80%"}]
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Stock share of the portfolio"
    assert spec["layer"][0]["encoding"]["y"]["axis"]["format"] == ".0%"


def test_fan_chart_with_an_even_number_of_percentiles_has_no_median_line():
    bands = _bands()
    bands = bands[bands["percentile"] != 50]
    spec = drift_fan_chart(bands, 0.6).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["area", "area", "rule", "text"]


def test_fan_chart_rejects_a_table_without_the_needed_columns():
    with pytest.raises(ValueError, match="needs the columns percentile"):
        drift_fan_chart(pd.DataFrame({"year": [0], "scenario": ["a"], "value": [1.0]}), 0.5)
    with pytest.raises(ValueError, match="empty"):
        drift_fan_chart(_bands().iloc[0:0], 0.5)


def test_replay_chart_draws_one_line_per_scenario_over_dates():
    dates = pd.to_datetime(["1990-01-31", "1990-02-28"])
    paths = pd.DataFrame(
        {"date": list(dates) * 2, "scenario": ["Never rebalanced"] * 2 + ["Rebalanced"] * 2,
         "value": [0.8, 0.82, 0.8, 0.8]}
    )
    spec = drift_replay_chart(paths, 0.8).to_dict()
    line = spec["layer"][0]
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["x"] == {**line["encoding"]["x"], "field": "date", "type": "temporal"}
    assert line["encoding"]["color"]["scale"]["range"] == [
        SERIES_COLORS["Never rebalanced"], SERIES_COLORS["Rebalanced"]
    ]
    assert line["data"]["format"]["type"] == "csv"
    rows = pd.read_csv(io.StringIO(spec["datasets"]["replay"]))
    assert rows.to_dict("records") == [
        {"date": "1990-01-31T00:00:00", "scenario": "Never rebalanced", "value": 0.8},
        {"date": "1990-02-28T00:00:00", "scenario": "Never rebalanced", "value": 0.82},
        {"date": "1990-01-31T00:00:00", "scenario": "Rebalanced", "value": 0.8},
        {"date": "1990-02-28T00:00:00", "scenario": "Rebalanced", "value": 0.8},
    ]


def test_replay_chart_quotes_scenario_names_with_commas_and_quotes():
    paths = pd.DataFrame({"date": pd.to_datetime(["2000-01-01"]), "scenario": ['A, "b"'],
                          "value": [0.5]})
    text = drift_replay_chart(paths, 0.5).to_dict()["datasets"]["replay"]
    assert pd.read_csv(io.StringIO(text))["scenario"].tolist() == ['A, "b"']


def test_charts_built_in_turn_keep_their_own_rows():
    first = drift_fan_chart(_bands(), 0.8)
    moved = _bands().assign(value=lambda t: t["value"] + 0.1)
    second = drift_fan_chart(moved, 0.6)
    one, two = first.to_dict(), second.to_dict()
    assert one["datasets"]["target"][0]["value"] == 0.8
    assert two["datasets"]["target"][0]["value"] == 0.6
    assert two["datasets"]["fan"][0]["p5"] == pytest.approx(one["datasets"]["fan"][0]["p5"] + 0.1)
    # Everything but the rows is the same chart.
    assert {k: v for k, v in one.items() if k != "datasets"} == {
        k: v for k, v in two.items() if k != "datasets"
    }


def test_ordinal_words():
    assert [ordinal(p) for p in (1, 2, 3, 4, 11, 12, 13, 21, 50, 95, 2.5)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "50th", "95th", "2.5th"
    ]


def test_dot_chart_has_one_panel_per_metric_with_its_own_format():
    table = pd.DataFrame(
        {
            "policy": ["Never", "Monthly", "Never", "Monthly", "Never", "Monthly"],
            "metric": ["Annualised return"] * 2 + ["Costs"] * 2 + ["Rebalances"] * 2,
            "value": [0.07, 0.065, 0.0, 120.0, 0.0, float("nan")],
        }
    )
    spec = policy_dot_chart(table, formats={"Annualised return": ".1%", "Costs": "$,.0f"}).to_dict()
    panels = spec["vconcat"]
    assert [p["encoding"]["x"]["title"] for p in panels] == [
        "Annualised return", "Costs", "Rebalances"
    ]
    assert [p["encoding"]["x"]["axis"]["format"] for p in panels] == [".1%", "$,.0f", ",.2f"]
    assert [p["data"]["name"] for p in panels] == ["metric_0", "metric_1", "metric_2"]
    rows = spec["datasets"]["metric_1"]
    assert [(r["policy"], r["value"]) for r in rows] == [("Never", 0.0), ("Monthly", 120.0)]
    # A missing value is left out rather than drawn at zero.
    rows = spec["datasets"]["metric_2"]
    assert [(r["policy"], r["value"]) for r in rows] == [("Never", 0.0)]
    assert panels[0]["encoding"]["y"]["sort"] == ["Never", "Monthly"]
    assert panels[0]["height"] == 2 * 18


def test_dot_chart_rejects_an_empty_table():
    with pytest.raises(ValueError, match="tick at least one policy"):
        policy_dot_chart(pd.DataFrame(columns=["policy", "metric", "value"]))


def test_cumulative_costs_chart_draws_dollars_per_kind():
    costs = pd.DataFrame(
        {"year": [0, 1, 0, 1], "kind": ["Trading costs"] * 2 + ["Fund fees"] * 2,
         "value": [0.0, 12.5, 0.0, 40.0]}
    )
    spec = cumulative_costs_chart(costs).to_dict()
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["y"]["axis"]["format"] == "$,.0f"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Trading costs", "Fund fees"]
    assert spec["data"] == {"name": "costs"}
    rows = spec["datasets"]["costs"]
    assert rows[1] == {"year": 1.0, "kind": "Trading costs", "value": 12.5}


def test_after_tax_chart_shows_the_median_bar_and_the_outer_range():
    wealth = pd.DataFrame(
        {"account": ["401(k)"] * 3 + ["Taxable"] * 3, "percentile": [10, 50, 90] * 2,
         "value": [80.0, 100.0, 150.0, 70.0, 90.0, 120.0]}
    )
    spec = after_tax_wealth_chart(wealth).to_dict()
    bars, ranges, labels = spec["layer"]
    assert (bars["mark"]["type"], ranges["mark"]["type"], labels["mark"]["type"]) == (
        "bar", "rule", "text"
    )
    assert spec["data"] == {"name": "wealth"}
    rows = spec["datasets"]["wealth"]
    assert rows == [
        {"account": "401(k)", "middle": 100.0, "low": 80.0, "high": 150.0},
        {"account": "Taxable", "middle": 90.0, "low": 70.0, "high": 120.0},
    ]
    assert "10th to 90th percentile" in bars["encoding"]["x"]["title"]
    assert "median" in bars["encoding"]["x"]["title"]


def test_every_chart_is_a_valid_vega_lite_spec_with_its_rows():
    """Redraws reuse a checked spec; here each chart takes Altair's full path and check."""
    dates = pd.to_datetime(["1990-01-31", "1990-02-28"])
    built = [
        drift_fan_chart(_bands(), 0.8),
        drift_replay_chart(
            pd.DataFrame({"date": dates, "scenario": "Never rebalanced", "value": [0.8, 0.9]}),
            0.8,
        ),
        policy_dot_chart(pd.DataFrame({"policy": ["A", "B"], "metric": "Costs",
                                       "value": [1.0, 2.0]})),
        cumulative_costs_chart(pd.DataFrame({"year": [0, 1], "kind": "Fund fees",
                                             "value": [0.0, 5.0]})),
        after_tax_wealth_chart(pd.DataFrame({"account": "Roth", "percentile": [10, 50, 90],
                                             "value": [1.0, 2.0, 3.0]})),
    ]
    for chart in built:
        spec = chart.altair().to_dict(validate=True)  # rows and all, against the schema
        assert spec["datasets"]
        assert chart.to_dict() == spec
        assert chart.to_dict() is not chart.to_dict()  # a fresh dict each time

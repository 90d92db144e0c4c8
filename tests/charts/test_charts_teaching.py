"""Chart builders of the allocation, planning, questionnaire and calculator widgets."""

import altair as alt
import pandas as pd
import pytest

from rebalance_widgets.charts import (
    allocation,
    calculator,
    contributions,
    fan,
    glidepath,
    questionnaire,
    theme,
)


def _rows(spec):
    """All data rows of a spec (top-level data or named datasets)."""
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_mix_bar_uses_fixed_asset_colours_and_the_given_shares():
    frame = pd.DataFrame({"asset": ["stocks", "bonds", "cash"], "weight": [0.6, 0.35, 0.05]})
    spec = allocation.mix_bar(frame).to_dict()
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["scale"]["range"] == [theme.ASSET_COLORS[a] for a in ("stocks", "bonds", "cash")]
    assert {r["asset"]: r["weight"] for r in _rows(spec)} == {
        "stocks": 0.6,
        "bonds": 0.35,
        "cash": 0.05,
    }
    # white text only on the dark blue
    assert {r["asset"]: r["ink"] for r in _rows(spec)} == {
        "stocks": "white",
        "bonds": "#111111",
        "cash": "#111111",
    }


def test_target_vs_current_band_is_computed_in_the_spec():
    frame = pd.DataFrame(
        {"asset": ["stocks", "bonds"], "target": [0.6, 0.4], "current": [0.7, 0.3]}
    )
    spec = allocation.target_vs_current(frame, 0.05).to_dict()
    assert {r["band"] for r in _rows(spec)} == {0.05}
    calc = spec["layer"][0]["transform"][0]
    assert calc == {"calculate": "max(0, datum.target - datum.band)", "as": "low"}
    with pytest.raises(ValueError, match="between 0% and 100%"):
        allocation.target_vs_current(frame, 1.5)
    with pytest.raises(ValueError, match="needs the columns current"):
        allocation.target_vs_current(frame.drop(columns="current"), 0.05)


def test_templates_are_reused_but_data_is_not_shared():
    one = pd.DataFrame({"asset": ["stocks", "bonds"], "weight": [0.6, 0.4]})
    two = pd.DataFrame({"asset": ["stocks", "bonds"], "weight": [0.8, 0.2]})
    a, b = allocation.mix_bar(one), allocation.mix_bar(two)
    assert [r["weight"] for r in _rows(a.to_dict())] == [0.6, 0.4]
    assert [r["weight"] for r in _rows(b.to_dict())] == [0.8, 0.2]


def test_one_year_outcomes_rows():
    frame = pd.DataFrame(
        {"mix": ["Target mix"], "start": [1e4], "low": [8e3], "expected": [1.07e4], "high": [1.3e4]}
    )
    spec = allocation.one_year_outcomes(frame).to_dict()
    assert _rows(spec)[0]["expected"] == 1.07e4
    assert spec["layer"][1]["encoding"]["x2"] == {"field": "high"}


def test_fan_chart_pivots_percentiles_and_checks_them():
    frame = pd.DataFrame(
        {
            "year": [0] * 5 + [1] * 5,
            "percentile": [5, 25, 50, 75, 95] * 2,
            "value": [1, 1, 1, 1, 1, 0.8, 0.9, 1.0, 1.1, 1.3],
        }
    )
    spec = fan.fan_chart(frame).to_dict()
    year_one = next(r for r in _rows(spec) if r["year"] == 1)
    assert (year_one["p5"], year_one["p25"], year_one["p50"], year_one["p95"]) == (
        0.8,
        0.9,
        1.0,
        1.3,
    )
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["area", "area", "line"]
    with pytest.raises(ValueError, match="needs the percentiles 25, 75"):
        fan.fan_chart(frame[frame["percentile"].isin([5, 50, 95])])
    with pytest.raises(ValueError, match="empty"):
        fan.fan_chart(frame.iloc[0:0])


def test_contributions_chart_orders_parts_and_refuses_unknown_ones():
    frame = pd.DataFrame(
        {"age": [30, 30, 30], "part": list(contributions.PARTS), "dollars": [1.0, 2.0, 3.0]}
    )
    spec = contributions.contributions_vs_growth(frame).to_dict()
    assert spec["encoding"]["color"]["sort"] == list(contributions.PARTS)
    assert spec["encoding"]["y"]["stack"] == "zero"
    with pytest.raises(ValueError, match="Unknown parts Luck"):
        contributions.contributions_vs_growth(frame.assign(part=["Luck"] * 3))


def test_glide_path_chart_has_the_retirement_line():
    frame = pd.DataFrame(
        {"age": [30, 30, 65, 65], "asset": ["stocks", "bonds"] * 2, "weight": [0.9, 0.1, 0.5, 0.5]}
    )
    spec = glidepath.glide_path_chart(frame, retirement_age=65).to_dict()
    rule = spec["layer"][1]
    assert rule["mark"]["type"] == "rule"
    assert spec["datasets"][rule["data"]["name"]] == [{"age": 65.0, "label": "Retire at 65"}]
    assert spec["layer"][0]["encoding"]["y"]["scale"] == {"domain": [0, 1]}


def test_before_after_chart_rows():
    frame = pd.DataFrame(
        {
            "asset": ["stocks", "bonds"],
            "before": [0.7, 0.3],
            "after": [0.6, 0.4],
            "target": [0.6, 0.4],
            "before_dollars": [7e4, 3e4],
            "after_dollars": [6e4, 4e4],
        }
    )
    spec = calculator.before_after_chart(frame).to_dict()
    bars = [r for r in _rows(spec) if "when" in r]
    assert {(r["asset"], r["when"]): r["share"] for r in bars} == {
        ("stocks", "Before"): 0.7,
        ("bonds", "Before"): 0.3,
        ("stocks", "After"): 0.6,
        ("bonds", "After"): 0.4,
    }
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert colour["range"] == [theme.SERIES_COLORS["Before"], theme.SERIES_COLORS["After"]]


def test_score_chart_hides_names_that_do_not_fit():
    bands = pd.DataFrame(
        {
            "profile": ["Careful", "A very long profile name indeed", "Bold"],
            "low": [0, 10, 12],
            "high": [9, 11, 30],
        }
    )
    spec = questionnaire.score_chart(bands, 14).to_dict()
    names = {r["profile"]: r["name"] for r in _rows(spec) if "profile" in r}
    assert names["Careful"] == "Careful"
    assert names["A very long profile name indeed"] == ""
    marker = next(r for r in _rows(spec) if "score" in r)
    assert marker == {"score": 14.0, "label": "You: 14"}


def test_years_axis_and_optional_title():
    from rebalance_widgets.charts.fan import titled, years_axis

    axis = years_axis("age", "Age").to_dict()
    assert axis["field"] == "age" and axis["type"] == "quantitative"
    assert axis["axis"]["format"] == "d" and axis["axis"]["tickMinStep"] == 1
    assert axis["scale"] == {"zero": False, "nice": False}
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point()
    assert titled(chart, "Mix").to_dict()["title"] == "Mix"
    assert "title" not in titled(chart, None).to_dict()

import ipywidgets as widgets
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rebalance_widgets import AllocationChart, AllocationSliders
from rebalance_widgets.core import markets
from rebalance_widgets.widgets.allocation import check_mix, describe_mix, rescale

ASSETS = ("stocks", "bonds", "cash")


def test_rescale_by_hand():
    # 60/30/10, stocks to 80%: the other 20% is split 3:1 -> 15% and 5%
    assert rescale({"stocks": 0.6, "bonds": 0.3, "cash": 0.1}, "stocks", 0.8) == pytest.approx(
        {"stocks": 0.8, "bonds": 0.15, "cash": 0.05}, abs=1e-12
    )
    # with cash locked at 10%, bonds take all the rest
    assert rescale(
        {"stocks": 0.6, "bonds": 0.3, "cash": 0.1}, "stocks", 0.8, locked=["cash"]
    ) == pytest.approx({"stocks": 0.8, "bonds": 0.1, "cash": 0.1}, abs=1e-12)
    # everything else locked: the move is refused
    assert rescale(
        {"stocks": 0.6, "bonds": 0.3, "cash": 0.1}, "stocks", 0.9, locked=["bonds", "cash"]
    ) == pytest.approx({"stocks": 0.6, "bonds": 0.3, "cash": 0.1}, abs=1e-12)
    # the moved share is limited by the locked ones
    assert rescale({"stocks": 0.6, "bonds": 0.3, "cash": 0.1}, "stocks", 0.95, locked=["bonds"])[
        "stocks"
    ] == pytest.approx(0.7, abs=1e-12)
    # others at zero share the room equally
    assert rescale({"stocks": 1.0, "bonds": 0.0, "cash": 0.0}, "stocks", 0.5) == pytest.approx(
        {"stocks": 0.5, "bonds": 0.25, "cash": 0.25}, abs=1e-12
    )


def test_rescale_lands_on_whole_percents_that_add_up():
    # 0.2 split 35:5 = 17.5 and 2.5 -> whole percents 17/18 and 3/2 adding to 20
    mix = rescale({"stocks": 0.6, "bonds": 0.35, "cash": 0.05}, "stocks", 0.8)
    assert round(mix["bonds"] * 100) + round(mix["cash"] * 100) == 20
    for share in mix.values():
        assert share * 100 == pytest.approx(round(share * 100), abs=1e-9)


mixes = st.lists(st.integers(0, 100), min_size=3, max_size=3).filter(lambda xs: sum(xs) > 0)


@settings(max_examples=300, deadline=None)
@given(
    raw=mixes,
    moved=st.sampled_from(ASSETS),
    new=st.floats(-0.5, 1.5, allow_nan=False),
    locked=st.sets(st.sampled_from(ASSETS)),
    step=st.sampled_from([0.01, None]),
)
def test_rescale_invariants(raw, moved, new, locked, step):
    total = sum(raw)
    mix = {a: r / total for a, r in zip(ASSETS, raw, strict=True)}
    out = rescale(mix, moved, new, locked, step=step)
    assert list(out) == list(ASSETS)
    assert abs(sum(out.values()) - 1.0) <= 1e-9
    assert all(v >= 0 for v in out.values())
    for asset in locked - {moved}:
        assert out[asset] == mix[asset]
    free = [a for a in ASSETS if a != moved and a not in locked]
    room = 1 - sum(mix[a] for a in locked - {moved})
    if free:
        assert out[moved] == pytest.approx(min(max(new, 0.0), room), abs=1e-12)


@settings(max_examples=15, deadline=None)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(ASSETS), st.integers(0, 100), st.sets(st.sampled_from(ASSETS))),
        min_size=1,
        max_size=4,
    )
)
def test_sliders_always_add_up_and_respect_locks(moves):
    w = AllocationSliders()
    for asset, percent, locked in moves:
        for name in ASSETS:
            w.locks[name].value = name in locked
        before = dict(w.value)
        w.sliders[asset].value = percent / 100
        assert abs(sum(w.value.values()) - 1.0) <= 1e-9
        for name in locked - {asset}:
            assert w.value[name] == before[name]
        for name in ASSETS:  # the sliders show the mix
            assert w.sliders[name].value == pytest.approx(w.value[name], abs=1e-12)
        assert w.message.kind != "error"


def test_sliders_move_and_tell_in_words():
    w = AllocationSliders()
    assert w.value == pytest.approx({"stocks": 0.6, "bonds": 0.35, "cash": 0.05})
    assert w.preset.value == "moderate"
    w.sliders["stocks"].value = 0.8
    assert w.value["stocks"] == pytest.approx(0.8)
    assert w.value["bonds"] + w.value["cash"] == pytest.approx(0.2)
    assert w.preset.value == "Custom"
    assert w.panel.sentence == (
        f"Your mix: 80% stocks, {w.value['bonds']:.0%} bonds and {w.value['cash']:.0%} cash."
    )
    spec = w.panel.chart.to_dict()
    values = {row["asset"]: row["weight"] for row in spec["datasets"][spec["data"]["name"]]}
    assert values == pytest.approx(w.value)


def test_locked_everything_else_keeps_slider_in_place_and_says_why():
    w = AllocationSliders()
    w.locks["bonds"].value = True
    w.locks["cash"].value = True
    w.sliders["stocks"].value = 0.9
    assert w.value == pytest.approx({"stocks": 0.6, "bonds": 0.35, "cash": 0.05})
    assert w.sliders["stocks"].value == pytest.approx(0.6)
    assert "unlock" in w.message.text


def test_presets_set_the_mix_and_clear_locks():
    w = AllocationSliders()
    w.locks["cash"].value = True
    w.preset.value = "80/20"
    assert w.value == pytest.approx({"stocks": 0.8, "bonds": 0.2, "cash": 0.0})
    assert not any(lock.value for lock in w.locks.values())
    assert w.sliders["stocks"].value == pytest.approx(0.8)


def test_value_trait_validates_and_moves_sliders():
    w = AllocationSliders()
    w.value = {"stocks": 0.5, "bonds": 0.5}
    assert w.sliders["bonds"].value == 0.5 and w.value["cash"] == 0.0
    with pytest.raises(Exception, match="add up to 100%; these add up to 90%"):
        w.value = {"stocks": 0.5, "bonds": 0.4}
    with pytest.raises(Exception, match="Unknown asset class gold"):
        w.value = {"gold": 1.0}
    assert w.value["stocks"] == 0.5


def test_check_mix_and_words():
    assert check_mix({"stocks": 1.0}, ASSETS) == {"stocks": 1.0, "bonds": 0.0, "cash": 0.0}
    with pytest.raises(ValueError, match="cannot be negative"):
        check_mix({"stocks": 1.2, "bonds": -0.2}, ASSETS)
    with pytest.raises(ValueError, match="must be a number"):
        check_mix({"stocks": float("nan")}, ASSETS)
    assert describe_mix({"stocks": 1.0, "bonds": 0.0}) == "100% stocks"


def test_allocation_chart_band_and_outcomes_by_hand():
    w = AllocationChart(
        target={"stocks": 0.6, "bonds": 0.4}, current={"stocks": 0.66, "bonds": 0.34}
    )
    # 6 points off a 5-point band: outside
    assert w.band_panel.sentence.startswith("Outside the 5-point band: stocks at 66%")
    w.band_slider.value = 0.07
    assert w.band == pytest.approx(0.07)
    assert w.band_panel.sentence.startswith("Every asset is inside its 7-point band")
    spec = w.band_panel.chart.to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert {r["asset"]: r["band"] for r in rows} == pytest.approx(
        {"stocks": 0.07, "bonds": 0.07, "cash": 0.07}
    )
    # dollars: the amount times (1 + return) from the core's assumptions
    w.amount_box.value = "$20,000"
    market = markets.assumptions("historical")
    expected = market.annual_stats([0.6, 0.4, 0.0]).expected_return
    low, high = market.one_year_range([0.6, 0.4, 0.0], 0.05, 0.95)
    spec = w.outcome_panel.chart.to_dict()
    target_row = next(
        r for name, rows in spec["datasets"].items() for r in rows if r.get("mix") == "Target mix"
    )
    assert target_row["expected"] == pytest.approx(20_000 * (1 + expected), rel=1e-12)
    assert target_row["low"] == pytest.approx(20_000 * (1 + low), rel=1e-12)
    assert target_row["high"] == pytest.approx(20_000 * (1 + high), rel=1e-12)
    assert f"${20_000 * (1 + expected):,.0f}" in w.outcome_panel.sentence


def test_allocation_chart_keeps_last_good_result_on_bad_amount():
    w = AllocationChart()
    good_chart, good_sentence = w.outcome_panel.chart, w.outcome_panel.sentence
    for text in ["", "abc", "-5", "nan", "inf", "1e308", "<script>", "12,000,000,000"]:
        w.amount_box.value = text
        assert w.message.kind == "error", text
        assert w.outcome_panel.chart is good_chart
        assert w.outcome_panel.sentence == good_sentence
    w.amount_box.value = "5000"
    assert w.message.kind == ""
    assert "$5,000" in w.outcome_panel.sentence


def test_sliders_link_to_chart_target():
    sliders = AllocationSliders()
    chart = AllocationChart()
    widgets.dlink((sliders, "value"), (chart, "target"))
    sliders.preset.value = "aggressive"
    assert chart.target == pytest.approx({"stocks": 0.9, "bonds": 0.1, "cash": 0.0})
    assert "against a 90% target" in chart.band_panel.sentence
    chart.market.value = "forward-looking"
    assert chart.message.kind == ""

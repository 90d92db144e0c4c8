"""Today's dollars: every widget that shows dollars over time divides them by the rise in
prices, year by year, and says so."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets import ContributionPlanner, CostsAndTaxes, GlidePathExplorer
from rebalance_widgets.core import markets
from rebalance_widgets.widgets.parts.dollars import TodaysDollars, deflator
from rebalance_widgets.widgets.parts.simulated import model_inflation

REAL = "in today's dollars (prices rising"
NOMINAL = "in dollars of the day they are counted"


def rows(panel, name: str) -> pd.DataFrame:
    return pd.DataFrame(panel.chart.to_dict()["datasets"][name])


def test_deflator_by_hand():
    assert deflator(0.03, 0) == 1.0
    assert deflator(0.03, 2) == pytest.approx(1 / 1.0609)
    np.testing.assert_allclose(deflator(0.5, np.array([0, 1, 2])), [1, 2 / 3, 4 / 9])
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="Inflation"):
            deflator(bad, 1)


def test_the_model_inflation_is_the_historys_compound_average():
    months = markets.load_history(columns=["inflation"])["inflation"]
    # the historical preset's years (1927-2017): the prices of those years
    fitted = months["1927-01":"2017-12"]
    assert len(fitted) == 91 * 12
    expected = (1 + fitted).prod() ** (1 / 91) - 1
    assert model_inflation("historical") == pytest.approx(expected, rel=1e-12)
    # resampling draws from every month of the history
    assert model_inflation("resampled") == pytest.approx(
        (1 + months).prod() ** (12 / len(months)) - 1, rel=1e-12)
    # the forward-looking preset: the ten years to 2018-11, where it is built
    assert model_inflation("forward-looking") == pytest.approx(
        (1 + months["2008-12":"2018-11"]).prod() ** 0.1 - 1, rel=1e-12)


def test_the_switch_says_which_dollars():
    box = TodaysDollars()
    assert box.words(0.029).startswith(NOMINAL)
    box.value = True
    assert box.words(0.029) == "in today's dollars (prices rising 2.9% a year)"


def test_contribution_planner_in_todays_dollars():
    planner = ContributionPlanner(n_paths=40)
    nominal = rows(planner.range_panel, "rows")
    assert NOMINAL in planner.range_panel.sentence
    planner.dollars_box.value = True
    real = rows(planner.range_panel, "rows")
    assert planner.message.kind == ""
    assert REAL in planner.range_panel.sentence
    factor = (1 + markets.expected_inflation("historical")) ** -(nominal["age"] - planner.age)
    for column in ("p5", "p25", "p50", "p75", "p95"):
        np.testing.assert_allclose(real[column], nominal[column] * factor, rtol=1e-9)
    # the parts still add up to the middle balance, now in today's dollars
    parts = rows(planner.parts_panel, "rows")
    by_age = parts.groupby("age")["dollars"].sum()
    np.testing.assert_allclose(by_age.to_numpy(), real.set_index("age")["p50"].loc[
        by_age.index].to_numpy(), rtol=1e-9)
    mine = parts[parts["part"] == "Your contributions"].set_index("age")["dollars"]
    assert mine.iloc[0] == pytest.approx(10_000.0)  # today's balance is in today's dollars


def test_glide_path_outcomes_in_todays_dollars():
    explorer = GlidePathExplorer(n_paths=40)
    nominal = explorer.outcome_panel.sentence
    explorer.dollars_box.value = True
    assert explorer.message.kind == ""
    assert REAL in explorer.outcome_panel.sentence and REAL not in nominal
    years = explorer.retirement_age - explorer.age
    factor = (1 + markets.expected_inflation("historical")) ** -years
    first = float(nominal.split("holds $")[1].split(" ")[0].replace(",", ""))
    second = float(explorer.outcome_panel.sentence.split("holds $")[1].split(" ")[0]
                   .replace(",", ""))
    assert second == pytest.approx(first * factor, abs=1.0)


def test_costs_in_todays_dollars_are_deflated_from_the_day_paid():
    widget = CostsAndTaxes(n_paths=40, years=10)
    nominal = rows(widget.costs_panel, next(iter(widget.costs_panel.chart.to_dict()[
        "datasets"])))
    widget.dollars_box.value = True
    real = rows(widget.costs_panel, next(iter(widget.costs_panel.chart.to_dict()[
        "datasets"])))
    assert widget.message.kind == ""
    assert REAL in widget.costs_panel.sentence and REAL in widget.wealth_panel.sentence
    rate = model_inflation("historical")
    # paid so far, in today's dollars: less than nominal, more than nominal / prices at end
    later = nominal["year"] > 0
    assert (real["value"][later] < nominal["value"][later]).all()
    floor = nominal["value"][later] * (1 + rate) ** -nominal["year"][later]
    assert (real["value"][later] >= floor - 1e-9).all()

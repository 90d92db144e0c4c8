"""A goal the learner sets: the chance of reaching it, counted future by future."""

from __future__ import annotations

import numpy as np
import pytest

from rebalance_widgets import ContributionPlanner, GlidePathExplorer
from rebalance_widgets.core import markets
from rebalance_widgets.widgets.parts import base


def test_contribution_planner_counts_the_futures_that_reach_the_goal():
    planner = ContributionPlanner(n_paths=120)
    assert "chance" not in planner.range_panel.sentence
    planner.goal_box.value = "1,000,000"
    share = float(np.mean(planner.balances[:, -1] >= 1_000_000))
    assert f"The chance of at least $1,000,000 at 65: {base.percent(share)} of futures." in (
        planner.range_panel.sentence)
    planner.dollars_box.value = True  # the goal is now in today's dollars: harder to reach
    factor = (1 + markets.expected_inflation("historical")) ** -30
    real = float(np.mean(planner.balances[:, -1] * factor >= 1_000_000))
    assert real < share
    assert f"at 65: {base.percent(real)} of futures." in planner.range_panel.sentence
    planner.goal_box.value = ""
    assert "chance" not in planner.range_panel.sentence


def test_glide_path_explorer_gives_each_strategy_its_chance():
    explorer = GlidePathExplorer(n_paths=120)
    explorer.goal_box.value = "500000"
    glide = float(np.mean(explorer.balances["Glide path"][:, -1] >= 500_000))
    fixed = float(np.mean(explorer.balances["Fixed mix"][:, -1] >= 500_000))
    assert (f"{base.percent(glide)} with the glide path and {base.percent(fixed)} with the "
            "fixed mix.") in explorer.outcome_panel.sentence


@pytest.mark.parametrize("typed", ["abc", "-5", "nan", "1e30"])
def test_a_bad_goal_says_what_to_fix(typed):
    planner = ContributionPlanner(n_paths=20)
    before = planner.range_panel.chart
    planner.goal_box.value = typed
    assert planner.message.kind == "error"
    assert "Goal at retirement" in planner.message.text
    assert planner.range_panel.chart is before

"""Real crashes and what keeping the plan was worth against the other behaviours."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets.core import load_history
from rebalance_widgets.core.discipline import (
    EPISODES,
    available_episodes,
    compare_behaviours,
    episode_returns,
    find_episode,
)
from rebalance_widgets.core.simulation.behaviours import (
    KeepRebalancing,
    SellAfterFall,
    StopRebalancing,
)

BEHAVIOURS = (KeepRebalancing(), StopRebalancing(0.2), SellAfterFall(0.2, 6))


def history_to(last: str) -> pd.DataFrame:
    """A made-up monthly history from 1990 to ``last`` (flat returns)."""
    months = pd.date_range("1990-01", last, freq="MS")
    return pd.DataFrame({"stocks": 0.0, "bonds": 0.0, "bills": 0.0}, index=months)


def test_an_episode_shows_once_the_history_reaches_its_low():
    assert [e.key for e in available_episodes(history_to("2018-11"))] == ["2000-02", "2008-09"]
    assert [e.key for e in available_episodes(history_to("2020-02"))] == ["2000-02", "2008-09"]
    assert [e.key for e in available_episodes(history_to("2020-03"))][-1] == "2020"
    assert [e.key for e in available_episodes(history_to("2022-11"))] == [
        e.key for e in EPISODES]
    assert available_episodes(history_to("1999-12")) == ()


def test_the_embedded_history_offers_the_episodes_it_reaches():
    last = load_history().index[-1]
    expected = [e.key for e in EPISODES if e.low_month <= last]
    assert [e.key for e in available_episodes()] == expected
    assert {"2000-02", "2008-09"} <= set(expected)


def test_an_episode_runs_five_years_or_to_the_end_of_the_history():
    table = episode_returns("2008-09")
    assert (f"{table.index[0]:%Y-%m}", len(table)) == ("2007-10", 60)
    assert list(table.columns) == ["stocks", "bonds", "bills"]
    short = episode_returns("2020", history=history_to("2020-07"))
    assert (f"{short.index[0]:%Y-%m}", f"{short.index[-1]:%Y-%m}") == ("2020-01", "2020-07")
    assert len(episode_returns("2020", history=history_to("2024-12"))) == 24  # two years


def test_episodes_start_at_the_peak_and_their_low_is_the_lowest_month_end():
    for episode in available_episodes():
        table = episode_returns(episode, columns=["stocks"])
        level = pd.concat([pd.Series([1.0]), (1 + table["stocks"]).cumprod().reset_index(
            drop=True)], ignore_index=True)
        low = int(level.idxmin())
        assert table.index[low - 1] == episode.low_month, episode.key
        assert level[:low].max() == level[:3].max(), episode.key  # the peak: first months


def test_an_episode_the_history_does_not_reach_is_refused_in_words():
    with pytest.raises(ValueError, match="Choose a crash from 2000-02, 2008-09"):
        find_episode("2020", history_to("2018-11"))
    with pytest.raises(ValueError, match="does not reach"):
        episode_returns(EPISODES[-1], history=history_to("2018-11"))


def test_worth_is_keep_minus_the_other_in_dollars_and_as_a_share():
    table = episode_returns("2008-09")
    runs = compare_behaviours(table, [0.6, 0.4, 0.0], BEHAVIOURS, initial_value=10_000)
    assert runs.labels == ("Keep rebalancing", "Stop rebalancing", "Sell after a fall")
    kept = runs.run("Keep rebalancing").wealth[0, -1]
    for label in runs.labels[1:]:
        worth = runs.worth(label)
        other = runs.run(label).wealth[0, -1]
        assert worth.median_gap == pytest.approx(kept - other)
        assert worth.median_gap_share == pytest.approx(kept / other - 1)
        assert worth.share_acted == 1.0
        assert worth.share_ahead + worth.share_behind == 1.0


def test_futures_where_nobody_acts_are_ties():
    returns = np.abs(np.random.default_rng(1).normal(0.0, 0.02, size=(50, 24, 2)))
    runs = compare_behaviours(returns, [0.6, 0.4], BEHAVIOURS, initial_value=100)
    worth = runs.worth("Sell after a fall")
    assert (worth.share_ahead, worth.share_behind, worth.share_acted) == (0.0, 0.0, 0.0)
    assert worth.median_gap == pytest.approx(0.0, abs=1e-9)


def test_medians_give_one_row_per_behaviour_and_step():
    returns = np.random.default_rng(2).normal(0.005, 0.05, size=(30, 12, 2))
    runs = compare_behaviours(returns, [0.6, 0.4], BEHAVIOURS, initial_value=100)
    table = runs.medians()
    assert list(table.columns) == ["step", "behaviour", "wealth", "stock_share",
                                   "mean_stock_share"]
    assert len(table) == 3 * 13
    first = table[table["step"] == 0]
    assert first["wealth"].tolist() == [100.0] * 3
    keep = table[table["behaviour"] == "Keep rebalancing"]
    np.testing.assert_allclose(keep["wealth"], np.median(runs.runs[0].wealth, axis=0))
    sell = table[table["behaviour"] == "Sell after a fall"]
    np.testing.assert_allclose(sell["mean_stock_share"], runs.runs[2].stock_share.mean(axis=0))


def test_a_comparison_needs_behaviours_once_each_and_keep_for_worth():
    returns = np.zeros((1, 12, 2))
    with pytest.raises(ValueError, match="at least one"):
        compare_behaviours(returns, [0.5, 0.5], [])
    with pytest.raises(ValueError, match="once"):
        compare_behaviours(returns, [0.5, 0.5], [SellAfterFall(0.2), SellAfterFall(0.3)])
    runs = compare_behaviours(returns, [0.5, 0.5], [SellAfterFall(0.2)])
    with pytest.raises(ValueError, match="No behaviour called 'Keep rebalancing'"):
        runs.worth("Sell after a fall")

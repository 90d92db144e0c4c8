"""Percentile tables for fan charts, on small hand-made results."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from rebalance_widgets.core import metrics
from rebalance_widgets.core.metrics import percentiles


def two_paths() -> SimpleNamespace:
    # quarterly steps; path 0 wealth 100 110 99 118.8 124.74, path 1 100 90 118 100 105;
    # stock weights 0.6 0.65 0.55 0.6 0.62 and 0.6 0.56 0.6 0.6 0.61; target 60/40
    wealth = np.array([[100.0, 110.0, 99.0, 118.8, 124.74], [100.0, 90.0, 118.0, 100.0, 105.0]])
    stock = np.array([[0.6, 0.65, 0.55, 0.60, 0.62], [0.6, 0.56, 0.60, 0.60, 0.61]])
    return SimpleNamespace(
        wealth=wealth,
        weights=np.stack([stock, 1 - stock], axis=2),
        target=np.tile([0.6, 0.4], (5, 1)),
        assets=("stocks", "bonds"),
        periods_per_year=4,
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ((-1,), "Percentiles must be between 0 and 100; got -1."),
        ((50, 101), "Percentiles must be between 0 and 100; got 101."),
        ((), "Give at least one percentile"),
        ((50, 50), "Each percentile may appear only once."),
    ],
)
def test_percentiles_are_validated(bad, message):
    with pytest.raises(ValueError, match=message):
        percentiles.check_percentiles(bad)
    with pytest.raises(ValueError, match=message):
        metrics.summarise(pd.DataFrame({"terminal_wealth": [1.0, 2.0]}), percentiles=bad)
    with pytest.raises(ValueError, match=message):
        metrics.wealth_percentiles(two_paths(), bad)
    with pytest.raises(ValueError, match=message):
        metrics.weight_percentiles(two_paths(), "stocks", bad)


def test_percentile_names():
    assert percentiles.percentile_name(5) == "p5"
    assert percentiles.percentile_name(97.5) == "p97.5"


def test_wealth_percentiles_long_form():
    tidy = metrics.wealth_percentiles(two_paths(), percentiles=(0, 50, 100))
    assert list(tidy.columns) == ["step", "year", "percentile", "value"]
    assert len(tidy) == 3 * 5
    low = tidy[tidy["percentile"] == 0]
    assert low["value"].tolist() == pytest.approx([100.0, 90.0, 99.0, 100.0, 105.0])
    middle = tidy[tidy["percentile"] == 50]
    assert middle["value"].tolist() == pytest.approx([100.0, 100.0, 108.5, 109.4, 114.87])
    assert middle["year"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert middle["step"].tolist() == [0, 1, 2, 3, 4]


def test_weight_percentiles_for_a_drift_fan():
    tidy = metrics.weight_percentiles(two_paths(), "stocks", percentiles=(0, 100))
    assert list(tidy.columns) == ["step", "year", "percentile", "value", "target"]
    high = tidy[tidy["percentile"] == 100]
    assert high["value"].tolist() == pytest.approx([0.6, 0.65, 0.6, 0.6, 0.62])
    assert (tidy["target"] == 0.6).all()
    by_number = metrics.weight_percentiles(two_paths(), 1, percentiles=(0,))
    assert by_number["value"].tolist() == pytest.approx([0.4, 0.35, 0.4, 0.4, 0.38])
    with pytest.raises(ValueError, match="Unknown asset 'gold'; choose from stocks, bonds"):
        metrics.weight_percentiles(two_paths(), "gold")
    with pytest.raises(ValueError, match="Asset number 2 does not exist"):
        metrics.weight_percentiles(two_paths(), 2)


def test_percentile_tables_match_numpy():
    rng = np.random.default_rng(7)
    wealth = rng.lognormal(size=(37, 9))
    stock = rng.uniform(0.4, 0.8, size=(37, 9))
    run = SimpleNamespace(wealth=wealth, weights=np.stack([stock, 1 - stock], axis=2),
                          target=np.tile([0.6, 0.4], (9, 1)), assets=("stocks", "bonds"),
                          periods_per_year=12)
    picks = (0, 2.5, 33, 50, 97.5, 100)
    tidy = metrics.wealth_percentiles(run, picks)
    expected = np.percentile(wealth, picks, axis=0).ravel()
    np.testing.assert_allclose(tidy["value"], expected, rtol=1e-12)
    fan = metrics.weight_percentiles(run, "stocks", picks)
    expected = np.percentile(run.weights[:, :, 0], picks, axis=0).ravel()
    np.testing.assert_allclose(fan["value"], expected, rtol=1e-12)

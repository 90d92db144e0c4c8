"""Policies: validation, check dates, bands and labels."""

import dataclasses

import numpy as np
import pytest

from rebalance_widgets.core.simulation import policies
from rebalance_widgets.core.simulation.policies import periods_between_checks


@pytest.mark.parametrize(
    ("every", "periods_per_year", "expected"),
    [("monthly", 12, 1), ("quarterly", 12, 3), ("semiannual", 12, 6), ("semi-annual", 12, 6),
     ("annual", 12, 12), ("annual", 26, 26), ("quarterly", 4, 1), ("annual", 1, 1),
     (5, 12, 5), ("Quarterly", 52, 13)],
)
def test_periods_between_checks(every, periods_per_year, expected):
    assert periods_between_checks(every, periods_per_year) == expected


def test_a_frequency_that_does_not_fit_the_periods_says_so():
    with pytest.raises(ValueError, match="26 periods a year"):
        policies.Calendar("quarterly").check_every(26)
    with pytest.raises(ValueError, match="monthly"):
        policies.Threshold(check="monthly").check_every(1)


@pytest.mark.parametrize("every", ["weekly", 0, -3, 2.5, True, None])
def test_calendar_rejects_bad_frequencies(every):
    with pytest.raises(ValueError):
        policies.Calendar(every)


def test_calendar_normalises_its_words():
    assert policies.Calendar("Semi-Annual") == policies.Calendar("semiannual")
    assert policies.Calendar(" QUARTERLY ").every == "quarterly"


def test_policies_are_frozen():
    policy = policies.Threshold(0.05)
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.absolute = 0.1


def test_threshold_bands():
    target = np.array([0.6, 0.1, 0.3])
    np.testing.assert_allclose(policies.Threshold(0.05).band_width(target), [0.05] * 3)
    np.testing.assert_allclose(policies.Threshold(None, 0.25).band_width(target),
                               [0.15, 0.025, 0.075])
    # 5/25: the smaller of 5 points and 25% of the target
    np.testing.assert_allclose(policies.Threshold(0.05, 0.25).band_width(target),
                               [0.05, 0.025, 0.05])
    glide = np.array([[0.8, 0.2], [0.1, 0.9]])
    np.testing.assert_allclose(policies.Threshold(0.05, 0.25).band_width(glide),
                               [[0.05, 0.05], [0.025, 0.05]])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(absolute=None), "needs a band"),
        (dict(absolute=-0.01), "at least 0%"),
        (dict(absolute=1.5), "below 100%"),
        (dict(relative="25%"), "must be a number"),
        (dict(trade_to="halfway"), 'trade_to must be "target" or "band"'),
        (dict(check="hourly"), "check frequency"),
    ],
)
def test_threshold_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        policies.Threshold(**kwargs)


def test_what_the_engine_asks_each_policy():
    assert policies.Never().check_every(12) is None
    assert policies.Never().band_width(np.array([1.0])) is None
    assert policies.Calendar("annual").band_width(np.array([1.0])) is None
    assert policies.Threshold(0.05, check="quarterly").check_every(12) == 3
    assert policies.Threshold(trade_to="band").trade_to == "band"
    assert policies.Calendar().trade_to == "target"
    flows_only = policies.CashFlow()
    assert flows_only.check_every(12) is None and flows_only.flows_to == "underweight"
    with_band = policies.CashFlow(policies.Threshold(0.1, check="annual", trade_to="band"))
    assert with_band.check_every(12) == 12 and with_band.trade_to == "band"
    np.testing.assert_allclose(with_band.band_width(np.array([0.5, 0.5])), [0.1, 0.1])
    assert policies.Never().flows_to is None


def test_cash_flow_band_must_be_a_threshold():
    with pytest.raises(ValueError, match="must be a Threshold"):
        policies.CashFlow(band=0.05)


def test_labels_for_charts():
    assert policies.Never().label == "Never rebalance"
    assert policies.Calendar("quarterly").label == "Quarterly"
    assert policies.Calendar("semiannual").label == "Twice a year"
    assert policies.Calendar(3).label == "Every 3 periods"
    assert policies.Threshold(0.05, 0.25).label == "5/25 band"
    assert policies.Threshold(0.05).label == "5-point band"
    assert policies.Threshold(None, 0.2).label == "20% relative band"
    assert policies.Threshold(0.05, trade_to="band").label == "5-point band (to edge)"
    assert policies.CashFlow().label == "Cash flows only"
    assert policies.CashFlow(policies.Threshold(0.1)).label == "Cash flows + 10-point band"

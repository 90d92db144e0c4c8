"""A 401(k), a Roth and a taxable account on one footing, checked by hand."""

import numpy as np
import pytest

from rebalance_widgets.core.simulation import policies
from rebalance_widgets.core.simulation.footing import compare_accounts, explain_accounts


def test_one_year_by_hand():
    # $1,000 of pay, one asset growing 1% a month for 12 months (12.68% a year), of which
    # 2.4% a year is dividends taxed at 15%; gains taxed at 15%; 22% now, 12% later.
    returns = np.full((1, 12, 1), 0.01)
    out = compare_accounts(returns, [1.0], policies.Never(), initial_pay=1_000.0,
                           income_yield={"stocks": 0.024}, assets=("stocks",))
    grown = 1_000 * 1.01**12
    assert out.after_tax["401k"][0] == pytest.approx(grown * 0.88, rel=1e-12)
    assert out.after_tax["roth"][0] == pytest.approx(grown * 0.78, rel=1e-12)
    # Taxable: 780 in; each month the value grows by 1.01 - 0.15 x 0.002 = 1.0097 and the
    # basis by 0.002 x 0.85 of the value at the start of the month.
    value, basis = 780.0, 780.0
    for _ in range(12):
        basis += 0.002 * 0.85 * value
        value *= 1.0097
    expected = value - 0.15 * (value - basis)
    assert out.after_tax["taxable"][0] == pytest.approx(expected, rel=1e-12)
    assert out.after_tax["taxable"][0] < out.after_tax["roth"][0] < out.after_tax["401k"][0]
    assert out.put_in == {"401k": 1.0, "roth": pytest.approx(0.78), "taxable": pytest.approx(0.78)}


def test_equal_rates_make_the_roth_and_the_401k_equal_and_no_tax_makes_taxable_equal():
    rng = np.random.default_rng(3)
    returns = rng.normal(0.006, 0.04, (20, 60, 2))
    out = compare_accounts(returns, [0.6, 0.4], initial_pay=10_000, pay_each_period=500,
                           tax_now=0.24, tax_in_retirement=0.24, gains_tax=0.0,
                           dividend_tax=0.0, cost_rate=0.001, expense_ratio=0.003)
    np.testing.assert_allclose(out.after_tax["401k"], out.after_tax["roth"], rtol=1e-12)
    np.testing.assert_allclose(out.after_tax["taxable"], out.after_tax["roth"], rtol=1e-12)
    assert explain_accounts({k: float(np.median(v)) for k, v in out.after_tax.items()},
                            0.24, 0.24).startswith("The 401(k) and the Roth come out the same")


def test_higher_retirement_rate_favours_the_roth_and_taxes_make_taxable_trail():
    rng = np.random.default_rng(4)
    returns = rng.normal(0.006, 0.04, (30, 120, 2))
    out = compare_accounts(returns, [0.6, 0.4], initial_pay=10_000, pay_each_period=500,
                           tax_now=0.12, tax_in_retirement=0.22,
                           income_yield={"a0": 0.02, "a1": 0.03}, assets=("a0", "a1"))
    middle = {key: float(np.median(value)) for key, value in out.after_tax.items()}
    assert middle["roth"] > middle["401k"]
    assert (out.after_tax["taxable"] < out.after_tax["roth"]).all()
    text = explain_accounts(middle, 0.12, 0.22)
    assert text.startswith("The Roth comes out ahead of the 401(k) because its tax (12% now)")
    assert "The taxable account" in text and "so it trails" in text


def test_bad_rates_are_refused():
    with pytest.raises(ValueError, match="income tax rate now"):
        compare_accounts(np.zeros((1, 2, 1)), [1.0], initial_pay=1.0, tax_now=1.5)

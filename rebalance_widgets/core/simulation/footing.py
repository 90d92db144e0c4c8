"""A 401(k), a Roth and a taxable account on one footing: the same pay before tax goes in.

The three accounts are compared on what the saver can spend at the end, after every tax:

- **401(k)** (tax-deferred): the whole pay goes in, since it is deducted from taxable pay;
  trades inside are never taxed; the balance is taxed at the retirement rate when it comes
  out: ``W x (1 - tax_in_retirement)``.
- **Roth 401(k)**: the pay is taxed first, so ``1 - tax_now`` of it goes in; nothing is
  taxed after. The engine scales with the money put in (costs, fees and rules are all in
  proportion), so the Roth ends with ``(1 - tax_now) x W``.
- **Taxable account**: the pay is taxed first, like the Roth's; then dividends and interest
  are taxed every year (``dividend_tax``), gains realised by rebalancing are taxed when
  they happen (``gains_tax``), and what is left is taxed as if everything were sold at the
  end (see :class:`~rebalance_widgets.core.planning.accounts.Taxable`).

So the Roth and the 401(k) come out the same when the tax rate now equals the rate in
retirement; the 401(k) comes out ahead when retirement's is lower, the Roth when it is
higher. The taxable account starts where the Roth does and then pays tax along the way, so
it trails the Roth whenever any of its taxes is above 0.

Default rates (2025 federal figures, IRS Rev. Proc. 2024-40, single filer): 22% now (the
bracket for taxable income $48,476 to $103,350), 12% in retirement (the bracket up to
$48,475), 15% on long-term gains and qualified dividends (taxable income $48,351 to
$533,400).

Left out: state taxes, progressive brackets (one rate stands for each), bond interest taxed
at the income rate rather than ``dividend_tax``, contribution limits (the same pay could
not always go into each), Social Security's taxation, required minimum distributions, the
step-up in basis at death, and the employer match (it goes into a 401(k) either way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from rebalance_widgets.core._checks import check_fraction
from rebalance_widgets.core.planning.accounts import Taxable, TaxDeferred
from rebalance_widgets.core.simulation.engine import simulate
from rebalance_widgets.core.simulation.policies import Calendar, Policy
from rebalance_widgets.core.simulation.result import SimulationResult

__all__ = ["ACCOUNTS", "TAX_IN_RETIREMENT", "TAX_NOW", "AccountComparison", "compare_accounts",
           "explain_accounts"]

TAX_NOW = 0.22
"""Default income tax rate while saving: the 2025 22% bracket (IRS Rev. Proc. 2024-40)."""
TAX_IN_RETIREMENT = 0.12
"""Default income tax rate in retirement: the 2025 12% bracket (IRS Rev. Proc. 2024-40)."""
ACCOUNTS = ("401k", "roth", "taxable")
"""The accounts compared, by key."""


@dataclass(frozen=True)
class AccountComparison:
    """What the same pay before tax becomes in each account.

    Attributes
    ----------
    after_tax : dict of str to numpy.ndarray
        Account key (``"401k"``, ``"roth"``, ``"taxable"``) -> (P,) dollars the saver can
        spend at the end, after every tax.
    deferred, taxable : SimulationResult
        The simulations of the 401(k) (the Roth is the same money scaled by
        ``1 - tax_now``) and of the taxable account.
    put_in : dict of str to float
        Account key -> dollars put in at the start, per dollar of pay before tax.
    """

    after_tax: dict[str, np.ndarray]
    deferred: SimulationResult
    taxable: SimulationResult
    put_in: dict[str, float]


def compare_accounts(
    returns: Any,
    target: Any,
    policy: Policy | None = None,
    *,
    initial_pay: float = 0.0,
    pay_each_period: float = 0.0,
    tax_now: float = TAX_NOW,
    tax_in_retirement: float = TAX_IN_RETIREMENT,
    gains_tax: float = 0.15,
    dividend_tax: float = 0.15,
    income_yield: Mapping[str, float] | None = None,
    **simulate_kwargs: Any,
) -> AccountComparison:
    """Put the same pay before tax into a 401(k), a Roth and a taxable account.

    Parameters
    ----------
    returns, target
        As for :func:`~rebalance_widgets.core.simulation.engine.simulate`.
    policy : Policy, optional
        The rebalancing rule (default: once a year).
    initial_pay, pay_each_period : float
        Pay before tax put in at the start and at the end of every period, dollars.
    tax_now, tax_in_retirement : float
        Income tax rates while saving and when the 401(k) money comes out (fractions).
    gains_tax, dividend_tax : float
        The taxable account's rates on realised gains and on dividends and interest.
    income_yield : mapping, optional
        Asset -> yearly dividend or interest yield; without it no income is taxed.
    **simulate_kwargs
        ``cost_rate``, ``expense_ratio``, ``periods_per_year``, ``assets`` ... passed on.

    Returns
    -------
    AccountComparison
        After-tax spendable dollars of each account on every path, and the simulations.

    Raises
    ------
    ValueError
        For a rate outside 0 to 1, or any input ``simulate`` refuses.

    Examples
    --------
    Flat markets, $100 of pay, 22% now and 12% later, no income:

    >>> out = compare_accounts(np.zeros((1, 12, 1)), [1.0], initial_pay=100.0)
    >>> {key: round(float(value[0]), 2) for key, value in out.after_tax.items()}
    {'401k': 88.0, 'roth': 78.0, 'taxable': 78.0}
    """
    tax_now = check_fraction(tax_now, "The income tax rate now")
    tax_in_retirement = check_fraction(tax_in_retirement, "The income tax rate in retirement")
    policy = Calendar("annual") if policy is None else policy
    flows = pay_each_period if pay_each_period else None
    deferred = simulate(returns, target, policy, initial_value=initial_pay, cash_flows=flows,
                        account=TaxDeferred(income_tax=tax_in_retirement), **simulate_kwargs)
    kept = 1.0 - tax_now
    taxed_flows = None if flows is None else flows * kept
    account = Taxable(tax_rate=gains_tax, dividend_tax=dividend_tax,
                      income_yield=dict(income_yield or {}))
    taxable = simulate(returns, target, policy, initial_value=initial_pay * kept,
                       cash_flows=taxed_flows, account=account, **simulate_kwargs)
    after_tax = {
        "401k": deferred.after_tax_wealth,
        "roth": deferred.wealth[:, -1] * kept,
        "taxable": taxable.after_tax_wealth,
    }
    return AccountComparison(after_tax, deferred, taxable,
                             {"401k": 1.0, "roth": kept, "taxable": kept})


def explain_accounts(middle: Mapping[str, float], tax_now: float,
                     tax_in_retirement: float) -> str:
    """Say in plain words which account came out ahead, and why.

    Parameters
    ----------
    middle : mapping
        Account key -> the median after-tax dollars.
    tax_now, tax_in_retirement : float
        The income tax rates used.

    Returns
    -------
    str
        Two sentences.

    Examples
    --------
    >>> explain_accounts({"401k": 88.0, "roth": 78.0, "taxable": 70.0}, 0.22, 0.12)[:44]
    'The 401(k) comes out ahead of the Roth becau'
    """
    now, later = f"{tax_now * 100:g}%", f"{tax_in_retirement * 100:g}%"
    if abs(tax_now - tax_in_retirement) < 1e-12:
        first = (f"The 401(k) and the Roth come out the same: the same {now} tax is paid, "
                 "only at a different time, on the same growth.")
    elif tax_in_retirement < tax_now:
        first = (f"The 401(k) comes out ahead of the Roth because its tax ({later} in "
                 f"retirement) is lower than the Roth's ({now} now).")
    else:
        first = (f"The Roth comes out ahead of the 401(k) because its tax ({now} now) is "
                 f"lower than the 401(k)'s ({later} in retirement).")
    if middle["taxable"] < middle["roth"] - 0.005:
        second = (" The taxable account starts with the same taxed pay as the Roth but also "
                  "pays tax every year on dividends and interest and on gains it sells, so "
                  "it trails.")
    else:
        second = (" With no tax on its income or gains, the taxable account keeps up with "
                  "the Roth.")
    return first + second

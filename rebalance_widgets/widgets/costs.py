"""CostsAndTaxes: what trading costs, fund fees and taxes take over the years.

Set the trading cost, the fund's expense ratio and the tax rates, pick a rebalancing rule,
and see (1) the dollars paid so far in the chosen account type, year by year, and (2) what
the saver can spend at the end, after every tax, in a 401(k), a Roth 401(k) and a taxable
account, side by side, on the same simulated futures.

The three accounts stand on one footing
(:func:`rebalance_widgets.core.simulation.footing.compare_accounts`): the same pay before
tax goes in; all of it reaches the 401(k), which is taxed at the retirement rate when the
money comes out; the Roth and the taxable account get the pay less today's income tax; the
taxable account also pays tax every year on dividends and interest (income yields from the
end of the embedded data, :func:`rebalance_widgets.core.markets.income_yields`) and on the
gains it sells.

Examples
--------
>>> from rebalance_widgets import CostsAndTaxes   # doctest: +SKIP
>>> CostsAndTaxes()                                # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from rebalance_widgets.charts.costs import after_tax_wealth_chart, cumulative_costs_chart
from rebalance_widgets.core.markets import income_yields
from rebalance_widgets.core.simulation import policies
from rebalance_widgets.core.simulation.footing import (
    TAX_IN_RETIREMENT,
    TAX_NOW,
    compare_accounts,
    explain_accounts,
)
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.controls import percent_slider
from rebalance_widgets.widgets.parts.dollars import TodaysDollars, deflator
from rebalance_widgets.widgets.parts.rule_builder import RuleBuilder
from rebalance_widgets.widgets.parts.simulated import (
    POLICY_CHOICES,
    MixWidget,
    model_inflation,
    model_picker,
    return_model,
    target_weights,
)

__all__ = ["ACCOUNT_NAMES", "CostsAndTaxes"]

ACCOUNT_NAMES = {"401k": "401(k)", "roth": "Roth 401(k)", "taxable": "Taxable account"}
"""Account types shown, by key, with the name a learner sees."""

_IN_ACCOUNT = {"401k": "a 401(k)", "roth": "a Roth 401(k)", "taxable": "a taxable account"}
COST_KINDS = (("costs", "Trading costs"), ("fees", "Fund fees"), ("taxes", "Taxes on gains"),
              ("income_taxes", "Taxes on dividends and interest"))
WEALTH_PERCENTILES = (10, 50, 90)


def _paid_by_year(charges: np.ndarray, periods_per_year: int = base.PERIODS_PER_YEAR
                  ) -> np.ndarray:
    """Dollars paid so far at every whole year, (years + 1, P), from (P, T+1) charges.

    Steps run down the first axis of the transpose, which the engine stores contiguous;
    each year's months are added up first, then the years one after another.
    """
    steps = np.asarray(charges).T
    years, extra = divmod(steps.shape[0] - 1, periods_per_year)
    if extra:
        return np.cumsum(steps, axis=0)[::periods_per_year]
    paid = np.empty((years + 1, steps.shape[1]))
    paid[0] = steps[0]
    by_year = steps[1:].reshape(years, periods_per_year, -1).sum(axis=1)
    for year in range(years):
        np.add(paid[year], by_year[year], out=paid[year + 1])
    return paid


def _charges(result: Any, attribute: str) -> np.ndarray:
    """(P, T+1) dollars of one kind of charge; ``taxes`` here are those on gains only."""
    income = result.income_taxes
    if attribute == "income_taxes":
        return np.zeros_like(result.wealth) if income is None else income
    charges = getattr(result, attribute)
    return charges - income if attribute == "taxes" and income is not None else charges


def _median_paid_by_year(result: Any, scale: float = 1.0,
                         factors: np.ndarray | None = None) -> pd.DataFrame:
    """Median dollars paid so far of each kind, at every whole year (long table).

    ``factors`` (one per step, shape (T+1,)) turn each step's dollars into today's dollars
    before they are added up.
    """
    frames = []
    for attribute, kind in COST_KINDS:
        charges = _charges(result, attribute)
        if factors is not None:
            charges = charges * factors
        middle = np.median(_paid_by_year(charges), axis=1) * scale
        frames.append(pd.DataFrame({"year": np.arange(len(middle), dtype=float),
                                    "kind": kind, "value": middle}))
    return pd.concat(frames, ignore_index=True)


class CostsAndTaxes(MixWidget):
    """See what trading costs, fund fees and taxes take, account by account.

    Traits: ``target`` (the mix), ``policy``, ``cost_rate`` (per dollar traded),
    ``expense_ratio`` (a year), ``gains_tax`` and ``dividend_tax`` (taxable account),
    ``tax_now`` (income tax on pay today), ``income_tax`` (income tax in retirement, on
    401(k) withdrawals), ``account`` (key of :data:`ACCOUNT_NAMES` whose costs are drawn),
    ``initial_value``, ``contribution`` (each month), ``todays_dollars`` and ``model``;
    years, futures and seed live on ``settings``.

    Parameters
    ----------
    target : float or mapping, default 0.6
        Starting mix, or its stock share with the rest in bonds.
    policy : Policy, default annual rebalancing
        Rebalancing rule.
    cost_rate, expense_ratio, gains_tax, income_tax : float
        Charges as fractions (0.001 = 0.1%); ``income_tax`` is the rate in retirement.
    tax_now, dividend_tax : float
        Income tax on pay today; tax on dividends and interest in the taxable account.
    account : str, default "taxable"
        Account whose costs the first chart shows.
    initial_value, contribution : float
        Pay before tax put in at the start and each month, dollars.
    todays_dollars : bool, default False
        Show dollars at today's prices (each charge deflated from the day it is paid).
    model : str, default "historical"
        Return-model preset.
    years, n_paths, seed : int
        Simulation settings (capped).

    Examples
    --------
    >>> costs = CostsAndTaxes(n_paths=50, years=5)   # doctest: +SKIP
    >>> costs.expense_slider.value = 0.01            # doctest: +SKIP
    """

    policy = traitlets.Instance(policies.Policy)
    cost_rate = traitlets.Float(0.001)
    expense_ratio = traitlets.Float(0.005)
    gains_tax = traitlets.Float(0.15)
    income_tax = traitlets.Float(TAX_IN_RETIREMENT)
    tax_now = traitlets.Float(TAX_NOW)
    dividend_tax = traitlets.Float(0.15)
    account = traitlets.Enum(tuple(ACCOUNT_NAMES), "taxable")
    initial_value = traitlets.Float(100_000.0)
    contribution = traitlets.Float(500.0)
    todays_dollars = traitlets.Bool(False)
    model = traitlets.Unicode("historical")

    @traitlets.validate("cost_rate", "expense_ratio", "gains_tax", "income_tax", "tax_now",
                        "dividend_tax")
    def _valid_rate(self, proposal: dict[str, Any]) -> float:
        """Refuse a rate that is not a number from 0 up to (not including) 100%."""
        value = proposal["value"]
        if not math.isfinite(value) or not 0 <= value < 1:
            name = proposal["trait"].name.replace("_", " ")
            raise traitlets.TraitError(
                f"The {name} must be a rate from 0 up to 1 (100%); got {value!r}.")
        return float(value)

    def __init__(
        self,
        *,
        target: float | Mapping[str, float] = 0.6,
        policy: policies.Policy | None = None,
        cost_rate: float = base.DEFAULT_COST_RATE,
        expense_ratio: float = base.DEFAULT_EXPENSE_RATIO,
        gains_tax: float = 0.15,
        income_tax: float = TAX_IN_RETIREMENT,
        tax_now: float = TAX_NOW,
        dividend_tax: float = 0.15,
        account: str = "taxable",
        initial_value: float = 100_000.0,
        contribution: float = 500.0,
        todays_dollars: bool = False,
        model: str = base.DEFAULT_MODEL,
        years: int = base.DEFAULT_YEARS,
        n_paths: int = base.DEFAULT_PATHS,
        seed: int = base.DEFAULT_SEED,
        **kwargs: Any,
    ) -> None:
        super().__init__(target=target, **kwargs)
        policy = policies.Calendar("annual") if policy is None else policy
        choices = list(POLICY_CHOICES) + ([] if policy in POLICY_CHOICES else [policy])
        self.policy_dropdown = widgets.Dropdown(
            options=[(choice.label, choice) for choice in choices], value=policy,
            description="Rebalancing", tooltip="When to trade back to the target",
            style={"description_width": "initial"},
        )
        self.cost_slider = percent_slider(
            cost_rate, 0.02, 0.0005, "Trading cost",
            "Cost of each trade, as a share of the dollars bought or sold",
            decimals=2, width="440px",
        )
        self.expense_slider = percent_slider(
            expense_ratio, 0.02, 0.0005, "Fund expense ratio",
            "Yearly fee of the funds, as a share of the balance",
            decimals=2, width="440px",
        )
        self.gains_tax_slider = percent_slider(
            gains_tax, 0.5, 0.01, "Tax on gains (taxable)",
            "Tax on the gain when you sell at a profit in a taxable account",
            decimals=2, width="440px",
        )
        self.income_tax_slider = percent_slider(
            income_tax, 0.5, 0.01, "Income tax in retirement (401(k))",
            "Tax on 401(k) money when it comes out (default: the 2025 12% bracket)",
            decimals=2, width="440px",
        )
        self.tax_now_slider = percent_slider(
            tax_now, 0.5, 0.01, "Income tax now (Roth, taxable)",
            "Tax on pay today, paid before money goes into a Roth or a taxable account "
            "(default: the 2025 22% bracket)",
            decimals=2, width="440px",
        )
        self.dividend_tax_slider = percent_slider(
            dividend_tax, 0.5, 0.01, "Tax on dividends and interest (taxable)",
            "Yearly tax on the income a taxable account's funds pay out (default: 15%, "
            "the rate on qualified dividends for most savers)",
            decimals=2, width="440px",
        )
        self.account_buttons = widgets.ToggleButtons(
            options=[(name, key) for key, name in ACCOUNT_NAMES.items()], value=account,
            description="Costs in", tooltips=list(ACCOUNT_NAMES.values()),
            style={"description_width": "initial"},
        )
        self.initial_box = base.text_box(
            "Starting balance ($)", f"{initial_value:,.0f}",
            "Pay before tax put in at the start (the Roth and taxable accounts get it less "
            "today's income tax)",
        )
        self.contribution_box = base.text_box(
            "Added each month ($)", f"{contribution:,.0f}",
            "Pay before tax added at the end of every month (0 for none)",
        )
        self.model_dropdown, self.model_caption = model_picker(model)
        self.settings = base.SimulationSettings(
            self.message, years=years, n_paths=n_paths, seed=seed
        )
        self.dollars_box = TodaysDollars(todays_dollars)
        self.costs_panel = base.ChartPanel()
        self.wealth_panel = base.ChartPanel()
        self._results: tuple[tuple, dict[str, Any]] | None = None
        self.rule_builder = RuleBuilder(self.message)
        self.rule_builder.feed_menu(self.policy_dropdown)
        self.children = [
            widgets.HBox([self.target_slider, self.policy_dropdown, self.model_dropdown]),
            self.rule_builder,
            self.model_caption,
            widgets.HBox([self.cost_slider, self.expense_slider]),
            widgets.HBox([self.tax_now_slider, self.income_tax_slider]),
            widgets.HBox([self.gains_tax_slider, self.dividend_tax_slider]),
            widgets.HBox([self.initial_box, self.contribution_box]),
            self.settings,
            self.message,
            self.progress,
            widgets.HBox([self.account_buttons, self.dollars_box]),
            self.costs_panel,
            self.wealth_panel,
        ]
        with self.hold_trait_notifications():
            self.policy, self.model, self.account = policy, model, account
            self.cost_rate, self.expense_ratio = cost_rate, expense_ratio
            self.gains_tax, self.income_tax = gains_tax, income_tax
            self.tax_now, self.dividend_tax = tax_now, dividend_tax
            self.initial_value, self.contribution = initial_value, contribution
            self.todays_dollars = todays_dollars
        for control, name in (
            (self.policy_dropdown, "policy"),
            (self.cost_slider, "cost_rate"), (self.expense_slider, "expense_ratio"),
            (self.gains_tax_slider, "gains_tax"), (self.income_tax_slider, "income_tax"),
            (self.tax_now_slider, "tax_now"), (self.dividend_tax_slider, "dividend_tax"),
            (self.account_buttons, "account"), (self.model_dropdown, "model"),
            (self.dollars_box, "todays_dollars"),
        ):
            traitlets.link((control, "value"), (self, name))
        self.initial_box.observe(self._on_initial, names="value")
        self.contribution_box.observe(self._on_contribution, names="value")
        self.observe(self.refresh, names=[
            "target", "policy", "cost_rate", "expense_ratio", "gains_tax", "income_tax",
            "tax_now", "dividend_tax", "account", "initial_value", "contribution", "model",
            "todays_dollars",
        ])
        self.settings.observe(self.refresh, names=["years", "n_paths", "seed"])
        self.refresh()

    @base.guarded
    def _on_initial(self, change: dict[str, Any]) -> None:
        self.initial_value = base.parse_amount(self.initial_box.value, name="Starting balance")

    @base.guarded
    def _on_contribution(self, change: dict[str, Any]) -> None:
        self.contribution = base.parse_amount(
            self.contribution_box.value, name="Added each month", maximum=1_000_000.0
        )

    def _simulate(self) -> dict[str, Any]:
        """Run the 401(k)/Roth and the taxable simulations, or reuse them.

        Only a change of the account shown reuses them.
        """
        settings = self.settings
        model = return_model(self.model)
        periods = settings.years * base.PERIODS_PER_YEAR
        returns = settings.draws(model, periods, self.progress)
        key = (self.model, settings.seed, settings.n_paths, periods,
               tuple(self.target.items()), self.policy,
               self.cost_rate, self.expense_ratio, self.gains_tax, self.income_tax,
               self.tax_now, self.dividend_tax, self.initial_value, self.contribution,
               self.todays_dollars)
        if self._results is not None and self._results[0] == key:
            return self._results[1]
        if self.initial_value <= 0 and self.contribution <= 0:
            raise ValueError("Put some money in: a starting balance or a monthly amount.")
        assets = tuple(model.assets)
        held = {"cash" if str(name).lower() == "bills" else str(name).lower() for name in assets}
        yields = {name: value for name, value in income_yields().items() if name in held}
        out = compare_accounts(
            returns, target_weights(self.target, assets), self.policy,
            initial_pay=self.initial_value, pay_each_period=self.contribution,
            tax_now=self.tax_now, tax_in_retirement=self.income_tax,
            gains_tax=self.gains_tax, dividend_tax=self.dividend_tax, income_yield=yields,
            cost_rate=self.cost_rate, expense_ratio=self.expense_ratio,
            periods_per_year=base.PERIODS_PER_YEAR, assets=assets,
        )
        # Keep only what the charts need: a result of 1,000 futures holds tens of megabytes.
        # The Roth holds the 401(k)'s money times 1 - tax now, so its charges are scaled.
        inflation = model_inflation(self.model)
        factors = deflator(inflation, np.arange(periods + 1) / base.PERIODS_PER_YEAR)
        by_step = factors if self.todays_dollars else None  # the other way on a switch
        results = {
            "401k": _median_paid_by_year(out.deferred, factors=by_step),
            "roth": _median_paid_by_year(out.deferred, out.put_in["roth"], by_step),
            "taxable": _median_paid_by_year(out.taxable, factors=by_step),
            "after_tax": out.after_tax,
        }
        results["end_factor"] = float(factors[-1])
        results["inflation"] = inflation
        self._results = (key, results)
        return results

    @base.guarded
    def refresh(self, change: dict[str, Any] | None = None) -> None:
        """Simulate (if an input changed) and redraw both charts."""
        results = self._simulate()
        today = self.todays_dollars
        paid = results[self.account]
        factor = results["end_factor"] if today else 1.0
        wealth = pd.concat(
            [
                pd.DataFrame({"account": ACCOUNT_NAMES[key], "percentile": WEALTH_PERCENTILES,
                              "value": np.percentile(values, WEALTH_PERCENTILES) * factor})
                for key, values in results["after_tax"].items()
            ],
            ignore_index=True,
        )
        costs_chart = cumulative_costs_chart(paid)
        wealth_chart = after_tax_wealth_chart(wealth)
        dollars = self.dollars_box.words(results["inflation"])
        costs_sentence = self._costs_sentence(paid)[:-1] + f", {dollars}."
        wealth_sentence = self._wealth_sentence(wealth, dollars)
        self.costs_panel.update(costs_chart, costs_sentence)
        self.wealth_panel.update(wealth_chart, wealth_sentence)

    def _costs_sentence(self, paid: pd.DataFrame) -> str:
        last = paid[paid["year"] == paid["year"].max()]
        years = int(round(float(last["year"].iloc[0])))
        amounts = {kind: float(value) for kind, value in zip(last["kind"], last["value"],
                                                              strict=True)}
        parts = [f"{kind.lower()} {base.money(amounts[kind])}" for _, kind in COST_KINDS]
        return (
            f"Over {years} years in {_IN_ACCOUNT[self.account]}, the median future paid "
            f"{', '.join(parts[:-1])} and {parts[-1]}."
        )

    def _wealth_sentence(self, wealth: pd.DataFrame, dollars: str) -> str:
        middle = wealth[wealth["percentile"] == 50].set_index("account")["value"]
        parts = [f"{base.money(float(middle[name]))} in {_IN_ACCOUNT[key]}"
                 for key, name in ACCOUNT_NAMES.items()]
        why = explain_accounts({key: float(middle[name]) for key, name in ACCOUNT_NAMES.items()},
                               self.tax_now, self.income_tax)
        return (
            f"From the same pay before tax, the median future leaves {parts[0]}, {parts[1]} "
            f"and {parts[2]} to spend after every tax, {dollars}. {why}"
        )

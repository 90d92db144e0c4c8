"""A slow, plain reference for the simulation engine: one path, one asset at a time.

It follows the timeline of ``rebalance_widgets.core.simulation.engine`` in the simplest words, with
lists of floats and no numpy arithmetic, so that it is easy to check by reading. The
vectorised engine must give the same numbers.
"""

from __future__ import annotations

import math

import numpy as np

from rebalance_widgets.core.simulation import policies as policy_module

TRADE_TOLERANCE = 1e-12


def band_of(policy, target):
    """Band of every asset for a Threshold, or None when the policy trades on any drift."""
    if isinstance(policy, policy_module.CashFlow):
        policy = policy.band
    if not isinstance(policy, policy_module.Threshold):
        return None
    bands = []
    for weight in target:
        choices = []
        if policy.absolute is not None:
            choices.append(policy.absolute)
        if policy.relative is not None:
            choices.append(policy.relative * weight)
        bands.append(min(choices))
    return bands


def pour(gaps, amount):
    """Pour ``amount`` into the deepest gaps first, like water levelling out.

    The level starts at the largest gap and goes down; each time it reaches the next gap,
    that asset starts sharing the money too. Returns what each asset gets.
    """
    order = sorted(range(len(gaps)), key=lambda i: -gaps[i])
    level = gaps[order[0]]
    left = amount
    filled = 1
    while True:
        next_level = gaps[order[filled]] if filled < len(gaps) else -math.inf
        needed = filled * (level - next_level)
        if needed >= left:
            level -= left / filled
            break
        left -= needed
        level = next_level
        filled += 1
    return [max(gap - level, 0.0) for gap in gaps]


def simulate_path(returns, targets, policy, initial_value, cost_rate, periods_per_year,
                  flows, underweight, tax_rate, expense_ratio, dividend_tax=0.0,
                  income_yield=None):
    """Run one path. ``returns``: list of periods, each a list of asset returns.

    ``income_yield``: each asset's yearly dividend or interest yield, taxed at
    ``dividend_tax`` in the period it is paid; the rest is reinvested at cost.
    """
    periods = len(returns)
    assets = len(targets[0])
    every = policy.check_every(periods_per_year)
    to_band = policy.trade_to == "band"
    keep_after_fee = (1.0 - expense_ratio) ** (1.0 / periods_per_year)

    holding = [initial_value * weight for weight in targets[0]]
    basis = list(holding)
    record = {name: [0.0] for name in ("buys", "sells", "costs", "taxes", "fees", "flows")}
    record["wealth"] = [float(initial_value)]
    record["weights"] = [list(targets[0])]
    record["rebalanced"] = [False]

    for t in range(1, periods + 1):
        target = targets[t]
        bought = 0.0
        sold = 0.0
        gain = 0.0

        def sell(i, amount):
            nonlocal sold, gain
            if amount == 0:
                return
            share_of_basis = basis[i] / holding[i]
            gain += amount * (1.0 - share_of_basis)
            basis[i] -= amount * share_of_basis
            holding[i] -= amount
            sold += amount

        def buy(i, amount):
            nonlocal bought
            holding[i] += amount
            basis[i] += amount
            bought += amount

        # 1. income paid on the start-of-period holding, taxed, the rest reinvested at cost;
        # growth, then the fund fee
        returns_now = list(returns[t - 1])
        income_tax = 0.0
        if income_yield is not None:
            for i in range(assets):
                income = holding[i] * income_yield[i] / periods_per_year
                taxed_return = max(returns_now[i] - dividend_tax * income_yield[i]
                                   / periods_per_year, -1.0)
                tax_here = holding[i] * (returns_now[i] - taxed_return)
                income_tax += tax_here
                basis[i] += income - tax_here
                returns_now[i] = taxed_return
        grown = [holding[i] * (1.0 + returns_now[i]) for i in range(assets)]
        fee = sum(grown) * (1.0 - keep_after_fee)
        holding[:] = [value * keep_after_fee for value in grown]

        # 2. the cash flow
        flow = flows[t - 1]
        wealth = sum(holding)
        actual_flow = 0.0
        if flow > 0:
            if underweight:
                shortfalls = [target[i] * (wealth + flow) - holding[i] for i in range(assets)]
                purchases = pour(shortfalls, flow)
            else:
                purchases = [flow * target[i] for i in range(assets)]
            for i in range(assets):
                buy(i, purchases[i])
            actual_flow = flow
        elif flow < 0:
            take = min(-flow, wealth)
            if -flow >= wealth:
                sales = list(holding)
            elif underweight:
                excesses = [holding[i] - target[i] * (wealth - take) for i in range(assets)]
                sales = pour(excesses, take)
            else:
                sales = [holding[i] * take / wealth for i in range(assets)]
            for i in range(assets):
                sell(i, sales[i])
            if -flow >= wealth:
                holding[:] = [0.0] * assets
                basis[:] = [0.0] * assets
            actual_flow = -take

        # 3. the policy, on its check dates
        traded_by_policy = False
        wealth = sum(holding)
        if every is not None and t % every == 0 and wealth > 0:
            weights = [holding[i] / wealth for i in range(assets)]
            bands = band_of(policy, target)
            if bands is None:
                breached = True
            else:
                breached = any(abs(weights[i] - target[i]) > bands[i] for i in range(assets))
            if breached:
                if to_band:
                    k = 1.0
                    for i in range(assets):
                        drift = abs(weights[i] - target[i])
                        if drift > 0:
                            k = min(k, bands[i] / drift)
                    new_weights = [target[i] + k * (weights[i] - target[i])
                                   for i in range(assets)]
                else:
                    new_weights = list(target)
                trades = [new_weights[i] * wealth - holding[i] for i in range(assets)]
                if sum(abs(trade) for trade in trades) > TRADE_TOLERANCE * wealth:
                    traded_by_policy = True
                    for i in range(assets):
                        if trades[i] < 0:
                            sell(i, -trades[i])
                    for i in range(assets):
                        if trades[i] > 0:
                            buy(i, trades[i])

        # 4. cost and tax, out of the portfolio pro-rata
        wealth = sum(holding)
        cost = min(cost_rate * (bought + sold), wealth)
        tax = min(tax_rate * max(gain, 0.0), wealth - cost)
        if wealth > 0:
            keep = (wealth - cost - tax) / wealth
            holding[:] = [value * keep for value in holding]
            basis[:] = [value * keep for value in basis]

        # 5. record
        wealth = sum(holding)
        weights = [value / wealth for value in holding] if wealth > 0 else list(target)
        record["wealth"].append(wealth)
        record["weights"].append(weights)
        record["rebalanced"].append(traded_by_policy)
        record["buys"].append(bought)
        record["sells"].append(sold)
        record["costs"].append(cost)
        record["taxes"].append(tax + income_tax)
        record["fees"].append(fee)
        record["flows"].append(actual_flow)
    record["gain_left"] = sum(holding) - sum(basis)
    return record


def reference_simulate(returns, target, policy, *, initial_value=1.0, cost_rate=0.0,
                       periods_per_year=12, cash_flows=None, flows_to="target",
                       tax_rate=0.0, expense_ratio=0.0, dividend_tax=0.0, income_yield=None):
    """Run every path through :func:`simulate_path`; returns a dict of numpy arrays.

    ``tax_rate`` > 0 stands for a taxable account; ``after_tax_wealth`` is then the wealth
    minus tax on the gain left if everything were sold.
    """
    returns = np.asarray(returns, dtype=float)
    if returns.ndim == 2:
        returns = returns[np.newaxis]
    paths, periods, assets = returns.shape
    target = np.asarray(target, dtype=float)
    if target.ndim == 1:
        target = np.tile(target, (periods + 1, 1))
    targets = target.tolist()
    if cash_flows is None:
        flows = np.zeros((paths, periods))
    else:
        flows = np.broadcast_to(np.asarray(cash_flows, dtype=float), (paths, periods))
    underweight = flows_to == "underweight" or policy.flows_to == "underweight"
    records = [
        simulate_path(returns[p].tolist(), targets, policy, float(initial_value), cost_rate,
                      periods_per_year, flows[p].tolist(), underweight, tax_rate,
                      expense_ratio, dividend_tax, income_yield)
        for p in range(paths)
    ]
    out = {name: np.array([record[name] for record in records])
           for name in ("wealth", "weights", "rebalanced", "buys", "sells", "costs", "taxes",
                        "fees", "flows")}
    gain_left = np.array([record["gain_left"] for record in records])
    out["after_tax_wealth"] = out["wealth"][:, -1] - tax_rate * np.maximum(gain_left, 0.0)
    return out

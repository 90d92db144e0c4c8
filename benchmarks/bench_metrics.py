"""Time the metrics on 1,000 paths x 30 years of months (361 steps), two assets.

Prints milliseconds per call (best of several runs); the chart helpers should take a few ms.
"""

from __future__ import annotations

import timeit
from types import SimpleNamespace

import numpy as np

from rebalance_widgets.core import metrics

PATHS, PERIODS = 1_000, 360


def synthetic_result(rng: np.random.Generator) -> SimpleNamespace:
    returns = rng.normal([0.007, 0.003], [0.045, 0.015], size=(PATHS, PERIODS, 2))
    holdings = 100.0 * np.array([0.6, 0.4]) * np.cumprod(1 + returns, axis=1)
    holdings = np.concatenate([np.broadcast_to([60.0, 40.0], (PATHS, 1, 2)), holdings], axis=1)
    wealth = holdings.sum(axis=2)
    zeros = np.zeros_like(wealth)
    return SimpleNamespace(
        wealth=wealth,
        weights=holdings / wealth[:, :, None],
        target=np.tile([0.6, 0.4], (PERIODS + 1, 1)),
        rebalanced=np.zeros(wealth.shape, dtype=bool),
        buys=zeros, sells=zeros, costs=zeros, taxes=zeros, fees=zeros, flows=zeros,
        after_tax_wealth=wealth[:, -1],
        policy=None,
        periods_per_year=12,
        assets=("stocks", "bonds"),
    )


def main() -> None:
    result = synthetic_result(np.random.default_rng(0))
    calls = {
        "per_path": lambda: metrics.per_path(result, goal=300.0),
        "summarise(per_path)": lambda: metrics.summarise(metrics.per_path(result, goal=300.0)),
        "wealth_percentiles": lambda: metrics.wealth_percentiles(result, (5, 25, 50, 75, 95)),
        "weight_percentiles": lambda: metrics.weight_percentiles(result, "stocks", (5, 50, 95)),
    }
    print(f"{PATHS} paths x {PERIODS + 1} steps")
    for name, call in calls.items():
        best = min(timeit.repeat(call, number=5, repeat=5)) / 5
        print(f"{name:>22}: {best * 1e3:7.2f} ms")


if __name__ == "__main__":
    main()

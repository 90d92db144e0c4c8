"""Time the metrics on 1,000 paths x 30 years of months (361 steps), two assets.

Prints milliseconds per call (best of several runs); the chart helpers should take a few ms.
The synthetic result is stored time-major, as the engine stores its results (its
(paths, steps) arrays are views of (steps, paths) arrays), so that the timings are those a
widget sees. "per_path, 7 columns" and "compare_row" compute only the seven metrics the
rebalancing comparison shows.
"""

from __future__ import annotations

import timeit
from types import SimpleNamespace

import numpy as np

from rebalance_widgets.core import metrics

PATHS, PERIODS = 1_000, 360
SHOWN = ("cagr", "volatility", "max_drawdown", "average_drift", "rebalance_count",
         "annual_turnover", "costs_paid")


def synthetic_result(rng: np.random.Generator) -> SimpleNamespace:
    returns = rng.normal([0.007, 0.003], [0.045, 0.015], size=(PATHS, PERIODS, 2))
    holdings = 100.0 * np.array([0.6, 0.4]) * np.cumprod(1 + returns, axis=1)
    holdings = np.concatenate([np.broadcast_to([60.0, 40.0], (PATHS, 1, 2)), holdings], axis=1)
    wealth = holdings.sum(axis=2)
    weights = holdings / wealth[:, :, None]
    wealth = np.ascontiguousarray(wealth.T).T  # (P, T+1) views of (T+1, P) storage
    weights = np.ascontiguousarray(weights.transpose(1, 2, 0)).transpose(2, 0, 1)
    zeros = np.zeros_like(wealth)  # time-major too (zeros_like keeps the layout)
    return SimpleNamespace(
        wealth=wealth,
        weights=weights,
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
        "per_path, 7 columns": lambda: metrics.per_path(result, columns=SHOWN),
        "compare_row": lambda: metrics.compare_row(result, columns=SHOWN, percentiles=()),
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

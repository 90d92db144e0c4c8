"""Time one policy's row of the rebalancing comparison, both ways.

For every policy the comparison offers, on the widget's defaults (1,000 futures x 30 years
of months from the "historical" model, stocks/bonds/cash 60/40/0, $100,000 start, $500 a
month, 0.1% trading cost), time
- "engine": ``simulate`` (every step recorded) then ``metrics.compare_row`` for the seven
  metrics shown, and
- "streamed": ``policy_medians``, which computes the same medians while simulating, in the
  compiled loop,
and print the median of several runs, the ratio and the largest relative difference between
the two rows. The first line says how long the first call took (loading or compiling the
loop).

Usage: ``.venv/bin/python benchmarks/bench_compare.py [--paths 1000] [--runs 7]``
"""

from __future__ import annotations

import argparse
import statistics
import time

from rebalance_widgets import core
from rebalance_widgets.core import metrics
from rebalance_widgets.widgets.comparison import _COLUMNS, COMPARED_POLICIES
from rebalance_widgets.widgets.parts import base
from rebalance_widgets.widgets.parts.simulated import return_model, target_weights


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    model = return_model("historical")
    assets = tuple(model.assets)
    returns = base.DRAWS.get(model, seed=base.DEFAULT_SEED, n_paths=args.paths,
                             n_periods=base.DEFAULT_YEARS * 12)
    target = target_weights({"stocks": 0.6, "bonds": 0.4}, assets)
    settings = {"initial_value": 100_000.0, "cost_rate": 0.001, "periods_per_year": 12,
                "cash_flows": 500.0, "assets": assets}

    def streamed(policy):
        return core.policy_medians(returns, target, [policy], columns=_COLUMNS, **settings)

    def engine(policy):
        result = core.simulate(returns, target, policy, **settings)
        return metrics.compare_row(result, columns=_COLUMNS, percentiles=())

    start = time.perf_counter()
    streamed(COMPARED_POLICIES[0])
    print(f"{args.paths:,} paths x {returns.shape[1]} months x {len(assets)} assets. First "
          f"call of the compiled loop: {time.perf_counter() - start:.2f} s.")
    header = f"{'policy':<22} {'engine':>9} {'streamed':>9} {'ratio':>6}  largest difference"
    print(header)
    print("-" * len(header))
    total_engine = total_streamed = 0.0
    for policy in COMPARED_POLICIES:
        expected = engine(policy)
        found = streamed(policy).iloc[0]
        difference = max((abs(found[c] - expected[c]) / abs(expected[c])
                          for c in _COLUMNS if expected[c] != 0), default=0.0)
        slow = median_ms(lambda p=policy: engine(p), args.runs)
        fast = median_ms(lambda p=policy: streamed(p), args.runs)
        total_engine, total_streamed = total_engine + slow, total_streamed + fast
        print(f"{policy.label:<22} {slow:>7.1f}ms {fast:>7.1f}ms {slow / fast:>5.1f}x  "
              f"{difference:.1e}")
    print(f"{f'all {len(COMPARED_POLICIES)}':<22} {total_engine:>7.1f}ms {total_streamed:>7.1f}ms "
          f"{total_engine / total_streamed:>5.1f}x")
    print("Medians of", args.runs, "runs; the difference is relative, over the seven metrics.")


if __name__ == "__main__":
    main()

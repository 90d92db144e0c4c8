"""Speed and memory of the simulation engine: 10,000 paths x 360 months x 3 assets.

For every policy it prints the seconds to draw the returns, the seconds to simulate, their
ratio, the speed-up over the slow reference loop (timed on a few paths and scaled per path)
and the peak memory that ``simulate`` allocates (tracemalloc). Bar: simulate / draw <= 1.0
and speed-up >= 200x.

Run: ``.venv/bin/python benchmarks/bench_engine.py [--paths N] [--reference-paths N]``
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "core" / "simulation"))

from reference import reference_simulate  # noqa: E402

from rebalance_widgets.core import simulate  # noqa: E402
from rebalance_widgets.core.planning import accounts  # noqa: E402
from rebalance_widgets.core.simulation import policies  # noqa: E402

ASSETS = ("stocks", "bonds", "cash")
TARGET = (0.6, 0.3, 0.1)


def draw(paths: int, periods: int, seed: int) -> np.ndarray:
    """Monthly returns from the project's lognormal market (or an equivalent draw)."""
    try:
        from rebalance_widgets.core.markets import Lognormal
    except ImportError:
        Lognormal = None
    correlation = ((1.0, 0.1, 0.0), (0.1, 1.0, 0.3), (0.0, 0.3, 1.0))
    if Lognormal is not None:
        market = Lognormal(expected=(0.07, 0.03, 0.02), volatility=(0.16, 0.06, 0.01),
                           correlation=correlation, assets=ASSETS)
        return market.sample(paths, periods, rng=seed)
    rng = np.random.default_rng(seed)
    log_sd = np.array([0.16, 0.06, 0.01]) / np.sqrt(12)
    factor = np.linalg.cholesky(np.array(correlation)) * log_sd[:, None]
    shocks = rng.standard_normal((paths, periods, 3)) @ factor.T
    return np.expm1(shocks + np.log1p([0.07, 0.03, 0.02]) / 12)


CASES = {
    "never": (policies.Never(), {}),
    "monthly": (policies.Calendar("monthly"), {}),
    "quarterly": (policies.Calendar("quarterly"), {}),
    "annual": (policies.Calendar("annual"), {}),
    "threshold 5%": (policies.Threshold(0.05), {}),
    "5/25": (policies.Threshold(0.05, 0.25), {}),
    "band-edge 5%": (policies.Threshold(0.05, trade_to="band"), {}),
    "cash-flow + contributions": (policies.CashFlow(), {"cash_flows": 0.005}),
    "5/25 + cost + taxable": (
        policies.Threshold(0.05, 0.25),
        {"cost_rate": 0.002, "account": accounts.Taxable(0.15)},
    ),
    "the same + flows + fees": (
        policies.Threshold(0.05, 0.25),
        {"cost_rate": 0.002, "account": accounts.Taxable(0.15), "cash_flows": 0.005,
         "expense_ratio": 0.004},
    ),
}


def timed(function) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def reference_kwargs(kwargs: dict) -> dict:
    out = {key: value for key, value in kwargs.items() if key != "account"}
    if "account" in kwargs:
        out["tax_rate"] = kwargs["account"].tax_rate
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--periods", type=int, default=360)
    parser.add_argument("--reference-paths", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    returns = draw(args.paths, args.periods, 1)
    few = returns[: args.reference_paths]
    print(f"{args.paths:,} paths x {args.periods} months x {returns.shape[2]} assets; "
          f"draws and runs alternate, best of {args.repeats} each")
    print(f"reference loop timed on {args.reference_paths} paths and scaled per path")
    print("seconds are CPU seconds of this process (wall clock in brackets): on a shared "
          "machine the CPU time is the steadier figure\n")
    header = (f"{'policy':<26} {'draw s':>14} {'simulate s':>14} {'sim/draw':>13} "
              f"{'reference s':>14} {'speed-up':>14} {'peak MB':>8}")
    print(header)
    print("-" * len(header))
    worst_ratio, worst_speedup = 0.0, np.inf
    for name, (policy, kwargs) in CASES.items():
        draws, runs = [], []
        for _ in range(args.repeats):
            draws.append(timed(lambda: draw(args.paths, args.periods, 1)))
            runs.append(timed(lambda p=policy, k=kwargs: simulate(returns, TARGET, p, **k)))
        draw_wall, draw_cpu = (min(times) for times in zip(*draws, strict=True))
        sim_wall, sim_cpu = (min(times) for times in zip(*runs, strict=True))
        scale = args.paths / len(few)
        ref_wall, ref_cpu = (seconds * scale for seconds in timed(
            lambda p=policy, k=kwargs: reference_simulate(few, TARGET, p,
                                                          **reference_kwargs(k))))
        tracemalloc.start()
        simulate(returns, TARGET, policy, **kwargs)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        ratio, speedup = sim_cpu / draw_cpu, ref_cpu / sim_cpu
        worst_ratio, worst_speedup = max(worst_ratio, ratio), min(worst_speedup, speedup)
        print(f"{name:<26} {draw_cpu:>5.3f} ({draw_wall:.3f}) {sim_cpu:>5.3f} ({sim_wall:.3f}) "
              f"{ratio:>5.2f} ({sim_wall / draw_wall:.2f}) {ref_cpu:>5.1f} ({ref_wall:>5.1f}) "
              f"{speedup:>5.0f}x ({ref_wall / sim_wall:>4.0f}x) {peak:>8.0f}")
    passed = worst_ratio <= 1.0 and worst_speedup >= 200
    print(f"\nworst simulate/draw ratio {worst_ratio:.2f} (bar <= 1.0); "
          f"worst speed-up {worst_speedup:.0f}x (bar >= 200x)")
    print("verdict:", "PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""How fast every widget answers a slider move, at its default settings.

For each widget (1,000 simulated futures x 30 years, monthly, where it simulates; the
sticking-to-the-plan tool also on its simulated futures, 1,000 x 20 years), move one
control through ~20 different positions, as a person would, and time from setting the
value to having the new chart spec of every chart panel of the widget: the callback (core
call, chart build, the panel's own ``to_dict`` for the page) plus one more
``chart.to_dict()`` per panel, as a test would read it. The first move is a warm-up and is
not counted. The bar: a median under 100 ms for every widget that re-simulates.

Usage: ``.venv/bin/python benchmarks/bench_widgets.py [--moves 20]``
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time

import ipywidgets as widgets
import numpy as np

import rebalance_widgets
from rebalance_widgets.core.simulation import engine, streamed
from rebalance_widgets.widgets.parts import base

BAR_MS = 100.0
ENGINE_SECONDS: list[float] = []  # time spent in the engine's loop during the current move


def _timed(function):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            ENGINE_SECONDS.append(time.perf_counter() - start)
    return timed


# every simulation goes through one of these two loops: count their time per move
engine.run = _timed(engine.run)
_compiled = streamed.compiled_kernel
streamed.compiled_kernel = functools.cache(lambda: _timed(_compiled()))
SLIDERS = (widgets.IntSlider, widgets.FloatSlider, widgets.SelectionSlider)
#: Widgets measured a second way: row name -> (class, arguments).
VARIANTS = {"StickingToPlan futures": ("StickingToPlan", {"crash": "simulated"})}


def walk(widget):
    seen, stack = set(), [widget]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(reversed(list(getattr(node, "children", ()) or ())))


#: The control to move where the first slider is not the one a learner moves most.
PREFERRED = {"AutopilotComparison": "stock_slider"}


def control_to_move(widget):
    """The widget's main slider (its target if it has one), else its first choice control."""
    preferred = PREFERRED.get(type(widget).__name__)
    if preferred is not None:
        return getattr(widget, preferred)
    if isinstance(getattr(widget, "target_slider", None), SLIDERS):
        return widget.target_slider
    years = {id(s.years_slider) for s in walk(widget) if isinstance(s, base.SimulationSettings)}
    nodes = list(walk(widget))
    for node in nodes:
        if isinstance(node, SLIDERS) and id(node) not in years and not node.disabled:
            return node
    choices = (widgets.RadioButtons, widgets.ToggleButtons, widgets.Dropdown)
    for node in nodes:
        if isinstance(node, choices) and len(node.options) > 1 and not node.disabled:
            return node
    return None


def positions(control, count: int, rng: np.random.Generator) -> list:
    """Up to ``count`` distinct values other than the current one, in a shuffled order."""
    if isinstance(control, widgets.IntSlider | widgets.FloatSlider):
        steps = int(round((control.max - control.min) / control.step))
        grid = [control.min + k * control.step for k in range(steps + 1)]
        if isinstance(control, widgets.IntSlider):
            grid = [int(v) for v in grid]
        else:
            grid = [round(v, 10) for v in grid]
    elif isinstance(control, widgets.SelectionSlider):
        grid = list(control.options)
    else:
        grid = [value for _, value in control._options_full] if hasattr(
            control, "_options_full") else list(control.options)
    grid = [v for v in grid if v != control.value]
    if len(grid) > count:
        grid = list(rng.choice(np.array(grid, dtype=object), size=count, replace=False))
    else:  # few choices: cycle through them
        grid = [grid[k % len(grid)] for k in range(count)] if grid else []
        rng.shuffle(grid)
        # never set the same value twice in a row (it would not trigger anything)
        for k in range(1, len(grid)):
            if grid[k] == grid[k - 1]:
                grid[k], grid[-1] = grid[-1], grid[k]
    return grid


def measure(name: str, moves: int) -> dict:
    cls, arguments = VARIANTS.get(name, (name, {}))
    widget = getattr(rebalance_widgets, cls)(**arguments)
    panels = [w for w in walk(widget) if isinstance(w, base.ChartPanel)]
    simulates = any(isinstance(w, base.SimulationSettings) for w in walk(widget))
    control = control_to_move(widget)
    if control is None:
        return {"name": name, "control": "-", "simulates": simulates, "total": [], "update": []}
    values = positions(control, moves + 1, np.random.default_rng(0))
    total, update, cpu, in_engine = [], [], [], []
    for index, value in enumerate(values):
        ENGINE_SECONDS.clear()
        cpu_start = time.process_time()
        start = time.perf_counter()
        control.value = value
        middle = time.perf_counter()
        specs = [panel.chart.to_dict() for panel in panels]
        end = time.perf_counter()
        cpu_end = time.process_time()
        assert all(specs), f"{name}: empty chart spec"
        if widget.message.kind == "error":
            raise SystemExit(f"{name}: moving {control.description} to {value!r} failed: "
                             f"{widget.message.text}")
        if index:  # the first move warms caches up
            total.append((end - start) * 1000)
            update.append((middle - start) * 1000)
            cpu.append((cpu_end - cpu_start) * 1000)
            in_engine.append(sum(ENGINE_SECONDS) * 1000)
    return {"name": name, "control": control.description or type(control).__name__,
            "simulates": simulates, "total": total, "update": update, "cpu": cpu,
            "engine": in_engine, "panels": len(panels)}


def p90(values: list[float]) -> float:
    return float(np.percentile(values, 90)) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="timed moves per widget")
    parser.add_argument("--only", nargs="*", default=None, help="widget class names")
    args = parser.parse_args()
    names = args.only or [*rebalance_widgets.WIDGETS, *VARIANTS]
    load = os.getloadavg()[0]
    print(f"Slider move -> updated chart spec, {args.moves} moves per widget after a warm-up;"
          f" defaults: {base.DEFAULT_PATHS:,} futures x {base.DEFAULT_YEARS} years monthly."
          f" Load average at start: {load:.2f} on {os.cpu_count()} cores.")
    header = (f"{'widget':<22} {'control moved':<22} {'re-sim':>6} {'charts':>6} "
              f"{'median':>8} {'p90':>8} {'median cb':>10} {'cpu':>8} {'engine':>8}  verdict")
    print(header)
    print("-" * len(header))
    failures = []
    for name in names:
        row = measure(name, args.moves)
        if not row["total"]:
            print(f"{name:<22} {'(no slider)':<22} {'yes' if row['simulates'] else 'no':>6}")
            continue
        median = statistics.median(row["total"])
        verdict = "-"
        if row["simulates"]:
            verdict = "PASS" if median < BAR_MS else "FAIL"
            if verdict == "FAIL":
                failures.append(name)
        print(f"{name:<22} {row['control'][:22]:<22} {'yes' if row['simulates'] else 'no':>6} "
              f"{row['panels']:>6} {median:>6.1f}ms {p90(row['total']):>6.1f}ms "
              f"{statistics.median(row['update']):>8.1f}ms "
              f"{statistics.median(row['cpu']):>6.1f}ms "
              f"{statistics.median(row['engine']):>6.1f}ms  {verdict}")
    print()
    print("median / p90 (wall clock): set the value, the widget's callback, then "
          "chart.to_dict() of every panel; median cb: the callback alone (it already builds "
          "the spec the page gets); cpu: median processor time of the whole move (less "
          "sensitive to other programs on a busy machine); engine: median time inside the "
          "simulation loops (the engine's step loop, or the compiled loop that computes "
          "metrics as it simulates) during a move (the rest is metrics, percentiles, "
          "tables and charts).")
    if failures:
        print(f"Verdict: the bar (median under {BAR_MS:.0f} ms for every widget that "
              f"re-simulates) is NOT met by: {', '.join(failures)}.")
    else:
        print(f"Verdict: every widget that re-simulates answers in a median under "
              f"{BAR_MS:.0f} ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast the history lab answers a control change.

For each kind of change a person makes (type a start year, move the stock slider, tick a
rule, switch monthly/yearly data), make ~12 changes to values not seen before (so nothing
comes from the lab's cache) and time from setting the control to having every chart's spec
(``chart.to_dict()``, as the page receives it) and the table. Each kind runs twice: with the
five rules ticked at the start, and with every rule ticked (fourteen, the largest job a
visitor can make). The first change of each kind is a warm-up and is not counted; going
back to monthly data after yearly is read from the lab's cache.

Usage: ``.venv/bin/python benchmarks/bench_history_lab.py [--changes 12]``
"""

from __future__ import annotations

import argparse
import statistics
import time

from rebalance_widgets import HistoryLab
from rebalance_widgets.widgets.parts.lab_rules import LAB_RULES


def read_all(lab: HistoryLab) -> None:
    for panel in (lab.growth_panel, lab.share_panel, lab.falls_panel):
        panel.chart.to_dict()
    assert lab.table.value


def timed(lab: HistoryLab, changes) -> list[float]:
    seconds = []
    for change in changes:
        start = time.perf_counter()
        change()
        read_all(lab)
        seconds.append(time.perf_counter() - start)
        assert lab.message.kind != "error", lab.message.text
    return seconds[1:]


def kinds(lab: HistoryLab, count: int) -> dict[str, list]:
    starts = [str(1926 + 5 * i) for i in range(count + 1)]
    shares = [round(0.05 * i, 2) for i in range(1, count + 2)]
    rules = [name for name in LAB_RULES if name != "Never rebalance"]

    def tick(name: str):
        return lambda: setattr(lab.rule_boxes[name], "value", not lab.rule_boxes[name].value)

    def start(text: str):
        return lambda: setattr(lab.start_box, "value", text)

    def share(value: float):
        return lambda: setattr(lab.sliders["stocks"], "value", value)

    def data(value: str):
        return lambda: setattr(lab.frequency_menu, "value", value)

    return {
        "type a start year": [start(text) for text in starts],
        "move the stock slider": [share(value) for value in shares],
        "tick or untick a rule": [tick(rules[i % len(rules)]) for i in range(count + 1)],
        "switch monthly/yearly": [data(("yearly", "monthly")[i % 2]) for i in range(3)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=12)
    args = parser.parse_args()
    print(f"{'rules':>5}  {'change':<24} {'median':>9} {'p90':>9} {'max':>9}")
    for everything in (False, True):
        lab = HistoryLab()
        if everything:
            for box in lab.rule_boxes.values():
                box.value = True
        for name, changes in kinds(lab, args.changes).items():
            ticked = len(lab.rules)
            seconds = sorted(timed(lab, changes))
            p90 = seconds[min(len(seconds) - 1, int(0.9 * len(seconds)))]
            print(f"{ticked:>5}  {name:<24} {statistics.median(seconds) * 1000:7.0f} ms"
                  f" {p90 * 1000:7.0f} ms {seconds[-1] * 1000:7.0f} ms")


if __name__ == "__main__":
    main()

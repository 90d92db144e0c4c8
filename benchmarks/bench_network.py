"""How fast lessons open over a network, with the server's compression on and off.

Run: ``.venv/bin/python benchmarks/bench_network.py [--mbit 20] [--round-trip 30]``

A visitor on a classroom's wifi or a phone receives every file of a lesson over a network,
not over this machine's loopback. This starts ``rebalance-widgets serve`` on 127.0.0.1
twice, with ``--no-compress`` and with ``--compress`` (what an ``--ip`` beyond this
machine turns on), and has Chromium receive as over a network of ``--mbit``
megabits per second with ``--round-trip`` milliseconds (Chromium's own network emulation).
Each lesson is opened twice per setting in a fresh context at a phone's width (390 px),
timed to every chart drawn and every quiz shown, and the bytes received over HTTP are
counted. The default, 20 Mbit/s and 30 ms, is one visitor alone on a decent wifi; thirty
visitors sharing it each get far less, so the gap grows with the class.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench_dashboards import (
    ARGS,
    CHROMIUM,
    close,
    free_port,
    open_dashboard,
    start_server,
    stop_server,
)
from playwright.sync_api import sync_playwright

LESSONS = ["00-start-here.ipynb", "03-drift.ipynb", "07-history-lab.ipynb",
           "09-sticking-to-the-plan.ipynb"]
RECEIVED = """() => performance.getEntriesByType('navigation')[0].transferSize
  + performance.getEntriesByType('resource').reduce((sum, r) => sum + r.transferSize, 0)"""


def run(flag: str, network: tuple[float, float], warm_up: float) -> list[tuple[float, int]]:
    port = free_port()
    server = start_server(port, flag)
    visits = []
    try:
        time.sleep(warm_up)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name in LESSONS:
                for _ in range(2):
                    page, seconds = open_dashboard(browser, port, name, width=390,
                                                   height=844, network=network)
                    visits.append((seconds, int(page.evaluate(RECEIVED))))
                    print(f"  {flag:14s} {name:32s} {seconds:5.2f} s "
                          f"{visits[-1][1] / 1e6:5.2f} MB", flush=True)
                    close(page)
                    time.sleep(10)  # the lesson's warm pool fills again
            browser.close()
    finally:
        stop_server(server)
    return visits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mbit", type=float, default=20.0, help="megabits per second down")
    parser.add_argument("--round-trip", type=float, default=30.0, help="milliseconds")
    parser.add_argument("--warm-up", type=float, default=40.0,
                        help="seconds each site is up before the first visitor")
    args = parser.parse_args()
    network = (args.mbit, args.round_trip)
    print(f"Lessons over {args.mbit:g} Mbit/s with a {args.round_trip:g} ms round trip, "
          "at 390 px, each opened twice:")
    medians = {}
    for flag in ("--no-compress", "--compress"):
        visits = run(flag, network, args.warm_up)
        medians[flag] = (statistics.median(s for s, _ in visits),
                         statistics.median(b for _, b in visits))
    (plain, plain_bytes), (packed, packed_bytes) = medians["--no-compress"], medians["--compress"]
    print(f"median, not compressed: {plain:.2f} s, {plain_bytes / 1e6:.2f} MB over HTTP")
    print(f"median, compressed:     {packed:.2f} s, {packed_bytes / 1e6:.2f} MB over HTTP "
          f"({plain / packed:.1f}x faster, {plain_bytes / packed_bytes:.1f}x fewer bytes)")


if __name__ == "__main__":
    main()

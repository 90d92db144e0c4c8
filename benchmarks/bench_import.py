"""What a new kernel pays before its first chart: importing the kit and the first widget.

Run: ``.venv/bin/python benchmarks/bench_import.py [--runs 9]``

Each measurement is a fresh Python process (as a new kernel is), timed from its start to the
moment it is ready (it prints a line after the work; a kernel never exits then), and, in
brackets, to its exit (the kit's process takes about 0.1 s to tear down its objects):
``import numpy, pandas`` as the yardstick, then ``import rebalance_widgets`` and a first
``DriftExplorer()`` (which imports ipywidgets, simulates 1,000 futures and draws two
charts). The runs alternate, and the medians are compared. It also reports the peak memory
(max RSS) of the kit's process and which slow modules it loaded (none is expected: the
charts' library and specs are read from the cache, so Altair is not imported). The cache
must be filled once before (the first run does it, as ``rebalance-widgets prepare`` does).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

YARDSTICK = "import numpy, pandas\nprint('ready', flush=True)\n"
KIT = (
    "import resource, sys\n"
    "import rebalance_widgets\n"
    "from rebalance_widgets import DriftExplorer\n"
    "DriftExplorer()\n"
    "print('ready', flush=True)\n"
    "slow = [name for name in ('altair', 'jsonschema', 'rfc3987_syntax', 'vl_convert')\n"
    "        if name in sys.modules]\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, ','.join(slow))\n"
)


def _seconds(code: str) -> tuple[float, float, str]:
    """Run ``code`` in a fresh process: seconds until it is ready, until it has ended."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    first = process.stdout.readline()
    ready = time.perf_counter() - start
    rest = process.stdout.read()
    if process.wait() != 0 or first.strip() != "ready":
        raise SystemExit(f"the measured code failed: {code!r}")
    return ready, time.perf_counter() - start, rest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    _seconds(KIT)  # fills the charts' cache if it is empty; warms the disk cache
    runs: dict[str, list[tuple[float, float]]] = {"base": [], "kit": []}
    output = ""
    for _ in range(args.runs):
        runs["base"].append(_seconds(YARDSTICK)[:2])
        *seconds, output = _seconds(KIT)
        runs["kit"].append(tuple(seconds))
    (base, base_end), (ours, ours_end) = (
        (statistics.median(r for r, _ in runs[k]), statistics.median(e for _, e in runs[k]))
        for k in ("base", "kit"))
    rss_kib, slow = output.split("\n")[0].partition(" ")[::2]
    print(f"fresh process, median of {args.runs}, from start to ready (to exit):")
    print(f"  import numpy, pandas                           {base:5.2f} s ({base_end:.2f} s)")
    print(f"  import rebalance_widgets + first DriftExplorer {ours:5.2f} s ({ours_end:.2f} s)  "
          f"{ours / base:.1f}x ({ours_end / base_end:.1f}x); the kit's own part "
          f"{ours - base:.2f} s")
    print(f"  peak memory of that process: {int(rss_kib) / 1024:.0f} MiB; slow modules "
          f"loaded: {slow.strip() or 'none'}")


if __name__ == "__main__":
    main()

"""What a new kernel pays before its first chart: importing the kit and the first widget.

Run: ``.venv/bin/python benchmarks/bench_import.py [--runs 7]``

Each measurement is a fresh Python process (as a new kernel is), timed from start to exit:
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

YARDSTICK = "import numpy, pandas"
KIT = (
    "import resource, sys\n"
    "import rebalance_widgets\n"
    "from rebalance_widgets import DriftExplorer\n"
    "DriftExplorer()\n"
    "slow = [name for name in ('altair', 'jsonschema', 'rfc3987_syntax', 'vl_convert')\n"
    "        if name in sys.modules]\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, ','.join(slow))\n"
)


def _seconds(code: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return time.perf_counter() - start, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    _seconds(KIT)  # fills the charts' cache if it is empty; warms the disk cache
    yardstick, kit, output = [], [], ""
    for _ in range(args.runs):
        yardstick.append(_seconds(YARDSTICK)[0])
        seconds, output = _seconds(KIT)
        kit.append(seconds)
    base, ours = statistics.median(yardstick), statistics.median(kit)
    rss_kib, slow = output.split("\n")[0].partition(" ")[::2]
    print(f"fresh process, median of {args.runs}:")
    print(f"  import numpy, pandas                          {base:5.2f} s")
    print(f"  import rebalance_widgets + first DriftExplorer {ours:5.2f} s  "
          f"({ours / base:.1f}x; the kit's own part {ours - base:.2f} s)")
    print(f"  peak memory of that process: {int(rss_kib) / 1024:.0f} MiB; slow modules "
          f"loaded: {slow.strip() or 'none'}")


if __name__ == "__main__":
    main()

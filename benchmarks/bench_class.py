"""A class opening one lesson at the same moment: with one warm kernel, and with one each.

Run: ``.venv/bin/python benchmarks/bench_class.py [--visitors 30] [--lesson 03-drift]``

An instructor says "open lesson 3" and thirty people tap the link within a second or two.
This starts ``rebalance-widgets serve --public`` on 127.0.0.1 twice: with its defaults (one
warm kernel per lesson), then with ``--warm-lesson LESSON=N`` (a warm kernel for each
visitor). Each time, once the warm pools are full, N visitors ask for the lesson within
``--spread`` seconds (uniformly), and each is timed from asking for the page to having read
every widget's state from its kernel (the page's HTML, the kernel's websocket, and all the
widgets' states in one request, as a browser's widget manager asks for them; fetching the
page's scripts and drawing are the browser's work and are not measured: see
``bench_dashboards.py``). Printed: p50, p95 and max of those times, and
how long the server took to make its pools ready when it started (every warm kernel has
run its lesson, and the server and its kernels rest).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboards import (  # noqa: E402
    NOTEBOOKS,
    SERVER_LOG,
    free_port,
    kernel_processes,
    start_server,
    stop_server,
)
from bench_workshop import Connection, open_lesson, p95  # noqa: E402

#: Seconds a visitor waits for a lesson before giving up.
GIVE_UP = 120.0


async def every_state(connection: Connection) -> int:
    """Ask the kernel for every widget's state at once, as the page's widget manager does
    (ipywidgets' ``jupyter.widget.control`` comm); return how many widgets came."""
    comm = uuid.uuid4().hex
    await connection.send("comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control",
                                        "data": {}}, metadata={"version": "1.0.0"})
    await connection.send("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}})
    seen = await connection.until(
        lambda m: m.get("msg_type") == "comm_msg"
        and m["content"].get("data", {}).get("method") == "update_states", GIVE_UP)
    return len(seen[-1]["content"]["data"]["states"])


async def arrive(port: int, lesson: str, delay: float) -> float | str:
    """One visitor: wait ``delay``, open the lesson; seconds until every widget is read, or
    what went wrong (a visitor gives up after :data:`GIVE_UP` seconds)."""
    await asyncio.sleep(delay)
    client = AsyncHTTPClient(max_clients=100)
    start = time.monotonic()
    try:
        tab = await asyncio.wait_for(open_lesson(client, port, lesson), GIVE_UP)
        if isinstance(tab, str):
            return tab
        try:
            await every_state(tab.connection)  # gives up after GIVE_UP s itself
            return time.monotonic() - start
        finally:
            await tab.close(client)
    except (asyncio.TimeoutError, TimeoutError):
        return f"gave up after {GIVE_UP:.0f} s"
    except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not stop
        return f"{type(error).__name__}: {error}"


async def the_class(port: int, lesson: str, visitors: int, spread: float, seed: int):
    rng = random.Random(seed)
    return await asyncio.gather(*(arrive(port, lesson, rng.uniform(0, spread))
                                  for _ in range(visitors)))


def wait_for_pools(server, lessons: int, timeout: float = 900) -> float:
    """Seconds until every lesson's pool has started (Voila logs each) and its kernels have
    run their lessons (the server and its kernels then rest for 3 s: under 5% of a core and
    1% per kernel)."""
    start = time.monotonic()
    quiet = 0
    watched: dict[int, psutil.Process] = {}  # a process's CPU share is since its last look
    while time.monotonic() - start < timeout and quiet < 3:
        filled = set(re.findall(r"Kernel pool of (\S+) is filled", SERVER_LOG.read_text()))
        busy = 0.0
        for process in [psutil.Process(server.pid), *kernel_processes(server)]:
            process = watched.setdefault(process.pid, process)
            with contextlib.suppress(psutil.NoSuchProcess):
                busy += process.cpu_percent(None)
        idle = 5 + len(watched)  # an idle kernel's own threads use about 0.5% of a core
        quiet = quiet + 1 if len(filled) >= lessons and busy < idle else 0
        time.sleep(1)
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=30)
    parser.add_argument("--lesson", default="03-drift")
    parser.add_argument("--spread", type=float, default=2.0,
                        help="seconds over which the visitors ask for the lesson")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    if not 1 <= args.visitors <= 60:
        raise SystemExit("--visitors must be 1 to 60")
    lesson = args.lesson.removesuffix(".ipynb")
    lessons = len(NOTEBOOKS)
    print(f"{args.visitors} visitors ask for {lesson} within {args.spread:g} s:")
    for label, flags, warm in (
        ("one warm kernel per lesson (default)", [], lessons),
        (f"--warm-lesson {lesson}={args.visitors}",
         ["--warm-lesson", f"{lesson}={args.visitors}"], lessons - 1 + args.visitors),
    ):
        port = free_port()
        server = start_server(port, "--public", "--max-visitors", str(args.visitors), *flags)
        try:
            filled = wait_for_pools(server, lessons)
            results = asyncio.run(the_class(port, f"{lesson}.ipynb", args.visitors,
                                            args.spread, args.seed))
        finally:
            stop_server(server)
        times = sorted(r for r in results if isinstance(r, float))
        failures = [r for r in results if isinstance(r, str)]
        median = statistics.median(times) if times else float("nan")
        print(f"  {label}: pools ready {filled:.0f} s after the start ({warm} kernels); "
              f"widgets read after p50 {median:.2f} s, p95 {p95(times):.2f} s, "
              f"max {max(times, default=float('nan')):.2f} s; failures: {len(failures)} "
              f"{failures[:3] if failures else ''}", flush=True)


if __name__ == "__main__":
    main()

"""How fast the dashboards open, how much memory a visitor costs, how many visitors fit.

Run: ``.venv/bin/python benchmarks/bench_dashboards.py [--max-visitors 16]``

Everything stays on 127.0.0.1: one ``rebalance-widgets serve`` with its defaults (one warm
kernel per lesson) on a free port, driven by Debian's Chromium through Playwright. Once the
site has been up two minutes, it opens every lesson twice, each time in a fresh browser
context (an empty cache, as a new visitor), and prints the seconds from asking for the page
to every chart drawn and every quiz shown, and the resident memory (RSS) of the lesson's
kernel. Then it opens one lesson twice at once: the second visitor finds no warm kernel.
Then it ramps simultaneous visitors of the drift lesson (1, 2, 4, 8, ...): each visitor
opens the dashboard, then all of them move the stock slider at once; a level passes when
every visitor's chart sentence changes within one second. The ramp stops at the first
level that fails (or at ``--max-visitors``).
"""

from __future__ import annotations

import argparse
import json
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Headless Chromium loads its own address-bar popup (a web page of its own, in a
    # renderer of its own) for every new browser context: about 0.9 s of one core while the
    # lesson loads. A visitor's browser loads it once when it starts, not per page.
    "--disable-features=WebUIOmniboxPopup,PreloadTopChromeWebUI",
    # Nothing can leave this machine: every address but the loopback goes to a closed port.
    "--proxy-server=http://127.0.0.1:9",
]
CHARTS = "document.querySelectorAll('.vega-embed').length"
SERVER_LOG = Path(tempfile.gettempdir()) / "bench-dashboards-voila.log"  # the last server's
RAMP_DASHBOARD = "03-drift.ipynb"
RAMP_SLIDER = "Stocks"
ANSWER_WITHIN = 1.0  # seconds
LOAD_TIMEOUT_MS = 180_000


def is_local(url: str) -> bool:
    """Is ``url`` for this machine's 127.0.0.1 (or data held by the page itself)?"""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob") or (
        parts.scheme in ("http", "ws") and parts.hostname == "127.0.0.1")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, *flags: str) -> subprocess.Popen:
    script = Path(sys.executable).with_name("rebalance-widgets")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "rebalance_widgets.cli"]
    log = open(SERVER_LOG, "w")  # noqa: SIM115
    process = subprocess.Popen([*command, "serve", "--port", str(port), *flags], stdout=log,
                               stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("the dashboard server did not start")


def stop_server(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def quizzes(name: str) -> int:
    notebook = json.loads((ROOT / "notebooks" / name).read_text())
    return sum(
        "".join(cell["source"]).count("Quiz(")
        for cell in notebook["cells"]
        if cell["cell_type"] == "code" and "skip-voila" not in cell["metadata"].get("tags", [])
    )


def open_dashboard(browser, port: int, name: str, *, width: int = 1280, height: int = 900,
                   network: tuple[float, float] | None = None):
    """Open a lesson in a fresh context; return the page and the seconds until it is drawn.

    ``network`` is (megabits per second down, round trip in ms): the browser then receives
    as over such a network (upload a quarter as fast).
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    external = []
    # Requests are watched, not intercepted: intercepting sends every one of a page's
    # hundred requests through this process first, which a visitor's browser never does.
    # The browser's proxy (ARGS) stops any that is not for 127.0.0.1; the run fails on any,
    # made while the page opens or until its tab is closed (see close()).
    context.on("request", lambda request: is_local(request.url)
               or external.append(request.url))
    context.on("page", lambda page: page.on("websocket", lambda socket: is_local(socket.url)
                                            or external.append(socket.url)))
    page = context.new_page()
    page.external = external
    if network is not None:
        mbit, round_trip = network
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": round_trip,
            "downloadThroughput": mbit * 1e6 / 8, "uploadThroughput": mbit * 1e6 / 32})
    start = time.monotonic()
    try:
        page.goto(f"http://127.0.0.1:{port}/voila/render/{name}", timeout=LOAD_TIMEOUT_MS)
        page.wait_for_function(
            "n => document.querySelectorAll('.rebalance-quiz').length >= n",
            arg=quizzes(name), timeout=LOAD_TIMEOUT_MS,
        )
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.vega-embed'))"
            ".every(e => e.querySelector('svg, canvas'))",
            timeout=LOAD_TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        close(page)  # its kernel stopped, its requests checked
        raise
    seconds = time.monotonic() - start
    # Charts appear within milliseconds of each other: one appearing later means the page
    # was counted as drawn too early, and the figure would be wrong.
    charts = page.evaluate(CHARTS)
    page.wait_for_timeout(1500)
    if page.evaluate(CHARTS) != charts:
        raise SystemExit(f"{name}: more charts appeared after the page counted as drawn")
    check_local(name, external)
    return page, seconds


def check_local(name: str, external: list[str]) -> None:
    if external:
        raise SystemExit(f"{name} asked other hosts: {external}")


def close(page) -> None:
    """Close the tab as a person does, so Voila stops the dashboard's kernel."""
    with page.expect_event("close", timeout=30_000):
        page.close(run_before_unload=True)
    page.context.close()
    check_local(page.url, getattr(page, "external", []))


def kernel_processes(server: subprocess.Popen) -> list[psutil.Process]:
    """The lesson kernels the server runs (plain or memory-limited)."""
    found = []
    for child in psutil.Process(server.pid).children(recursive=True):
        try:
            command = " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            continue
        if "ipykernel" in command or "dashboards.kernel" in command:
            found.append(child)
    return found


def running_kernels(server: subprocess.Popen) -> int:
    return len(kernel_processes(server))


def kernel_rss_mb(page, server: subprocess.Popen) -> float:
    config = json.loads(page.locator("#jupyter-config-data").first.text_content())
    kernel_id = config["kernelId"]
    for kernel in kernel_processes(server):
        try:
            if any(kernel_id in part for part in kernel.cmdline()):
                return kernel.memory_info().rss / 2**20
        except psutil.NoSuchProcess:
            continue
    return float("nan")


ARM = """
() => {
  window.__changedAt = null;
  const sentences = Array.from(document.querySelectorAll('.rebalance-sentence'));
  const observer = new MutationObserver(() => {
    if (window.__changedAt === null) window.__changedAt = performance.now();
  });
  sentences.forEach(s => observer.observe(s, {childList: true, characterData: true,
                                                subtree: true}));
}
"""


def ramp(browser, port: int, max_visitors: int) -> list[tuple[int, float, bool]]:
    results = []
    visitors = 1
    while visitors <= max_visitors:
        pages = []
        try:
            for _ in range(visitors):
                pages.append(open_dashboard(browser, port, RAMP_DASHBOARD)[0])
        except PlaywrightTimeout:
            print(f"  {visitors:3d} visitors: dashboard {len(pages) + 1} did not open within "
                  f"{LOAD_TIMEOUT_MS / 1000:.0f} s  too slow", flush=True)
            results.append((visitors, float("inf"), False))
            for page in pages:
                close(page)
            break
        handles = []
        for page in pages:
            page.evaluate(ARM)
            handle = page.locator(".widget-slider", has_text=RAMP_SLIDER).locator(".noUi-handle")
            handle.first.focus()
            handles.append(handle.first)
        pressed = []
        for page, handle in zip(pages, handles, strict=True):
            pressed.append(page.evaluate("performance.now()"))
            handle.press("ArrowLeft")
        latencies = []
        deadline = time.monotonic() + 30
        for page, at in zip(pages, pressed, strict=True):
            changed = None
            while changed is None and time.monotonic() < deadline:
                changed = page.evaluate("window.__changedAt")
                if changed is None:
                    page.wait_for_timeout(50)
            latencies.append((changed - at) / 1000 if changed is not None else float("inf"))
        worst = max(latencies)
        passed = worst <= ANSWER_WITHIN
        results.append((visitors, worst, passed))
        print(f"  {visitors:3d} visitors: slowest answer {worst:6.2f} s  "
              f"{'ok' if passed else 'too slow'}", flush=True)
        for page in pages:
            close(page)
        time.sleep(3)  # let Voila shut the kernels of the closed pages
        if not passed:
            break
        visitors *= 2
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-visitors", type=int, default=16)
    parser.add_argument("--warm-up", type=float, default=120.0,
                        help="seconds the site is up before the first visitor")
    parser.add_argument("--refill", type=float, default=10.0,
                        help="seconds between two visitors of a lesson")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is needed for this benchmark")
    port = free_port()
    server = start_server(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print(f"Dashboards on 127.0.0.1, {psutil.cpu_count()} CPU cores; site up for "
                  f"{args.warm_up:.0f} s")
            time.sleep(args.warm_up)
            print(f"{'dashboard':36s} {'drawn after (s), twice':>23s} {'kernel RSS (MiB)':>17s}")
            opened = []
            for name in NOTEBOOKS:
                times, sizes = [], []
                for _ in range(2):
                    page, seconds = open_dashboard(browser, port, name)
                    times.append(seconds)
                    sizes.append(kernel_rss_mb(page, server))
                    close(page)
                    time.sleep(args.refill)  # the lesson's warm pool fills again
                opened += times
                print(f"{name:36s} {times[0]:11.2f} {times[1]:11.2f} {max(sizes):17.0f}",
                      flush=True)
            print(f"median {statistics.median(opened):.2f} s, slowest {max(opened):.2f} s")
            first, _ = open_dashboard(browser, port, RAMP_DASHBOARD)
            second, seconds = open_dashboard(browser, port, RAMP_DASHBOARD)
            print(f"{RAMP_DASHBOARD} with no warm kernel left (a second visitor at once): "
                  f"{seconds:.2f} s")
            close(first)
            close(second)
            time.sleep(args.refill)
            print(f"\nSimultaneous visitors of {RAMP_DASHBOARD}, all moving the "
                  f"{RAMP_SLIDER.lower()} slider at once (answer within {ANSWER_WITHIN:.0f} s):")
            results = ramp(browser, port, args.max_visitors)
            served = max((n for n, _, ok in results if ok), default=0)
            print(f"\nThis machine answers {served} simultaneous visitors within "
                  f"{ANSWER_WITHIN:.0f} s (ramp stopped at {results[-1][0]}).")
            # Closed tabs' kernels stop, and the warm pools start their refills: a kernel
            # being refilled is counted too, so wait (up to a minute) for them to settle.
            deadline = time.monotonic() + 60
            while running_kernels(server) > len(NOTEBOOKS) and time.monotonic() < deadline:
                time.sleep(2)
            left = running_kernels(server) - len(NOTEBOOKS)
            print(f"Visitors' kernels still running after every tab closed: {max(left, 0)} "
                  f"(besides the {len(NOTEBOOKS)} warm kernels, one per lesson)")
            browser.close()
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()

"""Helpers of the browser tests: start and stop the server, open pages, record requests.

The server is started once per session through ``rebalance-widgets serve`` on a free port of
127.0.0.1 and stopped by its PID. Chromium is Debian's (``/usr/bin/chromium``); without it
the tests skip, unless ``REQUIRE_BROWSER=1`` (set by ``.ci/run``), in which case they fail.
Every page routes all its requests: local ones go through, any other is aborted and
recorded, so a test can assert that nothing left 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SCREENSHOTS = ROOT / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Headless Chromium otherwise loads its own address-bar popup for every new context
    # (about 0.9 s of a core each time); the pages under test do not need it.
    "--disable-features=WebUIOmniboxPopup,PreloadTopChromeWebUI",
]
DASHBOARDS = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
RENDER_TIMEOUT_MS = 90_000
ERROR_OUTPUTS = (
    '[data-mime-type="application/vnd.jupyter.stderr"], '
    '[data-mime-type="application/vnd.jupyter.error"]'
)


def is_local(url: str) -> bool:
    """Is ``url`` for 127.0.0.1 (by host name, so ``http://127.0.0.1@elsewhere/`` is not)?"""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or (
        parts.scheme in ("http", "ws") and parts.hostname == "127.0.0.1")


def require_or_skip(reason: str) -> None:
    """Skip with ``reason``, or fail when ``REQUIRE_BROWSER=1``."""
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1, so this is a failure)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The dashboard server stopped early (exit {process.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"The dashboard server did not answer at {url} within {timeout:.0f} s.")


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server by its PID: SIGTERM (Voila shuts its kernels down), then SIGKILL."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen
    log: Path


#: How the tests start the command: this interpreter, the package's module.
COMMAND = (sys.executable, "-m", "rebalance_widgets.cli")


def start_serve(*args: str, log: Path, command: tuple[str, ...] = COMMAND,
                cwd: Path | None = None, env: dict[str, str] | None = None) -> Server:
    """Start ``rebalance-widgets serve ARGS`` on a free port of 127.0.0.1 and wait for it.

    Its output goes to ``log``; if it does not answer, it is stopped and the end of the log
    is in the error.
    """
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen([*command, "serve", *args, "--port", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(url, process)
    except RuntimeError as error:
        stop_server(process)
        raise RuntimeError(f"{error}\n{log.read_text()[-3000:]}") from None
    return Server(url=url, port=port, process=process, log=log)




@dataclass
class Visit:
    """An open page and what it did: blocked requests, console errors, page errors."""

    page: object
    name: str = ""
    blocked: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    seconds_to_interactive: float = 0.0


def open_page(browser, *, width: int = 1280, height: int = 900) -> Visit:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    visit = Visit(page=page)

    def route(route_request):
        url = route_request.request.url
        visit.requested.append(url)
        if is_local(url):
            route_request.continue_()
        else:
            visit.blocked.append(url)
            route_request.abort()

    context.route("**/*", route)
    page.on(
        "console",
        lambda message: visit.console_errors.append(message.text)
        if message.type == "error"
        else None,
    )
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
    return visit


def open_dashboard(browser, server: Server, name: str, **size) -> Visit:
    """Open one dashboard and wait until Voila has run every cell and widgets are drawn."""
    visit = open_page(browser, **size)
    visit.name = name
    page = visit.page
    start = time.monotonic()
    page.goto(f"{server.url}voila/render/{name}", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector("#rendered_cells", state="visible", timeout=RENDER_TIMEOUT_MS)
    # Widgets are drawn after the page shows; every lesson ends with its quizzes. A cell
    # that fails stops the notebook: then its error output shows instead, and the tests
    # report it.
    page.wait_for_function(
        """([n, errors]) => document.querySelectorAll('.rebalance-quiz').length >= n
                           || document.querySelector(errors) !== null""",
        arg=[quiz_count(name), ERROR_OUTPUTS],
        timeout=RENDER_TIMEOUT_MS,
    )
    if page.locator(ERROR_OUTPUTS).count():
        return visit
    page.wait_for_load_state("networkidle", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.vega-embed'))
                 .every(e => e.querySelector('svg, canvas'))""",
        timeout=RENDER_TIMEOUT_MS,
    )
    visit.seconds_to_interactive = time.monotonic() - start
    return visit


def quiz_count(name: str) -> int:
    """How many quizzes the lesson shows (code cells not tagged teacher-only)."""
    notebook = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    count = 0
    for cell in notebook["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "code" and "skip-voila" not in tags:
            source = cell["source"]
            text = "".join(source) if isinstance(source, list) else source
            count += text.count("Quiz(")
    return count


def close(visit: Visit) -> None:
    """Close the tab as a person does: the page's ``beforeunload`` tells Voila to stop the
    dashboard's kernel. (Closing the browser context alone would skip that event.) Request
    routing stops first: a routed request of a closing page would be dropped."""
    visit.page.context.unroute("**/*")
    with visit.page.expect_event("close", timeout=30_000):
        visit.page.close(run_before_unload=True)
    visit.page.context.close()


def kernel_id(visit: Visit) -> str:
    config = visit.page.locator("#jupyter-config-data").first.text_content()
    return json.loads(config)["kernelId"]


def save_full_screenshot(page, path: Path, *, element=None, max_height: int = 12_000) -> None:
    """Screenshot the whole dashboard (or one element of it), even below the fold.

    JupyterLab and Notebook 7 scroll inside a box of the page rather than the window, so the
    viewport is stretched to the height of the tallest content for the shot and put back.
    """
    size = page.viewport_size
    height = page.evaluate(
        """() => Math.max(...Array.from(document.querySelectorAll("body, body *"))
            .map(e => e.scrollHeight))"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height), max_height)})
    page.wait_for_timeout(300)
    try:
        if element is None:
            page.screenshot(path=str(path), full_page=True)
        else:
            element.screenshot(path=str(path))
    finally:
        page.set_viewport_size(size)

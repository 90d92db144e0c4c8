"""Fixtures for the browser tests: one Voila server, one headless Chromium, opened pages.

See ``browser_support.py`` for what they do.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from browser_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    COMMAND,
    DASHBOARDS,
    Server,
    close,
    open_dashboard,
    require_or_skip,
    start_serve,
    stop_server,
)


def pytest_collection_modifyitems(items):
    """Mark every test in this folder ``browser``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    """A Voila server started with ``rebalance-widgets serve`` on a free local port."""
    script = Path(sys.executable).with_name("rebalance-widgets")
    command = (str(script),) if script.exists() else COMMAND
    try:
        started = start_serve(
            log=tmp_path_factory.mktemp("voila") / "server.log", command=command,
            cwd=tmp_path_factory.getbasetemp(),  # not the clone: the notebooks are still found
        )
    except RuntimeError as error:
        pytest.fail(str(error))
    yield started
    stop_server(started.process)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright's sync API."""
    if not CHROMIUM.exists():
        require_or_skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", params=DASHBOARDS)
def dashboard(request, browser, server):
    """Each dashboard opened once per module (tests are grouped by dashboard)."""
    name = request.param
    visit = open_dashboard(browser, server, name)
    yield visit
    close(visit)

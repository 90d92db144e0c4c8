"""Helpers of the JupyterLab 4 and Notebook 7 browser tests: a server on a copy of the
lessons, Run All through the menu, and what a learner sees in the lesson text.

One ``jupyter lab`` serves both front ends (Notebook 7 at ``/notebooks/NAME``) on a free
port of 127.0.0.1, with a token, on a temporary copy of the lessons (running them must not
write outputs into the clone), and is stopped by its PID.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from browser_support import NOTEBOOKS, Server, free_port, open_page, stop_server, wait_for_http

RUN_TIMEOUT_MS = 420_000  # a shared two-core machine runs lesson 6 in one to four minutes

#: What a learner sees in a lesson's text: no math typeset (MathJax 3 in JupyterLab 4 and
#: Notebook 7 draws ``mjx-container``; KaTeX or MathJax 2 other elements).
MATH_IN_TEXT = ".jp-MarkdownCell mjx-container, .jp-MarkdownCell .MathJax, .jp-MarkdownCell .katex"


#: Settings of the test's server: every cell stays on the page (JupyterLab draws only the
#: cells in view by default, so a test could not read a lesson whole).
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


#: The JupyterLab settings the kit installs (``overrides.json``), as `make lab` does.
LAB_SETTINGS = Path(__file__).resolve().parents[2] / "binder"


def lab_available() -> bool:
    """True when JupyterLab 4 and Notebook 7 are installed beside the package."""
    try:
        import jupyterlab  # noqa: F401
        import notebook  # noqa: F401
    except ImportError:
        return False
    return True


def start_lab(root: Path, log: Path) -> tuple[Server, str]:
    """Start JupyterLab on a copy of the lessons in ``root``; return it and its token."""
    lessons = root / "lessons"
    shutil.copytree(NOTEBOOKS, lessons)
    token = secrets.token_hex(16)
    port = free_port()
    config = root / "config"  # both front ends read their settings from here
    for extension, values in SETTINGS.items():
        path = config / "lab" / "user-settings" / f"{extension}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={lessons}", f"--LabApp.workspaces_dir={root / 'workspaces'}",
        # the settings `make lab` and Binder install: no question about Jupyter's news
        f"--LabApp.app_settings_dir={LAB_SETTINGS}",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=root,
                                   env={**os.environ, "JUPYTER_CONFIG_DIR": str(config)})
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_http(f"{url}api/status?token={token}", process, timeout=90)
    except RuntimeError as error:
        stop_server(process)
        raise RuntimeError(f"{error}\n{log.read_text()[-3000:]}") from None
    return Server(url=url, port=port, process=process, log=log), token


def open_lesson(browser, server: Server, token: str, name: str, *, front_end: str):
    """Open a lesson in ``"lab"`` or ``"notebook"`` and wait until its kernel is idle."""
    visit = open_page(browser, width=1280, height=900)
    visit.name = name
    # JupyterLab reopens the tabs of its last visit: each lesson gets a workspace of its own,
    # so the page holds that lesson alone.
    workspace = name.removesuffix(".ipynb")
    path = (f"lab/workspaces/{workspace}/tree/{name}?reset&" if front_end == "lab"
            else f"notebooks/{name}?")
    visit.page.goto(f"{server.url}{path}token={token}", timeout=RUN_TIMEOUT_MS)
    visit.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=RUN_TIMEOUT_MS)
    wait_for_idle_kernel(visit.page)
    return visit


def wait_for_idle_kernel(page) -> None:
    """Wait until the notebook's kernel says it is idle (its execution indicator)."""
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.jp-Notebook-ExecutionIndicator'))
                 .some(e => e.getAttribute('data-status') === 'idle')""",
        timeout=RUN_TIMEOUT_MS,
    )


def run_all_through_the_menu(page) -> None:
    """Run > Run All Cells, as a person does.

    The menu bar is drawn before its commands are ready, and a click that lands too early
    does nothing: retry until a cell shows it runs (``[*]``) or has run (``[n]``).
    """
    started = """() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'))
                   .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""
    for attempt in range(6):
        try:
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).first.click()
            item = page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
            item.first.click(timeout=3_000)
            page.wait_for_function(started, timeout=15_000)
            return
        except Exception:
            if attempt == 5:
                raise
            page.keyboard.press("Escape")
            page.wait_for_timeout(2_000)


def wait_for_every_prompt(page) -> None:
    """Wait until every code cell shows ``[n]:`` (run), and the kernel is idle again."""
    page.wait_for_function(
        """() => {
            const prompts = Array.from(document.querySelectorAll(
                '.jp-CodeCell .jp-InputArea-prompt'));
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=RUN_TIMEOUT_MS,
    )
    wait_for_idle_kernel(page)


def every_chart_drawn(page) -> None:
    """Wait until every chart of the page has drawn its SVG or canvas."""
    page.wait_for_function(
        """() => {
            const charts = Array.from(document.querySelectorAll('.vega-embed'));
            return charts.length > 0 && charts.every(e => e.querySelector('svg, canvas'));
        }""",
        timeout=RUN_TIMEOUT_MS,
    )


def lesson_text(page) -> str:
    """The rendered text of every Markdown cell, as a learner reads it."""
    return "\n".join(page.locator(".jp-MarkdownCell .jp-RenderedMarkdown").all_inner_texts())


def stop_lab(server: Server) -> None:
    """Stop JupyterLab by its PID (it shuts its kernels down)."""
    stop_server(server.process)

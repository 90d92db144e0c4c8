"""The lesson page's own front end with outputs the kit's lessons do not have (an
instructor's notebook may), and a kernel that goes away while the page is open."""

from __future__ import annotations

import json

import psutil
import pytest
from browser_support import close, kernel_id, open_page, start_serve, stop_server

#: A 2 x 1 PNG, one red and one blue pixel.
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOe"
       "WQAAAABJRU5ErkJggg==")
#: A 40 x 20 teal rectangle, without the SVG namespace (an image needs it: the page adds it).
SVG_SOURCE = '<svg width="40" height="20"><rect width="40" height="20" fill="teal"/></svg>'
CELLS = [
    "print('words printed by the lesson')",
    "from IPython.display import HTML; HTML('<b id=\"html-output\">bold words</b>')",
    f"import base64; from IPython.display import Image; Image(base64.b64decode('{PNG}'))",
    "import ipywidgets; ipywidgets.IntSlider(7, description='Count')",
    "41 + 1",
    "from ipywidgets import interact\n"
    "shown = interact(lambda x: print(f'twice {x} is {2 * x}'), x=(0, 10))",
    "from ipywidgets import Output\n"
    "out = Output()\n"
    "out.append_display_data(HTML('<i id=\"appended\">shown by the kernel</i>'))\n"
    "out",
    "from IPython.display import Markdown\n"
    "Markdown('**bold** and a [link](https://example.org)')",
    f"from IPython.display import SVG; SVG('{SVG_SOURCE}')",
    "HTML(\"<div id='s'></div><script>document.getElementById('s').textContent='ran'</script>\")",
    "from IPython.display import Latex; Latex(r'$x^2$')",
    "raise ValueError('a lesson that fails here')",  # the last: Voila runs no cell after it
]


@pytest.fixture(scope="module")
def outputs_server(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("lessons")
    notebook = {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "cells": [{"cell_type": "markdown", "id": "title", "metadata": {},
                   "source": "# Outputs of every kind"}] + [
            {"cell_type": "code", "id": f"cell{i}", "metadata": {}, "execution_count": None,
             "outputs": [], "source": source} for i, source in enumerate(CELLS)],
    }
    (folder / "outputs.ipynb").write_text(json.dumps(notebook))
    # A warm kernel for each of the four visits: each page opens at once.
    server = start_serve("--notebooks", str(folder), "--warm-kernels", "4",
                         log=tmp_path_factory.mktemp("voila") / "server.log")
    yield server
    stop_server(server.process)


def open_outputs(browser, server):
    visit = open_page(browser)
    visit.page.goto(f"{server.url}voila/render/outputs.ipynb", timeout=120_000)
    visit.page.wait_for_selector(".widget-slider", timeout=120_000)
    return visit


def page_note(visit, timeout: int) -> str:
    """The note at the top of the page (a screen reader's alert), once it shows."""
    alert = visit.page.locator("#rebalance-page-status[role=alert]")
    alert.wait_for(timeout=timeout)
    return alert.inner_text()


def test_every_kind_of_output_is_drawn_in_its_place(browser, outputs_server):
    visit = open_outputs(browser, outputs_server)
    try:
        page = visit.page
        assert page.locator("#html-output").inner_text() == "bold words"
        png = page.locator('img[src^="data:image/png"]')
        assert png.evaluate("i => [i.naturalWidth, i.naturalHeight]") == [2, 1]
        count = page.locator(".widget-slider", has_text="Count")
        assert count.locator(".widget-readout").inner_text() == "7"
        plain = page.locator('[data-mime-type="text/plain"]').all_inner_texts()
        assert [text.strip() for text in plain] == ["words printed by the lesson", "42"]
        error = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').inner_text()
        # Voila's words, with no traceback, naming the failing cell (the last one)
        assert f"There was an error when executing cell [{len(CELLS)}]" in error
        assert page.locator("#appended").inner_text() == "shown by the kernel"
        # Markdown, SVG, HTML with a script, and LaTeX (shown as typed: no typesetting)
        markdown = page.locator('.jp-OutputArea-output > [data-mime-type="text/markdown"]')
        assert markdown.locator("strong").inner_text() == "bold"
        assert markdown.locator("a").get_attribute("href") == "https://example.org"
        assert markdown.inner_text().strip() == "bold and a link"
        svg = page.locator('img[src^="data:image/svg+xml"]')
        assert svg.is_visible()
        assert svg.evaluate("i => i.decode().then(() => [i.naturalWidth, i.naturalHeight])") == [
            40, 20]
        assert svg.get_attribute("alt") == "<IPython.core.display.SVG object>"
        assert page.locator("#s").inner_text() == "ran"  # the HTML's script ran
        assert page.locator('[data-mime-type="text/latex"]').inner_text() == "$x^2$"
        assert "object>" not in page.locator("#rendered_cells").inner_text()
        assert not visit.page_errors and not visit.blocked
    finally:
        close(visit)


def test_interact_prints_into_its_output_widget_as_the_slider_moves(browser, outputs_server):
    visit = open_outputs(browser, outputs_server)
    try:
        page = visit.page
        area = page.locator(".jupyter-widgets-output-area", has_text="twice")
        assert area.inner_text().strip() == "twice 5 is 10"  # run by Voila's server
        slider = page.locator(".widget-slider", has_text="x").locator(".noUi-handle")
        slider.focus()
        page.keyboard.press("ArrowRight")  # the kernel runs the function again
        page.wait_for_function(
            "() => document.body.innerText.includes('twice 6 is 12')", timeout=15_000)
        assert area.inner_text().strip() == "twice 6 is 12"  # cleared, then printed
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "() => document.body.innerText.includes('twice 7 is 14')", timeout=15_000)
        assert area.inner_text().strip() == "twice 7 is 14"
        assert not visit.page_errors
    finally:
        close(visit)


def test_a_kernel_that_goes_away_leaves_a_message_on_the_page(browser, outputs_server):
    visit = open_outputs(browser, outputs_server)
    try:
        # The server stops the kernel (as --public's culling of idle kernels would).
        status = visit.page.evaluate(
            """async (kernel) => {
                 const xsrf = document.cookie.match(/\\b_xsrf=([^;]*)\\b/)[1];
                 const reply = await fetch(`/api/kernels/${kernel}`,
                     {method: 'DELETE', headers: {'X-XSRFToken': xsrf}});
                 return reply.status;
               }""", kernel_id(visit))
        assert status == 204
        # The page asks every 20 s, and at once when it comes back on screen.
        visit.page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
        note = page_note(visit, timeout=15_000)
        assert "lost its connection" in note and "Reload the page" in note
    finally:
        close(visit)


def test_a_kernel_whose_process_died_leaves_a_message_on_the_page(browser, outputs_server):
    visit = open_outputs(browser, outputs_server)
    try:
        kernel = kernel_id(visit)
        processes = [child for child in psutil.Process(outputs_server.process.pid).children(
            recursive=True) if any(kernel in part for part in child.cmdline())]
        assert len(processes) == 1
        processes[0].kill()  # the server starts it again, with nothing of the lesson in it
        note = page_note(visit, timeout=30_000)
        assert "controls are gone" in note and "Reload the page" in note
    finally:
        close(visit)

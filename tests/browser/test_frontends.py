"""The lessons in JupyterLab 4 and Notebook 7, run through the menu as a learner runs them.

Slow (a JupyterLab server, a kernel per lesson): lessons 3 and 6 in JupyterLab, lesson 3 in
Notebook 7. Each test runs every cell with Run > Run All Cells and checks that every chart
is drawn, no cell shows an error, no request left 127.0.0.1, dollar amounts read "$8,000"
with no math typeset in the lesson text, and (lesson 3) that a slider moved with the mouse
or the arrow keys changes the sentence under its chart.
"""

from __future__ import annotations

import re

import pytest
from browser_support import ERROR_OUTPUTS, SCREENSHOTS, close, require_or_skip
from frontends import (
    MATH_IN_TEXT,
    every_chart_drawn,
    lab_available,
    lesson_text,
    open_lesson,
    run_all_through_the_menu,
    start_lab,
    stop_lab,
    wait_for_every_prompt,
)

pytestmark = pytest.mark.slow

CASES = [
    ("lab", "03-drift.ipynb"),
    ("lab", "06-rebalance-my-401k.ipynb"),
    ("notebook", "03-drift.ipynb"),
]


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """JupyterLab (and Notebook 7) on a copy of the lessons, with its token."""
    if not lab_available():
        require_or_skip("JupyterLab 4 and Notebook 7 are not installed (pip install '.[lab]')")
    root = tmp_path_factory.mktemp("lab")
    try:
        server, token = start_lab(root, root / "lab.log")
    except RuntimeError as error:
        pytest.fail(str(error))
    yield server, token
    stop_lab(server)


@pytest.fixture(scope="module", params=CASES, ids=[f"{f}-{n[:2]}" for f, n in CASES])
def lesson(request, browser, lab):
    """A lesson opened in one front end and run with Run > Run All Cells."""
    front_end, name = request.param
    server, token = lab
    visit = open_lesson(browser, server, token, name, front_end=front_end)
    page = visit.page
    # Notebook 7.6 throws one error of its settings registry while its page loads, with any
    # notebook and before any cell runs; the tests look at what running the lesson does.
    visit.page_errors.clear()
    visit.name = f"{front_end}-{name.removesuffix('.ipynb')}"
    try:
        run_all_through_the_menu(page)
        wait_for_every_prompt(page)
        every_chart_drawn(page)
    except Exception:  # what the page showed when it gave up, for the report
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"failed-{visit.name}.png"))
        raise
    yield visit
    close(visit)


def test_every_cell_ran_and_every_chart_is_drawn(lesson):
    page = lesson.page
    assert page.locator(ERROR_OUTPUTS).count() == 0, page.locator(ERROR_OUTPUTS).all_inner_texts()
    text = page.locator(".jp-Notebook").inner_text()
    for failure in ("Error displaying widget", "Traceback", "Something went wrong"):
        assert failure not in text
    assert page.locator(".jupyter-widgets").count() > 0
    assert lesson.page_errors == []


def test_no_request_leaves_localhost(lesson):
    # JupyterLab asks about its news feed (a website) unless the kit's settings say no
    assert lesson.page.get_by_text("official Jupyter news").count() == 0
    assert lesson.blocked == [], lesson.blocked


def test_dollar_amounts_read_as_dollars_and_no_math_is_typeset(lesson):
    page = lesson.page
    text = lesson_text(page)
    amounts = re.findall(r"\$\d[\d,]*", text)
    assert amounts, "the lesson shows dollar amounts"
    assert text.count("$") == len(amounts), [line for line in text.splitlines() if "$" in line]
    assert page.locator(MATH_IN_TEXT).count() == 0
    worked = page.locator(".jp-MarkdownCell", has_text=re.compile(r"\$\d")).first
    worked.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{lesson.name}.png"))
    if "06-" in lesson.name:  # the worked example of the issue, word for word
        assert "sell $10,000 of the stock fund and $3,000 of the stable value fund" in text
    else:
        assert "Say you put $8,000 in stocks and $2,000 in bonds" in text


def test_a_slider_moved_with_the_mouse_changes_the_sentence(lesson):
    if "03-" not in lesson.name:
        pytest.skip("the drift lesson's slider")
    page = lesson.page
    slider = page.locator(".widget-slider", has_text="Stocks").first
    slider.scroll_into_view_if_needed()
    sentence = page.locator(".rebalance-sentence").first
    before = sentence.inner_text()
    handle = slider.locator(".noUi-handle").first.bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 60, y, steps=6)
    page.mouse.up()
    page.wait_for_function(
        "([e, t]) => e.innerText !== t", arg=[sentence.element_handle(), before], timeout=60_000
    )
    assert sentence.inner_text() != before


def test_a_focused_slider_moves_with_the_arrow_keys_and_announces_its_value(lesson):
    if "03-" not in lesson.name:
        pytest.skip("the drift lesson's slider")
    page = lesson.page
    slider = page.locator(".widget-slider", has_text="Years").first
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first
    assert handle.get_attribute("aria-label") == "Years"
    assert readout.get_attribute("tabindex") == "-1"
    start = readout.inner_text()
    assert handle.get_attribute("aria-valuetext") == start
    handle.click()  # a person clicks the handle, then uses the keys
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([e, t]) => e.getAttribute('aria-valuetext') !== t",
                           arg=[handle.element_handle(), start], timeout=20_000)
    assert handle.get_attribute("aria-valuetext") == readout.inner_text() != start
    assert float(handle.get_attribute("aria-valuenow")) == float(readout.inner_text())


def test_the_trades_download_as_a_csv_file_made_in_the_page(lesson, tmp_path):
    if "06-" not in lesson.name:
        pytest.skip("the calculator's trades")
    page = lesson.page
    button = page.get_by_role("button", name="Download the trades (CSV)")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=30_000) as started:
        button.click()
    download = started.value
    assert download.url.startswith("blob:") and download.suggested_filename == "trades.csv"
    path = tmp_path / "trades.csv"
    download.save_as(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Fund,Asset class,Action,Amount ($)"
    assert "Total Bond Index,bonds,Buy,13000.0" in lines
    assert lesson.blocked == []

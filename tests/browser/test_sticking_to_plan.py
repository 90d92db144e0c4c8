"""Lesson 9 in a real browser: the crash tool draws, answers its controls, stays local and
is accessible (``test_phone.py`` checks it on a phone)."""

from __future__ import annotations

import json

import pytest
from browser_support import SCREENSHOTS, close, open_dashboard, save_full_screenshot
from test_dashboards import serious_accessibility_violations
from test_interaction import charts, sentences, wait_for_change

LESSON = "09-sticking-to-the-plan.ipynb"


@pytest.fixture(scope="module")
def visit(browser, server):
    opened = open_dashboard(browser, server, LESSON)
    yield opened
    close(opened)


def worth(page) -> list[str]:
    return page.locator(".rebalance-worth").all_inner_texts()


def test_screenshot_at_desktop_size_before_any_move(visit):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / LESSON.replace(".ipynb", ".png")
    save_full_screenshot(visit.page, path)
    widget = path.with_name(path.stem + "-widget.png")
    save_full_screenshot(visit.page, widget, element=visit.page.locator(".rebalance-widget").first)
    assert path.stat().st_size > 10_000 and widget.stat().st_size > 5_000


def test_the_lesson_draws_both_tools_with_their_sentences(visit):
    page = visit.page
    assert page.locator(".rebalance-widget").count() == 2  # the replay and the futures
    words = sentences(page)
    assert any(s.startswith("From the start of October 2007") for s in words), words
    assert any(s.startswith("Across 1,000 futures") for s in words), words
    text = page.locator("#rendered_cells").inner_text()
    for failure in ("Traceback", "Something went wrong", "Error displaying widget"):
        assert failure not in text
    assert visit.console_errors == [] and visit.page_errors == []


def test_no_request_leaves_localhost_and_axe_finds_nothing_serious(visit):
    serious = serious_accessibility_violations(visit.page)
    assert serious == [], json.dumps(serious, indent=1)
    assert visit.blocked == [], visit.blocked


def test_a_deeper_fall_redraws_the_charts_and_says_when_the_seller_sold(visit):
    page = visit.page
    tool = page.locator(".rebalance-widget").first
    before, drawn = sentences(page), charts(page)
    slider = tool.locator(".widget-slider", has_text="Act after a fall of")
    readout = slider.locator(".widget-readout")
    assert readout.inner_text() == "20%"
    slider.locator(".noUi-handle").first.focus()
    for _ in range(4):  # four steps of 5 points, as a keyboard user moves it
        slider.locator(".noUi-handle").first.press("ArrowRight")
    after = wait_for_change(page, before, sentences)
    assert readout.inner_text() == "40%"
    assert any("selling all stocks at the end of November 2008" in s for s in after), after
    assert any("ahead of selling after the fall" in s for s in worth(page)), worth(page)
    assert charts(page) != drawn
    assert visit.console_errors == [] and visit.page_errors == [] and visit.blocked == []


def test_picking_simulated_futures_shows_their_settings_and_the_share_ahead(visit):
    page = visit.page
    tool = page.locator(".rebalance-widget").first
    before = worth(page)
    assert not tool.locator(".widget-text", has_text="Seed").is_visible()
    tool.locator(".widget-dropdown", has_text="Crash").locator("select").select_option(
        label="Simulated futures")
    after = wait_for_change(page, before, worth)
    assert after[0].startswith("Across 1,000 futures"), after
    assert tool.locator(".widget-text", has_text="Seed").is_visible()
    assert visit.console_errors == [] and visit.page_errors == [] and visit.blocked == []

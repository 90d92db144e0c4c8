"""The history lab (lesson 7) in a real browser.

A person types a span, ticks a rule, moves the stock slider, picks yearly data; the table,
the charts and their sentences change in place; nothing leaves 127.0.0.1; axe finds nothing
serious; screenshots at desktop and phone sizes.
"""

from __future__ import annotations

import json

from browser_support import SCREENSHOTS, close, open_dashboard, save_full_screenshot
from test_dashboards import serious_accessibility_violations
from test_interaction import charts, sentences, wait_for_change

LESSON = "07-history-lab.ipynb"
PHONE = {"width": 390, "height": 844}


def table_text(page) -> str:
    """The first table with its title (a paragraph just above it that names it)."""
    table = page.locator(".rebalance-table").first
    title = page.locator(f"#{table.get_attribute('aria-labelledby')}").inner_text()
    return f"{title}\n{table.inner_text()}"


def type_into(page, label: str, text: str) -> None:
    box = page.locator(".widget-text", has_text=label).locator("input")
    box.scroll_into_view_if_needed()
    box.fill(text)
    box.press("Enter")


def test_typing_a_span_and_ticking_a_rule_redraw_the_lab(browser, server):
    visit = open_dashboard(browser, server, LESSON)
    page = visit.page
    try:
        SCREENSHOTS.mkdir(exist_ok=True)
        save_full_screenshot(page, SCREENSHOTS / "history-lab-desktop.png")
        before, drawn = sentences(page), charts(page)
        assert any(s.startswith("Replaying from July 1926 to November 2022") for s in before)
        assert "1,008 / 1,002" in page.locator("#rendered_cells").inner_text()

        type_into(page, "Start year", "2019")
        after = wait_for_change(page, before, sentences, timeout=60)
        assert any(s.startswith("Replaying from January 2019 to November 2022")
                   for s in after), after
        assert sum(a != b for a, b in zip(before, after, strict=True)) >= 4
        assert charts(page) != drawn
        assert "January 2019" in table_text(page)
        assert any("end of September 2022" in s for s in after), after  # the fall of 2022

        box = page.locator(".widget-checkbox", has_text="Quarterly, 1% band").locator("input")
        box.scroll_into_view_if_needed()
        box.check()
        ticked = wait_for_change(page, after, sentences, timeout=60)
        assert "Quarterly, 1% band" in table_text(page), ticked

        slider = page.locator(".widget-slider", has_text="Stocks")
        handle, readout = slider.locator(".noUi-handle").first, slider.locator(".widget-readout")
        assert readout.inner_text() == "60%"
        handle.scroll_into_view_if_needed()
        handle.focus()
        handle.press("ArrowRight")
        handle.press("ArrowRight")
        moved = wait_for_change(page, ticked, sentences, timeout=60)
        assert readout.inner_text() == "70%"
        bonds = page.locator(".widget-slider", has_text="Bonds").locator(".widget-readout")
        assert bonds.inner_text() == "30%"  # the others made room
        assert any(s.startswith("The target was 70% in stocks") for s in moved), moved
        ticked = moved

        type_into(page, "End year", "2018")  # before the start: refused, view kept
        page.wait_for_timeout(1500)
        message = page.locator(".rebalance-message").first.inner_text()
        assert "comes before the start year" in message
        assert sentences(page) == ticked

        menu = page.locator(".widget-dropdown", has_text="Data").locator("select")
        menu.select_option(label="Yearly, 1928 to 2025")
        yearly = wait_for_change(page, ticked, sentences, timeout=60)
        assert any(s.startswith("Replaying from 2019 to") for s in yearly), yearly
        save_full_screenshot(page, SCREENSHOTS / "history-lab-desktop-after.png")

        serious = serious_accessibility_violations(page)
        assert serious == [], json.dumps(serious, indent=1)
        assert visit.console_errors == [] and visit.page_errors == []
        assert visit.blocked == [], visit.blocked
    finally:
        close(visit)


def test_the_lab_on_a_phone(browser, server):
    visit = open_dashboard(browser, server, LESSON, **PHONE)
    page = visit.page
    try:
        before = sentences(page)
        type_into(page, "Start year", "2000")
        after = wait_for_change(page, before, sentences, timeout=60)
        assert any(s.startswith("Replaying from January 2000") for s in after), after
        SCREENSHOTS.mkdir(exist_ok=True)
        save_full_screenshot(page, SCREENSHOTS / "phone-history-lab.png")
        scrolls = page.evaluate(
            "() => document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not scrolls, "the page scrolls sideways"
        assert visit.console_errors == [] and visit.page_errors == []
        assert visit.blocked == [], visit.blocked
    finally:
        close(visit)

"""A person moves a slider or ticks a box: the chart and its sentence change in place."""

from __future__ import annotations

import time

from browser_support import close, open_dashboard


def sentences(page) -> list[str]:
    return page.locator(".rebalance-sentence").all_inner_texts()


def charts(page) -> list[str]:
    return [
        chart.evaluate("e => e.innerHTML")
        for chart in page.locator(".vega-embed").all()
    ]


def wait_for_change(page, before: list[str], read, timeout: float = 30.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = read(page)
        if now != before:
            page.wait_for_timeout(500)  # let the last redraw finish
            return read(page)
        page.wait_for_timeout(200)
    return read(page)


def test_moving_the_stocks_slider_changes_the_charts_and_sentences(browser, server):
    visit = open_dashboard(browser, server, "01-asset-allocation.ipynb")
    page = visit.page
    try:
        sentences_before, charts_before = sentences(page), charts(page)
        slider = page.locator(".widget-slider", has_text="Stocks")
        handle, readout = slider.locator(".noUi-handle").first, slider.locator(".widget-readout")
        assert readout.inner_text() == "60%"
        handle.focus()
        for _ in range(5):
            handle.press("ArrowRight")
        sentences_after = wait_for_change(page, sentences_before, sentences)
        charts_after = charts(page)
        assert readout.inner_text() == "65%"  # five steps of 1 point
        assert "Your mix: 65% stocks" in sentences_after[0], sentences_after
        changed = [a != b for a, b in zip(sentences_before, sentences_after, strict=True)]
        assert sum(changed) >= 2, sentences_after  # the mix and at least one chart sentence
        assert charts_after != charts_before
        assert visit.console_errors == [] and visit.page_errors == []
        assert visit.blocked == []
    finally:
        close(visit)


def test_ticking_a_policy_adds_it_to_the_comparison_chart_and_sentence(browser, server):
    visit = open_dashboard(browser, server, "04-rebalancing-frequency.ipynb")
    page = visit.page
    try:
        sentences_before, charts_before = sentences(page), charts(page)
        table = page.locator(".rebalance-table")
        assert "Monthly" not in table.inner_text()
        box = page.locator(".widget-checkbox", has_text="Monthly").locator("input")
        assert not box.is_checked()
        box.check()
        sentences_after = wait_for_change(page, sentences_before, sentences, timeout=60)
        assert sentences_after != sentences_before
        assert "Monthly" in table.inner_text()
        assert charts(page) != charts_before
        assert visit.console_errors == [] and visit.page_errors == []
        assert visit.blocked == []
    finally:
        close(visit)


def test_a_learners_band_rule_and_a_reference_change_the_paired_chart(browser, server):
    visit = open_dashboard(browser, server, "04-rebalancing-frequency.ipynb")
    page = visit.page
    try:
        before = sentences(page)
        assert any("ahead of “Never rebalance”" in s for s in before), before
        band = page.locator(".widget-text", has_text="Band (points)").locator("input")
        band.fill("7")
        band.press("Enter")
        page.locator("button", has_text="Add this rule").click()
        after = wait_for_change(page, before, sentences, timeout=60)
        assert "7-point band" in page.locator(".rebalance-table").inner_text()
        menu = page.locator(".widget-dropdown", has_text="Set each policy against")
        menu.locator("select").select_option(label="Annual")
        changed = wait_for_change(page, after, sentences, timeout=60)
        assert any("ahead of “Annual”" in s for s in changed), changed
        assert visit.console_errors == [] and visit.page_errors == []
        assert visit.blocked == []
    finally:
        close(visit)


def test_the_autopilot_fee_and_todays_dollars_change_the_lesson(browser, server):
    visit = open_dashboard(browser, server, "08-rebalancing-on-autopilot.ipynb")
    page = visit.page
    try:
        before, drawn = sentences(page), charts(page)
        assert any("dollars of the day" in s for s in before), before
        page.locator(".widget-checkbox", has_text="Show today's dollars").locator(
            "input").check()
        after = wait_for_change(page, before, sentences, timeout=60)
        assert any("in today's dollars (prices rising" in s for s in after), after
        assert charts(page) != drawn
        fee = page.locator(".widget-text", has_text="Service fee on top").locator("input")
        fee.fill("0")
        fee.press("Enter")
        changed = wait_for_change(page, after, sentences, timeout=60)
        assert changed != after
        assert visit.console_errors == [] and visit.page_errors == []
        assert visit.blocked == []
    finally:
        close(visit)

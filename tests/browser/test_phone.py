"""Lessons on a phone (390 x 844): nothing past the right edge, slider tracks a thumb can use."""

from __future__ import annotations

import pytest
from browser_support import SCREENSHOTS, close, open_dashboard, save_full_screenshot

PHONE = {"width": 390, "height": 844}
LESSONS = [
    "03-drift.ipynb",
    "04-rebalancing-frequency.ipynb",
    "05-costs-taxes-contributions.ipynb",
    "06-rebalance-my-401k.ipynb",
    "07-history-lab.ipynb",
    "08-rebalancing-on-autopilot.ipynb",
    "09-sticking-to-the-plan.ipynb",
]

MEASURE = """() => {
  const width = window.innerWidth;
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const selectors = ['.widget-slider', '.widget-text', '.widget-dropdown', '.widget-checkbox',
                     '.widget-button', '.widget-radio-box', '.rebalance-chart-panel',
                     '.vega-embed canvas', '.vega-embed svg', '.rebalance-sentence', 'table'];
  const past = [];
  for (const selector of selectors) {
    document.querySelectorAll('#rendered_cells ' + selector).forEach((e) => {
      if (visible(e) && e.getBoundingClientRect().right > width + 1) {
        past.push(selector + ': ' + (e.innerText || '').slice(0, 40));
      }
    });
  }
  const sliders = document.querySelectorAll('#rendered_cells .widget-slider .noUi-target');
  const tracks = Array.from(sliders).filter(visible)
    .map((e) => Math.round(e.getBoundingClientRect().width));
  const overlaps = [];
  document.querySelectorAll('#rendered_cells .widget-radio-box').forEach((box) => {
    const labels = Array.from(box.querySelectorAll('label')).filter(visible);
    labels.filter((l) => l.scrollHeight > l.clientHeight + 1)  // text spilling out of its box
      .forEach((l) => overlaps.push((l.innerText || '').slice(0, 40)));
    for (let i = 1; i < labels.length; i++) {
      const above = labels[i - 1].getBoundingClientRect();
      if (above.bottom > labels[i].getBoundingClientRect().top + 1) {
        overlaps.push((labels[i - 1].innerText || '').slice(0, 40));
      }
    }
  });
  // the height of each chart's words as drawn (a chart shrunk to the screen shrinks them)
  const words = Array.from(document.querySelectorAll('#rendered_cells .vega-embed svg text'))
    .filter(visible).map((e) => e.getBoundingClientRect().height);
  return {past, tracks, overlaps, scrolls: document.documentElement.scrollWidth > width + 1,
          smallestWords: words.length ? Math.min(...words) : null};
}"""


@pytest.mark.parametrize("name", LESSONS)
def test_a_lesson_fits_a_phone(browser, server, name):
    visit = open_dashboard(browser, server, name, **PHONE)
    try:
        found = visit.page.evaluate(MEASURE)
        SCREENSHOTS.mkdir(exist_ok=True)
        save_full_screenshot(visit.page, SCREENSHOTS / f"phone-{name.removesuffix('.ipynb')}.png")
        assert found["past"] == [], found["past"]
        assert found["overlaps"] == [], found["overlaps"]  # a wrapped answer runs over the next
        assert not found["scrolls"], "the page scrolls sideways"
        assert all(track >= 120 for track in found["tracks"]), found["tracks"]
        # chart words at least 9 px high (about their size on a wide screen), not shrunk
        assert found["smallestWords"] is None or found["smallestWords"] >= 9, found
        assert visit.console_errors == [] and visit.page_errors == []
    finally:
        close(visit)


def test_a_touch_drag_moves_a_slider_by_a_sensible_step(browser, server):
    visit = open_dashboard(browser, server, "03-drift.ipynb", **PHONE)
    page = visit.page
    try:
        slider = page.locator(".widget-slider", has_text="Stocks")
        slider.locator(".noUi-handle").first.scroll_into_view_if_needed()
        track = slider.locator(".noUi-target").first.bounding_box()
        readout = slider.locator(".widget-readout").first
        assert readout.inner_text() == "80%"
        handle = slider.locator(".noUi-handle").first.bounding_box()
        x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 6):  # a 25 px drag of the thumb, as a finger moves
            page.mouse.move(x - 5 * step, y)
            page.wait_for_timeout(30)
        page.mouse.up()
        page.wait_for_timeout(800)
        moved = int(readout.inner_text().rstrip("%"))
        assert track["width"] >= 120
        assert 60 <= moved < 80, moved  # a 25 px drag moves about ten points, not to 100
    finally:
        close(visit)

"""Dashboards for screen readers, keyboards, paper and spreadsheets.

Slider values announced as shown and kept current; every Tab stop named, one per slider;
numbered rows; quiz choices grouped; a visible focus ring; a lesson printed whole; tables
saved as CSV files made in the page.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from browser_support import SCREENSHOTS, close, open_dashboard

#: The accessible name of the focused element, as a screen reader would read it (enough of
#: the accessible-name rules for the controls of the lessons).
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const byId = (ids) => ids.split(/\\s+/).map(id => document.getElementById(id))
      .filter(Boolean).map(n => n.innerText).join(' ');
  let name = e.getAttribute('aria-label') || '';
  if (!name && e.getAttribute('aria-labelledby')) name = byId(e.getAttribute('aria-labelledby'));
  if (!name && e.labels && e.labels.length) name = e.labels[0].innerText;
  if (!name && ['BUTTON', 'A', 'SUMMARY'].includes(e.tagName)) name = e.innerText;
  if (!name && e.closest('label')) name = e.closest('label').innerText;
  if (!name) name = e.getAttribute('title') || '';
  return {name: name.trim(), tag: e.tagName, cls: String(e.className),
          inCells: !!e.closest('#rendered_cells')};
}"""


@pytest.fixture(scope="module")
def drift(browser, server):
    visit = open_dashboard(browser, server, "03-drift.ipynb")
    yield visit
    close(visit)


@pytest.fixture(scope="module")
def calculator(browser, server):
    visit = open_dashboard(browser, server, "06-rebalance-my-401k.ipynb")
    yield visit
    close(visit)


def stocks_slider(page):
    slider = page.locator(".widget-slider", has_text="Stocks").first
    return slider, slider.locator(".noUi-handle").first, slider.locator(".widget-readout").first


def test_a_slider_announces_its_value_as_shown_and_keeps_it_current(drift):
    page = drift.page
    slider, handle, readout = stocks_slider(page)
    assert handle.get_attribute("aria-label") == "Stocks"
    assert handle.get_attribute("aria-valuetext") == readout.inner_text() == "80%"
    sentence = page.locator(".rebalance-sentence").first
    before = sentence.inner_text()
    handle.focus()
    page.keyboard.press("ArrowRight")  # one step: 5 points
    page.wait_for_function("e => e.getAttribute('aria-valuetext') === '85%'",
                           arg=handle.element_handle(), timeout=10_000)
    assert readout.inner_text() == "85%"
    assert float(handle.get_attribute("aria-valuenow")) == pytest.approx(0.85)
    page.wait_for_function("([e, t]) => e.innerText !== t",
                           arg=[sentence.element_handle(), before], timeout=60_000)
    assert sentence.inner_text() != before


def test_every_tab_stop_is_named_and_a_slider_is_one_stop(drift):
    page = drift.page
    page.locator("#rendered_cells h1").first.click()
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUSED)
        if found is None or not found["inCells"]:
            continue
        if stops and found == stops[0]:
            break
        stops.append(found)
    assert len(stops) > 10, stops
    assert [s for s in stops if not s["name"]] == [], "unnamed Tab stops"
    assert not [s for s in stops if "widget-readout" in s["cls"]], "a readout is a Tab stop"
    sliders = [s["name"] for s in stops if "noUi-handle" in s["cls"]]
    assert sliders.count("Stocks") == 1 and "Years" in sliders, sliders


def test_a_focused_text_box_shows_a_clear_ring(drift):
    page = drift.page
    box = page.locator(".widget-text input").first
    box.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focused from the keyboard, as :focus-visible needs
    ring = box.evaluate("e => { const s = getComputedStyle(e);"
                        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }")
    assert ring[0] == "solid" and ring[1] >= 3, ring
    SCREENSHOTS.mkdir(exist_ok=True)
    box.locator("xpath=ancestor::div[contains(@class,'widget-hbox')][1]").screenshot(
        path=str(SCREENSHOTS / "focus-ring.png"))
    quiz = page.locator(".rebalance-quiz").last
    choice = quiz.get_by_role("radio").first
    choice.focus()
    page.keyboard.press("ArrowDown")  # a radio group is walked with the arrow keys
    focused = quiz.get_by_role("radio").nth(1)
    ring = focused.evaluate("e => [document.activeElement === e,"
                            " parseFloat(getComputedStyle(e).outlineWidth)]")
    assert ring == [True, 3], ring
    quiz.screenshot(path=str(SCREENSHOTS / "focus-ring-quiz.png"))


def test_a_quizs_choices_are_one_tab_stop_chosen_with_the_arrow_keys(drift):
    page = drift.page
    quiz = page.locator(".rebalance-quiz").first
    radios = quiz.get_by_role("radio")
    for index in range(radios.count()):  # each button left of its answer
        box, label = radios.nth(index).bounding_box(), quiz.locator("label").nth(index)
        assert box["x"] < label.evaluate("e => e.getBoundingClientRect().x") + 30
    radios.first.focus()
    page.keyboard.press("ArrowDown")  # chooses the next answer, as radio buttons do
    page.wait_for_function("e => e.checked", arg=radios.nth(1).element_handle(), timeout=10_000)
    page.keyboard.press("Tab")  # leaves the set: the next stop is the Check button
    assert page.evaluate("document.activeElement.innerText").strip() == "Check"
    page.keyboard.press("Enter")
    feedback = quiz.locator(".rebalance-sentence").last
    page.wait_for_function("e => /^(Right|Not quite)/.test(e.innerText)",
                           arg=feedback.element_handle(), timeout=30_000)


def test_quiz_choices_are_grouped_under_their_question(drift):
    page = drift.page
    group = page.get_by_role("radiogroup", name=re.compile("What does rebalancing do"))
    assert group.count() == 1
    assert group.get_by_role("radio").count() == 3


def test_the_questionnaires_answers_are_grouped_under_their_question(browser, server):
    visit = open_dashboard(browser, server, "02-risk-tolerance.ipynb")
    try:
        groups = visit.page.get_by_role("radiogroup", name=re.compile(r"^1\. "))
        assert groups.count() == 1
        assert groups.get_by_role("radio").count() >= 3
        named = visit.page.locator(".widget-radio .widget-radio-box[role=radiogroup]")
        assert named.count() == visit.page.locator(".widget-radio").count()
    finally:
        close(visit)


def test_the_calculators_rows_say_their_number(calculator):
    page = calculator.page
    for number in (1, 2, 3):
        assert page.get_by_role("button", name=f"Remove, Fund {number}", exact=True).count() == 1
        assert page.get_by_role("combobox", name=f"Class, Fund {number}").count() == 1
        amount = page.get_by_role("textbox", name=re.compile(rf"^Amount.*, Fund {number}$"))
        assert amount.count() == 1


@pytest.mark.parametrize(
    ("name", "button", "header"),
    [
        ("04-rebalancing-frequency.ipynb", "Download this table (CSV)",
         ["Policy", "Ending balance ($)", "Annualised return (%)"]),
        ("07-history-lab.ipynb", "Download this table (CSV)",
         ["Rule", "Average share in stocks (%)", "Rebalances"]),
        ("06-rebalance-my-401k.ipynb", "Download the trades (CSV)",
         ["Fund", "Asset class", "Action", "Amount ($)"]),
    ],
)
def test_a_table_downloads_as_a_csv_file_made_in_the_page(browser, server, name, button, header,
                                                         tmp_path):
    visit = open_dashboard(browser, server, name)
    page = visit.page
    try:
        with page.expect_download(timeout=30_000) as started:
            page.get_by_role("button", name=button).click()
        download = started.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert rows[0][: len(header)] == header
        assert len(rows) >= 2
        assert download.url.startswith("blob:")
        assert visit.blocked == [] and visit.console_errors == []
    finally:
        close(visit)


def test_a_lesson_prints_whole_with_its_charts(drift, tmp_path):
    page = drift.page
    headings = page.locator("#rendered_cells h2").all_inner_texts()
    last = headings[-1].replace("¶", "").strip()
    pdf = page.pdf(format="Letter", print_background=True, outline=True, tagged=True)
    (tmp_path / "lesson.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages > 1, pages
    assert f"({last})".encode() in pdf, f"the last heading {last!r} is not in the PDF"
    page.emulate_media(media="print")
    try:
        tall = page.evaluate("() => document.documentElement.scrollHeight / innerHeight")
        assert tall > 2, "on paper the lesson still scrolls inside a box"
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "print-03-drift.png"), full_page=True)
        charts = page.locator(".vega-embed .marks")
        assert charts.count() >= 2
        assert all(charts.nth(i).is_visible() for i in range(charts.count()))
    finally:
        page.emulate_media(media="screen")

"""Every dashboard in a real browser: renders, no errors, nothing external, no source, a11y."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from browser_support import (
    AXE,
    DASHBOARDS,
    ERROR_OUTPUTS,
    NOTEBOOKS,
    SCREENSHOTS,
    close,
    open_page,
    require_or_skip,
    save_full_screenshot,
)

from rebalance_widgets.chart_library import LIBRARY_ROUTE
from rebalance_widgets.dashboards import draws_charts

TEACHER_ONLY_TAG = "skip-voila"


def code_cells(name: str, *, teacher_only: bool | None = None) -> list[str]:
    notebook = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    sources = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        tagged = TEACHER_ONLY_TAG in cell.get("metadata", {}).get("tags", [])
        if teacher_only is None or tagged == teacher_only:
            source = cell["source"]
            sources.append("".join(source) if isinstance(source, list) else source)
    return sources


def test_dashboard_renders_its_widgets_without_errors(dashboard):
    page = dashboard.page
    if code_cells(dashboard.name, teacher_only=False):  # the glossary is words only
        assert page.locator(".jupyter-widgets").count() > 0, "no widget was drawn"
    assert page.locator(ERROR_OUTPUTS).count() == 0, page.locator(ERROR_OUTPUTS).all_inner_texts()
    text = page.locator("#rendered_cells").inner_text()
    for failure in ("Error displaying widget", "Traceback", "Something went wrong"):
        assert failure not in text
    messages = page.locator(".rebalance-message").all_inner_texts()
    assert not [m for m in messages if m.startswith("Please fix")], messages
    assert dashboard.page_errors == []
    assert dashboard.console_errors == []


def test_lesson_text_shows_dollars_as_dollars_and_no_math(dashboard):
    page = dashboard.page
    text = "\n".join(page.locator(".jp-MarkdownCell").all_inner_texts())
    assert text.count("$") == len(re.findall(r"\$\d", text)), [
        line for line in text.splitlines() if "$" in line]
    math = ".jp-MarkdownCell mjx-container, .jp-MarkdownCell .MathJax, .jp-MarkdownCell .katex"
    assert page.locator(math).count() == 0
    # The widgets' labels and the names a screen reader reads: "$", never a "\$"
    # (the kit escapes "$" in labels for a front end that typesets them).
    shown = page.locator("#rendered_cells").inner_text()
    named = page.evaluate("""() => Array.from(document.querySelectorAll('[aria-label]'))
                                    .map(e => e.getAttribute('aria-label')).join('\\n')""")
    if dashboard.name.startswith("06"):
        assert "Amount ($)" in page.locator(".widget-label").all_inner_texts()
    assert "\\$" not in shown + named, [
        line for line in (shown + named).splitlines() if "\\$" in line]


def test_no_request_leaves_localhost(dashboard):
    assert dashboard.blocked == [], f"requests to other hosts: {dashboard.blocked}"


def test_a_page_with_charts_loads_their_library_once(dashboard):
    asked = [url for url in dashboard.requested if url.endswith(LIBRARY_ROUTE)]
    assert len(asked) == (1 if draws_charts(NOTEBOOKS / dashboard.name) else 0), asked


def test_page_holds_no_notebook_source(dashboard):
    page = dashboard.page
    code_views = ".jp-CodeCell .jp-InputArea, .jp-CodeMirrorEditor, .cm-editor, .highlight"
    assert page.locator(code_views).count() == 0
    html = page.content()
    for source in code_cells(dashboard.name):
        for line in source.splitlines():
            if line.startswith(("from ", "import ")) or "link((" in line:
                assert line not in html, f"source line shown: {line}"
    for source in code_cells(dashboard.name, teacher_only=True):
        first = source.splitlines()[0]
        assert first not in html, f"teacher-only cell shown: {first}"


def test_screenshot(dashboard):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / dashboard.name.replace(".ipynb", ".png")
    save_full_screenshot(dashboard.page, path)
    assert path.stat().st_size > 10_000
    widgets = dashboard.page.locator(".rebalance-widget")
    if widgets.count():  # the lesson's main widget alone, for the documentation
        widget_path = path.with_name(path.stem + "-widget.png")
        save_full_screenshot(dashboard.page, widget_path, element=widgets.first)
        assert widget_path.stat().st_size > 5_000


def serious_accessibility_violations(page) -> list[dict]:
    """Run axe-core on the page; return its critical and serious violations."""
    if not AXE.exists():
        require_or_skip(f"{AXE} is missing; run `npm ci`")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }"""
    )
    return [v for v in violations if v["impact"] in ("critical", "serious")]


def test_accessibility_has_no_serious_violations(dashboard):
    serious = serious_accessibility_violations(dashboard.page)
    assert serious == [], json.dumps(serious, indent=1)


def test_landing_page_lists_only_the_dashboards(browser, server):
    visit = open_page(browser)
    try:
        visit.page.goto(server.url)
        links = visit.page.locator("main a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert hrefs == [f"/voila/render/{name}" for name in DASHBOARDS]
        assert visit.page.locator("h1").inner_text() == "Rebalancing lessons"
        SCREENSHOTS.mkdir(exist_ok=True)
        visit.page.screenshot(path=str(SCREENSHOTS / "landing.png"), full_page=True)
        assert visit.blocked == []
        assert visit.console_errors == []
        serious = serious_accessibility_violations(visit.page)
        assert serious == [], json.dumps(serious, indent=1)
    finally:
        close(visit)


@pytest.mark.parametrize(
    "path",
    [
        f"voila/files/{DASHBOARDS[0]}",
        "voila/files/../pyproject.toml",
        "voila/render/../pyproject.toml",
        "voila/tree/..",
        "api/contents",
        "voila/api/contents/..",
    ],
)
def test_no_file_is_served_beyond_the_dashboards(server, path):
    try:
        with urllib.request.urlopen(server.url + path, timeout=10) as response:
            body = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        assert error.code in (403, 404)
        return
    assert "[project]" not in body and '"cells"' not in body, body[:300]

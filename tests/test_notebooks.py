"""The teaching notebooks follow the series' rules (they are executed by nbval separately)."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter
from nbconvert.filters.markdown import markdown2html_mistune

from rebalance_widgets.dashboards import TEACHER_ONLY_TAG
from rebalance_widgets.dashboards.markdown import DOLLAR, DollarSignPreprocessor, dollars_as_text

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [path.name for path in NOTEBOOKS]
GLOSSARY = ROOT / "notebooks" / "glossary.ipynb"
PAGES = [path for path in NOTEBOOKS if path != GLOSSARY]  # the start page and the lessons
LESSONS = [path for path in PAGES if not path.name.startswith("00-")]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def committed(path: Path) -> dict:
    """The notebook as git holds it (its index), else the file: outputs that JupyterLab's
    autosave writes into the working copy are stripped when the file is added
    (nbstripout, set up by ``make``), so they never reach the repository."""
    done = subprocess.run(["git", "show", f":{path.relative_to(ROOT).as_posix()}"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    return json.loads(done.stdout) if done.returncode == 0 else load(path)


def text(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def cells(path: Path, kind: str, *, teacher_only: bool | None = None) -> list[str]:
    found = []
    for cell in load(path)["cells"]:
        tagged = TEACHER_ONLY_TAG in cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == kind and (teacher_only is None or tagged == teacher_only):
            found.append(text(cell))
    return found


def markdown(path: Path) -> str:
    return "\n".join(cells(path, "markdown"))


def test_notebooks_are_stripped_when_added_to_git():
    attributes = (ROOT / ".gitattributes").read_text()
    assert "*.ipynb filter=nbstripout" in attributes


def test_the_series_has_every_lesson():
    assert NAMES == [
        "00-start-here.ipynb",
        "01-asset-allocation.ipynb",
        "02-risk-tolerance.ipynb",
        "03-drift.ipynb",
        "04-rebalancing-frequency.ipynb",
        "05-costs-taxes-contributions.ipynb",
        "06-rebalance-my-401k.ipynb",
        "07-history-lab.ipynb",
        "08-rebalancing-on-autopilot.ipynb",
        "09-sticking-to-the-plan.ipynb",
        "glossary.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_stored_without_outputs(path):
    for cell in committed(path)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_title_goals_quiz_and_key_points(path):
    notebook = load(path)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert notebook["metadata"]["title"] and notebook["metadata"]["description"]
    first = text(notebook["cells"][0])
    assert first.startswith("# ")
    assert "you will learn" in first
    words = markdown(path)
    assert "## Key points" in words
    assert "## Quick check" in words
    assert any("Quiz(" in source for source in cells(path, "code", teacher_only=False))


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_lessons_explain_their_words_and_suggest_things_to_try(path):
    words = markdown(path)
    assert "**Words used here**" in words
    for term in ("**Stocks**", "**Bonds**", "**mix**"):
        assert term in words
    assert "> **Try this**" in words
    if "basis point" in words.lower():
        assert "0.01%" in words  # a basis point is explained where it is used


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_lessons_that_quote_market_history_name_its_sources(path):
    words = markdown(path)
    if re.search(r"\b19[2-9]\d\b", words) and "histor" in words.lower():  # quotes history
        assert "French" in words and "Shiller" in words, path.name


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_claims_are_checked_by_teacher_only_cells(path):
    checks = cells(path, "code", teacher_only=True)
    assert checks, "a lesson checks its claims"
    for source in checks:
        assert "assert " in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_code_cells_only_place_widgets(path):
    for source in cells(path, "code", teacher_only=False):
        lines = [line for line in source.splitlines() if line.strip()]
        assert len(lines) <= 16, source
        for keyword in ("def ", "for ", "while ", "class ", "lambda"):
            assert not any(line.lstrip().startswith(keyword) for line in lines), source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_lesson_text_holds_no_dollar_sign_a_markdown_parser_could_read_as_math(path):
    # JupyterLab's and Notebook 7's renderer cut ``$ ... $`` out of the source as math
    # before Markdown is read; amounts are written <span>&#36;8,000</span> instead.
    for source in cells(path, "markdown"):
        assert "$" not in source, source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_dollar_amounts_render_as_dollars_as_a_static_viewer_and_mathjax_see_them(path):
    """Render each Markdown cell with nbconvert (a static viewer, and Voila's converter),
    then split the page's text into the runs MathJax scans: an amount shows as "$" and
    digits, and no run holds two "$" that MathJax would pair into a formula."""
    for source in cells(path, "markdown"):
        runs = mathjax_text_runs(markdown2html_mistune(source))
        shown = "".join(runs)
        assert shown.count("$") == source.count(DOLLAR), shown
        assert len(re.findall(r"\$\d", shown)) == shown.count("$"), shown
        assert all(run.count("$") < 2 for run in runs), [r for r in runs if r.count("$") > 1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_a_static_html_page_of_the_lesson_gives_mathjax_no_pair_of_dollars(path):
    """The whole lesson exported as nbconvert's static HTML page (what a notebook viewer
    shows, MathJax included): outside code, no run of text holds two dollar signs."""
    page, _ = HTMLExporter(template_name="lab").from_filename(str(path))
    runs = mathjax_text_runs(page)
    assert not [run for run in runs if run.count("$") > 1]
    assert sum(len(re.findall(r"\$\d", run)) for run in runs) >= markdown(path).count(DOLLAR)


def test_dollars_as_text_rewrites_escaped_and_bare_amounts_but_not_formulas():
    assert dollars_as_text(r"\$8,000 and \$2,000.50") == (
        "<span>&#36;8,000</span> and <span>&#36;2,000.50</span>")
    assert dollars_as_text("$5 million") == "<span>&#36;5 million</span>"
    assert dollars_as_text(r"\$60,000, then") == "<span>&#36;60,000</span>, then"
    assert dollars_as_text("a formula $x$") == "a formula $x$"
    written = dollars_as_text(r"\$8 in stocks, \$2 in bonds")
    assert all(run.count("$") < 2 for run in mathjax_text_runs(markdown2html_mistune(written)))
    old_form = mathjax_text_runs(markdown2html_mistune(r"\$8 in stocks, \$2 in bonds"))
    assert any(run.count("$") == 2 for run in old_form)  # what JupyterLab typeset as math


class _TextRuns(HTMLParser):
    """Text runs as MathJax 3 collects them: a run ends at the edge of any element but
    ``br`` and ``wbr``; ``script``, ``style``, ``code`` and ``pre`` are skipped."""

    SKIP = {"script", "style", "code", "pre", "textarea", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs, self.current, self.skipping = [], "", 0

    def _end_run(self) -> None:
        if self.current:
            self.runs.append(self.current)
        self.current = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "wbr"):
            return
        self._end_run()
        self.skipping += tag in self.SKIP

    def handle_endtag(self, tag):
        self._end_run()
        self.skipping -= tag in self.SKIP

    def handle_data(self, data):
        if not self.skipping:
            self.current += data


def mathjax_text_runs(html: str) -> list[str]:
    parser = _TextRuns()
    parser.feed(html)
    parser.close()
    parser._end_run()
    return parser.runs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_relative_links_lead_to_lessons(path):
    for target in re.findall(r"\]\(([^)#:]+\.ipynb)\)", markdown(path)):  # not http(s):
        assert (path.parent / target).is_file(), target


def test_start_here_links_every_lesson_with_relative_links_only():
    words = markdown(NOTEBOOKS[0])
    for name in NAMES[1:]:
        assert f"]({name})" in words
    targets = re.findall(r"\]\(([^)]+)\)", words)
    assert targets and all("://" not in target for target in targets), targets


def test_start_here_is_written_for_learners():
    # No placeholder, no tool words, no address that only works on one machine or port.
    words = markdown(NOTEBOOKS[0])
    for word in ("OWNER", "Replace", "skip-voila", "127.0.0.1", "localhost", "http://",
                 "https://", "make dashboards", "`", "Voila", "nbval", "teacher"):
        assert word not in words, word
    code = "\n".join(cells(NOTEBOOKS[0], "code"))
    assert "binder_links()" in code  # the online links show only where an address is set


def test_readme_has_no_placeholder_binder_badges():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "OWNER" not in readme
    assert not re.findall(r"https://mybinder\.org/v2/gh/(?!<owner>)", readme)  # no badge


def test_the_dashboards_rewrite_a_teachers_escaped_dollars_too():
    cell = nbformat.v4.new_markdown_cell(r"Put \$8,000 in stocks and \$2,000 in bonds.")
    done, _ = DollarSignPreprocessor().preprocess_cell(cell, {}, 0)
    assert done.source == ("Put <span>&#36;8,000</span> in stocks and "
                           "<span>&#36;2,000</span> in bonds.")
    code = nbformat.v4.new_code_cell('print("\\$5")')
    assert DollarSignPreprocessor().preprocess_cell(code, {}, 0)[0].source == code.source

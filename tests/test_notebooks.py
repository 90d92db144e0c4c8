"""The teaching notebooks follow the series' rules (they are executed by nbval separately)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from rebalance_widgets.dashboards import TEACHER_ONLY_TAG
from rebalance_widgets.dashboards.markdown import keep_dollar_signs

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [path.name for path in NOTEBOOKS]
GLOSSARY = ROOT / "notebooks" / "glossary.ipynb"
PAGES = [path for path in NOTEBOOKS if path != GLOSSARY]  # the start page and the lessons
LESSONS = [path for path in PAGES if not path.name.startswith("00-")]
BINDER = "https://mybinder.org/v2/gh/OWNER/rebalance-widgets/HEAD"


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
def test_dollar_signs_are_escaped(path):
    # A bare $ starts a formula in Jupyter's Markdown: money amounts are written \$.
    for source in cells(path, "markdown"):
        assert not re.search(r"(?<!\\)\$", source), source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_relative_links_lead_to_lessons(path):
    for target in re.findall(r"\]\(([^)#:]+\.ipynb)\)", markdown(path)):  # not http(s):
        assert (path.parent / target).is_file(), target


def test_start_here_links_every_lesson_and_both_binder_views():
    words = markdown(NOTEBOOKS[0])
    for name in NAMES[1:]:
        assert f"]({name})" in words
    assert f"({BINDER}?urlpath=lab%2Ftree%2Fnotebooks%2F00-start-here.ipynb)" in words
    assert f"({BINDER}?urlpath=voila%2Frender%2Fnotebooks%2F00-start-here.ipynb)" in words


def test_readme_binder_badges_use_the_same_placeholder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"https://mybinder\.org/v2/gh/[^?\s)]+", readme)
    assert links and set(links) == {BINDER}
    assert "urlpath=voila%2Frender%2Fnotebooks%2F00-start-here.ipynb" in readme
    assert "urlpath=lab%2Ftree%2Fnotebooks%2F00-start-here.ipynb" in readme


def test_dollar_signs_survive_voila_markdown():
    assert keep_dollar_signs(r"\$8,000 and \$2,000") == r"\\$8,000 and \\$2,000"
    assert keep_dollar_signs(r"already \\$5") == r"already \\$5"
    assert keep_dollar_signs("a formula $x$") == "a formula $x$"

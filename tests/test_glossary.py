"""One glossary defines every word the lessons and the widgets put on screen."""

from __future__ import annotations

import json
import re
from pathlib import Path

import ipywidgets
import pytest

import rebalance_widgets
from rebalance_widgets.charts.study import STUDY_METRICS
from rebalance_widgets.widgets.comparison import METRICS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GLOSSARY = NOTEBOOKS / "glossary.ipynb"
PAGES = sorted(path for path in NOTEBOOKS.glob("*.ipynb") if path != GLOSSARY)

#: Words of the field a learner meets on screen; each one must be in the glossary.
JARGON = (
    "401(k)", "annual additions", "annualised return", "asset allocation", "automatic",
    "band", "basis point", "bonds", "calendar", "CAPE", "cash flows", "catch-up", "CPI",
    "deferral", "drawdown", "drift", "elective deferral", "employer match",
    "expense ratio", "forward-looking", "futures", "glide path", "inflation",
    "look-through", "match", "median", "Monte Carlo", "percentile", "rebalanc",
    "robo-adviser", "Roth", "seed", "simulated futures", "stocks", "target-date",
    "taxable", "threshold", "today's dollars", "trading cost", "turnover", "volatility",
    "worst 12 months", "worst drawdown", "index fund", "yield", "bill rate", "dividends",
    "interest", "IRS", "S&P 500", "month's end", "standard deviation", "log scale",
)


def markdown(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"]
            if cell["cell_type"] == "markdown"]


def defined() -> dict[str, str]:
    """Every name the glossary defines (its terms and their "also" names), lower case."""
    names = {}
    for text in markdown(GLOSSARY):
        for term, also in re.findall(r"^- \*\*(.+?)\*\*(?: \(also: (.+?)\))?:", text, re.M):
            names[term.lower()] = term
            for other in filter(None, (also or "").split(", ")):
                names[other.replace("<span>&#36;", "$").replace("</span>", "").lower()] = term
    return names


def is_defined(word: str, names: dict[str, str]) -> bool:
    word = word.lower().strip()
    return any(candidate in names for candidate in (word, word.rstrip("s"), word + "s"))


def test_the_glossary_defines_many_terms_in_order():
    terms = [term for text in markdown(GLOSSARY)
             for term in re.findall(r"^- \*\*(.+?)\*\*", text, re.M)]
    assert len(terms) >= 45
    assert terms == sorted(terms, key=str.lower)


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_every_word_a_lesson_explains_is_in_the_glossary_and_linked(path):
    names = defined()
    words = next(text for text in markdown(path) if text.startswith("**Words used here**"))
    for term in re.findall(r"\*\*([^*]+)\*\*", words):
        if term != "Words used here":
            assert is_defined(term, names), f"{path.name}: {term!r} is not in the glossary"
    assert "](glossary.ipynb)" in "\n".join(markdown(path))


def test_the_start_page_lists_the_glossary():
    assert "[glossary](glossary.ipynb)" in "\n".join(markdown(NOTEBOOKS / "00-start-here.ipynb"))


def test_every_metric_title_on_screen_is_defined():
    names = defined()
    titles = [metric.title for metric in METRICS] + [title for title, _ in STUDY_METRICS.values()]
    for title in titles:
        words = title.lower()
        assert any(name in words for name in names), f"{title!r} is not in the glossary"


def visible_text(widget: ipywidgets.Widget) -> str:
    """What a person reads: labels, options, HTML and sentences of a widget's tree."""
    found = []
    stack = [widget]
    while stack:
        node = stack.pop()
        for name in ("description", "value", "tooltip"):
            value = getattr(node, name, None)
            if isinstance(value, str):
                found.append(value)
        for option in getattr(node, "options", ()) or ():
            found.append(option[0] if isinstance(option, tuple) else str(option))
        stack.extend(getattr(node, "children", ()) or ())
    return re.sub(r"<[^>]+>", " ", " ".join(found))


def test_every_field_word_on_screen_or_in_a_lesson_is_defined():
    names = defined()
    shown = [visible_text(getattr(rebalance_widgets, name)(**(
        {"n_paths": 20} if name not in ("AllocationSliders", "AllocationChart",
                                        "RiskQuestionnaire", "RebalanceCalculator") else {})))
        for name in rebalance_widgets.WIDGETS]
    shown += ["\n".join(markdown(path)) for path in PAGES]
    text = "\n".join(shown).lower()
    missing = [word for word in JARGON
               if word.lower() in text and not any(word.lower() in name or name in word.lower()
                                                   for name in names)]
    assert not missing, f"on screen but not in the glossary: {missing}"
    for word in ("worst drawdown", "percentile", "monte carlo", "simulated futures"):
        assert word in names

r"""Dollar amounts in lesson text that every front end shows as dollars, never as math.

Each front end reads a ``$`` in Markdown its own way. JupyterLab 4 and Notebook 7 turn
``\$8,000`` into a bare ``$`` and then let MathJax scan the page, so the text between two
amounts becomes italic math ("8,000*instocksand*2,000"); Voila's converter and a static
viewer (nbconvert) have their own rules again. MathJax finds a formula only inside one run
of text: it never pairs a ``$`` with another ``$`` across an element's edge. So the lessons
write an amount as ``<span>&#36;8,000</span>``: the source holds no ``$`` for a Markdown
parser to take as math, the browser shows the entity as "$", and each amount sits alone in
its own element where MathJax cannot pair it.

:func:`dollars_as_text` rewrites ``\$`` (or a bare ``$`` before a digit) into that form;
:class:`DollarSignPreprocessor` does it on the dashboards for any notebook that still writes
``\$`` (a teacher's own, say). ``tests/test_notebooks.py`` renders the lessons as a static
viewer does and the browser tests look at JupyterLab, Notebook 7 and Voila.
"""

from __future__ import annotations

import re
from typing import Any

from nbconvert.preprocessors import Preprocessor

__all__ = ["DOLLAR", "DollarSignPreprocessor", "dollars_as_text"]

#: How one dollar sign is written in lesson text (an amount follows it inside the span).
DOLLAR = "&#36;"

_AMOUNT = re.compile(r"(?:\\\$|\$(?=\d))(\d(?:[\d,]*\d)?(?:\.\d+)?(?:\s(?:million|billion))?)?")


def dollars_as_text(markdown: str) -> str:
    r"""Write every dollar amount so that no front end reads it as math.

    ``\$8,000`` and ``$8,000`` (a ``$`` followed by a digit) become
    ``<span>&#36;8,000</span>``; a lone ``\$`` becomes ``<span>&#36;</span>``. A formula
    such as ``$x^2$`` (a ``$`` not followed by a digit) is left alone.

    Parameters
    ----------
    markdown : str
        Markdown text of a notebook cell.

    Returns
    -------
    str
        The same text with its dollar amounts rewritten.

    Examples
    --------
    >>> dollars_as_text(r"Put \$8,000 in stocks and \$2,000 in bonds; $x^2$ stays.")
    'Put <span>&#36;8,000</span> in stocks and <span>&#36;2,000</span> in bonds; $x^2$ stays.'
    """
    return _AMOUNT.sub(lambda found: f"<span>{DOLLAR}{found.group(1) or ''}</span>", markdown)


class DollarSignPreprocessor(Preprocessor):
    """Apply :func:`dollars_as_text` to every Markdown cell (for Voila's exporter)."""

    def preprocess_cell(
        self, cell: Any, resources: dict[str, Any], index: int
    ) -> tuple[Any, dict[str, Any]]:
        """Rewrite one Markdown cell; other cells pass through unchanged."""
        if cell.cell_type == "markdown":
            cell.source = dollars_as_text(cell.source)
        return cell, resources

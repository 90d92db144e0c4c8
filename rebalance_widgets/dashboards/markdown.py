r"""Keep escaped dollar signs as dollar signs on the dashboards.

In a notebook, ``\$8,000`` is how Markdown writes a dollar amount that is not a formula
(JupyterLab shows "$8,000"). Voila's Markdown renderer turns ``\$`` into a bare ``$`` in the
page, and the page's math typesetter then reads the text between two amounts as a formula
("$8,000 in stocks and $" in italics). This preprocessor doubles the backslash before Voila
renders the Markdown, so the page keeps ``\\$``, which the typesetter shows as a plain "$".
"""

from __future__ import annotations

import re
from typing import Any

from nbconvert.preprocessors import Preprocessor

__all__ = ["DollarSignPreprocessor", "keep_dollar_signs"]

_ESCAPED_DOLLAR = re.compile(r"(?<!\\)\\\$")


def keep_dollar_signs(markdown: str) -> str:
    r"""Double the backslash of every escaped dollar sign (``\$`` -> ``\\$``).

    Parameters
    ----------
    markdown : str
        Markdown text of a notebook cell.

    Returns
    -------
    str

    Examples
    --------
    >>> keep_dollar_signs(r"Put \$8,000 in stocks and \$2,000 in bonds; $x^2$ stays.")
    'Put \\\\$8,000 in stocks and \\\\$2,000 in bonds; $x^2$ stays.'
    """
    return _ESCAPED_DOLLAR.sub(r"\\\\$", markdown)


class DollarSignPreprocessor(Preprocessor):
    """Apply :func:`keep_dollar_signs` to every Markdown cell (for Voila's exporter)."""

    def preprocess_cell(
        self, cell: Any, resources: dict[str, Any], index: int
    ) -> tuple[Any, dict[str, Any]]:
        """Rewrite one Markdown cell; other cells pass through unchanged."""
        if cell.cell_type == "markdown":
            cell.source = keep_dollar_signs(cell.source)
        return cell, resources

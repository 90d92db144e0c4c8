"""The download button and the page's accessibility helper, as the kernel sends them."""

from __future__ import annotations

import pandas as pd

from rebalance_widgets.widgets.parts.a11y import ACCESSIBILITY_JS, NUMBERED_ROW
from rebalance_widgets.widgets.parts.download import CsvDownload, table_csv
from rebalance_widgets.widgets.parts.views import LiveText


def test_an_empty_table_disables_the_button():
    button = CsvDownload("x.csv")
    button.show(pd.DataFrame({"a": []}))
    assert button.csv == ""
    button.show(None)
    assert button.csv == ""


def test_numbers_keep_their_sign_and_text_formulas_are_quoted():
    text = table_csv(pd.DataFrame({"Fund": ["+cmd", "@SUM(A1)", "Plain"], "Amount": [-1, 2, 3]}))
    assert text.splitlines() == ["Fund,Amount", "'+cmd,-1", "'@SUM(A1),2", "Plain,3"]


def test_the_file_is_made_in_the_page_without_a_request():
    esm = CsvDownload._esm
    assert "new Blob(" in esm and "link.download" in esm
    assert "fetch(" not in esm and "http" not in esm


def test_every_sentence_brings_the_accessibility_helper():
    assert ACCESSIBILITY_JS in LiveText._esm
    assert "installAccessibility();" in LiveText._esm
    for piece in ("aria-valuetext", "data-lm-suppress-shortcuts", "radiogroup",
                  "readout.tabIndex = -1", f".{NUMBERED_ROW}", "outline: 3px solid"):
        assert piece in LiveText._esm, piece

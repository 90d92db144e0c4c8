"""A "Download CSV" button for any table a learner sees, made in the browser, offline.

:class:`CsvDownload` holds a table as CSV text (a synced trait); pressing the button makes
the file in the page (a ``Blob``) and saves it, so nothing is asked of any server and it
works in JupyterLab, Notebook 7 and Voila alike. Put it under a table and call
:meth:`CsvDownload.show` with the table's DataFrame each time the table changes::

    self.download = CsvDownload(filename="trades.csv", label="Download the trades (CSV)")
    ...
    self.download.show(frame)

Text that a spreadsheet would run as a formula (a fund typed as ``=HYPERLINK(...)``) is
written with a leading apostrophe (:func:`table_csv`).
"""

from __future__ import annotations

from typing import Any

import anywidget
import pandas as pd
import traitlets

__all__ = ["CsvDownload", "table_csv"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table_csv(frame: pd.DataFrame) -> str:
    r"""Write a table as CSV text, with no text cell a spreadsheet would run as a formula.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its columns are the CSV's header, its index is left out.

    Returns
    -------
    str
        CSV text with ``\n`` line ends.

    Examples
    --------
    >>> print(table_csv(pd.DataFrame({"Fund": ["=1+1", "Bonds"], "Amount ($)": [-5.0, 2.5]})))
    Fund,Amount ($)
    '=1+1,-5.0
    Bonds,2.5
    <BLANKLINE>
    """
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(_safe_text)
    return safe.to_csv(index=False, lineterminator="\n")


class CsvDownload(anywidget.AnyWidget):
    r"""A button that saves a table as a CSV file, made in the page (no request).

    Parameters
    ----------
    filename : str
        Name of the file the browser saves.
    label : str, default "Download CSV"
        Text of the button.

    Examples
    --------
    >>> button = CsvDownload(filename="trades.csv")
    >>> button.show(pd.DataFrame({"Fund": ["Bonds"], "Amount ($)": [1000.0]}))
    >>> button.csv
    'Fund,Amount ($)\nBonds,1000.0\n'
    """

    _esm = """
    function render({ model, el }) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "rebalance-download jupyter-button widget-button";
      button.style.width = "auto";
      button.style.margin = "4px 0 10px 0";
      const draw = () => {
        button.textContent = model.get("label");
        button.title = "Save this table as " + model.get("filename");
        button.disabled = !model.get("csv");
      };
      button.addEventListener("click", () => {
        const blob = new Blob([model.get("csv")], { type: "text/csv;charset=utf-8" });
        const url = URL.createObjectURL(blob);
        const link = document.createElement("a");
        link.href = url;
        link.download = model.get("filename");
        link.style.display = "none";
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      });
      model.on("change:label", draw);
      model.on("change:filename", draw);
      model.on("change:csv", draw);
      draw();
      el.classList.add("rebalance-download-box");
      el.appendChild(button);
    }
    export default { render };
    """
    filename = traitlets.Unicode("table.csv").tag(sync=True)
    label = traitlets.Unicode("Download CSV").tag(sync=True)
    csv = traitlets.Unicode("").tag(sync=True)

    def __init__(self, filename: str = "table.csv", label: str = "Download CSV", **kwargs: Any):
        super().__init__(filename=filename, label=label, **kwargs)

    def show(self, frame: pd.DataFrame | None) -> None:
        """Offer ``frame`` as the file (None or an empty table: the button is disabled).

        Parameters
        ----------
        frame : pandas.DataFrame or None
            The table as the learner sees it.
        """
        self.csv = "" if frame is None or frame.empty else table_csv(frame)

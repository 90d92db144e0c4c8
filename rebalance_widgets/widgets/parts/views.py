"""Views shared by every widget: chart panel with its sentence, messages, progress bar.

Charts render offline: the Vega libraries bundled by vl-convert (no CDN), built once, read
from a cache and sent once per page (:mod:`rebalance_widgets.widgets.parts.vega`), updated
in place by assigning the chart widget's ``spec``; a slider move never rebuilds the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from rebalance_widgets.charts.message import message_chart
from rebalance_widgets.widgets.parts.a11y import ACCESSIBILITY_JS
from rebalance_widgets.widgets.parts.inputs import html_escape
from rebalance_widgets.widgets.parts.vega import chart_view

__all__ = ["ChartPanel", "LiveText", "Message", "Progress", "plain_label", "text_box"]


class LiveText(anywidget.AnyWidget):
    """A paragraph that screen readers announce when it changes (``aria-live="polite"``).

    The live region is created once in the browser and only its text changes, which is
    what assistive technology needs to announce updates. Works offline (inline module).
    It also installs, once per page, what :mod:`.a11y` adds for screen readers and keyboards.

    Examples
    --------
    >>> LiveText(value="The chart shows 60% stocks.").value
    'The chart shows 60% stocks.'
    """

    _esm = ACCESSIBILITY_JS + """
    function render({ model, el }) {
      installAccessibility();
      const p = document.createElement("p");
      p.setAttribute("aria-live", "polite");
      p.className = "rebalance-sentence";
      p.style.margin = "4px 0 12px 0";
      p.style.fontSize = "14px";
      p.style.lineHeight = "1.4";
      p.style.maxWidth = "46em";
      p.textContent = model.get("value");
      model.on("change:value", () => { p.textContent = model.get("value"); });
      el.appendChild(p);
    }
    export default { render };
    """
    value = traitlets.Unicode("").tag(sync=True)


_MESSAGE_STYLES = {
    "error": ("#7A0000", "#FDECEA", "#B00020", "Please fix: "),
    "info": ("#0B3D6B", "#EAF3FB", "#0072B2", "Note: "),
}


class Message(widgets.HTML):
    """Inline message area (``role="alert"``) for errors and notes.

    ``kind`` is ``""`` (nothing shown), ``"error"`` or ``"info"``; ``text`` is the plain
    sentence (already escaped when rendered). Notes queued with :meth:`note` are shown by
    :func:`guarded` after the next successful callback.

    Examples
    --------
    >>> m = Message()
    >>> m.show_error("Weights must add up to 100%; these add up to 90%.")
    >>> m.kind, m.text
    ('error', 'Weights must add up to 100%; these add up to 90%.')
    """

    kind = traitlets.Unicode("")
    text = traitlets.Unicode("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pending: list[str] = []
        self.depth = 0  # nesting of guarded calls reporting here
        self.add_class("rebalance-message")

    def show_error(self, text: str) -> None:
        """Show an error sentence (what to fix).

        Parameters
        ----------
        text : str
            The sentence, shown as plain text.
        """
        self._show("error", text)

    def show_info(self, text: str) -> None:
        """Show an informational sentence.

        Parameters
        ----------
        text : str
            The sentence, shown as plain text.
        """
        self._show("info", text)

    def note(self, text: str) -> None:
        """Queue a note to show after the next successful update (e.g. a clamp).

        Parameters
        ----------
        text : str
            The sentence.
        """
        if text not in self._pending:
            self._pending.append(text)

    def show_notes(self) -> None:
        """Show queued notes (or clear the area if none) and empty the queue."""
        notes, self._pending = self._pending, []
        if notes:
            self._show("info", " ".join(notes))
        else:
            self.clear()

    def clear(self) -> None:
        """Hide the message."""
        self._show("", "")

    def _show(self, kind: str, text: str) -> None:
        with self.hold_sync():
            self.kind = kind
            self.text = text
            if not kind:
                self.value = ""
                return
            colour, background, border, prefix = _MESSAGE_STYLES[kind]
            self.value = (
                f'<div role="alert" style="color:{colour};background:{background};'
                f"border-left:4px solid {border};padding:6px 10px;margin:4px 0;"
                f'font-size:14px;max-width:46em">'
                f"<strong>{prefix}</strong>{html_escape(text)}</div>"
            )


class ChartPanel(widgets.VBox):
    """A chart rendered offline, with a one-sentence summary under it.

    Parameters
    ----------
    chart : chart, optional
        The first chart: anything with a ``to_dict()`` giving a Vega-Lite spec (a kit
        chart, :class:`~rebalance_widgets.charts.datasets.FilledChart`, or an Altair
        chart); a small "waiting" placeholder if omitted.
    sentence : str, default ""
        The first summary sentence.

    Examples
    --------
    >>> import altair as alt, pandas as pd
    >>> panel = ChartPanel()
    >>> c = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x")
    >>> panel.update(c, "One point at x = 1.")
    >>> panel.sentence
    'One point at x = 1.'
    """

    def __init__(self, chart: Any = None, sentence: str = "", **kwargs: Any):
        self.view = chart_view(None)
        self.summary = LiveText()
        self.update(chart if chart is not None else message_chart("Waiting for inputs…"), sentence)
        super().__init__(children=[self.view, self.summary], **kwargs)
        self.add_class("rebalance-chart-panel")

    @property
    def chart(self) -> Any:
        """The chart shown now."""
        return self._chart

    @property
    def sentence(self) -> str:
        """The sentence shown under the chart now."""
        return self.summary.value

    def update(self, chart: Any, sentence: str) -> None:
        """Replace the chart and its sentence in place, as one batched update.

        The chart is sent as its Vega-Lite spec without schema validation (a kit chart's
        template was checked when it was built; checking an Altair chart costs tens of
        milliseconds per update). Selections drawn by the page are not read back.

        Parameters
        ----------
        chart : chart
            The new chart: anything with ``to_dict()``.
        sentence : str
            One sentence in words saying what the chart shows now.
        """
        spec = chart.to_dict(validate=False)
        with self.view.hold_sync(), self.summary.hold_sync():
            self.view.spec = spec
            self.summary.value = sentence
        self._chart = chart


class Progress(widgets.IntProgress):
    """A progress bar that is visible only while a long job runs.

    Examples
    --------
    >>> bar = Progress()
    >>> with bar.running(3, "Simulating"):
    ...     for _ in range(3):
    ...         bar.advance()
    >>> bar.layout.display
    'none'
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(value=0, min=0, max=1, description="Working", **kwargs)
        self.layout.display = "none"

    @contextmanager
    def running(self, total: int, description: str = "Working") -> Iterator[Progress]:
        """Show the bar for ``total`` steps while the ``with`` block runs.

        Parameters
        ----------
        total : int
            Number of steps.
        description : str
            Label shown next to the bar.

        Yields
        ------
        Progress
            This bar; call :meth:`advance` after each step.
        """
        self.max = max(int(total), 1)
        self.value = 0
        self.description = description
        self.layout.display = None
        try:
            yield self
        finally:
            self.layout.display = "none"
            self.value = 0

    @contextmanager
    def busy(self, description: str = "Simulating") -> Iterator[Progress]:
        """Show a full, striped bar while one long step runs that cannot report progress.

        Parameters
        ----------
        description : str
            Label shown next to the bar.

        Yields
        ------
        Progress
            This bar.
        """
        self.max, self.value, self.description = 1, 1, description
        self.bar_style = "info"
        self.layout.display = None
        try:
            yield self
        finally:
            self.layout.display = "none"
            self.bar_style = ""
            self.value = 0

    def advance(self, steps: int = 1) -> None:
        """Move the bar forward.

        Parameters
        ----------
        steps : int, default 1
            Steps done.
        """
        self.value = min(self.value + steps, self.max)


def plain_label(text: str) -> str:
    r"""Escape dollar signs so a widget ``description`` shows them as typed.

    ipywidgets typesets descriptions as LaTeX: text between two ``$`` would turn into
    math ("$10,000 ... $7,000"). ``\$`` shows a plain dollar sign.

    Parameters
    ----------
    text : str
        The label.

    Returns
    -------
    str
        The label with every ``$`` escaped.

    Examples
    --------
    >>> plain_label("Put $10 in, get $12")
    'Put \\$10 in, get \\$12'
    """
    return text.replace("\\$", "$").replace("$", "\\$")


def text_box(description: str, value: str, tooltip: str, width: str = "16em") -> widgets.Text:
    """Make a labelled text box that sends its value when the person stops typing.

    Parameters
    ----------
    description : str
        Visible label (read by screen readers).
    value : str
        Initial text.
    tooltip : str
        Longer help shown on hover and read by screen readers.
    width : str, default "16em"
        Width of the whole control.

    Returns
    -------
    ipywidgets.Text
        The box (``continuous_update=False``: one update per edit, not per key).

    Examples
    --------
    >>> text_box("Salary ($)", "60,000", "Your yearly pay before tax").value
    '60,000'
    """
    return widgets.Text(
        value=value,
        description=plain_label(description),
        tooltip=tooltip,
        continuous_update=False,
        style={"description_width": "initial"},
        layout=widgets.Layout(width=width),
    )

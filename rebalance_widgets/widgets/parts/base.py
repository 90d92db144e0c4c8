"""Shared building blocks for every widget: chart panel, messages, parsers, caps, draws cache.

How to write a widget with this module
--------------------------------------
A widget is a subclass of :class:`TeachingWidget` (itself an ``ipywidgets.VBox``, so
``MyWidget()`` on the last line of a cell displays it). Its state lives in traitlets; its
controls are standard ipywidgets (keyboard usable, each with a ``description``). A
callback is a few lines: read traits, call :mod:`rebalance_widgets.core`, hand the result
to a builder in :mod:`rebalance_widgets.charts`, then update the view::

    import traitlets
    from rebalance_widgets.widgets.parts import base

    class Growth(base.TeachingWidget):
        amount = traitlets.Float(10_000.0)

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.amount_box = base.text_box("Amount ($)", "10,000", "Starting balance")
            self.panel = base.ChartPanel()
            self.amount_box.observe(self._on_amount, names="value")
            self.observe(self._refresh, names="amount")
            self.children = [self.amount_box, self.message, self.panel]
            self._refresh()

        @base.guarded
        def _on_amount(self, change=None):
            self.amount = base.parse_amount(self.amount_box.value, name="Amount")

        @base.guarded
        def _refresh(self, change=None):
            result = core_call(self.amount)            # may raise ValueError
            chart = charts.growth(result)              # build everything first ...
            self.panel.update(chart, f"Your {base.money(self.amount)} ...")  # ... then show

Rules the pieces enforce:

- :func:`guarded` wraps a callback: a ``ValueError`` (ours or from ``core``) shows its
  message as-is in ``self.message``; a ``MemoryError`` asks for fewer futures or years; any
  other exception shows "Something went wrong with these inputs: ..."; nothing escapes.
  Build the new chart completely *before* calling ``panel.update`` so that, on error, the
  last good chart and sentence stay on screen.
  On success the message area shows any pending notes (see :meth:`Message.note`) or clears.
  Nested guarded calls let errors reach the outermost one, which reports them once.
- :class:`ChartPanel` shows an Altair chart offline (``alt.JupyterChart`` with
  ``enable_offline()``: no CDN) and, under it, one sentence in words in an
  ``aria-live="polite"`` region. ``panel.update(chart, sentence)`` replaces both in place
  inside ``hold_sync()``; ``panel.chart`` and ``panel.sentence`` hold what is shown (tests
  assert on ``panel.chart.to_dict()`` and ``panel.sentence``).
- Parsers (:func:`parse_amount`, :func:`parse_percent`, :func:`parse_number`,
  :func:`parse_whole_number`, :func:`parse_seed`) turn what a person types into numbers or
  raise ``ValueError`` with a sentence a learner can act on.
- Caps protect a shared server: :data:`MAX_PATHS` (5,000) and :data:`MAX_YEARS` (60).
  :func:`clamp_paths` / :func:`clamp_years` return the clamped value and a note to show.
  :class:`SimulationSettings` bundles years / paths / seed controls whose traits clamp
  with ``@validate`` and say so in the owner's message.
- :data:`DRAWS` (a :class:`DrawsCache`) keeps random draws keyed on (model, seed, paths,
  periods), so moving a policy, cost or weight slider reuses the same futures.
- :class:`Progress` is an ``IntProgress`` that appears only while a long job runs;
  ``DRAWS.get(..., progress=self.progress)`` samples in chunks and advances it, and
  ``with long_job(self.progress, paths, periods):`` shows it as busy around one big call.
- Shared controls: :func:`market_menu`, :func:`age_sliders` (with :func:`check_ages`) and
  :func:`percent_slider`; ``settings.draws(model, months, progress)`` fetches the draws.
- :class:`CsvDownload` under any table a learner sees: ``self.download.show(frame)`` each
  time the table changes offers it as a CSV file, made in the page (no request).
- :func:`money`, :func:`percent` format numbers for sentences; :func:`html_escape` any
  user text before putting it into HTML; :func:`plain_label` any ``description`` that may
  hold two ``$`` signs (ipywidgets typesets descriptions as LaTeX; ``text_box`` does it).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from rebalance_widgets.widgets.parts.controls import (
    age_sliders,
    check_ages,
    market_menu,
    percent_slider,
)
from rebalance_widgets.widgets.parts.download import CsvDownload
from rebalance_widgets.widgets.parts.draws import DRAWS, DrawsCache
from rebalance_widgets.widgets.parts.guard import LONG_JOB_CELLS, guarded, long_job
from rebalance_widgets.widgets.parts.inputs import (
    DEFAULT_COST_RATE,
    DEFAULT_EXPENSE_RATIO,
    DEFAULT_MODEL,
    DEFAULT_PATHS,
    DEFAULT_SEED,
    DEFAULT_YEARS,
    MAX_AMOUNT,
    MAX_PATHS,
    MAX_SEED,
    MAX_YEARS,
    MIN_PATHS,
    PERIODS_PER_YEAR,
    _shown,
    clamp_paths,
    clamp_years,
    html_escape,
    money,
    parse_amount,
    parse_number,
    parse_percent,
    parse_seed,
    parse_whole_number,
    parse_year,
    percent,
)
from rebalance_widgets.widgets.parts.views import (
    ChartPanel,
    LiveText,
    Message,
    Progress,
    plain_label,
    text_box,
)

__all__ = [
    "DEFAULT_COST_RATE",
    "DEFAULT_EXPENSE_RATIO",
    "DEFAULT_MODEL",
    "DEFAULT_PATHS",
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "DRAWS",
    "MAX_AMOUNT",
    "MAX_PATHS",
    "MAX_YEARS",
    "MIN_PATHS",
    "PERIODS_PER_YEAR",
    "ChartPanel",
    "CsvDownload",
    "DrawsCache",
    "LiveText",
    "Message",
    "Progress",
    "SimulationSettings",
    "TeachingWidget",
    "age_sliders",
    "check_ages",
    "clamp_paths",
    "clamp_years",
    "guarded",
    "html_escape",
    "money",
    "parse_amount",
    "parse_number",
    "parse_percent",
    "parse_seed",
    "parse_whole_number",
    "parse_year",
    "LONG_JOB_CELLS",
    "long_job",
    "market_menu",
    "percent",
    "percent_slider",
    "plain_label",
    "text_box",
    "MAX_SEED",
]


class TeachingWidget(widgets.VBox):
    """Base of every widget: a ``VBox`` with a :class:`Message` and a :class:`Progress`.

    Subclasses create their controls, set ``self.children`` (include ``self.message``
    near the controls, and ``self.progress`` if they run long jobs) and decorate their
    callbacks with :func:`guarded`. ``last_error`` holds the last error text ("" if none).

    Examples
    --------
    >>> w = TeachingWidget()
    >>> w.message.kind
    ''
    """

    def __init__(self, **kwargs: Any) -> None:
        self.message = Message()
        self.progress = Progress()
        self.last_error = ""
        super().__init__(**kwargs)
        self.add_class("rebalance-widget")


class SimulationSettings(widgets.HBox):
    """Years, number of simulated futures and seed, with server caps.

    The traits ``years``, ``n_paths`` and ``seed`` are the source of truth; setting them
    (from code or by typing) clamps to the caps with ``@validate`` and queues a note in
    ``message``. Typing something that is not a number shows an error in ``message`` and
    keeps the last good value. Observe ``names=["years", "n_paths", "seed"]`` to re-run.

    Parameters
    ----------
    message : Message
        Where notes and errors go (usually the owning widget's ``message``).
    years, n_paths, seed : int
        Starting values.
    max_years : int, default MAX_YEARS
        Longest horizon offered on the slider.

    Examples
    --------
    >>> s = SimulationSettings(Message(), n_paths=200)
    >>> s.n_paths = 9_999
    >>> s.n_paths
    5000
    """

    years = traitlets.Int(DEFAULT_YEARS)
    n_paths = traitlets.Int(DEFAULT_PATHS)
    seed = traitlets.Int(DEFAULT_SEED)

    def __init__(
        self,
        message: Message,
        *,
        years: int = DEFAULT_YEARS,
        n_paths: int = DEFAULT_PATHS,
        seed: int = DEFAULT_SEED,
        max_years: int = MAX_YEARS,
    ) -> None:
        self.message = message
        self.last_error = ""
        self.years_slider = widgets.IntSlider(
            value=clamp_years(years)[0],
            min=1,
            max=min(max_years, MAX_YEARS),
            description="Years",
            tooltip="How many years to simulate",
            continuous_update=False,
            style={"description_width": "initial"},
        )
        self.paths_box = text_box(
            "Futures",
            f"{clamp_paths(n_paths)[0]:,}",
            f"How many random futures to simulate ({MIN_PATHS:,} to {MAX_PATHS:,})",
            "11em",
        )
        self.seed_box = text_box(
            "Seed", str(seed), "Same seed, same futures: change it to see other luck", "10em"
        )
        super().__init__(children=[self.years_slider, self.paths_box, self.seed_box])
        self.years, self.n_paths, self.seed = years, n_paths, seed
        self.years_slider.observe(self._on_years_slider, names="value")
        self.paths_box.observe(self._on_paths_box, names="value")
        self.seed_box.observe(self._on_seed_box, names="value")

    def draws(self, model: Any, n_periods: int, progress: Progress | None = None) -> Any:
        """Random returns for ``model`` with these settings' seed and paths, from :data:`DRAWS`.

        Parameters
        ----------
        model : market model
            Anything :meth:`DrawsCache.get` accepts.
        n_periods : int
            Months to draw.
        progress : Progress, optional
            The owner's progress bar, advanced while new draws are sampled.

        Returns
        -------
        numpy.ndarray
            Draws of shape (n_paths, n_periods, assets), shared with every widget that asks
            for the same futures.
        """
        return DRAWS.get(
            model, seed=self.seed, n_paths=self.n_paths, n_periods=n_periods, progress=progress
        )

    @traitlets.validate("n_paths")
    def _valid_paths(self, proposal: dict[str, Any]) -> int:
        value, note = clamp_paths(int(proposal["value"]))
        if note:
            self.message.note(note)
        return value

    @traitlets.validate("years")
    def _valid_years(self, proposal: dict[str, Any]) -> int:
        value, note = clamp_years(int(proposal["value"]))
        value = min(value, self.years_slider.max)
        if note:
            self.message.note(note)
        return value

    @traitlets.validate("seed")
    def _valid_seed(self, proposal: dict[str, Any]) -> int:
        value = int(proposal["value"])
        if not 0 <= value <= MAX_SEED:
            raise traitlets.TraitError(f"Seed must be a whole number from 0 to {MAX_SEED:,}.")
        return value

    @traitlets.observe("years", "n_paths", "seed")
    def _show_traits(self, change: dict[str, Any]) -> None:
        self.years_slider.value = self.years
        self.paths_box.value = f"{self.n_paths:,}"
        self.seed_box.value = str(self.seed)

    def _on_years_slider(self, change: dict[str, Any]) -> None:
        self.years = change["new"]

    @guarded
    def _on_paths_box(self, change: dict[str, Any]) -> None:
        number = parse_number(self.paths_box.value, name="Futures", example="1,000")
        if number != int(number):
            raise ValueError(
                "Futures must be a whole number, like 1,000; "
                f"you typed {_shown(self.paths_box.value)}."
            )
        self.n_paths = int(max(min(number, 10 * MAX_PATHS), -1))

    @guarded
    def _on_seed_box(self, change: dict[str, Any]) -> None:
        self.seed = parse_seed(self.seed_box.value)

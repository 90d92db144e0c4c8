"""The risk questionnaire: answer the questions, see the score, the profile and a suggested mix.

:class:`RiskQuestionnaire` shows each question of ``data/questionnaire.json`` as radio
buttons and scores the answers with :func:`rebalance_widgets.core.planning.risk.score`. The
suggested mix is the ``value`` trait: link it into :class:`~rebalance_widgets.AllocationSliders`
(``ipywidgets.dlink((quiz, "value"), (sliders, "value"))``) or press "Use this mix" to push it
into the sliders given as ``sliders=``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from rebalance_widgets.charts import allocation as mix_charts
from rebalance_widgets.charts import questionnaire as charts
from rebalance_widgets.core.planning import risk
from rebalance_widgets.widgets.allocation import ASSETS, describe_mix
from rebalance_widgets.widgets.parts import base

__all__ = ["RiskQuestionnaire"]


class RiskQuestionnaire(base.TeachingWidget):
    """Answer the risk questions and get a profile, reasons and a suggested mix.

    Traits: ``answers`` (question id -> answer id; set it to fill the form), ``value``
    (the suggested mix, asset -> share; the "Moderate" profile's mix until every question
    is answered), ``score`` (total points, ``None`` until complete), ``profile`` (name).
    ``result`` holds the last :class:`~rebalance_widgets.core.planning.risk.RiskResult`.

    Parameters
    ----------
    sliders : AllocationSliders, optional
        Where "Use this mix" puts the suggested mix (any widget with a ``value`` mix).
    questionnaire : Questionnaire, optional
        Questions to ask; default the packaged ``data/questionnaire.json``.

    Examples
    --------
    >>> quiz = RiskQuestionnaire()
    >>> quiz.answers = {q.id: q.answers[-1].id for q in quiz.questionnaire.questions}
    >>> quiz.profile
    'Aggressive'
    """

    answers = traitlets.Dict()
    value = traitlets.Dict()
    score = traitlets.Float(None, allow_none=True)
    profile = traitlets.Unicode("")

    def __init__(self, sliders: Any = None, questionnaire: risk.Questionnaire | None = None):
        super().__init__()
        self.questionnaire = questionnaire or risk.load_questionnaire()
        self.sliders = sliders
        self.result: risk.RiskResult | None = None
        self._syncing = False
        self.buttons: dict[str, widgets.RadioButtons] = {}
        blocks: list[widgets.Widget] = [
            widgets.HTML(f"<h3>{base.html_escape(self.questionnaire.title)}</h3>"),
            widgets.HTML(f"<p>{base.html_escape(self.questionnaire.about)}</p>"),
        ]
        for number, question in enumerate(self.questionnaire.questions, start=1):
            label = f"{number}. {question.text}"
            buttons = widgets.RadioButtons(
                options=[(answer.text, answer.id) for answer in question.answers],
                value=None,
                description=base.plain_label(label),
                tooltip=label,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto", margin="10px 0 0 0"),
            )
            buttons.observe(self._on_choice, names="value")
            self.buttons[question.id] = buttons
            blocks.append(buttons)
        self.use_button = widgets.Button(
            description="Use this mix",
            tooltip="Put the suggested mix into the allocation sliders",
            icon="",
            disabled=True,
            button_style="primary",
        )
        self.use_button.on_click(self._on_use)
        self.reasons = widgets.HTML()
        self.score_panel = base.ChartPanel()
        self.mix_panel = base.ChartPanel()
        first = self.questionnaire.profiles[len(self.questionnaire.profiles) // 2]
        self.value = {asset: float(first.mix.get(asset, 0.0)) for asset in ASSETS}
        self.children = [
            *blocks,
            self.message,
            self.score_panel,
            self.reasons,
            self.mix_panel,
            self.use_button,
        ]
        self._refresh()

    def _on_choice(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        chosen = {qid: b.value for qid, b in self.buttons.items() if b.value is not None}
        self.answers = chosen

    @traitlets.observe("answers")
    def _on_answers(self, change: dict[str, Any]) -> None:
        self._syncing = True
        try:
            with self.hold_sync():
                for qid, buttons in self.buttons.items():
                    wanted = change["new"].get(qid)
                    ids = [option[1] for option in buttons.options]
                    buttons.value = wanted if wanted in ids else None
        finally:
            self._syncing = False
        self._refresh()

    @base.guarded
    def _refresh(self) -> None:
        missing = [
            number
            for number, question in enumerate(self.questionnaire.questions, start=1)
            if self.buttons[question.id].value is None
        ]
        if missing:
            self._show_waiting(missing)
            return
        answers: Mapping[str, str] = {qid: b.value for qid, b in self.buttons.items()}
        result = risk.score(self.questionnaire, answers)
        mix = {asset: float(result.allocation.get(asset, 0.0)) for asset in ASSETS}
        bands = pd.DataFrame(
            [(p.name, p.min_score, p.max_score) for p in self.questionnaire.profiles],
            columns=["profile", "low", "high"],
        )
        score_chart = charts.score_chart(bands, result.total_score)
        mix_chart = mix_charts.mix_bar(
            pd.DataFrame({"asset": list(mix), "weight": list(mix.values())})
        )
        items = "".join(f"<li>{base.html_escape(reason)}</li>" for reason in result.reasons)
        self.result = result
        self.score_panel.update(
            score_chart,
            f"Your score is {result.total_score:g} out of {result.max_score:g}: "
            f"the {result.profile} profile.",
        )
        self.reasons.value = f'<ul style="max-width:46em;font-size:14px">{items}</ul>'
        self.mix_panel.update(mix_chart, f"Suggested mix: {describe_mix(mix)}.")
        with self.hold_trait_notifications():
            self.score = float(result.total_score)
            self.profile = result.profile
            self.value = mix
        self._show_panels(True)
        self.use_button.disabled = False

    def _show_panels(self, shown: bool) -> None:
        """Show the score and mix charts only once there is a result to chart."""
        for panel in (self.score_panel, self.mix_panel):
            panel.layout.display = None if shown else "none"
        if not shown:
            self.reasons.value = ""

    def _show_waiting(self, missing: list[int]) -> None:
        self.result = None
        self.score = None
        self.profile = ""
        self.use_button.disabled = True
        self._show_panels(False)
        left = len(missing)
        numbers = ", ".join(str(n) for n in missing[:6]) + ("…" if left > 6 else "")
        self.message.note(
            f"Answer {left} more question{'s' if left != 1 else ''} "
            f"(number {numbers}) to see your score and a suggested mix."
        )

    @base.guarded
    def _on_use(self, button: widgets.Button | None = None) -> None:
        if self.result is None:
            raise ValueError("Answer every question first; then the mix can be used.")
        if self.sliders is None:
            raise ValueError(
                "No allocation sliders are connected: create this widget with "
                "RiskQuestionnaire(sliders=my_sliders)."
            )
        self.sliders.value = dict(self.value)
        self.message.note(f"The sliders now hold {describe_mix(self.value)}.")

"""A one-question self-check: radio buttons, a "Check" button, and feedback that says why.

Each lesson ends with two or three of these. Nothing is graded or stored; the learner can
change the answer and check again as often as they like.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import traitlets

from rebalance_widgets.widgets.parts.inputs import html_escape
from rebalance_widgets.widgets.parts.views import LiveText

__all__ = ["Quiz"]


class Quiz(widgets.VBox):
    """A multiple-choice question that explains its answer.

    Parameters
    ----------
    question : str
        The question, in plain words.
    choices : sequence of str
        Two or more different answers to pick from, shown in this order.
    answer : str or int
        The right choice: its text, or its position in ``choices`` (0 = first).
    why : str
        One or two sentences that explain the right answer; shown after every check.

    Attributes
    ----------
    selected : str or None
        The choice the learner has ticked (None until they tick one).
    correct : bool or None
        Result of the last check: True, False, or None before any check (and after the
        learner changes the choice again).
    feedback : str
        The sentence shown under the button.

    Raises
    ------
    ValueError
        If the question is empty, there are fewer than two choices, choices repeat, or the
        answer is not one of the choices.

    Examples
    --------
    >>> quiz = Quiz("Which usually swings more in value?", ["Stocks", "Bonds"], "Stocks",
    ...             "Stocks are shares of companies; their prices move a lot from year to year.")
    >>> quiz.selected = "Bonds"
    >>> quiz.check()
    False
    >>> quiz.feedback.startswith("Not quite.")
    True
    """

    selected = traitlets.Unicode(None, allow_none=True)
    correct = traitlets.Bool(None, allow_none=True)
    feedback = traitlets.Unicode("")

    def __init__(
        self,
        question: str,
        choices: Sequence[str],
        answer: str | int,
        why: str,
        **kwargs: Any,
    ) -> None:
        choices = [str(choice) for choice in choices]
        if not str(question).strip():
            raise ValueError("A quiz needs a question.")
        if len(choices) < 2:
            raise ValueError(f"A quiz needs at least two choices; it has {len(choices)}.")
        if len(set(choices)) != len(choices):
            raise ValueError("The choices of a quiz must all be different.")
        if isinstance(answer, int) and not isinstance(answer, bool):
            if not 0 <= answer < len(choices):
                raise ValueError(
                    f"The answer number must be between 0 and {len(choices) - 1}; "
                    f"it is {answer}."
                )
            answer = choices[answer]
        if answer not in choices:
            raise ValueError(f"The answer {answer!r} is not one of the choices.")
        super().__init__(**kwargs)
        self.question = str(question)
        self.choices = tuple(choices)
        self.answer = str(answer)
        self.why = str(why)

        self.question_text = widgets.HTML(
            f'<p style="font-weight:600;margin:4px 0">{html_escape(self.question)}</p>'
        )
        self.buttons = widgets.RadioButtons(
            options=list(self.choices),
            value=None,
            description="",
            layout=widgets.Layout(width="auto"),
        )
        self.check_button = widgets.Button(
            description="Check",
            tooltip="Check your answer",
            button_style="primary",
        )
        self.result = LiveText()
        self.buttons.observe(self._on_choice, names="value")
        self.check_button.on_click(lambda _button: self.check())
        self.children = [self.question_text, self.buttons, self.check_button, self.result]
        self.add_class("rebalance-quiz")

    def _on_choice(self, change: dict[str, Any]) -> None:
        self.selected = change["new"]

    @traitlets.observe("selected")
    def _selected_changed(self, change: dict[str, Any]) -> None:
        if self.buttons.value != change["new"]:
            self.buttons.value = change["new"]
        self.correct = None
        self._show("")

    def check(self) -> bool | None:
        """Check the ticked choice and show whether it is right, and why.

        Returns
        -------
        bool or None
            True if the ticked choice is the answer, False if not, None if nothing is
            ticked yet (the feedback then asks the learner to pick one).
        """
        if self.selected is None:
            self.correct = None
            self._show("Pick one of the answers first, then press Check.")
            return None
        self.correct = self.selected == self.answer
        if self.correct:
            self._show(f"Right. {self.why}")
        else:
            self._show(f"Not quite. The answer is “{self.answer}”. {self.why}")
        return self.correct

    def _show(self, text: str) -> None:
        self.feedback = text
        self.result.value = text

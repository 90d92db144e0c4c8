"""The risk questionnaire's data: questions, answers, points, score bands, the horizon rule.

Everything a teacher may want to change lives in ``data/questionnaire.json``; this module
reads it into frozen dataclasses and checks it (:func:`load_questionnaire`). Scoring is in
:mod:`rebalance_widgets.core.planning.risk`. Named mixes (conservative, moderate, aggressive, 80/20,
60/40) are in ``data/presets.json`` (:func:`load_presets`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from math import isfinite
from pathlib import Path
from typing import Any

__all__ = [
    "Answer",
    "HorizonCap",
    "HorizonRule",
    "Profile",
    "Question",
    "Questionnaire",
    "load_presets",
    "load_questionnaire",
]


@dataclass(frozen=True)
class Answer:
    """One choice of a question, with its points (and, for the horizon question, years)."""

    id: str
    text: str
    points: float
    horizon_years: float | None = None
    horizon_label: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Question:
    """One question and its choices."""

    id: str
    text: str
    topic: str
    answers: tuple[Answer, ...]

    def find(self, choice: str | int) -> Answer:
        """Return the answer named by its id, its text (any case) or its position from 0."""
        if isinstance(choice, bool):
            choice = str(choice)
        if isinstance(choice, int):
            if 0 <= choice < len(self.answers):
                return self.answers[choice]
        else:
            wanted = str(choice).strip().casefold()
            for answer in self.answers:
                if wanted in (answer.id.casefold(), answer.text.strip().casefold()):
                    return answer
        choices = "; ".join(f"'{a.text}'" for a in self.answers)
        raise ValueError(
            f"{choice!r} is not a choice for the question '{self.text}'. Choose one of: {choices}."
        )


@dataclass(frozen=True)
class Profile:
    """A band of scores (both ends included) and the mix it suggests."""

    name: str
    min_score: float
    max_score: float
    mix: Mapping[str, float]
    description: str = ""


@dataclass(frozen=True)
class HorizonCap:
    """Below ``below_years`` of horizon, at most ``max_stocks`` in stocks."""

    below_years: float
    max_stocks: float
    extra_goes_to: str


@dataclass(frozen=True)
class HorizonRule:
    """Caps on stocks for short horizons, and the sentences that explain them."""

    question: str
    explanation: str
    caps: tuple[HorizonCap, ...]
    capped_reason: str
    within_cap_reason: str
    medium_reason: str
    long_reason: str
    long_from_years: float


@dataclass(frozen=True)
class Questionnaire:
    """A checked questionnaire (see :func:`load_questionnaire`)."""

    title: str
    about: str
    questions: tuple[Question, ...]
    profiles: tuple[Profile, ...]
    horizon_rule: HorizonRule

    @property
    def min_score(self) -> float:
        """The lowest possible total score."""
        return sum(min(a.points for a in q.answers) for q in self.questions)

    @property
    def max_score(self) -> float:
        """The highest possible total score."""
        return sum(max(a.points for a in q.answers) for q in self.questions)

    def question(self, question_id: str) -> Question:
        """Return the question with this id."""
        for question in self.questions:
            if question.id == question_id:
                return question
        known = ", ".join(q.id for q in self.questions)
        raise ValueError(f"There is no question '{question_id}'. The questions are: {known}.")

    def profile_for(self, total: float) -> Profile:
        """Return the profile whose band holds ``total`` (the higher band on a boundary)."""
        for profile in reversed(self.profiles):
            if profile.min_score <= total <= profile.max_score:
                return profile
        raise ValueError(f"No profile band holds the score {total:g}.")


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} needs a non-blank '{key}'.")
    return value.strip()


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not isfinite(value):
        raise ValueError(f"{what} must be a number; got {value!r}.")
    return float(value)


def _mix(raw: Any, where: str) -> dict[str, float]:
    if not isinstance(raw, Mapping) or not raw:
        raise ValueError(f'{where} needs a mix like {{"stocks": 0.6, "bonds": 0.4}}.')
    mix = {str(k): _number(v, f"The {k} share of {where}") for k, v in raw.items()}
    if any(not 0 <= v <= 1 for v in mix.values()):
        raise ValueError(f"Every share in the mix of {where} must be between 0 and 1.")
    total = sum(mix.values())
    if abs(total - 1) > 1e-9:
        raise ValueError(
            f"The mix of {where} must add up to 100%; it adds up to {total * 100:.4g}%."
        )
    if "stocks" not in mix:
        raise ValueError(f"The mix of {where} needs a 'stocks' share (it may be 0).")
    return mix


def _answer(raw: Mapping[str, Any], where: str) -> Answer:
    years = raw.get("horizon_years")
    reason = raw.get("reason")
    return Answer(
        id=_text(raw, "id", where),
        text=_text(raw, "text", where),
        points=_number(raw.get("points"), f"The points of {where}"),
        horizon_years=None if years is None else _number(years, f"The horizon_years of {where}"),
        horizon_label=raw.get("horizon_label"),
        reason=None if reason is None else _text(raw, "reason", where),
    )


def _question(raw: Mapping[str, Any], number: int) -> Question:
    where = f"question {number}"
    qid = _text(raw, "id", where)
    answers_raw = raw.get("answers")
    if not isinstance(answers_raw, list) or not answers_raw:
        raise ValueError(f"Question '{qid}' has no answers.")
    answers = tuple(
        _answer(a, f"answer {i} of question '{qid}'") for i, a in enumerate(answers_raw, 1)
    )
    ids = [a.id for a in answers]
    if len(set(ids)) != len(ids):
        raise ValueError(f"Question '{qid}' has two answers with the same id.")
    return Question(qid, _text(raw, "text", where), str(raw.get("topic", "")), answers)


def _check_template(template: str, name: str) -> str:
    try:
        template.format(horizon="10 years", max_stocks="40%")
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(
            f"The horizon rule's '{name}' may only use {{horizon}} and {{max_stocks}}: {error}."
        ) from None
    return template


def _horizon_rule(raw: Any, questions: tuple[Question, ...]) -> HorizonRule:
    if not isinstance(raw, Mapping):
        raise ValueError("The questionnaire needs a 'horizon_rule'.")
    qid = _text(raw, "question", "The horizon rule")
    by_id = {q.id: q for q in questions}
    if qid not in by_id:
        raise ValueError(f"The horizon rule names the question '{qid}', which does not exist.")
    for answer in by_id[qid].answers:
        if answer.horizon_years is None or not answer.horizon_label:
            raise ValueError(
                f"Every answer of the horizon question '{qid}' needs 'horizon_years' and "
                f"'horizon_label'; '{answer.id}' does not have both."
            )
    caps = []
    for i, cap in enumerate(raw.get("caps", []), 1):
        max_stocks = _number(cap.get("max_stocks"), f"max_stocks of horizon cap {i}")
        if not 0 <= max_stocks <= 1:
            raise ValueError(f"max_stocks of horizon cap {i} must be between 0 and 1.")
        caps.append(
            HorizonCap(
                below_years=_number(cap.get("below_years"), f"below_years of horizon cap {i}"),
                max_stocks=max_stocks,
                extra_goes_to=_text(cap, "extra_goes_to", f"Horizon cap {i}"),
            )
        )
    if any(b.below_years <= a.below_years for a, b in zip(caps[:-1], caps[1:], strict=True)):
        raise ValueError("The horizon caps must be listed by increasing 'below_years'.")
    templates = {
        name: _check_template(_text(raw, name, "The horizon rule"), name)
        for name in ("capped_reason", "within_cap_reason", "medium_reason", "long_reason")
    }
    return HorizonRule(
        question=qid,
        explanation=_text(raw, "explanation", "The horizon rule"),
        caps=tuple(caps),
        long_from_years=_number(raw.get("long_from_years"), "long_from_years"),
        **templates,
    )


def _check_bands(profiles: tuple[Profile, ...], questions: tuple[Question, ...]) -> None:
    if not profiles:
        raise ValueError("The questionnaire needs at least one profile band.")
    low = sum(min(a.points for a in q.answers) for q in questions)
    high = sum(max(a.points for a in q.answers) for q in questions)
    ordered = sorted(profiles, key=lambda p: p.min_score)
    for band in ordered:
        if band.max_score < band.min_score:
            raise ValueError(f"The band '{band.name}' ends before it starts.")
    if ordered[0].min_score > low:
        raise ValueError(
            f"The lowest possible score is {low:g}, but the first band starts at "
            f"{ordered[0].min_score:g}."
        )
    if ordered[-1].max_score < high:
        raise ValueError(
            f"The highest possible score is {high:g}, but the last band ends at "
            f"{ordered[-1].max_score:g}."
        )
    # Whole-number points and bands: 0-7 then 8-14. Otherwise a band starts where the
    # previous one ends, and a score on the boundary belongs to the higher band.
    whole = all(float(a.points).is_integer() for q in questions for a in q.answers) and all(
        float(p.min_score).is_integer() and float(p.max_score).is_integer() for p in ordered
    )
    step = 1 if whole else 0
    for before, after in zip(ordered[:-1], ordered[1:], strict=True):
        if after.min_score > before.max_score + step:
            raise ValueError(
                f"There is a gap between the bands '{before.name}' (ends at "
                f"{before.max_score:g}) and '{after.name}' (starts at {after.min_score:g})."
            )
        if after.min_score < before.max_score + step:
            raise ValueError(f"The bands '{before.name}' and '{after.name}' overlap.")


def load_questionnaire(path: str | Path | None = None) -> Questionnaire:
    """Read and check a questionnaire JSON file.

    Parameters
    ----------
    path : str or Path, optional
        A JSON file in the format of ``rebalance_widgets/data/questionnaire.json``; by default
        that file.

    Returns
    -------
    Questionnaire
        Checked: every question has answers, points are numbers, ids are unique, every mix
        adds up to 1, and the score bands cover every possible score with no gap or overlap.
        When all points are whole numbers, bands are whole-number ranges (0-7, 8-14, ...).

    Examples
    --------
    >>> q = load_questionnaire()
    >>> len(q.questions), q.min_score, q.max_score
    (10, 0.0, 32.0)
    """
    if path is None:
        text = (
            resources.files("rebalance_widgets.data")
            .joinpath("questionnaire.json")
            .read_text(encoding="utf-8")
        )
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"The questionnaire file is not valid JSON: {error}.") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("questions"), list):
        raise ValueError("The questionnaire needs a list of 'questions'.")
    if not data["questions"]:
        raise ValueError("The questionnaire has no questions.")
    questions = tuple(_question(q, i) for i, q in enumerate(data["questions"], 1))
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ValueError("Two questions have the same id.")
    profiles = tuple(
        Profile(
            name=_text(p, "name", f"profile {i}"),
            min_score=_number(p.get("min_score"), f"min_score of profile {i}"),
            max_score=_number(p.get("max_score"), f"max_score of profile {i}"),
            mix=_mix(p.get("mix"), f"profile '{p.get('name')}'"),
            description=str(p.get("description", "")),
        )
        for i, p in enumerate(data.get("profiles", []), 1)
    )
    questionnaire = Questionnaire(
        title=str(data.get("title", "")),
        about=str(data.get("about", "")),
        questions=questions,
        profiles=tuple(sorted(profiles, key=lambda p: p.min_score)),
        horizon_rule=_horizon_rule(data.get("horizon_rule"), questions),
    )
    _check_bands(questionnaire.profiles, questionnaire.questions)
    return questionnaire


def load_presets(path: str | Path | None = None) -> dict[str, dict[str, float]]:
    """Read the named mixes (conservative, moderate, aggressive, 80/20, 60/40).

    Parameters
    ----------
    path : str or Path, optional
        A JSON file like ``rebalance_widgets/data/presets.json``; by default that file.

    Returns
    -------
    dict
        Name -> mix (asset class -> share, adding up to 1).

    Examples
    --------
    >>> load_presets()["60/40"]
    {'stocks': 0.6, 'bonds': 0.4, 'cash': 0.0}
    """
    if path is None:
        text = (
            resources.files("rebalance_widgets.data")
            .joinpath("presets.json")
            .read_text(encoding="utf-8")
        )
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text)
    presets = data.get("presets") if isinstance(data, Mapping) else None
    if not isinstance(presets, Mapping) or not presets:
        raise ValueError("The presets file needs a non-empty 'presets' object.")
    return {str(name): _mix(mix, f"preset '{name}'") for name, mix in presets.items()}

"""The risk questionnaire: answers -> score -> profile -> a suggested stocks/bonds/cash mix.

The questions, points, score bands, mixes and the horizon rule live in
``data/questionnaire.json`` (read and checked by :func:`load_questionnaire`, in
:mod:`rebalance_widgets.core.planning.questionnaire`); :func:`score` turns answers into a
:class:`RiskResult`. The horizon rule: a short horizon caps the stock share whatever the
score, and the stocks above the cap move to bonds (as the JSON says).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rebalance_widgets.core.planning.questionnaire import (
    Answer,
    HorizonCap,
    HorizonRule,
    Profile,
    Question,
    Questionnaire,
    load_presets,
    load_questionnaire,
)

__all__ = [
    "Answer",
    "HorizonCap",
    "HorizonRule",
    "Profile",
    "Question",
    "Questionnaire",
    "RiskResult",
    "load_presets",
    "load_questionnaire",
    "score",
]


@dataclass(frozen=True)
class RiskResult:
    """The outcome of :func:`score`.

    Attributes
    ----------
    total_score, min_score, max_score : float
        The score and the range it can take.
    points : dict
        Question id -> points of the chosen answer.
    answers : dict
        Question id -> id of the chosen answer.
    profile : str
        Name of the profile band.
    profile_mix : dict
        The band's mix before the horizon rule.
    allocation : dict
        The suggested mix (``stocks``, ``bonds``, ``cash``) after the horizon rule; adds up to 1.
    horizon_years : float
        Years of horizon used by the rule.
    capped : bool
        Whether the horizon rule lowered the stock share.
    reasons : tuple of str
        Plain sentences explaining the suggestion.
    """

    total_score: float
    min_score: float
    max_score: float
    points: dict[str, float]
    answers: dict[str, str]
    profile: str
    profile_mix: dict[str, float]
    allocation: dict[str, float]
    horizon_years: float
    capped: bool
    reasons: tuple[str, ...]


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _apply_horizon(
    rule: HorizonRule, mix: dict[str, float], answer: Answer
) -> tuple[dict[str, float], bool, str]:
    years = float(answer.horizon_years)  # type: ignore[arg-type]
    label = str(answer.horizon_label)
    for cap in rule.caps:
        if years < cap.below_years:
            limit = _percent(cap.max_stocks)
            if mix["stocks"] <= cap.max_stocks:
                return mix, False, rule.within_cap_reason.format(horizon=label, max_stocks=limit)
            capped = dict(mix)
            extra = capped["stocks"] - cap.max_stocks
            capped["stocks"] = cap.max_stocks
            capped[cap.extra_goes_to] = capped.get(cap.extra_goes_to, 0.0) + extra
            return capped, True, rule.capped_reason.format(horizon=label, max_stocks=limit)
    template = rule.long_reason if years >= rule.long_from_years else rule.medium_reason
    return mix, False, template.format(horizon=label, max_stocks="")


def _is_blank(choice: object) -> bool:
    return choice is None or (isinstance(choice, str) and not choice.strip())


def score(questionnaire: Questionnaire, answers: Mapping[str, str | int | None]) -> RiskResult:
    """Score a person's answers and suggest a mix.

    Parameters
    ----------
    questionnaire : Questionnaire
        From :func:`load_questionnaire`.
    answers : mapping
        Question id -> the chosen answer's id, its text, or its position counted from 0.

    Returns
    -------
    RiskResult
        Total and per-question points, the profile, the suggested mix (the horizon rule
        applied) and the reasons.

    Raises
    ------
    ValueError
        When questions are unanswered (all of them are listed), an answer is not one of the
        choices (the choices are listed), or a question id is unknown.

    Examples
    --------
    >>> q = load_questionnaire()
    >>> result = score(q, {question.id: -1 + len(question.answers) for question in q.questions})
    >>> result.profile, result.allocation["stocks"]
    ('Aggressive', 0.9)
    """
    known = {q.id for q in questionnaire.questions}
    unknown = [key for key in answers if key not in known]
    if unknown:
        raise ValueError(
            f"There is no question {', '.join(repr(k) for k in unknown)}. "
            f"The questions are: {', '.join(q.id for q in questionnaire.questions)}."
        )
    missing = [
        (number, q)
        for number, q in enumerate(questionnaire.questions, 1)
        if _is_blank(answers.get(q.id))
    ]
    if missing:
        listed = "; ".join(f"{number}. {q.text}" for number, q in missing)
        raise ValueError(f"Please answer every question. Not answered yet: {listed}")
    chosen = {q.id: q.find(answers[q.id]) for q in questionnaire.questions}  # type: ignore[arg-type]
    points = {qid: answer.points for qid, answer in chosen.items()}
    total = sum(points.values())
    profile = questionnaire.profile_for(total)
    mix = {name: float(share) for name, share in profile.mix.items()}
    rule = questionnaire.horizon_rule
    horizon_answer = chosen[rule.question]
    allocation, capped, horizon_reason = _apply_horizon(rule, mix, horizon_answer)
    for name in ("stocks", "bonds", "cash"):
        allocation.setdefault(name, 0.0)
    allocation = {name: round(share, 12) for name, share in allocation.items()}
    band = f"{profile.min_score:g} to {profile.max_score:g} points"
    reasons = [
        f"Your score is {total:g} out of {questionnaire.max_score:g}, in the "
        f"{profile.name} band ({band}). {profile.description}".strip(),
        horizon_reason,
    ]
    reasons += [answer.reason for answer in chosen.values() if answer.reason]
    return RiskResult(
        total_score=total,
        min_score=questionnaire.min_score,
        max_score=questionnaire.max_score,
        points=points,
        answers={qid: answer.id for qid, answer in chosen.items()},
        profile=profile.name,
        profile_mix=mix,
        allocation=allocation,
        horizon_years=float(horizon_answer.horizon_years),  # type: ignore[arg-type]
        capped=capped,
        reasons=tuple(reasons),
    )

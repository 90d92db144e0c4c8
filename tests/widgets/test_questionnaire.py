import ipywidgets as widgets
import pytest

from rebalance_widgets import AllocationSliders, RiskQuestionnaire


def _answer_all(quiz, pick):
    for question in quiz.questionnaire.questions:
        quiz.buttons[question.id].value = pick(question).id


def test_unanswered_questions_are_listed_and_nothing_is_suggested():
    quiz = RiskQuestionnaire()
    n = len(quiz.questionnaire.questions)
    assert quiz.score is None and quiz.use_button.disabled
    assert quiz.message.kind == "info"
    assert quiz.message.text.startswith(f"Answer {n} more questions")
    first = quiz.questionnaire.questions[0]
    quiz.buttons[first.id].value = first.answers[0].id
    assert quiz.message.text.startswith(f"Answer {n - 1} more questions (number 2, 3")
    assert quiz.score_panel.layout.display == quiz.mix_panel.layout.display == "none"


def test_highest_answers_give_the_most_aggressive_profile_and_its_mix():
    quiz = RiskQuestionnaire()
    _answer_all(quiz, lambda q: max(q.answers, key=lambda a: a.points))
    top = quiz.questionnaire.profiles[-1]
    assert quiz.score == quiz.questionnaire.max_score
    assert quiz.profile == top.name
    assert quiz.value == pytest.approx({"stocks": 0.9, "bonds": 0.1, "cash": 0.0})
    assert quiz.message.kind == ""
    assert quiz.score_panel.layout.display is None and quiz.mix_panel.layout.display is None
    assert quiz.score_panel.sentence == (
        f"Your score is {quiz.score:g} out of {quiz.questionnaire.max_score:g}: "
        f"the {top.name} profile."
    )
    assert quiz.mix_panel.sentence == "Suggested mix: 90% stocks and 10% bonds."
    assert "horizon" in quiz.reasons.value
    spec = quiz.score_panel.chart.to_dict()
    marker = next(rows for rows in spec["datasets"].values() if "score" in rows[0])
    assert marker[0]["score"] == quiz.score


def test_lowest_answers_give_the_most_conservative_profile():
    quiz = RiskQuestionnaire()
    _answer_all(quiz, lambda q: min(q.answers, key=lambda a: a.points))
    assert quiz.score == quiz.questionnaire.min_score == 0
    assert quiz.profile == quiz.questionnaire.profiles[0].name
    assert sum(quiz.value.values()) == pytest.approx(1.0)


def test_short_horizon_caps_stocks_whatever_the_score():
    quiz = RiskQuestionnaire()
    answers = {
        q.id: max(q.answers, key=lambda a: a.points).id for q in quiz.questionnaire.questions
    }
    answers["horizon"] = "under_3"
    quiz.answers = answers
    cap = min(c.max_stocks for c in quiz.questionnaire.horizon_rule.caps)
    assert quiz.value["stocks"] <= cap + 1e-12
    assert quiz.result.capped


def test_use_this_mix_pushes_into_the_sliders_and_dlink_works():
    sliders = AllocationSliders()
    quiz = RiskQuestionnaire(sliders=sliders)
    quiz.use_button.click()  # disabled in the browser; from code it explains
    assert quiz.message.kind == "error" and "Answer every question" in quiz.message.text
    _answer_all(quiz, lambda q: min(q.answers, key=lambda a: a.points))
    quiz.use_button.click()
    assert sliders.value == pytest.approx(quiz.value)
    assert sliders.sliders["stocks"].value == pytest.approx(quiz.value["stocks"])
    assert "The sliders now hold" in quiz.message.text

    other = AllocationSliders()
    widgets.dlink((quiz, "value"), (other, "value"))
    _answer_all(quiz, lambda q: max(q.answers, key=lambda a: a.points))
    assert other.value == pytest.approx({"stocks": 0.9, "bonds": 0.1, "cash": 0.0})


def test_use_without_sliders_says_how_to_connect():
    quiz = RiskQuestionnaire()
    _answer_all(quiz, lambda q: q.answers[0])
    quiz.use_button.click()
    assert "RiskQuestionnaire(sliders=" in quiz.message.text


def test_answers_trait_fills_the_form_and_ignores_unknown_ids():
    quiz = RiskQuestionnaire()
    question = quiz.questionnaire.questions[0]
    quiz.answers = {question.id: question.answers[1].id, "nonsense": "x"}
    assert quiz.buttons[question.id].value == question.answers[1].id
    quiz.answers = {question.id: "not-an-answer"}
    assert quiz.buttons[question.id].value is None

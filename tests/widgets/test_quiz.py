import pytest

from rebalance_widgets.widgets.quiz import Quiz

WHY = "Bonds are loans to a government or a company; their prices move less."


def make_quiz(**changes):
    arguments = dict(
        question="Which usually moves less in value?",
        choices=["Stocks", "Bonds", "They move the same"],
        answer="Bonds",
        why=WHY,
    )
    arguments.update(changes)
    return Quiz(**arguments)


def test_nothing_ticked_asks_to_pick():
    quiz = make_quiz()
    assert quiz.selected is None
    assert quiz.check() is None
    assert quiz.correct is None
    assert quiz.feedback == "Pick one of the answers first, then press Check."


def test_right_answer_says_right_and_why():
    quiz = make_quiz()
    quiz.buttons.value = "Bonds"  # as a learner ticks it
    assert quiz.selected == "Bonds"
    assert quiz.check() is True
    assert quiz.correct is True
    assert quiz.feedback == f"Right. {WHY}"
    assert quiz.result.value == quiz.feedback


def test_wrong_answer_names_the_right_one_and_why():
    quiz = make_quiz()
    quiz.buttons.value = "Stocks"
    assert quiz.check() is False
    assert quiz.feedback == f"Not quite. The answer is “Bonds”. {WHY}"


def test_check_button_click_checks():
    quiz = make_quiz()
    quiz.buttons.value = "Bonds"
    quiz.check_button.click()
    assert quiz.correct is True


def test_changing_the_choice_clears_the_feedback():
    quiz = make_quiz()
    quiz.selected = "Stocks"
    assert quiz.buttons.value == "Stocks"
    quiz.check()
    quiz.selected = "Bonds"
    assert quiz.correct is None
    assert quiz.feedback == ""


def test_answer_by_position():
    quiz = make_quiz(answer=1)
    assert quiz.answer == "Bonds"


def test_question_is_escaped():
    quiz = make_quiz(question="Is 5 < 10 & 2 > 1?")
    assert "5 &lt; 10 &amp; 2 &gt; 1" in quiz.question_text.value


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"question": "  "}, "A quiz needs a question."),
        ({"choices": ["Only one"], "answer": 0}, "A quiz needs at least two choices; it has 1."),
        ({"choices": ["A", "A"], "answer": "A"}, "The choices of a quiz must all be different."),
        ({"answer": "Cash"}, "The answer 'Cash' is not one of the choices."),
        ({"answer": 3}, "The answer number must be between 0 and 2; it is 3."),
    ],
)
def test_bad_quiz_is_refused(changes, message):
    with pytest.raises(ValueError, match=message.replace("?", r"\?")):
        make_quiz(**changes)

import json
from pathlib import Path

import pytest

from rebalance_widgets.core.planning.questionnaire import load_presets, load_questionnaire
from rebalance_widgets.core.planning.risk import score

DATA = Path(__file__).resolve().parents[3] / "rebalance_widgets" / "data" / "questionnaire.json"


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire()


def lowest(q):
    return {qn.id: min(qn.answers, key=lambda a: a.points).id for qn in q.questions}


def highest(q):
    return {qn.id: max(qn.answers, key=lambda a: a.points).id for qn in q.questions}


def test_shipped_questionnaire_shape(questionnaire):
    assert 8 <= len(questionnaire.questions) <= 12
    topics = {q.topic for q in questionnaire.questions}
    assert {"time horizon", "ability to take a loss", "willingness", "experience"} <= topics
    assert all(len(q.answers) >= 2 for q in questionnaire.questions)
    fall = questionnaire.question("fall_30")
    assert "$10,000" in fall.text and "$7,000" in fall.text and "30%" in fall.text
    assert questionnaire.min_score == 0
    assert questionnaire.max_score == 32


def test_minimum_score_is_most_conservative(questionnaire):
    result = score(questionnaire, lowest(questionnaire))
    assert result.total_score == 0
    assert result.profile == questionnaire.profiles[0].name == "Conservative"
    assert result.allocation == {"stocks": 0.2, "bonds": 0.5, "cash": 0.3}
    assert set(result.points.values()) == {0.0}


def test_maximum_score_is_most_aggressive(questionnaire):
    result = score(questionnaire, highest(questionnaire))
    assert result.total_score == 32
    assert result.profile == questionnaire.profiles[-1].name == "Aggressive"
    assert result.allocation == {"stocks": 0.9, "bonds": 0.1, "cash": 0.0}
    assert not result.capped
    assert result.horizon_years == 30
    assert any("horizon of more than 20 years allows more stocks" in r for r in result.reasons)


def test_points_are_transparent_and_add_up(questionnaire):
    answers = highest(questionnaire) | {"horizon": "6_to_10", "early_need": "maybe"}
    answers["income"] = "Mostly steady"  # by text
    answers["experience"] = 0  # by position
    result = score(questionnaire, answers)
    assert result.points["horizon"] == 2
    assert result.points["early_need"] == 1
    assert result.points["income"] == 2
    assert result.points["experience"] == 0
    assert result.answers["income"] == "mostly"
    # 32 - (4 - 2) - (3 - 1) - (3 - 2) - (3 - 0) = 24
    assert result.total_score == sum(result.points.values()) == 24
    assert result.profile == "Moderately aggressive"
    assert any("6 to 10 years gives a fall some time" in r for r in result.reasons)
    assert any("new to investing" in r for r in result.reasons)


def test_horizon_cap_under_three_years(questionnaire):
    answers = highest(questionnaire) | {"horizon": "under_3"}
    result = score(questionnaire, answers)
    assert result.total_score == 28
    assert result.profile == "Aggressive"
    assert result.profile_mix["stocks"] == 0.9
    assert result.capped
    assert result.allocation == {"stocks": 0.2, "bonds": 0.8, "cash": 0.0}
    assert sum(result.allocation.values()) == pytest.approx(1.0)
    assert any(
        "horizon of less than 3 years caps stocks at 20% whatever your score" in r
        for r in result.reasons
    )


def test_horizon_cap_three_to_five_years(questionnaire):
    result = score(questionnaire, highest(questionnaire) | {"horizon": "3_to_5"})
    assert result.allocation["stocks"] == 0.4
    assert result.allocation["bonds"] == pytest.approx(0.6)
    assert any("3 to 5 years caps stocks at 40%" in r for r in result.reasons)


def test_cap_not_binding_says_so(questionnaire):
    result = score(questionnaire, lowest(questionnaire))
    assert not result.capped
    assert any("already within that" in r and "less than 3 years" in r for r in result.reasons)


def test_every_reason_set_mentions_the_horizon(questionnaire):
    for choice in questionnaire.question("horizon").answers:
        result = score(questionnaire, highest(questionnaire) | {"horizon": choice.id})
        assert any(f"horizon of {choice.horizon_label}" in r for r in result.reasons)


def test_every_band_is_reachable(questionnaire):
    # Walk from the lowest to the highest answers one step at a time: the score moves by
    # at most 4 points per step, less than any band's width, so every band is visited.
    answers = lowest(questionnaire)
    seen = {score(questionnaire, answers).profile}
    for question in questionnaire.questions:
        for answer in sorted(question.answers, key=lambda a: a.points):
            answers[question.id] = answer.id
            seen.add(score(questionnaire, answers).profile)
    assert seen == {p.name for p in questionnaire.profiles}
    assert min(p.max_score - p.min_score for p in questionnaire.profiles) + 1 > 4


def test_unanswered_questions_are_listed(questionnaire):
    answers = highest(questionnaire)
    del answers["income"]
    answers["goal"] = "  "
    with pytest.raises(ValueError, match="Not answered yet") as error:
        score(questionnaire, answers)
    assert "How steady" in str(error.value)
    assert "What matters most" in str(error.value)
    assert "When do you expect" not in str(error.value)
    with pytest.raises(ValueError, match="Please answer every question"):
        score(questionnaire, {})


def test_unknown_answer_lists_choices(questionnaire):
    answers = highest(questionnaire) | {"income": "sometimes"}
    with pytest.raises(ValueError, match="'sometimes' is not a choice") as error:
        score(questionnaire, answers)
    assert "'Mostly steady'" in str(error.value)
    with pytest.raises(ValueError, match="not a choice"):
        score(questionnaire, highest(questionnaire) | {"income": 9})
    with pytest.raises(ValueError, match="There is no question 'colour'"):
        score(questionnaire, highest(questionnaire) | {"colour": "blue"})


def edited(tmp_path, change):
    data = json.loads(DATA.read_text())
    change(data)
    path = tmp_path / "q.json"
    path.write_text(json.dumps(data))
    return path


def test_instructor_edit_is_used(tmp_path):
    def lower_cap(data):
        data["horizon_rule"]["caps"][0]["max_stocks"] = 0.1

    q = load_questionnaire(edited(tmp_path, lower_cap))
    result = score(q, highest(q) | {"horizon": "under_3"})
    assert result.allocation["stocks"] == 0.1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"][1].update(answers=[]), "'early_need' has no answers"),
        (lambda d: d["questions"][2]["answers"][0].update(points="two"), "points of answer 1"),
        (lambda d: d["profiles"][1].update(min_score=9), "gap between the bands"),
        (lambda d: d["profiles"][1].update(min_score=7), "overlap"),
        (lambda d: d["profiles"][-1].update(max_score=30), "highest possible score is 32"),
        (lambda d: d["profiles"][0].update(min_score=1), "lowest possible score is 0"),
        (lambda d: d["profiles"][0]["mix"].update(cash=0.2), "adds up to 90%"),
        (lambda d: d["horizon_rule"].update(question="age"), "names the question 'age'"),
        (lambda d: d["horizon_rule"].update(long_reason="{when}"), "may only use"),
        (lambda d: d["questions"][0]["answers"][0].pop("horizon_years"), "needs 'horizon_years'"),
        (lambda d: d["horizon_rule"]["caps"].reverse(), "increasing 'below_years'"),
        (lambda d: d.update(questions=[]), "has no questions"),
    ],
)
def test_bad_questionnaire_files(tmp_path, change, message):
    with pytest.raises(ValueError, match=message):
        load_questionnaire(edited(tmp_path, change))


def test_not_json(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{nope")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_questionnaire(path)


def test_presets():
    presets = load_presets()
    assert set(presets) == {"conservative", "moderate", "aggressive", "80/20", "60/40"}
    assert presets["80/20"] == {"stocks": 0.8, "bonds": 0.2, "cash": 0.0}
    for mix in presets.values():
        assert sum(mix.values()) == pytest.approx(1.0)
    q = load_questionnaire()
    by_name = {p.name: dict(p.mix) for p in q.profiles}
    assert presets["conservative"] == by_name["Conservative"]
    assert presets["moderate"] == by_name["Moderate"]
    assert presets["aggressive"] == by_name["Aggressive"]

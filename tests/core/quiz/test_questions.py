"""Questions from the traced step: exact answers, the rounding rule, hints."""

from __future__ import annotations

import pytest

from core.engine.trainer import trainer_for
from core.quiz.exercise import new_exercise
from core.quiz.questions import questions_of, step_questions
from core.trace.iteration import trace_next_step
from core.trace.notation import Precision
from tests.core.quiz.sessions import find, lesson, traced_value

NINE = Precision(9, decimals=True)


@pytest.mark.parametrize("name", ["mazur", "playground_default", "xor_script", "iris"])
def test_every_answer_is_the_traced_value_exactly(name):
    _, trace = lesson(name)
    questions = questions_of(trace)
    assert questions
    for q in questions:
        assert q.answer == traced_value(trace, q)


def test_questions_cover_every_asked_step_and_not_the_result():
    _, trace = lesson("mazur")
    phases = [q.phase for q in questions_of(trace)]
    assert set(phases) == {"forward", "loss", "output_delta", "backward", "update"}
    assert step_questions(trace, len(trace.steps) - 1) == []  # the result step
    assert len(phases) == 8 + 3 + 2 + (6 + 2 + 6) + 12


def test_mazur_numbers_of_the_post():
    _, trace = lesson("mazur")
    qs = questions_of(trace)
    assert find(qs, "L", i=None).check("0.298371109", NINE).right
    assert find(qs, "dL/dw", "w5").check("0.082167041", NINE).right
    assert find(qs, "w", "w5", new=True).check("0.35891648", NINE).right
    assert find(qs, "w", "w1", new=True).check("0.149780716", NINE).right


def test_right_at_the_shown_digits_wrong_one_digit_off():
    _, trace = lesson("mazur")
    z = find(questions_of(trace), "z", "h1")  # 0.3775
    for typed in ("0.3775", "0.37750", "0.37749", "0.377501", ".3775", "0,3775", "3.775e-1"):
        assert z.check(typed, 4).right, typed
    for typed in ("0.3776", "0.3774"):
        verdict = z.check(typed, 4)
        assert verdict.outcome == "wrong" and "last digit" in verdict.message
    a = find(questions_of(trace), "a", "h1")  # 0.593269992
    assert a.check("0.593269992", NINE).right
    assert a.check("0.593269993", NINE).outcome == "wrong"
    assert a.check("0.59327", 4).right and a.check("0.5933", 4).right
    assert a.check("0.5932", 4).outcome == "wrong"


def test_a_shorter_answer_is_close_too_few_digits():
    _, trace = lesson("mazur")
    a = find(questions_of(trace), "a", "h1")
    verdict = a.check("0.59", 4)
    assert verdict.outcome == "close" and verdict.mistake == "digits"
    assert "4 significant digits" in verdict.message


def test_hints_in_three_steps():
    _, trace = lesson("mazur")
    q = find(questions_of(trace), "delta", "o1")
    symbols, numbers, answer = (q.hint(k, 4) for k in (1, 2, 3))
    assert symbols == "δₒ₁ = (aₒ₁ − yₒ₁) · σ'(zₒ₁)"
    assert numbers.startswith(symbols + " = (0.7514 − 0.01)") and numbers.endswith("= ?")
    assert "0.1385" not in numbers
    assert answer.startswith(symbols) and answer.endswith("= 0.1385")


def test_prompt_names_the_quantity_and_its_sample_in_a_batch():
    _, trace = lesson("mazur")
    assert find(questions_of(trace), "z", "h1").prompt() == "zₕ₁ = ?"
    _, batch = lesson("playground_default")
    assert questions_of(batch, sample=2)[0].prompt() == "z₁¹[3] = ?"


@pytest.mark.parametrize("seed", range(6))
def test_exercise_answers_are_its_trace(seed):
    session = new_exercise(seed)
    trace = trace_next_step(trainer_for(session), session.labels)
    for q in questions_of(trace):
        assert q.answer == traced_value(trace, q)

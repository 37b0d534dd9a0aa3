"""A quiz run: right, wrong, close, hints and the score."""

from __future__ import annotations

from core.quiz.questions import step_questions
from core.quiz.score import QuizRun
from tests.core.quiz.sessions import as_typed, lesson


def test_a_run_through_the_first_forward_step():
    _, trace = lesson("mazur")
    run = QuizRun(step_questions(trace, 0), 4)  # z_h1, a_h1, z_h2, a_h2
    assert run.check("0.3775").right  # z_h1 at the first try
    assert run.check("0.59").outcome == "close"  # a_h1: too few digits
    assert run.check("0.3775").mistake == "you forgot f"
    assert run.hint() == "aₕ₁ = σ(zₕ₁)"
    assert run.check("0.5933").right  # a_h1, after two slips and a hint
    assert run.current.question.term.target.label == "h2"
    assert run.check("zz").outcome == "invalid" and run.current.tries == 0
    run.hint(), run.hint()
    assert run.hint().endswith("= 0.3925")  # the third hint shows z_h2 and moves on
    assert run.skip().endswith("= 0.5969")  # a_h2 shown
    assert run.finished
    score = run.score()
    assert (score.right, score.asked, score.first_try, score.hints) == (2, 4, 1, 4)
    assert score.text() == (
        "2 of 4 right (1 at the first try; 4 hints; mistakes: digits, you forgot f)"
    )
    assert run.check("1").outcome == "invalid"


def test_every_answer_right_scores_full():
    _, trace = lesson("playground_default")
    questions = step_questions(trace, 4)
    run = QuizRun(questions, 4)
    for q in questions:
        assert run.check(as_typed(q.answer)).right
    assert run.score().right == run.score().asked == run.score().first_try == len(questions)

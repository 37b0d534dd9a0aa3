"""The named slips: each recognised, on Mazur's one sample and on a batch of 10."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.activations import sigmoid_grad, tanh_grad
from core.quiz.answers import AnswerError, parse_answer
from core.quiz.questions import questions_of
from tests.core.quiz.sessions import as_typed, find, lesson


def close(question, value: float, digits=4):
    verdict = question.check(as_typed(value), digits)
    assert verdict.outcome == "close", (verdict, value)
    return verdict.mistake


def test_mazur_output_delta_slips():
    _, trace = lesson("mazur")
    q = find(questions_of(trace), "delta", "o1")
    a, y, z = trace.a[2][0, 0], trace.y[0, 0], trace.z[1][0, 0]
    assert close(q, a - y) == "you forgot f'(z)"  # 0.7414 instead of 0.1385
    assert close(q, y - a) == "sign and you forgot f'(z)"  # two slips at once
    assert close(q, -q.answer) == "sign"
    assert close(q, 2 * q.answer) == "factor of 2"  # the ½ convention's 2 cancels
    f_of_a = (a - y) * sigmoid_grad(np.array([a]))[0]
    assert close(q, f_of_a) == "f'(a) instead of f'(z)"
    assert z > 0


def test_mazur_hidden_delta_and_gradient_slips():
    _, trace = lesson("mazur")
    qs = questions_of(trace)
    h1 = find(qs, "delta", "h1")
    back = float(trace.weights_before[1][:, 0] @ trace.delta[1][0])
    assert close(h1, back) == "you forgot f'(z)"
    transposed = float(trace.weights_before[1][0] @ trace.delta[1][0])
    assert close(h1, transposed * sigmoid_grad(trace.z[0][0, :1])[0]) == "transposed W"
    w5 = find(qs, "dL/dw", "w5")
    assert close(w5, trace.delta[1][0, 0]) == "you forgot a_j"
    z = find(qs, "z", "h1")
    assert close(z, 0.3775 - 0.35) == "you forgot the bias b"
    a = find(qs, "a", "h1")
    assert close(a, 0.3775) == "you forgot f"
    loss = find(qs, "L", "o1")
    assert close(loss, 2 * loss.answer) == "factor of 2"


def test_mazur_update_slips():
    _, trace = lesson("mazur")
    w5 = find(questions_of(trace), "w", "w5", new=True)
    g, lr = 0.082167041, 0.5
    assert close(w5, 0.4 + lr * g, 6) == "w += instead of w −="
    assert close(w5, 0.4 - g, 6) == "you forgot η"
    assert close(w5, -lr * g, 6) == "that is the step, not the new value"


def test_batch_slips_missing_mean_and_one_sample():
    _, trace = lesson("playground_default")
    assert trace.n == 10 and trace.loss_name == "mse"
    qs = questions_of(trace)
    out = find(qs, "delta", layer=3, i=0)
    assert close(out, 10 * out.answer) == "missing 1/n"
    assert close(out, out.answer / 2) == "factor of 2"  # the ½ convention used on an MSE
    slope = tanh_grad(trace.z[2][0, :1])[0]
    assert close(out, out.answer / slope) == "you forgot f'(z)"
    dw = find(qs, "dL/dw", layer=3, i=0, j=0)
    assert close(dw, 10 * dw.answer) == "missing 1/n"
    assert close(dw, dw.answer / 10) == "1/n twice"
    assert close(dw, trace.delta[2][0, 0] * trace.a[2][0, 0]) == "only one sample"
    loss = find(qs, "L", i=0)
    assert close(loss, 10 * loss.answer) == "missing 1/n"
    assert close(dw, -dw.answer) == "sign"


def test_a_slip_equal_to_the_answer_is_never_named():
    _, trace = lesson("playground_default")
    for q in questions_of(trace)[:40]:
        assert q.check(as_typed(q.answer), 4).right


@pytest.mark.parametrize(
    "text, value",
    [
        ("0.1", 0.1),
        ("-1e-3", -1e-3),
        (".5", 0.5),
        ("0,5", 0.5),
        ("−0.25", -0.25),
        ("+2", 2.0),
        ("5.", 5.0),
        ("  3.5E2 ", 350.0),
        ("-.5", -0.5),
    ],
)
def test_number_syntax_accepted(text, value):
    assert parse_answer(text) == value


@pytest.mark.parametrize(
    "text", ["", "abc", "1,234.5", "1,2,3", "1_000", "nan", "inf", "1/2", "0x1f", "2 3", "e5"]
)
def test_garbage_refused_with_one_sentence(text):
    with pytest.raises(AnswerError) as info:
        parse_answer(text)
    message = str(info.value)
    assert message.endswith(".") and message.count(". ") == 0 and "Traceback" not in message
    _, trace = lesson("mazur")
    verdict = questions_of(trace)[0].check(text, 4)
    assert verdict.outcome == "invalid" and verdict.message == message


def _exercise_questions(seed: int):
    from core.engine.trainer import trainer_for
    from core.quiz.exercise import new_exercise
    from core.trace.iteration import trace_next_step

    session = new_exercise(seed)
    trace = trace_next_step(trainer_for(session), session.labels)
    return trace, questions_of(trace)


def test_bce_extra_slope_and_mse_mean_over_outputs():
    trace, qs = _exercise_questions(0)  # 3-3-2-1, bce
    assert trace.loss_name == "bce"
    out = find(qs, "delta", layer=3, i=0)
    assert close(out, out.answer * sigmoid_grad(trace.z[2][0, :1])[0]) == "an extra f'(z)"
    trace, qs = _exercise_questions(6)  # 3-3-3-2, mse with two linear outputs
    assert (trace.loss_name, trace.layers[-1]) == ("mse", 2)
    out = find(qs, "delta", layer=3, i=1)
    assert close(out, 2 * out.answer) == "missing 1/(n k)"
    assert close(out, out.answer / 2) == "factor of 2"


def test_hidden_delta_slope_at_a():
    _, trace = lesson("mazur")
    h2 = find(questions_of(trace), "delta", "h2")
    back = float(trace.weights_before[1][:, 1] @ trace.delta[1][0])
    a = trace.a[1][0, 1]
    assert close(h2, back * sigmoid_grad(np.array([a]))[0], 6) == "f'(a) instead of f'(z)"

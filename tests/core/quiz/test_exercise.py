"""New exercises: drawn from a seed, within the lessons' range, reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.trainer import trainer_for
from core.quiz.exercise import exercise_like, new_exercise, worksheet_problem
from core.session.format import dumps_session, loads_session
from core.trace.iteration import trace_next_step
from tests.core.quiz.sessions import lesson


def test_the_same_seed_gives_the_same_exercise():
    first, again = new_exercise(1234), new_exercise(1234)
    assert dumps_session(first) == dumps_session(again)


def test_different_seeds_give_different_exercises():
    texts = {dumps_session(new_exercise(seed)) for seed in range(20)}
    assert len(texts) == 20


def test_exercises_stay_in_the_lessons_range():
    seen = set()
    for seed in range(60):
        s = new_exercise(seed)
        layers, acts = s.network.layers, s.network.activation_names
        assert layers[0] in (2, 3) and 1 <= len(layers) - 2 <= 2
        assert all(n in (2, 3) for n in layers[1:-1])
        assert all(a in ("sigmoid", "tanh", "relu") for a in acts[:-1])
        seen.add((s.loss, acts[-1]))
        assert s.training.optimizer == "sgd" and len(s.dataset.x_train) == 1
        w = np.concatenate([m.ravel() for m in s.network.weights])
        assert np.all(np.round(w, 2) == w) and np.all(np.abs(w) <= 1)
    assert seen == {
        ("sse", "sigmoid"),
        ("mse", "tanh"),
        ("mse", "linear"),
        ("bce", "sigmoid"),
        ("cce", "softmax"),
    }


def test_an_exercise_is_a_session_the_window_can_open_and_save():
    session = new_exercise(7)
    again = loads_session(dumps_session(session))
    assert "seed 7" in again.name
    for w, v in zip(session.network.weights, again.network.weights):
        assert np.array_equal(w, v)
    trace = trace_next_step(trainer_for(again), again.labels)
    assert trace.n == 1


@pytest.mark.parametrize("seed", [-1, 2**63, 1.5, True])
def test_a_bad_seed_is_refused(seed):
    with pytest.raises(ValueError, match="seed"):
        new_exercise(seed)


def test_a_sheet_keeps_the_session_shape_and_draws_new_numbers():
    mazur, _ = lesson("mazur")
    a, b = exercise_like(mazur, 1), exercise_like(mazur, 2)
    for s in (a, b):
        assert s.network.layers == [2, 2, 2] and s.loss == "sse"
        assert s.network.activation_names == ["sigmoid", "sigmoid"]
        assert s.labels == mazur.labels and s.training.learning_rate == 0.5
    assert not np.array_equal(a.network.weights[0], b.network.weights[0])
    assert dumps_session(exercise_like(mazur, 1)) == dumps_session(a)


def test_big_networks_make_no_worksheet():
    digits, _ = lesson("digits")
    assert "too big" in worksheet_problem(digits)
    assert worksheet_problem(lesson("mazur")[0]) is None

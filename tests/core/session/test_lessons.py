"""The built-in lessons: all load and train; the two worked examples are reproduced exactly."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.trainer import trainer_for
from core.session.format import load_session
from tests import paths

LESSONS = paths.LESSONS


def classic_xor_script(epochs: int) -> tuple[list[np.ndarray], np.ndarray]:
    """The classic two-layer NumPy XOR script, as people copy it (legacy seeding)."""
    rs = np.random.RandomState(42)  # the same stream as np.random.seed(42); np.random.rand
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    w1, w2 = rs.rand(2, 2), rs.rand(2, 1)
    b1, b2 = rs.rand(1, 2), rs.rand(1, 1)

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))

    for _ in range(epochs):
        hidden = sigmoid(x @ w1 + b1)
        out = sigmoid(hidden @ w2 + b2)
        d_out = (y - out) * out * (1 - out)
        d_hidden = d_out @ w2.T * hidden * (1 - hidden)
        w2 += hidden.T @ d_out * 0.1
        b2 += np.sum(d_out, axis=0, keepdims=True) * 0.1
        w1 += x.T @ d_hidden * 0.1
        b1 += np.sum(d_hidden, axis=0, keepdims=True) * 0.1
    out = sigmoid(sigmoid(x @ w1 + b1) @ w2 + b2)
    return [w1.T, b1[0], w2.T, b2[0]], out


@pytest.mark.parametrize("path", sorted(LESSONS.glob("*.json")), ids=lambda p: p.stem)
def test_every_lesson_loads_and_trains(path):
    session = load_session(path)
    assert session.name and session.description
    assert not session.warnings
    trainer = trainer_for(session)
    trainer.run(epochs=3)
    assert trainer.status != "diverged"
    assert np.isfinite(trainer.history.last("train_loss"))


def test_xor_script_starts_from_the_legacy_seed_42_draws():
    session = load_session(LESSONS / "xor_script.json")
    start, _ = classic_xor_script(0)
    for ours, theirs in zip(session.network.parameters(), start):
        np.testing.assert_array_equal(ours, theirs)  # stored at full precision
    np.testing.assert_allclose(start[0], [[0.37454012, 0.73199394], [0.95071431, 0.59865848]])


def test_xor_script_lesson_reproduces_the_script_to_1e9():
    session = load_session(LESSONS / "xor_script.json")
    assert session.training.epochs == 10_000
    trainer = trainer_for(session)
    assert trainer.run() == "max_epochs"
    params, out = classic_xor_script(10_000)
    for ours, theirs in zip(session.network.parameters(), params):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(session.network.predict(session.dataset.x_train), out, atol=1e-9)
    assert trainer.history.last("train_accuracy") == 1.0


def test_mazur_one_step():
    session = load_session(LESSONS / "mazur.json")
    trainer = trainer_for(session)
    assert trainer.step() == pytest.approx(0.298371109, abs=5e-10)
    w = session.network.weights
    assert w[1][0, 0] == pytest.approx(0.35891648, abs=5e-9)  # w5
    assert w[0][0, 0] == pytest.approx(0.149780716, abs=5e-10)  # w1
    np.testing.assert_array_equal(session.network.biases[0], [0.35, 0.35])  # biases frozen
    fp = session.network.forward(session.dataset.x_train)
    error = 0.5 * np.sum((session.dataset.y_train - fp.a[-1]) ** 2)
    assert error == pytest.approx(0.29102777369, abs=5e-12)
    assert session.labels["weights"][1][0][0] == "w5"

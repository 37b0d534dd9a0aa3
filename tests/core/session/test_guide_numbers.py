"""The numbers the built-in lessons' "look" and "try" texts quote are the app's own: each
is computed here by training the lesson (as `python main.py train LESSON --json` does, or
with the change the text suggests) and must appear in the text as written."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.engine.trainer import trainer_for
from core.session.format import load_session
from core.session.lessons import LESSONS_DIR
from core.trace.iteration import trace_next_step


def _session(lesson: str, hidden_activation: str | None = None, **training):
    """The lesson as it opens, with its hidden layers' activation changed (the weights kept,
    as the Network panel does) and training settings changed, if asked."""
    session = load_session(LESSONS_DIR / f"{lesson}.json")
    if hidden_activation is not None:
        for layer in range(1, len(session.network.layers) - 1):
            session.network.set_activation(layer, hidden_activation)
    if training:
        session.training = dataclasses.replace(session.training, **training)
    return session


def _trained(session, epochs: int | None = None):
    trainer = trainer_for(session)
    trainer.run(epochs=epochs or session.training.epochs)
    return trainer.history


def _text(lesson: str) -> str:
    guide = load_session(LESSONS_DIR / f"{lesson}.json").guide
    return guide.look + "\n" + guide.try_


def _percent(x: float) -> str:
    return "100%" if x == 1 else f"{100 * x:.1f}%"


def test_vanishing_gradients_numbers() -> None:
    text = _text("vanishing_gradients")
    history = _trained(_session("vanishing_gradients"))
    first, last = history.grad_norm[1, 0], history.grad_norm[1, -1]
    assert (
        f"{first:.1e}".replace("e-0", "e-") in text and f"{last:.1e}".replace("e-0", "e-") in text
    )
    assert 350 < last / first < 450 and "some 400 times larger" in text
    assert f"it is {history.last('train_loss'):.3f}" in text
    assert _percent(history.last("train_accuracy")) in text
    assert abs(np.log(2) - 0.693) < 5e-4
    for activation, quoted in (("tanh", ("100%", "98.4%")), ("leaky_relu", ("98.0%",))):
        h = _trained(_session("vanishing_gradients", hidden_activation=activation))
        shown = (_percent(h.last("train_accuracy")), _percent(h.last("test_accuracy")))
        assert all(q in shown for q in quoted) and all(q in text for q in quoted)
    relu = _trained(_session("vanishing_gradients", hidden_activation="relu"))
    assert _percent(relu.last("train_accuracy")) == "81.2%" and "81.2%" in text
    assert np.any(relu.grad_norm[1:, 0] == 0)  # the first layer's curve drops out
    slow = _trained(_session("vanishing_gradients", hidden_activation="relu", learning_rate=0.05))
    assert slow.last("train_accuracy") == 1.0


def test_xor_script_numbers() -> None:
    text = _text("xor_script")
    loss = _trained(_session("xor_script")).column("train_loss")
    assert int(np.argmax(loss < 0.49)) == 2_075 and "0.49 at epoch 2,075" in text
    assert int(np.argmax(loss < 0.1)) == 5_036 and "0.1 at epoch 5,036" in text
    assert f"{loss[-1]:.4f}" == "0.0067" and "0.0067" in text
    fast = _trained(_session("xor_script", learning_rate=0.5)).column("train_loss")
    assert int(np.argmax(fast < 0.1)) == 1_009 and "epoch 1,009" in text
    assert f"{fast[-1]:.2g}" == "0.00061" and "0.00061" in text


def test_mazur_numbers_are_the_traced_steps() -> None:
    text = _text("mazur")
    trace = trace_next_step(trainer_for(_session("mazur")))
    assert f"{trace.delta[1][0, 0]:.9f}" == "0.138498562" and "= 0.138498562" in text
    assert f"{trace.dW[1][0, 0]:.9f}" == "0.082167041" and "= 0.082167041" in text
    assert f"{trace.delta[0][0, 0]:.9f}" == "0.008771355" and "0.008771355" in text
    assert f"{trace.dW[0][0, 0]:.9f}" == "0.000438568" and "0.000438568" in text
    assert f"{trace.loss_after:.9f}" == "0.291027774" and "0.291027774" in text
    assert f"{trace.loss_after - trace.loss:.9f}" == "-0.007343335" and "−0.007343335" in text


@pytest.mark.parametrize(
    "lesson, quoted",
    [
        ("playground_default", {"train_loss": "0.00086", "test_loss": "0.0035"}),
        ("spiral", {"train_loss": "0.016", "train_accuracy": "99.6%", "test_accuracy": "99.6%"}),
        ("softmax_blobs", {"train_loss": "0.0026", "test_accuracy": "98.9%"}),
        ("sine_regression", {"train_loss": "0.0099", "test_loss": "0.015"}),
        ("iris", {"train_accuracy": "98.1%", "test_accuracy": "97.8%"}),
        ("digits", {"train_loss": "0.021", "test_loss": "0.17", "test_accuracy": "95.5%"}),
    ],
)
def test_the_final_numbers_quoted_are_the_trainers(lesson, quoted) -> None:
    text = _text(lesson)
    history = _trained(_session(lesson))
    for column, shown in quoted.items():
        value = history.last(column)
        written = _percent(value) if "%" in shown else f"{value:.2g}"
        assert written == shown and shown in text, (column, written)


def _with_data(lesson: str, **data):
    """The lesson with its built-in data's settings changed (as the Data panel does)."""
    session = _session(lesson)
    session.data = dict(session.data) | data
    session.reload_dataset()
    return session


def test_the_try_texts_changes_give_the_numbers_quoted() -> None:
    sine = _trained(_with_data("sine_regression", noise=0.0))
    assert f"{sine.last('train_loss'):.2g}" == "0.00049" and "0.00049" in _text("sine_regression")
    blobs = _trained(_with_data("softmax_blobs", noise=1.0))
    shown = [f"{100 * blobs.last(c):.0f}%" for c in ("train_accuracy", "test_accuracy")]
    assert shown == ["84%", "80%"] and all(s in _text("softmax_blobs") for s in shown)
    spiral = _session("spiral")
    for index in (3, 2):  # sin(x2), sin(x1): their input neurons go, as the toggles do
        spiral.network.remove_neuron(0, index)
    spiral.features = ["x1", "x2"]
    spiral.reload_dataset()
    history = _trained(spiral)
    assert f"{history.last('train_loss'):.2f}" == "0.20"
    assert _percent(history.last("test_accuracy")) == "93.6%" and "93.6%" in _text("spiral")

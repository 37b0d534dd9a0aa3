"""The bug lab's bugs (core.engine.bugs): each one's gradient against the same mistake
written out by hand on a tiny network, Mazur's two numbers, and the trainer's bug path
(the trace's numbers, the loss curve, and the normal path untouched when no bug is on)."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine import bugs, losses
from core.engine.checkpoints import capture, restore, twin
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.params import FlatLayout
from core.engine.trainer import Trainer, trainer_for
from core.session.format import load_session
from core.trace.iteration import trace_next_step
from tests import paths

LR = 0.3


def tiny() -> tuple[Network, np.ndarray, np.ndarray]:
    """2-2-2, tanh then sigmoid, three rows (so a 1/n can go missing)."""
    w1 = np.array([[0.3, -0.8], [0.5, 0.2]])
    w2 = np.array([[0.7, -0.4], [-0.6, 0.9]])
    net = Network([w1, w2], [np.array([0.1, -0.2]), np.array([0.05, 0.3])], ["tanh", "sigmoid"])
    x = np.array([[0.5, -1.0], [1.5, 0.25], [-0.3, 0.8]])
    y = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.7]])
    return net, x, y


def sigmoid(v: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-v))


def by_hand(bug: str | None) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The deltas of the tiny net's mse loss with ``bug``, written out formula by formula
    (mazur: sgd at LR)."""
    net, x, y = tiny()
    (w1, w2), (b1, b2) = net.weights, net.biases
    a1 = np.tanh(x @ w1.T + b1)
    a2 = sigmoid(a1 @ w2.T + b2)
    n, k = y.shape
    dl_da = 2.0 * (a2 - y) / (n * k)
    d2 = dl_da * a2 * (1 - a2)
    if bug == "no_fprime":
        d2 = dl_da
        return [d2 @ w2, d2], [a1]
    if bug == "fprime_of_a":
        d2 = dl_da * sigmoid(a2) * (1 - sigmoid(a2))
        return [(d2 @ w2) * (1 - np.tanh(a1) ** 2), d2], [a1]
    if bug == "transposed":
        return [(d2 @ w2.T) * (1 - a1**2), d2], [a1]
    if bug == "no_mean":
        d2 = d2 * n
    if bug == "mazur":
        w2_new = w2 - LR * (d2.T @ a1)
        return [(d2 @ w2_new) * (1 - a1**2), d2], [a1]
    return [(d2 @ w2) * (1 - a1**2), d2], [a1]


def buggy(bug: str | None):
    net, x, y = tiny()
    layout = FlatLayout(net.layers)
    flat = layout.pack(net.weights, net.biases)
    after = bugs.weights_after_step(Optimizer("sgd", LR), TrainingConfig(), layout, flat)
    return net, x, bugs.backward(net, net.forward(x), y, losses.get("mse"), bug, after)


@pytest.mark.parametrize("bug", [None, *bugs.BUGS])
def test_each_bug_gives_the_gradient_written_out_by_hand(bug):
    net, x, grads = buggy(bug)
    deltas, (a1,) = by_hand(bug)
    for mine, theirs in zip(grads.delta, deltas, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grads.dW[0], deltas[0].T @ x, rtol=1e-12)
    np.testing.assert_allclose(grads.dW[1], deltas[1].T @ a1, rtol=1e-12)
    np.testing.assert_allclose(grads.db[0], deltas[0].sum(axis=0), rtol=1e-12)


@pytest.mark.parametrize("bug", [b for b in bugs.BUGS if bugs.BUGS[b].in_gradient])
def test_every_gradient_bug_changes_the_gradient_here(bug):
    _, _, right = buggy(None)
    _, _, wrong = buggy(bug)
    assert not np.allclose(right.dW[0], wrong.dW[0])


def test_the_update_bugs_leave_the_gradient_right():
    _, _, right = buggy(None)
    for bug in ("plus", "frozen_biases"):
        _, _, same = buggy(bug)
        for mine, theirs in zip(same.dW + same.db, right.dW + right.db):
            np.testing.assert_array_equal(mine, theirs)


def test_the_transposed_bug_is_refused_where_w_is_not_square():
    assert bugs.problem("transposed", [2, 2, 2]) is None
    assert bugs.problem("transposed", [3, 4, 4, 4]) is None  # W^1 may be of any shape
    why = bugs.problem("transposed", [2, 3, 1])
    assert "W^2 is 1×3" in why and "square" in why
    net = Network.initialized([2, 3, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    x, y = np.ones((2, 2)), np.ones((2, 1))
    with pytest.raises(ValueError, match="square"):
        bugs.backward(net, net.forward(x), y, losses.get("mse"), "transposed")
    with pytest.raises(ValueError, match="unknown bug"):
        bugs.problem("nope", [2, 2])


def mazur_trainer(bug: str | None) -> Trainer:
    trainer = trainer_for(load_session(paths.LESSONS / "mazur.json"))
    trainer.bug = bug
    return trainer


def test_mazur_post_error_with_the_bug_and_the_correct_one_without():
    """The post's published 0.291027924 comes from updating the output weights before the
    hidden deltas; correct backprop gives 0.291027774 (both to 9 digits)."""
    for bug, total in ((None, 0.291027774), ("mazur", 0.291027924)):
        trainer = mazur_trainer(bug)
        trainer.step()
        assert round(trainer.history.last("train_loss"), 9) == total
        trace = trace_next_step(mazur_trainer(bug))
        assert round(trace.loss_after, 9) == total
        label = "Bug lab: Output weights updated too early · " if bug else ""
        assert trace.bug_label == label  # the exported films' and slides' captions


@pytest.mark.parametrize("bug", list(bugs.BUGS))
def test_the_trace_shows_exactly_the_step_the_buggy_trainer_takes(bug):
    session = load_session(paths.LESSONS / "xor_script.json")
    if bugs.problem(bug, session.network.layers):
        session = load_session(paths.LESSONS / "mazur.json")
    trainer = trainer_for(session)
    trainer.bug = bug
    for _ in range(3):
        trace = trace_next_step(trainer)
        assert trace.bug == bug
        trainer.step()
        for mine, theirs in zip(trainer.network.weights, trace.weights_after):
            np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-15)
        for mine, theirs in zip(trainer.fast.dW, trace.dW):
            np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-15)


def xor() -> Trainer:
    return trainer_for(load_session(paths.LESSONS / "xor_script.json"))


def tiny_trainer(bug: str | None) -> Trainer:
    net, x, y = tiny()
    trainer = Trainer(net, "mse", TrainingConfig(learning_rate=1.0, batch_size=2), x, y)
    trainer.bug = bug
    return trainer


@pytest.mark.parametrize("bug", list(bugs.BUGS))
def test_a_bug_changes_the_loss_curve(bug):
    right, wrong = tiny_trainer(None), tiny_trainer(bug)
    right.run(30)
    wrong.run(30)
    curve, buggy_curve = right.history.column("train_loss"), wrong.history.column("train_loss")
    assert curve[0] == buggy_curve[0]  # the same start
    assert np.abs(curve[1:] - buggy_curve[1:]).max() > 1e-4
    if bug == "plus":
        assert buggy_curve[-1] > buggy_curve[0] > curve[-1]  # it climbs


def test_no_bug_never_leaves_the_fast_path(monkeypatch):
    """With no bug on, a step never reaches the bug lab's code, so training is the tuned
    path bit for bit; a bug switched off again gives the very steps of a run without it."""

    def refuse(*args):
        raise AssertionError("the bug path ran with no bug on")

    trainer, reference = xor(), xor()
    trainer.bug = "no_fprime"
    trainer.run(2)
    trainer.bug = None
    np.copyto(reference._flat, trainer._flat)
    reference.optimizer.load(trainer.optimizer.saved())
    reference.parameters_changed()
    monkeypatch.setattr(bugs, "train_step", refuse)
    trainer.run(5)
    reference.run(5)
    np.testing.assert_array_equal(trainer._flat, reference._flat)


def test_checkpoints_and_twins_keep_the_bug():
    trainer = xor()
    trainer.bug = "plus"
    point = capture(trainer)
    assert twin(trainer).bug == "plus"
    trainer.bug = None
    restore(trainer, point)
    assert trainer.bug == "plus"

"""The training loop: fast path vs readable maths, batches, history, stops, divergence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.engine import losses
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.trainer import USABLE_FACTOR, Trainer, trainer_for
from core.session.format import load_session
from tests import paths

CASES = [
    ("mse", ["relu", "sigmoid"], 1),
    ("sse", ["tanh", "linear"], 2),
    ("mse", ["leaky_relu", "tanh"], 3),
    ("bce", ["tanh", "sigmoid"], 2),
    ("cce", ["sigmoid", "softmax"], 3),
]


def _data(k: int, n: int = 12, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    y = np.eye(k)[rng.integers(0, k, n)] if k > 1 else rng.integers(0, 2, (n, 1)).astype(float)
    return x, y


@pytest.mark.parametrize(("loss", "acts", "k"), CASES)
def test_fast_step_equals_readable_maths(loss, acts, k):
    x, y = _data(k)
    net = Network.initialized([3, 5, k], acts, "xavier_normal", 3)
    reference = net.copy()
    trainer = Trainer(net, loss, TrainingConfig(learning_rate=0.3), x, y)
    fp = reference.forward(x)
    grads = reference.backward(fp, y, losses.get(loss))
    value = trainer.step()
    assert value == pytest.approx(losses.get(loss).value(fp.z[-1], fp.a[-1], y), rel=1e-12)
    for l in range(2):
        np.testing.assert_allclose(trainer.fast.dW[l], grads.dW[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(trainer.fast.db[l], grads.db[l], rtol=1e-12, atol=1e-14)
        expected = reference.weights[l] - 0.3 * grads.dW[l]
        np.testing.assert_allclose(net.weights[l], expected, rtol=1e-12, atol=1e-14)


def test_history_rows_are_per_epoch_and_hold_the_loss_of_the_whole_set():
    x, y = _data(1, n=10)
    net = Network.initialized([3, 4, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    reference = net.copy()
    trainer = Trainer(net, "sse", TrainingConfig(batch_size=4, epochs=3), x, y, x[:3], y[:3])
    assert trainer.steps_per_epoch == 3
    assert trainer.run() == "max_epochs"
    assert trainer.steps == 9
    h = trainer.history
    assert h.rows == 4
    fp = reference.forward(x)
    first = losses.get("sse").value(fp.z[-1], fp.a[-1], y)  # L = 1/2 sum over all rows
    assert h.column("train_loss")[0] == pytest.approx(first, rel=1e-12)
    assert np.all(np.isfinite(h.column("test_loss")))
    assert np.all((h.column("train_accuracy") >= 0) & (h.column("train_accuracy") <= 1))
    assert np.isnan(h.grad_norm[0]).all()
    assert np.all(h.grad_norm[1:] > 0)
    np.testing.assert_allclose(h.grad_norm[-1, 0], np.linalg.norm(trainer.fast.dW[0]))


def test_accuracy_applies_only_to_class_targets():
    x, _ = _data(1)
    y = np.full((len(x), 1), 0.3)
    net = Network.initialized([3, 2, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    trainer = Trainer(net, "mse", TrainingConfig(), x, y)
    assert math.isnan(trainer.history.column("train_accuracy")[0])
    assert math.isnan(trainer.history.column("test_accuracy")[0])


def test_tanh_accuracy_thresholds_at_zero():
    x = np.array([[1.0], [-1.0]])
    y = np.array([[1.0], [-1.0]])
    net = Network([np.array([[2.0]])], [np.zeros(1)], ["tanh"])
    trainer = Trainer(net, "mse", TrainingConfig(), x, y)
    assert trainer.history.column("train_accuracy")[0] == 1.0


def test_shuffle_is_seeded_per_epoch():
    x, y = _data(1, n=20)

    def run(seed: int) -> tuple[list[np.ndarray], np.ndarray]:
        net = Network.initialized([3, 4, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
        cfg = TrainingConfig(batch_size=5, shuffle=True, seed=seed)
        trainer = Trainer(net, "bce", cfg, x, y)
        orders = []
        for _ in range(8):
            orders.append(trainer.next_batch())
            trainer.step()
        return orders, net.weights[0].copy()

    a, wa = run(1)
    b, wb = run(1)
    c, _ = run(2)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    np.testing.assert_array_equal(wa, wb)
    assert not all(np.array_equal(u, v) for u, v in zip(a, c))
    epoch1, epoch2 = np.concatenate(a[:4]), np.concatenate(a[4:])
    assert sorted(epoch1) == list(range(20)) and sorted(epoch2) == list(range(20))
    assert not np.array_equal(epoch1, epoch2)


def test_learning_rate_changes_keep_momentum():
    x, y = _data(1)
    net = Network.initialized([3, 2, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    ref = net.copy()
    trainer = Trainer(net, "mse", TrainingConfig(optimizer="momentum", learning_rate=0.1), x, y)
    opt = Optimizer("momentum", 0.1, 0.9)
    params = ref.parameters()
    for lr in (0.1, 0.1, 0.5, 0.02):
        trainer.lr = lr
        opt.lr = lr
        g = ref.backward(ref.forward(x), y, losses.get("mse"))
        opt.step(params, [p for wb in zip(g.dW, g.db) for p in wb])
        trainer.step()
    for u, v in zip(net.parameters(), ref.parameters()):
        np.testing.assert_allclose(u, v, rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="learning rate"):
        trainer.lr = 0.0


def test_frozen_biases_and_penalties_act_on_weights_only():
    x, y = _data(1)
    net = Network.initialized([3, 2, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    for b in net.biases:
        b[:] = 0.25
    ref = net.copy()
    cfg = TrainingConfig(learning_rate=0.1, l1=0.01, l2=0.1, train_biases=False)
    trainer = Trainer(net, "mse", cfg, x, y)
    g = ref.backward(ref.forward(x), y, losses.get("mse"))
    trainer.step()
    for l in range(2):
        np.testing.assert_array_equal(net.biases[l], 0.25)
        step = g.dW[l] + 0.1 * ref.weights[l] + 0.01 * np.sign(ref.weights[l])
        np.testing.assert_allclose(net.weights[l], ref.weights[l] - 0.1 * step, rtol=1e-12)
        np.testing.assert_allclose(trainer.fast.db[l], g.db[l], rtol=1e-12)  # still reported


def test_target_loss_and_callback_stop_training():
    x, y = _data(1)
    net = Network.initialized([3, 4, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    trainer = Trainer(net, "bce", TrainingConfig(learning_rate=1.0, target_loss=0.6), x, y)
    assert trainer.run() == "target_loss"
    assert trainer.history.column("train_loss")[-1] <= 0.6
    net = Network.initialized([3, 4, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    trainer = Trainer(net, "bce", TrainingConfig(), x, y)
    assert trainer.run(callback=lambda t: t.epoch >= 5) == "stopped"
    assert trainer.epoch == 5
    assert trainer.run(epochs=2) == "paused"
    assert trainer.epoch == 7


def test_divergence_stops_with_epoch_and_step_and_keeps_last_finite_state():
    x, y = _data(1, n=8)
    x = x * 100
    net = Network.initialized([3, 8, 1], ["relu", "linear"], "he_normal", 0)
    trainer = Trainer(net, "sse", TrainingConfig(learning_rate=5.0, batch_size=2), x, y)
    assert trainer.run(epochs=50) == "diverged"  # and no overflow warnings (they are errors here)
    d = trainer.divergence
    assert d.epoch >= 1 and d.step >= 1
    assert f"epoch {d.epoch}" in d.message and "learning rate" in d.message
    assert math.isnan(trainer.step())  # stays stopped
    last = trainer.last_finite()
    assert all(np.all(np.isfinite(p)) for p in last.parameters())
    trainer.restore_last_finite()
    assert all(np.all(np.isfinite(p)) for p in net.parameters())
    assert trainer.status == "paused"


def test_full_batch_reuses_the_evaluation_forward_pass_correctly():
    # with a full, unshuffled batch the epoch-end evaluation is the next step's forward pass
    x, y = _data(1, n=6)
    a = Network.initialized([3, 3, 1], ["sigmoid", "sigmoid"], "xavier_uniform", 0)
    b = a.copy()
    full = Trainer(a, "sse", TrainingConfig(learning_rate=0.5), x, y)
    split = Trainer(b, "sse", TrainingConfig(learning_rate=0.5, batch_size=6, shuffle=True), x, y)
    for _ in range(20):
        full.step()
        split.step()
    for u, v in zip(a.parameters(), b.parameters()):
        np.testing.assert_allclose(u, v, rtol=1e-12, atol=1e-15)


def test_mismatched_loss_is_refused():
    x, y = _data(3)
    net = Network.initialized([3, 3], ["softmax"], "xavier_uniform", 0)
    with pytest.raises(ValueError, match="softmax output needs the cce loss"):
        Trainer(net, "mse", TrainingConfig(), x, y)


def test_a_weight_edited_from_outside_is_seen_by_the_next_step():
    x, y = _data(1, n=6)
    a = Network.initialized([3, 3, 1], ["sigmoid", "sigmoid"], "xavier_uniform", 0)
    trainer = Trainer(a, "sse", TrainingConfig(learning_rate=0.5), x, y)
    trainer.step()
    a.weights[0][0, 0] = 2.0  # the GUI edits a weight between two steps
    trainer.parameters_changed()
    reference = a.copy()
    expected = Trainer(reference, "sse", TrainingConfig(learning_rate=0.5), x, y).step()
    assert trainer.step() == pytest.approx(expected, rel=1e-12)


def test_penalty_is_reported_beside_the_data_loss():
    x, y = _data(1)
    net = Network.initialized([3, 2, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    w = [p.copy() for p in net.weights]
    trainer = Trainer(net, "mse", TrainingConfig(l1=0.01, l2=0.1), x, y)
    expected = 0.01 * sum(np.abs(v).sum() for v in w) + 0.05 * sum((v**2).sum() for v in w)
    assert trainer.history.last("penalty") == pytest.approx(expected, rel=1e-12)
    plain = Trainer(net.copy(), "mse", TrainingConfig(), x, y)
    assert trainer.history.last("train_loss") == pytest.approx(
        plain.history.last("train_loss"), rel=1e-12
    )  # the recorded loss is the data loss alone
    assert math.isnan(plain.history.last("penalty"))


def test_live_settings_keep_the_optimiser_state():
    x, y = _data(1)
    net = Network.initialized([3, 2, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    ref = net.copy()
    trainer = Trainer(net, "mse", TrainingConfig(optimizer="adam", learning_rate=0.01), x, y)
    opt = Optimizer("adam", 0.01)
    params = ref.parameters()
    for step in range(6):
        if step == 3:
            trainer.update_config(learning_rate=0.05, beta1=0.8, l2=0.1)
            opt.lr, opt.beta1 = 0.05, 0.8
        g = ref.backward(ref.forward(x), y, losses.get("mse"))
        grads = []
        for w, dw, db in zip(ref.weights, g.dW, g.db):
            grads += [dw + (0.1 * w if step >= 3 else 0.0), db]
        opt.step(params, grads)
        trainer.step()
    for u, v in zip(net.parameters(), ref.parameters()):
        np.testing.assert_allclose(u, v, rtol=1e-12, atol=1e-15)
    with pytest.raises(ValueError, match="batch_size cannot change"):
        trainer.update_config(batch_size=3)


def test_restore_goes_back_to_a_usable_state_not_merely_a_finite_one():
    # The case: Playground's default at lr 10 with relu and a linear output climbs
    # through finite but astronomic losses (6.8e262) before it overflows.
    session = load_session(paths.LESSONS / "playground_default.json")
    session.network = Network.initialized(
        [2, 4, 2, 1], ["relu", "relu", "linear"], "xavier_uniform", 1
    )
    trainer = trainer_for(session)
    trainer.lr = 10.0
    assert trainer.run(epochs=200) == "diverged"
    losses_seen = trainer.history.column("train_loss")
    lowest = np.nanmin(losses_seen)
    epoch = trainer.usable_epoch
    assert losses_seen[epoch] <= USABLE_FACTOR * lowest
    assert f"Restore goes back to epoch {epoch}" in trainer.divergence.message
    later = losses_seen[epoch + 1 :]
    assert np.all(~np.isfinite(later) | (later > USABLE_FACTOR * lowest))
    trainer.restore_last_finite()
    trainer.lr = 0.001
    restored, _ = trainer.evaluate(trainer.x_train, trainer.y_train)
    assert restored == losses_seen[epoch] and restored <= USABLE_FACTOR * lowest

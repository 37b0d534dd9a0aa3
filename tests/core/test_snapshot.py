"""Snapshots are frozen copies of a trainer's state."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.trainer import Trainer
from core.snapshot import take_snapshot


def _trainer() -> Trainer:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 2))
    y = (x[:, :1] > 0).astype(float)
    net = Network.initialized([2, 3, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    return Trainer(net, "bce", TrainingConfig(batch_size=4), x, y)


def test_snapshot_is_a_frozen_copy_with_new_history_rows():
    trainer = _trainer()
    trainer.run(epochs=3)
    snap = take_snapshot(trainer, history_start=2)
    assert snap.epoch == 3 and snap.steps == 6 and snap.layers == (2, 3, 1)
    assert len(snap.history["train_loss"]) == 2  # rows 2 and 3
    assert snap.history["grad_norm"].shape == (2, 2)
    with pytest.raises(ValueError):
        snap.weights[0][0, 0] = 1.0
    before = snap.weights[0].copy()
    trainer.run(epochs=2)
    np.testing.assert_array_equal(snap.weights[0], before)  # the trainer's arrays moved on
    np.testing.assert_array_equal(snap.dW[0].shape, (3, 2))

"""Snapshots are frozen copies; the planes are one batched forward pass over a grid."""

from __future__ import annotations

import numpy as np
import pytest

from core.data.planes import grid, layer_maps, output_map
from core.engine.network import Network
from core.engine.trainer import Trainer, TrainingConfig
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


def test_grid_and_maps():
    g = grid(4, -2.0, 2.0)
    assert g.points.shape == (16, 2)
    np.testing.assert_allclose(g.points[:4, 0], [-1.5, -0.5, 0.5, 1.5])  # x1 along a row
    np.testing.assert_allclose(g.points[::4, 1], [-1.5, -0.5, 0.5, 1.5])  # x2 down the rows
    net = Network([np.array([[1.0, 0.0]])], [np.zeros(1)], ["linear"])
    out = output_map(net, ["x1", "x2"], g)
    assert out.shape == (1, 4, 4)
    np.testing.assert_allclose(out[0, 2], [-1.5, -0.5, 0.5, 1.5])
    maps = layer_maps(net, ["x1", "x2"], g)
    assert [m.shape for m in maps] == [(2, 4, 4), (1, 4, 4)]
    np.testing.assert_allclose(maps[1], out)

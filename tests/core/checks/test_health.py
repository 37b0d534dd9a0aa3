"""Layers that stopped learning are named with what usually helps; healthy ones are not."""

from __future__ import annotations

import numpy as np

from core.checks.health import layer_hints
from core.engine.network import Network
from core.engine.trainer import trainer_for
from core.session.format import load_session
from tests import paths


def test_a_learning_rate_of_10_saturates_playgrounds_tanh_layers():
    session = load_session(paths.LESSONS / "playground_default.json")
    trainer = trainer_for(session)
    trainer.lr = 10.0
    trainer.run(epochs=50)
    hints = layer_hints(trainer.network, trainer.x_train)
    assert len(hints) == 1 and hints[0].startswith("Hidden layers 1 and 2 are saturated")
    assert "smaller learning rate" in hints[0]
    healthy = trainer_for(load_session(paths.LESSONS / "playground_default.json"))
    healthy.run(epochs=20)
    assert layer_hints(healthy.network, healthy.x_train) == []


def test_a_relu_layer_that_is_0_on_every_row_is_dead():
    x = np.random.default_rng(0).normal(size=(50, 2))
    net = Network.initialized([2, 3, 3, 1], ["relu", "relu", "sigmoid"], "he_normal", 0)
    net.biases[1][:] = -1e3  # every z of layer 2 negative: every ReLU there outputs 0
    hints = layer_hints(net, x)
    assert hints == [h for h in hints if h.startswith("Hidden layer 2 is dead")] and hints
    assert layer_hints(net, x[:0]) == []

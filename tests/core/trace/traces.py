"""Traced iterations shared by the trace tests: Mazur's network and a 2-3-2-1 net."""

from __future__ import annotations

import numpy as np

from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.trainer import Trainer
from core.trace.iteration import trace_iteration, trace_sample

MAZUR_LABELS = {
    "neurons": [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]],
    "weights": [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"], ["w7", "w8"]]],
    "biases": [["b1", "b1′"], ["b2", "b2′"]],  # one bias each: b1′ is h2's (b1 in the post)
}


def mazur_network() -> Network:
    weights = [np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])]
    biases = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]
    return Network(weights, biases, ["sigmoid", "sigmoid"])


def mazur_trace():
    config = TrainingConfig(optimizer="sgd", learning_rate=0.5, train_biases=False)
    optimizer = Optimizer("sgd", lr=0.5)
    x, y = [0.05, 0.10], [0.01, 0.99]
    return trace_sample(mazur_network(), "sse", optimizer, config, x, y, MAZUR_LABELS)


# --- agreement with the fast trainer ---


def random_data(n: int, d: int, k: int, loss: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    if loss == "cce":
        y = np.eye(k)[rng.integers(0, k, n)]
    elif loss == "bce":
        y = rng.integers(0, 2, (n, k)).astype(float)
    else:
        y = rng.normal(size=(n, k))
    return x, y


SETTINGS = [
    dict(optimizer="sgd", learning_rate=0.3, l1=1e-3, l2=1e-2),
    dict(optimizer="momentum", learning_rate=0.1),
    dict(optimizer="adam", learning_rate=0.01, train_biases=False),
]


def trace_2321(settings: dict, loss: str = "bce", n: int = 4, warmup: int = 2):
    x, y = random_data(n, 2, 1, loss, seed=3)
    config = TrainingConfig(**settings)
    net = Network.initialized([2, 3, 2, 1], ["tanh", "relu", "sigmoid"], "xavier_uniform", 2)
    trainer = Trainer(net, loss, config, x, y)
    for _ in range(warmup):
        trainer.step()
    return trace_iteration(trainer.network, loss, trainer.optimizer, config, x, y)

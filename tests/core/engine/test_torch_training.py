"""The optimisers and the trainer against PyTorch's optimisers and a PyTorch training loop
(float64, 1e-12, as in test_torch.py).
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from core.engine.config import TrainingConfig
from core.engine.optimizers import Optimizer
from core.engine.trainer import Trainer
from tests.core.torch_reference import (
    ATOL,
    RTOL,
    TorchNet,
    assert_close,
    exactly,
    random_network,
    t,
    targets,
)

torch = pytest.importorskip("torch")

# --- 4. optimisers, step by step, with a learning rate change ---

OPTIMIZER_CASES = {
    "sgd": {"name": "sgd"},
    "momentum-0.9": {"name": "momentum", "momentum": 0.9},
    "momentum-0.5": {"name": "momentum", "momentum": 0.5},
    "adam": {"name": "adam"},
    "adam-0.8-0.99-1e-6": {"name": "adam", "beta1": 0.8, "beta2": 0.99, "eps": 1e-6},
}
TORCH_STATE = {
    "momentum": {"velocity": "momentum_buffer"},
    "adam": {"m": "exp_avg", "v": "exp_avg_sq"},
}


def torch_optimizer(
    name: str, groups: list, lr: float, momentum=0.9, beta1=0.9, beta2=0.999, eps=1e-8
) -> torch.optim.Optimizer:
    """torch.optim's counterpart of the engine's optimiser ``name``."""
    if name == "adam":
        return torch.optim.Adam(groups, lr=lr, betas=(beta1, beta2), eps=eps)
    return torch.optim.SGD(groups, lr=lr, momentum=momentum if name == "momentum" else 0.0)


@pytest.mark.parametrize("case", OPTIMIZER_CASES)
def test_optimizer_steps_match_torch(case: str) -> None:
    """20 steps with gradients over ten decades (so Adam's eps matters in some steps and not
    in others), one parameter whose gradient is 0 at first, one whose gradient is always None
    (frozen: torch skips a parameter whose .grad is None), and lr 0.05 -> 0.01 at step 10.
    Optimiser state (velocity; Adam's m and v) against torch's, after every step."""
    kwargs = dict(OPTIMIZER_CASES[case])
    rng = np.random.default_rng(zlib.crc32(case.encode()))
    params = [rng.normal(size=s) for s in [(3, 4), (3,), (1, 1), (2, 5), (2,)]]
    frozen = params[-1].copy()
    ref = [t(p).requires_grad_() for p in params]
    opt = Optimizer(lr=0.05, **kwargs)
    name = kwargs.pop("name")
    ref_opt = torch_optimizer(name, ref, lr=0.05, **kwargs)
    for step in range(20):
        if step == 10:
            opt.lr = ref_opt.param_groups[0]["lr"] = 0.01
        grads = [rng.normal(size=p.shape) * 10.0 ** rng.uniform(-9, 1) for p in params]
        if step < 5:
            grads[2][...] = 0.0
        grads[-1] = None
        for r, g in zip(ref, grads):
            r.grad = None if g is None else t(g)
        records = opt.step(params, grads, record=True)
        ref_opt.step()
        for i, (p, r) in enumerate(zip(params, ref)):
            assert_close(p, r)
            if grads[i] is None:
                assert records[i] is None
                continue
            state = ref_opt.state[r]
            for ours, theirs in TORCH_STATE.get(name, {}).items():
                assert_close(records[i].internals[ours], state[theirs])
    np.testing.assert_array_equal(params[-1], frozen)


# --- 5. the whole trainer against a hand-written torch training loop ---

TRAINER_CASES = {
    "sgd-full-batch": ("mse", ["tanh", "sigmoid"], {"optimizer": "sgd", "learning_rate": 0.5}),
    "sgd-l2": ("sse", ["relu", "linear"], {"learning_rate": 0.02, "l2": 0.01}),
    "sgd-l1-frozen-biases": (
        "bce",
        ["leaky_relu", "tanh", "sigmoid"],
        {"learning_rate": 0.3, "l1": 0.003, "train_biases": False},
    ),
    "momentum-shuffled": (
        "cce",
        ["tanh", "softmax"],
        {"optimizer": "momentum", "batch_size": 4, "shuffle": True, "seed": 7},
    ),
    "momentum-l1-l2-batches": (
        "mse",
        ["sigmoid", "relu", "tanh"],
        {"optimizer": "momentum", "momentum": 0.5, "l1": 0.001, "l2": 0.02, "batch_size": 3},
    ),
    "momentum-frozen-shuffled": (
        "bce",
        ["relu", "sigmoid"],
        {"optimizer": "momentum", "train_biases": False, "batch_size": 5, "shuffle": True},
    ),
    "adam-full-batch": ("mse", ["relu", "linear"], {"optimizer": "adam", "learning_rate": 0.01}),
    "adam-l2-shuffled": (
        "cce",
        ["leaky_relu", "softmax"],
        {"optimizer": "adam", "learning_rate": 0.01, "l2": 0.01, "batch_size": 4, "shuffle": True},
    ),
    "adam-l1-frozen-betas": (
        "sse",
        ["tanh", "tanh", "tanh"],
        {
            "optimizer": "adam",
            "learning_rate": 0.01,
            "l1": 0.001,
            "train_biases": False,
            "beta1": 0.8,
            "beta2": 0.99,
            "eps": 1e-6,
        },
    ),
    "adam-l1-l2-shuffled": (
        "bce",
        ["sigmoid", "sigmoid"],
        {"optimizer": "adam", "l1": 0.002, "l2": 0.005, "batch_size": 3, "shuffle": True},
    ),
}


@pytest.mark.parametrize("case", TRAINER_CASES)
def test_trainer_matches_torch_training_loop(case: str) -> None:
    """30 steps, lr halved at step 15, batches from trainer.next_batch(): each step's loss, the
    data-loss gradients (trainer.fast) and, at the end, the parameters, all to 1e-12. The
    rounding differences of 30 updates stay below 1e-14 over ten times as many seeds."""
    loss, names, options = TRAINER_CASES[case]
    config = TrainingConfig(**options)
    rng = np.random.default_rng(zlib.crc32(case.encode()))
    k = 3 if loss == "cce" else 2
    layers = [3] + [int(h) for h in rng.integers(2, 6, len(names) - 1)] + [k]
    net = random_network(rng, layers, names, kinks=False)
    x = rng.normal(size=(10, 3))
    y = targets(rng, loss, names[-1], 10, k)
    ref = TorchNet(net, train_biases=config.train_biases)
    groups = [{"params": ref.weights, "weight_decay": config.l2}]
    if config.train_biases:
        groups.append({"params": ref.biases, "weight_decay": 0.0})
    ref_opt = torch_optimizer(
        config.optimizer,
        groups,
        config.learning_rate,
        config.momentum,
        config.beta1,
        config.beta2,
        config.eps,
    )
    initial_biases = [b.copy() for b in net.biases]
    trainer = Trainer(net, loss, config, x, y)
    epoch_rows: list[int] = []
    for step in range(30):
        if step == 15:
            trainer.lr = config.learning_rate / 2
            for group in ref_opt.param_groups:
                group["lr"] = config.learning_rate / 2
        rows = trainer.next_batch()
        epoch_rows += rows.tolist()
        if len(epoch_rows) >= len(x):  # every epoch visits each row once
            assert sorted(epoch_rows) == list(range(len(x)))
            epoch_rows = []
        ref_opt.zero_grad()
        _, _, value = ref.loss(x[rows], y[rows], loss)
        value.backward()
        assert trainer.step() == pytest.approx(value.item(), rel=RTOL, abs=ATOL), step
        for l in range(len(names)):
            assert_close(trainer.fast.dW[l], ref.weights[l].grad)
            if config.train_biases:
                assert_close(trainer.fast.db[l], ref.biases[l].grad)
        with torch.no_grad():
            for w in ref.weights:
                w.grad += config.l1 * torch.sign(w)
        ref_opt.step()
    for l in range(len(names)):
        assert_close(trainer.network.weights[l], ref.weights[l])
        assert_close(trainer.network.biases[l], ref.biases[l])
        if not config.train_biases:
            np.testing.assert_array_equal(trainer.network.biases[l], initial_biases[l])
    with torch.no_grad():
        full = ref.loss(x, y, loss)[2].item()
    # The loss shown is L as its formula defines it on the whole set (sse: 1/2 sum, no 1/n).
    assert trainer.evaluate(trainer.x_train, trainer.y_train)[0] == exactly(full)


def test_adam_counts_steps_per_parameter_like_torch() -> None:
    """A parameter that gets its first gradient late starts its own bias correction."""
    opt = Optimizer("adam", lr=0.1)
    w, b = np.ones(1), np.ones(1)
    tw, tb = (torch.ones(1, dtype=torch.float64, requires_grad=True) for _ in range(2))
    ref = torch.optim.Adam([tw, tb], lr=0.1)
    for grads in ([np.array([0.5]), None], [np.array([0.5]), np.array([0.5])]):
        opt.step([w, b], grads)
        for p, g in zip((tw, tb), grads):
            p.grad = None if g is None else torch.tensor(g)
        ref.step()
    assert w[0] == pytest.approx(tw.item(), rel=1e-15)
    assert b[0] == pytest.approx(tb.item(), rel=1e-15)

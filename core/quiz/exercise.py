"""New exercises: a fresh small network and one sample, drawn from a seed.

:func:`new_exercise` draws everything from ``seed`` (the same seed gives the same
exercise, bit for bit): the shape, within the range of the built-in lessons (2 or 3
inputs; 1 or 2 hidden layers of 2 or 3 neurons; sigmoid, tanh or ReLU hidden layers),
the loss and its output layer (sse with sigmoid as in Mazur's example, mse with tanh or
linear outputs, bce with one sigmoid output, cce with a softmax over 2 or 3 classes),
the learning rate, and numbers a learner can work with by hand: weights, biases and
inputs with two decimals, targets that the output can reach.

:func:`exercise_like` keeps a session's shape, activations and loss and draws only the
numbers (weights, biases, one sample) from the seed: every student's worksheet has the
same questions with different numbers.  Both train with plain SGD on one sample, so the
traced step is the one the questions ask about.
"""

from __future__ import annotations

import numpy as np

from core.session.format import Session, session_from_dict

HIDDEN = ("sigmoid", "tanh", "relu")
OUTPUTS = (("sse", "sigmoid"), ("mse", "tanh"), ("mse", "linear"), ("bce", "sigmoid"))
OUTPUTS += (("cce", "softmax"),)
RATES = (0.1, 0.25, 0.5, 1.0)
MAX_SEED = 2**63 - 1
MAX_NEURONS = 8  # per layer, for a worksheet
MAX_WEIGHTS = 100


def _two_decimals(rng: np.random.Generator, shape, low: float, high: float) -> list:
    """Numbers in [low, high] with two decimals, none of them 0 (a zero weight teaches
    nothing), as nested lists."""
    values = np.round(rng.uniform(low, high, size=shape), 2)
    values[values == 0] = 0.01
    return values.tolist()


def _targets(rng: np.random.Generator, loss: str, output: str, k: int) -> list[float]:
    """One sample's targets that the output layer can reach."""
    if loss == "cce":
        return np.eye(k)[rng.integers(k)].tolist()
    if loss == "bce":
        return [float(rng.integers(2)) for _ in range(k)]
    low, high = {"sigmoid": (0.01, 0.99), "tanh": (-0.9, 0.9)}.get(output, (-1.0, 1.0))
    return np.round(rng.uniform(low, high, size=k), 2).tolist()


def _session(
    layers: list[int], acts: list[str], loss: str, lr: float, seed: int, rng, name: str, labels=None
) -> Session:
    """The exercise's session: two-decimal weights, biases and one sample from ``rng``;
    ``labels``: the lesson's names of neurons, weights and biases (as a session file has)."""
    weights = [_two_decimals(rng, (o, i), -1.0, 1.0) for i, o in zip(layers, layers[1:])]
    biases = [_two_decimals(rng, (o,), -0.5, 0.5) for o in layers[1:]]
    x = _two_decimals(rng, (layers[0],), -1.0, 1.0)
    y = _targets(rng, loss, acts[-1], layers[-1])
    shape = "-".join(map(str, layers))
    d = {
        "format": "backprop-lab/1",
        "name": f"{name} (seed {seed})",
        "description": f"A {shape} network ({', '.join(acts)}; loss {loss}) and one sample, "
        f"drawn from seed {seed}: one step of SGD with learning rate {lr:g}. The same seed "
        "gives the same exercise.",
        "network": {
            "layers": layers,
            "activations": acts,
            "weights": weights,
            "biases": biases,
            "init": {"scheme": "uniform", "seed": int(seed % 2**31)},
        },
        "loss": loss,
        "training": {
            "optimizer": "sgd",
            "learning_rate": lr,
            "batch_size": None,
            "epochs": 100,
            "train_biases": True,
        },
        "data": {"inline": {"inputs": [x], "targets": [y]}},
        "lecture": {"granularity": "neuron", "digits": 4, "decimals": False},
    }
    if labels:
        d["network"]["labels"] = labels
    return session_from_dict(d)


def check_seed(seed: int) -> int:
    """``seed`` as an int from 0 to 2^63 - 1; ValueError otherwise."""
    if (
        isinstance(seed, bool)
        or not isinstance(seed, int | np.integer)
        or not 0 <= seed <= MAX_SEED
    ):
        raise ValueError(f"an exercise's seed must be a whole number from 0 to {MAX_SEED}")
    return int(seed)


def new_exercise(seed: int) -> Session:
    """A fresh exercise drawn from ``seed``: shape, activations, loss, learning rate, weights,
    biases and one sample (see the module's docstring)."""
    seed = check_seed(seed)
    rng = np.random.default_rng([seed, 14])
    inputs = int(rng.integers(2, 4))
    hidden = [int(rng.integers(2, 4)) for _ in range(int(rng.integers(1, 3)))]
    loss, output = OUTPUTS[int(rng.integers(len(OUTPUTS)))]
    k = (
        int(rng.integers(2, 4))
        if loss == "cce"
        else 1
        if loss == "bce"
        else int(rng.integers(1, 3))
    )
    acts = [HIDDEN[int(rng.integers(len(HIDDEN)))] for _ in hidden] + [output]
    lr = RATES[int(rng.integers(len(RATES)))]
    return _session([inputs, *hidden, k], acts, loss, lr, seed, rng, "Exercise")


def worksheet_problem(session: Session) -> str | None:
    """Why ``session``'s network is too big for a worksheet, or None."""
    layers = session.network.layers
    weights = sum(i * o for i, o in zip(layers, layers[1:]))
    if max(layers) > MAX_NEURONS or weights > MAX_WEIGHTS:
        return (
            f"its {'-'.join(map(str, layers))} network is too big for a worksheet (at most "
            f"{MAX_NEURONS} neurons per layer and {MAX_WEIGHTS} weights): use a smaller lesson"
        )
    return None


def exercise_like(session: Session, seed: int) -> Session:
    """``session``'s shape, activations, loss and learning rate (SGD) with weights, biases
    and one sample drawn from ``seed``."""
    seed = check_seed(seed)
    rng = np.random.default_rng([seed, 15])
    layers = list(session.network.layers)
    acts = list(session.network.activation_names)
    lr = float(session.training.learning_rate)
    name = f"Worksheet of {session.name}"
    return _session(layers, acts, session.loss, lr, seed, rng, name, session.labels)

"""Steps per second of the core's training loop, against a hand-written NumPy loop and PyTorch.

Every contender does the same work: the same initial weights, data, batch order and number
of optimiser steps, in float64 on one BLAS thread. Repeats are interleaved (the order rotates)
and the best is reported, so a noisy neighbour hurts every contender alike. Afterwards the
final weights are compared: a tiny difference shows that the contenders did the same steps.

    .venv/bin/python benchmarks/bench_core.py [--quick | --repeats N] [--json] [--only NAME]
    .venv/bin/python benchmarks/bench_core.py --profile [--only NAME]   # cProfile of the core
"""

# ruff: noqa: E402  (the thread counts must be in the environment before numpy and torch load)
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import cProfile
import gc
import json
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.trainer import Trainer

torch.set_num_threads(1)
CONTENDERS = ("core", "numpy", "torch+eval", "torch")
Contender = tuple[Callable[[], int], Callable[[], list[np.ndarray]]]  # run() -> steps; params()


@dataclass
class Workload:
    """A network, its data and schedule; targets are (contender, minimum core/contender)."""

    name: str
    layers: list[int]
    activations: list[str]
    loss: str
    batch_size: int | None
    epochs: int
    x: np.ndarray = field(repr=False)
    y: np.ndarray = field(repr=False)
    shuffle: bool = False
    lr: float = 0.1
    targets: list[tuple[str, float]] = field(default_factory=list)


def disc(n: int, lo: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n points in [-6, 6]^2; class 1 inside a disc of radius 3, class ``lo`` outside."""
    x = rng.uniform(-6.0, 6.0, (n, 2))
    return x, np.where((x**2).sum(axis=1) < 9.0, 1.0, lo)[:, None]


def workloads() -> list[Workload]:
    rng = np.random.default_rng(0)
    xor_x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    xor_y = np.array([[0.0], [1.0], [1.0], [0.0]])
    digits_x, digits_y = rng.random((1024, 784)), np.eye(10)[rng.integers(0, 10, 1024)]
    return [
        Workload("xor 2-2-1", [2, 2, 1], ["sigmoid"] * 2, "sse", None, 5000, xor_x, xor_y,
                 targets=[("numpy", 0.7), ("torch+eval", 10.0)]),
        Workload("2-4-2-1 tanh", [2, 4, 2, 1], ["tanh"] * 3, "mse", 10, 40, *disc(250, -1.0, rng),
                 shuffle=True, targets=[("torch+eval", 10.0)]),
        Workload("2-64-64-1 bce", [2, 64, 64, 1], ["tanh", "tanh", "sigmoid"], "bce", 32, 10,
                 *disc(1000, 0.0, rng)),
        Workload("784-128-10 cce", [784, 128, 10], ["relu", "softmax"], "cce", 128, 5,
                 digits_x, digits_y, targets=[("torch+eval", 1.0)]),
    ]  # fmt: skip


def initial_network(w: Workload) -> Network:
    scheme = "he_uniform" if "relu" in w.activations else "xavier_uniform"
    return Network.initialized(w.layers, w.activations, scheme, seed=1)


def new_trainer(w: Workload, init: Network) -> Trainer:
    config = TrainingConfig(learning_rate=w.lr, batch_size=w.batch_size, shuffle=w.shuffle)
    return Trainer(init.copy(), w.loss, config, w.x, w.y)


def batches(w: Workload, orders: list) -> Iterator[tuple[slice | np.ndarray, bool]]:
    """(rows, last) per step: a slice, or the epoch's shuffled indices taken from the core's
    own epoch_order; ``last`` marks the epoch's last step."""
    n = len(w.x)
    size = w.batch_size or n
    for order in orders:
        for start in range(0, n, size):
            rows = slice(start, start + size) if order is None else order[start : start + size]
            yield rows, start + size >= n


# --- the contenders: each gives run() (trains, returns the step count) and params() ---


def core_contender(w: Workload, init: Network, orders: list) -> Contender:
    """The engine as a user runs it: Trainer.run, history recorded every epoch."""
    trainer = new_trainer(w, init)

    def run() -> int:
        trainer.run(epochs=w.epochs)
        return trainer.steps

    return run, trainer.network.parameters


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_derivative(a: np.ndarray) -> np.ndarray:
    return a * (1 - a)


def xor_classic(X, y, W1, b1, W2, b2, lr: float, epochs: int) -> None:
    """The classic two-layer NumPy XOR script, line for line as it is taught and copied
    (the one resources/lessons/xor_script.json reproduces): sigmoid, sse, W += X^T delta * lr."""
    for _ in range(epochs):
        hidden_layer_activation = np.dot(X, W1)
        hidden_layer_activation += b1
        hidden_layer_output = sigmoid(hidden_layer_activation)
        output_layer_activation = np.dot(hidden_layer_output, W2)
        output_layer_activation += b2
        predicted_output = sigmoid(output_layer_activation)
        error = y - predicted_output
        d_predicted_output = error * sigmoid_derivative(predicted_output)
        error_hidden_layer = d_predicted_output.dot(W2.T)
        d_hidden_layer = error_hidden_layer * sigmoid_derivative(hidden_layer_output)
        W2 += hidden_layer_output.T.dot(d_predicted_output) * lr
        b2 += np.sum(d_predicted_output, axis=0, keepdims=True) * lr
        W1 += X.T.dot(d_hidden_layer) * lr
        b1 += np.sum(d_hidden_layer, axis=0, keepdims=True) * lr


# f(z), and f'(z) written from a = f(z); softmax is normalised by the loop
NUMPY_ACTS = {
    "sigmoid": (sigmoid, lambda a: a * (1 - a)),
    "tanh": (np.tanh, lambda a: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0).astype(float)),
    "softmax": (lambda z: np.exp(z - z.max(axis=1, keepdims=True)), None),
}


def mlp_step(Ws, bs, fs, loss: str, x: np.ndarray, y: np.ndarray, lr: float) -> None:
    """One SGD step of a plain NumPy MLP, W of shape (n_in, n_out): a = f(a W + b)."""
    a = [x]
    for W, b, (f, _) in zip(Ws, bs, fs):
        a.append(f(a[-1] @ W + b))
    if loss == "cce":
        a[-1] /= a[-1].sum(axis=1, keepdims=True)
        delta = (a[-1] - y) / len(y)
    elif loss == "bce":
        delta = (a[-1] - y) / y.size
    else:  # mse
        delta = 2 * (a[-1] - y) / y.size * fs[-1][1](a[-1])
    for l in reversed(range(len(Ws))):
        dW, db = a[l].T @ delta, delta.sum(axis=0)
        if l:
            delta = (delta @ Ws[l].T) * fs[l - 1][1](a[l])
        Ws[l] -= lr * dW
        bs[l] -= lr * db


def numpy_contender(w: Workload, init: Network, orders: list) -> Contender:
    """The classic XOR script for XOR, a plain NumPy MLP loop (no history) for the rest."""
    Ws = [m.T.copy() for m in init.weights]
    bs = [b.copy() for b in init.biases]
    fs = [NUMPY_ACTS[name] for name in w.activations]

    def run() -> int:
        if w.name.startswith("xor"):
            xor_classic(w.x, w.y, Ws[0], bs[0][None, :], Ws[1], bs[1][None, :], w.lr, w.epochs)
            return w.epochs
        steps = 0
        for rows, _ in batches(w, orders):
            mlp_step(Ws, bs, fs, w.loss, w.x[rows], w.y[rows], w.lr)
            steps += 1
        return steps

    return run, lambda: [p for W, b in zip(Ws, bs) for p in (W.T, b)]


TORCH_ACTS = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}
TORCH_LOSSES = {
    "sse": lambda out, y: 0.5 * torch.nn.functional.mse_loss(out, y, reduction="sum"),
    "mse": torch.nn.MSELoss(),
    "bce": torch.nn.BCEWithLogitsLoss(),  # the model's last layer gives logits
    "cce": torch.nn.CrossEntropyLoss(),  # targets as class indices, the idiomatic form
}


def torch_model(w: Workload, init: Network) -> torch.nn.Sequential:
    """nn.Linear layers in float64 holding the initial weights; logits out for bce and cce."""
    modules: list[torch.nn.Module] = []
    for W, b, name in zip(init.weights, init.biases, w.activations):
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        modules.append(linear)
        if name in TORCH_ACTS and not (name == "sigmoid" and w.loss == "bce"):
            modules.append(TORCH_ACTS[name]())
    return torch.nn.Sequential(*modules)


def torch_contender(w: Workload, init: Network, orders: list, evaluate: bool) -> Contender:
    """Eager PyTorch with torch.optim.SGD; ``evaluate`` adds a no_grad full-set loss per epoch."""
    model = torch_model(w, init)
    opt = torch.optim.SGD(model.parameters(), lr=w.lr)
    loss_fn = TORCH_LOSSES[w.loss]
    X = torch.from_numpy(w.x)
    Y = torch.from_numpy(w.y.argmax(axis=1) if w.loss == "cce" else w.y)
    t_orders = [None if o is None else torch.from_numpy(o) for o in orders]

    def run() -> int:
        steps = 0
        for rows, last in batches(w, t_orders):
            opt.zero_grad()
            loss_fn(model(X[rows]), Y[rows]).backward()
            opt.step()
            steps += 1
            if evaluate and last:
                with torch.no_grad():
                    loss_fn(model(X), Y).item()
        return steps

    return run, lambda: [p.detach().numpy() for p in model.parameters()]


FACTORIES: dict[str, Callable[[Workload, Network, list], Contender]] = {
    "core": core_contender,
    "numpy": numpy_contender,
    "torch+eval": partial(torch_contender, evaluate=True),
    "torch": partial(torch_contender, evaluate=False),
}


# --- measuring ---


def timed(run: Callable[[], int]) -> tuple[int, float]:
    """(steps, seconds) of one run, the garbage collector held off as timeit does."""
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        steps = run()
        return steps, time.perf_counter() - start
    finally:
        gc.enable()


def measure(w: Workload, repeats: int) -> dict:
    """Interleaved repeats of every contender: steps/s (best, median), ratios, weight diffs."""
    init = initial_network(w)
    orders = [new_trainer(w, init).epoch_order(e) for e in range(1, w.epochs + 1)]
    rates: dict[str, list[float]] = {name: [] for name in CONTENDERS}
    finals, steps_seen = {}, set()
    for rep in range(repeats + 1):  # repeat 0 warms up and is not counted
        for name in CONTENDERS[rep % 4 :] + CONTENDERS[: rep % 4]:
            run, params = FACTORIES[name](w, init, orders)
            steps, seconds = timed(run)
            steps_seen.add(steps)
            rates[name] += [steps / seconds] if rep else []
            finals[name] = params()
    if len(steps_seen) != 1:
        raise RuntimeError(f"{w.name}: the contenders did different numbers of steps {steps_seen}")
    best = {name: max(r) for name, r in rates.items()}
    median = {name: statistics.median(r) for name, r in rates.items()}
    ratio = {name: best["core"] / best[name] for name in CONTENDERS[1:]}
    return {
        "workload": w.name,
        "steps": steps_seen.pop(),
        "repeats": repeats,
        "best_steps_per_s": best,
        "median_steps_per_s": median,
        "core_ratio": ratio,
        "core_ratio_of_medians": {name: median["core"] / median[name] for name in CONTENDERS[1:]},
        "max_abs_diff": {name: max_diff(finals["core"], finals[name]) for name in CONTENDERS[1:]},
        "targets": [{"vs": vs, "min": m, "ratio": ratio[vs], "pass": ratio[vs] >= m}
                    for vs, m in w.targets],
    }  # fmt: skip


def max_diff(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    return max(float(np.max(np.abs(p - q))) for p, q in zip(a, b, strict=True))


# --- reporting ---


def environment() -> dict:
    """The machine, the versions, each BLAS library and its thread count."""
    with open("/proc/cpuinfo") as f:
        cpu = next((line.split(":", 1)[1].strip() for line in f if "model name" in line), "?")
    blas = getattr(np.__config__, "CONFIG", {}).get("Build Dependencies", {}).get("blas", {})
    info = {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "numpy": f"{np.__version__}, BLAS {blas.get('name', '?')} {blas.get('version', '')}",
        "torch": f"{torch.__version__}, BLAS {'MKL' if torch.backends.mkl.is_available() else '?'}"
        f", torch.get_num_threads() = {torch.get_num_threads()}",
        **{v: os.environ.get(v, "unset") for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
        "threadpools": ["threadpoolctl not installed: thread counts not verified"],
    }
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return info
    pools = threadpool_info()
    if any(p["num_threads"] != 1 for p in pools):
        print("warning: a BLAS or OpenMP pool runs more than one thread", file=sys.stderr)
    info["threadpools"] = [
        f"{p['internal_api']} {p.get('version') or ''} {p.get('architecture') or ''}"
        f" threads={p['num_threads']} ({Path(p['filepath']).name})"
        for p in pools
    ]
    return info


def print_table(env: dict, results: list[dict]) -> None:
    for key, value in env.items():
        print(f"{key:18} {value if isinstance(value, str) else '; '.join(value)}")
    print(f"\nsteps/s: best (median) of {results[0]['repeats']} interleaved repeats")
    print(f"{'workload':15}{'steps':>6}" + "".join(f"{c:>19}" for c in CONTENDERS))
    for r in results:
        best, med = r["best_steps_per_s"], r["median_steps_per_s"]
        cells = "".join(f"{best[c]:>10,.0f} ({med[c]:>6,.0f})" for c in CONTENDERS)
        print(f"{r['workload']:15}{r['steps']:>6}{cells}")
    print("\ncore/other: ratio of best (of medians); max |core - other| of the final weights")
    print(f"{'workload':15}" + "".join(f"{'core/' + c:>19}" for c in CONTENDERS[1:]), end="")
    print("".join(f"{'diff ' + c:>17}" for c in CONTENDERS[1:]))
    for r in results:
        best, med = r["core_ratio"], r["core_ratio_of_medians"]
        ratios = "".join(f"{best[c]:>11.2f}x ({med[c]:.2f}x)" for c in CONTENDERS[1:])
        diffs = "".join(f"{r['max_abs_diff'][c]:>17.1e}" for c in CONTENDERS[1:])
        print(f"{r['workload']:15}{ratios}{diffs}")
    print("\ntargets (judged on the best of each)")
    for r in results:
        for t in r["targets"]:
            target = f"core >= {t['min']:g}x {t['vs']}"
            median = r["core_ratio_of_medians"][t["vs"]]
            verdict = "PASS" if t["pass"] else "FAIL"
            print(f"{r['workload']:15}{target:>26}{t['ratio']:>9.2f}x ({median:.2f}x)  {verdict}")


def profile(w: Workload, top: int) -> None:
    """cProfile of the core's run on one workload: the top entries by own time."""
    trainer = new_trainer(w, initial_network(w))
    profiler = cProfile.Profile()
    profiler.runcall(trainer.run, epochs=w.epochs)
    print(f"{w.name}: {trainer.steps} steps")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 repeats instead of 7 (smoke run)")
    parser.add_argument("--repeats", type=int, help="interleaved repeats per contender")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--only", metavar="NAME", help="only workloads whose name contains NAME")
    parser.add_argument("--profile", action="store_true", help="cProfile the core instead")
    args = parser.parse_args()
    chosen = [w for w in workloads() if args.only is None or args.only in w.name]
    if args.profile:
        for w in chosen:
            profile(w, top=15)
        return
    repeats = args.repeats or (2 if args.quick else 7)
    results = [measure(w, repeats) for w in chosen]
    env = environment()
    if args.json:
        print(json.dumps({"environment": env, "results": results}, indent=2))
    else:
        print_table(env, results)


if __name__ == "__main__":
    main()

"""Gradient check: backprop's dL/dtheta against central differences.

For every parameter theta (every weight and bias):

    g_num = (L(theta + h) - L(theta - h)) / (2 h)

It passes when |g - g_num| <= 1e-7 + 1e-5 |g_num| for every parameter.
Where a perturbation moves a relu or leaky_relu pre-activation across its
kink at 0, the one-sided slopes differ and the difference quotient means
nothing: such parameters are skipped and counted.  The report gives, per
layer, the largest relative error |g - g_num| / max(|g| + |g_num|, 1e-8), and the worst
parameter of all.

With a bug of the bug lab (core.engine.bugs), g is the bug's gradient: the check then fails
on the layers whose gradient the bug changes, and passes for bugs of the update alone.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass

import numpy as np

from core.engine import bugs, losses
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.params import FlatLayout
from core.engine.trainer import Trainer

ROWS = 256  # a trainer is checked on its first training rows, as `main.py gradcheck` is
MAX_PARAMETERS = 20_000  # two forward passes each: about a second at most
ABS_TOL = 1e-7
REL_TOL = 1e-5
KINKED = ("relu", "leaky_relu")


@dataclass(frozen=True)
class LayerReport:
    """The check of W^l and b^l (``layer`` is the app's layer number l)."""

    layer: int
    checked: int
    skipped: int
    failures: int
    max_rel_error: float


@dataclass(frozen=True)
class WorstParameter:
    """The checked parameter with the largest relative error: W^layer[i, j] (``j`` None:
    the bias b^layer[i]), its backprop gradient and the central difference."""

    layer: int
    i: int
    j: int | None
    analytic: float
    numeric: float
    rel_error: float
    failed: bool

    @property
    def name(self) -> str:
        """'W^2[0, 1]' or 'b^1[0]' (the app's layer numbers, 0-based i and j)."""
        return (
            f"W^{self.layer}[{self.i}, {self.j}]"
            if self.j is not None
            else (f"b^{self.layer}[{self.i}]")
        )


@dataclass(frozen=True)
class GradcheckReport:
    """The per-layer results; ``passed`` when no checked parameter failed.  ``rows`` is
    how many rows it was computed on, ``bug`` the bug lab's bug in the gradient (or None)."""

    layers: list[LayerReport]
    h: float
    worst: WorstParameter | None = None
    rows: int = 0
    bug: str | None = None
    digest: str = ""  # parameter_digest of the network checked ("" when not recorded)

    @property
    def passed(self) -> bool:
        """No checked parameter is outside the tolerance."""
        return all(r.failures == 0 for r in self.layers)

    def format(self) -> str:
        """A small table, one row per layer, and the verdict."""
        lines = [f"{'layer':>5}  {'checked':>7}  {'skipped':>7}  {'failed':>6}  max rel. error"]
        for r in self.layers:
            lines.append(
                f"{r.layer:>5}  {r.checked:>7}  {r.skipped:>7}  {r.failures:>6}  "
                f"{r.max_rel_error:.3e}"
            )
        skipped = sum(r.skipped for r in self.layers)
        verdict = "PASSED" if self.passed else "FAILED"
        note = f" ({skipped} at a relu kink skipped)" if skipped else ""
        lines.append(
            f"{verdict}: |g - g_num| <= {ABS_TOL:g} + {REL_TOL:g} |g_num| "
            f"for every checked parameter{note}"
        )
        if (w := self.worst) is not None:
            lines.append(
                f"worst: {w.name}  backprop {w.analytic:.9g}  numeric {w.numeric:.9g}  "
                f"rel. error {w.rel_error:.3e}"
            )
        if self.bug is not None:
            lines.append(self.verdict())
        return "\n".join(lines)

    def verdict(self) -> str:
        """One or two sentences: what the check says, and what the bug has to do with it."""
        failed = [r.layer for r in self.layers if r.failures]
        layers = ", ".join(map(str, failed))
        if self.bug is None:
            if not failed:
                return "Backprop's gradient agrees with central differences in every layer."
            return f"Backprop's gradient disagrees with central differences in layer {layers}."
        bug = bugs.get(self.bug)
        if not bug.in_gradient:
            return (
                f"The gradient is right: with the bug “{bug.title}” the update step is what is "
                "wrong, so the check passes. Watch the loss curve to see what it does."
            )
        if failed:
            return (
                f"The bug “{bug.title}” changes the gradient of layer {layers}: the check fails "
                f"exactly there. {bug.explanation}"
            )
        return (
            f"The bug “{bug.title}” changes nothing on this network, loss and batch, so the check "
            f"passes. {bug.explanation}"
        )


def _kink_pattern(network: Network, x: np.ndarray) -> list[np.ndarray]:
    fp = network.forward(x)
    return [z > 0 for z, name in zip(fp.z, network.activation_names) if name in KINKED]


def gradcheck(
    network: Network,
    loss: str,
    x: np.ndarray,
    y: np.ndarray,
    h: float = 1e-6,
    bug: str | None = None,
    optimizer: Optimizer | None = None,
    config: TrainingConfig | None = None,
) -> GradcheckReport:
    """Compare backprop's gradient of the data loss (or bug ``bug``'s: the mazur bug's
    hidden gradients use the weights after ``optimizer``'s step, by default sgd at
    ``config``'s learning rate) with central differences."""
    loss_fn = losses.get(loss)
    net = network.copy()
    layout = FlatLayout(net.layers)
    flat = layout.pack(net.weights, net.biases)
    net.weights[:], net.biases[:] = layout.views(flat)
    after = None
    if bug is not None:
        config = config or TrainingConfig()
        optimizer = optimizer or Optimizer(config.optimizer, config.learning_rate)
        after = bugs.weights_after_step(optimizer, config, layout, flat.copy())
    grads = bugs.backward(net, net.forward(x), y, loss_fn, bug, after)
    g_flat = layout.pack(grads.dW, grads.db)
    kinked = any(name in KINKED for name in net.activation_names)

    def value() -> float:
        fp = net.forward(x)
        return loss_fn.value(fp.z[-1], fp.a[-1], y)

    numeric = np.empty_like(flat)
    skip = np.zeros(flat.size, dtype=bool)
    for p in range(flat.size):
        theta = flat[p]
        flat[p] = theta + h
        plus = value()
        pattern = _kink_pattern(net, x) if kinked else None
        flat[p] = theta - h
        minus = value()
        if kinked:
            skip[p] = any(np.any(u != v) for u, v in zip(pattern, _kink_pattern(net, x)))
        flat[p] = theta
        numeric[p] = (plus - minus) / (2.0 * h)
    report = _report(layout, g_flat, numeric, skip, h)
    return dataclasses.replace(report, rows=len(x), bug=bug)


def _report(
    layout: FlatLayout, g: np.ndarray, numeric: np.ndarray, skip: np.ndarray, h: float
) -> GradcheckReport:
    err = np.abs(g - numeric)
    fail = (err > ABS_TOL + REL_TOL * np.abs(numeric)) & ~skip
    rel = err / np.maximum(np.abs(g) + np.abs(numeric), 1e-8)
    rel[skip] = 0.0
    reports = []
    for l in range(len(layout.layers) - 1):
        start, end = layout.offsets[2 * l], layout.offsets[2 * l + 2]
        part = slice(start, end)
        reports.append(
            LayerReport(
                layer=l + 1,
                checked=int(np.count_nonzero(~skip[part])),
                skipped=int(np.count_nonzero(skip[part])),
                failures=int(np.count_nonzero(fail[part])),
                max_rel_error=float(rel[part].max()),
            )
        )
    return GradcheckReport(reports, h, _worst(layout, g, numeric, rel, fail, skip))


def _worst(
    layout: FlatLayout,
    g: np.ndarray,
    numeric: np.ndarray,
    rel: np.ndarray,
    fail: np.ndarray,
    skip: np.ndarray,
) -> WorstParameter | None:
    """The checked parameter of largest relative error (failed ones first), or None."""
    if skip.all():
        return None
    p = int(np.argmax(np.where(skip, -1.0, rel + 2.0 * fail)))
    k = int(np.searchsorted(layout.offsets, p, side="right")) - 1  # 2(l-1) + (0 W, 1 b)
    index = np.unravel_index(p - layout.offsets[k], layout.shapes[k])
    i, j = (int(index[0]), int(index[1])) if k % 2 == 0 else (int(index[0]), None)
    return WorstParameter(
        k // 2 + 1, i, j, float(g[p]), float(numeric[p]), float(rel[p]), bool(fail[p])
    )


def trainer_gradcheck(
    trainer: Trainer, rows: int = ROWS, max_parameters: int | None = MAX_PARAMETERS
) -> GradcheckReport:
    """The check of ``trainer``'s network now, on its first ``rows`` training rows, with its
    bug, optimiser and settings; a ValueError for more than ``max_parameters``."""
    net = trainer.network
    if max_parameters is not None and net.n_parameters > max_parameters:
        raise ValueError(
            f"The gradient check perturbs each parameter twice; this network has "
            f"{net.n_parameters:,}, more than the {max_parameters:,} it checks: try it on a "
            "smaller network."
        )
    x, y = trainer.x_train[:rows], trainer.y_train[:rows]
    report = gradcheck(
        net,
        trainer.loss.name,
        x,
        y,
        bug=trainer.bug,
        optimizer=trainer.optimizer,
        config=trainer.config,
    )
    return dataclasses.replace(report, digest=parameter_digest(net.weights, net.biases))


def parameter_digest(weights: list[np.ndarray], biases: list[np.ndarray]) -> str:
    """A fingerprint of every weight and bias, bit for bit: equal exactly when the network
    is the one checked (a window compares it with each snapshot's)."""
    digest = hashlib.blake2b(digest_size=16)
    for array in (*weights, *biases):
        digest.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
    return digest.hexdigest()

"""Gradient check: backprop's dL/dtheta against central differences.

For every parameter theta (every weight and bias):

    g_num = (L(theta + h) - L(theta - h)) / (2 h)

It passes when |g - g_num| <= 1e-7 + 1e-5 |g_num| for every parameter.
Where a perturbation moves a relu or leaky_relu pre-activation across its
kink at 0, the one-sided slopes differ and the difference quotient means
nothing: such parameters are skipped and counted.  The report gives, per
layer, the largest relative error |g - g_num| / max(|g| + |g_num|, 1e-8).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.engine import losses
from core.engine.network import Network
from core.engine.params import FlatLayout

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
class GradcheckReport:
    """The per-layer results; ``passed`` when no checked parameter failed."""

    layers: list[LayerReport]
    h: float

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
        return "\n".join(lines)


def _kink_pattern(network: Network, x: np.ndarray) -> list[np.ndarray]:
    fp = network.forward(x)
    return [z > 0 for z, name in zip(fp.z, network.activation_names) if name in KINKED]


def gradcheck(
    network: Network, loss: str, x: np.ndarray, y: np.ndarray, h: float = 1e-6
) -> GradcheckReport:
    """Compare backprop's gradient of the data loss with central differences."""
    loss_fn = losses.get(loss)
    net = network.copy()
    layout = FlatLayout(net.layers)
    flat = layout.pack(net.weights, net.biases)
    net.weights[:], net.biases[:] = layout.views(flat)
    grads = net.backward(net.forward(x), y, loss_fn)
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
    return _report(layout, g_flat, numeric, skip, h)


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
    return GradcheckReport(reports, h)

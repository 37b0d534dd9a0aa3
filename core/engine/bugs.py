"""The bug lab: the classic mistakes of a hand-written backpropagation, one at a time.

Each bug changes the readable equations of :mod:`core.engine.network` (or the update) in
one place; the app's layer l, weights[l-1] = W^l, delta^l = dL/dz^l of the batch loss:

- ``no_fprime``      delta^L = dL/da^L and delta^(l-1) = delta^l W^l: f'(z) forgotten
                     (bce and cce give dL/dz^L directly: their output delta has no f')
- ``fprime_of_a``    f'(a^l) where f'(z^l) belongs (no change for relu, leaky relu and
                     linear layers: their f' depends on the sign only, and a has z's sign)
- ``transposed``     delta^(l-1) = (delta^l W^l^T) * f'(z^(l-1)); this only runs where every
                     W^l behind the first layer is square, so it is refused elsewhere
- ``no_mean``        the batch's sum instead of its mean: delta^L without the loss's 1/n
                     (n rows; sse has no 1/n, so there it changes nothing)
- ``plus``           w += lr g instead of w -= lr g: the gradient is right, the step climbs
- ``frozen_biases``  the biases are never updated: the gradient is right
- ``mazur``          W^l is updated before delta^(l-1) is computed, which then uses the new
                     W^l (the first version of Matt Mazur's post)

Only the trainer's bug path, the trace and the gradient check use this module; the fast
path without a bug never reaches it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from core.engine.losses import Loss
from core.engine.network import ForwardPass, Gradients, Network
from core.engine.optimizers import Optimizer
from core.engine.params import FlatLayout
from core.engine.penalties import PenaltySettings, step_gradient

if TYPE_CHECKING:
    from core.engine.trainer import Trainer


@dataclass(frozen=True)
class Bug:
    """One classic mistake: its name (for --bug), its title, one line on what it does, and
    whether it is in the gradient (else only the update step is wrong)."""

    name: str
    title: str
    explanation: str
    in_gradient: bool


BUGS: dict[str, Bug] = {
    bug.name: bug
    for bug in (
        Bug(
            "no_fprime",
            "Forgetting f′(z)",
            "The deltas leave out the factor f′(z): δᴸ = ∂L/∂a, δˡ⁻¹ = δˡ Wˡ.",
            True,
        ),
        Bug(
            "fprime_of_a",
            "f′(a) for f′(z)",
            "The derivative is evaluated at the activation a instead of at z.",
            True,
        ),
        Bug(
            "transposed",
            "Transposed W in the hidden delta",
            "The hidden delta uses Wˡᵀ for Wˡ: δˡ⁻¹ = (δˡ Wˡᵀ) f′(zˡ⁻¹); square matrices only.",
            True,
        ),
        Bug(
            "no_mean",
            "Missing 1/n",
            "The batch's gradients are summed, not averaged: n times too large (not for sse).",
            True,
        ),
        Bug(
            "plus",
            "w += instead of w -=",
            "The gradient is right, but the step goes uphill: w ← w + lr·g.",
            False,
        ),
        Bug(
            "frozen_biases",
            "Biases never updated",
            "The gradient is right, but the update never applies the biases' gradient (as Freeze"
            " biases does: a momentum built up before still runs out).",
            False,
        ),
        Bug(
            "mazur",
            "Output weights updated too early",
            "Wˡ is updated before δˡ⁻¹ is computed, which then uses the new Wˡ (Mazur's post).",
            True,
        ),
    )
}

MEAN_LOSSES = ("mse", "bce", "cce")  # the losses with a 1/n to forget

WeightsAfter = Callable[[int, np.ndarray, np.ndarray], np.ndarray]
"""(l, dW^(l+1), db^(l+1)) -> weights[l] after the optimiser's step on that gradient."""


def get(name: str) -> Bug:
    """The bug called ``name``; a ValueError listing the names for an unknown one."""
    try:
        return BUGS[name]
    except KeyError:
        raise ValueError(f"unknown bug {name!r}; choose one of {', '.join(BUGS)}") from None


def problem(name: str | None, layers: list[int]) -> str | None:
    """Why bug ``name`` cannot run on a network of these layer sizes, or None."""
    if name is None:
        return None
    get(name)
    if name != "transposed":
        return None
    for l in range(2, len(layers)):
        if layers[l] != layers[l - 1]:
            return (
                f"the transposed-W bug needs square weight matrices behind the first layer, "
                f"but W^{l} is {layers[l]}×{layers[l - 1]}, so δ^{l} W^{l}ᵀ cannot be "
                "computed (NumPy would stop with a shape error); try Mazur's 2-2-2 network"
            )
    return None


def backward(
    network: Network,
    fp: ForwardPass,
    y: np.ndarray,
    loss: Loss,
    bug: str | None = None,
    weights_after: WeightsAfter | None = None,
) -> Gradients:
    """delta, dW and db of the batch as the bug computes them (Network.backward's when
    ``bug`` is None or only changes the update).  ``mazur`` needs ``weights_after``."""
    if bug is None or not get(bug).in_gradient:
        return network.backward(fp, y, loss)
    fs, z, a = network.functions, fp.z, fp.a
    if problem(bug, network.layers):
        raise ValueError(problem(bug, network.layers))

    def slope(l: int) -> np.ndarray:  # f' of weights[l]'s layer, where the bug takes it
        return fs[l].df(a[l + 1] if bug == "fprime_of_a" else z[l])

    last = len(network.weights) - 1
    if loss.direct_delta is not None:
        delta = loss.direct_delta(z[-1], a[-1], y)
    elif bug == "no_fprime":
        delta = loss.grad_a(a[-1], y)
    else:
        delta = loss.grad_a(a[-1], y) * slope(last)
    if bug == "no_mean" and loss.name in MEAN_LOSSES:
        delta = delta * len(y)
    deltas, dW, db = [], [], []
    for l in reversed(range(last + 1)):
        deltas.append(delta)
        dW.append(delta.T @ a[l])
        db.append(delta.sum(axis=0))
        if l == 0:
            break
        w = network.weights[l]
        if bug == "transposed":
            back = delta @ w.T
        elif bug == "mazur":
            back = delta @ weights_after(l, dW[-1], db[-1])
        else:
            back = delta @ w
        delta = back if bug == "no_fprime" else back * slope(l - 1)
    return Gradients(deltas[::-1], dW[::-1], db[::-1])


def weights_after_step(
    optimizer: Optimizer, config: PenaltySettings, layout: FlatLayout, flat: np.ndarray
) -> WeightsAfter:
    """For the mazur bug: W^(l+1) after the step that ``optimizer`` (left untouched) takes
    on its gradient.  sgd, momentum and adam, L1 and L2 all act element by element, so the
    step of one layer's weights needs only that layer's gradient."""

    def after(l: int, dW: np.ndarray, db: np.ndarray) -> np.ndarray:
        grad = np.zeros(layout.size)
        grad_w, grad_b = layout.views(grad)
        grad_w[l][...], grad_b[l][...] = dW, db
        params = flat.copy()
        g = step_gradient(config, params, grad, layout.weight_mask(), np.empty(layout.size))
        copy.deepcopy(optimizer).update(params, g)
        return layout.views(params)[0][l].copy()

    return after


def update_gradient(bug: str | None, g: np.ndarray, weight_mask: np.ndarray | None) -> np.ndarray:
    """The gradient the optimiser is handed, in place: -g for ``plus`` (every optimiser's
    step then has the opposite sign: w += instead of w -=), 0 on the biases for
    ``frozen_biases``; g itself otherwise."""
    if bug == "plus":
        np.negative(g, out=g)
    elif bug == "frozen_biases":
        g *= weight_mask
    return g


def train_step(trainer: Trainer, x: np.ndarray, y: np.ndarray) -> None:
    """The trainer's backward pass and update on the batch (x, y) with ``trainer.bug`` on,
    by the readable equations (the ones the trace shows): the buggy data-loss gradient goes
    where the fast path puts it (what snapshots and the norms show), then the update."""
    t = trainer
    layout, flat = t._layout, t._flat
    after = weights_after_step(t.optimizer, t.config, layout, flat)
    grads = backward(t.network, t.network.forward(x), y, t.loss, t.bug, after)
    dW, db = layout.views(t._flat_grad)
    for dst, src in zip(dW + db, grads.dW + grads.db, strict=True):
        np.copyto(dst, src)
    mask = layout.weight_mask()
    g = step_gradient(t.config, flat, t._flat_grad, mask, np.empty(layout.size))
    t.optimizer.update(flat, update_gradient(t.bug, g, mask))

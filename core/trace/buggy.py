"""The bug lab's bugs in the lecture's formulas: the formula each bug actually computes.

With a bug of :mod:`core.engine.bugs` on, the trace's numbers are the bug's, so its terms
(:mod:`core.trace.steps`) and chain rules (:mod:`core.trace.chain`) write the bug's
formula, and every line adds up to the number it shows (layer numbers as on screen):

    no_fprime      δᴸ = ∂L/∂a (sse, mse; bce and cce have no f′ there), δˡ⁻¹ᵢ = Σₖ wₖᵢ δₖ
    fprime_of_a    f′(aᵢ) where f′(zᵢ) belongs: σ′(aₕ₁)
    transposed     δˡ⁻¹ᵢ = f′(zᵢ) Σₖ wᵢₖ δₖ: the weight the transposed matrix puts there
    no_mean        δᴸ without the batch's 1/n: 2/k (a − y) f′(z) (mse), (a − y)/k (bce),
                   a − y (cce); sse has no 1/n, so nothing changes
    plus           w⁺ = w + η g (sgd); v⁺ = μ v − g (momentum); m⁺ = β₁ m − (1 − β₁) g (adam):
                   the optimiser is handed −g
    frozen_biases  b⁺ = b (sgd); momentum and Adam run their rule on a bias gradient of 0
    mazur          δˡ⁻¹ᵢ = f′(zᵢ) Σₖ wₖᵢ⁺ δₖ: the weights after their update

:func:`note` names the bug in the title of each step whose formula it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from core.engine import bugs
from core.trace.expr import Apply, Expr, Product, Value, number

if TYPE_CHECKING:
    from core.trace.iteration import IterationTrace

SLOPE_BUGS = ("no_fprime", "fprime_of_a")  # bugs in the f′ factor
BACK_BUGS = (*SLOPE_BUGS, "transposed", "mazur")  # bugs in the hidden delta
UPDATE_BUGS = ("plus", "frozen_biases")
WITH_SLOPE = ("sse", "mse")  # losses whose output delta has an f′ factor
MEAN_LOSSES = bugs.MEAN_LOSSES  # losses with a 1/n to forget


def changes(bug: str | None, phase: str, layer: int | None, loss_name: str) -> bool:
    """Whether ``bug`` changes the formulas of the step (phase, app layer): the output
    delta, a backward step's hidden delta (layer > 1) or the update."""
    if phase == "output_delta":
        return (bug in SLOPE_BUGS and loss_name in WITH_SLOPE) or (
            bug == "no_mean" and loss_name in MEAN_LOSSES
        )
    if phase == "backward":
        return bug in BACK_BUGS and layer is not None and layer > 1
    return phase == "update" and bug in UPDATE_BUGS


def note(bug: str | None, phase: str, layer: int | None, loss_name: str) -> str:
    """' · bug: forgetting f′(z)' for a step whose formula ``bug`` changes (see
    :func:`changes`), to follow its title; '' otherwise."""
    if not bug or not changes(bug, phase, layer, loss_name):
        return ""
    title = bugs.get(bug).title
    return f" · bug: {title[0].lower()}{title[1:]}"


def times(items: Sequence[Expr | None]) -> Expr:
    """The product of the items that are not None; a single one stands alone."""
    kept = tuple(item for item in items if item is not None)
    return kept[0] if len(kept) == 1 else Product(kept)


def slope(bug: str | None, fn: str, z: Value, a: Value) -> Apply | None:
    """The f′ factor as ``bug`` computes it: f′(z), f′(a) for fprime_of_a, none for no_fprime."""
    if bug == "no_fprime":
        return None
    return Apply(fn + "'", a if bug == "fprime_of_a" else z)


def output_scale(bug: str | None, loss_name: str, n: int, k: int) -> Value | None:
    """The constant of the output delta: 2/(n k) (mse), 1/(n k) (bce), 1/n (cce), none
    (sse); without the 1/n for no_mean: 2/k, 1/k, none (k = 1: none for bce)."""
    if loss_name == "sse":
        return None
    if bug == "no_mean":
        if loss_name == "mse":
            return number(2.0 / k, "2/k")
        return number(1.0 / k, "1/k") if loss_name == "bce" and k > 1 else None
    if loss_name == "mse":
        return number(2.0 / (n * k), "2/(n k)")
    return number(1.0 / (n * k), "1/(n k)") if loss_name == "bce" else number(1.0 / n, "1/n")


def back_weight(bug: str | None, param: Callable[..., Value], l: int, k: int, i: int) -> Value:
    """The weight of layer l that carries δₖ back to neuron i of layer l-1: wₖᵢ, wᵢₖ
    (transposed), wₖᵢ⁺ after the update (mazur); ``param`` is the sheet's (name, l, i, j, new)."""
    if bug == "transposed":
        return param("w", l, i, k)
    return param("w", l, k, i, bug == "mazur")


def back_matrix(trace: IterationTrace, l: int) -> np.ndarray:
    """M with (δ^(l+1)[s] M)ᵢ = Σₖ δₖ times the weight ``back_weight`` names (l counted
    from 1 as on screen, M of the weights into layer l+1): W, Wᵀ or W⁺."""
    if trace.bug == "transposed":
        return trace.weights_before[l].T
    return (trace.weights_after if trace.bug == "mazur" else trace.weights_before)[l]


def back_edge(bug: str | None, l: int, k: int, i: int) -> tuple[int, int, int]:
    """The diagram's edge of the weight ``back_weight`` names: (l, k, i), or (l, i, k) for
    transposed (l counted from 0, as weights[l])."""
    return (l, i, k) if bug == "transposed" else (l, k, i)


def gradient_sign(bug: str | None) -> float:
    """The sign of the gradient the optimiser was handed (step_dW, step_db): -1 for plus."""
    return -1.0 if bug == "plus" else 1.0

"""L1 and L2 penalties: the term each adds to the gradient, and the value reported.

Both act on the weights only, never the biases.  L2 is coupled as PyTorch's
``weight_decay`` (added to the gradient before the optimiser, not AdamW's
decoupled decay).  The penalty's value is reported beside the data loss and
never added to it: the loss that is shown, recorded and checked is the data loss.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np


class PenaltySettings(Protocol):
    """The training settings these functions read (core.engine.trainer.TrainingConfig)."""

    l1: float
    l2: float
    train_biases: bool


def step_gradient(
    config: PenaltySettings,
    flat: np.ndarray,
    flat_grad: np.ndarray,
    weight_mask: np.ndarray,
    out: np.ndarray,
) -> np.ndarray:
    """The gradient the optimiser sees, over the flat parameters, into ``out``:

    g = dL/dw + l2 w + l1 sign(w) on weights, and g = dL/db on biases, or 0
    when biases are frozen (with g = 0 from the start, sgd, momentum and adam
    all leave them as they are).
    """
    if config.l2:
        np.multiply(flat, config.l2, out=out)
    else:
        out.fill(0.0)
    if config.l1:
        out += config.l1 * np.sign(flat)
    out *= weight_mask  # the penalties act on weights only
    out += flat_grad
    if not config.train_biases:
        out *= weight_mask
    return out


def penalty(config: PenaltySettings, weights: list[np.ndarray]) -> float:
    """l1 sum |w| + l2/2 sum w^2 over the weights; NaN when both rates are 0."""
    l1, l2 = config.l1, config.l2
    if not (l1 or l2):
        return math.nan
    absolute = sum(float(np.abs(w).sum()) for w in weights)
    squares = sum(float(np.vdot(w, w)) for w in weights)
    return l1 * absolute + 0.5 * l2 * squares

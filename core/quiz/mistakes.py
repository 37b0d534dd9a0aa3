"""The classic slips of a backward pass, each as the exact number it gives.

For a term of a traced iteration, :func:`mistakes_of` returns the values a learner gets
from a named slip, computed from the trace's own arrays (never re-derived by hand):

    z            forgot the bias:          z - b
    a            forgot f:                 z
    loss term    factor of 2 (sse's 1/2):  2 L_k;  MSE's mean:  n L_k, n k L_k, L_k / 2
    output δ     forgot f'(z):             δ / f'(z);   f'(a) for f'(z);  factor of 2;
                 missing 1/n (mse, bce, cce: n δ);  bce: an extra σ'(z)
    hidden δ     forgot f'(z):             Σ_k w_ki δ_k;  f'(a) for f'(z);
                 transposed W (a square W): f'(z) Σ_k w_ik δ_k
    ∂L/∂w        forgot a_j:               δ_i (one sample);  only one sample's part;
                 missing 1/n (n ∂L/∂w), 1/n twice (∂L/∂w / n);  factor of 2 (sse, mse)
    w⁺ (sgd)     w += instead of w -=:     w + η g;  forgot η:  w - g;  the step alone: -η g
    every value  sign:                     -value

A slip whose value equals the right answer (or an earlier slip's) is dropped by the
checker, which compares at the shown digits.
"""

from __future__ import annotations

import numpy as np

from core.engine import activations
from core.trace.expr import Term

SIGN = "sign"
FORGOT_SLOPE = "you forgot f'(z)"
MISSING_MEAN = "missing 1/n"
FACTOR_TWO = "factor of 2"

ADVICE = {
    SIGN: "Check the sign (a − y, not y − a; w − η g, not w + η g).",
    FORGOT_SLOPE: "Multiply by the activation's slope f'(z) at this neuron.",
    "f'(a) instead of f'(z)": "The slope is taken at z, not at a = f(z).",
    MISSING_MEAN: "The loss averages over the batch: divide by n (the samples) as well.",
    "missing 1/(n k)": "MSE averages over the batch and the outputs: divide by n k.",
    "1/n twice": "δ already carries the batch mean's 1/n: do not divide again.",
    FACTOR_TWO: "Check the loss's convention: ½ Σ (y − a)² has no 2 in its derivative, "
    "a mean of squares has.",
    "you forgot the bias b": "Add the neuron's bias b to the weighted sum.",
    "you forgot f": "That is z: apply the activation, a = f(z).",
    "an extra f'(z)": "With this loss and output, σ'(z) cancels: δ = (a − y)/n.",
    "transposed W": "Go back along the weights into this neuron: Σₖ w_ki δ_k, not w_ik.",
    "you forgot a_j": "∂L/∂w_ij = δ_i · a_j: multiply by the input the weight carries.",
    "only one sample": "Sum the parts of every sample in the batch.",
    "w += instead of w −=": "Gradient descent goes against the gradient: w − η g.",
    "you forgot η": "Multiply the gradient by the learning rate η.",
    "that is the step, not the new value": "Add the step −η g to the old value.",
}


def _slope(name: str, z: float) -> float:
    return float(activations.get(name).df(np.array([z]))[0])


def _f(name: str, z: float) -> float:
    return float(activations.get(name).f(np.array([z]))[0])


def _neuron(trace, term: Term) -> dict[str, float]:
    t = term.target
    s, l, i = t.sample or 0, t.layer, t.i
    L, n = len(trace.z), trace.n
    name = trace.activation_names[l - 1]
    z = float(trace.z[l - 1][s, i])
    value = term.result
    out: dict[str, float] = {}
    if t.name == "z":
        out["you forgot the bias b"] = z - float(trace.biases_before[l - 1][i])
    elif t.name == "a" and name not in ("linear", "softmax"):
        out["you forgot f"] = z
    elif t.name == "delta" and l == L:
        out |= _output_delta(trace, name, z, value, s, i)
    elif t.name == "delta":
        back = float(trace.weights_before[l].T[i] @ trace.delta[l][s])
        slope = _slope(name, z)
        out[FORGOT_SLOPE] = back
        out["f'(a) instead of f'(z)"] = _slope(name, _f(name, z)) * back
        W = trace.weights_before[l]
        if W.shape[0] == W.shape[1]:
            out["transposed W"] = slope * float(W[i] @ trace.delta[l][s])
    if n > 1 and t.name == "delta" and trace.loss_name != "sse":
        out.setdefault(MISSING_MEAN, value * n)
    return out


def _output_delta(trace, name: str, z: float, value: float, s: int, i: int) -> dict[str, float]:
    n, k, loss = trace.n, trace.layers[-1], trace.loss_name
    out: dict[str, float] = {}
    if loss in ("sse", "mse"):
        error = float(trace.a[-1][s, i] - trace.y[s, i])
        scale = 1.0 if loss == "sse" else 2.0 / (n * k)
        if name != "linear":
            out[FORGOT_SLOPE] = scale * error
            out["f'(a) instead of f'(z)"] = scale * error * _slope(name, _f(name, z))
        out[FACTOR_TWO] = value * 2 if loss == "sse" else value / 2
    elif loss == "bce":
        out["an extra f'(z)"] = value * _slope("sigmoid", z)
    if loss != "sse" and n > 1:
        out[MISSING_MEAN] = value * n
    if loss in ("mse", "bce") and k > 1:
        out["missing 1/(n k)"] = value * n * k
    return out


def _loss_term(trace, term: Term) -> dict[str, float]:
    n, k, loss, value = trace.n, trace.layers[-1], trace.loss_name, term.result
    out: dict[str, float] = {}
    if loss == "sse":
        out[FACTOR_TWO] = 2 * value
    else:
        if n > 1:
            out[MISSING_MEAN] = n * value
        if loss in ("mse", "bce") and k > 1:
            out["missing 1/(n k)"] = n * k * value
        if loss == "mse":
            out[FACTOR_TWO] = value / 2
    return out


def _gradient(trace, term: Term) -> dict[str, float]:
    t = term.target
    l, i, n, value = t.layer, t.i, trace.n, term.result
    delta = trace.delta[l - 1][:, i]
    out: dict[str, float] = {}
    weight = t.name == "dL/dw"
    if weight and n == 1 and trace.a[l - 1][0, t.j] != 1.0:
        out["you forgot a_j"] = float(delta[0])
    if n > 1:
        out["only one sample"] = float(delta[0] * (trace.a[l - 1][0, t.j] if weight else 1.0))
        if trace.loss_name != "sse":
            out[MISSING_MEAN] = value * n
            out["1/n twice"] = value / n
    if trace.loss_name in ("sse", "mse"):
        out[FACTOR_TWO] = value * 2 if trace.loss_name == "sse" else value / 2
    return out


def _update(trace, term: Term) -> dict[str, float]:
    t = term.target
    if trace.optimizer_after.name != "sgd" or t.name not in ("w", "b") or not t.new:
        return {}
    l, weight = t.layer, t.name == "w"
    old = (trace.weights_before if weight else trace.biases_before)[l - 1]
    g = (trace.step_dW if weight else trace.step_db)[l - 1]
    key = (t.i, t.j) if weight else (t.i,)
    if not weight and (not trace.config.train_biases or trace.bug == "frozen_biases"):
        return {}
    w, lr = float(old[key]), float(trace.optimizer_after.lr)
    plus = trace.bug == "plus"  # the bug lab's w + η g: the optimiser was handed -g
    grad, way = (-float(g[key]), 1.0) if plus else (float(g[key]), -1.0)
    return {
        "w += instead of w −=": w + lr * grad,
        "you forgot η": w + way * grad,
        "that is the step, not the new value": way * lr * grad,
    }


def mistakes_of(trace, term: Term) -> dict[str, tuple[float, str]]:
    """The named slips of ``term`` (a term of ``trace``'s steps): name -> (the value the
    slip gives, one sentence of advice); the sign slip last, so that a more telling name
    wins where two give the same number."""
    name = term.target.name
    if name in ("z", "a", "delta"):
        found = _neuron(trace, term)
    elif name == "L" and term.target.i is not None and not term.target.new:
        found = _loss_term(trace, term)
    elif name in ("dL/dw", "dL/db"):
        found = _gradient(trace, term)
    else:
        found = _update(trace, term)
    if term.result != 0:
        found.setdefault(SIGN, -term.result)
    return {key: (float(v), ADVICE[key]) for key, v in found.items() if np.isfinite(v)}

"""The loss over a plane through the current parameters, computed in batched passes.

A plane through the parameters theta0 is spanned by two directions d1, d2 of parameter
space; its point (alpha, beta) is the network with theta = theta0 + alpha d1 + beta d2, and
the landscape is the data loss L(theta) over the training rows there -- the trainer's loss,
the history's ``train_loss``: the loss's formula over the whole training split, without the
L1/L2 penalty (core.engine.penalties reports that beside the loss, never in it).

A direction is either one parameter (a weight (l, i, j) of W^(l+1), or a bias (l, i, -1),
as the diagram's ``parameterClicked`` names them) -- then alpha is an offset of that
parameter's value -- or a random direction, filter-normalised as in Li et al., "Visualizing
the Loss Landscape of Neural Nets" (NeurIPS 2018): each neuron's row of incoming weights
d_i is drawn from N(0, 1) and rescaled to the norm of the weight row, d_i <- d_i
||W_i|| / ||d_i||; the biases' directions are 0 (the authors' ``--xignore biasbn``, with
which their figures were made).

Every grid point's forward pass shares one set of matrix products: since z is linear in the
parameters, z^l(alpha, beta) = a W^T + b + alpha (a D1^T + db1) + beta (a D2^T + db2), so
the layers before the first one a direction touches run once, and the others run for a chunk
of G grid points at a time as a few (G N, n_in) x (n_in, n_out) products.  The activations
and the loss are the engine's own functions (core.engine.activations, core.engine.losses).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from core.engine import losses
from core.engine.network import Network
from core.engine.params import FlatLayout

Param = tuple[int, int, int]
"""A weight (l, i, j): weights[l][i, j], or a bias (l, i, -1): biases[l][i]."""

GRID_BYTES = 64 * 2**20
"""The activations one chunk of grid points may hold at a time."""


@dataclass(frozen=True)
class Direction:
    """A direction in parameter space, shaped like the network's weights and biases."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    def touches(self, l: int) -> bool:
        """Whether the direction moves any parameter of layer l+1 (weights[l], biases[l])."""
        return bool(self.weights[l].any() or self.biases[l].any())

    def flat(self) -> np.ndarray:
        """The direction as one vector, in FlatLayout's order (W^1, b^1, W^2, ...)."""
        layers = [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]
        return FlatLayout(layers).pack(self.weights, self.biases)


def zero_direction(layers: list[int]) -> Direction:
    """The zero direction of a network with these layer sizes."""
    weights, biases = FlatLayout(layers).views(np.zeros(FlatLayout(layers).size))
    return Direction(tuple(weights), tuple(biases))


def check_param(layers: list[int], param: Param) -> None:
    """A ValueError saying why ``param`` is not a parameter of a network of ``layers``."""
    l, i, j = param
    if not 0 <= l < len(layers) - 1 or not 0 <= i < layers[l + 1] or not -1 <= j < layers[l]:
        raise ValueError(f"the network of layers {layers} has no parameter {param}")


def parameter_direction(layers: list[int], param: Param) -> Direction:
    """The unit direction of one parameter: 1 at ``param``, 0 elsewhere."""
    check_param(layers, param)
    d = zero_direction(layers)
    l, i, j = param
    if j < 0:
        d.biases[l][i] = 1.0
    else:
        d.weights[l][i, j] = 1.0
    return d


def random_direction(network: Network, rng: np.random.Generator) -> Direction:
    """A filter-normalised random direction (Li et al. 2018): each row of incoming weights
    d_i ~ N(0, I) scaled to ||W_i|| (the row of a neuron whose weights are all 0 stays 0);
    biases 0."""
    weights = []
    for w in network.weights:
        d = rng.standard_normal(w.shape)
        norms = np.linalg.norm(d, axis=1, keepdims=True)
        weights.append(d * (np.linalg.norm(w, axis=1, keepdims=True) / norms))
    return Direction(tuple(weights), tuple(np.zeros_like(b) for b in network.biases))


def parameter_value(network: Network, param: Param) -> float:
    """The value of one weight or bias."""
    l, i, j = param
    return float(network.biases[l][i] if j < 0 else network.weights[l][i, j])


def moved(network: Network, d1: Direction, d2: Direction, alpha: float, beta: float) -> Network:
    """A copy of the network at theta0 + alpha d1 + beta d2 (the direct evaluation)."""
    net = network.copy()
    for p, p1, p2 in zip(net.parameters(), _parts(d1), _parts(d2)):
        p += alpha * p1 + beta * p2
    return net


def _parts(d: Direction) -> list[np.ndarray]:
    return [p for wb in zip(d.weights, d.biases) for p in wb]


def data_gradient(network: Network, x: np.ndarray, y: np.ndarray, loss: str) -> Direction:
    """dL/dtheta of the data loss over all of (x, y) at the network's parameters: one
    full-batch forward and backward pass of the engine (Network.backward)."""
    fp = network.forward(x)
    g = network.backward(fp, np.asarray(y, dtype=float), losses.get(loss))
    return Direction(tuple(g.dW), tuple(g.db))


def data_loss(network: Network, x: np.ndarray, y: np.ndarray, loss: str) -> float:
    """L of (x, y) at the network's parameters, by one forward pass of the engine."""
    fp = network.forward(x)
    return losses.get(loss).value(fp.z[-1], fp.a[-1], np.asarray(y, dtype=float))


def steepest_parameters(gradient: Direction, count: int = 2) -> list[Param]:
    """The ``count`` parameters with the largest |dL/dw| (weights and biases alike), largest
    first; ties go to the earlier parameter in FlatLayout's order."""
    flat = np.abs(gradient.flat())
    order = np.argsort(-flat, kind="stable")[:count]
    layers = [gradient.weights[0].shape[1]] + [w.shape[0] for w in gradient.weights]
    return [_param_at(FlatLayout(layers), int(k)) for k in order]


def _param_at(layout: FlatLayout, k: int) -> Param:
    part = int(np.searchsorted(layout.offsets, k, side="right")) - 1
    l, local = part // 2, k - int(layout.offsets[part])
    if part % 2:
        return (l, local, -1)
    n_in = layout.shapes[part][1]
    return (l, local // n_in, local % n_in)


def grid_axis(steps: int, span: float) -> np.ndarray:
    """``steps`` evenly spaced offsets from -span to span; with an odd count the middle one
    is exactly 0, so the centre of the grid is the current parameters themselves."""
    if steps < 2:
        raise ValueError(f"a landscape needs at least 2 steps along each axis, not {steps}")
    half = (steps - 1) / 2
    return span * ((np.arange(steps) - half) / half)


def chunk_points(network: Network, rows: int, d1: Direction, d2: Direction, budget: int) -> int:
    """Grid points per chunk: their z, a and direction terms of every layer from the first
    one a direction touches (about 4 arrays of rows x units each) within ``budget`` bytes."""
    first = _first_touched(network, d1, d2)
    units = sum(network.layers[first + 1 :]) or 1
    return max(1, budget // (4 * 8 * max(rows, 1) * units))


def _first_touched(network: Network, d1: Direction, d2: Direction) -> int:
    touched = [l for l in range(len(network.weights)) if d1.touches(l) or d2.touches(l)]
    return touched[0] if touched else len(network.weights)


def point_losses(
    network: Network,
    x: np.ndarray,
    y: np.ndarray,
    loss: str,
    d1: Direction,
    d2: Direction,
    alpha: np.ndarray,
    beta: np.ndarray,
) -> np.ndarray:
    """L at each of the G points theta0 + alpha[g] d1 + beta[g] d2, in one batched pass:
    z^l = a W^T + b + alpha (a D1^T + db1) + beta (a D2^T + db2), a^l = f(z^l) (the engine's
    f), then the engine's loss terms summed per point.  Memory grows with G: see chunks."""
    alpha = np.asarray(alpha, dtype=float)
    beta = np.asarray(beta, dtype=float)
    g = len(alpha)
    a = np.asarray(x, dtype=float)  # (N, n) while shared by every point, then (G, N, n)
    for l, (w, b, f) in enumerate(zip(network.weights, network.biases, network.functions)):
        z = _dense(a, w.T) + b
        for coef, d in ((alpha, d1), (beta, d2)):
            if d.touches(l):
                z = z + coef.reshape(-1, 1, 1) * (_dense(a, d.weights[l].T) + d.biases[l])
        a = f.f(z)
    if a.ndim == 2:  # no direction moves anything: every point is theta0
        z, a = (np.broadcast_to(t, (g, *t.shape)) for t in (z, a))
    y = np.asarray(y, dtype=float)
    # The terms' class axis is 1 and their sample count shape[0] (cce's log-softmax, mse's
    # 1/(n k)): samples, classes, points.
    terms = losses.get(loss).terms(
        np.moveaxis(z, 0, -1), np.moveaxis(a, 0, -1), y.reshape(*y.shape, 1)
    )
    return terms.sum(axis=(0, 1))


def _dense(a: np.ndarray, m: np.ndarray) -> np.ndarray:
    """a @ m for a of shape (N, n) or (G, N, n), as one matrix product."""
    return (a.reshape(-1, a.shape[-1]) @ m).reshape(*a.shape[:-1], m.shape[1])


def grid_chunks(
    network: Network,
    x: np.ndarray,
    y: np.ndarray,
    loss: str,
    d1: Direction,
    d2: Direction,
    alphas: np.ndarray,
    betas: np.ndarray,
    out: np.ndarray,
    budget: int = GRID_BYTES,
) -> Iterator[float]:
    """Fill ``out[k, m]`` with L at theta0 + alphas[m] d1 + betas[k] d2, chunk by chunk;
    yields the fraction done after each chunk, so a caller can stop (cancel) between two."""
    aa, bb = np.meshgrid(np.asarray(alphas, float), np.asarray(betas, float))
    aa, bb = aa.ravel(), bb.ravel()
    flat = out.reshape(-1)
    size = chunk_points(network, len(x), d1, d2, budget)
    for start in range(0, len(aa), size):
        end = min(start + size, len(aa))
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            flat[start:end] = point_losses(
                network, x, y, loss, d1, d2, aa[start:end], bb[start:end]
            )
        yield end / len(aa)


def loss_grid(
    network: Network,
    x: np.ndarray,
    y: np.ndarray,
    loss: str,
    d1: Direction,
    d2: Direction,
    alphas: np.ndarray,
    betas: np.ndarray,
    budget: int = GRID_BYTES,
) -> np.ndarray:
    """L over the grid, shape (len(betas), len(alphas)): row k is beta = betas[k]."""
    out = np.empty((len(betas), len(alphas)))
    for _ in grid_chunks(network, x, y, loss, d1, d2, alphas, betas, out, budget):
        pass
    return out


def profile(
    network: Network, x: np.ndarray, y: np.ndarray, loss: str, param: Param, offsets: np.ndarray
) -> np.ndarray:
    """L(w0 + offset) along one parameter, for every offset (the 1-D landscape)."""
    d = parameter_direction(network.layers, param)
    zero = zero_direction(network.layers)
    return loss_grid(network, x, y, loss, d, zero, offsets, np.zeros(1))[0]


def tangent_slope(gradient: Direction, param: Param) -> float:
    """dL/dw of one parameter: the slope of the profile's tangent at the current value."""
    l, i, j = param
    return float(gradient.biases[l][i] if j < 0 else gradient.weights[l][i, j])


def plane_coordinates(d1: np.ndarray, d2: np.ndarray, v: np.ndarray) -> np.ndarray:
    """The (alpha, beta) of the point of the plane nearest to theta0 + v, for one flat
    vector v (shape (P,)) or many (shape (T, P)): the least-squares solution of
    [d1 d2] c = v, exact for two single parameters (then c is v at those two)."""
    basis = np.stack([d1, d2])  # (2, P)
    gram = basis @ basis.T
    right = np.asarray(v, dtype=float) @ basis.T  # (2,) or (T, 2)
    try:
        return np.linalg.solve(gram, right.T).T
    except np.linalg.LinAlgError:  # one direction is 0 (the 1-D profile) or both are parallel
        return right @ np.linalg.pinv(gram).T

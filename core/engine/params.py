"""All of a network's parameters in one flat array, with per-layer views.

W^1, b^1, W^2, b^2, ... lie one after another in a single float64 array; the
network's ``weights[l]`` and ``biases[l]`` become views into it.  The
optimiser then updates every parameter with a handful of whole-array
operations, and a finiteness check or a copy of the state is one operation.
"""

from __future__ import annotations

import numpy as np


class FlatLayout:
    """Offsets of each weight matrix and bias vector in the flat array."""

    def __init__(self, layers: list[int]) -> None:
        self.layers = list(layers)
        self.shapes: list[tuple[int, ...]] = []
        for n_in, n_out in zip(layers, layers[1:], strict=False):
            self.shapes += [(n_out, n_in), (n_out,)]
        sizes = [int(np.prod(s)) for s in self.shapes]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.size = int(self.offsets[-1])

    def views(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Weight and bias views into ``flat`` (shapes of W^l and b^l)."""
        parts = [
            flat[start:end].reshape(shape)
            for start, end, shape in zip(
                self.offsets[:-1], self.offsets[1:], self.shapes, strict=True
            )
        ]
        return parts[0::2], parts[1::2]

    def pack(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> np.ndarray:
        """A new flat array holding these weights and biases."""
        flat = np.empty(self.size)
        w_views, b_views = self.views(flat)
        for dst, src in zip(w_views + b_views, list(weights) + list(biases), strict=True):
            np.copyto(dst, src)
        return flat

    def weight_mask(self) -> np.ndarray:
        """1.0 where the flat array holds a weight, 0.0 where it holds a bias."""
        mask = np.zeros(self.size)
        w_views, _ = self.views(mask)
        for w in w_views:
            w[...] = 1.0
        return mask

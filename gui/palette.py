"""Colour scales as pure functions of values: value -> colour, value -> width.

One clamped diverging scale per quantity, neutral grey at 0, with a legend
drawn from the same functions.  Both pairs are colour-blind safe: orange/blue
(TensorFlow Playground's, for weights, activations and data) and
purple/green (ColorBrewer's PRGn, for gradients, so the two views never look
alike).  NumPy only: no Qt here, so the scales are unit-tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RGB = tuple[int, int, int]


def hex_rgb(code: str) -> RGB:
    """'#f59322' -> (245, 147, 34)."""
    code = code.lstrip("#")
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16)


@dataclass(frozen=True)
class DivergingScale:
    """Values in [-limit, limit] map linearly from ``negative`` through ``zero`` to
    ``positive``; values beyond are clamped.  Widths grow with |value| from
    ``min_width`` to ``max_width`` pixels, clamped at |value| = limit."""

    name: str
    negative: RGB
    zero: RGB
    positive: RGB
    limit: float = 1.0
    min_width: float = 1.0
    max_width: float = 10.0

    def with_limit(self, limit: float) -> DivergingScale:
        """The same scale over [-limit, limit] (the range is fixed per session, adjustable)."""
        if not limit > 0:
            raise ValueError(f"a colour scale needs a positive range, not {limit}")
        return DivergingScale(
            self.name,
            self.negative,
            self.zero,
            self.positive,
            limit,
            self.min_width,
            self.max_width,
        )

    def position(self, values: np.ndarray) -> np.ndarray:
        """Where each value sits on the scale: -1 .. 1 (clamped); NaN stays NaN."""
        return np.clip(np.asarray(values, dtype=float) / self.limit, -1.0, 1.0)

    def colors(self, values: np.ndarray) -> np.ndarray:
        """RGBA, uint8, shape values.shape + (4,); NaN is drawn mid grey."""
        t = self.position(values)
        ends = np.where((t < 0)[..., None], self.negative, self.positive)
        mix = np.abs(t)[..., None]
        rgb = np.asarray(self.zero) * (1.0 - mix) + ends * mix
        rgb = np.where(np.isnan(t)[..., None], 128.0, rgb)
        alpha = np.full(t.shape + (1,), 255.0)
        return np.concatenate([np.rint(rgb), alpha], axis=-1).astype(np.uint8)

    def widths(self, values: np.ndarray) -> np.ndarray:
        """Line width in pixels: min_width + (max_width - min_width) |value| / limit, clamped."""
        t = np.abs(self.position(values))
        t = np.where(np.isnan(t), 0.0, t)
        return self.min_width + (self.max_width - self.min_width) * t

    def bins(self, values: np.ndarray, levels: int = 8) -> np.ndarray:
        """A bin per value, from -levels to levels (0 near zero), for batched drawing:
        every edge of a bin shares one pen, the pen of :meth:`bin_value`."""
        t = self.position(values)
        t = np.where(np.isnan(t), 0.0, t)
        return np.rint(t * levels).astype(int)

    def bin_value(self, index: int, levels: int = 8) -> float:
        """The value a bin is drawn with."""
        return self.limit * index / levels

    def legend(self, stops: int = 5) -> list[tuple[float, tuple[int, int, int, int]]]:
        """Evenly spaced (value, RGBA) pairs from -limit to limit, for the legend bar."""
        values = np.linspace(-self.limit, self.limit, stops)
        return [
            (float(v), tuple(int(c) for c in rgba)) for v, rgba in zip(values, self.colors(values))
        ]


GREY = hex_rgb("#e8eaeb")
WEIGHTS = DivergingScale("weight", hex_rgb("#f59322"), GREY, hex_rgb("#0877bd"))
GRADIENTS = DivergingScale("dL/dw", hex_rgb("#762a83"), GREY, hex_rgb("#1b7837"))
ACTIVATIONS = WEIGHTS

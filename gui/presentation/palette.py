"""Colour scales as pure functions of values: value -> colour, value -> width.

One clamped diverging scale per quantity, neutral grey at 0, with a legend
drawn from the same functions.  The standard pairs are orange/blue
(TensorFlow Playground's, for weights, activations and data) and
purple/green (ColorBrewer's PRGn, for gradients, so the two views never look
alike).  :data:`PALETTES` holds the named palettes a lecturer picks from (View >
Palette): the standard one, a high-contrast one for projectors and a colour-blind-safe
one that also dashes negative edges.  NumPy only: no Qt here, so the scales are
unit-tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    ``min_width`` to ``max_width`` pixels, clamped at |value| = limit.  With
    ``dash_negative`` negative values are also drawn dashed (sign not by hue alone)."""

    name: str
    negative: RGB
    zero: RGB
    positive: RGB
    limit: float = 1.0
    min_width: float = 1.0
    max_width: float = 10.0
    dash_negative: bool = False

    def with_limit(self, limit: float) -> DivergingScale:
        """The same scale over [-limit, limit] (the range is fixed per session, adjustable)."""
        if not limit > 0:
            raise ValueError(f"a colour scale needs a positive range, not {limit}")
        return replace(self, limit=float(limit))

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


@dataclass(frozen=True)
class Palette:
    """A named look of the diagram, the output map and the lecture's progress strip: the
    three scales (each at limit 1; views set their own limits) and the few colours and
    widths around them."""

    name: str  # the key in PALETTES, e.g. "high_contrast" (what a session stores)
    title: str  # as View > Palette shows it
    weights: DivergingScale
    gradients: DivergingScale
    activations: DivergingScale
    background: RGB = (251, 251, 252)  # the diagram's paper
    ink: RGB = (36, 40, 48)  # titles, labels, outlines
    faint_ink: RGB = (105, 112, 122)  # captions and secondary text
    outline: float = 1.0  # node outlines are this many times the standard width
    dim_nodes: float = 0.22  # lecture mode: the opacity of the neurons a frame does not light
    dim_edges: float = 0.2  # ... and the colour share its faded edges keep
    hint: str = ""  # what it is for, as the menu's tooltip says it


GREY = hex_rgb("#e8eaeb")
WEIGHTS = DivergingScale("weight", hex_rgb("#f59322"), GREY, hex_rgb("#0877bd"))
GRADIENTS = DivergingScale("dL/dw", hex_rgb("#762a83"), GREY, hex_rgb("#1b7837"))
ACTIVATIONS = WEIGHTS
STANDARD = Palette(
    "standard",
    "Standard",
    WEIGHTS,
    GRADIENTS,
    ACTIVATIONS,
    hint="Orange / blue weights and purple / green gradients, as on a screen",
)

# Projectors wash out light and mid tones: dark saturated ends (>= 4.5:1 on white), a darker
# zero grey and thicker thin edges so that small weights stay visible, bolder outlines.
PROJECTOR_GREY = hex_rgb("#cfd2d6")
PROJECTOR_WEIGHTS = DivergingScale(
    "weight", hex_rgb("#b35806"), PROJECTOR_GREY, hex_rgb("#08519c"), min_width=2.5, max_width=12
)
HIGH_CONTRAST = Palette(
    "high_contrast",
    "High contrast (projector)",
    PROJECTOR_WEIGHTS,
    DivergingScale(
        "dL/dw", hex_rgb("#6a1b7f"), PROJECTOR_GREY, hex_rgb("#0b6a2c"), min_width=2.5, max_width=12
    ),
    PROJECTOR_WEIGHTS,
    background=(255, 255, 255),
    ink=(12, 12, 14),
    faint_ink=(52, 56, 62),
    outline=2.0,
    dim_nodes=0.5,  # what a frame does not light stays visible from the back of a hall
    dim_edges=0.45,
    hint="Dark colours on white, thicker thin edges and bolder outlines: for projectors",
)

# Okabe & Ito's vermillion / blue and bluish green against a dark purple: apart under
# protanopia, deuteranopia and tritanopia; negative edges dashed as well.
COLOUR_BLIND_WEIGHTS = DivergingScale(
    "weight", hex_rgb("#d55e00"), GREY, hex_rgb("#0072b2"), dash_negative=True
)
COLOUR_BLIND = Palette(
    "colour_blind",
    "Colour-blind safe",
    COLOUR_BLIND_WEIGHTS,
    DivergingScale("dL/dw", hex_rgb("#5e3c99"), GREY, hex_rgb("#009e73"), dash_negative=True),
    COLOUR_BLIND_WEIGHTS,
    hint="Apart for every kind of colour blindness; negative edges are dashed as well",
)

PALETTES: dict[str, Palette] = {p.name: p for p in (STANDARD, HIGH_CONTRAST, COLOUR_BLIND)}


def palette_named(name: str) -> Palette:
    """The palette called ``name`` (a key of PALETTES)."""
    try:
        return PALETTES[name]
    except KeyError:
        raise ValueError(f"unknown palette {name!r}; choose one of {', '.join(PALETTES)}") from None


def ink_levels(pixels: np.ndarray, lo: float | None = None, hi: float | None = None) -> np.ndarray:
    """A picture's grey levels (uint8) as ink on paper: ``lo`` (default: the least of 0 and
    the pixels) white 255, ``hi`` (default: the largest pixel) black 0, linear between;
    NaN mid grey."""
    p = np.asarray(pixels, dtype=float)
    finite = p[np.isfinite(p)]
    lo = min(0.0, float(finite.min())) if lo is None and finite.size else (lo or 0.0)
    hi = float(finite.max()) if hi is None and finite.size else (1.0 if hi is None else hi)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.clip((p - lo) / (hi - lo if hi > lo else 1.0), 0.0, 1.0)
    return np.rint(255 * (1.0 - np.nan_to_num(t, nan=0.5))).astype(np.uint8)

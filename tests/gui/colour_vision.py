"""How a colour looks: linear sRGB, CIELAB (D65), as a dichromat sees it (Machado et al.),
and the WCAG contrast on white; shared by the palette and the plot-colour tests."""

from __future__ import annotations

import numpy as np

# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of
# color vision deficiency", IEEE TVCG 15(6), table of matrices at severity 1.0 (linear RGB).
DICHROMACY = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
VISIONS = ("normal", *DICHROMACY)


def linear_rgb(rgb) -> np.ndarray:
    """sRGB 0..255 -> linear 0..1 (IEC 61966-2-1)."""
    c = np.asarray(rgb, dtype=float) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> np.ndarray:
    """Linear sRGB -> CIELAB (D65)."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    t = xyz @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 216 / 24389, np.cbrt(t), (24389 / 27 * t + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen_by(rgb, vision: str = "normal") -> np.ndarray:
    """The CIELAB colour someone with ``vision`` ("normal" or a dichromacy) sees for ``rgb``."""
    if vision == "normal":
        return lab(linear_rgb(rgb))
    return lab(np.clip(DICHROMACY[vision] @ linear_rgb(rgb), 0.0, 1.0))


def distance(a, b, vision: str = "normal") -> float:
    """CIE76 ΔE between two sRGB colours as someone with ``vision`` sees them."""
    return float(np.linalg.norm(seen_by(a, vision) - seen_by(b, vision)))


def contrast_on_white(rgb) -> float:
    """WCAG 2 contrast ratio of ``rgb`` against white (relative luminance)."""
    luminance = float(np.array([0.2126, 0.7152, 0.0722]) @ linear_rgb(rgb))
    return 1.05 / (luminance + 0.05)

"""Colour scales are pure functions: clamped, diverging, neutral at 0, legend from the same map;
the named palettes stay apart for colour-blind eyes and stand out on a projector."""

from __future__ import annotations

import numpy as np
import pytest

from gui.presentation.palette import (
    COLOUR_BLIND,
    GRADIENTS,
    GREY,
    HIGH_CONTRAST,
    PALETTES,
    STANDARD,
    WEIGHTS,
    DivergingScale,
    Palette,
    hex_rgb,
    palette_named,
)


def test_diverging_scale_is_clamped_and_grey_at_zero():
    c = WEIGHTS.colors(np.array([-5.0, -1.0, 0.0, 1.0, 5.0]))
    assert c.dtype == np.uint8 and c.shape == (5, 4)
    assert tuple(c[2, :3]) == GREY
    assert tuple(c[0, :3]) == tuple(c[1, :3]) == hex_rgb("#f59322")
    assert tuple(c[4, :3]) == tuple(c[3, :3]) == hex_rgb("#0877bd")
    half = WEIGHTS.colors(np.array([0.5]))[0, :3]
    expected = (np.array(GREY) + np.array(hex_rgb("#0877bd"))) / 2
    np.testing.assert_allclose(half, expected, atol=0.51)


def test_widths_grow_with_magnitude_and_clamp():
    s = WEIGHTS.with_limit(2.0)
    w = s.widths(np.array([0.0, 1.0, -1.0, 2.0, -30.0, np.nan]))
    np.testing.assert_allclose(w, [1.0, 5.5, 5.5, 10.0, 10.0, 1.0])


def test_bins_and_legend_come_from_the_same_map():
    s = GRADIENTS.with_limit(0.1)
    assert list(s.bins(np.array([-1.0, -0.05, 0.0, 0.0049, 0.1]), levels=4)) == [-4, -2, 0, 0, 4]
    assert s.bin_value(2, levels=4) == pytest.approx(0.05)
    legend = s.legend(3)
    assert [v for v, _ in legend] == pytest.approx([-0.1, 0.0, 0.1])
    assert legend[1][1][:3] == GREY
    with pytest.raises(ValueError, match="positive range"):
        s.with_limit(0.0)


def test_nan_is_visible_grey_not_a_crash():
    c = WEIGHTS.colors(np.array([np.nan]))
    assert tuple(c[0, :3]) == (128, 128, 128)


# ---------------------------------------------------------------- the named palettes

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
ENDS_APART = 40.0  # CIE76 ΔE between a scale's two ends, as a dichromat sees them
FROM_ZERO = 25.0  # ... and between each end and the zero grey


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


def seen_by(rgb, vision: str) -> np.ndarray:
    """The CIELAB colour a dichromat sees for ``rgb``."""
    return lab(np.clip(DICHROMACY[vision] @ linear_rgb(rgb), 0.0, 1.0))


def contrast_on_white(rgb) -> float:
    """WCAG 2 contrast ratio of ``rgb`` against white (relative luminance)."""
    luminance = float(np.array([0.2126, 0.7152, 0.0722]) @ linear_rgb(rgb))
    return 1.05 / (luminance + 0.05)


def scales_of(p: Palette) -> list[DivergingScale]:
    return [p.weights, p.gradients, p.activations]


def test_the_standard_palette_is_todays_colours():
    assert STANDARD.weights == WEIGHTS and STANDARD.gradients == GRADIENTS
    assert STANDARD.activations == WEIGHTS and PALETTES["standard"] is STANDARD
    assert not WEIGHTS.dash_negative and STANDARD.outline == 1.0


@pytest.mark.parametrize("name", list(PALETTES))
@pytest.mark.parametrize("vision", list(DICHROMACY))
def test_every_scale_keeps_its_ends_apart_for_dichromats(name, vision):
    for scale in scales_of(PALETTES[name]):
        neg, zero, pos = (seen_by(c, vision) for c in (scale.negative, scale.zero, scale.positive))
        assert np.linalg.norm(neg - pos) >= ENDS_APART, (scale.name, "ends")
        assert np.linalg.norm(neg - zero) >= FROM_ZERO, (scale.name, "negative vs zero")
        assert np.linalg.norm(pos - zero) >= FROM_ZERO, (scale.name, "positive vs zero")


def test_the_simulation_tells_red_from_green_apart_only_for_normal_vision():
    red, green = (200, 60, 40), (60, 160, 40)  # a pair that red-green dichromats confuse
    assert np.linalg.norm(lab(linear_rgb(red)) - lab(linear_rgb(green))) > ENDS_APART
    assert np.linalg.norm(seen_by(red, "deuteranopia") - seen_by(green, "deuteranopia")) < 20


def test_high_contrast_ends_stand_out_on_white_and_thin_edges_stay_visible():
    hc = HIGH_CONTRAST
    for scale in scales_of(hc):
        assert contrast_on_white(scale.negative) >= 4.5 and contrast_on_white(scale.positive) >= 4.5
        assert scale.min_width >= 2 * WEIGHTS.min_width
        assert contrast_on_white(scale.zero) > contrast_on_white(WEIGHTS.zero)  # darker zero
    assert hc.background == (255, 255, 255) and contrast_on_white(hc.ink) >= 15
    assert hc.outline > STANDARD.outline
    assert contrast_on_white(WEIGHTS.negative) < 4.5  # why the projector needs its own


def test_colour_blind_palette_dashes_negatives_and_keeps_it_across_limits():
    for scale in scales_of(COLOUR_BLIND):
        assert scale.dash_negative
        assert scale.with_limit(0.3).dash_negative and scale.with_limit(0.3).limit == 0.3
    assert HIGH_CONTRAST.weights.with_limit(2.0).min_width == HIGH_CONTRAST.weights.min_width


def test_unknown_palette_names_are_refused_with_the_choices():
    assert palette_named("high_contrast") is HIGH_CONTRAST
    with pytest.raises(ValueError, match="standard, high_contrast, colour_blind"):
        palette_named("sepia")

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
from tests.gui.colour_vision import DICHROMACY, contrast_on_white, lab, linear_rgb, seen_by


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

ENDS_APART = 40.0  # CIE76 ΔE between a scale's two ends, as a dichromat sees them
FROM_ZERO = 25.0  # ... and between each end and the zero grey


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

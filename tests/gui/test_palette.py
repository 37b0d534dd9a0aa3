"""Colour scales are pure functions: clamped, diverging, neutral at 0, legend from the same map."""

from __future__ import annotations

import numpy as np
import pytest

from gui.palette import GRADIENTS, GREY, WEIGHTS, hex_rgb


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

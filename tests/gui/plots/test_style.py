"""The layers' colours mean nothing else in the app, stay apart for every common kind of
colour blindness, and read on white; an earlier run's look follows its number and age."""

import itertools

import numpy as np
from PySide6.QtCore import Qt

from gui.output.maps import CLASS_COLORS
from gui.plots.style import (
    FADED_DASHES,
    LAYER_COLORS,
    TEST_COLOR,
    TRAIN_COLOR,
    dash_mark,
    faded_pen,
    layer_colors,
)
from gui.presentation.palette import PALETTES, hex_rgb

ERROR_REDS = ("#c0392b", "#b3261e")  # gui/diagram/editors.py, gui/lecture/trace_chooser.py
INK = ("#000000", "#202020")

# Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
DEFICIENCIES = {
    "normal": np.eye(3),
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
SRGB_TO_XYZ = np.array(
    [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
)
WHITE = np.array([0.95047, 1.0, 1.08883])


def linear(rgb) -> np.ndarray:
    c = np.asarray(rgb, dtype=float) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb, deficiency: str = "normal") -> np.ndarray:
    """CIELAB of an sRGB colour as someone with ``deficiency`` sees it."""
    xyz = SRGB_TO_XYZ @ np.clip(DEFICIENCIES[deficiency] @ linear(rgb), 0, 1) / WHITE
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def distance(a, b, deficiency: str = "normal") -> float:
    return float(np.linalg.norm(lab(a, deficiency) - lab(b, deficiency)))


def contrast_on_white(rgb) -> float:
    luminance = linear(rgb) @ np.array([0.2126, 0.7152, 0.0722])
    return 1.05 / (luminance + 0.05)


def taken_elsewhere() -> list[tuple[int, int, int]]:
    """Every colour that already means something: the palettes' scale ends, the class
    colours, the train/test pair, the error reds and the ink."""
    ends = [
        colour
        for palette in PALETTES.values()
        for scale in (palette.weights, palette.gradients, palette.activations)
        for colour in (scale.negative, scale.positive)
    ]
    named = (TRAIN_COLOR, TEST_COLOR, *ERROR_REDS, *INK)
    return [*ends, *CLASS_COLORS, *(hex_rgb(c) for c in named)]


def test_the_layer_colours_mean_nothing_else_in_the_app() -> None:
    layers = [hex_rgb(c) for c in LAYER_COLORS]
    taken = taken_elsewhere()
    for colour in layers:
        nearest = min(distance(colour, other) for other in taken)
        assert nearest >= 20, f"{colour} is {nearest:.1f} from a colour used elsewhere"
    # in particular none is the diagram's gradient purple or green, which the plot used before
    gradient_ends = [
        PALETTES["standard"].gradients.negative,
        PALETTES["standard"].gradients.positive,
    ]
    assert not set(layers) & set(gradient_ends)


def pairs(items: list) -> list[tuple[int, int]]:
    return list(itertools.combinations(range(len(items)), 2))


def test_the_layer_colours_stay_apart_for_colour_blind_eyes_and_read_on_white() -> None:
    layers = [hex_rgb(c) for c in LAYER_COLORS]
    assert len(LAYER_COLORS) >= 7  # the vanishing-gradients lesson has seven weight matrices
    for first, (a, b) in ((i < 3 and j < 3, (layers[i], layers[j])) for i, j in pairs(layers)):
        assert distance(a, b) >= 20, (a, b)
        for deficiency in ("protanopia", "deuteranopia", "tritanopia"):
            assert distance(a, b, deficiency) >= (29 if first else 12), (a, b, deficiency)
    assert all(contrast_on_white(c) >= 4 for c in layers)


def test_layer_colours_are_given_first_to_last_and_repeat_beyond_the_palette() -> None:
    colours = [c.name() for c in layer_colors(len(LAYER_COLORS) + 1)]
    assert colours[: len(LAYER_COLORS)] == list(LAYER_COLORS)
    assert colours[-1] == LAYER_COLORS[0]
    assert layer_colors(0) == []


def test_an_earlier_run_is_dashed_by_its_number_and_lighter_with_age() -> None:
    assert faded_pen(TRAIN_COLOR, 0, 1).style() == Qt.PenStyle.DashLine
    assert faded_pen(TRAIN_COLOR, 0, 2).style() == Qt.PenStyle.DotLine
    assert faded_pen(TRAIN_COLOR, 0, len(FADED_DASHES)).style() == Qt.PenStyle.CustomDashLine
    assert faded_pen(TRAIN_COLOR, 3, 1).style() == Qt.PenStyle.DashLine  # age keeps the dash
    alphas = [faded_pen(TRAIN_COLOR, age).color().alpha() for age in range(8)]
    assert alphas == sorted(alphas, reverse=True) and alphas[-1] >= 60
    marks = [dash_mark(n) for n in range(1, len(FADED_DASHES) + 1)]
    assert len(set(marks)) == len(FADED_DASHES) and dash_mark(len(FADED_DASHES) + 1) == marks[0]

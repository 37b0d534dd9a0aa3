"""The layers' colours mean nothing else in the app, stay apart for every common kind of
colour blindness, and read on white; an earlier run's look follows its number and age."""

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

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
from tests.gui.colour_vision import contrast_on_white, distance

ERROR_REDS = ("#c0392b", "#b3261e")  # gui/diagram/editors.py, gui/lecture/trace_chooser.py
INK = ("#000000", "#202020")


# Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
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


def test_a_y_label_is_shown_only_where_it_fits_whole(plots) -> None:
    QApplication.processEvents()
    label = plots.accuracy_plot.getPlotItem().getAxis("left").label
    assert label.isVisible()
    plots.resize(450, 250)  # the plots of a 1280x720 window, and smaller
    QApplication.processEvents()
    assert not label.isVisible()  # rather than "ccuracy"
    plots.resize(450, 700)
    QApplication.processEvents()
    assert label.isVisible()

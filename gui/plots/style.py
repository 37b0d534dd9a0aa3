"""How the training plots look: colours, pens and the marks of their keys.

The live run is drawn in solid lines: train slate blue, test orange (the pair stays apart for
every common colour-vision deficiency), one colour per layer on the gradient plot.  An
earlier run is drawn in lighter dashed copies of the same colours: its dash is fixed by its
number (so it keeps its look as newer runs arrive), its lightness by its age.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPen

TRAIN_COLOR = "#2c3e66"  # dark slate blue
TEST_COLOR = "#e08000"  # orange
TEXT_COLOR = "#202020"
AXIS_COLOR = "#606060"
MARK_COLOR = "#505050"  # the learning-rate marks: ink, not data
FONT_PT = 10
LABEL_STYLE = {"font-size": "11pt", "color": TEXT_COLOR}
LIVE_MARK = "━━"

# One colour per weight matrix, first to last: eight apart (the vanishing-gradients lesson has
# seven).  The app already gives meanings to orange and blue (weights, activations, data, the
# train/test pair), purple and green (gradients), the Okabe-Ito class colours and red (errors),
# so the layers take hues none of those use: mustard, pink, wine, magenta, brown, khaki, dark
# teal and dusty rose (after ColorBrewer's Dark2 and Paul Tol's muted set).  Every pair stays
# apart in normal vision (CIELAB distance >= 20) and under simulated protanopia, deuteranopia
# and tritanopia (>= 12; the first three, what most networks use, >= 29); each is >= 20 from
# every colour used elsewhere and >= 4:1 against white.  tests/gui/plots/test_style.py holds
# the palette to these numbers.
LAYER_COLORS = (
    "#9c7a00",
    "#e7298a",
    "#6d1a36",
    "#ae017e",
    "#7f4f24",
    "#8a7f3a",
    "#225555",
    "#b5656b",
)

# Earlier runs: the newest is the most opaque, the oldest still visible on a projector.
FADED_RUNS = 8
FADED_ALPHA = tuple(int(a) for a in np.linspace(170, 75, FADED_RUNS))
FADED_WIDTH = 1.5
# Dashes cycled by run number (Qt's, then a long dash), with their look in text for the keys.
FADED_DASHES: tuple[tuple[Qt.PenStyle | tuple[float, ...], str], ...] = (
    (Qt.PenStyle.DashLine, "- -"),
    (Qt.PenStyle.DotLine, "···"),
    (Qt.PenStyle.DashDotLine, "-·-"),
    (Qt.PenStyle.DashDotDotLine, "-··"),
    ((8.0, 4.0), "— —"),  # dash, gap in pen widths
)


def layer_colors(layers: int) -> list[QColor]:
    """The colour of each of ``layers`` weight matrices, first to last (LAYER_COLORS, cycled)."""
    return [QColor(LAYER_COLORS[l % len(LAYER_COLORS)]) for l in range(layers)]


def faded_color(color: QColor | str, age: int) -> QColor:
    """``color`` as an earlier run ``age`` runs old (0 = the newest) draws it."""
    faded = QColor(color)
    faded.setAlpha(FADED_ALPHA[min(age, FADED_RUNS - 1)])
    return faded


def faded_pen(color: QColor | str, age: int, number: int = 1) -> QPen:
    """The pen of run ``number``'s curves, ``age`` runs ago: lighter and dashed."""
    pen = pg.mkPen(faded_color(color, age), width=FADED_WIDTH)
    dash = FADED_DASHES[(number - 1) % len(FADED_DASHES)][0]
    if isinstance(dash, Qt.PenStyle):
        pen.setStyle(dash)
    else:
        pen.setDashPattern(list(dash))
    return pen


def dash_mark(number: int) -> str:
    """Run ``number``'s dash pattern written as text, for the keys."""
    return FADED_DASHES[(number - 1) % len(FADED_DASHES)][1]


def swatch(color: QColor | str, mark: str = "&#9632;") -> str:
    """A coloured mark in rich text (a square, or a line like the curve's)."""
    color = QColor(color)
    alpha = color.alphaF()  # rich text has no alpha: blend onto the white background
    rgb = [round(alpha * c + (1 - alpha) * 255) for c in color.getRgb()[:3]]
    return f'<span style="color:#{rgb[0]:02x}{rgb[1]:02x}{rgb[2]:02x}">{mark}</span>'


def style_axes(item: pg.PlotItem, points: float = FONT_PT) -> None:
    """The left and bottom axes of ``item`` in the plots' grey, their ticks at ``points``,
    no SI prefixes (1e-3, not m)."""
    font = QFont()
    font.setPointSize(round(points))
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setPen(AXIS_COLOR)
        axis.setTextPen(TEXT_COLOR)
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)

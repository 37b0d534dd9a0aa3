"""Where the network diagram puts things: a pure function of layer sizes and view size.

Layers are columns from left to right; each column shows its neurons from the
top, centred vertically.  A layer with more neurons than fit is drawn with an
ellipsis: its first and last few neurons and a marker slot ("⋮ 120 more")
between them.  No Qt here, so the geometry is unit-tested directly and the
view only has to place items where this says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MARGIN = 10.0
BUTTON_ROW = 30.0  # the + / − buttons above the hidden layers
TITLE_ROW = 26.0  # "Hidden 1" above each column
NAME_ROW = 20.0  # an input's name beside its node: input nodes this far apart if they can be
CAPTION_ROW = 36.0  # "4 neurons · tanh" under each column (two lines where narrow)
ONE_LINE_CAPTION = 0.6  # the share of the caption row that one line of caption needs
LEGEND_ROW = 46.0  # the colour legend and the weights / gradients toggle
LEFT = 96.0  # room for the input feature names
RIGHT = 92.0  # room for the output column's caption
MIN_NODE = 18.0
MAX_NODE = 60.0
PITCH = 1.45  # node pitch / node size
MAX_SHOWN = 24  # never more slots than this in one column
MIN_SHOWN = 5
PICTURE_SLOTS = 11  # slots of a column beside an input picture (room for 8x8 weights)
# Presenting: room between two columns for a value card between their nodes, and the
# least height of the stage; the diagram is scaled up to fill the view, within limits.
CARD_GAP = 300.0
STAGE_HEIGHT = 400.0
MAX_STAGE_SCALE = 1.75


@dataclass(frozen=True)
class Room:
    """How a layout spends its room: the row of + / − buttons (``controls``), the
    ``margins`` left of the first column and right of the last, and how far apart a
    column's nodes may spread (``spread`` times the node size), and how large the type is
    (``text`` times its own size), and how many lines its captions take."""

    controls: bool = True
    margins: tuple[float, float] = (LEFT, RIGHT)
    spread: float = 1.8
    text: float = 1.0  # the type's scale: the title and caption rows grow with it
    caption_lines: int = 2  # the tallest caption's lines (one line: a lower caption row)
    picture: bool = False  # the inputs drawn as one picture (inputs with an input_shape)


# Presenting (lecture mode): no buttons, and nodes further apart so that the value cards
# between the edges have room; the view measures the margins its texts need.
STAGE_SPREAD = 2.6


@dataclass(frozen=True, eq=False)
class Column:
    """One layer's column: which neurons are drawn and where.

    ``shown`` are the indices of the drawn neurons, ``y`` their centres;
    ``hidden`` neurons are not drawn, and ``marker_y`` is where the ellipsis
    marker sits (None when every neuron is drawn).  An input column drawn as a picture
    (``picture``: its side) has no nodes: input j's edges leave the picture's right side
    at ``y[j]``, the heights of the picture's rows split evenly among their pixels, so
    that each pixel's edges start beside its own row.
    """

    layer: int
    size: int
    x: float
    shown: np.ndarray
    y: np.ndarray
    hidden: int
    marker_y: float | None
    picture: float = 0.0  # the input picture's side (0: the inputs are nodes)


@dataclass(frozen=True, eq=False)
class DiagramLayout:
    """Every position the diagram needs, in scene pixels (the scene is width x height)."""

    width: float
    height: float
    node_size: float
    pitch: float
    columns: tuple[Column, ...]
    button_y: float
    title_y: float
    nodes_top: float
    nodes_bottom: float
    caption_y: float
    legend_y: float

    def gap(self) -> float:
        """Horizontal distance between two neighbouring columns."""
        if len(self.columns) < 2:
            return self.width
        return self.columns[1].x - self.columns[0].x


def shown_slots(size: int, cap: int) -> tuple[np.ndarray, int]:
    """The neurons drawn for a layer of ``size`` with at most ``cap`` slots, and how many
    are hidden.  An ellipsis takes one slot: the first half and the last half are drawn."""
    if size <= cap:
        return np.arange(size), 0
    head = cap // 2
    tail = cap - 1 - head
    shown = np.concatenate([np.arange(head), np.arange(size - tail, size)])
    return shown, size - head - tail


def diagram_layout(
    layers: Sequence[int],
    width: float,
    height: float,
    max_shown: int = MAX_SHOWN,
    min_node: float = MIN_NODE,
    room: Room = Room(),
) -> DiagramLayout:
    """Columns evenly spread between the margins, node size from the tallest column.

    The node size is what fits both vertically (tallest column's slots) and
    horizontally (a third of the gap between columns), within MIN_NODE..MAX_NODE;
    a column needing more slots than fit at ``min_node`` (or than ``max_shown``) gets an
    ellipsis.  ``room`` says whether the row of + / − buttons is there (not in lecture
    mode or films), the side margins and how far apart nodes may spread.
    """
    buttons = BUTTON_ROW if room.controls else 0.0
    title, caption = TITLE_ROW * room.text, CAPTION_ROW * room.text
    if room.caption_lines < 2:
        caption *= ONE_LINE_CAPTION
    top = MARGIN + buttons + title + 6
    bottom = height - MARGIN - LEGEND_ROW - caption - 4
    area = max(bottom - top, min_node * PITCH * MIN_SHOWN)
    cap = int(np.clip(area // (min_node * PITCH), MIN_SHOWN, max(max_shown, MIN_SHOWN)))
    if room.picture:  # fewer, larger neurons: their squares show the picture's weights
        cap = min(cap, PICTURE_SLOTS)
    slots = max(min(n, cap) for n in (layers[1:] if room.picture else layers) or layers)
    left, right = room.margins
    xs = np.linspace(left, max(width - right, left + 1.0), max(len(layers), 2))[: len(layers)]
    gap = (xs[1] - xs[0]) if len(layers) > 1 else width
    node = float(np.clip(min(area / (slots * PITCH), gap / 3.0), min_node, MAX_NODE))
    pitch = float(min(area / slots, node * room.spread))
    # The inputs' names need a row each: a long input layer (64 pixels) folds more of its
    # neurons into the ellipsis than the others do, so that large type never overlaps.
    name_row = NAME_ROW * room.text
    named_cap = int(np.clip(area // name_row, MIN_SHOWN, cap))
    named = min(area / min(layers[0], named_cap), max(pitch, name_row))  # inputs' names
    centre = (top + bottom) / 2
    if room.picture:  # the inputs as one picture, as large as its margin and gap allow
        side = float(min(2 * left - 2 * MARGIN, gap * 0.6, area * 0.62, 220.0))
        pixels = np.arange(layers[0])
        y = centre - side / 2 + (pixels + 0.5) * side / max(layers[0], 1)
        first = Column(0, layers[0], float(xs[0]), pixels, y, 0, None, side)
    columns = tuple(
        _column(layer, n, float(x), cap, centre, pitch)
        if layer
        else _column(layer, n, float(x), named_cap, centre, named)
        for layer, (n, x) in enumerate(zip(layers, xs))
    )
    if room.picture:
        columns = (first, *columns[1:])
    return DiagramLayout(
        width=float(width),
        height=float(height),
        node_size=node,
        pitch=pitch,
        columns=columns,
        button_y=MARGIN + buttons / 2,
        title_y=MARGIN + buttons + title / 2,
        nodes_top=top,
        nodes_bottom=bottom,
        caption_y=height - MARGIN - LEGEND_ROW - caption / 2,
        legend_y=height - MARGIN - LEGEND_ROW / 2,
    )


def _column(layer: int, size: int, x: float, cap: int, centre: float, pitch: float) -> Column:
    """A column of at most ``cap`` slots centred on ``centre``; the ellipsis takes the
    middle slot of a layer that does not fit."""
    shown, hidden = shown_slots(size, cap)
    count = len(shown) + (1 if hidden else 0)
    slot_y = centre + (np.arange(count) - (count - 1) / 2) * pitch
    if not hidden:
        return Column(layer, size, x, shown, slot_y, 0, None)
    head = cap // 2
    return Column(layer, size, x, shown, np.delete(slot_y, head), hidden, float(slot_y[head]))


def stage_scale(
    view_width: float, view_height: float, columns: int, margins: tuple[float, float]
) -> float:
    """How much larger to draw the diagram when presenting: as large as the view allows
    while each gap between columns keeps CARD_GAP (scene pixels) for the value cards and
    the stage is at least STAGE_HEIGHT tall; between 1 and MAX_STAGE_SCALE."""
    width = sum(margins) + max(columns - 1, 1) * CARD_GAP
    fit = min(view_width / width, view_height / STAGE_HEIGHT)
    return float(np.clip(fit, 1.0, MAX_STAGE_SCALE))

"""Lecture mode's stage on the network diagram: one frame of the animated iteration.

A :class:`Stage` says what is lit in a frame: neurons, edges, the numbers beside them and
where the travelling pulse is.  :class:`StageOverlay` puts it on a
:class:`gui.diagram.scene.DiagramScene`: lit neurons get a strong outline and the rest
fade, the active edges keep their colour (the view dims the others through the edge
layer's emphasis, see :meth:`StageOverlay.emphasis`), value labels sit beside nodes and
edges, and one batched item draws the pulse dots.  A frame that differs only in ``pulse``
moves the dots and touches nothing else, so an animation can call it every frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from gui.diagram.items import INK, diagram_font

DIRECTIONS = (None, "forward", "backward")
NO_CACHE = QGraphicsItem.CacheMode.NoCache
DIM_OPACITY = 0.22  # neurons that are not lit, while dim_others
LABEL_POINTS = 12.5
LABEL_GAP = 8.0  # between a node's side (or bias glyph) and its label
LABEL_Z, DOT_Z = 5.0, 6.0  # above neurons (2) and texts (3); dots pass over the labels
PAPER = QColor(255, 255, 255, 242)
FRAME = QColor(120, 126, 136)
DOT_RING = QColor(255, 255, 255)


@dataclass(frozen=True)
class Stage:
    """One frame of lecture mode.  ``neurons`` (app layer, index) are lit and ``edges``
    (l, i, j) = weights[l][i, j] are active; ``node_values`` / ``edge_values`` are texts
    (formatted by the caller) beside a node / an edge; ``dim_others`` fades what is not
    lit; ``pulse`` (0..1, None: no dot) is where a dot is along each active edge, running
    left to right for ``direction`` 'forward' (and for None) and right to left for
    'backward'."""

    neurons: tuple[tuple[int, int], ...] = ()
    edges: tuple[tuple[int, int, int], ...] = ()
    direction: str | None = None
    node_values: dict[tuple[int, int], str] = field(default_factory=dict)
    edge_values: dict[tuple[int, int, int], str] = field(default_factory=dict)
    dim_others: bool = True
    pulse: float | None = None

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}: use 'forward' or 'backward'")
        if self.pulse is not None and not np.isfinite(self.pulse):
            raise ValueError(f"pulse must be a number in 0..1 or None, not {self.pulse}")
        keys = lambda items: tuple(tuple(int(v) for v in key) for key in items)  # noqa: E731
        object.__setattr__(self, "neurons", keys(self.neurons))
        object.__setattr__(self, "edges", keys(self.edges))

    def same_frame(self, other: Stage | None) -> bool:
        """The same stage as ``other`` except perhaps for the pulse."""
        return other is not None and replace(self, pulse=None) == replace(other, pulse=None)


def ranked_fractions(y0: np.ndarray, y1: np.ndarray) -> np.ndarray:
    """Fractions t (0.27..0.73) along edges from heights ``y0`` to ``y1``, best first: where
    their points are furthest apart vertically (the closest pair; the leftmost of equals),
    or for a single edge, nearest its midpoint."""
    y0, y1 = np.asarray(y0, dtype=float), np.asarray(y1, dtype=float)
    fractions = np.arange(8, 23) / 30  # steps of 1/30, with 1/3, 1/2 and 2/3
    if len(y0) < 2:
        return fractions[np.argsort(np.abs(fractions - 0.5), kind="stable")]
    ys = np.sort(y0[None, :] + fractions[:, None] * (y1 - y0)[None, :], axis=1)
    closest = np.round(np.diff(ys, axis=1).min(axis=1))
    return fractions[np.lexsort((fractions, -closest))]


def spread_fraction(y0: np.ndarray, y1: np.ndarray) -> float:
    """The best of :func:`ranked_fractions`."""
    return float(ranked_fractions(y0, y1)[0])


def _overlaps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether rectangles (..., left, top, right, bottom) overlap with some area, pairwise:
    a (F, n, 4) against b (F or 1, m, 4) gives (F, n, m)."""
    a, b = a[:, :, None, :], b[:, None, :, :]
    return (
        (a[..., 0] < b[..., 2])
        & (a[..., 2] > b[..., 0])
        & (a[..., 1] < b[..., 3])
        & (a[..., 3] > b[..., 1])
    )


class ValueLabel(QGraphicsItem):
    """A number on a white rounded card, readable over edges: its box starts at the anchor
    (``side='right'``), ends there (``'left'``) or is centred on it (``'centre'``)."""

    def __init__(self, text: str, side: str = "centre") -> None:
        super().__init__()
        self._text, self.side = text, side
        self.font = diagram_font(LABEL_POINTS)
        size = QFontMetricsF(self.font).boundingRect(QRectF(0, 0, 2000, 2000), 0, text)
        w, h = size.width() + 14, size.height() + 6
        left = {"right": 0.0, "left": -w}.get(side, -w / 2)
        self._rect = QRectF(left, -h / 2, w, h)
        self.setZValue(LABEL_Z)

    def text(self) -> str:
        """The text shown."""
        return self._text

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(FRAME, 1.0))
        painter.setBrush(PAPER)
        painter.drawRoundedRect(self._rect, 5, 5)
        painter.setFont(self.font)
        painter.setPen(INK)
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self._text)


class PulseDots(QGraphicsItem):
    """The travelling dots of a frame, all in one item: dot k is at
    ``starts[k] + fraction * steps[k]``; :meth:`set_fraction` only moves them."""

    def __init__(self) -> None:
        super().__init__()
        self.starts = np.empty((0, 2))
        self.steps = np.empty((0, 2))
        self.points = np.empty((0, 2))
        self.radius = 6.0
        self._rect = QRectF()
        self.setZValue(DOT_Z)

    def set_paths(self, starts: np.ndarray, ends: np.ndarray, radius: float) -> None:
        """Dots run from ``starts`` to ``ends`` ((n, 2) scene points each)."""
        self.prepareGeometryChange()
        self.starts = np.asarray(starts, dtype=float).reshape(-1, 2)
        self.steps = np.asarray(ends, dtype=float).reshape(-1, 2) - self.starts
        self.points = self.starts.copy()
        self.radius = float(radius)
        if len(self.starts):
            both = np.concatenate([self.starts, self.starts + self.steps])
            lo, hi = both.min(axis=0), both.max(axis=0)
            pad = self.radius + 2
            self._rect = QRectF(*lo, *(hi - lo)).adjusted(-pad, -pad, pad, pad)
        else:
            self._rect = QRectF()

    def set_fraction(self, fraction: float) -> None:
        """Put every dot at ``fraction`` (clamped to 0..1) of its path."""
        self.points = self.starts + float(np.clip(fraction, 0.0, 1.0)) * self.steps
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(DOT_RING, 2.0))
        painter.setBrush(INK)
        r = self.radius
        for x, y in self.points.tolist():
            painter.drawEllipse(QPointF(x, y), r, r)


class StageOverlay:
    """Shows a :class:`Stage` on a DiagramScene and takes it off again.  The dots item
    lives as long as the scene (hidden without a pulse); labels come and go with frames."""

    def __init__(self, scene) -> None:
        self.scene = scene
        self.stage: Stage | None = None
        self.labels: list[ValueLabel] = []
        self.dots = PulseDots()
        self.dots.setVisible(False)
        scene.addItem(self.dots)

    def show(self, stage: Stage | None) -> bool:
        """Show ``stage`` (None: none).  Returns whether the edges need recolouring: not
        when only the pulse moved."""
        old, self.stage = self.stage, stage
        if stage is not None and stage.same_frame(old):
            self._move_dots()
            return False
        self.place()
        return True

    def emphasis(self, fallback: np.ndarray | None) -> np.ndarray | None:
        """Which edges stay strong: the active ones while a stage dims the others, else
        ``fallback`` (the selection's)."""
        stage = self.stage
        if stage is None:
            return fallback
        if not stage.dim_others or not len(self.scene.edges.ids):
            return None
        return self._edge_mask(stage.edges)

    def place(self) -> None:
        """(Re)build the frame's look on the scene's current items (after every rebuild)."""
        for item in self.labels:
            self.scene.removeItem(item)
        self.labels = []
        stage = self.stage
        self._speed_up(stage is not None)
        for key, item in self.scene.neurons.items():
            item.lit = stage is not None and key in stage.neurons
            dim = stage is not None and stage.dim_others and not item.lit
            item.setOpacity(DIM_OPACITY if dim else 1.0)
            item.update()
        if stage is None or self.scene.layout is None:
            self.dots.set_paths(np.empty((0, 2)), np.empty((0, 2)), 0.0)
            self._move_dots()
            return
        self._place_node_labels(stage)
        self._place_edge_labels(stage)
        self._place_dots(stage)

    # ------------------------------------------------------------------ parts

    def _speed_up(self, on: bool) -> None:
        """While staged, the edges and neurons keep their painting in pixmaps (redrawn when
        they change): a frame then only repaints the dots.  Faded edges are opaque blends
        into the background (translucent wide lines take ~25 ms for 2-8-8-8-1)."""
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if on else NO_CACHE
        for item in (self.scene.edges, *self.scene.neurons.values()):
            if item.cacheMode() != mode:
                item.setCacheMode(mode)
        self.scene.edges.fade_into = self.scene.backgroundBrush().color() if on else None

    def _edge_mask(self, keys) -> np.ndarray:
        ids = self.scene.edges.ids
        wanted = np.array(list(keys), dtype=int).reshape(-1, 3)
        if not len(wanted):
            return np.zeros(len(ids), bool)
        return (ids[:, None, :] == wanted[None, :, :]).all(axis=2).any(axis=1)

    def _add_label(self, text: str, side: str, x: float, y: float) -> ValueLabel:
        label = ValueLabel(text, side)
        label.setPos(x, y)
        self.scene.addItem(label)
        self.labels.append(label)
        return label

    def _place_node_labels(self, stage: Stage) -> None:
        """Beside each node, on the side its frame's active edges leave free: right, but
        left of the output nodes (nothing is right of them), above them when active edges
        come into them, and left of nodes whose active edges all leave to the right (a
        backward frame's hidden deltas).  Where that side is taken by other neurons or
        labels (deep nets have narrow columns), the first free of: above, below, the other
        side."""
        last = len(self.scene.layout.columns) - 1
        active = {int(l) for l, _, _ in stage.edges}
        neurons = {key: item.sceneBoundingRect() for key, item in self.scene.neurons.items()}
        for (layer, i), text in stage.node_values.items():
            item = self.scene.neurons.get((layer, i))
            if item is None or not text:
                continue
            if layer == last and last - 1 in active:
                order = ("above", "below", "left")
            elif layer == last or (layer > 0 and layer in active and layer - 1 not in active):
                order = ("left", "above", "below", "right")
            else:
                order = ("right", "above", "below", "left")
            label = self._add_label(text, "centre", 0.0, 0.0)
            taken = [rect for key, rect in neurons.items() if key != (layer, i)]
            taken += [other.sceneBoundingRect() for other in self.labels if other is not label]
            for side in order:
                label.setPos(self._beside(item, label, side))
                self._keep_inside(label)
                rect = label.sceneBoundingRect()
                if not any(rect.intersects(other) for other in taken):
                    break
            else:
                label.setPos(self._beside(item, label, order[0]))
                self._keep_inside(label)

    @staticmethod
    def _beside(item, label: ValueLabel, side: str) -> QPointF:
        """The centre of ``label`` placed ``side`` of neuron ``item`` (its body and bias)."""
        body, box = item.body(), label.boundingRect()
        x, y = item.x() + body.center().x(), item.y() + body.center().y()
        if side == "left":
            return QPointF(item.x() + item.bias_rect().left() - LABEL_GAP - box.width() / 2, y)
        if side == "right":
            return QPointF(item.x() + body.right() + LABEL_GAP + box.width() / 2, y)
        lift = body.height() / 2 + LABEL_GAP + box.height() / 2
        return QPointF(x, y - lift if side == "above" else y + lift + LABEL_GAP)

    def _keep_inside(self, label: ValueLabel) -> None:
        """Slide ``label`` left or right so that it stays inside the scene."""
        rect, bounds = label.sceneBoundingRect(), self.scene.sceneRect()
        if rect.right() > bounds.right():
            label.moveBy(bounds.right() - rect.right(), 0)
        elif rect.left() < bounds.left():
            label.moveBy(bounds.left() - rect.left(), 0)

    def _place_edge_labels(self, stage: Stage) -> None:
        """Each weight layer's labels at one fraction t along its edges (so they line up in
        a column): the t that keeps them furthest apart (1/3 for the crossing edges of two
        neurons to two, whose midpoints coincide) and clear of each other, the node labels
        and the neurons.  Where the whole texts fit nowhere, the numbers alone (the edge
        says which weight); where those do not fit either, none (a wide layer's frame: per
        neuron, or the equation panel, gives the numbers)."""
        edges = self.scene.edges
        index = {tuple(row): k for k, row in enumerate(edges.ids.tolist())}
        drawn = [(index[key], text) for key, text in stage.edge_values.items() if key in index]
        items = [*self.labels, *self.scene.neurons.values()]
        obstacles = np.array([[*item.sceneBoundingRect().getCoords()] for item in items])
        obstacles = obstacles.reshape(-1, 4)
        layers = edges.ids[:, 0]
        for l in sorted({int(layers[k]) for k, _ in drawn}):
            chosen = [(k, text) for k, text in drawn if layers[k] == l and text]
            ends = edges.ends[[k for k, _ in chosen]]
            texts = [text for _, text in chosen]
            numbers = [text.rpartition(" = ")[2] or text for text in texts]
            if not self._fit_column(texts, ends, obstacles):
                self._fit_column(numbers, ends, obstacles)

    def _fit_column(self, texts: list[str], ends: np.ndarray, obstacles: np.ndarray) -> bool:
        """Put ``texts`` on their edges (``ends`` rows x0, y0, x1, y1) at the first ranked
        fraction where they are clear of ``obstacles`` (rows left, top, right, bottom) and
        of each other; False (and no labels) if there is none.  Every fraction is tried at
        once, in arrays: a wide layer has hundreds of pairs to test."""
        placed = [self._add_label(text, "centre", 0.0, 0.0) for text in texts]
        boxes = np.array([[*label.boundingRect().getCoords()] for label in placed])
        fractions = ranked_fractions(ends[:, 1], ends[:, 3])
        anchors = ends[None, :, :2] + fractions[:, None, None] * (ends[:, 2:] - ends[:, :2])
        rects = np.concatenate([anchors + boxes[None, :, :2], anchors + boxes[None, :, 2:]], 2)
        clear = ~_overlaps(rects, obstacles[None]).any(axis=(1, 2))
        pairs = _overlaps(rects, rects)  # (fraction, label, label)
        pairs[:, np.arange(len(placed)), np.arange(len(placed))] = False
        clear &= ~pairs.any(axis=(1, 2))
        if not clear.any():
            for label in placed:
                self.scene.removeItem(label)
                self.labels.remove(label)
            return False
        best = int(np.argmax(clear))  # the first clear fraction in rank order
        for label, (x, y) in zip(placed, anchors[best].tolist()):
            label.setPos(x, y)
        return True

    def _place_dots(self, stage: Stage) -> None:
        """A dot's path per drawn active edge, in the pulse's direction."""
        ends = self.scene.edges.ends[self._edge_mask(stage.edges)]
        left, right = ends[:, :2], ends[:, 2:]
        if stage.direction == "backward":
            left, right = right, left
        radius = float(np.clip(self.scene.layout.node_size * 0.13, 5.0, 8.0))
        self.dots.set_paths(left, right, radius)
        self._move_dots()

    def _move_dots(self) -> None:
        stage = self.stage
        shown = stage is not None and stage.pulse is not None and len(self.dots.starts) > 0
        if shown:
            self.dots.set_fraction(stage.pulse)
        self.dots.setVisible(shown)

"""Lecture mode's stage on the network diagram: one frame of the animated iteration.

A :class:`Stage` says what is lit in a frame: neurons, edges, the numbers beside them, the
traced sample's inputs and targets, and where the travelling pulse is.  :class:`StageOverlay`
puts it on a :class:`gui.diagram.scene.DiagramScene`: lit neurons get a strong outline and
the rest fade, the active edges keep their colour (the view dims the others through the
edge layer's emphasis, see :meth:`StageOverlay.emphasis`), value cards
(:class:`gui.diagram.cards.ValueLabel`) sit beside nodes and on edges, and one batched item
draws the pulse dots.  Every card either names what it belongs to or sits unmistakably on
its own edge.  A frame that differs only in ``pulse`` moves the dots and touches nothing
else, so an animation can call it every frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from gui.diagram.cards import (
    LABEL_GAP,
    ValueLabel,
    called_for,
    clear_of_edge_cards,
    fit_column,
    fit_staggered,
    neuron_rect,
    number_alone,
    spread_fraction,
    stacked,
)
from gui.diagram.items import LabelItem
from gui.diagram.path import PathGlow
from gui.diagram.pulse import PulseDots

__all__ = ["Stage", "StageOverlay", "PulseDots", "ValueLabel", "spread_fraction"]

DIRECTIONS = (None, "forward", "backward")
NO_CACHE = QGraphicsItem.CacheMode.NoCache
SHRUNK = 0.8  # a card with no room at its own size tries this much smaller type
# Where the traced sample's cards go, the first side with room for the whole column: the
# inputs under their nodes (the active edges leave them to the right, their names are on
# the left), the targets right of the outputs (see _place_column); where no side has room,
# the numbers alone, each on its own node.
INPUT_SIDES = ("below", "above", "apart")
TARGET_SIDES = ("right", "below", "above", "apart")


@dataclass(frozen=True)
class Stage:
    """One frame of lecture mode.  ``neurons`` (app layer, index) are lit and ``edges``
    (l, i, j) = weights[l][i, j] are active; ``node_values`` / ``edge_values`` are texts
    (formatted by the caller) beside a node / on an edge; ``inputs`` / ``targets`` are
    the traced sample's input i and target k (formatted), on input node i and beside output
    node k; ``dim_others`` fades what is not lit; ``pulse`` (0..1, None: no dot) is where
    a dot is along each active edge, running left to right for ``direction`` 'forward'
    (and for None) and right to left for 'backward'; ``pinned``: the edge values that are
    pins, not the frame's own (the panel does not list them)."""

    neurons: tuple[tuple[int, int], ...] = ()
    edges: tuple[tuple[int, int, int], ...] = ()
    direction: str | None = None
    node_values: dict[tuple[int, int], str] = field(default_factory=dict)
    edge_values: dict[tuple[int, int, int], str] = field(default_factory=dict)
    inputs: dict[int, str] = field(default_factory=dict)
    targets: dict[int, str] = field(default_factory=dict)
    dim_others: bool = True
    pulse: float | None = None
    path_neurons: tuple[tuple[int, int], ...] = ()
    path_edges: tuple[tuple[int, int, int], ...] = ()
    pinned: tuple[tuple[int, int, int], ...] = ()

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}: use 'forward' or 'backward'")
        if self.pulse is not None and not np.isfinite(self.pulse):
            raise ValueError(f"pulse must be a number in 0..1 or None, not {self.pulse}")
        keys = lambda items: tuple(tuple(int(v) for v in key) for key in items)  # noqa: E731
        for name in ("neurons", "edges", "path_neurons", "path_edges", "pinned"):
            object.__setattr__(self, name, keys(getattr(self, name)))

    def same_frame(self, other: Stage | None) -> bool:
        """The same stage as ``other`` except perhaps for the pulse."""
        return other is not None and replace(self, pulse=None) == replace(other, pulse=None)


class StageOverlay:
    """Shows a :class:`Stage` on a DiagramScene and takes it off again.  The dots item
    lives as long as the scene (hidden without a pulse); labels come and go with frames."""

    def __init__(self, scene) -> None:
        self.scene = scene
        self.stage: Stage | None = None
        self.labels: list[ValueLabel] = []
        self.missing = 0  # cards the frame calls for that the diagram could not show
        self.marker: LabelItem | None = None  # "3 more in the panel"
        self.dots = PulseDots()
        self.dots.setVisible(False)
        self.path = PathGlow()
        self.path.setVisible(False)
        scene.addItem(self.dots)
        scene.addItem(self.path)

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
        return self._edge_mask((*stage.edges, *stage.path_edges))

    def place(self) -> None:
        """(Re)build the frame's look on the scene's current items (after every rebuild)."""
        for item in self.labels + ([self.marker] if self.marker else []):
            self.scene.removeItem(item)
        self.labels, self.marker, self.missing = [], None, 0
        stage = self.stage
        self._speed_up(stage is not None)
        on_path = () if stage is None else stage.path_neurons
        for key, item in self.scene.neurons.items():
            item.lit = stage is not None and key in stage.neurons
            dim = stage is not None and stage.dim_others and not item.lit and key not in on_path
            item.setOpacity(self.scene.colours.dim_nodes if dim else 1.0)
            item.update()
        if stage is None or self.scene.layout is None:
            self.dots.set_paths(np.empty((0, 2)), np.empty((0, 2)), 0.0)
            self._move_dots()
            self.path.set_path(np.empty((0, 4)), [], 0.0)
            return
        self._place_path(stage)
        self._place_sample_labels(stage)
        self._place_node_labels(stage)
        self._place_edge_labels(stage)
        self._mark_missing(stage)
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
        self.scene.edges.fade_share = self.scene.colours.dim_edges

    def _edge_mask(self, keys) -> np.ndarray:
        ids = self.scene.edges.ids
        wanted = np.array(list(keys), dtype=int).reshape(-1, 3)
        if not len(wanted):
            return np.zeros(len(ids), bool)
        return (ids[:, None, :] == wanted[None, :, :]).all(axis=2).any(axis=1)

    def _add_label(
        self, text: str, owner: tuple, named: bool = True, scale: float = 1.0
    ) -> ValueLabel:
        label = ValueLabel(text, "centre", owner, named, self.scene.text_scale * scale)
        self.scene.addItem(label)
        self.labels.append(label)
        return label

    def _scene_texts(self) -> list[QRectF]:
        """The diagram's own texts (titles, input names, captions, markers, the legend):
        the cards keep clear of them."""
        scene = self.scene
        texts = [item for item in scene.items() if isinstance(item, LabelItem)]
        return [item.sceneBoundingRect() for item in (*texts, scene.legend) if item.isVisible()]

    def _place_sample_labels(self, stage: Stage) -> None:
        """The traced sample's inputs and targets, each column on the first of its sides
        (INPUT_SIDES, TARGET_SIDES) where all its cards are clear of the other neurons, the
        diagram's texts and each other; else on their own nodes.  Above or below a node, a
        card wider than it reaches away from the edges: an input's to the left, a target's
        to the right (so the first and last gaps stay free for the edges' cards)."""
        last = len(self.scene.layout.columns) - 1
        for kind, layer, values, sides, reach in (
            ("input", 0, stage.inputs, INPUT_SIDES, -1.0),
            ("target", last, stage.targets, TARGET_SIDES, 1.0),
        ):
            pairs = [
                (self.scene.neurons[(layer, i)], self._add_label(text, (kind, layer, i)))
                for i, text in values.items()
                if (layer, i) in self.scene.neurons and text
            ]
            if pairs:
                self._place_column(pairs, sides, reach)

    def _place_column(self, pairs: list[tuple], sides: tuple[str, ...], reach: float) -> None:
        """Each (neuron, card) of ``pairs`` on the first of ``sides`` with room for all,
        reaching to the ``reach`` side (-1 left, 1 right) above or below its neuron; 'apart':
        a column of two above the first and below the second.  Else the numbers alone, each
        on its neuron
        (clear of the input names), or none where even those would overlap."""
        cards = {id(card) for _, card in pairs}
        fixed = self._scene_texts()
        fixed += [label.sceneBoundingRect() for label in self.labels if id(label) not in cards]
        for side in sides:
            if side == "apart" and len(pairs) != 2:
                continue
            for k, (item, card) in enumerate(pairs):
                where = ("above", "below")[k] if side == "apart" else side
                card.setPos(self._beside(item, card, where))
                if where in ("above", "below"):
                    card.moveBy(reach * max(card.boundingRect().width() - item.size, 0) / 2, 0)
                self._keep_inside(card)
            if all(self._clear(card, fixed, pairs) for _, card in pairs):
                return
        for item, card in pairs:
            self.scene.removeItem(card)
            self.labels.remove(card)
            alone = self._add_label(number_alone(card.text()), card.owner, named=False)
            alone.setPos(self._beside(item, alone, "on"))
            for text in fixed:  # clear of the input names
                rect = alone.sceneBoundingRect()
                if rect.intersects(text):
                    alone.moveBy(text.right() - rect.left() + 2, 0)
        alone = [label for label in self.labels if label.owner in {c.owner for _, c in pairs}]
        rects = [label.sceneBoundingRect() for label in alone]
        if any(a.intersects(b) for k, a in enumerate(rects) for b in rects[k + 1 :]):
            for label in alone:  # a column too dense even for its numbers: the panel has them
                self.scene.removeItem(label)
                self.labels.remove(label)
            return
        for label, (item, _) in zip(alone, pairs):  # a number slid onto another neuron or a
            rect = label.sceneBoundingRect()  # text has no room either: the panel has it
            others = [neuron_rect(n) for n in self.scene.neurons.values() if n is not item]
            if any(rect.intersects(r) for r in (*others, *fixed)):
                self.scene.removeItem(label)
                self.labels.remove(label)

    def _clear(self, card: ValueLabel, fixed: list, pairs: list) -> bool:
        """Whether ``card`` is clear of the ``fixed`` rectangles, of
        the other cards of ``pairs`` and of the neurons."""
        rect = card.sceneBoundingRect()
        others = [c.sceneBoundingRect() for _, c in pairs if c is not card]
        others += [neuron.sceneBoundingRect() for neuron in self.scene.neurons.values()]
        return not any(rect.intersects(other) for other in (*fixed, *others))

    def _place_node_labels(self, stage: Stage) -> None:
        """Beside each node, on the side its frame's active edges leave free: right, but
        left of the output nodes (nothing is right of them), above them when active edges
        come into them, and left of nodes whose active edges all leave to the right (a
        backward frame's hidden deltas).  Where that side is taken by other neurons, cards
        or the diagram's texts (deep nets have narrow columns), the first free of: above,
        below, the other side; then the same in smaller type (SHRUNK); where none is free,
        no card (the frame says how many the panel has)."""
        last = len(self.scene.layout.columns) - 1
        active = {int(l) for l, _, _ in stage.edges}
        carded = {int(l) for l, _, _ in stage.edge_values}  # weight layers with edge cards
        neurons = {key: item.sceneBoundingRect() for key, item in self.scene.neurons.items()}
        texts = self._scene_texts()
        for (layer, i), text in stage.node_values.items():
            item = self.scene.neurons.get((layer, i))
            if item is None or not text:
                continue
            if layer == last and last - 1 in active:
                order = ("above", "below", "left")
            elif layer == last or (layer in active and layer - 1 not in active):
                order = ("left", "above", "below", "right")
            else:
                order = ("right", "above", "below", "left")
            order = clear_of_edge_cards(order, layer, carded)
            taken = [rect for key, rect in neurons.items() if key != (layer, i)] + texts
            taken.append(neuron_rect(item))  # its own square and bias glyph stay in view
            taken += [other.sceneBoundingRect() for other in self.labels]
            for scale in (1.0, SHRUNK):
                label = self._add_label(text, ("node", layer, i), scale=scale)
                if any(self._free_beside(item, label, side, taken) for side in order):
                    break
                self.scene.removeItem(label)
                self.labels.remove(label)

    def _free_beside(self, item, label: ValueLabel, side: str, taken: list[QRectF]) -> bool:
        """Put ``label`` ``side`` of neuron ``item``; whether it lies inside the scene clear
        of every rectangle of ``taken``."""
        label.setPos(self._beside(item, label, side))
        self._keep_inside(label)
        rect = label.sceneBoundingRect()
        inside = self.scene.sceneRect().contains(rect)
        return inside and not any(rect.intersects(other) for other in taken)

    @staticmethod
    def _beside(item, label: ValueLabel, side: str) -> QPointF:
        """The centre of ``label`` placed ``side`` of neuron ``item`` (its body and bias),
        or 'on' it."""
        body, box = item.body(), label.boundingRect()
        x, y = item.x() + body.center().x(), item.y() + body.center().y()
        if side == "left":
            return QPointF(item.x() + item.bias_rect().left() - LABEL_GAP - box.width() / 2, y)
        if side == "right":
            return QPointF(item.x() + body.right() + LABEL_GAP + box.width() / 2, y)
        if side == "on":
            return QPointF(x, y)
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
        """Each weight layer's cards at one fraction t along its edges (so they line up in
        a column): the t that keeps them furthest apart (1/3 for the crossing edges of two
        neurons to two, whose midpoints coincide) and clear of each other, the other cards,
        the neurons and the diagram's texts.  Where the whole texts fit in no column, each at
        a fraction of its own; then each name over its number (narrower); then the numbers
        alone, but only where each is unmistakably on its own edge (see _fit_column; only
        the strong edges count: the frame's, when the others fade); where those do not fit
        either, as many whole texts as have room, the frame's own first (the equation
        panel gives the rest)."""
        edges = self.scene.edges
        index = {tuple(row): k for k, row in enumerate(edges.ids.tolist())}
        drawn = [(index.get(key), key, text) for key, text in stage.edge_values.items() if text]
        drawn = [(k, key, text) for k, key, text in drawn if k is not None]
        rects = [label.sceneBoundingRect() for label in self.labels] + self._scene_texts()
        rects += [neuron_rect(neuron) for neuron in self.scene.neurons.values()]
        obstacles = np.array([[*rect.getCoords()] for rect in rects]).reshape(-1, 4)
        strong = self._edge_mask(stage.edges) if stage.dim_others else np.ones(len(index), bool)
        for l in sorted({key[0] for _, key, _ in drawn}):
            rows = [(k, key, text, True) for k, key, text in drawn if key[0] == l]
            if fit_column(self, rows, obstacles) or fit_staggered(self, rows, obstacles):
                continue
            if fit_column(self, [(k, key, stacked(t), True) for k, key, t, _ in rows], obstacles):
                continue
            alone = [(k, key, number_alone(t), number_alone(t) == t) for k, key, t, _ in rows]
            strong_l = np.flatnonzero(strong & (edges.ids[:, 0] == l))
            if all(named for *_, named in alone) or not fit_column(
                self, alone, obstacles, strong_l
            ):
                named = [row for row in rows if number_alone(row[2]) != row[2]]
                fit_staggered(self, named, obstacles, partial=True)  # as many as have room

    def _mark_missing(self, stage: Stage) -> None:
        """Say on the diagram how many of the frame's cards it could not show (the equation
        panel has them all) and how many pins: right of the legend, where lecture mode
        hides the toggle."""
        layout = self.scene.layout
        lost = called_for(stage, len(layout.columns) - 1) - {label.owner for label in self.labels}
        pins = len(lost & {("edge", *key) for key in stage.pinned})
        self.missing = len(lost)
        if self.missing:
            text = " · ".join(
                [f"{self.missing - pins} more in the panel ▸"] * (self.missing > pins)
                + [f"{pins} pinned without room"] * (pins > 0)
            )
            font, ink = self.scene.text_font(11.0, bold=True), QColor(*self.scene.colours.ink)
            self.marker = LabelItem(text, font, ink, "right")
            self.marker.setPos(layout.width - 12, layout.legend_y)
            self.marker.setToolTip("Values that the diagram has no room for this frame")
            self.scene.addItem(self.marker)

    def _place_path(self, stage: Stage) -> None:
        """The pinned path under its drawn edges and round its drawn neurons."""
        ends = self.scene.edges.ends[self._edge_mask(stage.path_edges)]
        rings = [
            neuron_rect(self.scene.neurons[key])
            for key in stage.path_neurons
            if key in self.scene.neurons
        ]
        width = float(np.clip(self.scene.layout.node_size * 0.35, 8.0, 18.0))
        self.path.set_path(ends, rings, width)

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

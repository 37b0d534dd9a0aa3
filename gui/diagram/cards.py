"""Lecture mode's value cards and the geometry that decides where they may go.

A :class:`ValueLabel` is a number on a white rounded card, readable over edges; it says what
it belongs to (its ``owner``: a neuron, an edge, an input or a target) and whether its text
names it ("w₅ = 0.4") or is the number alone ("0.4").  The functions below are pure array
geometry on rectangles (left, top, right, bottom) and edges (x0, y0, x1, y1): where along
its edges a column of cards may sit, which cards overlap, and which other edges run through
a card (a number alone on a card crossed by another edge could belong to either).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from core.trace.lookup import card_tip
from gui.diagram.items import INK, diagram_font

if TYPE_CHECKING:
    from gui.diagram.stage import Stage, StageOverlay

LABEL_POINTS = 12.5
LABEL_GAP = 8.0  # between a node's side (or bias glyph) and its card; around a number alone
LABEL_Z = 5.0  # above neurons (2) and texts (3); the pulse dots (6) pass over the cards
PAPER = QColor(255, 255, 255, 242)
FRAME = QColor(120, 126, 136)

Owner = tuple  # ("node", layer, i), ("edge", l, i, j), ("input", 0, i), ("target", L, k)


class ValueLabel(QGraphicsItem):
    """A number on a white rounded card, readable over edges: its box starts at the anchor
    (``side='right'``), ends there (``'left'``) or is centred on it (``'centre'``).
    ``owner`` says what the number belongs to; ``named``, whether the text says so;
    ``scale`` multiplies its type (lecture mode's type zoom)."""

    def __init__(
        self,
        text: str,
        side: str = "centre",
        owner: Owner = (),
        named: bool = True,
        scale: float = 1.0,
    ) -> None:
        super().__init__()
        self._text, self.side, self.owner, self.named = text, side, tuple(owner), named
        self.font = diagram_font(LABEL_POINTS * scale)
        size = QFontMetricsF(self.font).boundingRect(QRectF(0, 0, 2000, 2000), 0, text)
        w, h = size.width() + 14, size.height() + 6
        left = {"right": 0.0, "left": -w}.get(side, -w / 2)
        self._rect = QRectF(left, -h / 2, w, h)
        self.setZValue(LABEL_Z)
        self.setToolTip(card_tip(text) if named else "")  # δ, z, w ...: what the symbol is

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


def stacked(text: str) -> str:
    """A card's text in two narrower lines, the name over its value: 'w₅ = 0.4' as 'w₅'
    over '= 0.4', 'w5: 0.4 → 0.3589' as 'w5:' over '0.4 → 0.3589'; a text without a name
    as it is."""
    name, found, value = text.partition(" = ")
    if found:
        return f"{name}\n= {value}"
    name, found, value = text.partition(": ")
    return f"{name}:\n{value}" if found else text


def number_alone(text: str) -> str:
    """The number of 'w₅ = 0.4' without its name: '0.4' (a text without ' = ' as it is)."""
    return text.rpartition(" = ")[2] or text


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


def overlaps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether rectangles (..., left, top, right, bottom) overlap with some area, pairwise:
    a (F, n, 4) against b (F or 1, m, 4) gives (F, n, m)."""
    a, b = a[:, :, None, :], b[:, None, :, :]
    return (
        (a[..., 0] < b[..., 2])
        & (a[..., 2] > b[..., 0])
        & (a[..., 1] < b[..., 3])
        & (a[..., 3] > b[..., 1])
    )


def grown(rects: np.ndarray, margin: float) -> np.ndarray:
    """``rects`` (..., 4) grown by ``margin`` on every side."""
    return rects + np.array([-margin, -margin, margin, margin])


def crossed(rects: np.ndarray, edges: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Whether another edge runs through each card: ``rects`` (n, 4) are cards, ``edges``
    (m, 4) the segments they sit among, ``own`` (n) the index of each card's own edge in
    ``edges`` (-1: none of them).  A segment crosses a card where its heights over the
    card's width (clipped to the segment's own span) reach into the card's."""
    x0, y0, x1, y1 = (edges[None, :, k] for k in range(4))
    lo, hi = np.minimum(x0, x1), np.maximum(x0, x1)
    left = np.clip(rects[:, None, 0], lo, hi)
    right = np.clip(rects[:, None, 2], lo, hi)
    span = np.where(x1 != x0, x1 - x0, 1.0)
    ya = y0 + (left - x0) / span * (y1 - y0)
    yb = y0 + (right - x0) / span * (y1 - y0)
    through = (
        (right > left)
        & (np.minimum(ya, yb) < rects[:, None, 3])
        & (np.maximum(ya, yb) > rects[:, None, 1])
    )
    mine = np.flatnonzero(own >= 0)
    through[mine, own[mine]] = False
    return through.any(axis=1)


def fit_column(
    overlay: StageOverlay,
    cards: list[tuple],
    obstacles: np.ndarray,
    layer: np.ndarray | None = None,
) -> bool:
    """Put ``cards`` of ``overlay``'s frame ((edge index, key, text, named) rows) on their
    edges at the first ranked fraction where they are clear of ``obstacles`` (rows left, top, right,
    bottom) and of each other; False (and no cards) if there is none.  With ``layer``
    (the indices of the strong drawn edges of their weight layer) the numbers alone must
    be unmistakably on their own edge: LABEL_GAP clear of every obstacle and card (no
    stack with a node's card), and no other of those edges running through them.
    Every fraction is tried at once, in arrays: a wide layer has hundreds of pairs."""
    edges = overlay.scene.edges
    ends = edges.ends[[k for k, _, _, _ in cards]]
    placed = [overlay._add_label(text, ("edge", *key), named) for _, key, text, named in cards]
    boxes = np.array([[*label.boundingRect().getCoords()] for label in placed])
    fractions = ranked_fractions(ends[:, 1], ends[:, 3])
    anchors = ends[None, :, :2] + fractions[:, None, None] * (ends[:, 2:] - ends[:, :2])
    rects = np.concatenate([anchors + boxes[None, :, :2], anchors + boxes[None, :, 2:]], 2)
    margin = 0.0 if layer is None else LABEL_GAP
    clear = ~overlaps(grown(rects, margin), obstacles[None]).any(axis=(1, 2))
    spaced = grown(rects, margin / 2)
    pairs = overlaps(spaced, spaced)  # (fraction, card, card)
    pairs[:, np.arange(len(placed)), np.arange(len(placed))] = False
    clear &= ~pairs.any(axis=(1, 2))
    if layer is not None:
        where = {k: n for n, k in enumerate(layer.tolist())}
        own = np.array([where.get(k, -1) for k, _, _, _ in cards])
        alone = np.array([not named for _, _, _, named in cards])
        for f in np.flatnonzero(clear):
            clear[f] = not crossed(rects[f], edges.ends[layer], own)[alone].any()
            if clear[f]:
                break
    if not clear.any():
        for label in placed:
            overlay.scene.removeItem(label)
            overlay.labels.remove(label)
        return False
    best = int(np.argmax(clear))  # the first clear fraction in rank order
    for label, (x, y) in zip(placed, anchors[best].tolist()):
        label.setPos(x, y)
    return True


STAGGER = np.arange(8, 23) / 30  # fractions along an edge a card may sit at on its own
# (the middle half: nearer a neuron, where edges fan out, a card would not say whose it is)


def fit_staggered(
    overlay: StageOverlay, cards: list[tuple], obstacles: np.ndarray, partial: bool = False
) -> bool:
    """Put each of ``cards`` ((edge index, key, text, named) rows, named texts only) at its
    own fraction along its edge, the one nearest the middle where it is clear of
    ``obstacles`` and of the cards placed before it: a layer's cards need not line up
    when a column has no room.  All or none (False), or with ``partial`` as many as fit,
    in the order given."""
    if not cards:
        return True
    edges = overlay.scene.edges
    ends = edges.ends[[k for k, _, _, _ in cards]]
    placed = [overlay._add_label(text, ("edge", *key), named) for _, key, text, named in cards]
    boxes = np.array([[*label.boundingRect().getCoords()] for label in placed])
    fractions = STAGGER[np.argsort(np.abs(STAGGER - 0.5), kind="stable")]
    anchors = ends[None, :, :2] + fractions[:, None, None] * (ends[:, 2:] - ends[:, :2])
    rects = np.concatenate([anchors + boxes[None, :, :2], anchors + boxes[None, :, 2:]], 2)
    clear = ~overlaps(rects, obstacles[None]).any(axis=2)  # (fraction, card)
    taken = np.empty((0, 4))
    missing = []
    for c, label in enumerate(placed):
        free = clear[:, c] & ~overlaps(rects[:, c : c + 1], taken[None]).any(axis=(1, 2))
        if not free.any():
            missing.append(label)
            continue
        f = int(np.argmax(free))
        taken = np.vstack([taken, rects[f, c]])
        label.setPos(*anchors[f, c].tolist())
    for label in placed if missing and not partial else missing:
        overlay.scene.removeItem(label)
        overlay.labels.remove(label)
    return partial or not missing


def called_for(stage: Stage, last: int) -> set[Owner]:
    """The owners of every card ``stage`` calls for (``last``: the output layer)."""
    wanted = {("node", *key) for key, text in stage.node_values.items() if text}
    wanted |= {("edge", *key) for key, text in stage.edge_values.items() if text}
    wanted |= {("input", 0, i) for i, text in stage.inputs.items() if text}
    return wanted | {("target", last, k) for k, text in stage.targets.items() if text}


def clear_of_edge_cards(order: tuple[str, ...], layer: int, carded: set[int]) -> tuple:
    """``order`` with the sides that face a column of edge cards (pinned weights, a
    layer's gradients) tried last: right of layer l lie weights[l]'s edges, left of it
    weights[l - 1]'s."""
    facing = {"right": layer in carded, "left": layer - 1 in carded}
    return tuple(sorted(order, key=lambda side: facing.get(side, False)))


def neuron_rect(neuron) -> QRectF:
    """What a neuron draws, in scene coordinates: its square and (past the inputs) its bias
    glyph, which may be coloured only after the frame's cards are placed."""
    rect = neuron.body() if neuron.layer == 0 else neuron.body().united(neuron.bias_rect())
    return rect.translated(neuron.pos())

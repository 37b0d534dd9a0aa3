"""The worst parameter of a gradient check, lit on the diagram: a red stroke under its
edge (a weight) and rings round the neurons it joins (or round its neuron, for a bias).

One item added to the diagram's scene (never one of the scene's own, so a rebuild leaves
it); :meth:`WorstMark.place` puts it where the parameter is drawn now."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from core.checks.gradcheck import WorstParameter
from gui.diagram.cards import neuron_rect
from gui.diagram.view import NetworkView

INK = QColor(220, 30, 60, 150)  # red: what failed, unlike the lecture's yellow path
MARK_Z = -0.5  # under the edges (0), above the lecture's pinned path (-1)


class WorstMark(QGraphicsItem):
    """A red highlighter along ``segments`` ((n, 4) scene x0, y0, x1, y1) and round
    ``rings`` (scene rectangles)."""

    def __init__(self) -> None:
        super().__init__()
        self.segments = np.empty((0, 4))
        self.rings: list[QRectF] = []
        self.width = 12.0
        self._rect = QRectF()
        self.setZValue(MARK_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setVisible(False)

    def set_marks(self, segments: np.ndarray, rings: list[QRectF], width: float) -> None:
        """Strokes ``width`` wide along ``segments``, rings round ``rings``; none: hidden."""
        self.prepareGeometryChange()
        self.segments = np.asarray(segments, dtype=float).reshape(-1, 4)
        self.rings, self.width = list(rings), float(width)
        rect = QRectF()
        for x0, y0, x1, y1 in self.segments.tolist():
            rect = rect.united(QRectF(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)))
        for ring in self.rings:
            rect = rect.united(ring)
        pad = self.width
        self._rect = rect.adjusted(-pad, -pad, pad, pad) if not rect.isNull() else QRectF()
        self.setVisible(bool(len(self.segments) or self.rings))
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(INK, self.width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLines([QLineF(*row) for row in self.segments.tolist()])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pen.setWidthF(self.width / 2)
        painter.setPen(pen)
        pad = self.width / 2
        for ring in self.rings:
            painter.drawRoundedRect(ring.adjusted(-pad, -pad, pad, pad), pad, pad)

    def place(self, view: NetworkView, worst: WorstParameter | None) -> bool:
        """Light ``worst`` where ``view`` draws it now (None: nothing); False when the
        diagram does not draw it (a column shortened with an ellipsis, another network)."""
        scene = view.diagram
        if self.scene() is not scene:
            scene.addItem(self)
        if worst is None or scene.layout is None:
            self.set_marks(np.empty((0, 4)), [], self.width)
            return worst is None
        keys = [(worst.layer, worst.i)] + ([(worst.layer - 1, worst.j)] * (worst.j is not None))
        rings = [neuron_rect(scene.neurons[k]) for k in keys if k in scene.neurons]
        segments = np.empty((0, 4))
        if worst.j is not None:
            ids = scene.edges.ids
            hit = (ids[:, 0] == worst.layer - 1) & (ids[:, 1] == worst.i) & (ids[:, 2] == worst.j)
            segments = scene.edges.ends[hit]
        width = float(np.clip(scene.layout.node_size * 0.35, 8.0, 18.0))
        drawn = len(rings) == len(keys) and (worst.j is None or len(segments) == 1)
        self.set_marks(segments if drawn else np.empty((0, 4)), rings if drawn else [], width)
        return drawn

"""The pinned path of a lecture: the way from the loss back to one weight, drawn as a
highlighter stroke under its edges and a ring round its neurons, through every frame
(:class:`gui.diagram.stage.StageOverlay` sets it)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

PATH_Z = -1.0  # under the edges (0), so that their colours stay readable on it
PATH_INK = QColor(255, 196, 0, 110)  # the pen's highlighter, a little lighter


class PathGlow(QGraphicsItem):
    """Highlighter strokes along ``segments`` ((n, 4) scene x0, y0, x1, y1) and rings round
    ``rings`` (scene rectangles), all in one item, in ``ink`` at depth ``z``."""

    def __init__(self, ink: QColor = PATH_INK, z: float = PATH_Z) -> None:
        super().__init__()
        self.ink = ink
        self.segments = np.empty((0, 4))
        self.rings: list[QRectF] = []
        self.width = 12.0
        self._rect = QRectF()
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_path(self, segments: np.ndarray, rings: list[QRectF], width: float) -> None:
        """Draw strokes ``width`` wide along ``segments`` and rings round ``rings``."""
        self.prepareGeometryChange()
        self.segments = np.asarray(segments, dtype=float).reshape(-1, 4)
        self.rings, self.width = list(rings), float(width)
        rect = QRectF()
        if len(self.segments):
            xs, ys = self.segments[:, ::2], self.segments[:, 1::2]
            rect = QRectF(xs.min(), ys.min(), xs.max() - xs.min(), ys.max() - ys.min())
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
        pen = QPen(self.ink, self.width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLines([QLineF(*row) for row in self.segments.tolist()])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pen.setWidthF(self.width / 2)
        painter.setPen(pen)
        pad = self.width / 2
        for ring in self.rings:
            painter.drawRoundedRect(ring.adjusted(-pad, -pad, pad, pad), pad, pad)

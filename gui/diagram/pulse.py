"""The travelling dots of a lecture frame: the signal running along the frame's edges,
forward left to right, backward right to left (:class:`gui.diagram.stage.StageOverlay`
moves them)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from gui.diagram.items import INK

DOT_Z = 6.0  # the dots pass over the value cards (5), the neurons (2) and the texts (3)
DOT_RING = QColor(255, 255, 255)


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

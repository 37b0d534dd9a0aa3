"""The pen: draw on the stage with the mouse while lecturing, as lecturers do on slides.

P turns the pen on and off; while it is on, dragging over the diagram draws a highlighter
stroke (translucent yellow, wide, round), and the diagram takes no clicks.  The drawing is
cleared on the next frame, with E, and when lecture mode ends.  The strokes live in a
transparent widget over the diagram's viewport; nothing of the diagram changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

INK = QColor(255, 196, 0, 150)  # a highlighter: the diagram shows through
WIDTH = 9.0


class PenOverlay(QWidget):
    """Strokes drawn over ``viewport`` (the diagram's), in its coordinates."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.strokes: list[list[QPointF]] = []
        self.drawing = False
        self.set_active(False)
        self.setGeometry(viewport.rect())
        viewport.installEventFilter(self)  # follow the viewport's size
        self.show()

    def set_active(self, on: bool) -> None:
        """Take the mouse and draw (True), or let it through to the diagram."""
        self.drawing = on
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not on)
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self.raise_()

    def clear(self) -> None:
        """Remove every stroke."""
        if self.strokes:
            self.strokes = []
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            self.strokes.append([event.position()])
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.strokes and event.buttons() & Qt.MouseButton.LeftButton:
            self.strokes[-1].append(event.position())
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if not self.strokes:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(INK, WIDTH, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self.strokes:
            path = QPainterPath(stroke[0])
            for point in stroke[1:]:
                path.lineTo(point)
            if len(stroke) == 1:  # a click: a dot
                path.lineTo(stroke[0] + QPointF(0.1, 0.0))
            painter.drawPath(path)
        painter.end()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

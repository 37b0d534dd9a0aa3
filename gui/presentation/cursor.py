"""A soft yellow disc that follows the mouse over the window, for the back rows of a hall.

The disc is painted by a widget over the whole window that mice pass straight through
(``WA_TransparentForMouseEvents``): it never takes a click, a hover or a tooltip.  An
application event filter, installed only while the highlight is on, feeds it the mouse
position; each move repaints only the disc's old and new squares.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QRadialGradient
from PySide6.QtWidgets import QApplication, QWidget

RADIUS = 20  # pixels: a disc of about 40 px
GLOW = QColor(255, 221, 0, 135)  # translucent yellow, as a highlighter pen
FADE = QColor(255, 200, 0, 60)
RING = QColor(225, 150, 0, 150)  # a thin amber ring: the disc shows on white paper too
MOVES = (QEvent.Type.MouseMove, QEvent.Type.HoverMove, QEvent.Type.DragMove)


class CursorHighlight(QWidget):
    """The disc over ``window``; :meth:`set_enabled` turns it on and off."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._position: QPoint | None = None
        self._enabled = False
        self.hide()
        window.installEventFilter(self)  # follow the window's size

    @property
    def enabled(self) -> bool:
        """Whether the highlight is on."""
        return self._enabled

    @property
    def position(self) -> QPoint | None:
        """The disc's centre in window coordinates (None: the mouse is not over the window)."""
        return None if self._position is None else QPoint(self._position)

    def set_enabled(self, on: bool) -> None:
        """Follow the mouse with the disc (True) or stop (False)."""
        if on == self._enabled:
            return
        self._enabled = on
        app = QApplication.instance()
        if on:
            self.setGeometry(self.parentWidget().rect())
            self.show()
            self.raise_()
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
            self._move_to(None)
            self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        window = self.parentWidget()
        if watched is window and kind == QEvent.Type.Resize:
            self.setGeometry(window.rect())
        elif kind in MOVES and self._in_window(watched):
            self._move_to(self.mapFromGlobal(event.globalPosition().toPoint()))
        elif kind == QEvent.Type.Leave and watched is window:
            self._move_to(None)
        return False  # the event goes on, untouched

    def _in_window(self, watched: QObject) -> bool:
        """Whether ``watched`` is this window or a widget in it (not a popup menu)."""
        window = self.parentWidget()
        if isinstance(watched, QWidget):
            return watched.window() is window
        return watched is window.windowHandle()

    def _move_to(self, position: QPoint | None) -> None:
        old, self._position = self._position, position
        if old == position:
            return
        for point in (old, position):
            if point is not None:
                self.update(self._disc_rect(point))

    @staticmethod
    def _disc_rect(centre: QPoint) -> QRect:
        r = RADIUS + 2
        return QRect(centre.x() - r, centre.y() - r, 2 * r, 2 * r)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        centre = self._position
        if centre is None or not event.rect().intersects(self._disc_rect(centre)):
            return  # the window repainting beneath: nothing of ours there
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        glow = QRadialGradient(QPointF(centre), RADIUS)
        glow.setColorAt(0.0, GLOW)
        glow.setColorAt(0.75, GLOW)
        glow.setColorAt(1.0, FADE)
        painter.setPen(QPen(RING, 1.5))
        painter.setBrush(glow)
        painter.drawEllipse(QPointF(centre), RADIUS, RADIUS)
        painter.end()

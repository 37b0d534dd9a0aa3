"""A blank screen, as presentation software has: B turns the window black, W white, so
that the room looks at the lecturer; any key or click brings the window back (and does
nothing else)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

COLOURS = {"black": QColor(0, 0, 0), "white": QColor(255, 255, 255)}


class BlankScreen(QWidget):
    """A plain colour over the whole of ``window`` while blanked."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.colour = COLOURS["black"]
        self.hide()
        window.installEventFilter(self)  # follow the window's size

    @property
    def blanked(self) -> bool:
        """Whether the window is blank now."""
        return self.isVisible()

    def blank(self, colour: str = "black") -> None:
        """Cover the window with ``colour`` ("black" or "white") and take the keyboard."""
        self.colour = COLOURS[colour]
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.update()

    def unblank(self) -> None:
        """Show the window again."""
        self.hide()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        QPainter(self).fillRect(self.rect(), self.colour)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # every key comes here as a key press, not to a shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        event.accept()
        self.unblank()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        event.accept()
        self.unblank()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

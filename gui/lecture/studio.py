"""The training studio while lecturing: the parts that step aside, and coming back.

Lecture mode keeps the diagram in the middle; the settings dock, the output map and the
plots make room for the step list and the equation panel, and training waits (Space
belongs to the lecture's transport).  Leaving gives the settings dock the width it had.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar, QVBoxLayout, QWidget


class Studio:
    """``settings`` (the settings dock), ``side`` (the output map and the plots) and the
    ``training`` actions (play, step, epoch, reset, new weights) of ``host``."""

    def __init__(
        self,
        host: QMainWindow,
        settings: QDockWidget,
        side: QWidget,
        training: Sequence[QAction],
    ) -> None:
        self.host, self.settings, self.side = host, settings, side
        self.training = tuple(training)
        self._width = settings.width()  # the settings dock's width before lecturing

    def lecture_parts(
        self, widgets: Sequence[QWidget], bar: QWidget
    ) -> tuple[QDockWidget, QToolBar]:
        """The lecture's dock (``widgets`` one above the other, the last taking the height
        left) on the left and its transport ``bar`` at the bottom of the window, hidden
        until lecture mode shows them."""
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(4, 4, 4, 0)
        for k, widget in enumerate(widgets):
            layout.addWidget(widget, int(k == len(widgets) - 1))
        dock = QDockWidget("Chain rule", self.host)
        dock.setObjectName("lecture_dock")
        dock.setWidget(holder)
        self.host.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        toolbar = QToolBar("Lecture", self.host)
        toolbar.setObjectName("lecture_toolbar")
        toolbar.addWidget(bar)
        self.host.addToolBar(Qt.ToolBarArea.BottomToolBarArea, toolbar)
        dock.hide()
        toolbar.hide()
        return dock, toolbar

    def step_aside(self, on: bool, first: bool) -> None:
        """Hide the studio (``on``) or show it again; ``first``: the visibility changes
        now (remember the settings dock's width, or give it back)."""
        self.settings.setVisible(not on)
        self.side.setVisible(not on)
        for action in self.training:
            action.setEnabled(not on)
        if first and on:
            self._width = self.settings.width()
        elif first:  # the lecture dock's width is not the settings dock's
            self.host.resizeDocks([self.settings], [self._width], Qt.Orientation.Horizontal)

"""The training studio while lecturing: the parts that step aside, and coming back.

Lecture mode keeps the diagram in the middle; the settings dock, the output map and the
plots make room for the step list and the equation panel, and training waits (Space
belongs to the lecture's transport).  Leaving gives the settings dock the width it had.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget


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

"""Presentation mode: what changes when a lecturer stands in front of a projector.

:class:`Presentation` belongs to the main window.  It owns the palette choice (applied
live to the diagram, the output map and the lecture's progress strip), the "?" overlay
of keyboard shortcuts, the cursor highlight, and the cleaner stage of lecture mode: while
lecturing, the diagram hides its + / − buttons and its view toggle, is drawn large, and
the training toolbar steps aside; leaving restores all of it.  F5 presents (the
presentation layout, :mod:`gui.presentation.stage_layout`); B and W blank the window; P
draws on the stage (:mod:`gui.presentation.pen`), E erases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from gui.presentation import palette
from gui.presentation.blank import BlankScreen
from gui.presentation.cursor import CursorHighlight
from gui.presentation.pen import PenOverlay
from gui.presentation.shortcuts import Groups, ShortcutOverlay
from gui.presentation.stage_layout import StageLayout

if TYPE_CHECKING:
    from gui.diagram.view import NetworkView
    from gui.lecture.mode import LectureMode
    from gui.output.view import OutputView

SHORTCUT_KEYS = ("?", "F1")


class Presentation(QObject):
    """The window's presentation settings and overlays.

    The palette is applied to ``view``, ``output`` and ``lecture``'s transport bar; while
    lecturing, ``toolbar`` (the training toolbar) steps aside.  The "?" overlay and the
    cursor highlight are drawn over ``host``, the overlay listing ``shortcuts()``.
    """

    def __init__(
        self,
        host: QMainWindow,
        view: NetworkView,
        output: OutputView,
        lecture: LectureMode,
        toolbar: QToolBar,
        shortcuts: Callable[[], Groups],
    ) -> None:
        super().__init__(host)
        self.view, self.output, self.lecture, self.toolbar = view, output, lecture, toolbar
        self.lecturing = False
        self._toolbar_shown = True
        self.shortcuts = ShortcutOverlay(host, shortcuts)
        self.highlight = CursorHighlight(host)
        self.shortcuts_action = QAction("&Keyboard shortcuts", host)
        self.shortcuts_action.setShortcuts([QKeySequence(k) for k in SHORTCUT_KEYS])
        self.shortcuts_action.setToolTip("Every keyboard shortcut, over the window (? or F1)")
        self.shortcuts_action.triggered.connect(self.shortcuts.toggle)
        self.highlight_action = QAction("&Cursor highlight", host)
        self.highlight_action.setCheckable(True)
        self.highlight_action.setToolTip("A yellow disc around the mouse, for the back rows")
        self.highlight_action.toggled.connect(self.highlight.set_enabled)
        self.stage_layout = StageLayout(host, lecture, view)
        self.pen = PenOverlay(view.viewport())
        self.pen_actions = self._pen_actions(host)
        lecture.controller.frameChanged.connect(self.pen.clear)
        self.blank_screen = BlankScreen(host)
        self.blank_actions = [
            self._blank_action(host, "&Blank screen (black)", "B", "black"),
            self._blank_action(host, "Blank screen (&white)", "W", "white"),
        ]
        self.palette_actions = self._palette_actions(host)
        lecture.activeChanged.connect(self._on_lecture)
        lecture.paletteChosen.connect(self.set_palette)

    def _pen_actions(self, host: QMainWindow) -> tuple[QAction, QAction]:
        """Lecture > Pen (P) and Erase the drawing (E), while lecturing."""
        pen = QAction("&Pen: draw on the stage", host)
        pen.setCheckable(True)
        pen.setShortcut(QKeySequence("P"))
        pen.setToolTip("Draw on the diagram with the mouse, as on a slide (P); E erases")
        pen.toggled.connect(self.pen.set_active)
        erase = QAction("&Erase the drawing", host)
        erase.setShortcut(QKeySequence("E"))  # Epoch's key: training waits while lecturing
        erase.triggered.connect(self.pen.clear)
        for action in (pen, erase):
            action.setEnabled(False)
        return pen, erase

    def _blank_action(self, host: QMainWindow, text: str, key: str, colour: str) -> QAction:
        action = QAction(text, host)
        action.setShortcut(QKeySequence(key))
        action.setToolTip(
            f"Turn the window {colour}, so that the room looks at you; any key or click "
            f"brings it back ({key})"
        )
        action.triggered.connect(lambda: self.blank_screen.blank(colour))
        return action

    def _palette_actions(self, host: QMainWindow) -> dict[str, QAction]:
        group = QActionGroup(host)
        group.setExclusive(True)
        actions = {}
        for name, colours in palette.PALETTES.items():
            action = QAction(colours.title, group)
            action.setCheckable(True)
            action.setToolTip(colours.hint)
            action.setChecked(name == palette.STANDARD.name)
            action.triggered.connect(lambda _=False, n=name: self.set_palette(n))
            actions[name] = action
        return actions

    @property
    def palette_name(self) -> str:
        """The palette the window is drawn with (a key of palette.PALETTES)."""
        return self.view.palette_name

    def set_palette(self, name: str) -> None:
        """Draw the diagram, the output map, their legends and the lecture's progress strip
        with palette ``name`` (a key of palette.PALETTES); View > Palette follows."""
        palette.palette_named(name)  # an unknown name fails here, before anything changes
        self.view.set_palette(name)
        self.output.set_palette(name)
        self.lecture.bar.set_palette(name)
        action = self.palette_actions[name]
        if not action.isChecked():
            action.setChecked(True)

    @Slot(bool)
    def _on_lecture(self, on: bool) -> None:
        """The stage while lecturing: no edit buttons, large type, no training toolbar."""
        if on == self.lecturing:
            return  # activeChanged repeats True when the user stays in lecture mode
        self.lecturing = on
        for action in self.pen_actions:
            action.setEnabled(on)
        if not on:
            self.pen_actions[0].setChecked(False)
            self.pen.clear()
        self.view.set_controls_visible(not on)
        self.view.set_presenting(on)
        if on:
            self._toolbar_shown = not self.toolbar.isHidden()
            self.toolbar.hide()
        else:
            self.toolbar.setHidden(not self._toolbar_shown)

    def studio_toolbar_shown(self) -> bool:
        """Whether the training toolbar is shown outside lecture mode (for saving the
        window's layout while lecturing)."""
        return self._toolbar_shown if self.lecturing else not self.toolbar.isHidden()

"""Presentation mode: what changes when a lecturer stands in front of a projector.

:class:`Presentation` belongs to the main window.  It owns the palette choice (applied
live to the diagram, the output map and the lecture's progress strip), the "?" overlay
of keyboard shortcuts, the cursor highlight, and the cleaner stage of lecture mode: while
lecturing, the diagram hides its + / − buttons and its view toggle, is drawn large, and
the training toolbar steps aside; leaving restores all of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from gui.lecture.transport import TransportBar
from gui.menus import shortcut_groups
from gui.presentation import palette
from gui.presentation.cursor import CursorHighlight
from gui.presentation.shortcuts import ShortcutOverlay

if TYPE_CHECKING:
    from gui.main_window import MainWindow

SHORTCUT_KEYS = ("?", "F1")


class Presentation(QObject):
    """The window's presentation settings and overlays."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.lecturing = False
        self._toolbar_shown = True
        self.shortcuts = ShortcutOverlay(window, lambda: shortcut_groups(window))
        self.highlight = CursorHighlight(window)
        self.shortcuts_action = QAction("&Keyboard shortcuts", window)
        self.shortcuts_action.setShortcuts([QKeySequence(k) for k in SHORTCUT_KEYS])
        self.shortcuts_action.setToolTip("Every keyboard shortcut, over the window (? or F1)")
        self.shortcuts_action.triggered.connect(self.shortcuts.toggle)
        self.highlight_action = QAction("&Cursor highlight", window)
        self.highlight_action.setCheckable(True)
        self.highlight_action.setToolTip("A yellow disc around the mouse, for the back rows")
        self.highlight_action.toggled.connect(self.highlight.set_enabled)
        self.palette_actions = self._palette_actions(window)
        window.lecture.activeChanged.connect(self._on_lecture)

    def _palette_actions(self, window: MainWindow) -> dict[str, QAction]:
        group = QActionGroup(window)
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
        return self.window.network_view.palette_name

    def set_palette(self, name: str) -> None:
        """Draw the diagram, the output map, their legends and the lecture's progress strip
        with palette ``name`` (a key of palette.PALETTES); View > Palette follows."""
        palette.palette_named(name)  # an unknown name fails here, before anything changes
        w = self.window
        w.network_view.set_palette(name)
        w.output_view.set_palette(name)
        for bar in w.findChildren(TransportBar):
            bar.set_palette(name)
        action = self.palette_actions[name]
        if not action.isChecked():
            action.setChecked(True)

    @Slot(bool)
    def _on_lecture(self, on: bool) -> None:
        """The stage while lecturing: no edit buttons, large type, no training toolbar."""
        if on == self.lecturing:
            return  # activeChanged repeats True when the user stays in lecture mode
        self.lecturing = on
        w = self.window
        for bar in w.findChildren(TransportBar):  # one made since the palette was chosen
            bar.set_palette(self.palette_name)
        w.network_view.set_controls_visible(not on)
        w.network_view.set_presenting(on)
        if on:
            self._toolbar_shown = not w.controls.isHidden()
            w.controls.hide()
        else:
            w.controls.setHidden(not self._toolbar_shown)

    def studio_toolbar_shown(self) -> bool:
        """Whether the training toolbar is shown outside lecture mode (for saving the
        window's layout while lecturing)."""
        return self._toolbar_shown if self.lecturing else not self.window.controls.isHidden()

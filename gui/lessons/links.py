"""The formulas linked to the glossary: hovering a symbol in the equation panel says what it
is, Ctrl+click opens the glossary at it, and the context menu at the symbol under the mouse
("What is δ?") or at any symbol of the formulas shown.

The panel's text is read as it is shown (core.trace.glossary finds the symbols in it), and
the terms it shows when it has them, so nothing here knows how a formula is rendered.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Slot
from PySide6.QtGui import QHelpEvent, QMouseEvent
from PySide6.QtWidgets import QMenu, QTextBrowser, QToolTip

from core.trace.glossary import GLOSSARY, tip_html
from core.trace.lookup import TOKEN, entry_keys, keys_in_text, token_key

HINT = "<p><i>Ctrl+click or right-click: this symbol in the glossary.</i></p>"


class FormulaLinks(QObject):
    """Glossary tooltips and menu entries for the equation panel ``panel`` (its ``text``
    browser, its ``terms``); ``open_entry(key)`` opens the glossary at an entry."""

    def __init__(self, panel, open_entry: Callable[[str], None]) -> None:
        super().__init__(panel)
        self.panel, self.open_entry = panel, open_entry
        text: QTextBrowser = panel.text
        text.viewport().installEventFilter(self)
        text.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        text.customContextMenuRequested.connect(self._on_menu)
        panel.heading.setToolTip(
            "Hover a symbol for what it means; Ctrl+click or right-click it for the glossary"
        )

    def key_at(self, pos: QPoint) -> str | None:
        """The glossary entry of the symbol at ``pos`` (viewport coordinates), or None."""
        cursor = self.panel.text.cursorForPosition(pos)
        line, at = cursor.block().text(), cursor.positionInBlock()
        for match in TOKEN.finditer(line):
            if match.start() <= at <= match.end():
                return token_key(match.group())
        return None

    def shown_keys(self) -> list[str]:
        """The glossary entries of the formulas shown: of the panel's terms when it shows
        terms, else of the symbols in its text (a chain rule's frames)."""
        terms = getattr(self.panel, "terms", ())
        if terms:
            return entry_keys(terms)
        return keys_in_text(self.panel.plain_text())

    def menu_for(self, pos: QPoint) -> QMenu:
        """The context menu at ``pos``: copy and select, then the glossary's entries."""
        text = self.panel.text
        menu = text.createStandardContextMenu(text.viewport().mapToGlobal(pos))
        menu.addSeparator()
        here = self.key_at(pos)
        if here is not None:
            symbol = GLOSSARY[here].symbol
            menu.addAction(f"What is {symbol}?", lambda: self.open_entry(here))
        shown = self.shown_keys()
        if shown:
            sub = menu.addMenu("Symbols of these formulas")
            for key in shown:
                entry = GLOSSARY[key]
                sub.addAction(f"{entry.symbol}  —  {entry.name}", lambda k=key: self.open_entry(k))
        menu.addAction("Glossary…", lambda: self.open_entry(shown[0] if shown else "delta"))
        return menu

    @Slot(QPoint)
    def _on_menu(self, pos: QPoint) -> None:
        menu = self.menu_for(pos)
        menu.exec(self.panel.text.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            key = self.key_at(event.pos())
            if key is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), tip_html(key) + HINT, watched)
            return True
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            key = self.key_at(event.position().toPoint()) if ctrl else None
            if key is not None:
                self.open_entry(key)
                return True
        return super().eventFilter(watched, event)

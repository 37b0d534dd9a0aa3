"""Help > Glossary: the app's notation, one entry per symbol, searchable.

The entries are the core's (core.trace.glossary); this dialog lists them, filters them as
the learner types (a symbol such as δ or words such as "learning rate") and shows the one
chosen.  The equation panel opens it at a symbol's entry (gui.lessons.links).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.trace.glossary import GLOSSARY, Entry, search, tip_html

KEY = Qt.ItemDataRole.UserRole


def entry_html(entry: Entry) -> str:
    """One entry as rich text of our own: the symbol large, its name, what it means."""
    return (
        f"<p style='font-size:x-large; margin:0'>{escape(entry.symbol)}</p>"
        f"<p style='margin:2px 0 8px 0'><b>{escape(entry.name)}</b></p>"
        f"<p>{escape(entry.text)}</p>"
    )


class GlossaryDialog(QDialog):
    """The glossary: a search box, the entries that match, the chosen entry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Glossary")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search: δ, learning rate, softmax …")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("A symbol or words; every word must appear in the entry")
        self.search.textChanged.connect(self._filter)
        self.entries = QListWidget()
        self.entries.setMinimumWidth(260)
        self.entries.currentItemChanged.connect(self._show_current)
        self.search.returnPressed.connect(self.entries.setFocus)  # Enter: on to the list
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.count = QLabel()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.entries)
        split.addWidget(self.text)
        split.setStretchFactor(1, 2)
        split.setSizes([320, 480])
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.resize(860, 480)
        self._filter("")

    @property
    def shown_keys(self) -> list[str]:
        """The keys of the entries listed now, in order."""
        return [self.entries.item(r).data(KEY) for r in range(self.entries.count())]

    @property
    def current_key(self) -> str | None:
        """The key of the entry shown, or None."""
        item = self.entries.currentItem()
        return None if item is None else item.data(KEY)

    def show_entry(self, key: str) -> None:
        """Open at the entry ``key`` (every entry listed), in front."""
        if self.search.text():
            self.search.clear()
        for row, listed in enumerate(self.shown_keys):
            if listed == key:
                self.entries.setCurrentRow(row)
        self.show()
        self.raise_()
        self.activateWindow()

    @Slot(str)
    def _filter(self, query: str) -> None:
        found = search(query)
        self.entries.clear()
        for entry in found:
            item = QListWidgetItem(f"{entry.symbol}  —  {entry.name}")
            item.setData(KEY, entry.key)
            item.setToolTip(tip_html(entry.key))  # rich text: Qt wraps it
            self.entries.addItem(item)
        self.count.setText(f"{len(found)} of {len(GLOSSARY)}")
        if found:
            self.entries.setCurrentRow(0)
        else:
            self.text.setPlainText(f"Nothing in the glossary matches “{query.strip()}”.")

    @Slot()
    def _show_current(self, *_: object) -> None:
        key = self.current_key
        if key is not None:
            self.text.setHtml(entry_html(GLOSSARY[key]))

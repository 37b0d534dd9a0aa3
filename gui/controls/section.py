"""A section of the control panel: a titled block of form rows with an inline hint.

A section shows part of a session and emits ``changed(key, value)`` when the user edits
it, never while it is being filled in (:meth:`Section.quiet`).  Keys are listed in
:mod:`gui.controls.panel`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QFormLayout,
    QFrame,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from gui.controls.numbers import range_tip


class Section(QFrame):
    """A titled block of form rows with an inline hint under it."""

    changed = Signal(str, object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("controlSection")
        self.title = QLabel(title)
        self.title.setObjectName("sectionTitle")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setHorizontalSpacing(8)
        self.form.setVerticalSpacing(6)
        self.hint = QLabel()
        self.hint.setObjectName("resetHint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.hint)
        self._quiet = 0

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """While populating: handlers run (to keep widgets in sync) but nothing is emitted."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def emit_setting(self, key: str, value: object) -> None:
        if not self._quiet:
            self.changed.emit(key, value)

    def add_row(self, label: str, field: QWidget, tip: str) -> QLabel:
        """A labelled row; the label and the field share the one-sentence tooltip."""
        caption = QLabel(label)
        caption.setToolTip(tip)
        for widget in (field, *field.findChildren(QWidget)):
            if isinstance(widget, QAbstractSpinBox):  # its name in messages, its range
                widget.setAccessibleName(widget.accessibleName() or label)
                widget.setToolTip((widget.toolTip() or tip) + range_tip(widget))
            elif not widget.toolTip():  # the parts of a compound field share its tooltip
                widget.setToolTip(tip)
        self.form.addRow(caption, field)
        return caption

    def show_hint(self, text: str) -> None:
        """Show ``text`` under the section, or hide the hint when it is empty."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))

"""The editors on the network diagram: the inline number editor (a weight or a bias) and
the right-click menu of a layer.  Both only ask: the view turns what they return into
signals, and the app makes the change."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QLineEdit, QMenu, QWidget

from core.trace.notation import activation_name
from gui.diagram.items import diagram_font
from gui.diagram.text import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS, DiagramText, fmt


def parse_number(text: str) -> float | None:
    """The finite number typed in ``text`` ('0.5', '-1e-3', '−2', '0,25'), else None."""
    try:
        value = float(text.strip().replace("−", "-").replace(",", "."))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


class ValueEditor(QLineEdit):
    """A one-line number editor over the diagram: Enter applies, Esc (or leaving) cancels."""

    committed = Signal(float)
    cancelled = Signal()

    @classmethod
    def open(cls, parent: QWidget, value: float, what: str, pos: QPoint) -> ValueEditor:
        """An editor over ``parent`` next to ``pos``, holding ``value`` selected, focused."""
        editor = cls(parent)
        editor.setFont(diagram_font(11.0))
        editor.setText(fmt(value))
        editor.selectAll()
        editor.setToolTip(f"Type a new {what} and press Enter; Esc cancels.")
        editor.resize(130, 30)
        x = min(max(pos.x() + 12, 0), parent.width() - editor.width())
        y = min(max(pos.y() - 15, 0), parent.height() - editor.height())
        editor.move(x, y)
        editor.show()
        editor.setFocus()
        return editor

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            value = parse_number(self.text())
            if value is None:
                self.setStyleSheet("border: 2px solid #c0392b;")
                self.setToolTip("Type a number, e.g. 0.25 or -1.5e-2; Esc cancels.")
            else:
                self.committed.emit(value)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().focusOutEvent(event)
        self.cancelled.emit()


def layer_menu(
    parent: QWidget, text: DiagramText, layer: int, request: Callable[[tuple], None]
) -> QMenu:
    """The right-click menu of ``layer``: add / remove a neuron and Remove layer (hidden
    layers), insert a hidden layer before or after it, Activation ▸ with the current one
    checked (softmax for the output only).

    Each action's data is its request, e.g. ("activation", 2, "relu"), and triggering it
    calls ``request`` with that tuple (bound here: a slot that asked sender() for the
    action got None once the view sat inside the main window).
    """
    menu = QMenu(parent)

    def add(target: QMenu, label: str, wanted: tuple) -> QAction:
        action = target.addAction(label)
        action.setData(wanted)
        action.triggered.connect(lambda _=False, w=wanted: request(w))
        return action

    title = menu.addAction(f"{text.layer_title(layer)}: {text.caption(layer)}")
    title.setEnabled(False)
    if layer == 0:
        note = menu.addAction("The inputs are the features chosen in the Data panel")
        note.setEnabled(False)
        menu.addSeparator()
        add(menu, "Insert a hidden layer after this one", ("layer", 1))
        return menu
    menu.addSeparator()
    if layer < text.last:
        add(menu, "Add a neuron", ("add", layer))
        add(menu, "Remove a neuron", ("remove", layer)).setEnabled(text.layers[layer] > 1)
        add(menu, "Remove layer", ("remove_layer", layer))
    menu.addSeparator()
    add(menu, "Insert a hidden layer before this one", ("layer", layer))
    if layer < text.last:
        add(menu, "Insert a hidden layer after this one", ("layer", layer + 1))
    submenu = menu.addMenu("Activation")
    group = QActionGroup(submenu)
    current = text.activation_names[layer - 1]
    for name in OUTPUT_ACTIVATIONS if layer == text.last else HIDDEN_ACTIVATIONS:
        action = add(submenu, activation_name(name), ("activation", layer, name))
        action.setCheckable(True)
        action.setChecked(name == current)
        group.addAction(action)
    return menu

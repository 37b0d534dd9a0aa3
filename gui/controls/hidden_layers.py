"""The hidden layers in the Network section: a row per layer (size and activation) and
+ / − buttons."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QWidget,
)

from core.engine.network import MAX_NEURONS
from gui.controls.fields import WheelGuard, compact_combo, guard_wheel
from gui.controls.numbers import integer_spin, range_tip


class HiddenLayerRows(QWidget):
    """One row per hidden layer, "Layer 1  [size]  [activation]", and + / - buttons that add a
    copy of the last layer or remove it.

    ``sizesChanged`` and ``activationsChanged`` report one edited row; ``layersChanged``
    (sizes, activations) reports a layer added or removed.
    """

    sizesChanged = Signal(list)
    activationsChanged = Signal(list)
    layersChanged = Signal(list, list)
    MAX_LAYERS = 10
    NEW_SIZE, NEW_ACTIVATION = 4, "tanh"

    def __init__(self, activations: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self.activations = activations  # key -> text shown
        self.rows: list[tuple[QLabel, QSpinBox, QComboBox]] = []
        self.wheel_guard: WheelGuard | None = None  # set by the panel, for rows made later
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(1, 2)
        self.grid.setColumnStretch(2, 3)
        self.empty = QLabel("No hidden layers: the inputs feed the output directly.")
        self.empty.setWordWrap(True)
        self.add_button = self._button(
            "+ Add layer",
            "Add a hidden layer before the output, a copy of the last one (training restarts).",
        )
        self.remove_button = self._button(
            "− Remove layer", "Remove the last hidden layer (training restarts)."
        )
        self.add_button.clicked.connect(self._on_add)
        self.remove_button.clicked.connect(self._on_remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        outer = QGridLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.grid, 0, 0)
        outer.addWidget(self.empty, 1, 0)
        outer.addLayout(buttons, 2, 0)

    @staticmethod
    def _button(text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setObjectName("layerButton")
        return button

    def sizes(self) -> list[int]:
        return [spin.value() for _, spin, _ in self.rows]

    def activation_names(self) -> list[str]:
        return [combo.currentData() for _, _, combo in self.rows]

    def set_layers(self, sizes: list[int], activations: list[str]) -> None:
        """Show these hidden layers (rows are reused, so focus survives). Emits nothing."""
        while len(self.rows) > len(sizes):
            for widget in self.rows.pop():
                self.grid.removeWidget(widget)
                widget.hide()
                widget.deleteLater()  # may be the sender of the signal being handled
        while len(self.rows) < len(sizes):
            self.rows.append(self._new_row(len(self.rows)))
        for (_, spin, combo), size, name in zip(self.rows, sizes, activations):
            for widget in (spin, combo):
                widget.blockSignals(True)
            spin.setValue(size)
            if combo.findData(name) < 0:  # e.g. a session file's activation the list lacks
                combo.addItem(name, name)
            combo.setCurrentIndex(combo.findData(name))
            for widget in (spin, combo):
                widget.blockSignals(False)
        self.empty.setVisible(not sizes)
        self.add_button.setEnabled(len(sizes) < self.MAX_LAYERS)
        self.remove_button.setEnabled(bool(sizes))

    def _new_row(self, index: int) -> tuple[QLabel, QSpinBox, QComboBox]:
        label = QLabel(f"Layer {index + 1}")
        spin = integer_spin(1, MAX_NEURONS)
        spin.setAccessibleName(f"Neurons in layer {index + 1}")
        spin.setToolTip(
            f"Neurons in hidden layer {index + 1} (training restarts)." + range_tip(spin)
        )
        combo = compact_combo(QComboBox())
        for key, text in self.activations.items():
            combo.addItem(text, key)
        combo.setToolTip(f"The activation function of hidden layer {index + 1}.")
        label.setToolTip(spin.toolTip())
        spin.valueChanged.connect(self._on_size)
        combo.currentIndexChanged.connect(self._on_activation)
        for column, widget in enumerate((label, spin, combo)):
            self.grid.addWidget(widget, index, column)
        if self.wheel_guard is not None:
            guard_wheel((spin, combo), self.wheel_guard)
        return label, spin, combo

    @Slot(int)
    def _on_size(self, _value: int) -> None:
        self.sizesChanged.emit(self.sizes())

    @Slot(int)
    def _on_activation(self, _index: int) -> None:
        self.activationsChanged.emit(self.activation_names())

    @Slot()
    def _on_add(self) -> None:
        sizes, names = self.sizes(), self.activation_names()
        sizes.append(sizes[-1] if sizes else self.NEW_SIZE)
        names.append(names[-1] if names else self.NEW_ACTIVATION)
        self.set_layers(sizes, names)
        self.layersChanged.emit(sizes, names)

    @Slot()
    def _on_remove(self) -> None:
        sizes, names = self.sizes()[:-1], self.activation_names()[:-1]
        self.set_layers(sizes, names)
        self.layersChanged.emit(sizes, names)

"""The input widgets the control panel is built from (number fields: gui.controls.numbers):
the log-scale learning-rate control, labelled sliders, the feature toggles, a checked value.

Each widget emits plain Python values (float, int, list) and knows nothing of sessions;
:mod:`gui.controls.data_section` puts them together.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QWidget,
)

from gui.controls.numbers import ExactSpinBox


def compact_combo(combo: QComboBox) -> QComboBox:
    """Let a combo box shrink below its longest entry (the text is elided; the list is not)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)
    return combo


class LogRateControl(QObject):
    """A log-scale slider (100 positions per decade) and an exact number field, kept in sync.

    The slider snaps to two significant digits (0.03, 0.0032, 1.0); the field keeps what is
    typed.  ``valueChanged`` fires once per change of the value, from either side.
    """

    valueChanged = Signal(float)
    STEPS_PER_DECADE = 100

    def __init__(self, lo: float = 1e-5, hi: float = 10.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lo_exp, self.hi_exp = math.log10(lo), math.log10(hi)
        self.spin = ExactSpinBox(lo, hi, ladder=True)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        positions = round((self.hi_exp - self.lo_exp) * self.STEPS_PER_DECADE)
        self.slider.setRange(0, positions)
        self.slider.setSingleStep(10)
        self.slider.setPageStep(self.STEPS_PER_DECADE)
        self.slider.valueChanged.connect(self._on_slider)
        self.spin.valueChanged.connect(self._on_spin)

    def value(self) -> float:
        return self.spin.value()

    def setValue(self, value: float) -> None:  # noqa: N802 (Qt naming)
        self.spin.setValue(value)
        self._place_slider(self.spin.value())

    def position_of(self, value: float) -> int:
        """The slider position nearest to ``value`` on the log scale."""
        exp = math.log10(max(value, 10**self.lo_exp))
        position = round((exp - self.lo_exp) * self.STEPS_PER_DECADE)
        return min(max(position, 0), self.slider.maximum())

    def value_at(self, position: int) -> float:
        """The value at a slider position, rounded to two significant digits."""
        exact = 10 ** (self.lo_exp + position / self.STEPS_PER_DECADE)
        return float(f"{exact:.2g}")

    def _place_slider(self, value: float) -> None:
        blocked = self.slider.blockSignals(True)
        self.slider.setValue(self.position_of(value))
        self.slider.blockSignals(blocked)

    @Slot(int)
    def _on_slider(self, position: int) -> None:
        blocked = self.spin.blockSignals(True)
        self.spin.setValue(self.value_at(position))
        self.spin.blockSignals(blocked)
        self.valueChanged.emit(self.spin.value())

    @Slot(float)
    def _on_spin(self, value: float) -> None:
        self._place_slider(value)
        self.valueChanged.emit(value)


class ValueSlider(QWidget):
    """A slider over [0, maximum] in steps of ``step`` with its value written beside it.

    It reports on release (or at once for keys and clicks), so dragging through noise levels
    regenerates the data once, not thirty times.
    """

    valueChanged = Signal(float)

    def __init__(
        self, maximum: float, step: float, text: Callable[[float], str], parent=None
    ) -> None:
        super().__init__(parent)
        self._step, self._text = step, text
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, round(maximum / step))
        self.slider.setPageStep(max(1, round(0.1 / step)))
        self.slider.setTracking(False)
        self.label = QLabel()
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("100:100") + 4)
        self.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.slider.sliderMoved.connect(self._show)
        self.slider.valueChanged.connect(self._on_value)
        self._show(0)

    def value(self) -> float:
        return round(self.slider.value() * self._step, 10)

    def setValue(self, value: float) -> None:  # noqa: N802 (Qt naming)
        self.slider.setValue(round(value / self._step))
        self._show(self.slider.value())

    @Slot(int)
    def _show(self, position: int) -> None:
        self.label.setText(self._text(round(position * self._step, 10)))

    @Slot(int)
    def _on_value(self, position: int) -> None:
        self._show(position)
        self.valueChanged.emit(self.value())


class WheelGuard(QObject):
    """Sends the mouse wheel over an unfocused field to the scroll area around it, so that
    scrolling the panel never changes a setting by accident."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.Type.Wheel or watched.hasFocus():
            return False
        parent = watched.parentWidget()
        while parent is not None and not isinstance(parent, QAbstractScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            QApplication.sendEvent(parent.verticalScrollBar(), event)
        return True


def guard_wheel(widgets: Iterable[QWidget], guard: WheelGuard) -> None:
    """Install ``guard`` on the number fields, combo boxes and sliders among ``widgets``."""
    for widget in widgets:
        if isinstance(widget, (QAbstractSpinBox, QComboBox, QAbstractSlider)):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(guard)


FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁x₂",
    "sin(x1)": "sin x₁",
    "sin(x2)": "sin x₂",
}


class FeatureToggles(QWidget):
    """One checkable button per input feature, in two rows; at least one stays on.

    ``changed`` carries the features that are on, in the order of ``features``; ``refused``
    says why the last one stays on.
    """

    changed = Signal(list)
    refused = Signal(str)

    def __init__(self, features: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.features = features
        self.buttons: dict[str, QToolButton] = {}
        self.grid = grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        for index, feature in enumerate(features):
            button = QToolButton()
            button.setText(FEATURE_LABELS.get(feature, feature))
            button.setCheckable(True)
            button.setObjectName("featureToggle")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setToolTip(
                f"Feed {feature} to the network as an input neuron (click to switch it on or "
                "off; training restarts)."
            )
            button.toggled.connect(self._on_toggled)
            grid.addWidget(button, index // 4, index % 4)
            self.buttons[feature] = button

    def checked(self) -> list[str]:
        return [f for f in self.features if self.buttons[f].isChecked()]

    def set_state(self, on: list[str], allowed: tuple[str, ...]) -> None:
        """Check the features in ``on``; show only those in ``allowed``. Emits nothing."""
        for feature, button in self.buttons.items():
            blocked = button.blockSignals(True)
            button.setChecked(feature in on)
            button.blockSignals(blocked)
        self._arrange([f for f in self.features if f in allowed])

    def _arrange(self, shown: list[str]) -> None:
        """Lay the shown buttons out four to a row, without gaps for the hidden ones."""
        for button in self.buttons.values():
            self.grid.removeWidget(button)
        for index, feature in enumerate(shown):
            self.grid.addWidget(self.buttons[feature], index // 4, index % 4)
        for feature, button in self.buttons.items():
            button.setVisible(feature in shown)

    @Slot(bool)
    def _on_toggled(self, checked: bool) -> None:
        if not checked and not self.checked():
            button = self.sender()
            blocked = button.blockSignals(True)
            button.setChecked(True)
            button.blockSignals(blocked)
            self.refused.emit("Keep at least one input on: switch another one on first.")
            return
        self.changed.emit(self.checked())


class CheckedValue(QWidget):
    """An optional setting: a checkbox and a field beside it, the field enabled only when the
    box says so ("[x] full batch" disables the size; "[x] stop at" enables the loss)."""

    def __init__(self, box: QCheckBox, field: QWidget, *, field_when_checked: bool) -> None:
        super().__init__()
        self.box, self.field = box, field
        self._field_when_checked = field_when_checked
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if field_when_checked:
            layout.addWidget(box)
            layout.addWidget(field, 1)
        else:
            layout.addWidget(field, 1)
            layout.addWidget(box)
        box.toggled.connect(self._on_toggled)
        self._on_toggled(box.isChecked())

    @Slot(bool)
    def _on_toggled(self, checked: bool) -> None:
        self.field.setEnabled(checked == self._field_when_checked)

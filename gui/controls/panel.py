"""The control panel docked on the left: Data, Network and Training settings.

The panel edits nothing itself: it emits ``settingChanged(key, value)`` and the window maps
the key onto the session (:mod:`gui.session_edits`), then calls :meth:`ControlPanel.set_session`,
which fills every control in without emitting anything (no feedback loops).

Keys and values:
"data.builtin" str, "data.noise" float, "data.test_ratio" float, "data.n" int,
"data.classes" int, "features" list[str] (in core.data.dataset.FEATURES order),
"network.hidden" list[int], "network.hidden_activations" list[str],
"network.output_activation" str, "loss" str, "network.init.scheme" str,
"network.init.seed" int, "training.optimizer" str, "training.learning_rate" float,
"training.momentum" / "beta1" / "beta2" / "eps" float, "training.batch_size" int | None,
"training.l1" / "training.l2" float, "training.train_biases" bool, "training.epochs" int,
"training.target_loss" float | None.

A change the running trainer cannot take (all but ``core.engine.trainer.Trainer.LIVE_SETTINGS``)
shows a hint in its section saying that training restarts; the window may replace the text
with :meth:`ControlPanel.show_hint`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDockWidget,
    QFormLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from core.engine.trainer import Trainer
from gui.controls.data_section import DataSection
from gui.controls.fields import WheelGuard, guard_wheel
from gui.controls.network_section import NetworkSection
from gui.controls.numbers import RangeWatch
from gui.controls.section import Section
from gui.controls.training_section import TrainingSection

RESET_HINTS = {
    "data": "↻ Applied: training restarts on the new data.",
    "network": "↻ Applied: training restarts with the new network.",
    "training": "↻ Applied: training restarts with this setting.",
}
REGENERATE_HINT = "↻ New points drawn: training restarts on them."
NEW_SEED_HINT = "↻ New seed: training restarts from new weights."
FONT_POINTS = 11
STYLE = """
QLabel#sectionTitle { font-size: 13pt; font-weight: bold; color: #20303c;
    border: 0px solid #0877bd; border-bottom-width: 2px;
    padding-bottom: 2px; }
QLabel#resetHint { background: #fff3dc; color: #5a3800; border: 0px solid #f59322;
    border-left-width: 4px;
    padding: 4px 6px; }
QLabel#problemType, QLabel#networkShape { font-weight: bold; }
QLabel#scaleEnd { color: #5f6b75; }
QToolButton#featureToggle { padding: 4px 2px; border: 1px solid #9aa5ad; border-radius: 4px;
    background: #f4f6f7; color: #20303c; min-width: 52px;
    font-size: 12pt; }
QToolButton#featureToggle:checked { background: #0877bd; border-color: #06578a; color: white;
    font-weight: bold; }
QToolButton#layerButton { padding: 3px 8px; }
"""


def section_of(key: str) -> str:
    """ "data", "network" or "training": where the control for ``key`` lives."""
    head = key.split(".", 1)[0]
    if head in ("data", "features"):
        return "data"
    if head in ("network", "loss"):
        return "network"
    return "training"


def needs_restart(key: str) -> bool:
    """Whether a running trainer cannot take this change as it is (Trainer.LIVE_SETTINGS)."""
    head, _, name = key.partition(".")
    return not (head == "training" and name in Trainer.LIVE_SETTINGS)


def settings_dock(panel: QWidget, parent: QWidget) -> QDockWidget:
    """The "Settings" dock: ``panel`` in a scroll area that scrolls only up and down."""
    scroll = QScrollArea()
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scrollbar = scroll.verticalScrollBar().sizeHint().width()
    scroll.setMinimumWidth(panel.minimumSizeHint().width() + scrollbar + 4)
    dock = QDockWidget("Settings", parent)
    dock.setObjectName("settings_dock")
    dock.setWidget(scroll)
    return dock


class ControlPanel(QWidget):
    """Data, Network and Training settings of a session, stacked for a dock (about 340 px)."""

    settingChanged = Signal(str, object)
    regenerateRequested = Signal()
    importRequested = Signal()  # the Dataset list's "From a CSV file…"
    newSeedRequested = Signal()
    noticed = Signal(str)  # a typed value was out of range and changed: what and why

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("controlPanel")
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), FONT_POINTS))
        self.setFont(font)
        self.setStyleSheet(STYLE)
        self.data = DataSection()
        self.network = NetworkSection()
        self.training = TrainingSection()
        self.sections: dict[str, Section] = {
            "data": self.data,
            "network": self.network,
            "training": self.training,
        }
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(8)
        for section in self.sections.values():
            layout.addWidget(section)
            section.changed.connect(self._on_changed)
        layout.addStretch(1)
        self.data.regenerateRequested.connect(self._on_regenerate)
        self.data.importRequested.connect(self.importRequested)
        self.network.newSeedRequested.connect(self._on_new_seed)
        self.wheel_guard = WheelGuard(self)
        self.network.set_wheel_guard(self.wheel_guard)
        guard_wheel(self.findChildren(QWidget), self.wheel_guard)
        self.range_watch = RangeWatch(self)
        self.range_watch.noticed.connect(self.noticed)
        self.network.hidden.layersChanged.connect(self._watch_ranges)
        self._watch_ranges()
        self._align_labels()

    @Slot()
    def _watch_ranges(self, *_: object) -> None:
        """Every number field says so when a typed value was out of range (new hidden-layer
        rows included)."""
        for spin in self.findChildren(QAbstractSpinBox):
            self.range_watch.watch(spin)

    def _align_labels(self) -> None:
        """One label column for all sections, so the fields line up down the panel."""
        labels = [
            item.widget()
            for section in self.sections.values()
            for row in range(section.form.rowCount())
            if (item := section.form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        ]
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)

    def set_session(self, session) -> None:
        """Fill every control in from a core.session.format.Session; emits nothing."""
        for section in self.sections.values():
            section.set_session(session)
        self._watch_ranges()

    def show_hint(self, section: str, text: str) -> None:
        """Show ``text`` under "data", "network" or "training"; an empty text hides it."""
        self.sections[section].show_hint(text)

    def clear_hints(self) -> None:
        """Hide every hint (e.g. when training starts again)."""
        for section in self.sections.values():
            section.show_hint("")

    @Slot(str, object)
    def _on_changed(self, key: str, value: object) -> None:
        if needs_restart(key):
            section = section_of(key)
            self.show_hint(section, RESET_HINTS[section])
        self.settingChanged.emit(key, value)

    @Slot()
    def _on_regenerate(self) -> None:
        self.show_hint("data", REGENERATE_HINT)
        self.regenerateRequested.emit()

    @Slot()
    def _on_new_seed(self) -> None:
        self.show_hint("network", NEW_SEED_HINT)
        self.newSeedRequested.emit()

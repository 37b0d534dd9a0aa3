"""The Data section of the control panel: the data set, noise, split, points, classes
and input features."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QWidget,
)

from core.data.dataset import CLASSIFICATION_2D, FEATURES, default_test_ratio
from core.data.generators import DEFAULT_N, GATES, MAX_N, MIN_N, REGRESSION
from gui.controls.fields import FeatureToggles, ValueSlider, compact_combo
from gui.controls.numbers import integer_spin
from gui.controls.section import Section

DATASET_NAMES = {
    "xor_gate": "XOR gate (truth table)",
    "and_gate": "AND gate",
    "or_gate": "OR gate",
    "circle": "Circle",
    "xor": "Exclusive or",
    "gauss": "Gaussian",
    "spiral": "Spiral",
    "moons": "Two moons",
    "blobs": "Blobs (k classes)",
    "plane": "Plane (regression)",
    "multi_gauss": "Multi-Gaussian (regression)",
    "sine": "Sine (1-D regression)",
}
SINE_FEATURES = ("x1", "x1^2", "sin(x1)")
SOURCE_KEY = "__source__"  # the combo entry that names inline or CSV data
IMPORT_KEY = "__import__"  # the combo entry that opens Data > Import CSV…


class DataSection(Section):
    """Dataset, problem type, noise, split, points, classes, input features, regenerate."""

    regenerateRequested = Signal()
    importRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        self.dataset = compact_combo(QComboBox())
        groups = (GATES, CLASSIFICATION_2D, REGRESSION)
        for number, group in enumerate(groups):
            if number:
                self.dataset.insertSeparator(self.dataset.count())
            for name in group:
                self.dataset.addItem(DATASET_NAMES.get(name, name), name)
        self.dataset.insertSeparator(self.dataset.count())
        self.dataset.addItem("From a CSV file…", IMPORT_KEY)
        self.add_row("Dataset", self.dataset, "The data the network learns from.")
        self.problem = QLabel()
        self.problem.setObjectName("problemType")
        self.problem.setWordWrap(True)
        self.add_row("Problem", self.problem, "Set by the dataset: classes or a real number.")
        self._add_data_rows()
        self.features = FeatureToggles(FEATURES)
        self.features_caption = QLabel("Input features")
        self.features_caption.setToolTip("What the input neurons see; at least one stays on.")
        self.form.addRow(self.features_caption)
        self.form.addRow(self.features)
        self.table_inputs = QLabel()
        self.table_inputs.setWordWrap(True)
        self.form.addRow(self.table_inputs)
        self.regenerate = QPushButton("Regenerate data")
        self.regenerate.setToolTip("Draw new points with a new data seed (training restarts).")
        self.form.addRow(self.regenerate)
        self._connect()
        self._shown = self.dataset.currentIndex()

    def _add_data_rows(self) -> None:
        self.noise = ValueSlider(1.0, 0.05, lambda v: f"{v:.2f}")
        self.add_row("Noise", self.noise, "How much the points scatter, from 0 to 1.")
        self.test_ratio = ValueSlider(
            0.9, 0.05, lambda v: f"{100 - round(100 * v)}:{round(100 * v)}"
        )
        self.add_row(
            "Train:test", self.test_ratio, "How the points split into training and test data."
        )
        self.n = integer_spin(MIN_N, MAX_N, 50)
        self.add_row("Points", self.n, f"How many points to draw ({MIN_N} to {MAX_N:,}).")
        self.classes = integer_spin(2, 8)
        self.add_row("Classes", self.classes, "How many blobs, one class each (2 to 8).")

    def _connect(self) -> None:
        self.dataset.currentIndexChanged.connect(self._on_dataset)
        self.noise.valueChanged.connect(self._on_noise)
        self.test_ratio.valueChanged.connect(self._on_test_ratio)
        self.n.valueChanged.connect(self._on_n)
        self.classes.valueChanged.connect(self._on_classes)
        self.features.changed.connect(self._on_features)
        self.features.refused.connect(self.show_hint)
        self.regenerate.clicked.connect(self._on_regenerate)

    def set_session(self, session) -> None:
        """Show the session's data settings; emits nothing."""
        data = session.data
        with self.quiet():
            self._select_source(data)
            builtin = data.get("builtin")
            self.noise.setValue(float(data.get("noise", 0.0)))
            self.test_ratio.setValue(float(data.get("test_ratio", default_test_ratio(data))))
            self.n.setValue(4 if builtin in GATES else int(data.get("n", DEFAULT_N)))
            self.classes.setValue(int(data.get("classes", 3)))
            allowed = SINE_FEATURES if builtin == "sine" else FEATURES
            self.features.set_state(list(session.features), allowed)
            self._show_rows_for(builtin, session.dataset)
        self._shown = self.dataset.currentIndex()

    def _select_source(self, data: dict) -> None:
        source = self.dataset.findData(SOURCE_KEY)
        if "builtin" in data:
            if source >= 0:
                self.dataset.removeItem(source)
            self.dataset.setCurrentIndex(self.dataset.findData(data["builtin"]))
            return
        if "inline" in data:
            rows = len(data["inline"].get("inputs", []))
            text = f"Inline data ({rows} row{'s' if rows != 1 else ''})"
        else:
            text = f"CSV: {Path(str(data.get('csv', ''))).name}"
        if source < 0:
            self.dataset.insertItem(0, text, SOURCE_KEY)
            self.dataset.model().item(0).setEnabled(False)  # shown, not choosable
            source = 0
        self.dataset.setItemText(source, text)
        self.dataset.setCurrentIndex(source)

    def _show_rows_for(self, builtin: str | None, dataset=None) -> None:
        """Rows that apply to this source: none of the generator's for a table."""
        generated = builtin is not None
        for field in (self.noise, self.n, self.classes):
            self.form.setRowVisible(field, generated)
        self.form.setRowVisible(self.classes, builtin == "blobs")
        self.noise.setEnabled(builtin not in GATES)
        self.n.setEnabled(builtin not in GATES)
        self.form.setRowVisible(self.features_caption, generated)
        self.form.setRowVisible(self.features, generated)
        self.form.setRowVisible(self.table_inputs, not generated)
        self.form.setRowVisible(self.regenerate, generated)
        scaled = dataset is not None and getattr(dataset, "standardized", False)
        self.test_ratio.setEnabled(not scaled)  # standardised on its split: chosen at import
        self.test_ratio.setToolTip(
            "Chosen at import: the stored z-score is of its training rows"
            if scaled
            else "How the points split into training and test data."
        )
        if not generated and dataset is not None:
            count = dataset.x_train.shape[1]
            note, plural = " (standardised: z-score)" * scaled, "s" * (count != 1)
            self.table_inputs.setText(f"Inputs: the table's {count} column{plural}{note}.")
        self.problem.setText(self._problem_text(builtin, dataset))

    def _problem_text(self, builtin: str | None, dataset) -> str:
        if builtin in REGRESSION:
            return "regression"
        if builtin is None and dataset is not None and dataset.n_classes:
            return f"classification, {dataset.n_classes} classes"  # an imported class column
        if builtin is None:
            return dataset.kind if dataset is not None else ""
        if builtin in GATES:
            return "classification, a truth table: all 4 rows train (100:0)"
        classes = self.classes.value() if builtin == "blobs" else 2
        return f"classification, {classes} classes"

    @Slot(int)
    def _on_dataset(self, _index: int) -> None:
        name = self.dataset.currentData()
        if name == IMPORT_KEY:  # not a data set: the dialog, and the list shows what it did
            self.dataset.blockSignals(True)
            self.dataset.setCurrentIndex(self._shown)
            self.dataset.blockSignals(False)
            self.importRequested.emit()
            return
        self._shown = self.dataset.currentIndex()
        if name == SOURCE_KEY:
            return
        allowed = SINE_FEATURES if name == "sine" else FEATURES
        kept = [f for f in self.features.checked() if f in allowed] or ["x1"]
        self.features.set_state(kept, allowed)
        self._show_rows_for(name)
        self.emit_setting("data.builtin", name)

    @Slot(float)
    def _on_noise(self, value: float) -> None:
        self.emit_setting("data.noise", value)

    @Slot(float)
    def _on_test_ratio(self, value: float) -> None:
        self.emit_setting("data.test_ratio", value)

    @Slot(int)
    def _on_n(self, value: int) -> None:
        self.emit_setting("data.n", value)

    @Slot(int)
    def _on_classes(self, value: int) -> None:
        self.problem.setText(f"classification, {value} classes")
        self.emit_setting("data.classes", value)

    @Slot(list)
    def _on_features(self, features: list) -> None:
        self.emit_setting("features", list(features))

    @Slot()
    def _on_regenerate(self) -> None:
        self.regenerateRequested.emit()

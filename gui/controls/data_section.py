"""The three sections of the control panel: Data, Network and Training.

Each section shows part of a session and emits ``changed(key, value)`` when the user edits
it, never while :meth:`Section.set_session` fills it in.  Keys are listed in
:mod:`gui.controls.panel`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.data.dataset import CLASSIFICATION_2D, FEATURES, default_test_ratio
from core.data.generators import DEFAULT_N, GATES, MAX_N, MIN_N, REGRESSION
from core.engine.optimizers import OPTIMIZERS
from gui.controls.fields import (
    CheckedValue,
    ExactSpinBox,
    FeatureToggles,
    LogRateControl,
    ValueSlider,
    compact_combo,
    integer_spin,
)

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
            if not widget.toolTip():  # the parts of a compound field share its tooltip
                widget.setToolTip(tip)
        self.form.addRow(caption, field)
        return caption

    def show_hint(self, text: str) -> None:
        """Show ``text`` under the section, or hide the hint when it is empty."""
        self.hint.setText(text)
        self.hint.setVisible(bool(text))


class DataSection(Section):
    """Dataset, problem type, noise, split, points, classes, input features, regenerate."""

    regenerateRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        self.dataset = compact_combo(QComboBox())
        groups = (GATES, CLASSIFICATION_2D, REGRESSION)
        for number, group in enumerate(groups):
            if number:
                self.dataset.insertSeparator(self.dataset.count())
            for name in group:
                self.dataset.addItem(DATASET_NAMES.get(name, name), name)
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
        if not generated and dataset is not None:
            count = dataset.x_train.shape[1]
            self.table_inputs.setText(f"Inputs: the table's {count} column{'s' * (count != 1)}.")
        self.problem.setText(self._problem_text(builtin, dataset))

    def _problem_text(self, builtin: str | None, dataset) -> str:
        if builtin in REGRESSION:
            return "regression"
        if builtin is None:
            return dataset.kind if dataset is not None else ""
        classes = self.classes.value() if builtin == "blobs" else 2
        return f"classification, {classes} classes"

    @Slot(int)
    def _on_dataset(self, _index: int) -> None:
        name = self.dataset.currentData()
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


OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "SGD + momentum", "adam": "Adam"}
LIVE = " Takes effect immediately, also while training."
OPTIMIZER_FIELDS = {  # key: (label, low, high, step, tooltip)
    "momentum": ("Momentum μ", 0.0, 0.9999, 0.01, "How much of the last step carries over."),
    "beta1": ("Adam β₁", 0.0, 0.9999, 0.01, "Decay rate of Adam's mean of the gradients."),
    "beta2": ("Adam β₂", 0.0, 0.99999, 0.001, "Decay rate of Adam's mean of squared gradients."),
    "eps": ("Adam ε", 1e-12, 0.1, 0.0, "Keeps Adam's step finite where gradients are tiny."),
}


class TrainingSection(Section):
    """Optimiser and its parameters, learning rate, batch size, L1/L2, frozen biases and the
    stop conditions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        self.optimizer = compact_combo(QComboBox())
        for key in OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZER_NAMES.get(key, key), key)
        self.add_row("Optimiser", self.optimizer, "The rule that turns gradients into steps.")
        self._add_learning_rate()
        self.fields: dict[str, ExactSpinBox] = {}
        for key, (label, lo, hi, step, tip) in OPTIMIZER_FIELDS.items():
            field = ExactSpinBox(lo, hi, ladder=step == 0.0)
            field.setSingleStep(step or 1.0)
            self.add_row(label, field, tip + LIVE)
            field.valueChanged.connect(self._on_field)
            self.fields[key] = field
        self._add_batch_and_penalties()
        self._add_stop_conditions()
        self.optimizer.currentIndexChanged.connect(self._on_optimizer)

    def _add_learning_rate(self) -> None:
        self.lr = LogRateControl(1e-5, 10.0, self)
        self.add_row("Learning rate", self.lr.spin, "Step size: how far each update moves." + LIVE)
        self.lr.slider.setToolTip("The learning rate on a log scale, 0.00001 to 10." + LIVE)
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel("0.00001"), self.lr.slider, QLabel("10")):
            layout.addWidget(widget, 1 if widget is self.lr.slider else 0)
            if widget is not self.lr.slider:
                widget.setObjectName("scaleEnd")
        self.form.addRow(row)
        self.lr.valueChanged.connect(self._on_lr)

    def _add_batch_and_penalties(self) -> None:
        self.batch_size = integer_spin(1, 1, 1)
        self.full_batch = QCheckBox("Full batch")
        self.full_batch.setToolTip(
            "Use every training point in each step (batch gradient descent)."
        )
        self.batch = CheckedValue(self.full_batch, self.batch_size, field_when_checked=False)
        self.add_row("Batch size", self.batch, "Training points per step (training restarts).")
        self.l1 = ExactSpinBox(0.0, 10.0, ladder=True)
        self.add_row("L1 rate", self.l1, "Weight of the L1 penalty λ₁·Σ|w|, which prunes." + LIVE)
        self.l2 = ExactSpinBox(0.0, 10.0, ladder=True)
        self.add_row("L2 rate", self.l2, "Weight of the L2 penalty λ₂/2·Σw², which shrinks." + LIVE)
        self.freeze = QCheckBox("Freeze biases (train weights only)")
        self.freeze.setToolTip(
            "Keep every bias at its value; only the weights learn (training restarts)."
        )
        self.form.addRow(self.freeze)
        self.batch_size.valueChanged.connect(self._on_batch)
        self.full_batch.toggled.connect(self._on_batch)
        self.l1.valueChanged.connect(self._on_l1)
        self.l2.valueChanged.connect(self._on_l2)
        self.freeze.toggled.connect(self._on_freeze)

    def _add_stop_conditions(self) -> None:
        self.epochs = integer_spin(1, 10_000_000, 100)
        self.add_row("Max epochs", self.epochs, "Training pauses after this many epochs." + LIVE)
        self.target = ExactSpinBox(1e-12, 1000.0, ladder=True)
        self.target.setValue(0.01)
        self.use_target = QCheckBox("Stop at")
        self.target_row = CheckedValue(self.use_target, self.target, field_when_checked=True)
        self.add_row("Target loss", self.target_row, "Pause once the loss is this low." + LIVE)
        self.epochs.valueChanged.connect(self._on_epochs)
        self.target.valueChanged.connect(self._on_target)
        self.use_target.toggled.connect(self._on_target)

    def set_session(self, session) -> None:
        """Show the session's training settings; emits nothing."""
        config = session.training
        n_train = max(1, len(session.dataset.x_train))
        with self.quiet():
            self.optimizer.setCurrentIndex(self.optimizer.findData(config.optimizer))
            self.lr.setValue(config.learning_rate)
            for key, field in self.fields.items():
                field.setValue(getattr(config, key))
            self.batch_size.setMaximum(max(n_train, config.batch_size or 1))
            self.batch_size.setValue(config.batch_size or min(n_train, 10))
            self.full_batch.setChecked(config.batch_size is None)
            self.l1.setValue(config.l1)
            self.l2.setValue(config.l2)
            self.freeze.setChecked(not config.train_biases)
            self.epochs.setValue(config.epochs)
            if config.target_loss is not None:
                self.target.setValue(config.target_loss)
            self.use_target.setChecked(config.target_loss is not None)
            self._show_optimizer_fields()

    def _show_optimizer_fields(self) -> None:
        name = self.optimizer.currentData()
        shown = {"sgd": (), "momentum": ("momentum",), "adam": ("beta1", "beta2", "eps")}
        for key, field in self.fields.items():
            self.form.setRowVisible(field, key in shown.get(name, ()))

    @Slot(int)
    def _on_optimizer(self, _index: int) -> None:
        self._show_optimizer_fields()
        self.emit_setting("training.optimizer", self.optimizer.currentData())

    @Slot(float)
    def _on_lr(self, value: float) -> None:
        self.emit_setting("training.learning_rate", value)

    @Slot(float)
    def _on_field(self, value: float) -> None:
        key = next(k for k, field in self.fields.items() if field is self.sender())
        self.emit_setting(f"training.{key}", value)

    @Slot()
    def _on_batch(self) -> None:
        size = None if self.full_batch.isChecked() else self.batch_size.value()
        self.emit_setting("training.batch_size", size)

    @Slot(float)
    def _on_l1(self, value: float) -> None:
        self.emit_setting("training.l1", value)

    @Slot(float)
    def _on_l2(self, value: float) -> None:
        self.emit_setting("training.l2", value)

    @Slot(bool)
    def _on_freeze(self, frozen: bool) -> None:
        self.emit_setting("training.train_biases", not frozen)

    @Slot(int)
    def _on_epochs(self, value: int) -> None:
        self.emit_setting("training.epochs", value)

    @Slot()
    def _on_target(self) -> None:
        value = self.target.value() if self.use_target.isChecked() else None
        self.emit_setting("training.target_loss", value)

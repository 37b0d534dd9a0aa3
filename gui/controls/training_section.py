"""The Training section of the control panel: optimiser, learning rate, batch size,
penalties and stop conditions."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from core.engine.optimizers import OPTIMIZERS
from gui.controls.fields import CheckedValue, LogRateControl, compact_combo
from gui.controls.numbers import ExactSpinBox, integer_spin
from gui.controls.section import Section

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
        self.batch_note = QLabel()
        self.batch_note.setObjectName("resetHint")
        self.batch_note.setWordWrap(True)
        self.batch_note.hide()
        self.form.addRow(self.batch_note)
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
            self.batch_size.setMaximum(n_train)
            self.batch_size.setProperty("range_why", f"1 to {n_train:,}, the training rows")
            self.batch_size.setValue(min(config.batch_size or 10, n_train))
            big = config.batch_size is not None and config.batch_size > n_train
            self.batch_note.setText(
                f"A batch of {config.batch_size:,} is more than the {n_train:,} training rows:"
                " each step uses all of them (full batch)."
                if big
                else ""
            )
            self.batch_note.setVisible(big)
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

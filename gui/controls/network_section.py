"""The Network section of the control panel: hidden layers, output activation and loss (only
pairs that make sense), initialiser and seed."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from core.engine.activations import ACTIVATIONS
from core.engine.initializers import SCHEMES
from core.engine.losses import LOSSES, pairing_problem
from core.trace.notation import ACTIVATION_NAMES
from gui.controls.fields import WheelGuard, compact_combo
from gui.controls.hidden_layers import HiddenLayerRows
from gui.controls.numbers import integer_spin
from gui.controls.section import Section

HIDDEN_ACTIVATIONS = {k: ACTIVATION_NAMES.get(k, k) for k in ACTIVATIONS if k != "softmax"}
OUTPUT_ACTIVATIONS = {k: ACTIVATION_NAMES.get(k, k) for k in ACTIVATIONS}
LOSS_NAMES = {
    "mse": "MSE (mean squared)",
    "sse": "SSE (½ Σ squares)",
    "bce": "BCE (sigmoid + CE)",
    "cce": "CCE (softmax + CE)",
}
LOSS_TIPS = {
    "mse": "Mean squared error: the mean of (y - a)² over points and outputs.",
    "sse": "Sum of squared errors: ½ Σ (y - a)², the textbook E.",
    "bce": "Binary cross-entropy, for 0/1 targets; needs a sigmoid output.",
    "cce": "Categorical cross-entropy, for one class per point; needs a softmax output.",
}
INIT_NAMES = {
    "zeros": "zeros (all equal)",
    "uniform01": "uniform [0, 1)",
    "uniform": "uniform ±0.5",
    "xavier_uniform": "Xavier uniform",
    "xavier_normal": "Xavier normal",
    "he_uniform": "He uniform",
    "he_normal": "He normal",
}
LOSS_PARTNERS = {"cce": "softmax", "bce": "sigmoid"}
OUTPUT_PARTNERS = {"softmax": "cce", "sigmoid": "bce"}


@dataclass(frozen=True)
class OutputRules:
    """Which output activations and losses the session's data allows.

    ``classes``: the classes of built-in classification data (None for tables and
    regression), whose output layer gets one neuron per class under softmax;
    ``regression``: built-in regression data, whose targets go below 0.
    """

    n_outputs: int = 1
    classes: int | None = 2
    regression: bool = False

    def neurons(self, output: str) -> int:
        """Output neurons under ``output``: one per class for softmax or more than 2 classes,
        else one; a table's output layer keeps its size."""
        if self.classes is None:
            return self.n_outputs
        return self.classes if output == "softmax" or self.classes > 2 else 1

    def problem(self, loss: str, output: str) -> str | None:
        """Why this pair makes no sense here, or None."""
        if self.regression and output in ("sigmoid", "softmax"):
            return f"regression targets go below 0, which a {output} output never reaches"
        return pairing_problem(loss, output, self.neurons(output))

    def partner_loss(self, output: str, loss: str) -> str:
        """``loss`` if it fits ``output``, else its natural partner (softmax: cce, ...)."""
        for candidate in (loss, OUTPUT_PARTNERS.get(output, "mse"), *LOSSES):
            if self.problem(candidate, output) is None:
                return candidate
        return loss

    def partner_output(self, loss: str, output: str) -> str:
        """``output`` if it fits ``loss``, else its natural partner (cce: softmax, ...)."""
        usual = "linear" if self.regression else "sigmoid"
        for candidate in (output, LOSS_PARTNERS.get(loss, usual), usual, *OUTPUT_ACTIVATIONS):
            if self.problem(loss, candidate) is None:
                return candidate
        return output

    def output_problem(self, output: str) -> str | None:
        """None if some loss fits ``output``, else why not."""
        return self.problem(self.partner_loss(output, OUTPUT_PARTNERS.get(output, "mse")), output)

    def loss_problem(self, loss: str) -> str | None:
        """None if some output activation fits ``loss``, else why not."""
        return self.problem(loss, self.partner_output(loss, LOSS_PARTNERS.get(loss, "linear")))


class NetworkSection(Section):
    """Hidden layers, output activation, loss, initialiser and seed."""

    newSeedRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Network", parent)
        self.rules = OutputRules()
        self._n_inputs = 2
        self.shape = QLabel()
        self.shape.setObjectName("networkShape")
        self.shape.setWordWrap(True)
        self.add_row("Shape", self.shape, "Neurons per layer, from the inputs to the output.")
        caption = QLabel("Hidden layers: neurons, activation")
        caption.setToolTip("Neurons and activation function of each hidden layer.")
        self.form.addRow(caption)
        self.hidden = HiddenLayerRows(HIDDEN_ACTIVATIONS)
        self.form.addRow(self.hidden)
        self.output = self._combo(OUTPUT_ACTIVATIONS)
        self.add_row("Output", self.output, "The activation function of the output layer.")
        self.loss = self._combo(LOSS_NAMES)
        self.add_row("Loss", self.loss, "What training minimises; it must suit the output.")
        self.init = self._combo(INIT_NAMES | {s: s for s in SCHEMES if s not in INIT_NAMES})
        self.add_row("Initialiser", self.init, "How the first weights are drawn (biases start 0).")
        self._add_seed_row()
        self._connect()

    @staticmethod
    def _combo(items: dict[str, str]) -> QComboBox:
        combo = compact_combo(QComboBox())
        for key, text in items.items():
            combo.addItem(text, key)
        return combo

    def _add_seed_row(self) -> None:
        self.seed = integer_spin(0, 2**31 - 1)
        self.seed.setGroupSeparatorShown(False)
        self.seed.setMinimumWidth(80)
        self.seed.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.dice = QPushButton("New seed")
        self.dice.setToolTip("Draw a new random seed, and so new starting weights.")
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.seed, 1)
        layout.addWidget(self.dice)
        caption = self.add_row("Seed", row, "The seed that fixes the starting weights.")
        self.seed.setToolTip(caption.toolTip())

    def _connect(self) -> None:
        self.hidden.sizesChanged.connect(self._on_sizes)
        self.hidden.activationsChanged.connect(self._on_activations)
        self.hidden.layersChanged.connect(self._on_layers)
        self.output.currentIndexChanged.connect(self._on_output)
        self.loss.currentIndexChanged.connect(self._on_loss)
        self.init.currentIndexChanged.connect(self._on_init)
        self.seed.valueChanged.connect(self._on_seed)
        self.dice.clicked.connect(self._on_dice)

    def set_wheel_guard(self, guard: WheelGuard) -> None:
        self.hidden.wheel_guard = guard

    def set_session(self, session) -> None:
        """Show the session's network settings; emits nothing."""
        net, dataset = session.network, session.dataset
        builtin = "builtin" in session.data
        classes = dataset.n_classes if builtin and dataset.kind == "classification" else None
        self.rules = OutputRules(
            n_outputs=net.layers[-1],
            classes=classes,
            regression=builtin and dataset.kind == "regression",
        )
        self._n_inputs = net.layers[0]
        with self.quiet():
            self.hidden.set_layers(list(net.layers[1:-1]), list(net.activation_names[:-1]))
            self._select(self.output, net.activation_names[-1])
            self._select(self.loss, session.loss)
            self._select(self.init, session.init_scheme)
            self.seed.setValue(session.init_seed)
            self._update_choices()
            self._show_shape(net.layers[-1])

    @staticmethod
    def _select(combo: QComboBox, key: str) -> None:
        if combo.findData(key) < 0:
            combo.addItem(key, key)
        combo.setCurrentIndex(combo.findData(key))

    def _update_choices(self) -> None:
        """Disable the activations and losses no partner can make sense of; say why."""
        output, loss = self.output.currentData(), self.loss.currentData()
        for index in range(self.output.count()):
            key = self.output.itemData(index)
            problem = self.rules.output_problem(key)
            partner = self.rules.partner_loss(key, loss)
            note = f"Switches the loss to {partner}." if partner != loss else ""
            self._set_item(self.output, index, problem is None, f"{problem}." if problem else note)
        for index in range(self.loss.count()):
            key = self.loss.itemData(index)
            problem = self.rules.loss_problem(key)
            partner = self.rules.partner_output(key, output)
            note = f"Switches the output to {partner}." if partner != output else ""
            tip = f"{LOSS_TIPS.get(key, key)} {problem.capitalize() + '.' if problem else note}"
            self._set_item(self.loss, index, problem is None, tip.strip())

    @staticmethod
    def _set_item(combo: QComboBox, index: int, enabled: bool, tip: str) -> None:
        combo.model().item(index).setEnabled(enabled)
        combo.setItemData(
            index, tip[:1].upper() + tip[1:] if tip else None, Qt.ItemDataRole.ToolTipRole
        )

    def _show_shape(self, n_outputs: int | None = None) -> None:
        outputs = self.rules.neurons(self.output.currentData()) if n_outputs is None else n_outputs
        layers = [self._n_inputs, *self.hidden.sizes(), outputs]
        arrow = " → " if len(layers) <= 5 else "→"  # deep nets stay on one line
        self.shape.setText(arrow.join(str(n) for n in layers))

    @Slot(list)
    def _on_sizes(self, sizes: list) -> None:
        self._show_shape()
        self.emit_setting("network.hidden", list(sizes))

    @Slot(list)
    def _on_activations(self, names: list) -> None:
        self.emit_setting("network.hidden_activations", list(names))

    @Slot(list, list)
    def _on_layers(self, sizes: list, names: list) -> None:
        self._show_shape()
        self.emit_setting("network.hidden", list(sizes))
        self.emit_setting("network.hidden_activations", list(names))

    @Slot(int)
    def _on_output(self, _index: int) -> None:
        output, loss = self.output.currentData(), self.loss.currentData()
        partner = self.rules.partner_loss(output, loss)
        if partner != loss:
            with self.quiet():
                self._select(self.loss, partner)
        self._update_choices()
        self._show_shape()
        self.emit_setting("network.output_activation", output)
        if partner != loss:
            self.emit_setting("loss", partner)

    @Slot(int)
    def _on_loss(self, _index: int) -> None:
        output, loss = self.output.currentData(), self.loss.currentData()
        partner = self.rules.partner_output(loss, output)
        if partner != output:
            with self.quiet():
                self._select(self.output, partner)
        self._update_choices()
        self._show_shape()
        self.emit_setting("loss", loss)
        if partner != output:
            self.emit_setting("network.output_activation", partner)

    @Slot(int)
    def _on_init(self, _index: int) -> None:
        self.emit_setting("network.init.scheme", self.init.currentData())

    @Slot(int)
    def _on_seed(self, value: int) -> None:
        self.emit_setting("network.init.seed", value)

    @Slot()
    def _on_dice(self) -> None:
        self.newSeedRequested.emit()

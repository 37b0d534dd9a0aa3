"""The strip above the training plots: the exact values at one epoch (as rich text), the
log-loss switch, and the key to the earlier runs with the button that clears them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QToolButton, QWidget

from gui.plots.runs import RunHistory
from gui.plots.style import FONT_PT, TEST_COLOR, TRAIN_COLOR, layer_colors, swatch

NO_DATA = "–"
NO_TRAINING = "No training yet: the values appear here."


def fmt(value: float, percent: bool = False) -> str:
    """A value for the readout: 4 significant digits, a percentage, or a dash for NaN."""
    if not np.isfinite(value):
        return NO_DATA
    return f"{100 * value:.1f} %" if percent else f"{value:.4g}"


def fmt_small(value: float) -> str:
    """A positive magnitude in short scientific notation: 1.9e-5."""
    if not np.isfinite(value):
        return NO_DATA
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def readout_label(tooltip: str) -> QLabel:
    """One line of the readout: rich text at a projector-readable size."""
    label = QLabel()
    font = QFont()
    font.setPointSize(FONT_PT)
    label.setFont(font)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setToolTip(tooltip)
    return label


def pair(run: RunHistory, name: str, row: int, has_test: bool, percent: bool = False) -> str:
    """Train (and test, if there is a test split) values of one quantity at ``row``."""
    text = f"{swatch(TRAIN_COLOR)} train {fmt(run.value(f'train_{name}', row), percent)}"
    if has_test:
        text += f" &nbsp;{swatch(TEST_COLOR)} test {fmt(run.value(f'test_{name}', row), percent)}"
    return text


def same_as_latest(run: RunHistory, values: dict[str, float]) -> bool:
    """Whether ``values`` are the latest epoch's own (the parameters have not changed
    since its row, so the readout can say "epoch N")."""
    if run.rows == 0:
        return False
    latest = [run.value(name, run.rows - 1) for name in values]
    return all(a == b or (a != a and b != b) for a, b in zip(latest, values.values()))


def now_texts(values: dict[str, float], has_test: bool) -> tuple[str, str]:
    """The loss and accuracy lines for the parameters as they are now (rich text)."""

    def both(name: str, percent: bool = False) -> str:
        text = f"{swatch(TRAIN_COLOR)} train {fmt(values[f'train_{name}'], percent)}"
        if has_test:
            text += f" &nbsp;{swatch(TEST_COLOR)} test {fmt(values[f'test_{name}'], percent)}"
        return text

    return f"<b>now</b> &nbsp; loss: {both('loss')}", f"accuracy: {both('accuracy', True)}"


def readout_texts(run: RunHistory, row: int, has_test: bool) -> tuple[str, str, str]:
    """The loss, accuracy and gradient-norm lines at ``row`` of ``run`` (rich text)."""
    if run.rows == 0:
        return NO_TRAINING, "", ""
    norms = [
        f"{swatch(color)}{fmt_small(run.grad_value(l, row))}"
        for l, color in enumerate(layer_colors(run.layers))
    ]
    return (
        f"<b>epoch {row}</b> &nbsp; loss: {pair(run, 'loss', row, has_test)}",
        f"accuracy: {pair(run, 'accuracy', row, has_test, percent=True)}",
        "|dL/dW|: " + " ".join(norms),
    )


class Readout(QWidget):
    """The readout lines, the "log loss" check box and the earlier runs' key with a "Clear
    runs" button (its action, ``clear_runs.defaultAction()``, for menus too)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        hint = "Values at the epoch under the mouse; otherwise at the latest epoch"
        self.loss = readout_label(hint)
        self.accuracy = readout_label(hint)
        self.grad = readout_label(
            hint + ". |dL/dW| of each weight matrix, first layer to last (colours as in the plot)"
        )
        self.runs_key = readout_label(
            "Earlier runs, newest first, numbered as tagged at the end of their loss curves, "
            "each with what it did differently from the current run (learning rate, batch, "
            "seed, optimiser or layers)"
        )
        font = QFont()
        font.setPointSize(FONT_PT)
        self.log_y_box = QCheckBox("log loss")
        self.log_y_box.setFont(font)
        self.log_y_box.setToolTip("Show the loss on a logarithmic axis (small losses stay visible)")
        action = QAction("Clear runs", self)
        action.setToolTip(
            "Remove the faded curves of earlier runs from the training plots (the current "
            "run stays)"
        )
        self.clear_runs = QToolButton()
        self.clear_runs.setDefaultAction(action)
        self.clear_runs.setFont(font)
        grid = QGridLayout(self)
        grid.setContentsMargins(2, 0, 2, 0)
        grid.setVerticalSpacing(0)
        grid.addWidget(self.loss, 0, 0)
        grid.addWidget(self.log_y_box, 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.accuracy, 1, 0, 1, 2)
        grid.addWidget(self.grad, 2, 0, 1, 2)
        grid.addWidget(self.runs_key, 3, 0)
        grid.addWidget(self.clear_runs, 3, 1, Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(0, 1)

    def show_row(self, run: RunHistory, row: int, has_test: bool) -> None:
        """The values at ``row`` of ``run``."""
        for label, text in zip(
            (self.loss, self.accuracy, self.grad), readout_texts(run, row, has_test)
        ):
            label.setText(text)

    def show_now(self, values: dict[str, float], has_test: bool) -> None:
        """The loss and accuracy of the parameters now (edited, or part-way through an
        epoch), instead of the last epoch's."""
        self.loss.setText(now_texts(values, has_test)[0])
        self.accuracy.setText(now_texts(values, has_test)[1])
        self.loss.setToolTip("The parameters changed since the last epoch: these are theirs")

    def show_runs(self, key: str) -> None:
        """The key to the earlier runs (rich text; empty: none, and no button)."""
        self.runs_key.setText(key)
        self.runs_key.setVisible(bool(key))
        self.clear_runs.setVisible(bool(key))

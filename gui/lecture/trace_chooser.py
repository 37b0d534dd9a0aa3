"""What lecture mode traces: the next mini-batch, a training row, or an input of one's own.

The chooser sits at the top of the lecture's dock.  It holds no trace; it says what
the user asked for (a :class:`TraceChoice`) and, for a traced batch, which of its
samples the neurons show and whether the batch's dL/dw is unfolded into the
per-sample parts it sums.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from core.session.format import session_from_dict
from core.session.lecture_setup import own_row, raw_width, target_problem
from core.trace.iteration import IterationTrace, trace_iteration

if TYPE_CHECKING:
    from pathlib import Path

    from core.data.dataset import Dataset

MODES = ("batch", "row", "own")
MODE_TEXTS = ("the next mini-batch", "a training row", "an input of my own")


@dataclass(frozen=True)
class TraceChoice:
    """The next mini-batch (``sample`` and ``input`` None), training row ``sample``, or
    the raw point ``input`` with its ``target``."""

    sample: int | None = None
    input: tuple[float, ...] | None = None
    target: tuple[float, ...] | None = None

    @property
    def mode(self) -> str:
        """'batch', 'row' or 'own'."""
        return "own" if self.input is not None else "batch" if self.sample is None else "row"

    def trace(self, payload: dict, base_dir: Path | None) -> tuple[Dataset, IterationTrace]:
        """The step the training process described (``payload``: its session, the
        optimiser's state and the rows of the step), traced on those rows or on this
        choice's own input; SessionError if the session does not load."""
        allowed = bool(payload.get("allow_outside", False))  # the user's, kept by the session
        session = session_from_dict(payload["session"], base_dir=base_dir, allow_outside=allowed)
        ds = session.dataset
        if self.input is not None:
            x, y = own_row(ds, session.features, self.input, self.target)
        else:
            x, y = ds.x_train[payload["rows"]], ds.y_train[payload["rows"]]
        trace = trace_iteration(
            session.network,
            session.loss,
            payload["optimizer"],
            session.training,
            x,
            y,
            labels=session.fitting_labels(),
            bug=payload.get("bug"),
        )
        return ds, trace


def parse_numbers(text: str, count: int, what: str) -> tuple[float, ...]:
    """``count`` finite numbers separated by commas or spaces; ValueError says what is wrong."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if len(parts) != count:
        raise ValueError(f"{what}: type {count} number{'s' * (count != 1)}, got {len(parts)}")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise ValueError(f"{what}: {text.strip()!r} is not a list of numbers") from None
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"{what}: numbers must be finite")
    return values


def numbers_text(values) -> str:
    """'0.05, 0.1'."""
    return ", ".join(f"{float(v):.12g}" for v in values)


class TraceChooser(QWidget):
    """Choose what to trace; show a batch's sample; unfold its dL/dw."""

    choiceMade = Signal(object)  # a TraceChoice
    shownChanged = Signal(int)  # which sample of the batch the neurons show
    unfoldChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widths = (2, 1)  # numbers in a raw input and in a target
        self._loss = "mse"  # the session's loss: which targets an own input may have
        self.mode_box = QComboBox()
        self.mode_box.addItems(MODE_TEXTS)
        self.mode_box.setToolTip("What the traced step learns from")
        self.row_box = QSpinBox()
        self.row_box.setPrefix("row ")
        self.row_box.setMinimum(1)
        self.row_box.setToolTip("The training row to trace, as a batch of one (from 1)")
        self.input_edit = QLineEdit()
        self.input_edit.setToolTip("The input's numbers, separated by commas (e.g. 0.05, 0.1)")
        self.target_edit = QLineEdit()
        self.target_edit.setToolTip("What the outputs should be, separated by commas")
        self.trace_button = QPushButton("Trace")
        self.trace_button.setToolTip("Trace one training step on this input (Enter)")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        self.shown_box = QSpinBox()
        self.shown_box.setToolTip("Which sample of the batch the neurons and formulas show")
        self.unfold_box = QCheckBox("Unfold dL/dw into each sample's part")
        self.unfold_box.setToolTip(
            "A batch's dL/dw sums one part per sample: show the parts (the edges then "
            "show the chosen sample's part)"
        )
        self._build()
        self.mode_box.currentIndexChanged.connect(self._on_mode)
        self.row_box.valueChanged.connect(self._on_row)
        self.trace_button.clicked.connect(self._on_trace)
        self.input_edit.returnPressed.connect(self._on_trace)
        self.target_edit.returnPressed.connect(self._on_trace)
        self.shown_box.valueChanged.connect(lambda v: self.shownChanged.emit(v - 1))
        self.unfold_box.toggled.connect(self.unfoldChanged)
        self._on_mode(0, emit=False)
        self.set_batch(1)

    def _build(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.input_label, self.target_label = QLabel("Input"), QLabel("Target")
        self.shown_label = QLabel("Neurons show sample")
        grid.addWidget(QLabel("Trace"), 0, 0)
        grid.addWidget(self.mode_box, 0, 1)
        grid.addWidget(self.row_box, 0, 2)
        grid.addWidget(self.input_label, 1, 0)
        grid.addWidget(self.input_edit, 1, 1, 1, 2)
        grid.addWidget(self.target_label, 2, 0)
        grid.addWidget(self.target_edit, 2, 1)
        grid.addWidget(self.trace_button, 2, 2)
        grid.addWidget(self.error, 3, 0, 1, 3)
        grid.addWidget(self.shown_label, 4, 0, 1, 2)
        grid.addWidget(self.shown_box, 4, 2)
        grid.addWidget(self.unfold_box, 5, 0, 1, 3)
        grid.setColumnStretch(1, 1)

    # --- what the session allows ---

    def set_limits(self, rows: int, input_width: int, target_width: int) -> None:
        """Rows 0..rows-1 to pick from; own inputs of ``input_width`` numbers, targets of
        ``target_width``."""
        self.row_box.setMaximum(max(rows, 1))
        self._widths = (input_width, target_width)
        self.input_edit.setPlaceholderText(f"{input_width} number{'s' * (input_width > 1)}")
        self.target_edit.setPlaceholderText(f"{target_width} number{'s' * (target_width > 1)}")

    def set_batch(self, n: int, shown: int = 0) -> None:
        """A traced batch of ``n`` samples, the neurons showing sample ``shown`` (from 0)."""
        self.shown_box.blockSignals(True)
        self.shown_box.setRange(1, max(n, 1))
        self.shown_box.setSuffix(f" of {n}")
        self.shown_box.setValue(shown + 1)
        self.shown_box.blockSignals(False)
        for widget in (self.shown_label, self.shown_box, self.unfold_box):
            widget.setVisible(n > 1)

    # --- the choice ---

    @property
    def mode(self) -> str:
        """'batch', 'row' or 'own'."""
        return MODES[self.mode_box.currentIndex()]

    def choice(self) -> TraceChoice:
        """What the widgets say now (raises ValueError for an own input that does not parse)."""
        if self.mode == "row":
            return TraceChoice(sample=self.row_box.value() - 1)  # rows from 1 on screen
        if self.mode == "own":
            point = parse_numbers(self.input_edit.text(), self._widths[0], "Input")
            target = parse_numbers(self.target_edit.text(), self._widths[1], "Target")
            problem = target_problem(self._loss, target)
            if problem is not None:
                raise ValueError(f"Target: {problem}")
            return TraceChoice(input=point, target=target)
        return TraceChoice()

    def show_choice(self, choice: TraceChoice, unfold: bool | None = None) -> None:
        """Set the widgets to ``choice`` (and the unfold box to ``unfold`` if given)
        without asking for a trace."""
        self.blockSignals(True)
        if unfold is not None:
            self.unfold_box.blockSignals(True)
            self.unfold_box.setChecked(unfold)
            self.unfold_box.blockSignals(False)
        self.mode_box.setCurrentIndex(MODES.index(choice.mode))
        if choice.sample is not None:
            self.row_box.setValue(choice.sample + 1)
        if choice.input is not None:
            self.input_edit.setText(numbers_text(choice.input))
            self.target_edit.setText(numbers_text(choice.target))
        self._on_mode(self.mode_box.currentIndex(), emit=False)
        self.blockSignals(False)

    def fill(self, ds: Dataset, loss: str, batch: int, shown: int, choice: TraceChoice) -> None:
        """Fit the widgets to data set ``ds`` and ``loss`` (its targets) and a traced batch
        of ``batch`` samples (the neurons showing sample ``shown``), and show ``choice``."""
        self._loss = loss
        self.set_limits(len(ds.x_train), raw_width(ds), ds.y_train.shape[1])
        self.set_batch(batch, shown)
        self.show_choice(choice)
        points = ds.points_train if ds.points_train is not None else ds.x_train
        row = choice.sample or 0
        self.fill_own(points[row], ds.y_train[row])

    def fill_own(self, point, target) -> None:
        """Put a starting point and target in the own-input fields (when they are empty)."""
        if not self.input_edit.text().strip():
            self.input_edit.setText(numbers_text(point))
            self.target_edit.setText(numbers_text(target))

    @Slot(int)
    def _on_mode(self, index: int, emit: bool = True) -> None:
        own = MODES[index] == "own"
        self.row_box.setVisible(MODES[index] == "row")
        for widget in (self.input_label, self.input_edit, self.target_label, self.target_edit):
            widget.setVisible(own)
        self.trace_button.setVisible(own)
        self.error.clear()
        self.error.setVisible(own)
        if emit and not own:  # an own input waits for its numbers and Trace
            self.choiceMade.emit(self.choice())
        elif own:
            self.input_edit.setFocus()

    @Slot(int)
    def _on_row(self, _row: int) -> None:
        if self.mode == "row":
            self.choiceMade.emit(self.choice())

    @Slot()
    def _on_trace(self) -> None:
        try:
            choice = self.choice()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.choiceMade.emit(choice)

"""The slice controls (in the Data settings), for a table of more than two inputs: which two
inputs vary on the maps (across and up) and, for every other input, the value it is held at
(a slider over its training range; by default its training mean).  The maps of the output
and of every neuron follow the slice (core.data.planes.Slice)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from core.data.dataset import Dataset
from core.data.planes import Slice, default_slice, raw_points
from gui.output.maps import held_value

HORIZONTAL = Qt.Orientation.Horizontal
STEPS = 200  # slider positions across an input's training range
SETTLE_MS = 60  # a dragged slider's value is sent once it rests this long


class SliceControls(QWidget):
    """Across / up choosers and one slider per held input; hidden for data with a plane
    of its own.  ``sliceChanged`` says the new slice (after a short settle while a slider
    is dragged)."""

    sliceChanged = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cut: Slice | None = None
        self._names: tuple[str, ...] = ()
        self._ranges = np.zeros((0, 2))
        self.across, self.up = QComboBox(), QComboBox()
        self.across.setToolTip("The input that varies across the map")
        self.up.setToolTip("The input that varies up the map")
        for box in (self.across, self.up):
            box.activated.connect(self._axes_chosen)
        choose = QHBoxLayout()
        for text, box in (("Across", self.across), ("up", self.up)):
            choose.addWidget(QLabel(text))
            choose.addWidget(box, 1)
        self.sliders: dict[int, tuple[QSlider, QLabel]] = {}
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("The maps show a slice: two inputs vary, the others are held at:")
        caption.setWordWrap(True)
        layout.addWidget(caption)
        layout.addLayout(choose)
        layout.addLayout(self._grid)
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._settle.timeout.connect(lambda: self.sliceChanged.emit(self.cut))
        self.setToolTip(
            "The data has more than two inputs: the maps show a slice through them, two "
            "inputs varying and the others held at the sliders' values (at first their mean "
            "over the training rows)"
        )
        self.setVisible(False)

    def set_dataset(self, dataset: Dataset, names: tuple[str, ...]) -> None:
        """Controls for ``dataset``'s inputs (named ``names``): the slice so far if the
        inputs are the same in number, else the default; sent once the caller is done."""
        train = raw_points(dataset)[0]
        d = train.shape[1]
        keep = self.cut is not None and len(self.cut.held) == d and names == self._names
        self.cut = self.cut if keep else default_slice(dataset)
        self.setVisible(self.cut is not None)
        if self.cut is None:
            return
        self._names = names
        self._ranges = np.column_stack([train.min(axis=0), train.max(axis=0)])
        for box in (self.across, self.up):
            box.clear()
            box.addItems(list(names))
        self._show()
        QTimer.singleShot(0, lambda: self.sliceChanged.emit(self.cut))  # after the load

    def use(self, cut: Slice) -> None:
        """Show ``cut`` (a saved session's slice) and say so."""
        self.cut = cut
        self._show()
        self.sliceChanged.emit(cut)

    @Slot()
    def _axes_chosen(self) -> None:
        """A chooser picked an input; picking the other axis's input swaps the two."""
        i, j = self.cut.axes
        if self.sender() is self.up:
            pick = self.up.currentIndex()
            axes = (j, i) if pick == i else (i, pick)
        else:
            pick = self.across.currentIndex()
            axes = (j, i) if pick == j else (pick, j)
        changed = axes != self.cut.axes
        self.cut = Slice(axes, self.cut.held)
        self._show()
        if changed:
            self.sliceChanged.emit(self.cut)

    def _show(self) -> None:
        """The choosers and one slider per held input, for the current slice."""
        i, j = self.cut.axes
        self.across.setCurrentIndex(i)
        self.up.setCurrentIndex(j)
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            widget.hide()
            widget.deleteLater()
        self.sliders = {}
        for row, k in enumerate(k for k in range(len(self.cut.held)) if k not in (i, j)):
            column = 0
            slider = QSlider(HORIZONTAL)
            slider.setRange(0, STEPS)
            slider.setValue(self._position(k, self.cut.held[k]))
            slider.setToolTip(f"The value {self._names[k]} is held at in the maps")
            value = QLabel(held_value(self.cut.held[k]))
            slider.valueChanged.connect(lambda p, k=k: self._moved(k, p))
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance("-88.88"))
            self._grid.addWidget(QLabel(self._names[k]), row, column)
            self._grid.addWidget(slider, row, column + 1)
            self._grid.addWidget(value, row, column + 2)
            self.sliders[k] = (slider, value)

    def _position(self, k: int, value: float) -> int:
        lo, hi = self._ranges[k]
        return 0 if hi <= lo else round((value - lo) / (hi - lo) * STEPS)

    def _moved(self, k: int, position: int) -> None:
        lo, hi = self._ranges[k]
        value = float(lo + (hi - lo) * position / STEPS)
        held = list(self.cut.held)
        held[k] = value
        self.cut = Slice(self.cut.axes, tuple(held))
        self.sliders[k][1].setText(held_value(value))
        self._settle.start()

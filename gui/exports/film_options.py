"""The options of a lecture's GIF or MP4: its size and how long each frame shows."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QWidget,
)

from gui.exports.animation import HOLD_IMAGES
from gui.exports.png_options import ok_cancel

SIZES = ((1280, 720), (1920, 1080), (960, 540))  # the projectors' and slides' sizes


@dataclass(frozen=True)
class FilmOptions:
    """The film's width and height in pixels, the seconds a still frame shows, and whether
    the formulas go under the stage."""

    width: int = 1280
    height: int = 720
    seconds: float = 0.5
    formulas: bool = False  # the frame's formulas in a band under the stage

    @property
    def fps(self) -> float:
        """The images a second that hold a still frame for ``seconds``."""
        return HOLD_IMAGES / self.seconds


class FilmOptionsDialog(QDialog):
    """Size (the projectors' sizes, or the diagram's on screen) and, with ``pace``, the
    seconds per frame."""

    def __init__(
        self, diagram: tuple[int, int], parent: QWidget | None = None, pace: bool = True
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the lecture")
        self.sizes = [*SIZES, diagram]
        self.size_box = QComboBox()
        self.size_box.addItems([f"{w} x {h}" for w, h in SIZES])
        self.size_box.addItem(f"{diagram[0]} x {diagram[1]} (the diagram on screen)")
        self.size_box.setToolTip("The film's size in pixels; the stage is laid out for it")
        self.seconds_box = QDoubleSpinBox()
        self.seconds_box.setRange(0.25, 10.0)
        self.seconds_box.setSingleStep(0.25)
        self.seconds_box.setValue(FilmOptions().seconds)
        self.seconds_box.setSuffix(" s")
        self.seconds_box.setToolTip("How long each still frame shows (moving frames too)")
        self.formulas_box = QCheckBox("The formulas under the stage")
        self.formulas_box.setToolTip("Each frame's formulas in a band under the diagram")
        buttons = ok_cancel(self)
        form = QFormLayout(self)
        form.addRow("Size", self.size_box)
        if pace:  # slides have no pace, and always their formulas
            form.addRow("Each frame", self.seconds_box)
            form.addRow("", self.formulas_box)
        form.addRow(buttons)

    def options(self) -> FilmOptions:
        """What the dialog shows now."""
        width, height = self.sizes[self.size_box.currentIndex()]
        return FilmOptions(width, height, self.seconds_box.value(), self.formulas_box.isChecked())

"""The size of a PNG of the diagram: File > Export's small dialog (width, height, dpi).

The scale presets are multiples of the drawing's size on screen (what the window shows,
cropped to the drawing, in pixels at 96 dpi): 2x is twice as many pixels each way and
192 dpi, so that the picture keeps the screen's physical size and is twice as sharp.
Width and height keep the drawing's shape; the dpi is recorded in the file (slides and
documents place the picture at width / dpi inches), it does not change the pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSignalBlocker, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from gui.exports.diagram import MAX_DPI, MAX_PIXELS, REFERENCE_DPI

SCALES = (1, 2, 3)
DEFAULT_SCALE = 2
CUSTOM = "Custom"
MIN_PIXELS = 16


def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    """OK and Cancel, accepting and rejecting ``dialog``."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


@dataclass(frozen=True)
class PngOptions:
    """A PNG's size in pixels and the dots per inch recorded in it."""

    width: int
    height: int
    dpi: int


def scaled_options(drawing: tuple[float, float], scale: float) -> PngOptions:
    """``scale`` times the drawing's screen size (``drawing``, pixels at 96 dpi), at
    ``scale`` x 96 dpi; never more than the largest PNG."""
    width, height = drawing
    scale = min(scale, MAX_PIXELS / max(width, height, 1.0))
    return PngOptions(
        max(MIN_PIXELS, round(width * scale)),
        max(MIN_PIXELS, round(height * scale)),
        round(REFERENCE_DPI * scale),
    )


class PngSizeDialog(QDialog):
    """Scale (1x / 2x / 3x of the diagram on screen, or custom), width, height and dpi."""

    def __init__(self, drawing: tuple[float, float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the diagram as PNG")
        self.setMinimumWidth(340)
        self.drawing = (max(1.0, drawing[0]), max(1.0, drawing[1]))
        self.scale = QComboBox()
        for scale in SCALES:
            options = scaled_options(self.drawing, scale)
            self.scale.addItem(f"{scale}×  ({options.width} × {options.height} px)", scale)
        self.scale.addItem(CUSTOM, None)
        self.width = self._spin(MIN_PIXELS, MAX_PIXELS, " px")
        self.height = self._spin(MIN_PIXELS, MAX_PIXELS, " px")
        self.dpi = self._spin(24, round(MAX_DPI), " dpi")
        self.dpi.setToolTip(
            "Recorded in the file: slides and documents place the picture at width / dpi inches"
        )
        self.printed = QLabel()
        buttons = ok_cancel(self)
        form = QFormLayout(self)
        form.addRow("Scale", self.scale)
        form.addRow("Width", self.width)
        form.addRow("Height", self.height)
        form.addRow("Resolution", self.dpi)
        form.addRow("", self.printed)
        form.addRow(buttons)
        self.scale.currentIndexChanged.connect(self._on_scale)
        self.width.valueChanged.connect(self._on_width)
        self.height.valueChanged.connect(self._on_height)
        self.dpi.valueChanged.connect(self._show_printed_size)
        self.scale.setCurrentIndex(SCALES.index(DEFAULT_SCALE))
        self._on_scale()

    def _spin(self, low: int, high: int, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setKeyboardTracking(False)  # typing 1200 is not 1, 12, 120 on the way
        return spin

    def options(self) -> PngOptions:
        """The chosen width, height and dpi."""
        return PngOptions(self.width.value(), self.height.value(), self.dpi.value())

    def set_options(self, options: PngOptions) -> None:
        """Show ``options`` without the fields correcting one another."""
        values = (options.width, options.height, options.dpi)
        for spin, value in zip((self.width, self.height, self.dpi), values):
            with QSignalBlocker(spin):
                spin.setValue(value)
        self._show_printed_size()

    @Slot()
    def _on_scale(self) -> None:
        scale = self.scale.currentData()
        if scale is not None:
            self.set_options(scaled_options(self.drawing, scale))

    @Slot(int)
    def _on_width(self, width: int) -> None:
        height = round(width * self.drawing[1] / self.drawing[0])
        self._custom(PngOptions(width, max(MIN_PIXELS, height), self.dpi.value()))

    @Slot(int)
    def _on_height(self, height: int) -> None:
        width = round(height * self.drawing[0] / self.drawing[1])
        self._custom(PngOptions(max(MIN_PIXELS, width), height, self.dpi.value()))

    def _custom(self, options: PngOptions) -> None:
        """A size typed in: the other side keeps the drawing's shape; the scale is Custom."""
        self.set_options(options)
        with QSignalBlocker(self.scale):
            self.scale.setCurrentIndex(len(SCALES))  # Custom

    @Slot()
    def _show_printed_size(self) -> None:
        options = self.options()
        inches = (options.width / options.dpi, options.height / options.dpi)
        self.printed.setText(f"{inches[0]:.1f} × {inches[1]:.1f} in at {options.dpi} dpi")

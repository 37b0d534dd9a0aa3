"""The output view's legend: a diverging bar with its range, or a row of marks with names
(one swatch per class, or the curve and the data points of a 1-D fit)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QLinearGradient, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui.output.maps import CLASS_COLORS, ValueScale
from gui.presentation.palette import ACTIVATIONS, DivergingScale

BAR_WIDTH = 150
BAR_HEIGHT = 12
SWATCH = 14
LINE = 26

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Entry:
    """One mark of the legend: a dot (fill, outline) or, with ``line``, a short line."""

    name: str
    fill: RGB
    outline: RGB = (255, 255, 255)
    line: bool = False


def class_entries(names: tuple[str, ...]) -> tuple[Entry, ...]:
    """One dot per class, in CLASS_COLORS order."""
    return tuple(Entry(n, CLASS_COLORS[i % len(CLASS_COLORS)]) for i, n in enumerate(names))


def number(value: float) -> str:
    """A legend number: short, no trailing zeros (-1, 0.5, 36)."""
    return f"{value:.3g}"


class ScaleLegend(QWidget):
    """Draws either the diverging bar from scale.lo to scale.hi or the class swatches."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scale: ValueScale | None = None
        self._caption = ""
        self._entries: tuple[Entry, ...] = ()
        self.colours = ACTIVATIONS
        font = QFont(self.font())
        font.setPointSize(10)
        self.setFont(font)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("The colour scale of the map and the points")

    def show_scale(self, scale: ValueScale, caption: str) -> None:
        """A bar from scale.lo (orange in the standard palette) through the centre (grey)
        to scale.hi (blue)."""
        if (scale, caption) == (self._scale, self._caption) and not self._entries:
            return  # unchanged: no repaint (it is asked for at every snapshot)
        self._scale, self._caption, self._entries = scale, caption, ()
        self.update()

    def set_colours(self, colours: DivergingScale) -> None:
        """Draw the bar on ``colours`` (a palette's activation scale)."""
        self.colours = colours
        self.update()

    def show_entries(self, entries: tuple[Entry, ...]) -> None:
        """A row of marks with their names (classes, or curve and points)."""
        self._scale, self._caption, self._entries = None, "", tuple(entries)
        self.update()

    def clear(self) -> None:
        """Nothing to explain (the message page)."""
        self._scale, self._caption, self._entries = None, "", ()
        self.update()

    def texts(self) -> list[str]:
        """The words and numbers the legend shows, left to right (for tests and tooltips)."""
        if self._scale is not None:
            s = self._scale
            return [self._caption, number(s.lo), number(s.centre), number(s.hi)]
        return [e.name for e in self._entries]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Room for the bar and one line of numbers."""
        return QSize(BAR_WIDTH + 200, self.fontMetrics().height() * 2 + 6)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        """Paint the bar or the swatches."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self.palette().windowText().color())
        if self._scale is not None:
            self._paint_bar(painter)
        elif self._entries:
            self._paint_entries(painter)
        painter.end()

    def _paint_bar(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        caption_width = metrics.horizontalAdvance(self._caption) + 10
        middle = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(QRectF(0, 0, caption_width, BAR_HEIGHT + 6), middle, self._caption)
        bar = QRectF(caption_width, 3, BAR_WIDTH, BAR_HEIGHT)
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        for value, rgba in self.colours.legend(stops=9):
            gradient.setColorAt((value + 1.0) / 2.0, QColor(*rgba))
        painter.fillRect(bar, gradient)
        painter.setPen(QPen(QColor(120, 120, 120), 1))
        painter.drawRect(bar)
        painter.setPen(self.palette().windowText().color())
        _, lo, mid, hi = self.texts()
        top = bar.bottom() + 2
        height = metrics.height() + 2
        for x, text, align in (
            (bar.left(), lo, Qt.AlignmentFlag.AlignLeft),
            (bar.center().x() - 40, mid, Qt.AlignmentFlag.AlignHCenter),
            (bar.right() - 80, hi, Qt.AlignmentFlag.AlignRight),
        ):
            painter.drawText(QRectF(x, top, 80, height), align, text)

    def _paint_entries(self, painter: QPainter) -> None:
        metrics = self.fontMetrics()
        text_pen = painter.pen()
        x, middle = 0.0, self.height() / 2
        for entry in self._entries:
            if entry.line:
                painter.setPen(QPen(QColor(*entry.fill), 3))
                painter.drawLine(QPointF(x, middle), QPointF(x + LINE, middle))
                width = LINE
            else:
                painter.setBrush(QColor(*entry.fill))
                painter.setPen(QPen(QColor(*entry.outline), 1.5))
                painter.drawEllipse(QRectF(x + 1, middle - SWATCH / 2, SWATCH, SWATCH))
                width = SWATCH + 2
            painter.setPen(text_pen)
            advance = metrics.horizontalAdvance(entry.name) + 4
            box = QRectF(x + width + 5, 0, advance, self.height())
            painter.drawText(
                box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, entry.name
            )
            x += width + 5 + advance + 16

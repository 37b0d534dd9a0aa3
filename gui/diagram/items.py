"""The small graphics items of the network diagram: neurons, buttons and the colour legend.

Each paints itself from a few plain attributes that the view sets; none of them
knows about the network or emits signals (the view does the hit-testing and
talks to the rest of the app).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import QGraphicsItem

from core.data.planes import code_values
from gui.presentation.palette import DivergingScale

INK = QColor(36, 40, 48)
FAINT_INK = QColor(105, 112, 122)
SELECTED = QColor(20, 20, 20)
LIT = QColor(12, 14, 18)  # lecture mode: the neurons of the current step
HOVER = QColor(225, 236, 248)
WHITE = QColor(255, 255, 255)
WIDE_GAP = 150.0  # narrower gaps get a bare "+" and two-line captions
ROOMY_BUTTONS = 90.0  # narrower gaps get smaller + / − buttons, and no + layer under 74
BUTTON_GAP = 4.0  # between two buttons


def diagram_font(point_size: float, bold: bool = False) -> QFont:
    """The diagram's font: readable on a projector (>= 10 pt)."""
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def rgba_image(rgba: np.ndarray) -> QImage:
    """A QImage (owning its pixels) from an (h, w, 4) uint8 RGBA array."""
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    h, w = rgba.shape[:2]
    return QImage(rgba.data, w, h, 4 * w, QImage.Format.Format_RGBA8888).copy()


_TABLES: dict[DivergingScale, list[int]] = {}


def colour_table(scale: DivergingScale) -> list[int]:
    """The QImage colour table of a neuron map's bytes (core.data.planes.codes) on
    ``scale``: entry k is the colour of the activation that code k stands for."""
    table = _TABLES.get(scale)
    if table is None:
        rgba = scale.colors(code_values()).astype(np.uint32)
        argb = (rgba[:, 3] << 24) | (rgba[:, 0] << 16) | (rgba[:, 1] << 8) | rgba[:, 2]
        table = _TABLES.setdefault(scale, [int(c) for c in argb])
    return table


def map_image(values: np.ndarray, scale: DivergingScale) -> QImage:
    """A neuron map as a picture: bytes (core.data.planes.codes) through the colour table,
    or activations through ``scale``, row 0 at the top."""
    if values.dtype != np.uint8:
        return rgba_image(scale.colors(values))
    codes = np.ascontiguousarray(values)
    h, w = codes.shape
    image = QImage(codes.data, w, h, w, QImage.Format.Format_Indexed8)
    image.setColorTable(colour_table(scale))
    return image.copy()


def halo_text(painter: QPainter, centre: QPointF, text: str, font: QFont, color: QColor) -> None:
    """``text`` centred on ``centre`` with a white outline, readable over any fill."""
    metrics = QFontMetricsF(font)
    width = metrics.horizontalAdvance(text)
    base = QPointF(centre.x() - width / 2, centre.y() + (metrics.ascent() - metrics.descent()) / 2)
    path = QPainterPath()
    path.addText(base, font, text)
    painter.strokePath(path, QPen(QColor(255, 255, 255, 230), 3.0))
    painter.fillPath(path, color)


class LabelItem(QGraphicsItem):
    """Text anchored at its position: centred on it (every line centred), or ending at it
    (``align='right'``)."""

    def __init__(self, text: str, font: QFont, color: QColor, align: str = "centre") -> None:
        super().__init__()
        self._text, self.font, self.color, self.align = text, font, color, align
        self._rect = self._measure()
        self.setZValue(3)

    def text(self) -> str:
        """The text shown."""
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's naming, like QGraphicsSimpleTextItem)
        """Show ``text`` instead, anchored at the same point."""
        self.prepareGeometryChange()
        self._text = text
        self._rect = self._measure()
        self.update()

    def _measure(self) -> QRectF:
        size = QFontMetricsF(self.font).boundingRect(QRectF(0, 0, 1000, 1000), 0, self._text)
        w, h = size.width() + 2, size.height()
        return QRectF(-w if self.align == "right" else -w / 2, -h / 2, w, h)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setFont(self.font)
        painter.setPen(self.color)
        flags = Qt.AlignmentFlag.AlignVCenter | (
            Qt.AlignmentFlag.AlignRight if self.align == "right" else Qt.AlignmentFlag.AlignHCenter
        )
        painter.drawText(self._rect, flags, self._text)


class NeuronItem(QGraphicsItem):
    """A neuron: a square filled with its heatmap (``image``) or its activation (``fill``),
    its display ``label`` on top and, for non-input neurons, a small bias square."""

    def __init__(self, layer: int, index: int, size: float, label: str = "") -> None:
        super().__init__()
        self.layer, self.index, self.size, self.label = layer, index, size, label
        self.image: QImage | None = None
        self.fill: QColor | None = None
        self.bias: QColor | None = None
        self.selected = False
        self.hovered = False
        self.lit = False  # lecture mode: part of the current step
        self.ink = INK  # outline and label (the palette's)
        self.outline = 1.0  # outline width factor (the palette's)
        self.setZValue(2)

    def body(self) -> QRectF:
        """The neuron's square, in item coordinates."""
        s = self.size
        return QRectF(-s / 2, -s / 2, s, s)

    def bias_rect(self) -> QRectF:
        """The bias glyph: a small square over the bottom-left corner."""
        b = max(9.0, self.size * 0.3)
        s = self.size / 2
        return QRectF(-s - b / 3, s - 2 * b / 3, b, b)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self.body().united(self.bias_rect()).adjusted(-4, -4, 4, 4)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        body = self.body()
        if self.image is not None:
            painter.drawImage(body, self.image)
        else:
            painter.fillRect(body, self.fill if self.fill is not None else WHITE)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        width = 1.2 * self.outline + (0.8 if self.hovered else 0.0)
        width = 4.0 if self.lit else 3.0 if self.selected else width
        ink = LIT if self.lit else SELECTED if self.selected else self.ink
        painter.setPen(QPen(ink, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(body)
        if self.label and self.size >= 26:
            font = diagram_font(min(12.0, max(10.0, self.size * 0.24)), bold=True)
            halo_text(painter, body.center(), self.label, font, self.ink)
        if self.bias is not None:
            painter.setPen(QPen(self.ink, self.outline))
            painter.setBrush(self.bias)
            painter.drawRect(self.bias_rect())


class DiagramButton(QGraphicsItem):
    """A small push button drawn in the scene: "+", "−", "+ layer", "Weights"...

    ``request`` says what a click asks for, e.g. ("add_neuron", 2); the view acts on it.
    """

    def __init__(
        self,
        text: str,
        tooltip: str,
        request: tuple,
        width: float = 28.0,
        dashed: bool = False,
    ) -> None:
        super().__init__()
        self.text, self.request, self.width, self.dashed = text, request, width, dashed
        self.height = 26.0
        self.enabled = True
        self.checked = False
        self.hovered = False
        self.ink = INK
        self.setToolTip(tooltip)
        self.setZValue(3)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return QRectF(-self.width / 2 - 1, -self.height / 2 - 1, self.width + 2, self.height + 2)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(-self.width / 2, -self.height / 2, self.width, self.height)
        ink = self.ink if self.enabled else QColor(190, 194, 200)
        pen = QPen(ink, 1.3)
        if self.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        if self.checked:
            painter.setBrush(ink)
        else:
            painter.setBrush(HOVER if self.hovered and self.enabled else WHITE)
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(WHITE if self.checked else ink)
        painter.setFont(diagram_font(13.0 if len(self.text) == 1 else 10.5, bold=True))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text)


class LegendItem(QGraphicsItem):
    """The colour legend of the edges: the quantity, a bar drawn from the scale's
    ``legend()`` stops, and its range; or a message when there is nothing to show.
    A scale that dashes negative edges shows it on the bar: dashed left, solid right."""

    BAR = QRectF(0, -16, 190, 14)

    def __init__(self) -> None:
        super().__init__()
        self.scale: DivergingScale | None = None
        self.quantity = ""
        self.message = ""
        self.ink, self.faint_ink = INK, FAINT_INK
        self.setZValue(3)

    def set_scale(self, scale: DivergingScale, quantity: str, message: str = "") -> None:
        """Show ``scale`` labelled ``quantity``, or ``message`` instead of the bar."""
        self.scale, self.quantity, self.message = scale, quantity, message
        self.update()

    def tick_labels(self) -> list[str]:
        """The numbers under the bar: -limit, 0, +limit."""
        if self.scale is None:
            return []
        limit = self.scale.limit
        return [f"−{limit:.3g}", "0", f"+{limit:.3g}"]

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return QRectF(-120, -22, 440, 44)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if self.scale is None:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self.ink)
        painter.setFont(diagram_font(11.0, bold=True))
        painter.drawText(
            QRectF(-120, -22, 112, 24),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            self.quantity,
        )
        if self.message:
            painter.setPen(self.faint_ink)
            painter.setFont(diagram_font(11.0))
            painter.drawText(QRectF(0, -22, 320, 24), Qt.AlignmentFlag.AlignVCenter, self.message)
            return
        self._paint_bar(painter)
        painter.setFont(diagram_font(10.0))
        painter.setPen(self.ink)
        labels = self.tick_labels()
        for k, text in enumerate(labels):
            x = self.BAR.left() + self.BAR.width() * k / (len(labels) - 1)
            painter.drawText(QRectF(x - 40, 0, 80, 18), Qt.AlignmentFlag.AlignCenter, text)

    def _paint_bar(self, painter: QPainter) -> None:
        bar = self.BAR
        gradient = QLinearGradient(bar.left(), 0, bar.right(), 0)
        stops = self.scale.legend(9)
        for k, (_, rgba) in enumerate(stops):
            gradient.setColorAt(k / (len(stops) - 1), QColor(*rgba))
        painter.setPen(QPen(self.faint_ink, 1.0))
        painter.setBrush(gradient)
        painter.drawRect(bar)
        if self.scale.dash_negative:
            y = bar.center().y()
            pen = QPen(self.ink, 2.0, Qt.PenStyle.DashLine)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawLine(QPointF(bar.left() + 4, y), QPointF(bar.center().x() - 4, y))
            pen.setStyle(Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(bar.center().x() + 4, y), QPointF(bar.right() - 4, y))


def layer_buttons(text, layout) -> list[DiagramButton]:
    """+ / − over each hidden layer of ``layout`` (a DiagramLayout), + layer in every gap;
    in narrow gaps smaller, then no + layer, then none (the layer's right-click menu has
    them all).  ``text`` (a DiagramText) gives the layers."""
    columns, gap = layout.columns, layout.gap()
    size, apart = (28.0, 17.0) if gap >= ROOMY_BUTTONS else (22.0, 12.0)
    if gap < 2 * (apart + size / 2) + BUTTON_GAP:
        return []
    buttons = []
    for column in columns[1:-1]:
        layer = column.layer
        plus = DiagramButton("+", f"Add a neuron to hidden layer {layer}", ("add", layer))
        minus = DiagramButton("−", f"Remove a neuron from hidden layer {layer}", ("remove", layer))
        if column.size == 1:
            minus.enabled = False
            minus.setToolTip(
                f"Hidden layer {layer} has one neuron; to drop it, right-click the layer "
                "and choose Remove layer"
            )
        for button, side in ((plus, -1), (minus, 1)):
            button.width = size
            button.setPos(column.x + side * apart, layout.button_y)
        buttons += [plus, minus]
    wide = gap >= WIDE_GAP
    if gap / 2 - (apart + size / 2) < 14.0 + BUTTON_GAP:  # no room for + layer
        columns = []
    for left, right in zip(columns[:-1], columns[1:]):
        where = right.layer
        tip = f"Insert a hidden layer here: it becomes hidden layer {where}"
        if len(text.layers) == 2:
            tip = "Add a hidden layer between the input and the output"
        button = DiagramButton(
            "+ layer" if wide else "+", tip, ("layer", where), 70 if wide else 28, dashed=True
        )
        button.setPos((left.x + right.x) / 2, layout.button_y)
        buttons.append(button)
    return buttons

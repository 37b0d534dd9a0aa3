"""Inputs that form a picture (a session's ``input_shape``, e.g. 8x8 digits).

Outside lecture mode the input column is the sample's picture (the first training row,
whose values the diagram's neurons show), in ink on paper, instead of 64 nodes of which
only a few fit; input j's edges leave the picture's right side beside its own row
(gui.diagram.layout).  Lecture mode keeps one node per input: its value cards need them.

Each first-layer neuron's square shows its incoming weights, row i of W^1 laid out as the
picture, in the diagram's weight colours, symmetric around 0 and reaching the largest
|w| of W^1 (the same for every neuron, so their pictures compare): which pixels push
the neuron up (the positive end) and which down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from gui.diagram.items import map_image
from gui.diagram.layout import Column
from gui.presentation.palette import DivergingScale, ink_levels

if TYPE_CHECKING:
    from gui.diagram.scene import DiagramScene


def weight_picture(row: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """One first-layer neuron's incoming weights W^1[i, :] laid out as the input picture
    (row-major, as the pixels were read into the inputs)."""
    return np.asarray(row, dtype=float).reshape(shape)


def paint_weight_pictures(
    scene: DiagramScene, weights: tuple[np.ndarray, ...], scale: DivergingScale
) -> None:
    """Fill each drawn first-layer neuron of ``scene`` with its weight picture on
    ``scale`` (nothing unless the scene's inputs form a picture)."""
    shape = scene.picture_shape
    if shape is None or not len(weights) or weights[0].shape[1] != int(np.prod(shape)):
        return
    w1 = np.asarray(weights[0])
    top = float(np.max(np.abs(w1))) if w1.size else 0.0
    scale = scale.with_limit(top if np.isfinite(top) and top > 0 else scale.limit)
    for (layer, i), item in scene.neurons.items():
        if layer == 1 and i < len(w1):
            item.image = map_image(weight_picture(w1[i], shape), scale)
            item.update()


def picture_note(scene: DiagramScene, weights: tuple[np.ndarray, ...], layer: int, i: int) -> str:
    """What a first-layer neuron's square shows, for its hover text ("" for the others)."""
    shape = scene.picture_shape
    if layer != 1 or shape is None or not len(weights) or not np.size(weights[0]):
        return ""
    top = float(np.max(np.abs(weights[0])))
    size = "x".join(str(n) for n in shape)
    return (
        f"\nsquare: its {weights[0].shape[1]} incoming weights as an {size} picture, "
        f"±{top:.3g} at full colour"
    )


def picture_caption(scene: DiagramScene, column: Column) -> tuple[str, QFont, float]:
    """The caption under the input picture (its shape and which row it shows), its font
    and the height of its centre."""
    shape = "x".join(str(n) for n in scene.picture_shape or (column.size,))
    font = scene.text_font(10.0)
    y = float(np.mean(column.y)) + column.picture / 2 + 20 * scene.text_scale
    return f"{shape} picture\nfirst training row", font, y


class InputPicture(QGraphicsItem):
    """The input column drawn as the sample's picture: ``pixels`` (a[0] of the sample) in
    ink on paper, 0 (or the row's least value) white and its largest black."""

    def __init__(self, column: Column, shape: tuple[int, ...] | None) -> None:
        super().__init__()
        self.side = column.picture
        self.shape = shape if shape is not None else (1, column.size)
        self.image: QImage | None = None
        self.setPos(column.x, float(np.mean(column.y)))
        self.setZValue(2)

    def set_pixels(self, pixels: np.ndarray | None) -> None:
        """Draw ``pixels`` (the sample's inputs, row-major), or a blank picture for None."""
        self.image = None
        if pixels is not None and np.size(pixels) == int(np.prod(self.shape)):
            grey = np.ascontiguousarray(ink_levels(np.reshape(pixels, self.shape)))
            h, w = grey.shape
            self.image = QImage(grey.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
        self.update()

    def body(self) -> QRectF:
        """The picture's square, in item coordinates."""
        return QRectF(-self.side / 2, -self.side / 2, self.side, self.side)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self.body().adjusted(-2, -2, 2, 2)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        body = self.body()
        if self.image is not None:
            painter.drawImage(body, self.image)
        else:
            painter.fillRect(body, Qt.GlobalColor.white)
        painter.setPen(QPen(QColor(36, 40, 48), 1.2))
        painter.drawRect(body)

"""The computational graph as a file: SVG (vectors and text, for slides) and PNG."""

from __future__ import annotations

import math
import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene

PNG_SCALE = 2.0  # twice the scene's pixels: sharp on slides and in documents
MAX_SIDE = 12000


def _paint(scene: QGraphicsScene, painter: QPainter, rect: QRectF, target: QRectF) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, target, rect)


def write_svg(scene: QGraphicsScene, path: str | os.PathLike, title: str = "") -> None:
    """Save the scene as an SVG of its own size in pixels, every label as text.
    Raises OSError when the file cannot be written."""
    rect = scene.sceneRect()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setResolution(96)
    size = QSize(math.ceil(rect.width()), math.ceil(rect.height()))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title or "Computational graph")
    generator.setDescription("Exported from Backprop Lab")
    painter = QPainter(generator)
    _paint(scene, painter, rect, QRectF(0, 0, size.width(), size.height()))
    painter.end()
    svg = bytes(buffer.data()).decode("utf-8")
    try:
        Path(path).write_text(svg, encoding="utf-8")
    except OSError as exc:
        raise OSError(f"cannot write {os.fspath(path)}: {exc.strerror or exc}") from None


def write_png(scene: QGraphicsScene, path: str | os.PathLike, scale: float = PNG_SCALE) -> None:
    """Save the scene as a PNG at ``scale`` times its size, on its own background.
    Raises OSError when the file cannot be written."""
    rect = scene.sceneRect()
    scale = min(scale, MAX_SIDE / max(rect.width(), rect.height(), 1.0))
    w, h = max(1, math.ceil(rect.width() * scale)), max(1, math.ceil(rect.height() * scale))
    image = QImage(w, h, QImage.Format.Format_ARGB32)
    image.fill(scene.backgroundBrush().color() if scene.backgroundBrush() else QColor("white"))
    painter = QPainter(image)
    _paint(scene, painter, rect, QRectF(0, 0, w, h))
    painter.end()
    if not image.save(os.fspath(path), "PNG"):
        raise OSError(f"cannot write {os.fspath(path)}")

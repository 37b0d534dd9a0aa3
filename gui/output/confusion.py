"""The output view for picture-shaped inputs (e.g. 8x8 digits): instead of a map, the
confusion matrix of the chosen split (rows: true class, columns: predicted) and a gallery
of the first misclassified pictures, captioned "true → predicted".

The numbers come from :mod:`core.explore.confusion` (one chunked forward pass over the
split: about a millisecond for 1,797 digits through 64-32-10).  While training it is
computed at most REFRESHES_PER_SECOND times a second, and only while the panel is shown.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.explore.confusion import Confusion, confusion
from gui.presentation import palette

if TYPE_CHECKING:
    from core.data.dataset import Dataset
    from core.engine.network import Network

GALLERY = 24  # misclassified pictures shown at most
REFRESHES_PER_SECOND = 4
INK, FAINT, PAPER = QColor(36, 40, 48), QColor(105, 112, 122), QColor(255, 255, 255)
SPLIT_TITLES = {"train": "Training rows", "test": "Test rows"}


def class_labels(names: tuple[str, ...]) -> tuple[str, ...]:
    """Short class names for the axes: a prefix all names share, up to its last "_" or
    " ", is dropped ("digit_0", "digit_1" -> "0", "1")."""
    if len(names) < 2:
        return tuple(names)
    common = os.path.commonprefix(list(names))
    cut = max(common.rfind("_"), common.rfind(" ")) + 1
    return tuple(n[cut:] for n in names) if cut and all(len(n) > cut for n in names) else names


def ink_image(pixels: np.ndarray, lo: float, hi: float) -> QImage:
    """One picture as grey levels: ``lo`` white, ``hi`` black (ink on paper)."""
    grey = np.ascontiguousarray(palette.ink_levels(pixels, lo, hi))
    h, w = grey.shape
    return QImage(grey.data, w, h, w, QImage.Format.Format_Grayscale8).copy()


class ConfusionPicture(QWidget):
    """The matrix and the gallery, painted: side by side when the panel is wide, else
    the matrix above the gallery."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.confusion: Confusion | None = None
        self.labels: tuple[str, ...] = ()
        self.pictures: list[tuple[QImage, str]] = []
        self.scale = palette.STANDARD.weights

    def draw(self, result: Confusion | None, labels, pictures, scale) -> None:
        """Draw ``result``'s matrix with class ``labels`` and the gallery ``pictures``
        (image, caption) on the palette's weight ``scale`` (its two ends)."""
        self.confusion, self.labels, self.pictures, self.scale = result, labels, pictures, scale
        self.update()

    def areas(self) -> tuple[QRectF, QRectF]:
        """Where the matrix and the gallery go."""
        w, h = self.width(), self.height()
        if w >= 1.55 * h:
            side = min(h, w * 0.55)
            return QRectF(0, 0, side, h), QRectF(side + 8, 0, w - side - 8, h)
        top = min(w, h * 0.58)
        return QRectF(0, 0, w, top), QRectF(0, top + 6, w, h - top - 6)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Paint the matrix and the gallery (or nothing before the first network)."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), PAPER)
        if self.confusion is None:
            return
        matrix, gallery = self.areas()
        self._paint_matrix(painter, matrix)
        self._paint_gallery(painter, gallery)

    def cell_rect(self, area: QRectF) -> tuple[float, float, float]:
        """(left, top, cell) of the matrix's grid in ``area``: room for the axis labels."""
        k = len(self.confusion.counts)
        room = 36.0
        cell = max(4.0, min((area.width() - room) / k, (area.height() - room) / k))
        left = area.left() + room + (area.width() - room - k * cell) / 2
        return left, area.top() + room, cell

    def _paint_matrix(self, painter: QPainter, area: QRectF) -> None:
        counts = self.confusion.counts
        k = len(counts)
        left, top, cell = self.cell_rect(area)
        totals = np.maximum(counts.sum(axis=1, keepdims=True), 1)
        share = counts / totals  # each true class's share predicted as p
        off = share * (1 - np.eye(k))
        # The diagonal by its share; the errors by theirs relative to the largest error,
        # so that a few confusions stand out beside the hundreds read right.
        mix_of = np.where(np.eye(k, dtype=bool), share, 0.3 + 0.7 * off / max(off.max(), 1e-12))
        right, wrong = QColor(*self.scale.positive), QColor(*self.scale.negative)
        zero = np.asarray(self.scale.zero, dtype=float)
        small = QFont()
        small.setPointSizeF(max(7.0, min(10.0, cell * 0.42)))
        painter.setFont(small)
        for t in range(k):
            for p in range(k):
                end = right if t == p else wrong
                mix = mix_of[t, p] if counts[t, p] else 0.0
                rgb = zero * (1 - mix) + np.array([end.red(), end.green(), end.blue()]) * mix
                box = QRectF(left + p * cell, top + t * cell, cell, cell)
                painter.fillRect(box, QColor(*np.rint(rgb).astype(int).tolist()))
                if counts[t, p] and cell >= 14:
                    painter.setPen(PAPER if mix > 0.55 else INK)
                    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(counts[t, p]))
        painter.setPen(QPen(FAINT, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(left, top, k * cell, k * cell))
        self._paint_axes(painter, left, top, cell, k)

    def _paint_axes(self, painter: QPainter, left: float, top: float, cell: float, k: int) -> None:
        label_font = QFont()
        label_font.setPointSizeF(9.5)
        painter.setFont(label_font)
        painter.setPen(INK)
        centre = Qt.AlignmentFlag.AlignCenter
        labels = self.labels if len(self.labels) == k else tuple(str(c) for c in range(k))
        for c, name in enumerate(labels):
            painter.drawText(QRectF(left + c * cell, top - 18, cell, 16), centre, name)
            painter.drawText(QRectF(left - 20, top + c * cell, 18, cell), centre, name)
        painter.setPen(FAINT)
        painter.drawText(QRectF(left, top - 36, k * cell, 18), centre, "predicted →")
        painter.save()
        painter.translate(left - 26, top + k * cell / 2)
        painter.rotate(-90)
        painter.drawText(QRectF(-k * cell / 2, -10, k * cell, 18), centre, "true →")
        painter.restore()

    def gallery_cells(self, area: QRectF) -> tuple[int, float]:
        """(columns, tile size) that fit the gallery's pictures into ``area`` below its title."""
        n = max(len(self.pictures), 1)
        room = QRectF(area.left(), area.top() + 22, area.width(), area.height() - 22)
        best = (1, 0.0)
        for columns in range(1, n + 1):
            rows = -(-n // columns)
            tile = min(room.width() / columns, room.height() / rows)
            if tile > best[1]:
                best = (columns, tile)
        return best

    def _paint_gallery(self, painter: QPainter, area: QRectF) -> None:
        title = QFont()
        title.setPointSizeF(10.0)
        title.setBold(True)
        painter.setFont(title)
        painter.setPen(INK)
        wrong = int(len(self.confusion.true) - np.trace(self.confusion.counts))
        shown = len(self.pictures)
        text = f"Misclassified: {wrong}" + (f", first {shown}" if wrong > shown else "")
        painter.drawText(QRectF(area.left(), area.top(), area.width(), 20), 0, text)
        if not self.pictures:
            return
        columns, tile = self.gallery_cells(area)
        caption = QFont()
        caption.setPointSizeF(max(7.5, min(10.0, tile * 0.16)))
        metrics = QFontMetricsF(caption)
        painter.setFont(caption)
        text_h = metrics.height()
        for n, (image, words) in enumerate(self.pictures):
            x = area.left() + (n % columns) * tile
            y = area.top() + 22 + (n // columns) * tile
            side = max(4.0, tile - text_h - 4)
            box = QRectF(x + (tile - side) / 2, y, side, side)
            painter.drawImage(box, image)
            painter.setPen(QPen(FAINT, 1))
            painter.drawRect(box)
            painter.setPen(INK)
            painter.drawText(
                QRectF(x, y + side, tile, text_h + 2), Qt.AlignmentFlag.AlignCenter, words
            )


class ConfusionPanel(QWidget):
    """The confusion matrix and the misclassified gallery of a network on a data set of
    pictures, with the split to show."""

    def __init__(
        self, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.colours = palette.STANDARD.weights  # its two ends colour the matrix
        self.dataset: Dataset | None = None
        self.network: Network | None = None
        self.result: Confusion | None = None
        self.gallery_rows = np.empty(0, dtype=np.int64)  # the split's rows in the gallery
        self._drawn_at: float | None = None
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._on_turn)
        self.split_box = QComboBox()
        for split, title in SPLIT_TITLES.items():
            self.split_box.addItem(title, split)
        self.split_box.setToolTip("Which rows the matrix and the gallery count")
        self.split_box.currentIndexChanged.connect(self.refresh)
        self.summary = QLabel("")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.picture = ConfusionPicture()
        row = QHBoxLayout()
        row.addWidget(QLabel("Confusion matrix of"))
        row.addWidget(self.split_box)
        row.addWidget(self.summary, 1)
        # Hidden behind a map, it must not widen or heighten the output view (nor the window
        # lecture mode lays out for the back row): its wishes count only while shown.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.picture, 1)

    @property
    def split(self) -> str:
        """The split counted: "train" or "test"."""
        return self.split_box.currentData()

    def set_split(self, split: str) -> None:
        """Count ``split``'s rows ("train" or "test")."""
        self.split_box.setCurrentIndex(list(SPLIT_TITLES).index(split))

    def set_palette(self, name: str) -> None:
        """Colour the matrix with palette ``name``'s weight scale (a key of palette.PALETTES)."""
        self.colours = palette.palette_named(name).weights
        self.refresh()

    def set_data(self, dataset: Dataset) -> None:
        """A new session's data: its pictures and classes."""
        self.dataset, self.result, self._drawn_at = dataset, None, None
        self.split_box.model().item(1).setEnabled(len(dataset.x_test) > 0)
        if not len(dataset.x_test):
            self.set_split("train")

    def follow(self, network: Network) -> None:
        """The newest network: drawn now if the last drawing is old enough and the panel
        is shown, else a little later (or when it is shown)."""
        self.network = network
        if not self.isVisible():
            self._drawn_at = None  # drawn when shown
            return
        wait = 0.0 if self._drawn_at is None else self._drawn_at + 1 / REFRESHES_PER_SECOND
        wait -= self.clock()
        if wait <= 0:
            self.refresh()
        elif not self._timer.isActive():
            self._timer.start(int(wait * 1000) + 1)

    def _on_turn(self) -> None:
        """A recount put off: made now, unless the panel has since been hidden."""
        if self.isVisible():
            self.refresh()
        else:
            self._drawn_at = None

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Catch up with the newest network when shown."""
        super().showEvent(event)
        if self._drawn_at is None and self.network is not None:
            self.refresh()

    def refresh(self) -> None:
        """Count the chosen split now and draw the matrix and the gallery."""
        if self.dataset is None or self.network is None:
            return
        self._drawn_at = self.clock()
        ds = self.dataset
        result = confusion(self.network, ds, self.split)
        self.result = result
        if result is None:
            self.summary.setText("  the targets are not classes")
            self.picture.draw(None, (), [], self.colours)
            return
        x = ds.x_train if self.split == "train" else ds.x_test
        labels = class_labels(tuple(str(n) for n in ds.target_names))
        self.gallery_rows = result.misclassified(GALLERY)
        shape = ds.input_shape or (1, x.shape[1])
        lo, hi = (float(x.min()), float(x.max())) if len(x) else (0.0, 1.0)
        pictures = [
            (
                ink_image(x[r].reshape(shape), lo, hi),
                f"{labels[result.true[r]]} → {labels[result.predicted[r]]}",
            )
            for r in self.gallery_rows
        ]
        n = len(result.true)
        self.summary.setText(f"  accuracy {result.accuracy:.1%} of {n:,} rows")
        self.picture.draw(result, labels, pictures, self.colours)

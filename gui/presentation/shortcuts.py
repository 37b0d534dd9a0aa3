"""The "?" overlay: every keyboard shortcut of the window, grouped, in large type over it.

The rows come from :func:`gui.menus.shortcut_groups` when the overlay opens, built from the
window's actions themselves, so the overlay never goes stale.  Any key or click closes it
(the key does nothing else: Esc closes the overlay, not lecture mode).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QWidget

SHADE = QColor(14, 16, 22, 240)
TEXT = QColor(245, 246, 248)
FAINT_TEXT = QColor(190, 196, 204)
HEADING = QColor(255, 214, 102)  # warm yellow: the groups stand out on the dark shade
KEYCAP = QColor(255, 255, 255, 38)
KEYCAP_EDGE = QColor(255, 255, 255, 150)
MAX_POINTS = 24.0
MIN_POINTS = 9.0
REFERENCE_POINTS = 12.0  # measured at this size, then scaled to fit the window
MARGIN = 30.0
COLUMN_GAP = 36.0
ROW_GAP = 14.0  # between the key caps and the description
CAP_PAD = 16.0  # a key cap is its text plus this
CAP_GAP = 6.0
CLOSING = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)


class Row(NamedTuple):
    """One shortcut: its keys ('Right', 'PgDown') and what it does."""

    keys: tuple[str, ...]
    text: str


Groups = Sequence[tuple[str, Sequence[Row]]]


def columns_of(groups: Groups, count: int) -> list[list[tuple[str, Sequence[Row]]]]:
    """The groups, in order, split into ``count`` columns of about equal height (a heading
    counts as two rows); a group is never split."""
    heights = [len(rows) + 2 for _, rows in groups]
    target = sum(heights) / max(count, 1)
    columns: list[list] = [[]]
    filled = 0.0
    for group, height in zip(groups, heights):
        if columns[-1] and filled + height / 2 > target and len(columns) < count:
            columns.append([])
            filled = 0.0
        columns[-1].append(group)
        filled += height
    return columns


class ShortcutOverlay(QWidget):
    """A translucent sheet over the whole window listing the shortcuts; ``source()``
    gives the groups each time it opens."""

    def __init__(self, window: QWidget, source: Callable[[], Groups]) -> None:
        super().__init__(window)
        self.source = source
        self.groups: Groups = []
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.hide()
        window.installEventFilter(self)  # follow the window's size

    def texts(self) -> list[str]:
        """Every heading, key and description shown, in reading order (for tests)."""
        out = []
        for title, rows in self.groups:
            out.append(title)
            for row in rows:
                out += [*row.keys, row.text]
        return out

    def open(self) -> None:
        """Show the overlay over the whole window, with the shortcuts as they are now."""
        self.groups = list(self.source())
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        QApplication.instance().installEventFilter(self)

    def close_overlay(self) -> None:
        """Hide the overlay."""
        QApplication.instance().removeEventFilter(self)
        self.hide()

    def toggle(self) -> None:
        """Open it, or close it if open."""
        if self.isVisible():
            self.close_overlay()
        else:
            self.open()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if watched is self.parentWidget() and kind == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        if not self.isVisible():
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key is ours: no shortcut fires while the overlay is open
            return True
        if kind in CLOSING:
            self.close_overlay()
            return True
        return False

    # ------------------------------------------------------------------ painting

    def body_font(self) -> QFont:
        """The font of the rows: as large as lets every column fit, within limits."""
        font = QFont(self.font())
        font.setPointSizeF(REFERENCE_POINTS)
        columns = columns_of(self.groups, self._column_count())
        widths = [self._column_width(column, font) for column in columns]
        heights = [self._column_height(column, font) for column in columns]
        room_w = self.width() - 2 * MARGIN - COLUMN_GAP * (len(columns) - 1)
        room_h = self.height() - self._title_height(font) - MARGIN
        scale = min(room_w / sum(widths), room_h / max(heights))
        font.setPointSizeF(min(MAX_POINTS, max(MIN_POINTS, REFERENCE_POINTS * scale)))
        return font

    def _column_width(self, column, font: QFont) -> float:
        keys, texts = self._column_widths(column, font)
        return keys + ROW_GAP + texts

    def _column_count(self) -> int:
        return 3 if self.width() >= 1000 else 2

    @staticmethod
    def _line(font: QFont) -> float:
        return QFontMetricsF(font).height() * 1.45

    def _column_widths(self, column, font: QFont) -> tuple[float, float]:
        """The widest row of key caps and the widest description of ``column``."""
        metrics = QFontMetricsF(font)
        keys = [self._caps_width(row.keys, metrics) for _, rows in column for row in rows]
        texts = [metrics.horizontalAdvance(row.text) for _, rows in column for row in rows]
        headings = [QFontMetricsF(heading_font(font)).horizontalAdvance(t) for t, _ in column]
        return max(keys, default=0.0), max(*texts, *headings, 0.0)

    @staticmethod
    def _caps_width(keys: Sequence[str], metrics: QFontMetricsF) -> float:
        return sum(metrics.horizontalAdvance(k) + CAP_PAD for k in keys) + CAP_GAP * (len(keys) - 1)

    def _column_height(self, column, font: QFont) -> float:
        line = self._line(font)
        return sum(line * (len(rows) + 2.0) for _, rows in column)

    def _title_height(self, font: QFont) -> float:
        return QFontMetricsF(title_font(font)).height() * 2.4 + MARGIN

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), SHADE)
        body = self.body_font()
        title = title_font(body)
        line = QFontMetricsF(title).height()
        painter.setFont(title)
        painter.setPen(TEXT)
        painter.drawText(QRectF(0, MARGIN, self.width(), line), _CENTRE, "Keyboard shortcuts")
        painter.setFont(body)
        painter.setPen(FAINT_TEXT)
        hint = "Any key or click closes this"
        painter.drawText(QRectF(0, MARGIN + line, self.width(), line), _CENTRE, hint)
        columns = columns_of(self.groups, self._column_count())
        widths = [self._column_width(column, body) for column in columns]
        left = (self.width() - sum(widths) - COLUMN_GAP * (len(columns) - 1)) / 2
        top = self._title_height(body)
        for column, width in zip(columns, widths):
            self._paint_column(painter, column, QRectF(left, top, width, 0), body)
            left += width + COLUMN_GAP
        painter.end()

    def _paint_column(self, painter: QPainter, column, box: QRectF, body: QFont) -> None:
        line = self._line(body)
        keys_width, _ = self._column_widths(column, body)
        y = box.top()
        for title, rows in column:
            painter.setFont(heading_font(body))
            painter.setPen(HEADING)
            painter.drawText(QRectF(box.left(), y, box.width(), line), _LEFT, title)
            y += line * 1.2
            painter.setFont(body)
            for row in rows:
                self._paint_keys(painter, row.keys, QRectF(box.left(), y, keys_width, line))
                painter.setPen(TEXT)
                left = box.left() + keys_width + ROW_GAP
                painter.drawText(QRectF(left, y, box.right() - left, line), _LEFT, row.text)
                y += line
            y += line * 0.8

    def _paint_keys(self, painter: QPainter, keys: Sequence[str], box: QRectF) -> None:
        """Keys as key caps, right-aligned in ``box``."""
        metrics = QFontMetricsF(painter.font())
        x = box.right()
        for key in reversed(keys):
            width = metrics.horizontalAdvance(key) + CAP_PAD
            cap = QRectF(x - width, box.top() + 3, width, box.height() - 6)
            painter.setPen(QPen(KEYCAP_EDGE, 1.2))
            painter.setBrush(KEYCAP)
            painter.drawRoundedRect(cap, 5, 5)
            painter.setPen(TEXT)
            painter.drawText(cap, Qt.AlignmentFlag.AlignCenter, key)
            x -= width + CAP_GAP


def heading_font(body: QFont) -> QFont:
    """A group's heading: bold, a little larger than the rows."""
    font = QFont(body)
    font.setPointSizeF(body.pointSizeF() * 1.15)
    font.setBold(True)
    return font


def title_font(body: QFont) -> QFont:
    """The sheet's title."""
    font = heading_font(body)
    font.setPointSizeF(body.pointSizeF() * 1.6)
    return font


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter

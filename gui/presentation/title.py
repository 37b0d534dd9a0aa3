"""A title that gives way: the lecture's step title keeps its position ("— 5 / 8") in
view however long the step's name is (a bug lab note, a neuron's label)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel


class TitleLabel(QLabel):
    """The step's title: where it does not fit, its words give way ("…") and the position
    after " — " ("5 / 8 · numbers") stays in view; the whole title is its text()."""

    full = ""

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self.full = text
        super().setText(text)
        self._fit()

    def text(self) -> str:
        return self.full

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # lecture type zoom, F5
            self._fit()

    def _fit(self) -> None:
        head, sep, tail = self.full.rpartition(" — ")
        metrics = self.fontMetrics()
        if not sep or metrics.horizontalAdvance(self.full) <= self.width():
            QLabel.setText(self, self.full)
            return
        room = self.width() - metrics.horizontalAdvance(sep + tail)
        QLabel.setText(
            self, metrics.elidedText(head, Qt.TextElideMode.ElideRight, room) + sep + tail
        )

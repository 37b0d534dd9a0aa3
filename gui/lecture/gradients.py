"""The gradient summary of lecture mode: per layer, ‖δ‖ and ‖∂L/∂W‖ of the traced step as
bars on a logarithmic scale, with their numbers, first layer at the top: in a deep sigmoid
network the bars shrink by orders of magnitude towards the input, which is what the
vanishing-gradients lesson is about (the training plots that show it are hidden while
lecturing)."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt, Slot
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.trace.iteration import layer_norms
from core.trace.notation import format_number
from gui.lecture.plan import LecturePlan

ROW = 22  # pixels per layer
DELTA, GRADIENT = QColor("#762a83"), QColor("#1b7837")  # the gradient palette's ends
DECADES = 8  # the bars span this many powers of ten below the largest
TITLE = "‖δ‖ and ‖∂L/∂W‖ per layer"


class GradientSummary(QWidget):
    """The bars of the plan shown (``show_plan``); nothing without one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.norms: list[tuple[float, float]] = []
        self.wanted = True  # the presentation layout gives its room to the formulas
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            "‖δ‖ (purple) and ‖∂L/∂W‖ (green) of each layer in this step, on a log scale: "
            "how the gradient changes on its way back to the input"
        )
        font = QFont(self.font())
        font.setPointSize(11)
        self.setFont(font)
        self.hide()

    @Slot(object)
    def show_plan(self, plan: LecturePlan | None) -> None:
        """The norms of ``plan``'s traced step (None: hide)."""
        self.norms = [] if plan is None else layer_norms(plan.trace)
        self.setFixedHeight(ROW * (len(self.norms) + 1) + 6)
        self.set_wanted(self.wanted)

    def set_wanted(self, on: bool) -> None:
        """Show the bars (when there is a plan) or keep them out of the way."""
        self.wanted = on
        self.setVisible(on and bool(self.norms))
        self.update()

    def rows(self) -> list[tuple[str, str, str]]:
        """What each row says: the layer, ‖δ‖ and ‖∂L/∂W‖ (4 significant digits)."""
        return [
            (f"layer {l + 1}", format_number(d, 4), format_number(g, 4))
            for l, (d, g) in enumerate(self.norms)
        ]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if not self.norms:
            return
        painter = QPainter(self)
        top = max(max(d, g) for d, g in self.norms)
        low = math.log10(top) - DECADES if top > 0 else 0.0
        metrics = QFontMetricsF(self.font())
        label_w = metrics.horizontalAdvance(f"layer {len(self.norms)}") + 8
        texts = [f"{d}  {g}" for _, d, g in self.rows()]
        value_w = max(metrics.horizontalAdvance(text) for text in texts) + 4
        bar_w = max(20.0, self.width() - label_w - value_w - 8)
        left, middle = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRectF(0, 0, self.width(), ROW), left, TITLE)
        for row, ((name, d_text, g_text), (d, g)) in enumerate(zip(self.rows(), self.norms)):
            y = ROW * (row + 1)
            painter.drawText(QRectF(0, y, label_w, ROW), middle, name)
            for k, (value, colour) in enumerate(((d, DELTA), (g, GRADIENT))):
                share = 0.0 if value <= 0 or top <= 0 else (math.log10(value) - low) / DECADES
                width = bar_w * min(max(share, 0.0), 1.0)
                painter.fillRect(QRectF(label_w, y + 3 + 8 * k, width, 7), colour)
            text = f"{d_text}  {g_text}"
            painter.drawText(
                QRectF(label_w + bar_w + 6, y, 2 * value_w, ROW),
                Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        painter.end()

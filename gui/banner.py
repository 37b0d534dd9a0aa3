"""The divergence banner: what happened, where, what helps, and a way back."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.trace.glossary import tip_html


class DivergenceBanner(QFrame):
    """Shown when training produced a non-finite loss; training is paused by then."""

    restoreRequested = Signal()
    lowerRateRequested = Signal()
    resetRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("divergence_banner")
        self.setStyleSheet(
            "#divergence_banner { background: #fff3cd; border: 1px solid #d39e00;"
            " border-radius: 4px; } QLabel { color: #5c4400; }"
        )
        layout = QVBoxLayout(self)  # the message over its full width, the buttons under it
        layout.setContentsMargins(8, 6, 8, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)  # our own markup; texts are escaped
        self.label.setToolTip(tip_html("saturation", "dead", "exploding", "vanishing"))
        layout.addWidget(self.label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.lower = QPushButton("Lower the learning rate ×0.1")
        self.lower.setToolTip("Divide the learning rate by 10 (it takes effect at once)")
        self.lower.clicked.connect(self.lowerRateRequested)
        self.restore = QPushButton("Restore the last usable state")
        self.restore.setToolTip(
            "Go back to the weights after the last epoch whose loss was finite and not"
            " exploding (the message names it); lower the learning rate first"
        )
        self.restore.clicked.connect(self.restoreRequested)
        self.restore.clicked.connect(self.hide)
        self.reset = QPushButton("Reset")
        self.reset.setToolTip("Start this run again from its first weights")
        self.reset.clicked.connect(self.resetRequested)
        self.reset.clicked.connect(self.hide)
        close = QPushButton("✕")
        close.setFlat(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        for button in (self.lower, self.restore, self.reset, close):
            buttons.addWidget(button)
        self.hide()

    def show_hints(self, hints: tuple[str, ...]) -> None:
        """Explain layers that stopped learning (saturated or dead); none: hide that."""
        if not hints:
            if self.restore.isHidden():  # a hint was shown, not a divergence
                self.hide()
            return
        self.label.setText(
            "<b>Training has almost stopped.</b> " + "<br>".join(escape(h) for h in hints)
        )
        self.restore.hide()  # nothing diverged: there is no earlier state to go back to
        self.show()

    def show_divergence(self, message: str) -> None:
        """Explain the divergence (``message`` names the epoch and step)."""
        text = message[:1].upper() + message[1:] if message else "Training diverged."
        self.restore.show()
        self.label.setText(
            f"<b>Training stopped: the loss is no longer a number.</b> {escape(text)}. "
            "The weights shown are the last ones computed."
        )
        self.show()

"""The status bar's line: what training is doing, how fast, and the latest numbers."""

from __future__ import annotations

import math
import time

from PySide6.QtWidgets import QLabel, QStatusBar

from core.snapshot import Snapshot


class StatusLine:
    """'training · 812 epochs/s' on the left, 'loss 0.031 · test 0.045 · accuracy 98%' right."""

    def __init__(self, bar: QStatusBar) -> None:
        self.bar = bar
        self.state_label, self.numbers_label = QLabel(), QLabel()
        bar.addWidget(self.state_label, 1)
        bar.addPermanentWidget(self.numbers_label)
        self.epochs_per_second = 0.0
        self._rate = (time.monotonic(), 0)
        self._row: dict[str, float] = {}

    def say(self, message: str, milliseconds: int = 5000) -> None:
        """Show ``message`` in the status bar for a while (plain text: Qt never renders a
        status message as rich text)."""
        self.bar.showMessage(message, milliseconds)

    def say_warnings(self, warnings: list[str]) -> None:
        """What a session file held that was set aside (unknown or repeated keys): the
        first warning and how many more, for a while (plain text, already bounded)."""
        if warnings:
            more = f" (and {len(warnings) - 1} more)" if len(warnings) > 1 else ""
            self.say(f"The file: {warnings[0]}{more}", 15000)

    def new_run(self) -> None:
        """Forget the numbers of the run that ended."""
        self._row = {}

    def take(self, snap: Snapshot) -> None:
        """Remember the newest history row and measure epochs per second."""
        if snap.history and len(snap.history["train_loss"]):
            self._row = {k: float(v[-1]) for k, v in snap.history.items() if v.ndim == 1}
        if snap.evaluation is not None:  # the parameters as they are now (edited, stepped)
            self._row = dict(snap.evaluation)
        t0, e0 = self._rate
        now = time.monotonic()
        if now - t0 >= 0.5:
            self.epochs_per_second = max(snap.epoch - e0, 0) / (now - t0)
            self._rate = (now, snap.epoch)

    def show(self, snap: Snapshot | None, playing: bool) -> None:
        """Write both labels for this state."""
        state = "training" if playing else "paused" if snap and snap.steps else "ready"
        if snap is not None and snap.status == "diverged":
            state = "diverged"
        elif snap is not None and snap.message and not playing:
            state = snap.message
        rate = f" · {self.epochs_per_second:,.0f} epochs/s" if playing else ""
        self.state_label.setText(f"{state}{rate}")
        self.numbers_label.setText(self.numbers())

    def numbers(self) -> str:
        """The loss L of the whole training set (and test set) and the accuracy, for the
        parameters as they are now ('' before the first row)."""
        row = self._row
        if not row:
            return ""
        parts = [f"training-set loss {row['train_loss']:.4g}"]
        if math.isfinite(row["test_loss"]):
            parts.append(f"test-set loss {row['test_loss']:.4g}")
        if math.isfinite(row["train_accuracy"]):
            parts.append(f"accuracy {100 * row['train_accuracy']:.1f}%")
        return "  ·  ".join(parts) + "  "

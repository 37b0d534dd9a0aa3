"""The transport: play/pause, step, epoch, reset, re-randomise, speed and the epoch counter."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QLabel, QSlider, QToolBar, QWidget

# Slider positions -> steps per second; None is as fast as the machine goes.
SPEEDS: tuple[float | None, ...] = (1, 2, 5, 10, 30, 100, 300, 1000, 3000, None)


def speed_text(speed: float | None) -> str:
    """'1 step/s', '30 steps/s' or 'max'."""
    if speed is None:
        return "max speed"
    return f"{speed:g} step/s" if speed == 1 else f"{speed:g} steps/s"


class RunControls(QToolBar):
    """The toolbar that drives training; it emits requests and shows the epoch."""

    playToggled = Signal(bool)
    stepRequested = Signal()
    epochRequested = Signal()
    resetRequested = Signal()
    rerandomiseRequested = Signal()
    speedChanged = Signal(object)  # steps per second, or None for as fast as possible

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        self.setObjectName("training_toolbar")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.play_action = self._action("▶  Play", "Space", "Train continuously; Space pauses")
        self.play_action.setCheckable(True)
        self.play_action.setProperty("shortcut_text", "Train / pause")
        self.play_action.toggled.connect(self._on_play_toggled)
        self.step_action = self._action("Step", "N", "One optimiser step on the next mini-batch")
        self.step_action.triggered.connect(self.stepRequested)
        self.epoch_action = self._action("Epoch", "E", "Train until the current epoch ends")
        self.epoch_action.triggered.connect(self.epochRequested)
        self.addSeparator()
        self.reset_action = self._action(
            "↺  Reset", "Ctrl+R", "Back to this run's starting weights: the same run again"
        )
        self.reset_action.triggered.connect(self.resetRequested)
        self.dice_action = self._action(
            "New weights", "Ctrl+Shift+R", "Re-randomise: new initial weights from a new seed"
        )
        self.dice_action.triggered.connect(self.rerandomiseRequested)
        self.addSeparator()
        self._add_speed()
        self.addSeparator()
        self.epoch_label = QLabel()
        font = QFont(self.epoch_label.font())
        font.setPointSize(font.pointSize() + 4)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFamily("monospace")
        self.epoch_label.setFont(font)
        self.epoch_label.setToolTip("Epochs trained (steps in brackets)")
        self.addWidget(self.epoch_label)
        self.show_epoch(0, 0)

    def _action(self, text: str, shortcut: str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
        self.addAction(action)
        return action

    def _add_speed(self) -> None:
        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setRange(0, len(SPEEDS) - 1)
        self.speed_slider.setValue(len(SPEEDS) - 1)
        self.speed_slider.setFixedWidth(160)
        self.speed_slider.setToolTip("Training speed: from 1 step per second (lectures) to max")
        self.speed_slider.valueChanged.connect(self._on_speed)
        self.speed_label = QLabel(speed_text(None))
        self.speed_label.setMinimumWidth(110)
        self.addWidget(QLabel(" Speed "))
        self.addWidget(self.speed_slider)
        self.addWidget(self.speed_label)

    @property
    def speed(self) -> float | None:
        """The chosen steps per second (None: as fast as possible)."""
        return SPEEDS[self.speed_slider.value()]

    def set_speed(self, speed: float | None) -> None:
        """Select the nearest speed on the slider."""
        index = SPEEDS.index(speed) if speed in SPEEDS else len(SPEEDS) - 1
        self.speed_slider.setValue(index)

    def show_playing(self, playing: bool) -> None:
        """Reflect the trainer's state without emitting playToggled."""
        self.play_action.blockSignals(True)
        self.play_action.setChecked(playing)
        self.play_action.setText("⏸  Pause" if playing else "▶  Play")
        self.play_action.blockSignals(False)

    def show_epoch(self, epoch: int, steps: int) -> None:
        """The counter, zero-padded like Playground's: 'epoch 000,123  (1,230 steps)'."""
        noun = "step" if steps == 1 else "steps"
        self.epoch_label.setText(f"  epoch {epoch:07,d}  ({steps:,} {noun})  ")

    @Slot(bool)
    def _on_play_toggled(self, on: bool) -> None:
        self.play_action.setText("⏸  Pause" if on else "▶  Play")
        self.playToggled.emit(on)

    @Slot(int)
    def _on_speed(self, index: int) -> None:
        self.speed_label.setText(speed_text(SPEEDS[index]))
        self.speedChanged.emit(SPEEDS[index])

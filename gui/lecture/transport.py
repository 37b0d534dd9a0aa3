"""Lecture mode's transport: first / back / play / next / last, speed, granularity, progress.

The bar drives a :class:`gui.lecture.plan.LectureController`.  Its keys are
QActions on the bar: Right and PageDown step on, Left and PageUp step back
(presenter clickers send PageDown/PageUp), Home and End jump, Space plays
and pauses.  Their context is ``WidgetWithChildrenShortcut`` by default
(the keys work while the bar or one of its children has focus);
:meth:`TransportBar.set_shortcut_context` widens it to the whole window.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from gui.lecture.controller import SECONDS_RANGE, LectureController
from gui.lecture.plan import Frame, LecturePlan
from gui.lecture.reveal import LEVELS
from gui.presentation.palette import STANDARD, Palette, palette_named
from gui.presentation.title import TitleLabel


def phase_colors(palette: Palette) -> dict[str, tuple[int, int, int]]:
    """The phase of each frame on the strip: the diagram's own colours for what it shows."""
    return {
        "forward": palette.weights.positive,  # blue: activations flowing forward
        "loss": (128, 128, 128),  # grey, as the palette draws a value it cannot place
        "output_delta": palette.gradients.negative,  # purple
        "backward": palette.gradients.positive,  # green
        "update": palette.weights.negative,  # orange
        "result": (128, 128, 128),  # grey: the loss again
    }


PHASE_COLORS = phase_colors(STANDARD)
STEP_GAP = 6.0  # pixels between the ticks of two steps
SPEED_STEP = 0.25  # seconds per slider notch
MIN_POINTS = 12
# The chosen granularity reads as pressed from the back of the room.
CHOICE_STYLE = (
    "QToolButton { padding: 3px 10px; border: 1px solid palette(mid); border-radius: 4px; }"
    "QToolButton:checked { background: palette(highlight); color: palette(highlighted-text);"
    " font-weight: bold; }"
)  # the bar's smallest font size, for projectors


def phase_color(phase: str, palette: Palette = STANDARD) -> QColor:
    """The strip's colour of a phase."""
    return QColor(*phase_colors(palette)[phase])


class ProgressStrip(QWidget):
    """A tick per frame of the plan, coloured by phase; the current one stands out.
    Frames already shown are full colour, those to come are pale.  Click or drag to jump."""

    frameClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frames: tuple[Frame, ...] = ()
        self._current = 0
        self.colours = STANDARD
        self._cell_cache: tuple = (None, [])
        self.setMinimumHeight(26)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Every step of the lecture; click one to jump to it")

    def sizeHint(self) -> QSize:
        return QSize(600, 28)

    def set_plan(self, plan: LecturePlan | None) -> None:
        """Show the frames of ``plan`` (none for None)."""
        self._frames = () if plan is None else plan.frames
        self._current = 0
        self.update()

    def set_palette(self, palette: Palette) -> None:
        """Colour the phases as ``palette`` colours the diagram."""
        self.colours = palette
        self.update()

    def set_current(self, index: int) -> None:
        """Mark frame ``index`` as the current one."""
        self._current = index
        self.update()

    @property
    def count(self) -> int:
        """Ticks on the strip."""
        return len(self._frames)

    def _cells(self) -> list[tuple[float, float]]:
        """(left, width) of each frame's cell, a wider gap between steps."""
        key = (self.width(), self._frames)
        if self._cell_cache[0] == key:
            return self._cell_cache[1]
        n = self.count
        changes = sum(a.step_index != b.step_index for a, b in zip(self._frames, self._frames[1:]))
        step_gap = STEP_GAP if self.width() / max(n, 1) > 3 * STEP_GAP else 0.0
        width = (self.width() - changes * step_gap) / max(n, 1)
        cells, left = [], 0.0
        for k, frame in enumerate(self._frames):
            if k and frame.step_index != self._frames[k - 1].step_index:
                left += step_gap
            cells.append((left, width))
            left += width
        self._cell_cache = (key, cells)
        return cells

    def tick_rect(self, index: int) -> QRectF:
        """Where frame ``index``'s tick is drawn (the current one spans the full height)."""
        left, width = self._cells()[index]
        gap = min(2.0, width / 4)
        full = index == self._current
        top, height = (1.0, self.height() - 2.0) if full else (5.0, self.height() - 10.0)
        return QRectF(left + gap / 2, top, width - gap, height)

    def tick_color(self, index: int) -> QColor:
        """The colour frame ``index``'s tick is filled with."""
        color = phase_color(self._frames[index].phase, self.colours)
        if index > self._current:
            color = QColor.fromRgbF(*(0.55 + 0.45 * c for c in color.getRgbF()[:3]))
        return color

    def index_at(self, x: float) -> int:
        """The frame under the horizontal position x (the one before, in a gap between steps)."""
        lefts = [left for left, _ in self._cells()]
        return max(0, bisect.bisect_right(lefts, x) - 1)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        rects = [self.tick_rect(index) for index in range(self.count)]
        for index, rect in enumerate(rects):
            painter.setBrush(self.tick_color(index))
            painter.drawRoundedRect(rect, 2, 2)
        if self.count:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self.palette().windowText().color(), 2.5))
            painter.drawRoundedRect(rects[self._current].adjusted(1, 1, -1, -1), 2, 2)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.count:
            self.frameClicked.emit(self.index_at(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton and self.count:
            self.frameClicked.emit(self.index_at(event.position().x()))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and self.count:
            index = self.index_at(event.pos().x())
            text = f"{index + 1}. {self._frames[index].title} (click to jump here)"
            QToolTip.showText(event.globalPos(), text, self)
            return True
        return super().event(event)


class TransportBar(QWidget):
    """The lecture's transport: buttons and keys, the step's title and position,
    the progress strip, the speed and the granularity.  It drives ``controller``."""

    def __init__(
        self,
        controller: LectureController,
        parent: QWidget | None = None,
        shortcut_context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        font = QFont(self.font())
        font.setPointSize(max(font.pointSize(), MIN_POINTS))
        self.setFont(font)
        top = QHBoxLayout()
        top.setSpacing(4)
        for button in self._make_actions():
            top.addWidget(button)
        self.title_label = self._make_title()
        top.addSpacing(12)
        top.addWidget(self.title_label, 1)
        bottom = QHBoxLayout()
        self.strip = ProgressStrip()
        self.strip.frameClicked.connect(controller.go_to)
        bottom.addWidget(self.strip, 1)
        bottom.addSpacing(12)
        self._add_speed(bottom)
        bottom.addSpacing(12)
        self._add_granularity(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.set_shortcut_context(shortcut_context)
        controller.planChanged.connect(self._on_plan)
        controller.frameChanged.connect(self._on_frame)
        controller.clickChanged.connect(lambda _click: self._on_frame(controller.frame))
        controller.playingChanged.connect(self._on_playing)
        controller.secondsChanged.connect(self._on_seconds)
        self._on_plan(controller.plan)
        self._on_playing(controller.playing)
        self._on_seconds(controller.seconds_per_frame)

    # --- building ---

    def _make_actions(self) -> list[QToolButton]:
        c = self.controller
        specs = [
            ("first", "|◀", ["Home"], "First step of the lecture", c.first),
            ("previous", "◀  Back", ["Left", "PgUp"], "Previous step", c.previous),
            ("play", "▶  Play", ["Space"], "Play the steps one after another", c.toggle_play),
            ("next", "Next  ▶", ["Right", "PgDown"], "Next step", c.next),
            ("last", "▶|", ["End"], "Last step of the lecture", c.last),
        ]
        listed = {"play": "Play / pause the steps"}  # the name in the shortcut overlay
        actions = {}
        for name, text, keys, tip, slot in specs:
            action = QAction(text, self)
            action.setProperty("shortcut_text", listed.get(name, tip))
            action.setShortcuts([QKeySequence(key) for key in keys])
            shown = " or ".join(QKeySequence(key).toString() for key in keys)
            action.setToolTip(f"{tip} ({shown})")
            action.triggered.connect(slot)
            self.addAction(action)
            actions[name] = action
        self.first_action, self.previous_action = actions["first"], actions["previous"]
        self.play_action = actions["play"]
        self.next_action, self.last_action = actions["next"], actions["last"]
        buttons = [self._button(action) for action in actions.values()]
        play = buttons[2]
        bold = QFont(self.font())
        bold.setBold(True)
        play.setFont(bold)
        play.setMinimumWidth(play.fontMetrics().horizontalAdvance("❚❚  Pause") + 24)  # no jump
        return buttons

    def _make_title(self) -> QLabel:
        label = TitleLabel()
        label.setToolTip("The step on screen, and where it is in the lecture")
        font = QFont(self.font())
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        label.setFont(font)
        # a long per-neuron title may be clipped on a narrow window, never widen it
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        return label

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the bar's shortcuts
        button.setMinimumSize(48, 34)
        return button

    def _add_speed(self, row: QHBoxLayout) -> None:
        lo, hi = (round(s / SPEED_STEP) for s in SECONDS_RANGE)
        self.speed_slider = QSlider(Qt.Orientation.Horizontal)
        self.speed_slider.setRange(lo, hi)
        self.speed_slider.setInvertedAppearance(True)  # right is faster: fewer seconds
        self.speed_slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed_slider.setFixedWidth(150)
        tip = "Playing speed: how long each step stays on screen (0.25 to 5 seconds)"
        self.speed_slider.setToolTip(tip)
        self.speed_slider.valueChanged.connect(self._on_speed)
        self.speed_label = QLabel()
        self.speed_label.setToolTip(tip)
        self.speed_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("0.25 s/step "))
        speed = QLabel("Speed")
        speed.setToolTip(tip)
        for widget in (speed, self.speed_slider, self.speed_label):
            row.addWidget(widget)

    def _add_granularity(self, row: QHBoxLayout) -> None:
        self.granularity_group = QButtonGroup(self)
        tips = {
            "layer": "One step per layer: a whole layer lights up at once",
            "neuron": "One step per neuron: each neuron, output and delta in turn (small nets)",
        }
        buttons = []
        for name in ("layer", "neuron"):
            button = QToolButton()
            button.setText(f"Per {name}")
            button.setCheckable(True)
            button.setToolTip(tips[name])
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(30)
            button.setStyleSheet(CHOICE_STYLE)
            button.setFont(self.font())  # a style sheet would not inherit the bar's size
            self.granularity_group.addButton(button)
            row.addWidget(button)
            buttons.append(button)
        self.layer_button, self.neuron_button = buttons
        self.granularity_group.setExclusive(True)
        self.granularity_group.buttonClicked.connect(self._on_granularity)

    # --- state ---

    def set_shortcut_context(self, context: Qt.ShortcutContext) -> None:
        """Where the keys work: WidgetWithChildrenShortcut (focus in the bar, the default)
        or WindowShortcut (anywhere in the window: lecture mode)."""
        for action in self.actions():
            action.setShortcutContext(context)

    def title_text(self) -> str:
        """'Backward: layer 2 (output) — 5 / 8', as the label shows it; a frame revealed
        click by click says how far: '— 5 / 8 · numbers (→ result)'."""
        c = self.controller
        frame = c.frame
        if frame is None:
            return "No lecture yet: pick a sample to trace"
        text = f"{frame.title} — {frame.index + 1} / {c.count}"
        clicks = c.clicks_of(frame)
        if clicks > 1:
            text += f" · {LEVELS[c.click]}"
            text += f" (→ {LEVELS[c.click + 1]})" if c.click < clicks - 1 else ""
        return text

    @Slot(object)
    def _on_plan(self, plan: LecturePlan | None) -> None:
        self.strip.set_plan(plan)
        granularity = self.controller.granularity
        self.layer_button.setChecked(granularity == "layer")
        self.neuron_button.setChecked(granularity == "neuron")
        for widget in (*self.actions(), self.layer_button, self.neuron_button):
            widget.setEnabled(plan is not None)
        self._on_frame(self.controller.frame)

    def set_palette(self, name: str) -> None:
        """Colour the strip and the title with palette ``name`` (a key of palette.PALETTES)."""
        self.strip.set_palette(palette_named(name))
        self._on_frame(self.controller.frame)

    @Slot(object)
    def _on_frame(self, frame: Frame | None) -> None:
        self.strip.set_current(self.controller.index)
        self.title_label.setText(self.title_text())  # elided before " — 5 / 8" when long
        if frame is not None:
            color = phase_color(frame.phase, self.strip.colours).darker(160)
            self.title_label.setStyleSheet(f"color: {color.name()}")

    @Slot(bool)
    def _on_playing(self, playing: bool) -> None:
        self.play_action.setText("❚❚  Pause" if playing else "▶  Play")
        keys = " or ".join(k.toString() for k in self.play_action.shortcuts())
        tip = "Pause" if playing else "Play the steps one after another"
        self.play_action.setToolTip(f"{tip} ({keys})")

    @Slot(float)
    def _on_seconds(self, seconds: float) -> None:
        self.speed_slider.blockSignals(True)
        self.speed_slider.setValue(round(seconds / SPEED_STEP))
        self.speed_slider.blockSignals(False)
        self.speed_label.setText(f"{seconds:g} s/step")

    @Slot(int)
    def _on_speed(self, value: int) -> None:
        self.controller.set_seconds_per_frame(value * SPEED_STEP)

    @Slot(QAbstractButton)
    def _on_granularity(self, button: QAbstractButton) -> None:
        self.controller.set_granularity("neuron" if button is self.neuron_button else "layer")

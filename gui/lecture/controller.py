"""The player of a lecture plan: which frame is on the stage, and how far it is revealed.

:class:`LectureController` steps through a :class:`gui.lecture.plan.LecturePlan` on the GUI
thread (a QTimer plays it).  A frame may take several clicks (progressive reveal, see
gui.lecture.reveal): Next first reveals the frame's next level, then moves on; Back first
takes the last level back, then shows the previous frame whole, as presentation software
steps through a slide's builds.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from gui.lecture.plan import Frame, LecturePlan

SECONDS_RANGE = (0.25, 5.0)


class LectureController(QObject):
    """Steps through a :class:`LecturePlan` on the GUI thread; a QTimer plays it."""

    frameChanged = Signal(object)  # the current Frame, or None without a plan
    playingChanged = Signal(bool)
    planChanged = Signal(object)  # the new LecturePlan, or None
    secondsChanged = Signal(float)  # seconds per frame
    clickChanged = Signal(int)  # the same frame revealed one level further (or back)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._plan: LecturePlan | None = None
        self._index = 0
        self.detail: tuple[int, ...] = ()  # layers shown neuron by neuron in a per-layer plan
        self._click = 0  # clicks into the current frame (progressive reveal)
        self.clicks: Callable[[Frame], int] = lambda frame: 1  # clicks each frame takes
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._advance)

    # --- state ---

    @property
    def plan(self) -> LecturePlan | None:
        """The plan being played."""
        return self._plan

    @property
    def index(self) -> int:
        """The current frame's index (0 without a plan)."""
        return self._index

    @property
    def count(self) -> int:
        """Frames in the plan."""
        return 0 if self._plan is None else len(self._plan)

    @property
    def frame(self) -> Frame | None:
        """The current frame, or None without a plan."""
        return None if self._plan is None or not len(self._plan) else self._plan[self._index]

    @property
    def click(self) -> int:
        """How many clicks the current frame has had (0 when it comes on)."""
        return self._click

    def clicks_of(self, frame: Frame | None) -> int:
        """How many clicks ``frame`` takes (1 for none)."""
        return 1 if frame is None else self.clicks(frame)

    def set_clicks(self, clicks: Callable[[Frame], int]) -> None:
        """How many clicks each frame takes (a revealed frame 3: symbols, numbers,
        result); the current frame starts again at its first."""
        self.clicks = clicks
        self._click = 0
        self.frameChanged.emit(self.frame)

    @property
    def playing(self) -> bool:
        """Whether the timer is advancing the frames."""
        return self._timer.isActive()

    @property
    def seconds_per_frame(self) -> float:
        """How long each frame stays while playing."""
        return self._timer.interval() / 1000.0

    @property
    def granularity(self) -> str:
        """'layer' or 'neuron' (the plan's; 'layer' without a plan)."""
        return "layer" if self._plan is None else self._plan.granularity

    # --- commands ---

    def set_plan(self, plan: LecturePlan | None, index: int = 0) -> None:
        """Play ``plan`` from frame ``index`` (paused), its detailed layers as ``detail``."""
        if plan is not None and plan.detail != self.detail and len(plan.frames):
            step_index = plan.frames[max(0, min(index, len(plan.frames) - 1))].step_index
            plan = plan.regrouped(plan.granularity, self.detail)
            index = plan.first_of_step(step_index)
        self.pause()
        self._plan = plan
        self._index, self._click = max(0, min(index, self.count - 1)), 0
        self.planChanged.emit(plan)
        self.frameChanged.emit(self.frame)

    def set_granularity(self, granularity: str) -> None:
        """Re-cut the plan per layer or per neuron, staying in the current step."""
        if self._plan is None or granularity == self._plan.granularity:
            return
        step_index = self.frame.step_index
        plan = self._plan.regrouped(granularity)
        playing = self.playing
        self.set_plan(plan, plan.first_of_step(step_index))
        if playing:
            self.play()

    def set_detail(self, layers: tuple[int, ...]) -> None:
        """Show ``layers``' steps neuron by neuron while the rest go per layer (all of
        layer 6 at once, then neuron by neuron in layer 1), staying in the current step."""
        self.detail = tuple(sorted(set(layers)))
        if self._plan is not None and self._plan.detail != self.detail:
            self.set_plan(self._plan, self._index)

    def set_seconds_per_frame(self, seconds: float) -> None:
        """Seconds each frame stays while playing, clamped to 0.25 .. 5."""
        seconds = min(max(float(seconds), SECONDS_RANGE[0]), SECONDS_RANGE[1])
        if round(seconds * 1000) != self._timer.interval():
            self._timer.setInterval(round(seconds * 1000))
            self.secondsChanged.emit(seconds)

    @Slot()
    def next(self) -> None:
        """The current frame's next level, or one frame on."""
        frame = self.frame
        if frame is not None and self._click < self.clicks_of(frame) - 1:
            self._reveal(self._click + 1)
        else:
            self.go_to(self._index + 1)

    @Slot()
    def previous(self) -> None:
        """The current frame's level before, or the frame before, whole."""
        if self._click > 0:
            self._reveal(self._click - 1)
        elif self._index > 0:
            self.go_to(self._index - 1, whole=True)

    def _reveal(self, click: int) -> None:
        self._click = click
        if self.playing:
            self._timer.start()  # a full interval for what was just revealed
        self.clickChanged.emit(click)

    @Slot()
    def first(self) -> None:
        """The first frame."""
        self.go_to(0)

    @Slot()
    def last(self) -> None:
        """The last frame, whole."""
        self.go_to(self.count - 1, whole=True)

    @Slot(int)
    def go_to(self, index: int, whole: bool = False) -> None:
        """Frame ``index``, clamped to the plan, at its first level (``whole``: its last);
        a playing lecture goes on from there."""
        index = max(0, min(int(index), self.count - 1))
        if self._plan is None:
            return
        click = self.clicks_of(self._plan[index]) - 1 if whole else 0
        if index == self._index:
            if click != self._click:
                self._reveal(click)
            return
        self._index, self._click = index, click
        if self.playing:
            self._timer.start()  # a full interval for the frame just chosen
        self.frameChanged.emit(self.frame)

    @Slot()
    def play(self) -> None:
        """Advance a frame per interval; from the last frame, start again at the first."""
        if self.count < 2 or self.playing:
            return
        if self._index == self.count - 1 and self._click >= self.clicks_of(self.frame) - 1:
            self.first()
        self._timer.start()
        self.playingChanged.emit(True)

    @Slot()
    def pause(self) -> None:
        """Stop advancing."""
        if self.playing:
            self._timer.stop()
            self.playingChanged.emit(False)

    @Slot()
    def toggle_play(self) -> None:
        """Play if paused, pause if playing."""
        if self.playing:
            self.pause()
        else:
            self.play()

    @Slot()
    def _advance(self) -> None:
        self.next()
        frame = self.frame
        if self._index >= self.count - 1 and self._click >= self.clicks_of(frame) - 1:
            self.pause()

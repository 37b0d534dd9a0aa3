"""Lecture mode in the window: trace one step, then play it frame by frame.

Entering pauses training and asks the training process for what the trace needs (the
session now, the optimiser's state, the rows of the next mini-batch or of the chosen row);
the core traces the step (core.trace.iteration) on those rows or on an input of the user's
own, and the window plays its frames: the diagram lights each frame's neurons and edges
with their values (gui.lecture.frames), the equation panel shows its formulas, the
transport bar drives it.  Leaving restores the diagram and, if the user says so, applies
the traced update.  The set-up (what is traced, granularity, digits, palette, the frame)
goes into the session on save."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QMessageBox

from core.data.scaling import input_note
from core.session.format import SessionError
from core.session.lecture_setup import LectureSetup
from core.snapshot import Snapshot
from core.trace.iteration import IterationTrace
from gui.lecture.chain import ChainPlan, about_parameter
from gui.lecture.controller import LectureController
from gui.lecture.equation_panel import EquationPanel
from gui.lecture.frames import Motion, fill_from_trace, formulas_about, show_frame, traced_pictures
from gui.lecture.gradients import GradientSummary
from gui.lecture.notes import SpeakerNotes
from gui.lecture.plan import Frame, LecturePlan
from gui.lecture.showing import StageChoices
from gui.lecture.studio import Studio
from gui.lecture.trace_chooser import TraceChoice, TraceChooser
from gui.lecture.transport import TransportBar

if TYPE_CHECKING:
    from gui.diagram.view import NetworkView
    from gui.model import SessionModel
    from gui.output.plot import OutputPlot
    from gui.status_line import StatusLine
    from gui.worker import TrainingWorker

DOCK_WIDTH = 440  # at 1280 pixels wide; wider screens get a wider dock and larger type
FORMULA_POINTS = 14


class LectureMode(QObject):
    """The window's lecture mode: enter, play the frames, leave.  ``host`` holds the
    lecture's dock and transport bar; lecture mode asks ``worker`` for the step, reads the
    session from ``model``, draws on ``view``, rings the traced point on ``output_plot``
    and says what happened on ``status``."""

    activeChanged = Signal(bool)
    choiceChanged = Signal(object)  # the TraceChoice lecture mode traces from now on
    paletteChosen = Signal(str)  # an opened session's lecture set-up names a palette
    left = Signal()  # back to the studio: the diagram shows the newest snapshot again

    def __init__(
        self,
        host: QMainWindow,
        studio: Studio,
        worker: TrainingWorker,
        model: SessionModel,
        view: NetworkView,
        output_plot: OutputPlot,
        status: StatusLine,
    ) -> None:
        super().__init__(host)
        self.host, self.studio, self.worker, self.model = host, studio, worker, model
        self.view, self.output_plot, self.status = view, output_plot, status
        self.controller = LectureController(self)
        self.panel = EquationPanel()
        self.chooser = TraceChooser()
        self.gradients = GradientSummary()  # per layer ‖δ‖, ‖∂L/∂W‖: the step's plans show it
        self.notes = SpeakerNotes(self.controller, model, host)
        self.choices = StageChoices(host, self.controller)  # reveal, pins, the path
        self.bar = TransportBar(self.controller)
        self.dock, self.toolbar = studio.lecture_parts(
            (self.chooser, self.gradients, self.panel), self.bar
        )
        self.active, self.used = False, False  # used: it has traced a step of this session
        self.choice = TraceChoice()
        self.shown, self.unfold = 0, False  # shown: the traced batch's sample on the neurons
        self._granularity, self._start, self._from = "layer", 0, None  # _start: where a new
        # trace opens; _from: the earlier epoch it is traced from (the history), None: now
        self._pictures: dict[str, Snapshot] = {}
        self._user_view = "weights"
        self.scrubbed: Callable[[], int | None] = lambda: None  # the history's epoch shown
        self.resume_at: Callable[[int], None] = lambda epoch: None  # train on from it
        self.motion = Motion(view, self)  # a frame's pulse or morph
        self.pulse_timer = self.motion.timer
        self.controller.frameChanged.connect(self._on_frame)
        self.controller.clickChanged.connect(self._show_stage)
        self.choices.changed.connect(self._show_stage)
        self.choices.chainRequested.connect(self.play_chain)
        self.controller.planChanged.connect(self.gradients.show_plan)
        self.panel.digitsChanged.connect(self._on_digits)
        self.chooser.choiceMade.connect(self._on_choice)
        self.chooser.shownChanged.connect(self._on_shown)
        self.chooser.unfoldChanged.connect(self._on_unfold)
        worker.lectureReady.connect(self._on_lecture_ready)
        output_plot.pointClicked.connect(self._on_point_clicked)
        self.choiceChanged.connect(self._mark_choice)

    # --- entering and leaving ---

    def enter(self, choice: TraceChoice | None = None, start: int | None = None) -> None:
        """Pause training and trace the next step, or ``choice`` (a training row, an own
        input); the lecture opens at frame ``start`` (default: where it is, else the first)."""
        if choice is not None:
            self.choice = choice
        rows = len(self.model.session.dataset.x_train)
        if self.choice.sample is not None and self.choice.sample >= rows:  # the data changed
            message = f"Training row {self.choice.sample + 1} is gone (rows 1 to {rows})"
            self.status.say(f"{message}: tracing the next mini-batch", 8000)
            self.choice = TraceChoice()
            self.chooser.show_choice(self.choice)
            self.choiceChanged.emit(self.choice)
        self._start = start if start is not None else self.controller.index if self.active else 0
        self.worker.pause()
        self._from = self.scrubbed()
        self.worker.request_lecture(self.choice.sample, self._from)

    def ask_leave(self) -> QMessageBox.StandardButton:
        """Apply the traced step, Restore the network as it was, or Cancel (tests replace it)."""
        button = QMessageBox.StandardButton
        question = "Apply this step to the network (it trains one step), or restore it as it was?"
        choices = button.Apply | button.Reset | button.Cancel
        return QMessageBox.question(
            self.host, "Leave lecture mode", question, choices, button.Reset
        )

    def unless_active(self, edit: Callable[..., None]) -> Callable[..., None]:
        """``edit``, refused while lecture mode shows a traced step of this network."""

        def guarded(*args: object) -> None:
            if self.active:
                self.status.say("Leave lecture mode (Esc) to edit the network")
            else:
                edit(*args)

        return guarded

    @Slot(bool)
    def toggle(self, on: bool) -> None:
        """The View menu's lecture-mode toggle: trace the next step and play it, or leave."""
        self.enter() if on else self.leave_by_user()

    @Slot()
    def escape(self) -> None:
        """Esc: from a weight's chain rule back to the step, else leave (asking)."""
        plan = self.controller.plan
        if isinstance(plan, ChainPlan):
            self.controller.set_plan(*plan.back)
        else:
            self.leave_by_user()

    @Slot()
    def leave_by_user(self) -> bool:
        """Leave, asking whether to apply the traced step; False if the user stays."""
        if not self.active:
            return True
        answer = self.ask_leave()
        if answer == QMessageBox.StandardButton.Cancel:
            self.activeChanged.emit(True)
            return False
        trace = self.trace
        self.leave()
        if answer == QMessageBox.StandardButton.Apply and trace is not None:
            self.apply(trace)
        return True

    def apply(self, trace: IterationTrace) -> None:
        """Make the traced step the trainer's own: the next mini-batch is stepped (the same
        numbers, the batch counts as done); a row or an own input is taken as traced."""
        batch = self.choice.mode == "batch"
        if self._from is not None:  # traced from an earlier epoch: training resumes there
            self.resume_at(self._from)
        if batch:
            self.worker.step()
        self.model.apply_step(trace, self._optimizer_before, taken=batch)  # one undo step

    def leave(self) -> None:
        """Back to the training studio; the trainer is as it was."""
        if not self.active:
            return
        self._granularity = self.controller.granularity
        self.controller.pause()
        self.motion.stop()
        self.choices.clicked = None  # the network may change before the next lecture
        self.controller.set_plan(None)
        self.view.set_stage(None)
        self.view.set_view(self._user_view)
        self._show(False)
        self.left.emit()

    @property
    def trace(self) -> IterationTrace | None:
        """The traced step on the stage, or None."""
        plan = self.controller.plan
        return None if plan is None else plan.trace

    # --- the set-up a session keeps ---

    def setup(self) -> LectureSetup:
        """What lecture mode traces and shows now, for the session file."""
        c = self.choice
        return LectureSetup(
            active=self.active,
            sample=c.sample,
            input=c.input,
            target=c.target,
            shown=self.shown,
            unfold=self.unfold,
            granularity=self.controller.granularity if self.active else self._granularity,
            digits=self.panel.digits,
            decimals=self.panel.decimals,
            palette=self.view.palette_name,
            step=self.controller.index if self.active else 0,
            detail=self.controller.detail,
            notes=dict(self.notes.notes),
            **self.choices.fields(),
        )

    def store(self, session) -> None:
        """Put the set-up into ``session`` (for saving) if lecture mode was used on it."""
        if self.active or self.used or self.notes.notes:
            session.lecture = self.setup()

    def apply_setup(self, setup: LectureSetup | None) -> None:
        """Take a newly opened session's set-up and enter lecture mode if it says so;
        None (the session has none): lecture mode's defaults, ``LectureSetup()`` (the next
        mini-batch, per layer, 4 significant digits), never the previous session's; the
        palette stays as the user has it."""
        self.used = False
        setup = LectureSetup() if setup is None else setup
        self.choice = TraceChoice(setup.sample, setup.input, setup.target)
        self.chooser.show_choice(self.choice, setup.unfold)
        self.choiceChanged.emit(self.choice)
        self.shown, self.unfold = setup.shown, setup.unfold
        self._granularity = setup.granularity
        self.panel.set_digits(setup.digits, setup.decimals)
        self.notes.take(setup.notes)
        self.choices.take(setup)
        self.controller.set_detail(setup.detail)
        if setup.palette is not None:
            self.paletteChosen.emit(setup.palette)
        if setup.active:
            self.enter(self.choice, setup.step)

    # --- a trace arrives ---

    @Slot(dict)
    def _on_lecture_ready(self, payload: dict) -> None:
        self._optimizer_before = copy.deepcopy(payload["optimizer"])
        try:
            ds, trace = self.choice.trace(payload, self.model.session.base_dir())
        except SessionError as exc:
            self.status.say(f"Cannot trace this step: {exc}", 8000)
            return
        self.shown, self.used = min(self.shown, trace.n - 1), True
        self._pictures = traced_pictures(trace, self.shown)
        fill_from_trace(self.view, trace, self.shown)
        if not self.active:
            self._user_view = self.view.view_mode
        self.chooser.fill(ds, self.model.session.loss, trace.n, self.shown, self.choice)
        granularity = self.controller.granularity if self.active else self._granularity
        self._show(True)
        self.controller.set_plan(LecturePlan(trace, granularity, self.shown), self._start)

    def _show(self, on: bool) -> None:
        was, self.active = self.active, on
        self.dock.setVisible(on)
        self.toolbar.setVisible(on)
        self.studio.step_aside(on, first=was != on)
        self.bar.set_shortcut_context(Qt.ShortcutContext.WindowShortcut)
        self.view.editable = not on  # a click on an edge shows its formulas instead
        self.view.element_menu = self._element_menu if on else None
        if on and not was:
            scale = min(max(self.host.width() / 1280, 1.0), 1.6)  # 1920 wide: 1.5
            self.panel.set_point_size(round(FORMULA_POINTS * scale))
            width = round(DOCK_WIDTH * scale)
            self.host.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal)
            self.bar.setFocus()
        self.activeChanged.emit(on)

    # --- frames ---

    @property
    def part(self) -> int | None:
        """The sample whose share of the batch's gradients is shown, or None (not unfolded)."""
        return self.shown if self.unfold and self.trace is not None and self.trace.n > 1 else None

    @Slot(object)
    def _on_frame(self, frame: Frame | None) -> None:
        self._show_stage()
        self.motion.start(frame, self._pictures)

    @Slot()
    def _show_stage(self) -> None:
        """The current frame on the diagram and in the panel, revealed as far as it has
        been clicked, with the pinned values and path (the pulse runs on)."""
        frame, trace = self.controller.frame, self.trace
        if frame is None or trace is None:
            self.view.set_stage(None)
            return
        session, part, digits = self.model.session, self.part, self.panel.precision
        self.panel.set_note(input_note(session.data))  # x is standardised: say so
        look, plan = self.choices.look(trace, frame, digits), self.controller.plan
        if isinstance(plan, ChainPlan):  # a weight's chain rule, factor by factor
            stage = plan.show(self.view, frame, self._pictures, session, digits, look)
            self.panel.set_render(plan.render(frame))
        else:
            stage = show_frame(self.view, frame, self._pictures, session, digits, part, look)
            self.panel.set_terms(frame.title, frame.terms, part, look.reveal, look.level)
        self.motion.stage = stage

    @Slot(int, int, int)
    def play_chain(self, l: int, i: int, j: int) -> None:
        """The chain rule of weight (l, i, j) (j = -1: bias b_i of layer l + 1), factor
        by factor, from the frame on the stage; Esc goes back to it."""
        if self.controller.plan is not None:
            plan = ChainPlan.of(self.controller.plan, self.controller.index, (l, i, j))
            self.controller.set_plan(plan)
            self.status.say(f"The chain rule of {plan.name}: → steps through it; Esc: back", 8000)

    def _element_menu(self, kind: str, key: tuple):
        """Lecture mode's right-click menu of a diagram element (None: the layer menu)."""
        trace = self.trace
        return None if trace is None else self.choices.element_menu(trace, kind, key)

    @Slot(int, int)
    def show_neuron(self, layer: int, index: int) -> None:
        """A clicked neuron: every formula of the traced step about it, in order; a click
        on nothing: the frame again."""
        if not self.active or self.trace is None or layer < 0:
            if self.active and self.controller.frame is not None:
                self._on_frame(self.controller.frame)
            return
        self.panel.set_terms(*formulas_about(self.trace, layer, index))

    @Slot(int, int, int)
    def show_parameter(self, l: int, i: int, j: int) -> None:
        """A clicked edge (or bias, j = -1): every formula of the traced step about that
        weight: its gradient, the optimiser's state and its update."""
        if self.active and self.trace is not None:
            self.choices.clicked = (l, i, j)  # C plays its chain rule
            self.panel.set_terms(*about_parameter(self.trace, (l, i, j), self.shown))

    # --- the user's choices ---

    @Slot(object)
    def _on_choice(self, choice: TraceChoice) -> None:
        self.choice = choice
        self.choiceChanged.emit(choice)
        if self.active:
            self.enter(choice)

    def choose_row(self, row: int) -> None:
        """Trace training row ``row`` (a point clicked on the output map): now if lecturing,
        else when lecture mode starts."""
        choice = TraceChoice(sample=row)
        self.chooser.show_choice(choice)
        self._on_choice(choice)

    @Slot(int)
    def _on_point_clicked(self, row: int) -> None:
        """A training point clicked on the output map: lecture mode traces that row."""
        self.choose_row(row)
        if not self.active:
            message = f"Training row {row + 1} chosen: lecture mode (Ctrl+L) traces it"
            self.status.say(message, 8000)

    @Slot(object)
    def _mark_choice(self, choice: TraceChoice) -> None:
        """Ring the training point traced (none for a batch or an own input)."""
        self.output_plot.mark_point(choice.sample)

    @Slot(int)
    def _on_shown(self, sample: int) -> None:
        self.shown = sample
        trace = self.trace
        if trace is None or not 0 <= sample < trace.n:
            return
        self._pictures = traced_pictures(trace, sample)
        fill_from_trace(self.view, trace, sample)
        plan = LecturePlan(trace, self.controller.granularity, sample)
        self.controller.set_plan(plan, self.controller.index)

    @Slot(bool)
    def _on_unfold(self, on: bool) -> None:
        self.unfold = on
        self._on_frame(self.controller.frame)

    @Slot(int)
    def _on_digits(self, _digits: int) -> None:
        self._on_frame(self.controller.frame)

"""Quiz me: lecture mode asks the value each frame computes before it shows it.

With the quiz on, each frame of the traced step (gui.lecture.plan) hides the values it
computes (gui.quiz.veil) and the panel above the equations asks them one by one: the
learner types a value, Check says right, close (the slip named: "sign", "you forgot
f'(z)", "missing 1/n" ...) or wrong, at the digits the equation panel shows
(core.quiz.answers); Hint gives the formula in symbols, then with the numbers, then the
answer.  The score of a step appears when its last frame is done, the whole iteration's
at the last frame.  A weight's chain rule (C) and the frame after the update ask nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from core.quiz.questions import ASKED_PHASES, question_of
from core.quiz.score import QuizRun, Record, score_of
from core.trace.notation import format_number, render_symbol
from gui.lecture.chain import ChainPlan
from gui.lecture.plan import Frame
from gui.quiz.panel import QuizPanel
from gui.quiz.veil import QuizReveal

QUIZ_KEY = "Ctrl+Shift+Q"
NEXT = "Enter or Page Down for the next frame."
MAX_ASKED = 8  # questions a frame asks at most


class QuizCoach(QObject):
    """The "Quiz me" action and panel of ``lecture`` (gui.lecture.mode.LectureMode)."""

    def __init__(self, host: QMainWindow, lecture, status) -> None:
        super().__init__(host)
        self.host, self.lecture, self.status = host, lecture, status
        self.panel = QuizPanel()
        self.panel.hide()
        holder = lecture.panel.parentWidget().layout()  # the lecture dock's column
        holder.insertWidget(holder.indexOf(lecture.panel), self.panel)
        self.action = QAction("&Quiz me: type each value before it is shown", host)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(QUIZ_KEY))
        self.action.setProperty("shortcut_group", "Lecture")
        self.action.setProperty("shortcut_text", "Quiz me on / off")
        self.action.setToolTip(
            "Lecture mode hides each value a frame computes and asks you for it: right, "
            "close (the mistake named) or wrong, with hints and a score"
        )
        self.action.toggled.connect(self.set_on)
        self.runs: dict[tuple, QuizRun] = {}
        self._trace = None
        controller = lecture.controller
        controller.frameChanged.connect(self._on_frame)
        lecture.activeChanged.connect(self._on_active)
        lecture.choices.changed.connect(self._keep_veil)
        self.panel.checked.connect(self.check)
        self.panel.hintRequested.connect(self.hint)
        self.panel.answerRequested.connect(self.show_answer)
        self.panel.nextRequested.connect(controller.next)

    # --- on and off ---

    @property
    def on(self) -> bool:
        """Whether the quiz asks (its action is checked)."""
        return self.action.isChecked()

    @Slot(bool)
    def set_on(self, on: bool) -> None:
        """Quiz on (lecture mode starts if it is not on) or off (every value shown)."""
        if self.action.isChecked() != on:
            self.action.setChecked(on)  # toggled calls back here
            return
        if on and not self.lecture.active:
            self.lecture.enter()
        self._on_frame(self.lecture.controller.frame)

    @Slot(bool)
    def _on_active(self, active: bool) -> None:
        if not active:
            self.panel.hide()
            self._veil(frozenset())

    # --- the frame's questions ---

    @property
    def run(self) -> QuizRun | None:
        """The current frame's questions, or None (quiz off, no frame, nothing asked)."""
        frame = self.lecture.controller.frame
        return None if frame is None else self.runs.get(self._key(frame))

    @staticmethod
    def _key(frame: Frame) -> tuple:
        return (frame.step_index, frame.part, frame.sample, tuple(map(id, frame.terms)))

    def _run_of(self, frame: Frame) -> QuizRun | None:
        plan, trace = self.lecture.controller.plan, self.lecture.trace
        if isinstance(plan, ChainPlan) or trace is None or frame.phase not in ASKED_PHASES:
            return None
        if trace is not self._trace:  # a new traced step: a new quiz
            self._trace, self.runs = trace, {}
        key = self._key(frame)
        if key not in self.runs:
            asked = frame.terms[:MAX_ASKED]  # a layer of 2,048 weights: its first few
            questions = [question_of(trace, term, frame.step_index) for term in asked]
            self.runs[key] = QuizRun(questions, self.lecture.panel.precision)
        return self.runs[key]

    @Slot(object)
    def _on_frame(self, frame: Frame | None) -> None:
        """Ask the frame's next question (or say it is done), the rest kept back."""
        showing = self.on and self.lecture.active and frame is not None
        self.panel.setVisible(showing)
        if not showing:
            self._veil(frozenset())
            return
        self.panel.set_point_size(max(11, self.lecture.panel.point_size - 1))
        run = self._run_of(frame)
        self._ask(frame, run)

    def _ask(self, frame: Frame, run: QuizRun | None, after: bool = False) -> None:
        self.panel.set_score(self._score_text())
        if run is None:
            self.panel.finish("Quiz", f"Nothing to compute in this frame. {NEXT}")
            self._veil(frozenset())
            return
        pending = frozenset(r.question.term.target for r in run.records if not r.done)
        self._veil(pending)
        record = run.current
        if record is None:
            self.panel.finish("Quiz · frame done", self._done_text(frame), after)
            return
        k, n, of = run.index + 1, len(run.records), len(frame.terms)
        more = f" (the first {n} of its {of} values; Per neuron asks each)" if of > n else ""
        self.panel.ask(f"Quiz · question {k} of {n} in this frame{more}", record.question.prompt())

    def _veil(self, pending: frozenset) -> None:
        """Keep ``pending`` back on the stage and in the equation panel."""
        choices = self.lecture.choices
        reveal = QuizReveal.over(choices.reveal, pending)
        reveal = reveal if pending else reveal.base
        if reveal != choices.reveal:
            choices.reveal = reveal
            choices.changed.emit()

    @Slot()
    def _keep_veil(self) -> None:
        """The lecturer chose another reveal while a question is open: keep it back still."""
        run = self.run
        if self.on and run is not None and not isinstance(self.lecture.choices.reveal, QuizReveal):
            self._veil(frozenset(r.question.term.target for r in run.records if not r.done))

    # --- answers, hints, scores ---

    @Slot(str)
    def check(self, text: str) -> None:
        """Check ``text`` against the open question; right moves on to the next."""
        run = self.run
        if run is None or run.current is None:
            return
        run.precision = self.lecture.panel.precision
        question = run.current.question
        verdict = run.check(text)
        if verdict.right:
            self.panel.say("right", f"Right: {self._value(question)}.")
        else:
            self.panel.say(verdict.outcome, verdict.message)
        if verdict.right:
            self._ask(self.lecture.controller.frame, run, after=True)

    @Slot()
    def hint(self) -> None:
        """The open question's next hint; the third shows the answer and moves on."""
        run = self.run
        if run is None or run.current is None:
            return
        run.precision = self.lecture.panel.precision
        record = run.current
        text = run.hint()
        if record.done:
            self.panel.say("info", f"The answer: {text}")
            self._ask(self.lecture.controller.frame, run, after=True)
        else:
            self.panel.add_hint(f"Hint {record.hints}: {text}")

    @Slot()
    def show_answer(self) -> None:
        """Show the open question's answer (not scored) and ask the next."""
        run = self.run
        if run is None or run.current is None:
            return
        run.precision = self.lecture.panel.precision
        self.panel.say("info", f"The answer: {run.skip()}")
        self._ask(self.lecture.controller.frame, run, after=True)

    def _value(self, question) -> str:
        target = render_symbol(question.term.target, "unicode", samples=True)
        return f"{target} = {format_number(question.answer, self.lecture.panel.precision)}"

    def records(self, step: int | None = None) -> list[Record]:
        """The questions done so far (of step ``step``, or all)."""
        return [
            r
            for key, run in self.runs.items()
            if step is None or key[0] == step
            for r in run.records
            if r.done
        ]

    def _score_text(self) -> str:
        score = score_of(self.records())
        return f"Score {score.right} of {score.asked}" if score.asked else ""

    def _done_text(self, frame: Frame) -> str:
        """The frame is done: the step's score at its last frame, the iteration's at the
        plan's last; else the way on."""
        plan = self.lecture.controller.plan
        later = [f for f in plan.frames[frame.index + 1 :] if f.phase in ASKED_PHASES]
        if not later:
            return f"All done. The whole step: {score_of(self.records()).text()}."
        if later[0].step_index != frame.step_index:
            step = score_of(self.records(frame.step_index)).text()
            return f"End of “{frame.step.title}”: {step}. {NEXT}"
        return f"Every value of this frame is in. {NEXT}"

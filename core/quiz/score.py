"""A quiz in progress: the questions asked, the tries, the hints taken and the score.

A question counts as right when the learner typed a right answer before the last hint
(which shows the answer); it counts "at the first try" with no wrong answer and no hint
before it.  The GUI and the tests drive a :class:`QuizRun` the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.quiz.answers import Verdict
from core.quiz.questions import HINTS, Question
from core.trace.notation import Precision


@dataclass
class Record:
    """How one question went: its tries (typed answers that were numbers), hints taken,
    and whether it was answered right, or shown (the last hint, or skipped)."""

    question: Question
    tries: int = 0
    hints: int = 0
    right: bool = False
    shown: bool = False
    mistakes: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """Answered right, or its answer shown."""
        return self.right or self.shown

    @property
    def first_try(self) -> bool:
        """Right with no wrong answer and no hint before."""
        return self.right and self.tries == 1 and self.hints == 0


@dataclass(frozen=True)
class Score:
    """Right answers of ``asked`` questions, how many at the first try, hints taken and
    the named mistakes made."""

    right: int
    asked: int
    first_try: int
    hints: int
    mistakes: tuple[str, ...]

    def text(self) -> str:
        """'5 of 6 right (4 at the first try; 2 hints; mistakes: sign)'."""
        parts = [f"{self.first_try} at the first try"]
        parts.append("no hints" if not self.hints else f"{self.hints} hint{'s' * (self.hints > 1)}")
        if self.mistakes:
            parts.append("mistakes: " + ", ".join(dict.fromkeys(self.mistakes)))
        return f"{self.right} of {self.asked} right ({'; '.join(parts)})"


def score_of(records: list[Record]) -> Score:
    """The score of ``records`` (those asked so far)."""
    return Score(
        right=sum(r.right for r in records),
        asked=len(records),
        first_try=sum(r.first_try for r in records),
        hints=sum(r.hints for r in records),
        mistakes=tuple(m for r in records for m in r.mistakes),
    )


class QuizRun:
    """Questions asked one after another: check an answer, take a hint, move on."""

    def __init__(self, questions: list[Question], precision: int | Precision) -> None:
        self.records = [Record(q) for q in questions]
        self.precision = precision
        self.index = 0

    @property
    def current(self) -> Record | None:
        """The question being asked, or None when all are done."""
        return self.records[self.index] if self.index < len(self.records) else None

    def check(self, text: str) -> Verdict:
        """Check ``text`` against the current question; a right answer moves on."""
        record = self.current
        if record is None:
            return Verdict("invalid", "There is no question left: the quiz is over.")
        verdict = record.question.check(text, self.precision)
        if verdict.outcome != "invalid" and not record.done:
            record.tries += 1
            record.right = verdict.right
            if verdict.mistake is not None:
                record.mistakes.append(verdict.mistake)
        if record.done:
            self.index += 1
        return verdict

    def hint(self) -> str:
        """The current question's next hint; the last shows the answer and moves on."""
        record = self.current
        if record is None:
            return ""
        record.hints = min(record.hints + 1, HINTS)
        text = record.question.hint(record.hints, self.precision)
        if record.hints == HINTS:
            record.shown = True
            self.index += 1
        return text

    def skip(self) -> str:
        """Show the current question's answer and move on (it counts as not right)."""
        record = self.current
        if record is None:
            return ""
        record.shown = True
        self.index += 1
        return record.question.hint(HINTS, self.precision)

    @property
    def finished(self) -> bool:
        """Every question answered or shown."""
        return self.index >= len(self.records)

    def score(self) -> Score:
        """The score of the questions done so far."""
        return score_of([r for r in self.records if r.done])

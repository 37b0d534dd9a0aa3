"""Questions from a traced iteration: one per value a lecture frame computes.

A :class:`Question` is a term of the trace (core.trace.steps): what is asked is its
target (z₁¹, a₁¹, L_o1, δ, ∂L/∂w, w⁺ ...), the answer is the term's own result (the
engine's number, exactly), and the hints are the term rendered by core.trace.formula:
the formula in symbols, then with the numbers put in, then the answer.  The result step
(the loss after the update, a second forward pass) asks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.quiz.answers import Verdict, check_value
from core.quiz.mistakes import mistakes_of
from core.trace.expr import Term
from core.trace.formula import render_numeric, render_symbolic, render_term
from core.trace.iteration import IterationTrace
from core.trace.notation import Precision, render_symbol

ASKED_PHASES = ("forward", "loss", "output_delta", "backward", "update")
HINTS = 3  # the formula in symbols, with the numbers, the answer


@dataclass(frozen=True)
class Question:
    """What ``term`` computes, to be typed: its answer is ``term.result``; ``mistakes``
    maps each named slip to (its value, advice); ``step`` indexes the trace's steps."""

    term: Term
    step: int
    phase: str
    mistakes: dict[str, tuple[float, str]]

    @property
    def answer(self) -> float:
        """The traced value, exactly."""
        return self.term.result

    def prompt(self, style: str = "unicode") -> str:
        """'z₁¹ = ?' (with a batch, the sample: 'z₁¹[2] = ?')."""
        return f"{render_symbol(self.term.target, style, samples=True)} = ?"

    def check(self, text: str, precision: int | Precision) -> Verdict:
        """The typed ``text`` checked at ``precision`` (core.quiz.answers)."""
        return check_value(text, self.answer, self.mistakes, precision)

    def hint(self, level: int, precision: int | Precision, style: str = "unicode") -> str:
        """Hint ``level`` (1 to 3): the formula in symbols; the formula with the numbers and
        '?' for the result; the whole line with the answer."""
        if level <= 1:
            return render_symbolic(self.term, style)
        if level == 2:
            numbers = render_numeric(self.term, precision, style, result=False)
            return f"{render_symbolic(self.term, style)} = {numbers}"
        return render_term(self.term, precision, style)


def question_of(trace: IterationTrace, term: Term, step: int) -> Question:
    """The question that ``term`` (of step ``step`` of ``trace``) asks."""
    phase = trace.steps[step].phase
    return Question(term, step, phase, mistakes_of(trace, term))


def step_terms(trace: IterationTrace, step: int, sample: int = 0) -> list[Term]:
    """The terms of step ``step`` for batch row ``sample`` (per-sample blocks) in order."""
    terms = trace.steps[step].terms
    out: list[Term] = []
    for block in terms.blocks:
        fixed = {"sample": sample} if "sample" in dict(block.dims) else {}
        out += terms.of(block, **fixed)
    return out


def step_questions(trace: IterationTrace, step: int, sample: int = 0) -> list[Question]:
    """The questions of step ``step``: one per value it computes for row ``sample``."""
    phase = trace.steps[step].phase
    if phase not in ASKED_PHASES:
        return []
    return [question_of(trace, term, step) for term in step_terms(trace, step, sample)]


def questions_of(trace: IterationTrace, sample: int = 0) -> list[Question]:
    """Every question of the traced iteration, step by step (the result step asks none)."""
    return [q for k in range(len(trace.steps)) for q in step_questions(trace, k, sample)]

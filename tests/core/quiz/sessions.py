"""Traced steps the quiz tests share: Mazur's lesson and a batch of 10 (playground)."""

from __future__ import annotations

import functools

import numpy as np

from core.engine.trainer import trainer_for
from core.quiz.questions import Question
from core.session.format import load_session
from core.session.lessons import resolve
from core.trace.iteration import trace_next_step


@functools.cache
def lesson(name: str):
    """The lesson's session and the trace of its trainer's next step."""
    session = load_session(resolve(name))
    return session, trace_next_step(trainer_for(session), session.labels)


def traced_value(trace, question: Question) -> float:
    """The question's quantity read straight from the trace's arrays."""
    t = question.term.target
    s = t.sample or 0
    if t.name == "z":
        return float(trace.z[t.layer - 1][s, t.i])
    if t.name == "a":
        return float(trace.a[t.layer][s, t.i])
    if t.name == "delta":
        return float(trace.delta[t.layer - 1][s, t.i])
    if t.name == "L":
        return float(trace.loss if t.i is None else trace.loss_terms[s, t.i])
    if t.name == "dL/dw":
        return float(trace.dW[t.layer - 1][t.i, t.j])
    if t.name == "dL/db":
        return float(trace.db[t.layer - 1][t.i])
    if t.name == "w" and t.new:
        return float(trace.weights_after[t.layer - 1][t.i, t.j])
    if t.name == "b" and t.new:
        return float(trace.biases_after[t.layer - 1][t.i])
    if t.name in trace.internals:  # the optimiser's state after the step
        weights, biases = trace.internals[t.name]
        return float(
            weights[t.layer - 1][t.i, t.j] if t.j is not None else biases[t.layer - 1][t.i]
        )
    raise AssertionError(f"no array for {t}")


def find(questions: list[Question], name: str, label: str | None = None, **fields) -> Question:
    """The question about ``name`` (with ``label`` or these Symbol fields)."""
    for q in questions:
        t = q.term.target
        same = t.name == name and (label is None or t.label == label)
        if same and all(getattr(t, k) == v for k, v in fields.items()):
            return q
    raise AssertionError(f"no question about {name} {label} {fields}")


def as_typed(value: float) -> str:
    """A number as a learner types it, with all its digits."""
    return np.format_float_positional(value, unique=True)

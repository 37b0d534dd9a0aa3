"""What other parts of the window ask of the landscape dock: L against the edge or bias under
the mouse on the diagram (Shift+L), and lecture mode's update step on the plane -- which two
weights, and their values before and after the traced step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QCursor

from core.explore.landscape import Param
from core.trace.iteration import IterationTrace

if TYPE_CHECKING:
    from gui.explore.landscape import LandscapeDock

MAZUR = ("w5", "w6")  # the weights Mazur's worked example updates first


def update_step(
    trace: IterationTrace, labels: dict | None, clicked: list[Param]
) -> tuple[tuple[Param, Param], list[float], list[float]]:
    """The two weights to show the update on -- w5 and w6 where the lesson names them, else
    the two clicked, else the two parameters the step changes most -- and their values
    before and after the step."""
    pair = named(labels, MAZUR) or (tuple(clicked) if len(clicked) == 2 else None)
    if pair is None:
        every = [
            (l, i, j)
            for l, w in enumerate(trace.weights_before)
            for i in range(w.shape[0])
            for j in range(-1, w.shape[1])
        ]
        changes = [abs(value(trace.update_weights, trace.update_biases, p)) for p in every]
        order = sorted(range(len(every)), key=lambda k: -changes[k])
        pair = (every[order[0]], every[order[1]])
    before = [value(trace.weights_before, trace.biases_before, p) for p in pair]
    after = [value(trace.weights_after, trace.biases_after, p) for p in pair]
    return pair, before, after


def value(weights: list, biases: list, param: Param) -> float:
    """The value of weight (l, i, j) or bias (l, i, -1) in these arrays."""
    l, i, j = param
    return float(biases[l][i] if j < 0 else weights[l][i, j])


def named(labels: dict | None, names: tuple[str, ...]) -> tuple[Param, ...] | None:
    """The weights the lesson labels ``names``, in that order, or None if one is missing."""
    found = {}
    for l, rows in enumerate((labels or {}).get("weights") or []):
        for i, row in enumerate(rows):
            for j, label in enumerate(row):
                found[label] = (l, i, j)
    return tuple(found[n] for n in names) if all(n in found for n in names) else None


def profile_under_cursor(view, dock: LandscapeDock) -> str:
    """The 1-D landscape of the edge or bias under the mouse on ``view`` (the diagram), in
    ``dock``; returns what to say if there is none ('' if there is)."""
    hit = view.hit_at(view.viewport().mapFromGlobal(QCursor.pos())) if view.text else None
    if hit is None or hit.kind not in ("edge", "bias"):
        return "Hover an edge or a bias of the diagram, then press Shift+L: L against it."
    l, i, j = hit.key if hit.kind == "edge" else (hit.key[0] - 1, hit.key[1], -1)
    dock.show_profile((l, i, j))
    return ""

"""The layout audit of lecture mode (issue 12): every frame of every built-in lesson and of a
2-3-2-4-1 net, per layer and per neuron, on the diagram of a 1280x720 and a 1920x1080
window: no two value cards overlap, no card covers a diagram text or a neuron (a number
alone sits on its own), everything lies inside the visible area, and the cards shown plus
the "n more in the panel" marker account for every card the frame calls for."""

from __future__ import annotations

import functools
from itertools import combinations

import pytest

from gui.diagram.cards import called_for
from gui.diagram.items import NeuronItem
from gui.diagram.view import NetworkView
from tests.gui.lecture.stage_cards import (
    LESSONS,
    SIZES,
    cards,
    lecture_view,
    session_named,
    texts_of,
    walk,
)


def neuron_of(owner: tuple) -> tuple[int, int] | None:
    """The neuron a card of ``owner`` belongs to (None for an edge's)."""
    return None if owner[0] == "edge" else (owner[1], owner[2])


def drawn(neuron: NeuronItem):
    """What a neuron draws, in scene coordinates: its square and its bias glyph."""
    rect = neuron.body() if neuron.layer == 0 else neuron.body().united(neuron.bias_rect())
    return rect.translated(neuron.pos())


def frame_problems(view: NetworkView, title: str, stage) -> list[str]:
    shown = cards(view)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    texts = [(t.text(), t.sceneBoundingRect()) for t in texts_of(view)]
    neurons = [i for i in view.diagram.items() if isinstance(i, NeuronItem) and i.isVisible()]
    found = []
    for a, b in combinations(shown, 2):
        if a.sceneBoundingRect().intersects(b.sceneBoundingRect()):
            found.append(f"{title}: {a.text()!r} overlaps {b.text()!r}")
    for card in shown:
        rect = card.sceneBoundingRect()
        found += [f"{title}: {card.text()!r} covers {t!r}" for t, r in texts if rect.intersects(r)]
        for neuron in neurons:
            own = not card.named and neuron_of(card.owner) == (neuron.layer, neuron.index)
            if not own and rect.intersects(drawn(neuron)):
                found.append(f"{title}: {card.text()!r} covers neuron {neuron.layer, neuron.index}")
        if not visible.contains(rect):
            found.append(f"{title}: {card.text()!r} is cut by the edge of the view")
    for (a, ra), (b, rb) in combinations(texts, 2):
        if ra.intersects(rb):
            found.append(f"{title}: the diagram's {a!r} overlaps {b!r}")
    for text, rect in texts:
        if not visible.contains(rect):
            found.append(f"{title}: {text!r} is cut by the edge of the view")
    wanted = called_for(stage, len(view.diagram.layout.columns) - 1)
    if len(shown) + view.overlay.missing != len(wanted):
        found.append(f"{title}: {len(wanted)} cards called for, {len(shown)} shown, "
                     f"{view.overlay.missing} said to be in the panel")  # fmt: skip
    return found


@functools.cache
def audit(name: str, size: str) -> tuple[str, ...]:
    session = session_named(name)
    view = lecture_view(size)
    found = []
    for granularity in ("layer", "neuron"):
        for n, (frame, stage, _) in enumerate(walk(view, session, granularity, 4)):
            found += frame_problems(view, f"{granularity} {n + 1} {frame.title}", stage)
    view.close()
    return tuple(found)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", [*LESSONS, "net_23241"])
def test_every_frame_has_nothing_overlapping_cut_or_unaccounted(qapp, name, size):
    found = audit(name, size)
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:25])

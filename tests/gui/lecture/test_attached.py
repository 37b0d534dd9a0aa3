"""Issue 9: every number lecture mode puts on the diagram is attached to what it belongs to:
it names it (w₁₂¹ = −0.4604) with that quantity's number, or, a number alone, it sits
unmistakably on its own edge; and the traced sample's inputs and targets are on the stage.
Walked over every frame of the built-in lessons and of a 2-3-2-4-1 net, per layer and per
neuron, at the diagram's size in 1280x720 and 1920x1080 windows."""

from __future__ import annotations

import functools

import pytest

from tests.gui.lecture.stage_cards import (
    LESSONS,
    SIZES,
    cards,
    lecture_view,
    problems,
    sample_problems,
    session_named,
    walk,
)


@functools.cache
def audit(name: str, size: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Walk every frame of lesson ``name`` per layer and per neuron on a stage view of
    ``size``, the neurons showing the batch's third sample: what is wrong with its numbers'
    attachment, and with the sample's input and target cards."""
    session = session_named(name)
    view = lecture_view(size)
    attached, samples, seen = [], [], 0
    for granularity in ("layer", "neuron"):
        for frame, stage, trace in walk(view, session, granularity, 4, sample=2):
            attached += problems(view, frame, stage, trace, session.labels)
            samples += sample_problems(view, frame, trace, session.labels)
            seen += len(cards(view))
    view.close()
    assert seen > 0
    return tuple(attached), tuple(samples)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", [*LESSONS, "net_23241"])
def test_every_number_on_the_stage_is_named_or_on_its_own_edge(qapp, name, size):
    found = audit(name, size)[0]
    assert not found, "\n".join(found[:20])


# The digits lesson (64 inputs, 32 hidden, 10 outputs) cannot have its sample on the stage:
# the diagram draws 16 of the 64 inputs and folds 48 into its "⋮ 48 more" marker (no node to
# carry their cards), and its columns are so dense that even the numbers alone of the drawn
# inputs and of the 10 targets would overlap, so the stage leaves them to the equation panel,
# as it is built to (gui.diagram.stage, _place_column). Its numbers that are on the stage are
# checked by the test above like every lesson's.
TOO_DENSE_FOR_SAMPLE_CARDS = {"digits"}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "name", [n for n in (*LESSONS, "net_23241") if n not in TOO_DENSE_FOR_SAMPLE_CARDS]
)
def test_the_samples_inputs_and_targets_are_on_the_stage_clear_of_the_rest(qapp, name, size):
    found = audit(name, size)[1]
    assert not found, "\n".join(found[:20])


def test_a_lecture_shows_the_traced_row_and_its_target_at_the_lessons_precision(
    lesson_window, qtbot
):
    window = lesson_window("mazur")  # 9 decimal places
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=20_000)
    for index in (0, window.lecture.controller.count - 1):
        window.lecture.controller.go_to(index)
        shown = {card.text() for card in cards(window.network_view)}
        assert {"xᵢ₁ = 0.05", "xᵢ₂ = 0.1", "yₒ₁ = 0.01", "yₒ₂ = 0.99"} <= shown
    window.lecture.leave()

"""Progressive reveal (issue 12): a revealed frame shows its formula in symbols, a click
fills in the numbers, the next shows the result; a hidden quantity's number never shows;
Next and Back step through the clicks as presentation software steps through builds."""

from __future__ import annotations

import pytest

from core.engine.trainer import trainer_for
from core.session.format import load_session
from core.trace.expr import Symbol
from core.trace.iteration import trace_next_step
from core.trace.notation import format_number
from gui.lecture.controller import LectureController
from gui.lecture.equation_panel import terms_html
from gui.lecture.frames import Look, stage_for
from gui.lecture.plan import LecturePlan
from gui.lecture.reveal import RESULT, Reveal, RevealDialog, kind_of, veil
from tests import paths

REVEALED = Reveal({"z": "revealed", "a": "revealed", "delta": "revealed", "dL/dw": "revealed"})


@pytest.fixture(scope="module")
def trace():
    session = load_session(paths.LESSONS / "mazur.json")
    return trace_next_step(trainer_for(session), session.labels)


@pytest.fixture
def controller(trace, qtbot):
    controller = LectureController()
    controller.set_plan(LecturePlan(trace, "neuron"))
    return controller


def test_each_quantity_has_its_kind():
    kinds = {
        Symbol("z", 1, 0): "z",
        Symbol("x", 0, 1): "x",
        Symbol("delta", 2, 0): "delta",
        Symbol("dL/db", 1, 0): "dL/dw",
        Symbol("w", 2, 0, 1, new=True): "update",
        Symbol("m", 2, 0, 1, new=True): "update",
        Symbol("L", new=True): "L",
        Symbol("ΔL"): "L",
        Symbol("w", 2, 0, 1): None,  # the old weight: given, never kept back
        Symbol("lr"): None,
    }
    assert {symbol: kind_of(symbol) for symbol in kinds} == kinds
    assert veil("zₕ₁ = 0.3775") == "zₕ₁ = ?"
    assert veil("w5: 0.4 → 0.358916") == "w5: 0.4 → ?"


def test_a_revealed_frame_takes_three_clicks_and_a_shown_one_one(trace):
    plan = LecturePlan(trace, "neuron")
    clicks = [REVEALED.levels(frame) for frame in plan.frames]
    phases = [frame.phase for frame in plan.frames]
    assert all(c == 3 for c, p in zip(clicks, phases) if p in ("forward", "backward"))
    assert all(c == 1 for c, p in zip(clicks, phases) if p in ("loss", "update", "result"))
    assert {Reveal().levels(frame) for frame in plan.frames} == {1}


def test_next_reveals_then_moves_on_and_back_takes_it_back(controller):
    controller.set_clicks(REVEALED.levels)
    seen = []
    controller.clickChanged.connect(lambda click: seen.append(("click", click)))
    controller.frameChanged.connect(lambda frame: seen.append(("frame", frame.index)))
    for _ in range(4):
        controller.next()
    assert seen == [("click", 1), ("click", 2), ("frame", 1), ("click", 1)]
    assert (controller.index, controller.click) == (1, 1)
    controller.previous()
    assert (controller.index, controller.click) == (1, 0)
    controller.previous()  # the frame before, whole, as it was left
    assert (controller.index, controller.click) == (0, 2)
    controller.go_to(5)  # a jump starts the frame from its symbols
    assert controller.click == 0
    controller.last()
    assert controller.click == controller.clicks_of(controller.frame) - 1


def test_playing_steps_through_every_click(controller):
    controller.set_clicks(REVEALED.levels)
    total = sum(controller.clicks_of(frame) for frame in controller.plan.frames)
    controller.play()
    steps = 0
    while controller.playing:
        controller._advance()  # what the timer does, without waiting for it
        steps += 1
    assert steps == total - 1
    assert controller.index == controller.count - 1


def test_the_stage_and_the_panel_show_symbols_then_numbers_then_the_result(trace):
    frame = LecturePlan(trace, "neuron").frames[0]  # z_h1 and a_h1
    z = format_number(0.3775, 9)
    a = format_number(frame.terms[1].result, 9)
    texts = {}
    for level in range(3):
        stage = stage_for(frame, 2, 9, look=Look(REVEALED, level))
        texts[level] = " ".join([*stage.node_values.values(), *stage.edge_values.values()])
        html = terms_html("", frame.terms, 9, reveal=REVEALED, level=level)
        texts[level] += " " + html
    assert "zₕ₁ = ?" in texts[0] and "w1 = 0.15" not in texts[0] and "0.15 ×" not in texts[0]
    assert "0.15 ×" in texts[1] and "w1 = 0.15" in texts[1] and z not in texts[1]
    assert "?" in texts[1] and a not in texts[1]  # σ(z_h1): z kept back while z = ?
    assert z in texts[2] and a in texts[2] and "?" not in texts[2]
    assert stage_for(frame, 2, 9, look=Look(REVEALED, RESULT)) == stage_for(frame, 2, 9)


def test_a_hidden_quantity_never_shows_its_number(trace):
    hidden = Reveal({"delta": "hidden"})
    plan = LecturePlan(trace, "neuron")
    deltas = {
        format_number(term.result, 9)
        for frame in plan.frames
        for term in frame.terms
        if term.target.name == "delta"
    }
    for frame in plan.frames:
        level = hidden.level_of(frame, 2)
        stage = stage_for(frame, 2, 9, look=Look(hidden, level))
        html = terms_html("", frame.terms, 9, reveal=hidden, level=level)
        of_deltas = [t for t in frame.terms if t.target.name == "delta"]
        own = terms_html("", of_deltas, 9, reveal=hidden, level=level)
        assert not any(d in text for d in deltas for text in (*stage.node_values.values(), own))
        assert not any(f"{d} ×" in html or f"× {d}" in html for d in deltas)  # nor as a factor
        if any(t.target.name == "dL/dw" for t in frame.terms):  # δ written as its symbol
            assert "= δ<sub>" in html.replace("<span style='white-space:nowrap'>", "")


def test_the_dialog_sets_each_kind(qtbot):
    dialog = RevealDialog({"z": "revealed", "delta": "hidden"})
    qtbot.addWidget(dialog)
    assert dialog.ways() == {"z": "revealed", "delta": "hidden"}
    dialog.groups["a"].button(1).click()
    dialog.groups["z"].button(0).click()
    assert dialog.ways() == {"a": "revealed", "delta": "hidden"}
    dialog.set_ways({})
    assert dialog.ways() == {}

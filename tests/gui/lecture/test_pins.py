"""Pinned values, the pinned path and a weight's chain rule factor by factor (issue 12), on
Matt Mazur's lesson; and all of it saved in the lecture set-up."""

from __future__ import annotations

import json
import re

import pytest
from PySide6.QtWidgets import QMessageBox

from core.engine.trainer import trainer_for
from core.session.checks import Problems
from core.session.format import load_session
from core.session.lecture_setup import LectureSetup, check_lecture
from core.trace.iteration import trace_next_step
from core.trace.notation import Precision
from gui.lecture.chain import ChainPlan
from gui.lecture.frames import Look, stage_for
from gui.lecture.pins import Pins, path_to, pinned_cards
from gui.lecture.plan import LecturePlan
from gui.lecture.reveal import Reveal
from tests import paths
from tests.gui.lecture.stage_cards import cards, lecture_view, session_named, walk

NINE = Precision(9, decimals=True)
WEIGHTS = {(0, 0, 0): "w1", (0, 0, 1): "w2", (0, 1, 0): "w3", (0, 1, 1): "w4"}
WEIGHTS |= {(1, 0, 0): "w5", (1, 0, 1): "w6", (1, 1, 0): "w7", (1, 1, 1): "w8"}


@pytest.fixture(scope="module")
def trace():
    session = load_session(paths.LESSONS / "mazur.json")
    return trace_next_step(trainer_for(session), session.labels)


def test_every_weight_pinned_shows_its_value_before_and_w_plus_after_the_update(trace):
    plan = LecturePlan(trace, "layer")
    forward, update = plan.frames[0], next(f for f in plan.frames if f.phase == "update")
    _, before = pinned_cards(Pins(weights=True), trace, forward, NINE, Reveal())
    _, after = pinned_cards(Pins(weights=True), trace, update, NINE, Reveal())
    assert {key: text.split(" = ")[0] for key, text in before.items()} == WEIGHTS
    assert before[(1, 0, 0)] == "w5 = 0.4" and before[(0, 0, 0)] == "w1 = 0.15"
    assert after[(1, 0, 0)] == "w5⁺ = 0.35891648"  # Mazur's published w5+
    assert after[(0, 0, 0)] == "w1⁺ = 0.149780716"


def test_a_pinned_neuron_shows_its_activation_and_a_hidden_one_a_question_mark(trace):
    frame = LecturePlan(trace, "layer").frames[0]
    nodes, _ = pinned_cards(Pins(keys=((1, 0),)), trace, frame, NINE, Reveal())
    assert nodes == {(1, 0): "aₕ₁ = 0.593269992"}
    nodes, _ = pinned_cards(Pins(keys=((1, 0),)), trace, frame, NINE, Reveal({"a": "hidden"}))
    assert nodes == {(1, 0): "aₕ₁ = ?"}


def test_the_path_runs_from_the_loss_back_to_the_weight():
    assert path_to((1, 0, 0), [2, 2, 2]) == (((2, 0),), ((1, 0, 0),))
    neurons, edges = path_to((0, 0, 1), [2, 2, 2])
    assert neurons == ((1, 0), (2, 0), (2, 1)) and edges == ((0, 0, 1), (1, 0, 0), (1, 1, 0))
    neurons, edges = path_to((0, 1, 0), [2, 3, 2, 1])
    assert neurons == ((1, 1), (2, 0), (2, 1), (3, 0))
    assert edges == ((0, 1, 0), (1, 0, 1), (1, 1, 1), (2, 0, 0), (2, 0, 1))


def test_pins_toggle_and_drop_what_an_edit_removed():
    pins = Pins().toggled((0, 1, 1)).toggled((1, 0)).toggled((0, 1, 1))
    assert pins.keys == ((1, 0),)
    stale = Pins(True, ((0, 2, 0), (1, 1), (3, 0)), (0, 1, 2))
    assert stale.fitting([2, 2, 2]) == Pins(True, ((1, 1),), None)


def test_pins_and_the_path_stay_on_the_diagram_in_every_frame(qapp):
    """Mazur's figure shows w1 .. w8 all the time: pinned, each weight's card is on the
    diagram in every frame that has no card of its own for that edge, and the path stays."""
    session = session_named("mazur")
    view = lecture_view("1280x720")
    trace = trace_next_step(trainer_for(session), session.labels)
    path = path_to((0, 0, 0), trace.layers)
    for granularity in ("layer", "neuron"):
        for frame, stage, trace in walk(view, session, granularity, 4):
            nodes, edges = pinned_cards(Pins(weights=True), trace, frame, 4, Reveal())
            look = Look(Reveal(), 2, nodes, edges, path)
            pinned = stage_for(frame, 2, 4, look=look)
            view.set_stage(pinned)
            owners = {card.owner for card in cards(view)}
            own = set(stage.edge_values)
            assert all(("edge", *key) in owners for key in edges if key not in own), frame.title
            assert view.overlay.missing == 0, frame.title
            assert view.overlay.path.isVisible()
            assert len(view.overlay.path.segments) == len(path[1])
    view.close()


def test_the_chain_of_w5_plays_factor_by_factor_with_the_posts_numbers(trace):
    plan = LecturePlan(trace, "neuron")
    chain = ChainPlan.of(plan, 7, (1, 0, 0))
    assert chain.name == "∂L/∂w5" and chain.back == (plan, 7)
    parts = [frame.part for frame in chain.frames]
    assert parts == [
        "in symbols",
        "factor 1 of 3: ∂L/∂aₒ₁",
        "factor 2 of 3: ∂aₒ₁/∂zₒ₁",
        "factor 3 of 3: ∂zₒ₁/∂w5",
        "the product",
    ]
    texts = []
    for frame in chain.frames:
        stage = chain.stage(frame, NINE, (), Look())
        texts.append({**stage.node_values, **stage.edge_values})
        html = chain.render(frame)(NINE)
        if frame.index == 0:
            assert "0.74136507" not in html  # the product in symbols alone
        else:
            assert ("0.082167041" in html) == (frame.index == 4) == ("= ?" not in html)
    assert texts[1][(2, 0)] == "∂L/∂aₒ₁ = 0.74136507"
    assert texts[2][(2, 0)] == "∂aₒ₁/∂zₒ₁ = 0.186815602"
    assert texts[3][(1, 0)] == "∂zₒ₁/∂w5 = 0.593269992"
    assert texts[4][(1, 0, 0)] == "∂L/∂w5 = 0.082167041"
    filled = re.sub("<[^>]*>", "", chain.render(chain.frames[2])(NINE)).replace("\u2060", "")
    assert "0.74136507 × 0.186815602 × ∂zo1/∂w5 = ?" in filled
    assert chain.regrouped("layer").granularity == "layer"


def test_the_chain_of_a_hidden_weight_sums_its_paths_first(trace):
    chain = ChainPlan.of(LecturePlan(trace, "layer"), 0, (0, 0, 0))
    parts = [frame.part for frame in chain.frames]
    assert parts[1:3] == ["∂L/∂aₕ₁ through neuron o1", "∂L/∂aₕ₁ through neuron o2"]
    paths = [chain.stage(f, NINE, (), Look()).edge_values for f in chain.frames[1:3]]
    assert paths[0][(1, 0, 0)] == "δₒ₁ · w5 = 0.055399425"
    assert paths[1][(1, 1, 0)] == "δₒ₂ · w7 = −0.019049118"
    total = chain.stage(chain.frames[3], NINE, (), Look()).node_values
    assert total == {(1, 0): "∂L/∂aₕ₁ = 0.036350306"}
    last = chain.stage(chain.frames[-1], NINE, (), Look()).edge_values
    assert last[(0, 0, 0)] == "∂L/∂w1 = 0.000438568"


def test_the_set_up_keeps_reveal_pins_and_path_and_refuses_bad_ones():
    setup = LectureSetup(
        reveal={"z": "revealed", "delta": "hidden", "a": "shown"},
        pin_weights=True,
        pinned=((1, 0, 0), (1, 0)),
        path=(0, 0, 0),
    )
    data = json.loads(json.dumps(setup.to_dict()))
    assert data["reveal"] == {"z": "revealed", "delta": "hidden"}
    assert data["pinned"] == [[1, 0, 0], [1, 0]] and data["path"] == [0, 0, 0]
    pr = Problems()
    back = check_lecture(data, pr)
    assert not pr.problems and back.reveal == {"z": "revealed", "delta": "hidden"}
    assert (back.pin_weights, back.pinned, back.path) == (True, ((1, 0, 0), (1, 0)), (0, 0, 0))
    assert "reveal" not in LectureSetup().to_dict() and "path" not in LectureSetup().to_dict()
    for bad, where in [
        ({"reveal": {"w": "revealed"}}, "unknown quantity kind 'w'"),
        ({"reveal": {"z": "later"}}, "unknown way to reveal 'later'"),
        ({"pinned": [[1]]}, "expected 2 or 3 indices"),
        ({"pinned": [[1, -1]]}, "lecture.pinned[0][1]"),
        ({"path": [1, 0]}, "expected 3 indices"),
        ({"pinned": [[0, 0]] * 5000}, "at most 4,096"),
    ]:
        pr = Problems()
        check_lecture(bad, pr)
        assert any(where in str(p) for p in pr.problems), (bad, list(pr.problems))


def test_the_window_saves_and_reopens_the_choices(lesson_window, qtbot, tmp_path):
    window = lesson_window("mazur")
    window.lecture.ask_leave = lambda: QMessageBox.StandardButton.Reset
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=20_000)
    choices = window.lecture.choices
    choices.set_reveal({"delta": "revealed"})
    choices.set_pins(Pins(True, ((1, 0),), (0, 0, 0)))
    view = window.network_view
    menu = view.element_menu("edge", (1, 0, 0))
    texts = [action.text() for action in menu.actions()]
    assert texts[:3] == [
        "Pin w5's value",
        "Pin the path from the loss back to w5",
        "Chain rule for w5, factor by factor",
    ]
    menu.actions()[2].trigger()
    assert isinstance(window.lecture.controller.plan, ChainPlan)
    window.lecture.escape()  # Esc: back to the step, not out of lecture mode
    assert window.lecture.active and not isinstance(window.lecture.controller.plan, ChainPlan)
    view.parameterClicked.emit(0, 0, 1)  # a click on w2, then C
    assert "∂L/∂w2 = ∂L/∂ah1 · ∂ah1/∂zh1 · ∂zh1/∂w2" in window.lecture.panel.plain_text()
    choices.chain_action.trigger()
    assert window.lecture.controller.plan.name == "∂L/∂w2"
    window.lecture.escape()
    path = tmp_path / "saved.json"
    assert window.files.save(window.session, path, prepare=window.lecture.store)
    saved = json.loads(path.read_text())["lecture"]
    assert saved["reveal"] == {"delta": "revealed"} and saved["pin_weights"] is True
    assert saved["pinned"] == [[1, 0]] and saved["path"] == [0, 0, 0]
    again = lesson_window(path)
    assert again.lecture.choices.pins == Pins(True, ((1, 0),), (0, 0, 0))
    assert again.lecture.choices.reveal.ways == {"delta": "revealed"}

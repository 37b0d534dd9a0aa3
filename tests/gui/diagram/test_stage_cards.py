"""The stage's value cards (issue 9): the traced sample's inputs and targets beside their
nodes, and a number without its name only where it is unmistakably on its own edge."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.network import Network
from core.session.format import load_session
from core.snapshot import network_snapshot
from gui.diagram.cards import ValueLabel, crossed, number_alone, stacked
from gui.diagram.stage import LABEL_GAP, Stage
from gui.diagram.view import NetworkView
from tests import paths


def cards(view: NetworkView) -> dict[str, ValueLabel]:
    return {item.text(): item for item in view.diagram.items() if isinstance(item, ValueLabel)}


def body(view: NetworkView, key: tuple[int, int]):
    item = view.diagram.neurons[key]
    return item.body().translated(item.pos())


@pytest.fixture
def mazur(show) -> NetworkView:
    session = load_session(paths.LESSONS / "mazur.json")
    view = show(NetworkView(), 1000, 600)
    view.set_network(
        network_snapshot(session.network), session.dataset.input_names, session.fitting_labels()
    )
    return view


def stage_view(show, layers: list[int], size: tuple[int, int]) -> NetworkView:
    """A 2-3-2-4-1-like net drawn as lecture mode draws it (large type, no buttons)."""
    net = Network.initialized(layers, ["tanh"] * (len(layers) - 1), "xavier_uniform", 0)
    view = show(NetworkView(), *size)
    view.set_presenting(True)
    view.set_controls_visible(False)
    view.set_network(network_snapshot(net), [f"x{i + 1}" for i in range(layers[0])])
    return view


def test_card_texts_stack_their_name_over_the_number_or_drop_it() -> None:
    assert stacked("w₁₂¹ = -0.4604") == "w₁₂¹\n= -0.4604"
    assert stacked("w5: 0.4 → 0.3589") == "w5:\n0.4 → 0.3589"
    assert stacked("0.4") == "0.4"
    assert number_alone("∂L/∂w5 = 0.08217") == "0.08217" and number_alone("0.4") == "0.4"


def test_crossed_finds_the_other_edges_running_through_a_card() -> None:
    edges = np.array([[0.0, 0, 100, 100], [0, 100, 100, 0], [0, 200, 100, 200]])
    card = np.array([[40.0, 40, 60, 60]])  # where the first two cross
    assert crossed(card, edges, np.array([0])).tolist() == [True]
    away = np.array([[5.0, 0, 15, 10]])  # on the first edge near its start, the second far off
    assert crossed(away, edges, np.array([0])).tolist() == [False]
    assert crossed(away, edges, np.array([-1])).tolist() == [True]  # no own edge: it counts


def test_the_samples_inputs_go_under_their_nodes_and_the_targets_beside_the_outputs(mazur):
    stage = Stage(
        inputs={0: "xᵢ₁ = 0.05", 1: "xᵢ₂ = 0.1"}, targets={0: "yₒ₁ = 0.01", 1: "yₒ₂ = 0.99"}
    )
    mazur.set_stage(stage)
    shown = cards(mazur)
    assert set(shown) == {"xᵢ₁ = 0.05", "xᵢ₂ = 0.1", "yₒ₁ = 0.01", "yₒ₂ = 0.99"}
    for text, key in (("xᵢ₁ = 0.05", (0, 0)), ("xᵢ₂ = 0.1", (0, 1))):
        card, node = shown[text].sceneBoundingRect(), body(mazur, key)
        assert node.bottom() < card.top() < node.bottom() + 2 * LABEL_GAP + 1  # under it
        assert card.right() <= node.right() + 1  # reaching left, away from the edges
        assert shown[text].owner == ("input", *key) and shown[text].named
    for text, key in (("yₒ₁ = 0.01", (2, 0)), ("yₒ₂ = 0.99", (2, 1))):
        card, node = shown[text].sceneBoundingRect(), body(mazur, key)
        assert card.left() > node.right() or card.top() > node.bottom()  # right of or under
        assert shown[text].owner == ("target", *key)
    rects = [card.sceneBoundingRect() for card in shown.values()]
    neurons = [n.sceneBoundingRect() for n in mazur.diagram.neurons.values()]
    assert not any(r.intersects(o) for r in rects for o in [*neurons, *rects] if o != r)


def test_a_column_without_room_shows_each_number_on_its_own_node(show) -> None:
    view = stage_view(show, [8, 3, 1], (700, 420))  # inputs too close for a card between
    values = {i: f"x{i + 1} = 0.{i}5" for i in range(8)}
    view.set_stage(Stage(inputs=values))
    shown = cards(view)
    assert set(shown) == {f"0.{i}5" for i in range(8)}
    for i in range(8):
        card = shown[f"0.{i}5"]
        assert not card.named and card.owner == ("input", 0, i)
        assert body(view, (0, i)).contains(card.sceneBoundingRect().center())


def test_a_weight_without_room_for_its_name_is_never_a_number_beside_a_node(show) -> None:
    """Issue 9's frame 1/43: w₁₁¹ and w₁₂¹ into the first hidden neuron of a 2-3-2-4-1 net
    at 1280x720, with x₁ and x₂ under the inputs, never showed as a stack of bare numbers
    beside x₁'s card."""
    view = stage_view(show, [2, 3, 2, 4, 1], (826, 587))
    edges = ((0, 0, 0), (0, 0, 1))
    stage = Stage(
        neurons=((1, 0),),
        edges=edges,
        direction="forward",
        node_values={(1, 0): "z₁¹ = 0.0088\na₁¹ = 0.008799"},
        edge_values={(0, 0, 0): "w₁₁¹ = 0.2739", (0, 0, 1): "w₁₂¹ = -0.4604"},
        inputs={0: "x₁ = 2.895", 1: "x₂ = 0.6365"},
        targets={0: "y₁ = 1"},
    )
    view.set_stage(stage)
    shown = cards(view)
    assert {"x₁ = 2.895", "x₂ = 0.6365", "y₁ = 1"} <= set(shown)
    x1 = shown["x₁ = 2.895"].sceneBoundingRect()
    assert x1.top() > body(view, (0, 0)).bottom()  # under x1, not among its edges
    for card in shown.values():
        if card.owner[0] != "edge" or card.named:
            continue
        near = card.sceneBoundingRect().adjusted(-LABEL_GAP, -LABEL_GAP, LABEL_GAP, LABEL_GAP)
        others = [c for c in shown.values() if c is not card]
        assert not any(near.intersects(o.sceneBoundingRect()) for o in others), card.text()
        neurons = view.diagram.neurons.values()
        assert not any(near.intersects(n.sceneBoundingRect()) for n in neurons), card.text()


def test_a_column_too_dense_even_for_its_numbers_shows_none_of_them(show) -> None:
    view = stage_view(show, [20, 3, 1], (700, 400))
    view.set_stage(Stage(inputs={i: f"x{i + 1} = 0.{i}5" for i in range(20)}, targets={0: "y = 1"}))
    assert set(cards(view)) == {"y = 1"}  # the equation panel has the inputs
    overlay = view.overlay
    assert overlay.missing == 20 and overlay.marker.text() == "20 more in the panel ▸"
    assert view.scene().sceneRect().contains(overlay.marker.sceneBoundingRect())
    view.set_stage(Stage(targets={0: "y = 1"}))  # every card fits: no marker
    assert overlay.missing == 0 and overlay.marker is None


def test_pins_without_room_are_counted_as_pins_not_as_in_the_panel(show) -> None:
    view = stage_view(show, [12, 12, 1], (700, 400))
    pins = {(0, i, j): f"w{i}{j} = 0.{i}{j}5" for i in range(12) for j in range(12)}
    view.set_stage(Stage(edge_values=pins, pinned=tuple(pins)))
    overlay = view.overlay
    lost = len(pins) - sum(card.owner[0] == "edge" for card in cards(view).values())
    assert lost > 0 and overlay.missing == lost
    assert overlay.marker.text() == f"{lost} pinned without room"  # the panel does not list pins
    own = {(1, 0, 0): "∂L/∂w = 0.25"}  # the frame's own value, with room: the pins still count
    view.set_stage(Stage(edge_values={**pins, **own}, pinned=tuple(pins)))
    assert "more in the panel" not in overlay.marker.text()

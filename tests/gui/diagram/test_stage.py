"""Lecture mode's stage on the network diagram: a Stage lights neurons and edges, fades the
rest, writes numbers beside them and moves a pulse dot; None brings the normal diagram back."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsItem

from core.engine.network import Network
from core.engine.trainer import trainer_for
from core.session.format import load_session
from core.snapshot import network_snapshot, take_snapshot
from gui.diagram.edges import DIM_ALPHA, LEVELS, EdgeLayer, faded
from gui.diagram.items import NeuronItem
from gui.diagram.stage import PulseDots, ValueLabel, spread_fraction
from gui.diagram.view import NetworkView, Stage
from gui.presentation import palette
from gui.presentation.palette import HIGH_CONTRAST, STANDARD
from tests import paths

MAZUR = paths.LESSONS / "mazur.json"
LAYER_0 = tuple((0, i, j) for i in range(2) for j in range(2))
LAYER_1 = tuple((1, i, j) for i in range(2) for j in range(2))


@pytest.fixture
def session():
    return load_session(MAZUR)


@pytest.fixture
def view(show, session) -> NetworkView:
    v = show(NetworkView(), 1000, 600)
    v.set_network(
        network_snapshot(session.network), session.dataset.input_names, session.fitting_labels()
    )
    return v


def forward_stage(session, pulse: float | None = 0.5) -> Stage:
    """Hidden layer 1 of the forward pass, z and a beside its neurons."""
    fp = session.network.forward(session.dataset.x_train)
    values = {(1, i): f"z = {fp.z[0][0, i]:.4f}\na = {fp.a[1][0, i]:.4f}" for i in range(2)}
    return Stage(((1, 0), (1, 1)), LAYER_0, "forward", values, pulse=pulse)


def summary(v: NetworkView) -> list[tuple]:
    return [(s.rgba, s.pen.widthF(), tuple(s.edges.tolist())) for s in v.diagram.edges.strokes]


def labels(v: NetworkView) -> dict[str, ValueLabel]:
    return {item.text(): item for item in v.diagram.items() if isinstance(item, ValueLabel)}


def edge_index(v: NetworkView, key: tuple[int, int, int]) -> int:
    return [tuple(row) for row in v.diagram.edges.ids.tolist()].index(key)


def stroke_of(v: NetworkView, edge: int):
    return next(s for s in v.diagram.edges.strokes if edge in s.edges)


def dots(v: NetworkView) -> PulseDots:
    return next(item for item in v.diagram.items() if isinstance(item, PulseDots))


# ---------------------------------------------------------------- lighting and fading


def test_a_stage_lights_its_neurons_and_edges_and_fades_the_rest(view, session) -> None:
    view.set_stage(forward_stage(session))
    for (layer, _), item in view.diagram.neurons.items():
        assert item.lit == (layer == 1)
        assert item.opacity() == (1.0 if layer == 1 else STANDARD.dim_nodes)
    weights = view.diagram.edge_values(view.snapshot.weights)
    bins = palette.WEIGHTS.bins(weights, LEVELS)
    background = view.diagram.backgroundBrush().color()
    order = list(view.diagram.edges.strokes)
    active = [order.index(stroke_of(view, edge_index(view, key))) for key in LAYER_0]
    others = [order.index(stroke_of(view, edge_index(view, key))) for key in LAYER_1]
    assert min(active) > max(others)  # the active edges are drawn over the faded ones
    for e, (l, _, _) in enumerate(view.diagram.edges.ids.tolist()):
        value = palette.WEIGHTS.bin_value(int(bins[e]), LEVELS)
        full = QColor(*(int(c) for c in palette.WEIGHTS.colors(np.array(value))))
        # active: the scale's colour, opaque; the others: 20% of it over the background
        colour = full if l == 0 else faded(full, background)
        assert stroke_of(view, e).rgba == colour.getRgb()
        assert colour.alpha() == 255
    assert faded(full, background).red() == round(0.2 * full.red() + 0.8 * background.red())


def test_the_high_contrast_palette_keeps_what_is_not_lit_visible(view, session) -> None:
    view.set_stage(forward_stage(session))
    view.set_palette(HIGH_CONTRAST.name)
    assert HIGH_CONTRAST.dim_nodes >= 2 * STANDARD.dim_nodes
    for (layer, _), item in view.diagram.neurons.items():
        assert item.opacity() == (1.0 if layer == 1 else HIGH_CONTRAST.dim_nodes)
    scale = HIGH_CONTRAST.weights.with_limit(view.scale_limits[0])
    weights = view.diagram.edge_values(view.snapshot.weights)
    bins = scale.bins(weights, LEVELS)
    background = view.diagram.backgroundBrush().color()
    e = edge_index(view, LAYER_1[0])
    full = QColor(*(int(c) for c in scale.colors(np.array(scale.bin_value(int(bins[e]), LEVELS)))))
    assert stroke_of(view, e).rgba == faded(full, background, HIGH_CONTRAST.dim_edges).getRgb()


def top_edge_pixel(v: NetworkView, key: tuple[int, int]) -> QColor:
    """The colour 1 px inside the top side of a neuron's square, as drawn."""
    item = v.diagram.neurons[key]
    point = v.mapFromScene(item.pos() + QPointF(0, -item.size / 2 + 1.0))
    return v.viewport().grab().toImage().pixelColor(point)


def test_lit_neurons_get_a_strong_outline(view, session) -> None:
    assert top_edge_pixel(view, (1, 0)).lightness() > 150  # a thin outline before
    view.set_stage(forward_stage(session))
    assert top_edge_pixel(view, (1, 0)).lightness() < 60  # 4 px of dark ink
    assert top_edge_pixel(view, (2, 0)).lightness() > 150


def test_without_dimming_nothing_fades(view, session) -> None:
    before = summary(view)
    view.set_stage(replace(forward_stage(session), dim_others=False))
    assert summary(view) == before
    assert all(item.opacity() == 1.0 for item in view.diagram.neurons.values())
    assert view.diagram.neurons[(1, 1)].lit and not view.diagram.neurons[(2, 1)].lit


# ---------------------------------------------------------------- value labels


def test_node_values_appear_beside_their_nodes(view, session) -> None:
    stage = forward_stage(session)
    view.set_stage(replace(stage, node_values={**stage.node_values, (2, 1): "δ = 0.1385"}))
    shown = labels(view)
    assert set(shown) == {"z = 0.3775\na = 0.5933", "z = 0.3925\na = 0.5969", "δ = 0.1385"}
    for text, key, side in (
        ("z = 0.3775\na = 0.5933", (1, 0), "right"),
        ("δ = 0.1385", (2, 1), "left"),
    ):
        label, node = shown[text].sceneBoundingRect(), view.diagram.neurons[key]
        body = node.body().translated(node.pos())
        assert abs(label.center().y() - body.center().y()) < 1.0
        if side == "right":
            assert body.right() < label.left() < body.right() + 20
        else:
            assert body.left() - 30 < label.right() < body.left()
    assert all(label.font.pointSizeF() >= 11 for label in shown.values())


def test_one_edge_value_sits_at_the_edge_midpoint(view) -> None:
    view.set_stage(Stage(edges=((1, 0, 0),), edge_values={(1, 0, 0): "∂L/∂w5 = 0.08217"}))
    label = labels(view)["∂L/∂w5 = 0.08217"]
    x0, y0, x1, y1 = view.diagram.edges.ends[edge_index(view, (1, 0, 0))]
    assert label.pos() == QPointF((x0 + x1) / 2, (y0 + y1) / 2)
    assert label.sceneBoundingRect().contains(label.pos())


def test_edge_values_stay_on_their_edge_clear_of_node_values(view) -> None:
    view.set_stage(  # o1's value goes above it: its edge comes in, the left is taken
        Stage(
            edges=((1, 0, 0),),
            node_values={(2, 0): "δ = 0.1385"},
            edge_values={(1, 0, 0): "∂L/∂w5 = 0.082167"},
        )
    )
    shown = labels(view)
    edge, node = shown["∂L/∂w5 = 0.082167"], shown["δ = 0.1385"]
    x0, y0, x1, y1 = view.diagram.edges.ends[edge_index(view, (1, 0, 0))]
    t = (edge.pos().x() - x0) / (x1 - x0)
    assert 0.25 <= t <= 0.75 and edge.pos().y() == pytest.approx(y0 + t * (y1 - y0))
    assert not edge.sceneBoundingRect().intersects(node.sceneBoundingRect())
    o1 = view.diagram.neurons[(2, 0)].sceneBoundingRect()
    assert node.sceneBoundingRect().bottom() < o1.top()  # above its node
    assert view.diagram.sceneRect().contains(node.sceneBoundingRect())


def test_edge_values_of_crossing_edges_do_not_overlap(view) -> None:
    texts = {key: f"∂L/∂w{5 + 2 * key[1] + key[2]} = 0.0{key[1]}{key[2]}" for key in LAYER_1}
    view.set_stage(Stage(edges=LAYER_1, direction="backward", edge_values=texts))
    shown = labels(view)
    rects = []
    for key, text in texts.items():
        x0, y0, x1, y1 = view.diagram.edges.ends[edge_index(view, key)]
        pos = shown[text].pos()
        t = (pos.x() - x0) / (x1 - x0)  # on its own edge, in a column with the others
        assert 0.25 <= t <= 0.75 and pos.y() == pytest.approx(y0 + t * (y1 - y0))
        rects.append(shown[text].sceneBoundingRect())
    assert len({round(r.center().x(), 6) for r in rects}) == 1
    assert not any(a.intersects(b) for k, a in enumerate(rects) for b in rects[k + 1 :])


def test_spread_fraction_separates_crossing_edges() -> None:
    assert spread_fraction(np.array([0.0, 100, 0, 100]), np.array([0.0, 0, 100, 100])) == (
        pytest.approx(1 / 3)
    )
    assert spread_fraction(np.array([5.0]), np.array([50.0])) == 0.5


# ---------------------------------------------------------------- the pulse


def test_the_pulse_runs_left_to_right_forward_and_back_backward(view, session) -> None:
    stage = forward_stage(session, pulse=0.5)
    ends = view.diagram.edges.ends[[edge_index(view, key) for key in LAYER_0]]
    for direction in ("forward", "backward"):
        view.set_stage(replace(stage, direction=direction, pulse=0.5))
        assert dots(view).isVisible()
        middles = (ends[:, :2] + ends[:, 2:]) / 2
        assert sorted(map(tuple, dots(view).points.round(6))) == sorted(
            map(tuple, middles.round(6))
        )
        view.set_stage(replace(stage, direction=direction, pulse=0.25))
        xs = dots(view).points[:, 0]
        left, right = ends[0, 0], ends[0, 2]
        quarter = (
            left + 0.25 * (right - left)
            if direction == "forward"
            else right - 0.25 * (right - left)
        )
        assert np.allclose(xs, quarter)
        assert (np.abs(xs - left) < np.abs(xs - right)).all() == (direction == "forward")


def test_changing_only_the_pulse_moves_the_dots_and_nothing_else(view, session) -> None:
    view.set_stage(forward_stage(session, pulse=None))
    assert not dots(view).isVisible()
    items = set(view.diagram.items())
    strokes = list(view.diagram.edges.strokes)
    for pulse in np.linspace(0.0, 1.0, 7):
        view.set_stage(forward_stage(session, pulse=float(pulse)))
        assert set(view.diagram.items()) == items  # the same items, none added or removed
        assert view.diagram.edges.strokes == strokes  # no recolouring either
        assert dots(view).isVisible() and len(dots(view).points) == 4
    view.set_stage(forward_stage(session, pulse=1.0))
    right = view.diagram.edges.ends[:4, 2]
    assert sorted(dots(view).points[:, 0]) == pytest.approx(sorted(right))


def test_pulse_frames_repaint_only_the_dots_of_a_2_8_8_8_1_net(show, monkeypatch) -> None:
    painted: Counter[str] = Counter()
    for item_class in (EdgeLayer, NeuronItem, PulseDots):  # before the items are made

        def counted(self, painter, option, widget=None, _paint=item_class.paint) -> None:
            painted[type(self).__name__] += 1
            _paint(self, painter, option, widget)

        monkeypatch.setattr(item_class, "paint", counted)
    layers = [2, 8, 8, 8, 1]
    net = Network.initialized(layers, ["tanh"] * 4, "xavier_uniform", 0)
    v = show(NetworkView(), 1280, 720)
    v.set_network(network_snapshot(net), ["x1", "x2"])
    edges = tuple((1, i, j) for i in range(8) for j in range(8))
    stage = Stage(tuple((2, i) for i in range(8)), edges, "backward", pulse=0.0)
    v.set_stage(stage)
    v.viewport().grab()
    assert painted["EdgeLayer"] and painted["NeuronItem"] and painted["PulseDots"]
    assert v.diagram.edges.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
    painted.clear()
    for k in range(50):
        v.set_stage(replace(stage, pulse=k / 49))
        v.viewport().grab()
    # The edges and neurons come from their pixmap caches: a frame's cost is the dots'.
    assert painted == {"PulseDots": 50}
    v.set_stage(None)
    assert v.diagram.edges.cacheMode() == QGraphicsItem.CacheMode.NoCache


# ---------------------------------------------------------------- back to normal


def test_no_stage_restores_the_normal_diagram(view, session) -> None:
    before = summary(view)
    items = set(view.diagram.items())
    view.set_stage(replace(forward_stage(session), edge_values={(0, 0, 0): "w1 = 0.15"}))
    assert len(labels(view)) == 3 and summary(view) != before
    view.set_stage(None)
    assert summary(view) == before
    assert set(view.diagram.items()) == items and not labels(view)
    assert not dots(view).isVisible()
    assert all(item.opacity() == 1.0 and not item.lit for item in view.diagram.neurons.values())


def test_the_selection_dims_again_after_the_stage(view, session) -> None:
    view.select(1, 0, emit=False)
    view.set_stage(forward_stage(session))  # the stage decides what stands out
    strong = {e for s in view.diagram.edges.strokes if s.rgba[3] == 255 for e in s.edges}
    assert len(strong) == len(view.diagram.edges.ids)  # faded edges are opaque blends
    view.set_stage(None)
    dimmed = [e for s in view.diagram.edges.strokes if s.rgba[3] == DIM_ALPHA for e in s.edges]
    assert len(dimmed) == 8 - 4


# ---------------------------------------------------------------- views and new snapshots


def test_the_gradient_view_keeps_the_stage(view, session) -> None:
    trainer = trainer_for(session)
    trainer.step()
    view.set_stage(Stage(((2, 0), (2, 1)), LAYER_1, "backward", pulse=0.3))
    view.set_network(take_snapshot(trainer), session.dataset.input_names, session.fitting_labels())
    view.set_view("gradients")
    scale, background = view.colour_scale, view.diagram.backgroundBrush().color()
    dw = view.diagram.edge_values(view.snapshot.dW)
    for e, (l, _, _) in enumerate(view.diagram.edges.ids.tolist()):
        value = scale.bin_value(int(scale.bins(dw[e : e + 1], LEVELS)[0]), LEVELS)
        full = QColor(*(int(c) for c in scale.colors(np.array(value))))
        colour = full if l == 1 else faded(full, background)
        assert stroke_of(view, e).rgba == colour.getRgb()
    assert view.diagram.neurons[(2, 0)].lit and view.diagram.neurons[(1, 0)].opacity() < 1
    assert dots(view).isVisible() and len(dots(view).points) == 4


def test_before_any_step_the_active_placeholders_stand_out(view) -> None:
    view.set_view("gradients")
    view.set_stage(Stage(((2, 0), (2, 1)), LAYER_1, "backward"))
    strokes = view.diagram.edges.strokes
    assert [s.pen.style() for s in strokes] == [Qt.PenStyle.DashLine] * 2
    assert set(strokes[-1].edges.tolist()) == {edge_index(view, key) for key in LAYER_1}
    assert strokes[0].rgba[:3] != strokes[-1].rgba[:3]


def test_a_rebuild_puts_the_stage_on_the_new_items(view, session) -> None:
    view.set_stage(forward_stage(session, pulse=0.5))
    old = view.diagram.neurons[(1, 0)].pos()
    view.resize(700, 500)  # a new layout: new neuron items, new positions
    view.set_network(view.snapshot, ["a", "b"], session.fitting_labels())
    node = view.diagram.neurons[(1, 0)]
    assert node.pos() != old and node.lit and view.diagram.neurons[(0, 0)].opacity() < 1
    label = labels(view)["z = 0.3775\na = 0.5933"].sceneBoundingRect()
    assert label.left() > node.x() and abs(label.center().y() - node.y()) < 1
    assert len(labels(view)) == 2
    ends = view.diagram.edges.ends[:4]
    middles = (ends[:, :2] + ends[:, 2:]) / 2
    assert sorted(map(tuple, dots(view).points.round(6))) == sorted(map(tuple, middles.round(6)))


def test_missing_neurons_and_edges_are_skipped(view) -> None:
    view.set_stage(Stage(((5, 5),), ((7, 0, 0),), node_values={(5, 5): "x"}, pulse=0.5))
    assert not labels(view) and not dots(view).isVisible()


def test_a_stage_checks_its_direction_and_takes_lists() -> None:
    with pytest.raises(ValueError, match="direction"):
        Stage(direction="sideways")
    with pytest.raises(ValueError, match="pulse"):
        Stage(pulse=float("nan"))
    stage = Stage(neurons=[[1, 0]], edges=[np.array([0, 1, 1])])
    assert stage.neurons == ((1, 0),) and stage.edges == ((0, 1, 1),)
    assert stage.same_frame(replace(stage, pulse=0.7)) and not stage.same_frame(None)
    assert not stage.same_frame(replace(stage, direction="backward"))


def test_edge_values_too_wide_for_the_gap_show_their_numbers_alone_or_nothing(view) -> None:
    long = {
        key: f"∂L/∂w{key[1]}{key[2]} (a long label for a narrow gap) = 0.0{key[1]}"
        for key in LAYER_1
    }
    view.set_stage(Stage(edges=LAYER_1, direction="backward", edge_values=long))
    shown = labels(view)
    assert not any(text in shown for text in long.values())
    assert {"0.00", "0.01"} <= set(shown)  # the numbers fit where the whole texts did not
    huge = {key: "9" * 80 for key in LAYER_1}
    view.set_stage(Stage(edges=LAYER_1, direction="backward", edge_values=huge))
    assert labels(view) == {}  # nothing fits: the equation panel has the numbers


def test_a_node_value_with_no_room_beside_its_node_moves_clear_of_the_neurons(show) -> None:
    layers = [2, 8, 8, 8, 8, 8, 8, 1]  # narrow columns: no room between them for a card
    net = Network.initialized(layers, ["sigmoid"] * 7, "xavier_uniform", 0)
    view = show(NetworkView(), 830, 560)
    view.set_network(network_snapshot(net), ["x1", "x2"])
    text = "δ = -0.003252\nz = 1.387"
    edges = ((6, 0, 0),)  # from hidden 6 to the output: the left of hidden 6 is preferred
    view.set_stage(Stage(edges=edges, direction="backward", node_values={(6, 0): text}))
    label = labels(view)[text].sceneBoundingRect()
    for key, neuron in view.diagram.neurons.items():
        assert not label.intersects(neuron.sceneBoundingRect()), key
    assert view.diagram.sceneRect().contains(label)

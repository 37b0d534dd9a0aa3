"""The node-link diagram draws what the snapshot says: colours, widths, scales, gradients,
neuron maps, layouts, palettes and the presenting stage."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication

from core.snapshot import take_snapshot
from gui.diagram.edges import LEVELS, NAN_GREY
from gui.diagram.layout import diagram_layout, shown_slots
from gui.diagram.text import DiagramText, fmt
from gui.diagram.view import NO_GRADIENT, NetworkView, round_limit, suggested_limits
from gui.presentation import palette
from tests import paths
from tests.gui.diagram.views import edge_pos, hover_text, names, network, snapshot_of, view_pos

# Tooltips are real QToolTips; the offscreen platform cannot raise their window.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$", extend=True)

LESSONS = paths.LESSONS


def summary(v: NetworkView) -> list[tuple]:
    """What the batched edge item draws: (colour, width, edges) per bin."""
    return [(s.rgba, s.pen.widthF(), tuple(s.edges.tolist())) for s in v.diagram.edges.strokes]


# ---------------------------------------------------------------- colours and scales


def test_changing_the_snapshot_recolours_edges_without_rebuilding(view) -> None:
    items = dict(view.diagram.neurons)
    before = summary(view)
    net = network([2, 4, 2, 1])
    net.weights[0][:] = -net.weights[0]
    view.set_network(snapshot_of(net), names(2))
    assert summary(view) != before
    assert view.diagram.neurons == items  # the same item objects: only recoloured
    assert len(view.diagram.edges.ends) == 2 * 4 + 4 * 2 + 2 * 1


def test_edge_colours_and_widths_come_from_the_weight_scale(view) -> None:
    snap = view.snapshot
    weights = view.diagram.edge_values(snap.weights)
    bins = palette.WEIGHTS.bins(weights, LEVELS)
    for stroke in view.diagram.edges.strokes:
        k = int(bins[stroke.edges[0]])
        assert (bins[stroke.edges] == k).all()
        value = palette.WEIGHTS.bin_value(k, LEVELS)
        assert stroke.rgba == tuple(int(c) for c in palette.WEIGHTS.colors(np.array(value)))
        assert stroke.pen.widthF() == pytest.approx(float(palette.WEIGHTS.widths(value)))
    assert view.diagram.legend.quantity == "weight"


def test_scale_limits_change_colours_and_are_not_renormalised(view) -> None:
    net = network([2, 4, 2, 1])
    for w in net.weights:
        w[:] = 0.02  # tiny weights stay pale: no per-frame renormalisation
    view.set_network(snapshot_of(net), names(2))
    grey = tuple(int(c) for c in palette.WEIGHTS.colors(np.array(0.0)))
    assert {s.rgba for s in view.diagram.edges.strokes} == {grey}
    view.set_scale_limits(0.02, 0.5)
    blue = tuple(int(c) for c in palette.WEIGHTS.colors(np.array(1.0)))
    assert {s.rgba for s in view.diagram.edges.strokes} == {blue}
    assert view.diagram.legend.tick_labels() == ["−0.02", "0", "+0.02"]
    view.set_network(snapshot_of(net), names(2))
    assert {s.rgba for s in view.diagram.edges.strokes} == {blue}


def test_gradient_toggle_switches_scale_and_legend(view, qtbot) -> None:
    toggled = []
    view.viewChanged.connect(toggled.append)
    button = view.diagram.view_buttons["gradients"]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view_pos(view, button.pos()))
    assert toggled == ["gradients"] and view.view_mode == "gradients"
    assert button.checked and not view.diagram.view_buttons["weights"].checked
    legend = view.diagram.legend
    assert legend.quantity == "dL/dw" and legend.message == ""
    assert legend.scale == palette.GRADIENTS.with_limit(0.1)
    gradients = view.diagram.edge_values(view.snapshot.dW)
    scale = palette.GRADIENTS.with_limit(0.1)
    centres = [scale.bin_value(int(k), LEVELS) for k in scale.bins(gradients, LEVELS)]
    colours = {tuple(int(c) for c in scale.colors(np.array(v))) for v in centres}
    assert {s.rgba for s in view.diagram.edges.strokes} == colours
    view.set_view("weights")
    assert legend.quantity == "weight" and legend.scale == palette.WEIGHTS


def test_before_any_step_the_gradient_view_says_so(view) -> None:
    view.set_network(snapshot_of(network([2, 4, 2, 1]), steps=0), names(2))
    view.set_view("gradients")
    assert view.diagram.legend.message == NO_GRADIENT
    strokes = view.diagram.edges.strokes
    assert len(strokes) == 1 and strokes[0].pen.style() == Qt.PenStyle.DashLine
    pos, _ = edge_pos(view)
    assert "no gradient yet" in hover_text(view, pos)


def test_gradients_of_a_real_training_step(qtbot) -> None:
    from core.engine.trainer import trainer_for
    from core.session.format import load_session

    session = load_session(LESSONS / "mazur.json")
    trainer = trainer_for(session)
    trainer.step()
    snap = take_snapshot(trainer)
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    v.set_network(snap, session.dataset.input_names, session.labels)
    v.set_view("gradients")
    values = v.diagram.edge_values(snap.dW)
    assert values.tolist() == [snap.dW[l][i, j] for l, i, j in v.diagram.edges.ids]
    assert v.diagram.neurons[(1, 0)].label == "h1"
    assert v.diagram.neurons[(2, 1)].label == "o2"
    pos, (l, i, j) = edge_pos(v)
    text = hover_text(v, pos)
    assert fmt(snap.dW[l][i, j]) in text and fmt(snap.weights[l][i, j]) in text
    assert session.labels["weights"][l][i][j] in text


def test_minus_is_disabled_on_a_one_neuron_layer(qtbot) -> None:
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    v.set_network(snapshot_of(network([2, 1, 1])), names(2))
    got = []
    v.removeNeuronRequested.connect(got.append)
    minus = next(b for b in v.diagram.buttons if b.request == ("remove", 1))
    qtbot.mouseClick(v.viewport(), Qt.MouseButton.LeftButton, pos=view_pos(v, minus.pos()))
    assert got == [] and not minus.enabled and "Remove layer" in minus.toolTip()


def test_neuron_maps_paint_thumbnails(view) -> None:
    maps = [np.linspace(-1, 1, n * 20 * 20).reshape(n, 20, 20) for n in (2, 4, 2, 1)]
    view.set_neuron_maps(maps)
    image = view.diagram.neurons[(1, 0)].image
    assert image is not None and (image.width(), image.height()) == (20, 20)
    top = image.pixelColor(0, 0)  # x2 upwards: the image's top row is the map's last row
    expected = palette.ACTIVATIONS.colors(np.array(maps[1][0][-1, 0]))
    assert (top.red(), top.green(), top.blue()) == tuple(int(c) for c in expected[:3])
    view.set_neuron_maps(None)
    assert view.diagram.neurons[(1, 0)].image is None


# ---------------------------------------------------------------- shapes and sizes


def test_a_wide_network_draws_with_an_ellipsis_and_few_edges(qtbot) -> None:
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(900, 600)
    v.show()
    net = network([784, 128, 10])
    v.set_network(snapshot_of(net), names(784))
    assert not v.viewport().grab().isNull()
    # The work is for what is drawn, not for the 922 neurons and 101,632 edges: few items.
    assert len(v.scene().items()) <= 100
    assert set(v.diagram.markers) == {0, 1}
    assert "more" in v.diagram.markers[0].text()
    assert len(v.diagram.edges.ends) <= 2000
    assert len([k for k in v.diagram.neurons if k[0] == 0]) <= 24
    assert (0, 783) in v.diagram.neurons and (0, 0) in v.diagram.neurons
    marker = v.diagram.markers[1]
    assert "not drawn" in hover_text(v, view_pos(v, marker.sceneBoundingRect().center()))
    pos, (l, i, j) = edge_pos(v)
    assert fmt(net.weights[l][i, j]) in hover_text(v, pos)


def test_a_topology_change_rebuilds(view) -> None:
    old = list(view.diagram.neurons.values())
    view.set_network(snapshot_of(network([2, 5, 3, 1])), names(2))
    assert len(view.diagram.neurons) == 2 + 5 + 3 + 1
    assert not any(item is new for item in old for new in view.diagram.neurons.values())
    assert len(view.diagram.edges.ends) == 2 * 5 + 5 * 3 + 3
    assert view.diagram.captions[1].text() == "5 neurons · tanh"


def test_an_activation_change_only_updates_the_caption(view) -> None:
    items = dict(view.diagram.neurons)
    net = network([2, 4, 2, 1])
    net.activation_names[1] = "relu"
    view.set_network(snapshot_of(net), names(2))
    assert view.diagram.neurons == items
    assert view.diagram.captions[2].text() == "2 neurons · ReLU"


def test_no_hidden_layers_draws(qtbot) -> None:
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(700, 400)
    v.show()
    v.set_network(snapshot_of(network([2, 1])), names(2))
    assert len(v.diagram.edges.ends) == 2
    assert [b.request for b in v.diagram.buttons] == [("layer", 1)]
    assert "between the input and the output" in v.diagram.buttons[0].toolTip()
    assert not v.viewport().grab().isNull()


def test_a_nan_weight_is_grey_and_harmless(view) -> None:
    net = network([2, 4, 2, 1])
    net.weights[1][0, 0] = np.nan
    net.biases[0][0] = np.nan
    view.set_network(snapshot_of(net), names(2))
    nan = [s for s in view.diagram.edges.strokes if s.rgba[:3] == NAN_GREY.getRgb()[:3]]
    assert len(nan) == 1 and len(nan[0].edges) == 1
    assert not view.viewport().grab().isNull()
    e = int(nan[0].edges[0])
    x0, y0, x1, y1 = view.diagram.edges.ends[e]
    assert "w = nan" in hover_text(view, view_pos(view, QPointF((x0 + x1) / 2, (y0 + y1) / 2)))


def test_resizing_keeps_the_diagram_in_the_view(view, qtbot) -> None:
    view.resize(500, 300)
    qtbot.waitUntil(lambda: view.viewport().width() <= 500)  # the resize has arrived
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.diagram.itemsBoundingRect().adjusted(2, 2, -2, -2))
    view.resize(1200, 800)
    assert view.diagram.layout.width == view.viewport().width()


# ---------------------------------------------------------------- pure parts


def test_layout_spreads_columns_and_hides_the_middle_of_wide_layers() -> None:
    layout = diagram_layout([784, 16, 3], 900, 600)
    xs = [c.x for c in layout.columns]
    assert xs[0] < xs[1] < xs[2] and xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])
    wide = layout.columns[0]
    assert wide.hidden == 784 - len(wide.shown) and wide.marker_y is not None
    assert wide.y.min() >= layout.nodes_top and wide.y.max() <= layout.nodes_bottom
    assert layout.columns[2].hidden == 0 and len(layout.columns[2].shown) == 3
    shown, hidden = shown_slots(10, 5)
    assert shown.tolist() == [0, 1, 8, 9] and hidden == 6


def test_texts_name_layers_and_neurons() -> None:
    text = DiagramText((3, 4, 1), ("relu", "sigmoid"), ("x1", "x2", "x1^2"))
    assert text.caption(0) == "3 inputs"
    assert text.caption(1) == "4 neurons · ReLU"
    assert text.caption(2, narrow=True) == "1 neuron\nsigmoid"
    assert text.neuron_name(0, 2) == "x₁²"  # as the Data panel writes it
    assert text.neuron_name(1, 1) == "neuron 2 of hidden layer 1"
    assert text.neuron_name(2, 0) == "the output neuron"
    assert text.marker_tooltip(1, [0, 1, 8, 9], 6).startswith("6 neurons of hidden layer 1")
    assert "(neurons 3 to 8)" in text.marker_tooltip(1, [0, 1, 8, 9], 6)


def test_suggested_limits_round_up_the_largest_values() -> None:
    net = network([2, 3, 1])
    net.weights[0][:] = 0.55
    net.weights[1][:] = -0.2
    snap = snapshot_of(net, steps=0)
    assert suggested_limits(snap) == (0.6, 0.1)
    net.weights[0][0, 0] = np.nan
    assert suggested_limits(snapshot_of(net, steps=3, scale_dw=0.01))[0] == 0.6
    assert round_limit(0.021, 1.0) == 0.03 and round_limit(7.0, 1.0) == 8.0
    assert round_limit(0.0, 1.0) == 1.0


def test_layers_follow_the_snapshot(qtbot) -> None:
    v = NetworkView()
    qtbot.addWidget(v)
    assert v.layers == []
    v.set_network(snapshot_of(network([3, 2, 1])), names(3))
    assert v.layers == [3, 2, 1]


# ---------------------------------------------------------------- palettes and presenting


def test_switching_the_palette_recolours_edges_legend_neurons_and_paper(view) -> None:
    view.set_sample_values(None, [np.array([1.0, -1.0]), np.zeros(4), np.zeros(2), np.ones(1)])
    view.set_palette("high_contrast")
    hc = palette.HIGH_CONTRAST
    scale = hc.weights.with_limit(view.scale_limits[0])
    weights = view.diagram.edge_values(view.snapshot.weights)
    for stroke in view.diagram.edges.strokes:
        value = scale.bin_value(int(scale.bins(weights, LEVELS)[stroke.edges[0]]), LEVELS)
        assert stroke.rgba == tuple(int(c) for c in scale.colors(np.array(value)))
        assert stroke.pen.widthF() >= hc.weights.min_width
    assert view.diagram.legend.scale == scale and view.scale_limits[0] == scale.limit
    assert view.diagram.backgroundBrush().color().getRgb()[:3] == hc.background
    neuron = view.diagram.neurons[(0, 0)]
    assert neuron.fill.getRgb()[:3] == tuple(int(c) for c in hc.activations.colors(1.0)[:3])
    assert neuron.outline == hc.outline and neuron.ink.getRgb()[:3] == hc.ink
    assert view.palette_name == "high_contrast"
    view.set_palette("standard")
    assert view.diagram.legend.scale == palette.WEIGHTS.with_limit(scale.limit)


def test_the_colour_blind_palette_dashes_negative_edges_only(view) -> None:
    view.set_palette("colour_blind")
    weights = view.diagram.edge_values(view.snapshot.weights)
    assert (weights < 0).any() and (weights > 0).any()
    for stroke in view.diagram.edges.strokes:
        negative = bool(weights[stroke.edges[0]] < 0)
        dashed = stroke.pen.style() == Qt.PenStyle.CustomDashLine
        assert dashed == (negative and scale_bin(view, weights[stroke.edges[0]]) < 0)
    assert view.diagram.legend.scale.dash_negative


def scale_bin(v: NetworkView, value: float) -> int:
    return int(v.colour_scale.bins(np.array([value]), LEVELS)[0])


def test_hiding_the_controls_hides_buttons_and_gives_their_row_to_the_network(view) -> None:
    title_y = view.diagram.layout.title_y
    plus = view.diagram.buttons[0]
    view.set_controls_visible(False)
    buttons = [*view.diagram.buttons, *view.diagram.view_buttons.values()]
    assert buttons and not any(b.isVisible() for b in buttons)
    assert view.diagram.layout.title_y < title_y
    hit = view.hit_at(view_pos(view, plus.pos()))
    assert hit is None or hit.kind != "button"
    view.resize(950, 620)  # a rebuild keeps them hidden
    QApplication.processEvents()
    assert not view.controls_visible
    assert not any(b.isVisible() for b in view.diagram.buttons)
    view.set_controls_visible(True)
    assert all(b.isVisible() for b in (*view.diagram.buttons, *view.diagram.view_buttons.values()))


def test_presenting_draws_the_diagram_larger_and_back(show) -> None:
    v = show(NetworkView(), 1400, 800)
    v.set_network(snapshot_of(network([2, 2, 2])), names(2))
    before = v.transform().m11()
    v.set_presenting(True)
    assert v.stage_scale > 1.3
    assert v.transform().m11() == pytest.approx(before * v.stage_scale, rel=0.02)
    rect = v.mapFromScene(v.diagram.sceneRect()).boundingRect()
    assert rect.width() <= v.viewport().width() + 2  # still the whole diagram
    v.set_presenting(False)
    assert v.stage_scale == 1.0 and v.transform().m11() == pytest.approx(before)


def test_edges_are_drawn_again_only_when_one_changes_its_bin(view) -> None:
    edges, snap = view.diagram.edges, view.snapshot
    version = edges._version
    nudged = [w + 1e-6 for w in snap.weights]  # too little to move any edge to another bin
    view.set_network(dataclasses.replace(snap, weights=tuple(nudged)), names(2))
    assert edges._version == version
    moved = [w.copy() for w in snap.weights]
    moved[0][0, 0] = -moved[0][0, 0] if moved[0][0, 0] else 0.5
    view.set_network(dataclasses.replace(snap, weights=tuple(moved)), names(2))
    assert edges._version == version + 1
    view.set_view("gradients")
    assert edges._version == version + 2

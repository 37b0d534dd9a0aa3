"""Editing and exploring the diagram: buttons, the layer menu, clicks, typing, the wheel,
hover texts, zoom and pan."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from gui.diagram.edges import DIM_ALPHA
from gui.diagram.text import fmt
from gui.diagram.view import NetworkView
from gui.presentation import palette
from tests.gui.diagram.views import edge_pos, hover_text, names, network, snapshot_of, view_pos

# Tooltips are real QToolTips; the offscreen platform cannot raise their window.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$", extend=True)


def neuron_pos(v: NetworkView, layer: int, i: int) -> QPoint:
    item = v.diagram.neurons[(layer, i)]
    return view_pos(v, item.pos())


def wheel(v: NetworkView, pos: QPoint, notches: int, modifiers=Qt.KeyboardModifier.NoModifier):
    event = QWheelEvent(
        QPointF(pos),
        QPointF(v.viewport().mapToGlobal(pos)),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(v.viewport(), event)


# ---------------------------------------------------------------- architecture editing


def test_plus_minus_and_add_layer_buttons_emit_layer_numbers(view, qtbot) -> None:
    got = []
    view.addNeuronRequested.connect(lambda layer: got.append(("add", layer)))
    view.removeNeuronRequested.connect(lambda layer: got.append(("remove", layer)))
    view.addLayerRequested.connect(lambda index: got.append(("layer", index)))
    for button in view.diagram.buttons:
        assert button.toolTip()
        pos = view_pos(view, button.pos())
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert got == [
        ("add", 1),
        ("remove", 1),
        ("add", 2),
        ("remove", 2),
        ("layer", 1),
        ("layer", 2),
        ("layer", 3),
    ]
    tips = [b.toolTip() for b in view.diagram.buttons]
    assert "Add a neuron to hidden layer 2" in tips
    assert "Insert a hidden layer here: it becomes hidden layer 3" in tips


def test_layer_menu_removes_layers_and_sets_activations(view) -> None:
    got = []
    view.removeLayerRequested.connect(lambda layer: got.append(("remove_layer", layer)))
    view.activationRequested.connect(lambda layer, name: got.append((layer, name)))
    menu = view.layer_menu(2)
    actions = {a.text(): a for a in menu.actions()}
    actions["Remove layer"].trigger()
    activation = next(a for a in menu.actions() if a.menu() is not None).menu()
    choices = {a.text(): a for a in activation.actions()}
    assert set(choices) == {"sigmoid", "tanh", "ReLU", "leaky ReLU", "linear"}  # as the panel
    assert choices["tanh"].isChecked() and not choices["ReLU"].isChecked()
    choices["ReLU"].trigger()
    assert got == [("remove_layer", 2), (2, "relu")]
    output = view.layer_menu(3)
    assert "Remove layer" not in [a.text() for a in output.actions()]
    sub = next(a for a in output.actions() if a.menu() is not None).menu()
    assert "softmax" in [a.text() for a in sub.actions()]
    inputs = [a for a in view.layer_menu(0).actions() if not a.isSeparator()]
    assert [a.text() for a in inputs if a.isEnabled()] == ["Insert a hidden layer after this one"]


def test_the_layer_menu_inserts_layers_where_the_buttons_would(view) -> None:
    got = []
    view.addLayerRequested.connect(got.append)
    for layer, text in ((0, "after"), (1, "before"), (1, "after"), (3, "before")):
        menu = {a.text(): a for a in view.layer_menu(layer).actions()}
        menu[f"Insert a hidden layer {text} this one"].trigger()
    assert got == [1, 1, 2, 3]  # the layer it becomes, as the + layer buttons ask


def test_right_click_opens_the_menu_of_the_column_under_the_mouse(view, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr(view, "layer_menu", lambda layer: opened.append(layer) or _Menu())
    for layer in (0, 1, 3):
        item = view.diagram.neurons[(layer, 0)]
        pos = view_pos(view, item.pos() + QPointF(0, item.size))
        event = _context_event(view, pos)
        view.contextMenuEvent(event)
    assert opened == [0, 1, 3]


class _Menu:
    def exec(self, *args) -> None:
        return None

    def deleteLater(self) -> None:  # noqa: N802
        return None


def _context_event(v: NetworkView, pos: QPoint):
    from PySide6.QtGui import QContextMenuEvent

    return QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, v.viewport().mapToGlobal(pos))


# ---------------------------------------------------------------- editing weights


def test_click_an_edge_and_type_a_weight(view, qtbot) -> None:
    got = []
    view.weightEdited.connect(lambda l, i, j, w: got.append((l, i, j, w)))
    pos, (l, i, j) = edge_pos(view)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    editor = view.editor
    assert editor is not None and editor.text() == fmt(view.snapshot.weights[l][i, j])
    editor.selectAll()
    qtbot.keyClicks(editor, "0.75")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert got == [(l, i, j, 0.75)]
    assert view.editor is None


def test_escape_cancels_and_bad_input_is_refused(view, qtbot) -> None:
    got = []
    view.weightEdited.connect(lambda *args: got.append(args))
    pos, _ = edge_pos(view)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    editor = view.editor
    editor.selectAll()
    qtbot.keyClicks(editor, "abc")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert got == [] and view.editor is editor and "number" in editor.toolTip()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert got == [] and view.editor is None


def test_wheel_over_an_edge_nudges_its_weight(view) -> None:
    got = []
    view.weightEdited.connect(lambda l, i, j, w: got.append((l, i, j, w)))
    pos, (l, i, j) = edge_pos(view)
    w = float(view.snapshot.weights[l][i, j])
    wheel(view, pos, 1)
    wheel(view, pos, -2, Qt.KeyboardModifier.ShiftModifier)
    assert got[0][:3] == (l, i, j) and got[0][3] == pytest.approx(w + 0.05)
    assert got[1][3] == pytest.approx(w - 2 * 0.005)
    view.set_scale_limits(4.0, 0.1)
    wheel(view, pos, 1)
    assert got[2][3] == pytest.approx(w + 0.2)


def test_click_a_bias_glyph_edits_the_bias(view, qtbot) -> None:
    got = []
    view.biasEdited.connect(lambda l, i, b: got.append((l, i, b)))
    item = view.diagram.neurons[(2, 1)]
    pos = view_pos(view, item.pos() + item.bias_rect().center())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    view.editor.selectAll()
    qtbot.keyClicks(view.editor, "-0.5")
    qtbot.keyClick(view.editor, Qt.Key.Key_Enter)
    assert got == [(1, 1, -0.5)]


# ---------------------------------------------------------------- selection and hover


def test_click_a_neuron_selects_it_and_highlights_its_edges(view, qtbot) -> None:
    got = []
    view.neuronSelected.connect(lambda layer, i: got.append((layer, i)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=neuron_pos(view, 1, 2))
    assert got == [(1, 2)] and view.selected == (1, 2)
    assert view.diagram.neurons[(1, 2)].selected
    ids = view.diagram.edges.ids
    strong = [e for s in view.diagram.edges.strokes if s.rgba[3] == 255 for e in s.edges]
    dimmed = [e for s in view.diagram.edges.strokes if s.rgba[3] == DIM_ALPHA for e in s.edges]
    expected = {e for e, (l, i, j) in enumerate(ids) if (l, i) == (0, 2) or (l, j) == (1, 2)}
    assert set(strong) == expected and len(expected) == 2 + 2
    assert len(dimmed) == len(ids) - len(expected)
    corner = view_pos(view, QPointF(view.diagram.layout.width - 5, 5))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=corner)
    assert got[-1] == (-1, -1) and view.selected == (-1, -1)
    assert all(s.rgba[3] == 255 for s in view.diagram.edges.strokes)


def test_hover_shows_exact_values_and_stays_live(view, qtbot) -> None:
    pos, (l, i, j) = edge_pos(view)
    w = view.snapshot.weights[l][i, j]
    text = hover_text(view, pos)
    assert f"w = {fmt(w)}" in text and "dL/dw" in text
    net = network([2, 4, 2, 1])
    net.weights[l][i, j] = 0.123456789
    view.set_network(snapshot_of(net), names(2))
    assert "w = 0.123457" in view.tooltip_text  # refreshed while the mouse rests


def test_hover_a_neuron_emits_and_describes_it(view, qtbot) -> None:
    hovered = []
    view.neuronHovered.connect(lambda layer, i: hovered.append((layer, i)))
    z = [np.array([0.1, 0.2, 0.3, 0.4]), np.array([0.5, 0.6]), np.array([0.7])]
    a = [np.array([1.5, -2.0]), np.tanh(z[0]), np.tanh(z[1]), np.tanh(z[2])]
    delta = [np.full(4, 0.01), np.full(2, 0.02), np.array([0.03])]
    view.set_sample_values(z, a, delta)
    pos = neuron_pos(view, 1, 3)
    qtbot.mouseMove(view.viewport(), pos)
    qtbot.mouseMove(view.viewport(), view_pos(view, QPointF(5, 5)))
    assert hovered == [(1, 3), (-1, -1)]
    text = hover_text(view, pos)
    b = view.snapshot.biases[0][3]
    assert f"bias b = {fmt(b)}" in text
    assert f"z = {fmt(0.4)}" in text and f"a = {fmt(np.tanh(0.4))}" in text
    assert f"delta = {fmt(0.01)}" in text
    assert "x = −2" in hover_text(view, neuron_pos(view, 0, 1))
    fill = view.diagram.neurons[(0, 0)].fill
    assert (fill.red(), fill.green(), fill.blue()) == tuple(
        int(c) for c in palette.ACTIVATIONS.colors(np.array(1.5))[:3]
    )


def test_ctrl_wheel_zooms_and_double_click_resets(view, qtbot) -> None:
    before = view.transform().m11()
    wheel(view, QPoint(450, 300), 2, Qt.KeyboardModifier.ControlModifier)
    assert view.transform().m11() == pytest.approx(before * 1.15**2)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert view.transform().m11() == pytest.approx(before)


def test_dragging_empty_space_pans_a_zoomed_diagram(view, qtbot) -> None:
    wheel(view, QPoint(450, 300), 6, Qt.KeyboardModifier.ControlModifier)
    before = view.mapToScene(QPoint(0, 0))
    empty = [QPoint(x, y) for x in range(500, 890, 20) for y in range(300, 590, 20)]
    start = next(p for p in empty if view.hit_at(p) is None)
    end = start - QPoint(100, 50)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    after = view.mapToScene(QPoint(0, 0))
    assert after.x() > before.x() and after.y() > before.y()

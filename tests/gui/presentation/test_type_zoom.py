"""While lecturing, Ctrl+= and Ctrl+- change the size of all the type together (the diagram's
names, titles and value cards, and the formulas), and the diagram lays itself out again so
that the whole network stays in view; Ctrl+0 resets both."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from gui import menus
from gui.diagram.cards import LABEL_POINTS, ValueLabel
from gui.diagram.stage import SHRUNK

TIMEOUT = 20_000


@pytest.fixture
def lecturing(lesson_window, qtbot):
    window = lesson_window("mazur", (1280, 720))
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    window.lecture.controller.go_to(11)  # a frame with cards on nodes and edges
    return window


def cards(window) -> list[ValueLabel]:
    return [i for i in window.network_view.scene().items() if isinstance(i, ValueLabel)]


def in_view(window) -> bool:
    view = window.network_view
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    network = QRectF()
    for neuron in view.diagram.neurons.values():
        network = network.united(neuron.sceneBoundingRect())
    return shown.contains(network)


def test_zoom_scales_the_type_and_keeps_the_network_in_view(lecturing) -> None:
    view, panel = lecturing.network_view, lecturing.lecture.panel
    size = panel.point_size
    assert cards(lecturing) and all(c.font.pointSizeF() == LABEL_POINTS for c in cards(lecturing))
    for _ in range(3):
        menus.zoom(view, panel, 1)
    assert view.text_scale == pytest.approx(1.15**3)
    sizes = {round(c.font.pointSizeF(), 3) for c in cards(lecturing)}
    zoomed = round(LABEL_POINTS * 1.15**3, 3)
    assert zoomed in sizes  # a card short of room tries smaller type, never below SHRUNK
    assert sizes <= {zoomed, round(zoomed * SHRUNK, 3)}
    assert panel.point_size == size + 6
    assert in_view(lecturing)  # the type grew, the network did not leave the screen
    assert view.transform().m11() <= view.stage_scale + 1e-9  # no scene zoom
    menus.reset_zoom(view, panel)
    assert view.text_scale == 1.0 and panel.point_size == size
    assert all(c.font.pointSizeF() == LABEL_POINTS for c in cards(lecturing))


def test_type_zoom_has_bounds(lecturing) -> None:
    view, panel = lecturing.network_view, lecturing.lecture.panel
    for _ in range(30):
        menus.zoom(view, panel, 1)
    assert view.text_scale == 3.0 and in_view(lecturing)
    for _ in range(60):
        menus.zoom(view, panel, -1)
    assert view.text_scale == 0.6 and panel.point_size == 9

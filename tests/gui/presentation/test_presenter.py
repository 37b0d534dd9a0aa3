"""Presentation mode in the window: View > Palette recolours the diagram and the output map,
"?" shows every shortcut, the cursor highlight follows the mouse without taking clicks, and
lecture mode clears the stage and draws it large."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetricsF

from gui.diagram.edges import LEVELS
from gui.diagram.stage import ValueLabel
from gui.main_window import MainWindow
from gui.presentation.palette import HIGH_CONTRAST, STANDARD
from tests import paths

LESSONS = paths.LESSONS
TIMEOUT = 20_000
LECTURE_KEYS = {"Right", "PgDown", "Left", "PgUp", "Home", "End", "Space", "Ctrl+=", "Ctrl+-"}


@pytest.fixture
def open_window(lesson_window):
    """A window on a lesson at a projector's 1280x720."""
    return lambda lesson, size=(1280, 720): lesson_window(lesson, size)


@pytest.fixture
def mazur(open_window):
    return open_window("mazur")


def palette_menu(window: MainWindow):
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    return next(a.menu() for a in view.actions() if a.menu() and a.text() == "&Palette")


def edge_colours(window: MainWindow) -> set[tuple[int, ...]]:
    return {stroke.rgba[:3] for stroke in window.network_view.diagram.edges.strokes}


def expected_edge_colours(window: MainWindow, scale) -> set[tuple[int, ...]]:
    view = window.network_view
    scale = scale.with_limit(view.scale_limits[0])
    values = view.diagram.edge_values(view.snapshot.weights)
    bins = {int(k) for k in scale.bins(values, LEVELS)}
    return {tuple(int(c) for c in scale.colors(scale.bin_value(k, LEVELS))[:3]) for k in bins}


def test_the_palette_menu_recolours_diagram_and_output_map_and_is_remembered(open_window):
    window = open_window("playground_default")
    try:
        assert edge_colours(window) == expected_edge_colours(window, STANDARD.weights)
        image = window.output_view.plot.image.image.copy()
        actions = {a.text(): a for a in palette_menu(window).actions()}
        assert list(actions) == ["Standard", "High contrast (projector)", "Colour-blind safe"]
        actions["High contrast (projector)"].trigger()
        assert actions["High contrast (projector)"].isChecked()
        assert not actions["Standard"].isChecked()
        assert edge_colours(window) == expected_edge_colours(window, HIGH_CONTRAST.weights)
        recoloured = window.output_view.plot.image.image
        assert not np.array_equal(recoloured, image)
        lut = {tuple(c) for c in HIGH_CONTRAST.activations.colors(np.linspace(-1, 1, 255))[:, :3]}
        assert {tuple(c) for c in recoloured[::9, ::9, :3].reshape(-1, 3).tolist()} <= lut
    finally:
        window.close()
    again = open_window("playground_default")
    try:
        assert again.presentation.palette_name == "high_contrast"
        assert again.output_view.palette_name == "high_contrast"
        again.presentation.set_palette("colour_blind")  # what a session's lecture set-up calls
        assert {a.text() for a in palette_menu(again).actions() if a.isChecked()} == {
            "Colour-blind safe"
        }
        with pytest.raises(ValueError, match="unknown palette"):
            again.presentation.set_palette("sepia")
        assert again.network_view.palette_name == "colour_blind"
    finally:
        again.close()


def test_question_mark_shows_every_shortcut_and_any_key_closes_it(mazur, qtbot):
    mazur.on_lecture_mode(True)
    qtbot.waitUntil(lambda: mazur.lecture.active, timeout=TIMEOUT)
    overlay = mazur.presentation.shortcuts
    assert not overlay.isVisible()
    qtbot.keyClick(mazur.network_view, Qt.Key.Key_Question)
    assert overlay.isVisible() and overlay.geometry() == mazur.rect()
    texts = overlay.texts()
    assert texts[0] == "Lecture" and LECTURE_KEYS | {"F11", "Esc"} <= set(texts)
    assert {"Training", "File", "View", "Help"} <= set(texts)
    assert "Next step" in texts and "Full screen" in texts
    qtbot.keyClick(mazur.network_view, Qt.Key.Key_Escape)
    assert not overlay.isVisible()
    assert mazur.lecture.active  # Esc closed the overlay, not lecture mode
    qtbot.keyClick(mazur.network_view, Qt.Key.Key_F1)
    assert overlay.isVisible()
    qtbot.mouseClick(mazur.network_view.viewport(), Qt.MouseButton.LeftButton)
    assert not overlay.isVisible()
    assert mazur.lecture.controller.index == 0  # the click only closed it


def test_the_cursor_highlight_follows_the_mouse_and_lets_clicks_through(mazur, qtbot):
    highlight = mazur.presentation.highlight
    assert highlight.position is None and not highlight.isVisible()
    mazur.view_actions["cursor_highlight"].setChecked(True)
    assert highlight.isVisible() and highlight.geometry() == mazur.rect()
    view = mazur.network_view
    target = view.mapFromScene(view.diagram.neurons[(1, 0)].pos())
    qtbot.mouseMove(view.viewport(), target)
    assert highlight.position == view.viewport().mapTo(mazur, target)
    assert mazur.childAt(highlight.position) is not highlight
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert view.selected == (1, 0)  # the diagram got the click
    qtbot.mouseMove(view.viewport(), target + QPoint(30, 10))
    assert highlight.position == view.viewport().mapTo(mazur, target + QPoint(30, 10))
    mazur.view_actions["cursor_highlight"].setChecked(False)
    assert highlight.position is None and not highlight.isVisible()


def test_lecture_mode_clears_the_stage_draws_it_large_and_restores_it(mazur, qtbot):
    view, toolbar = mazur.network_view, mazur.controls
    buttons = lambda: [*view.diagram.buttons, *view.diagram.view_buttons.values()]  # noqa: E731
    assert toolbar.isVisible() and all(b.isVisible() for b in buttons())
    mazur.on_lecture_mode(True)
    qtbot.waitUntil(lambda: mazur.lecture.active, timeout=TIMEOUT)
    qtbot.waitUntil(
        lambda: any(isinstance(i, ValueLabel) for i in view.scene().items()), timeout=TIMEOUT
    )
    assert not toolbar.isVisible() and not any(b.isVisible() for b in buttons())

    def card_height() -> float:  # on screen, once the layout has settled (a loaded machine)
        card = next(i for i in view.scene().items() if isinstance(i, ValueLabel))
        return QFontMetricsF(card.font).capHeight() * view.transform().m11()

    qtbot.waitUntil(lambda: view.stage_scale > 1.0 and card_height() >= 14.0, timeout=TIMEOUT)
    mazur.lecture.leave()
    assert toolbar.isVisible() and all(b.isVisible() for b in buttons())
    assert view.stage_scale == 1.0

"""The real data lessons in the window: the Lessons menu opens iris and the 8x8 digits, the
window trains them in its training process, and the diagram draws the 64 inputs as their
8x8 picture (folded into nodes in lecture mode)."""

from __future__ import annotations

import pytest

from core.session.lessons import entries
from gui.diagram.items import LabelItem

TIMEOUT = 30_000


def lesson_action(window, name: str):
    """The Lessons menu's entry for the built-in lesson ``name``."""
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Lessons")
    title = next(entry.title for entry in entries() if entry.path.stem == name)
    return next(a for a in menu.actions() if a.text() == title)


@pytest.mark.parametrize(("name", "layers"), [("iris", (4, 8, 3)), ("digits", (64, 32, 10))])
def test_the_lessons_menu_opens_the_lesson_and_the_window_trains_it(
    lesson_window, qtbot, name, layers
):
    window = lesson_window("playground_default")
    lesson_action(window, name).trigger()
    qtbot.waitUntil(
        lambda: (
            window.session.path.stem == name
            and window.latest is not None
            and window.latest.layers == layers
            and window.latest.evaluation is not None  # sent while paused
        ),
        timeout=TIMEOUT,
    )
    first = window.latest.evaluation["test_accuracy"]
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.latest.epoch >= 5, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: not window.worker.playing, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.latest.evaluation is not None, timeout=TIMEOUT)
    assert window.latest.evaluation["test_accuracy"] > max(first, 0.6)
    assert "accuracy" in window.status.numbers_label.text()


def test_the_studio_draws_the_64_inputs_as_the_picture_they_form(lesson_window):
    """The studio draws the 8x8 inputs as one picture (gui.diagram.pictures), no names;
    lecture mode folds them into nodes and names those it draws (below)."""
    window = lesson_window("digits", (1280, 720))
    scene = window.network_view.diagram
    inputs = scene.layout.columns[0]
    assert inputs.picture > 0 and inputs.hidden == 0 and len(inputs.shown) == 64
    assert scene.input_picture is not None and not any(k[0] == 0 for k in scene.neurons)
    texts = {item.text() for item in scene.items() if isinstance(item, LabelItem)}
    assert "p30" not in texts and "8x8 picture\nfirst training row" in texts
    assert window.session.dataset.input_shape == (8, 8)


def test_lecture_mode_folds_the_64_inputs_and_names_those_it_draws(lesson_window):
    window = lesson_window("digits", (1280, 720))
    window.network_view.set_presenting(True)
    scene = window.network_view.diagram
    inputs = scene.layout.columns[0]
    assert 0 < len(inputs.shown) < 64 and len(inputs.shown) + inputs.hidden == 64
    assert scene.input_picture is None
    texts = {item.text() for item in scene.items() if isinstance(item, LabelItem)}
    assert {f"p{i}" for i in inputs.shown} <= texts and "p30" not in texts
    assert f"⋮ {inputs.hidden} more" in texts

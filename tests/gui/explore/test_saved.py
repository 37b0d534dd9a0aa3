"""A saved session keeps what the explorer shows: the loss landscape's plane and whether it
is open, the maps' slice, whether the predictions are open; opening it brings them back."""

from __future__ import annotations

import json

from core.session.explore_setup import ExploreSetup
from tests.gui.output.test_slicing import four_inputs

TIMEOUT = 20_000


def test_the_explorers_choices_round_trip_through_a_saved_session(lesson_window, qtbot, tmp_path):
    window = lesson_window(four_inputs(tmp_path), size=(1280, 720))
    explorer = window.explorer
    dock = explorer.landscape
    dock.toggleViewAction().trigger()
    window.network_view.parameterClicked.emit(0, 1, 2)
    window.network_view.parameterClicked.emit(1, 0, -1)
    dock.seed.setValue(42)
    dock.span.setValue(0.75)
    dock.log.setChecked(True)
    explorer.predictions.toggleViewAction().trigger()
    slices = explorer.slices
    slices.up.setCurrentIndex(2)
    slices.up.activated.emit(2)
    slices.sliders[3][0].setValue(10)
    qtbot.wait(100)  # the slider's value settles
    path = tmp_path / "kept.json"
    window.files.ask_save_path = lambda *args: str(path)
    assert window.save_as()
    section = json.loads(path.read_text())["explore"]
    assert section["landscape"]["params"] == [[0, 1, 2], [1, 0, -1]]
    assert section["slice"]["axes"] == [0, 2] and section["predictions"] is True
    reopened = lesson_window(path, size=(1280, 720))
    again = reopened.explorer
    assert again.landscape.isVisible() and again.predictions.isVisible()
    assert again.landscape.clicked == [(0, 1, 2), (1, 0, -1)]
    assert (again.landscape.seed.value(), again.landscape.span.value()) == (42, 0.75)
    assert again.landscape.log.isChecked()
    assert again.slices.cut == slices.cut
    assert reopened.session.explore == window.session.explore != ExploreSetup()


def test_a_session_never_explored_saves_no_section(lesson_window, tmp_path):
    window = lesson_window("xor_script")
    path = tmp_path / "plain.json"
    window.files.ask_save_path = lambda *args: str(path)
    assert window.save_as()
    assert "explore" not in json.loads(path.read_text())

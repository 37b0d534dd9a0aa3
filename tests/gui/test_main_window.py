"""The main window end to end: controls, diagram, worker, plots, files, banner."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox

from core.session.format import load_session
from gui import menus
from gui.app import run_gui
from gui.main_window import MainWindow
from tests import paths

LESSONS = paths.LESSONS
TIMEOUT = 20_000


def make_window(qtbot, tmp_path, lesson: str = "playground_default") -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(load_session(LESSONS / f"{lesson}.json"), settings)
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.show()
    qtbot.waitUntil(lambda: window.latest is not None, timeout=TIMEOUT)
    return window


def close(window: MainWindow) -> None:
    window.close()
    assert not window.worker.is_running()


@pytest.fixture
def window(qtbot, tmp_path):
    w = make_window(qtbot, tmp_path)
    yield w
    close(w)


def test_training_updates_plots_counters_and_status(window, qtbot):
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.plots.epochs > 5, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: not window.worker.playing, timeout=TIMEOUT)
    assert "epoch" in window.controls.epoch_label.text()
    assert window.latest.epoch >= 5
    assert "loss" in window.status.numbers_label.text()
    assert window.isWindowModified()  # trained weights are unsaved work


def test_step_and_epoch(window, qtbot):
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    window.controls.epoch_action.trigger()
    qtbot.waitUntil(lambda: window.latest.epoch == 1, timeout=TIMEOUT)
    assert window.latest.steps == 25  # 250 training points in batches of 10
    assert window.model.session.network.weights[0].tolist() == window.latest.weights[0].tolist()


def test_reset_replays_the_same_trajectory(window, qtbot):
    def two_epochs() -> list[np.ndarray]:
        for e in (1, 2):
            window.controls.epoch_action.trigger()
            qtbot.waitUntil(lambda e=e: window.latest.epoch == e, timeout=TIMEOUT)
        return [w.copy() for w in window.latest.weights]

    first = two_epochs()
    window.controls.reset_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == 0, timeout=TIMEOUT)
    second = two_epochs()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_panel_changes_update_model_diagram_and_trainer(window, qtbot):
    window.panel.settingChanged.emit("network.hidden", [5, 3, 2])
    assert window.session.network.layers == [2, 5, 3, 2, 1]
    qtbot.waitUntil(lambda: window.latest.layers == (2, 5, 3, 2, 1), timeout=TIMEOUT)
    assert window.network_view.layers == [2, 5, 3, 2, 1]
    window.panel.settingChanged.emit("training.learning_rate", 0.3)
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    assert window.latest.lr == 0.3


def test_diagram_edits_keep_the_panel_in_sync_and_undo(window, qtbot):
    window.network_view.addNeuronRequested.emit(1)
    assert window.session.network.layers == [2, 5, 2, 1]
    assert window.panel.network.hidden.sizes() == [5, 2]
    window.network_view.addLayerRequested.emit(3)
    assert window.session.network.layers == [2, 5, 2, 2, 1]
    window.model.undo_stack.undo()
    window.model.undo_stack.undo()
    assert window.session.network.layers == [2, 4, 2, 1]
    assert window.panel.network.hidden.sizes() == [4, 2]
    qtbot.waitUntil(lambda: window.latest.layers == (2, 4, 2, 1), timeout=TIMEOUT)


def test_weight_edit_on_the_diagram_reaches_the_trainer(window, qtbot):
    window.network_view.weightEdited.emit(0, 1, 0, 1.25)
    qtbot.waitUntil(lambda: window.latest.weights[0][1, 0] == 1.25, timeout=TIMEOUT)
    window.model.undo_stack.undo()
    qtbot.waitUntil(lambda: window.latest.weights[0][1, 0] != 1.25, timeout=TIMEOUT)


def test_divergence_shows_the_banner_and_restores(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, "sine_regression")
    try:
        window.panel.settingChanged.emit("training.optimizer", "sgd")
        window.panel.settingChanged.emit("network.hidden_activations", ["relu", "relu"])
        window.panel.settingChanged.emit("training.learning_rate", 1e4)
        window.controls.play_action.trigger()
        qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=TIMEOUT)
        assert "diverged in epoch" in window.banner.label.text()
        assert not window.worker.playing
        window.banner.restore.click()
        qtbot.waitUntil(lambda: window.latest.status != "diverged", timeout=TIMEOUT)
        assert all(np.all(np.isfinite(w)) for w in window.latest.weights)
        assert not window.banner.isVisible()
    finally:
        close(window)


def test_save_and_open_round_trip_through_the_real_code(window, qtbot, tmp_path):
    target = tmp_path / "mine.json"
    window.files.ask_save_path = lambda suggestion: str(target)
    window.controls.epoch_action.trigger()
    qtbot.waitUntil(lambda: window.latest.epoch == 1, timeout=TIMEOUT)
    window.files.save_as_action.trigger()
    assert target.exists() and not window.isWindowModified()
    saved = json.loads(target.read_text())
    assert saved["network"]["weights"][0] == window.latest.weights[0].tolist()
    window.files.ask_open_path = lambda: str(LESSONS / "mazur.json")
    window.files.open_action.trigger()  # read in a worker thread: the window shows it after
    qtbot.waitUntil(lambda: window.session.name.startswith("Matt Mazur"), timeout=TIMEOUT)
    window.files.ask_open_path = lambda: str(target)
    window.files.open_action.trigger()
    qtbot.waitUntil(lambda: window.session.path == target, timeout=TIMEOUT)
    np.testing.assert_array_equal(window.session.network.weights[0], saved["network"]["weights"][0])
    assert str(target.resolve()) in window.files.recent()


def test_closing_while_training_stops_the_worker(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps > 0, timeout=TIMEOUT)
    close(window)


def test_screenshot_is_the_whole_window(tmp_path):
    out = tmp_path / "shot.png"
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert run_gui(str(LESSONS / "playground_default.json"), str(out), 3, settings) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1600, 1000)


def test_view_preferences_are_remembered(qtbot, tmp_path):
    first = make_window(qtbot, tmp_path)
    first.view_actions["show_test"].setChecked(True)
    first.view_actions["gradients"].setChecked(True)
    close(first)
    second = make_window(qtbot, tmp_path)
    try:
        assert second.view_actions["show_test"].isChecked() and second.output_view.show_test
        assert second.network_view.view_mode == "gradients"
    finally:
        close(second)


def test_every_transport_and_file_action_has_a_shortcut(window):
    keys = dict(menus.shortcut_rows(window))
    for key in (
        "Space",
        "N",
        "E",
        "Ctrl+R",
        "Ctrl+Z",
        "Ctrl+Shift+Z",
        "Ctrl+S",
        "Ctrl+O",
        "Ctrl+N",
    ):
        assert key in keys, key
    assert "Ctrl+Shift+S" in keys


def test_unsaved_changes_prompt_can_cancel_the_close(window, qtbot):
    window.panel.settingChanged.emit("training.learning_rate", 0.5)
    assert window.isWindowModified()
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Cancel
    window.close()
    assert window.isVisible() and window.worker.is_running()
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard


def test_colour_scale_is_fixed_per_run_and_adjustable(window, qtbot):
    weights, _ = window.network_view.scale_limits
    window.controls.epoch_action.trigger()
    qtbot.waitUntil(lambda: window.latest.epoch == 1, timeout=TIMEOUT)
    gradients = window.network_view.scale_limits[1]
    window.controls.epoch_action.trigger()
    qtbot.waitUntil(lambda: window.latest.epoch == 2, timeout=TIMEOUT)
    assert window.network_view.scale_limits == (weights, gradients)  # not renormalised
    window.scale_colours(2.0)
    assert window.network_view.scale_limits == (2 * weights, gradients)
    window.view_actions["gradients"].setChecked(True)
    window.scale_colours(0.5)
    assert window.network_view.scale_limits == (2 * weights, gradients / 2)


@pytest.mark.parametrize(
    ("key", "value", "check"),
    [
        ("data.builtin", "spiral", lambda w: w.session.dataset.points_train.shape == (250, 2)),
        ("data.noise", 0.3, lambda w: w.session.data["noise"] == 0.3),
        ("data.test_ratio", 0.2, lambda w: len(w.session.dataset.x_train) == 400),
        ("features", ["x1", "x2", "x1*x2"], lambda w: w.network_view.layers[0] == 3),
        (
            "network.hidden_activations",
            ["relu", "tanh"],
            lambda w: w.latest.activation_names[0] == "relu",
        ),
        ("network.output_activation", "sigmoid", lambda w: w.session.loss in ("mse", "bce")),
        ("loss", "bce", lambda w: w.latest.activation_names[-1] == "sigmoid"),
        ("network.init.scheme", "he_normal", lambda w: w.session.init_scheme == "he_normal"),
        ("training.batch_size", 25, lambda w: w.session.training.batch_size == 25),
        ("training.optimizer", "adam", lambda w: w.session.training.optimizer == "adam"),
    ],
)
def test_each_control_changes_the_model_and_the_views(window, qtbot, key, value, check):
    before = [w.copy() for w in window.latest.weights]
    window.panel.settingChanged.emit(key, value)
    assert window.model.dirty
    qtbot.waitUntil(
        lambda: window.latest.layers == tuple(window.session.network.layers), timeout=TIMEOUT
    )
    assert check(window)
    assert window.network_view.layers == window.session.network.layers
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)  # the trainer restarted
    if key.startswith("network.init"):
        assert not np.array_equal(window.latest.weights[0], before[0])


def test_lesson_labels_are_dropped_where_an_edit_makes_them_wrong(qtbot, tmp_path):
    window = make_window(qtbot, tmp_path, "mazur")
    try:
        assert window.session.fitting_labels()["neurons"][1] == ["h1", "h2"]
        window.network_view.addLayerRequested.emit(2)  # the old output labels must not move
        labels = window.session.fitting_labels() or {}
        assert "neurons" not in labels and "weights" not in labels
    finally:
        close(window)


def test_presentation_zoom_and_full_screen(window):
    before = window.network_view.transform().m11()
    size = window.lecture.panel.text.font().pointSize()
    menus.zoom(window.network_view, window.lecture.panel, 2)
    assert window.network_view.transform().m11() == pytest.approx(before * 1.15**2)
    assert window.lecture.panel.text.font().pointSize() == size + 4
    menus.zoom(window.network_view, window.lecture.panel, -2)
    assert window.network_view.transform().m11() == pytest.approx(before)
    keys = dict(menus.shortcut_rows(window))
    assert {"F11", "Ctrl+=", "Ctrl+-", "Ctrl+L", "Esc"} <= set(keys)


def test_the_layout_is_remembered_per_screen(qtbot, tmp_path, monkeypatch):
    first = make_window(qtbot, tmp_path)
    where = menus.screen_key(first)
    assert where.startswith("window/") and "x" in where
    saved = first.saveGeometry()
    close(first)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert settings.value(f"{where}/geometry") == saved
    restored = []
    monkeypatch.setattr(MainWindow, "restoreGeometry", lambda self, g: restored.append(g))
    close(make_window(qtbot, tmp_path))  # the same screen: its own layout comes back
    assert restored == [saved]
    monkeypatch.setattr(menus, "screen_key", lambda window: "window/projector 1280x720")
    close(make_window(qtbot, tmp_path))  # another screen: a first launch there
    assert restored == [saved]


def test_no_two_menu_actions_share_a_key(window):
    """Each key of the menus and the lecture transport does one thing (a clash makes Qt
    call the key ambiguous and do neither)."""
    shared = {"Space", "E"}  # play and epoch outside lecture mode, play and erase in it
    keys = [key for key, _ in menus.shortcut_rows(window) if key not in shared]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)

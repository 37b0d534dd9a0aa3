"""Every number in the window is true at the moment it is shown: after a hand edit, a step
or a pause the losses and accuracies are those of the parameters on screen."""

from __future__ import annotations

import json

import numpy as np

import main
from gui.banner import DivergenceBanner
from gui.diagram.neurons import THUMBNAIL_RESOLUTION
from tests import paths

TIMEOUT = 20_000


def numbers_of_saved(window, tmp_path, capsys) -> dict:
    """``train --epochs 0 --json`` on the window's session saved as it is now."""
    path = tmp_path / "now.json"
    window.files.ask_save_path = lambda suggestion: str(path)
    assert window.save_as()
    capsys.readouterr()
    assert main.main(["train", str(path), "--epochs", "0", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_hand_edited_weight_updates_loss_and_accuracy_at_once(
    lesson_window, qtbot, tmp_path, capsys
):
    window = lesson_window("playground_default")
    window.controls.epoch_action.trigger()
    qtbot.waitUntil(lambda: window.latest.epoch == 1, timeout=TIMEOUT)
    before = window.status.numbers()
    window.network_view.weightEdited.emit(1, 0, 0, -3.0)  # as typing -3 on the edge does
    qtbot.waitUntil(lambda: window.latest.weights[1][0, 0] == -3.0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.status.numbers() != before, timeout=TIMEOUT)
    expected = numbers_of_saved(window, tmp_path, capsys)
    evaluation = window.latest.evaluation
    assert evaluation["train_loss"] == expected["train_loss"]
    assert evaluation["test_loss"] == expected["test_loss"]
    assert evaluation["train_accuracy"] == expected["train_accuracy"]
    assert f"training-set loss {expected['train_loss']:.4g}" in window.status.numbers()


def test_a_single_step_is_evaluated_too(lesson_window, qtbot):
    window = lesson_window("xor_script")
    loss_before = window.latest.evaluation["train_loss"]
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    assert window.latest.evaluation["train_loss"] != loss_before


def test_the_neurons_of_inline_data_show_maps_over_its_own_range(lesson_window):
    window = lesson_window("xor_script")  # inline XOR rows: two inputs
    maps = window.network_view._maps
    assert maps is not None and maps[1].shape[1:] == (THUMBNAIL_RESOLUTION,) * 2
    assert np.ptp(maps[1][0]) > 0  # a hidden neuron's map varies over the plane


def test_the_divergence_banner_names_the_epoch_and_offers_reset_too(qtbot):
    banner = DivergenceBanner()
    qtbot.addWidget(banner)
    message = "training diverged in epoch 3 at step 75: x; Restore goes back to epoch 1, <b>"
    banner.show_divergence(message)
    assert "Restore goes back to epoch 1, &lt;b&gt;" in banner.label.text()  # file text stays text
    with qtbot.waitSignal(banner.resetRequested, timeout=TIMEOUT):
        banner.reset.click()
    assert banner.isHidden()


def test_a_restarting_edit_while_training_ignores_the_old_runs_snapshots(lesson_window, qtbot):
    window = lesson_window("playground_default")
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.latest.epoch > 3, timeout=TIMEOUT)
    for size in (5, 6, 7):  # each restarts training while the old run's rows are on their way
        window.model.set_setting("training.batch_size", size)
        qtbot.wait(30)
    qtbot.waitUntil(lambda: window.latest.run == window.worker.loads, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.plots.epochs > 1, timeout=TIMEOUT)
    assert window.session.training.batch_size == 7


def test_the_weight_scale_grows_with_the_weights_and_never_renormalises(lesson_window, qtbot):
    window = lesson_window("xor_script")  # weights from [0, 1): the scale starts at 1
    view = window.network_view
    assert view.scale_limits[0] == 1.0 and window.view_actions["auto_scale"].isChecked()
    window.network_view.weightEdited.emit(0, 0, 0, 7.3)
    qtbot.waitUntil(lambda: view.scale_limits[0] == 8.0, timeout=TIMEOUT)  # the next round step
    window.network_view.weightEdited.emit(0, 0, 0, 0.5)
    qtbot.waitUntil(lambda: window.latest.weights[0][0, 0] == 0.5, timeout=TIMEOUT)
    assert view.scale_limits[0] == 8.0  # it does not shrink back frame by frame
    window.scale_colours(0.5)  # narrowing by hand: the user's scale, no longer automatic
    assert view.scale_limits[0] == 4.0 and not view.auto_scale


def test_saturated_layers_get_a_hint_as_divergence_gets_a_banner(lesson_window, qtbot):
    window = lesson_window("playground_default")
    window.model.set_setting("training.learning_rate", 10.0)
    for epoch in range(1, 31):
        window.controls.epoch_action.trigger()
        qtbot.waitUntil(lambda e=epoch: window.latest.epoch == e, timeout=TIMEOUT)
    assert window.banner.isVisible() and not window.banner.restore.isVisible()
    assert "Hidden layers 1 and 2 are saturated" in window.banner.label.text()


def test_warnings_about_a_file_reach_the_status_bar(lesson_window, tmp_path):
    data = json.loads((paths.LESSONS / "xor_script.json").read_text(encoding="utf-8"))
    data["colour"] = "teal"  # an unknown key: kept, and warned about
    path = tmp_path / "warned.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    window = lesson_window("playground_default")
    window.files.open_path(path, wait=True)
    message = window.statusBar().currentMessage()
    assert message.startswith("The file: ") and "colour" in message

"""The history scrubber under the plots: drag to an epoch and every view shows the network
as it was right after it (bit for bit a headless run's); back to now; resume from there,
undone with Edit > Undo; playing or stepping ends it."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QMessageBox

from core.engine.trainer import trainer_for
from core.session.format import load_session
from tests import paths

TIMEOUT = 20_000


def trained(lesson_window, qtbot, epochs: int = 40):
    window = lesson_window("xor_script")
    window.worker.set_stop(epochs, None)
    window.worker.play()
    qtbot.waitUntil(
        lambda: window.latest.epoch == epochs and not window.worker.playing, timeout=TIMEOUT
    )
    shown = []
    show = window.show_network
    window.show_network = lambda snap: (shown.append(snap), show(snap))
    return window, shown


def headless(epochs: int):
    trainer = trainer_for(load_session(paths.LESSONS / "xor_script.json"))
    trainer.run(epochs=epochs)
    return trainer.network


def test_dragging_shows_the_network_after_that_epoch_bit_for_bit(lesson_window, qtbot):
    window, shown = trained(lesson_window, qtbot)
    history = window.explorer.history
    history.bar.slider.setValue(13)
    qtbot.waitUntil(lambda: history.epoch == 13, timeout=TIMEOUT)
    snap = shown[-1]
    assert snap.scrubbed and snap.epoch == 13
    net = headless(13)
    for got, want in zip((*snap.weights, *snap.biases), (*net.weights, *net.biases)):
        assert np.array_equal(got, want)
    assert window.plots.pinned == 13 and window.latest.epoch == 40  # the run stays at 40
    assert "epoch 13 of 40" in history.bar.where.text() and history.bar.resume.isEnabled()
    assert "epoch 000,013" in window.controls.epoch_label.text()  # the epoch shown
    history.bar.now.click()
    assert history.epoch is None and window.plots.pinned is None
    assert shown[-1] is window.latest and "epoch 000,040" in window.controls.epoch_label.text()


def test_resume_drops_the_later_epochs_and_undo_brings_them_back(lesson_window, qtbot):
    window, _ = trained(lesson_window, qtbot)
    history = window.explorer.history
    history.bar.slider.setValue(10)
    qtbot.waitUntil(lambda: history.epoch == 10, timeout=TIMEOUT)
    history.bar.resume.click()
    qtbot.waitUntil(lambda: window.latest.epoch == 10, timeout=TIMEOUT)
    assert window.plots.epochs == 11 and history.epoch is None
    net = headless(10)
    assert np.array_equal(window.latest.weights[0], net.weights[0])
    window.model.undo_stack.undo()
    qtbot.waitUntil(lambda: window.latest.epoch == 40, timeout=TIMEOUT)
    assert window.plots.epochs == 41
    assert np.array_equal(window.latest.weights[0], headless(40).weights[0])


def test_playing_or_a_step_goes_back_to_the_run_now(lesson_window, qtbot):
    window, shown = trained(lesson_window, qtbot, epochs=20)
    history = window.explorer.history
    history.bar.slider.setValue(5)
    qtbot.waitUntil(lambda: history.epoch == 5, timeout=TIMEOUT)
    window.worker.step()
    qtbot.waitUntil(lambda: history.epoch is None, timeout=TIMEOUT)
    assert shown[-1].steps == window.latest.steps and not shown[-1].scrubbed
    history.bar.slider.setValue(3)
    qtbot.waitUntil(lambda: history.epoch == 3, timeout=TIMEOUT)
    window.worker.set_stop(None, None)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: history.epoch is None, timeout=TIMEOUT)
    window.worker.pause()


def test_replay_walks_the_epochs_up_to_now(lesson_window, qtbot):
    window, shown = trained(lesson_window, qtbot, epochs=30)
    history = window.explorer.history
    history.bar.slider.setValue(24)
    qtbot.waitUntil(lambda: history.epoch == 24, timeout=TIMEOUT)
    history.bar.replay.setChecked(True)
    qtbot.waitUntil(lambda: history.epoch is None, timeout=TIMEOUT)
    epochs = [snap.epoch for snap in shown if snap.scrubbed]
    assert epochs == list(range(24, 30))  # each epoch in turn, then the run now
    assert not history.bar.replay.isChecked()


def test_a_lecture_traces_the_epoch_shown_and_applying_it_trains_on_from_there(
    lesson_window, qtbot, monkeypatch
):
    window, _ = trained(lesson_window, qtbot, epochs=30)
    history = window.explorer.history
    history.bar.slider.setValue(12)
    qtbot.waitUntil(lambda: history.epoch == 12, timeout=TIMEOUT)
    lecture = window.lecture
    lecture.enter()
    qtbot.waitUntil(lambda: lecture.active and lecture.trace is not None, timeout=TIMEOUT)
    net = headless(12)
    for got, want in zip(lecture.trace.weights_before, net.weights):
        assert np.array_equal(got, want)  # the step after epoch 12, not after epoch 30
    monkeypatch.setattr(lecture, "ask_leave", lambda: QMessageBox.StandardButton.Apply)
    lecture.leave_by_user()
    qtbot.waitUntil(lambda: window.latest.steps == 13, timeout=TIMEOUT)  # resumed, one step on
    assert window.latest.epoch == 13 and window.plots.epochs == 14
    trainer = trainer_for(load_session(paths.LESSONS / "xor_script.json"))
    trainer.run(epochs=13)
    assert np.array_equal(window.latest.weights[0], trainer.network.weights[0])


def test_an_edit_shows_the_run_now_with_the_edit(lesson_window, qtbot):
    window, shown = trained(lesson_window, qtbot, epochs=20)
    history = window.explorer.history
    history.bar.slider.setValue(5)
    qtbot.waitUntil(lambda: history.epoch == 5, timeout=TIMEOUT)
    window.model.set_weight(0, 0, 0, 0.5)
    assert history.epoch is None and window.plots.pinned is None
    qtbot.waitUntil(lambda: window.latest.weights[0][0, 0] == 0.5, timeout=TIMEOUT)
    assert shown[-1].weights[0][0, 0] == 0.5 and shown[-1].epoch == 20

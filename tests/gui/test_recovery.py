"""Unsaved work survives a crash: recovery copies every minute and on pause while there is
unsaved work, offered at the next launch with their time and epoch, gone after a clean exit
or a save.  The timer and the clock are driven by hand."""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QMessageBox

from gui import recovery
from gui.recovery import find_copies, mark_restored, offer_recovery

TIMEOUT = 20_000
NOON = time.mktime((2026, 12, 7, 12, 0, 0, 0, 0, -1))


def trained(lesson_window, qtbot):
    """A window one epoch into training (unsaved progress), its autosave clock at NOON."""
    window = lesson_window("playground_default")
    window.autosave.clock = lambda: NOON
    window.controls.epoch_action.trigger()
    qtbot.waitUntil(lambda: window.latest.epoch == 1, timeout=TIMEOUT)
    assert window.isWindowModified()
    return window


def test_nothing_is_written_without_unsaved_work(lesson_window, recovery_folder):
    window = lesson_window("playground_default")
    assert window.autosave.timer.interval() == 60_000 and window.autosave.timer.isActive()
    window.autosave.timer.timeout.emit()  # a minute passed
    assert find_copies(recovery_folder) == []


def test_every_minute_a_copy_of_the_newest_weights_with_time_and_epoch(
    lesson_window, qtbot, recovery_folder
):
    window = trained(lesson_window, qtbot)
    window.autosave.timer.timeout.emit()
    (copy,) = find_copies(recovery_folder)
    assert (copy.saved_at, copy.epoch, copy.name) == (NOON, 1, window.session.name)
    assert "2026-12-07 12:00 (epoch 1)" in copy.describe()
    restored = copy.restore()
    for a, b in zip(restored.network.weights, window.latest.weights):
        np.testing.assert_array_equal(a, b)
    assert restored.path == window.session.path
    assert [p.name for p in recovery_folder.iterdir()] == [copy.file.name]  # no temp left


def test_a_pause_writes_a_copy(lesson_window, qtbot, recovery_folder):
    window = trained(lesson_window, qtbot)
    window.worker.playingChanged.emit(True)
    assert find_copies(recovery_folder) == []
    window.worker.playingChanged.emit(False)
    assert [c.epoch for c in find_copies(recovery_folder)] == [1]


def test_saving_removes_the_copy_and_it_comes_back_with_new_work(
    lesson_window, qtbot, recovery_folder, tmp_path
):
    window = trained(lesson_window, qtbot)
    window.autosave.tick()
    window.files.ask_save_path = lambda suggestion: str(tmp_path / suggestion)
    assert window.save()
    assert find_copies(recovery_folder) == []
    window.autosave.tick()
    assert find_copies(recovery_folder) == []  # nothing unsaved
    window.model.set_setting("training.learning_rate", 0.3)
    window.autosave.tick()
    assert len(find_copies(recovery_folder)) == 1


def test_a_clean_exit_removes_the_copy(lesson_window, qtbot, recovery_folder):
    window = trained(lesson_window, qtbot)
    window.autosave.tick()
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.close()
    assert find_copies(recovery_folder) == [] and not window.autosave.timer.isActive()


def test_after_a_crash_the_next_launch_offers_the_copy(lesson_window, qtbot, recovery_folder):
    window = trained(lesson_window, qtbot)
    window.autosave.tick()
    weights = [w.copy() for w in window.latest.weights]
    asked = []

    def ask(parent, copy) -> bool:
        asked.append(copy.describe())
        return True

    restored = offer_recovery(None, recovery_folder, ask)  # as gui.app would, next launch
    assert asked == [f"“{window.session.name}”, saved automatically at 2026-12-07 12:00 (epoch 1)"]
    np.testing.assert_array_equal(restored.network.weights[0], weights[0])
    assert find_copies(recovery_folder) == []  # restored: the new window writes its own
    assert offer_recovery(None, recovery_folder, ask) is None and len(asked) == 1


def test_a_declined_copy_is_removed(lesson_window, qtbot, recovery_folder):
    window = trained(lesson_window, qtbot)
    window.autosave.tick()
    assert offer_recovery(None, recovery_folder, lambda parent, copy: False) is None
    assert find_copies(recovery_folder) == []


def test_a_damaged_copy_is_said_and_removed(lesson_window, qtbot, recovery_folder):
    window = trained(lesson_window, qtbot)
    window.autosave.tick()
    (copy,) = find_copies(recovery_folder)
    head = copy.file.read_text(encoding="utf-8").split("\n", 1)[0]
    copy.file.write_text(head + "\n{not json", encoding="utf-8")
    told = []
    restored = offer_recovery(None, recovery_folder, lambda p, c: True, lambda p, t: told.append(t))
    assert restored is None and "not valid JSON" in told[0]
    assert find_copies(recovery_folder) == []


def test_a_restored_session_shows_unsaved(lesson_window):
    window = lesson_window("playground_default")
    assert not window.isWindowModified()
    mark_restored(window)
    assert window.isWindowModified()


def test_a_copy_that_cannot_be_written_never_stops_the_window(
    lesson_window, qtbot, recovery_folder
):
    window = trained(lesson_window, qtbot)
    window.session.network.weights[0][0, 0] = np.nan  # a diverged network cannot be saved
    window.autosave.tick()
    assert "cannot be saved" in window.autosave.problem
    assert find_copies(recovery_folder) == []


def test_the_copies_live_in_the_app_data_folder(monkeypatch):
    monkeypatch.setattr(recovery, "folder_override", None)
    app_data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert recovery.recovery_folder() == Path(app_data) / "recovery"


def test_what_a_kill_during_a_write_left_is_cleared_at_the_next_launch(recovery_folder):
    recovery_folder.mkdir()
    old, fresh = (
        recovery_folder / ".ab12.recovery.0123abcd.tmp",
        recovery_folder / ".cd.recovery.89abcdef.tmp",
    )
    for temp in (old, fresh):
        temp.write_text('{"saved_at": 0', encoding="utf-8")
    os.utime(old, (1e9, 1e9))  # 2001: long before now
    assert (
        offer_recovery(None, recovery_folder, lambda p, c: pytest.fail("nothing to offer")) is None
    )
    assert not old.exists() and fresh.exists()


def test_the_question_is_plain_text_with_time_and_epoch(lesson_window, qtbot, monkeypatch):
    window = trained(lesson_window, qtbot)
    window.session.name = "<b>mine</b>"
    window.autosave.tick()
    (copy,) = find_copies(window.autosave.folder)
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    assert recovery.ask_restore(window, copy) is False  # closed without a choice: no restore
    assert shown[0].textFormat() == Qt.TextFormat.PlainText
    assert "“<b>mine</b>”, saved automatically at 2026-12-07 12:00 (epoch 1)" in shown[0].text()

"""Nothing lost: built-in lessons are read-only templates, dialogs start in the user's
folders, file names are safe everywhere, nothing trains behind a question, and lecture
mode's Apply is an edit that undoes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

import main
from core.session.format import SessionError, load_session, save_session
from core.session.lessons import LESSONS_DIR, inside_installation, is_builtin
from core.session.storage import safe_file_name
from gui.files import suggested_name

TIMEOUT = 20_000


def test_saving_a_built_in_lesson_asks_where_and_never_writes_the_lesson(lesson_window, tmp_path):
    lesson = LESSONS_DIR / "playground_default.json"
    shipped = lesson.read_bytes()
    window = lesson_window("playground_default")
    window.model.set_setting("training.learning_rate", 0.3)
    asked = []

    def ask(suggestion: str) -> str:
        asked.append(suggestion)
        return str(tmp_path / suggestion)

    window.files.ask_save_path = ask
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Save
    window.files.open_path(
        LESSONS_DIR / "mazur.json", remember=False, wait=True
    )  # "Save the changes?"
    assert asked == ["Playground default - the circle.json"]  # Save acted as Save As
    assert lesson.read_bytes() == shipped
    assert (tmp_path / asked[0]).exists()
    assert window.session.name.startswith("Matt Mazur")


def test_a_built_in_lesson_is_refused_as_a_save_target_everywhere(tmp_path, capsys):
    session = load_session(LESSONS_DIR / "mazur.json")
    shipped = (LESSONS_DIR / "mazur.json").read_bytes()
    with pytest.raises(SessionError, match="read-only"):
        save_session(session, LESSONS_DIR / "mazur.json")
    assert main.main(["train", "mazur", "--epochs", "1", "--out", str(LESSONS_DIR / "mazur.json")])
    assert "read-only" in capsys.readouterr().err
    assert (LESSONS_DIR / "mazur.json").read_bytes() == shipped
    assert is_builtin(LESSONS_DIR / "mazur.json") and not is_builtin(tmp_path / "mazur.json")


def test_dialogs_start_in_the_last_folder_used_but_never_inside_the_app(lesson_window, tmp_path):
    window = lesson_window("playground_default")
    window.files.settings.setValue("files/folder", str(LESSONS_DIR))
    assert inside_installation(LESSONS_DIR)
    assert not inside_installation(window.files.folder())
    window.files.settings.setValue("files/folder", str(tmp_path))
    assert window.files.folder() == str(tmp_path)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Playground default: the circle", "Playground default - the circle"),
        ('a<b>c"d|e?f*g', "a - b - c - d - e - f - g"),
        ("back\\slash/slash", "back - slash - slash"),
        ("CON", "CON (file)"),
        ("lpt1.txt", "lpt1.txt (file)"),
        ("trailing dots...", "trailing dots"),
        ("  ", "session"),
        ("tab\there", "tab - here"),
    ],
)
def test_file_names_are_safe_on_every_platform(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


def test_the_suggested_name_is_safe_and_short(lesson_window) -> None:
    window = lesson_window("playground_default")
    window.session.name = "x" * 500 + ":"
    name = suggested_name(window.session)
    assert name.endswith(".json") and len(name) <= 125 and ":" not in name


def test_training_pauses_while_the_save_question_is_open(lesson_window, qtbot):
    window = lesson_window("playground_default")
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps > 0, timeout=TIMEOUT)
    seen = []

    def ask() -> QMessageBox.StandardButton:
        seen.append(window.worker.playing)
        return QMessageBox.StandardButton.Cancel

    window.ask_save_changes = ask
    window.close()  # the question: Cancel keeps the window, and training goes on
    assert seen == [False] and window.isVisible()
    assert window.worker.playing
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard


def test_lecture_apply_is_one_undo_step(lesson_window, qtbot):
    window = lesson_window("mazur")
    weights_before = [w.copy() for w in window.latest.weights]
    window.on_lecture_mode(True)
    qtbot.waitUntil(
        lambda: window.lecture.active and window.lecture.trace is not None, timeout=TIMEOUT
    )
    trace = window.lecture.trace
    window.lecture.ask_leave = lambda: QMessageBox.StandardButton.Apply
    window.lecture.leave_by_user()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    np.testing.assert_array_equal(window.latest.weights[1], trace.weights_after[1])
    assert window.model.undo_stack.undoText() == "Apply the traced step"
    window.model.undo_stack.undo()
    qtbot.waitUntil(lambda: window.latest.steps == 0, timeout=TIMEOUT)
    for now, before in zip(window.latest.weights, weights_before):
        np.testing.assert_array_equal(now, before)
    window.model.undo_stack.redo()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    np.testing.assert_array_equal(window.latest.weights[0], trace.weights_after[0])

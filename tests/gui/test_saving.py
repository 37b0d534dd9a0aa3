"""A save that fails keeps the window and the work: whatever goes wrong is said in plain text,
closing stays open, the training process keeps running; read-only files are asked about."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

import gui.files
from core.session.format import SessionError, load_session
from gui.files import open_session, suggested_name

TIMEOUT = 20_000


@pytest.fixture
def window(lesson_window):
    """A window with unsaved changes whose error messages are collected, not shown."""
    w = lesson_window("playground_default")
    w.errors = []
    w.files.show_error = lambda title, text: w.errors.append((title, text))
    w.model.set_setting("training.learning_rate", 0.3)
    assert w.isWindowModified()
    return w


def close_answering_save(window, tmp_path: Path) -> None:
    window.files.ask_save_path = lambda suggestion: str(tmp_path / suggestion)
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Save
    window.close()


def test_a_name_no_file_can_store_keeps_the_window_open_with_a_message(window, tmp_path):
    window.session.name = "bad \ud800 name"
    close_answering_save(window, tmp_path)
    assert window.isVisible() and window.worker.is_running() and window.isWindowModified()
    ((title, text),) = window.errors
    assert title == "Save session" and "name: holds \\ud800" in text
    assert window.save() is False and len(window.errors) == 2  # File > Save says it too
    assert not list(tmp_path.glob("*.json"))
    assert suggested_name(window.session) == "bad name.json"  # a file name the system takes
    window.session.name = "good"  # so the fixture's close can go
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard


@pytest.mark.parametrize(
    "error", [RecursionError("deep"), UnicodeEncodeError("utf-8", "", 0, 1, "x")]
)
def test_any_exception_while_saving_keeps_the_window_open(window, tmp_path, monkeypatch, error):
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(gui.files, "save_session", failing)
    close_answering_save(window, tmp_path)
    assert window.isVisible() and window.worker.is_running()
    assert window.errors[0][1].startswith(type(error).__name__)
    window.files.save_action.trigger()
    assert len(window.errors) == 2
    monkeypatch.undo()
    close_answering_save(window, tmp_path)  # now it saves, and closes
    assert not window.isVisible() and not window.worker.is_running()


def test_a_read_only_file_is_replaced_only_when_the_user_agrees(window, tmp_path):
    target = tmp_path / "mine.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o444)
    asked = []
    window.files.ask_replace_read_only = lambda path: asked.append(path) or False
    assert window.files.save(window.session, target) is False
    assert asked == [target] and target.read_text(encoding="utf-8") == "old"
    assert window.isWindowModified() and not window.errors
    window.files.ask_replace_read_only = lambda path: True
    assert window.files.save(window.session, target) is True
    assert load_session(target).training.learning_rate == 0.3
    assert not window.isWindowModified()


def test_error_messages_are_plain_text(lesson_window, monkeypatch):
    window = lesson_window("playground_default")
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    window.files.show_error("Open session", "<b>not bold</b>")
    window.files.ask_replace_read_only(Path("<i>x</i>.json"))
    assert [box.textFormat() for box in shown] == [Qt.TextFormat.PlainText] * 2
    assert shown[0].text() == "<b>not bold</b>"


def test_the_window_opens_no_file_nested_too_deeply(tmp_path, lesson_window):
    path = tmp_path / "deep.json"
    d = json.loads((Path(gui.files.lessons.LESSONS_DIR) / "mazur.json").read_text())
    d["deep"] = json.loads('{"a": ' * 600 + "1" + "}" * 600)
    path.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(SessionError, match="nested too deeply"):
        open_session(path)  # what `python main.py FILE` opens the window with
    window = lesson_window("playground_default")
    errors = []
    window.files.show_error = lambda title, text: errors.append(text)
    assert window.files.open_path(path, wait=True) is None
    assert "nested too deeply" in errors[0] and window.session.name.startswith("Playground")

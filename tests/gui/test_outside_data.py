"""A session whose CSV file lies outside its folder, opened in the window: the user is asked,
and their permission reaches the training process (and lecture mode's trace, and Save)."""

from __future__ import annotations

import json

import pytest

from core.session.format import SessionError
from gui.recovery import find_copies
from tests.core.test_outside_data import outside_session

TIMEOUT = 20_000


@pytest.fixture
def window(lesson_window):
    """A window on the Playground lesson, collecting its questions and error messages."""
    w = lesson_window("playground_default")
    w.errors, w.asked = [], []
    w.files.show_error = lambda title, text: w.errors.append(text)
    return w


def answering(window, answer: bool) -> None:
    def ask(path, message) -> bool:
        window.asked.append((path, message))
        return answer

    window.files.ask_allow_outside = ask


def test_refused_when_the_user_says_no(window, tmp_path, qtbot):
    _, folder = outside_session(tmp_path)
    old, loads, layers = window.session, window.worker.loads, window.session.network.layers
    answering(window, False)
    assert window.files.open_path(folder / "s.json", wait=True) is None
    assert len(window.asked) == 1 and "is outside the session's folder" in window.asked[0][1]
    assert window.asked[0][0] == folder / "s.json"
    assert len(window.errors) == 1 and "is outside the session's folder" in window.errors[0]
    assert window.session is old and window.worker.loads == loads
    assert window.session.network.layers == layers
    steps = window.latest.steps
    window.controls.step_action.trigger()  # still training the previous session
    qtbot.waitUntil(lambda: window.latest.steps == steps + 1, timeout=TIMEOUT)


def test_loaded_and_trained_when_the_user_agrees(window, tmp_path, qtbot):
    _, folder = outside_session(tmp_path)
    answering(window, True)
    session = window.files.open_path(folder / "s.json", wait=True)
    assert session is window.session and session.allow_outside
    assert len(window.asked) == 1 and not window.errors
    window.controls.step_action.trigger()  # the training process read the file too
    qtbot.waitUntil(
        lambda: window.latest.run == window.worker.loads and window.latest.steps == 1,
        timeout=TIMEOUT,
    )
    assert window.session.dataset.input_names == ("a", "b")
    window.on_lecture_mode(True)  # the trace is built from the process's session
    qtbot.waitUntil(lambda: window.lecture.trace is not None, timeout=TIMEOUT)
    window.lecture.leave()
    assert not window.errors
    window.files.ask_save_path = lambda suggestion: str(folder / "mine.json")
    assert window.save_as()  # Save keeps the permission's path, relative as before
    assert json.loads((folder / "mine.json").read_text())["data"]["csv"] == "../data.csv"


def test_a_recovery_copy_keeps_the_permission(window, tmp_path, qtbot, recovery_folder):
    _, folder = outside_session(tmp_path)
    answering(window, True)
    window.files.open_path(folder / "s.json", wait=True)
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    assert window.autosave.write()
    (copy,) = find_copies(recovery_folder)
    assert copy.allow_outside
    restored = copy.restore()  # after a crash: no question again, the user had agreed
    assert restored.allow_outside and restored.dataset.input_names == ("a", "b")
    about = json.loads(copy.file.read_text().split("\n", 1)[0])
    about["allow_outside"] = "yes"  # anything but true is no
    body = copy.file.read_text().split("\n", 1)[1]
    copy.file.write_text(json.dumps(about) + "\n" + body)
    (copy,) = find_copies(recovery_folder)
    with pytest.raises(SessionError, match="outside the session's folder"):
        copy.restore()

"""Speaker notes: written per frame in the lecturer's view, which also shows the next frame;
kept in the session's lecture set-up, and the session unsaved until saved."""

from __future__ import annotations

import json

import pytest

from core.session.checks import Problems
from core.session.lecture_setup import MAX_NOTE, check_lecture

TIMEOUT = 20_000


def test_notes_are_written_per_frame_saved_and_read_back(lesson_window, qtbot, tmp_path):
    window = lesson_window("mazur")
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    notes, controller = window.lecture.notes, window.lecture.controller
    notes.action.trigger()
    view = notes.view
    assert view.isVisible() and "Now 1 / 20" in view.now.text()
    assert "Next 2 / 20" in view.next.text() and "z" in view.formulas.toPlainText()
    assert not window.model.dirty
    view.note.setPlainText("Ask: why is z₁ so small?")
    assert window.model.dirty  # unsaved until saved
    controller.go_to(11)
    assert view.note.toPlainText() == "" and "δ" in view.now.text()
    view.note.setPlainText("The chain rule: upstream × local")
    controller.go_to(0)
    assert view.note.toPlainText() == "Ask: why is z₁ so small?"
    controller.go_to(controller.count - 1)
    assert view.next.text() == "Next: the end of the step"
    window.files.ask_save_path = lambda suggestion: str(tmp_path / "mine.json")
    assert window.save_as()
    saved = json.loads((tmp_path / "mine.json").read_text())["lecture"]["notes"]
    first, twelfth = controller.plan.frames[0].title, controller.plan.frames[11].title
    assert saved == {first: "Ask: why is z₁ so small?", twelfth: "The chain rule: upstream × local"}
    window.lecture.leave()
    again = lesson_window(tmp_path / "mine.json")
    assert again.lecture.notes.notes == saved
    window.close()
    assert not view.isVisible()  # the host closed: the lecturer's view went with it


@pytest.mark.parametrize(
    ("notes", "problem"),
    [
        ([1], "expected an object"),
        ({"t": ["x"]}, "expected a string"),
        ({"t": "x" * (MAX_NOTE + 1)}, "at most 10,000"),
        ({"t" * 301: "x"}, "a frame title of 301 characters"),
    ],
)
def test_bad_notes_are_refused_with_where_and_why(notes, problem):
    pr = Problems()
    check_lecture({"notes": notes}, pr)
    assert any(problem in str(p) for p in pr.problems)


@pytest.mark.parametrize(
    ("detail", "problem"),
    [([0], "must be >= 1"), (["x"], "expected a whole number"), ([65], "at most 64"), (3, "")],
)
def test_bad_detail_layers_are_refused(detail, problem):
    pr = Problems()
    check_lecture({"detail": detail}, pr)
    assert pr.problems and problem in str(pr.problems[0])


def test_detail_layers_are_read_sorted_once():
    setup = check_lecture({"detail": [3, 1, 3]}, Problems())
    assert setup.detail == (1, 3) and setup.to_dict()["detail"] == [1, 3]

"""Quiz me in lecture mode on Mazur's lesson: hidden values, right, wrong, close, hints and
the score; New exercise and the worksheet export from the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gui.menus import shortcut_rows


@pytest.fixture
def window(lesson_window, qtbot):
    w = lesson_window("mazur")
    w.tutor.quiz.action.trigger()  # Quiz me: lecture mode starts with it
    qtbot.waitUntil(lambda: w.lecture.active, timeout=20_000)
    return w


def _stage_text(window) -> str:
    stage = window.network_view.overlay.stage
    return "\n".join([*stage.node_values.values(), *stage.edge_values.values()])


def _type(qtbot, panel, text: str) -> None:
    panel.answer.setText(text)
    qtbot.keyClick(panel.answer, Qt.Key.Key_Return)


def test_quiz_flow_on_mazur(window, qtbot):
    quiz, lecture = window.tutor.quiz, window.lecture
    panel, equations = quiz.panel, lecture.panel
    assert panel.isVisible() and panel.question.text() == "zₕ₁ = ?"
    assert "zₕ₁ = ?" in _stage_text(window) and "0.3775" not in _stage_text(window)
    assert "0.3775" not in equations.plain_text() and "= ?" in equations.plain_text()

    _type(qtbot, panel, "0.5")
    assert panel.verdict.text().startswith("Not right at 9 decimal places")
    _type(qtbot, panel, "0.0275")  # w1 x1 + w2 x2 without b1
    assert panel.verdict.text().startswith("Close: you forgot the bias b.")
    _type(qtbot, panel, "0.37,5")
    assert "is not a number" in panel.verdict.text() or "mixes" in panel.verdict.text()
    _type(qtbot, panel, "0,3775")  # a decimal comma is fine
    assert panel.verdict.text() == "Right: zₕ₁ = 0.3775."
    assert panel.question.text() == "aₕ₁ = ?"
    assert "zₕ₁ = 0.3775" in _stage_text(window) and "aₕ₁ = ?" in _stage_text(window)
    assert "0.593269992" not in equations.plain_text()

    _type(qtbot, panel, "0.3775")
    assert panel.verdict.text().startswith("Close: you forgot f.")
    qtbot.mouseClick(panel.hint_button, Qt.MouseButton.LeftButton)
    assert panel.hints.text() == "Hint 1: aₕ₁ = σ(zₕ₁)"
    qtbot.mouseClick(panel.hint_button, Qt.MouseButton.LeftButton)
    assert panel.hints.text().endswith("Hint 2: aₕ₁ = σ(zₕ₁) = σ(0.3775) = ?")
    qtbot.mouseClick(panel.hint_button, Qt.MouseButton.LeftButton)
    answer, done = panel.verdict.text().split("\n")
    assert answer == "The answer: aₕ₁ = σ(zₕ₁) = σ(0.3775) = 0.593269992"
    assert (
        panel.done
        and done == "Every value of this frame is in. Enter or Page Down for the next frame."
    )
    assert "aₕ₁ = 0.593269992" in _stage_text(window)

    qtbot.keyClick(panel.answer, Qt.Key.Key_Return)  # on to neuron h2
    assert lecture.controller.index == 1 and panel.question.text() == "zₕ₂ = ?"
    _type(qtbot, panel, "-0.3925")
    assert panel.verdict.text().startswith("Close: sign.")
    _type(qtbot, panel, "0.3925")
    _type(qtbot, panel, "0.596884378")
    assert panel.verdict.text().startswith("Right: aₕ₂ = 0.596884378.\nEnd of “Forward: layer 1")
    assert "(hidden)”: 3 of 4 right (1 at the first try; 3 hints" in panel.verdict.text()
    assert "mistakes: you forgot the bias b, you forgot f, sign" in panel.verdict.text()
    assert panel.score.text() == "Score 3 of 4"

    quiz.action.trigger()  # off: every value shown again, the panel gone
    assert not panel.isVisible() and "aₕ₂ = 0.596884378" in _stage_text(window)
    assert type(lecture.choices.reveal).__name__ == "Reveal"  # the lecturer's own again
    lecture.controller.go_to(0)
    assert "zₕ₁ = 0.3775" in _stage_text(window)


def test_show_answer_and_the_score_at_the_end(window, qtbot):
    quiz, controller = window.tutor.quiz, window.lecture.controller
    controller.go_to(controller.count - 2)  # the last update frame
    run = quiz.run
    for record in list(run.records):
        quiz.check(f"{record.question.answer:.12f}")
    assert quiz.panel.done
    assert "All done. The whole step: " in quiz.panel.verdict.text()
    controller.go_to(controller.count - 1)  # the loss after the update asks nothing
    assert "Nothing to compute in this frame" in quiz.panel.verdict.text()
    controller.go_to(0)
    qtbot.keyClick(quiz.panel.answer, Qt.Key.Key_PageDown)  # the transport's key still works
    assert controller.index == 1
    controller.go_to(0)
    quiz.show_answer()
    assert quiz.panel.verdict.text() == (
        "The answer: zₕ₁ = w1 · xᵢ₁ + w2 · xᵢ₂ + b1 = 0.15 × 0.05 + 0.2 × 0.1 + 0.35 = 0.3775"
    )


def test_quiz_keys_are_listed_once(window):
    keys = [key for key, _ in shortcut_rows(window)]
    assert keys.count("Ctrl+Shift+Q") == 1 and keys.count("Ctrl+Shift+E") == 1
    texts = dict(shortcut_rows(window))
    assert texts["Ctrl+Shift+Q"] == "Quiz me on / off"


def test_new_exercise_opens_in_lecture_mode_with_the_quiz(lesson_window, qtbot):
    window = lesson_window("mazur")
    tutor = window.tutor
    tutor.exercises.ask_seed = lambda: 1234
    tutor.exercises.action.trigger()
    qtbot.waitUntil(lambda: window.lecture.active, timeout=20_000)
    assert window.session.name == "Exercise (seed 1234)"
    assert tutor.quiz.on and tutor.quiz.panel.isVisible()
    assert tutor.quiz.panel.question.text() == "z₁¹ = ?"


def test_worksheet_export_writes_markdown_latex_and_pdf(window, qtbot, tmp_path):
    sheets = window.tutor.sheets
    folder = tmp_path / "sheets"
    sheets.ask = lambda _folder: (folder, 2, 77, ("md", "tex", "pdf"))
    sheets.action.trigger()
    qtbot.waitUntil(lambda: not sheets.writer.busy, timeout=30_000)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 12 and "answers-02.pdf" in names
    assert Path(folder / "sheet-01.pdf").read_bytes().startswith(b"%PDF")
    assert "Seed 78." in (folder / "answers-02.md").read_text(encoding="utf-8")


def test_new_exercise_refused_keeps_the_session_and_the_quiz_off(lesson_window):
    window = lesson_window("mazur")
    window.confirm_discard = lambda: False  # the user cancels
    try:
        window.tutor.exercises.open(5)
    finally:
        del window.confirm_discard
    assert window.session.name != "Exercise (seed 5)" and not window.tutor.quiz.on


def test_a_frame_of_a_whole_layer_asks_its_first_few_values(lesson_window, qtbot):
    from gui.quiz.coach import MAX_ASKED

    w = lesson_window("vanishing_gradients")
    w.tutor.quiz.action.trigger()
    qtbot.waitUntil(lambda: w.lecture.active and w.lecture.trace is not None, timeout=20_000)
    controller = w.lecture.controller
    controller.set_granularity("layer")
    frames = controller.plan.frames
    big = next(k for k, f in enumerate(frames) if len(f.terms) > MAX_ASKED)
    controller.go_to(big)
    run = w.tutor.quiz.run
    assert len(run.records) == MAX_ASKED
    heading = w.tutor.quiz.panel.heading.text()
    assert f"the first {MAX_ASKED} of its {len(frames[big].terms)} values" in heading

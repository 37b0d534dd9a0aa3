"""The lesson's texts in the window: the panel comes up with each lesson opened and goes
with ✕ or Esc, Help > About this lesson brings it back, the glossary is searchable and
opened from a formula's symbol, and File > Lesson properties edits the texts with undo,
saves them (never over a built-in lesson) and renames the window."""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QAction, QHelpEvent
from PySide6.QtWidgets import QApplication, QDialog, QToolTip

from core.session.format import load_session
from core.session.guide import MAX_NAME
from core.session.lessons import LESSONS_DIR
from core.trace.glossary import GLOSSARY
from gui.diagram.cards import ValueLabel
from gui.lessons.properties import KEYS, PropertiesDialog
from gui.lessons.texts import HIDDEN_KEY
from gui.menus import shortcut_rows

TIMEOUT = 20_000


def texts(window):
    return window.tutor.lessons


def test_the_panel_shows_the_lesson_when_it_opens_and_each_new_lesson(lesson_window, qtbot):
    window = lesson_window("vanishing_gradients")
    panel = texts(window).panel
    assert panel.isVisible() and panel.name == "Vanishing gradients in a deep sigmoid net"
    shown = panel.plain_text()
    guide = window.session.guide
    assert window.session.description in shown
    assert f"Look at: {guide.look}" in shown and f"Try: {guide.try_}" in shown
    assert "|dL/dW| plot" in shown
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()
    window.model.set_setting("training.learning_rate", 0.3)  # an edit restarts: no panel
    qtbot.waitUntil(lambda: window.latest.run == window.worker.loads, timeout=TIMEOUT)
    assert not panel.isVisible()
    window.files.open_path(LESSONS_DIR / "mazur.json", remember=False, wait=True)
    assert panel.isVisible() and panel.name.startswith("Matt Mazur")
    assert "0.082167041" in panel.plain_text()


def test_esc_in_the_panel_closes_it_and_the_window_keeps_its_size(lesson_window, qtbot):
    window = lesson_window("digits", (1280, 720))
    panel = texts(window).panel
    assert panel.isVisible() and window.height() <= 720 and window.width() <= 1280
    assert panel.height() <= 0.25 * window.height()  # the long description scrolls inside
    panel.text.setFocus()
    qtbot.keyClick(panel.text, Qt.Key.Key_Escape)
    assert not panel.isVisible()
    assert not window.lecture.active


def test_esc_on_the_window_closes_the_panel_outside_lecture_mode(lesson_window, qtbot):
    window = lesson_window("spiral")
    panel = texts(window).panel
    esc = next(a for a in window.findChildren(QAction) if a.text() == "Leave lecture mode")
    esc.trigger()
    assert not panel.isVisible()


def test_dont_show_again_is_remembered_and_about_this_lesson_still_shows_it(lesson_window, qtbot):
    window = lesson_window("iris")
    lessons = texts(window)
    lessons.panel.never.setChecked(True)
    lessons.panel.close_button.click()
    assert lessons.settings.value(HIDDEN_KEY) in (True, "true")
    window.files.open_path(LESSONS_DIR / "spiral.json", remember=False, wait=True)
    assert not lessons.panel.isVisible()
    assert lessons.about_action.shortcut().toString() == "Shift+F1"
    help_menu = next(m for m in window.menuBar().actions() if m.text() == "&Help").menu()
    assert lessons.about_action in help_menu.actions()
    lessons.about_action.trigger()
    assert lessons.panel.isVisible() and lessons.panel.name.startswith("The spiral")


def test_the_glossary_searches_and_opens_at_an_entry(lesson_window, qtbot):
    window = lesson_window("mazur")
    lessons = texts(window)
    help_menu = next(m for m in window.menuBar().actions() if m.text() == "&Help").menu()
    assert lessons.glossary_action in help_menu.actions()
    lessons.glossary_action.trigger()
    glossary = lessons.glossary
    assert glossary.isVisible() and len(glossary.shown_keys) == len(GLOSSARY)
    qtbot.keyClicks(glossary.search, "learning rate")
    assert glossary.shown_keys[0] == "lr" and "η" in glossary.text.toPlainText()
    qtbot.keyClick(glossary.search, Qt.Key.Key_Return)
    assert glossary.entries.hasFocus() or not glossary.isActiveWindow()
    glossary.search.setText("zzz nothing")
    assert glossary.shown_keys == [] and "Nothing in the glossary" in glossary.text.toPlainText()
    lessons.open_glossary("sse")
    assert glossary.search.text() == "" and glossary.current_key == "sse"
    assert "1/2 Σ (y − a)²" in glossary.text.toPlainText()
    glossary.close()


def test_a_formulas_symbols_link_to_the_glossary(lesson_window, qtbot):
    window = lesson_window("mazur")
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    window.lecture.controller.go_to(9)  # Backward into o1: ∂L/∂w5 = δ_o1 · a_h1
    links = texts(window).links
    shown = links.shown_keys()
    assert {"dL/dw", "delta", "a"} <= set(shown)
    menu = links.menu_for(QPoint(5, 5))
    sub = next(a.menu() for a in menu.actions() if a.text() == "Symbols of these formulas")
    labels = [a.text() for a in sub.actions()]
    assert any(label.startswith(GLOSSARY["delta"].symbol) for label in labels)
    next(a for a in sub.actions() if a.text().startswith(GLOSSARY["delta"].symbol)).trigger()
    assert texts(window).glossary.current_key == "delta"
    texts(window).glossary.close()
    menu.deleteLater()
    text = window.lecture.panel.text
    where = text.document().find("δ")
    assert not where.isNull()
    rect = text.cursorRect(where)
    at = QPoint(rect.left() - 2, rect.center().y())
    assert links.key_at(at) == "delta"
    texts(window).glossary.show_entry("lr")
    qtbot.mouseClick(
        text.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, at
    )
    assert texts(window).glossary.current_key == "delta"
    texts(window).glossary.close()
    window.lecture.leave()


def test_the_panel_makes_way_for_lecture_mode_and_comes_back(lesson_window, qtbot):
    window = lesson_window("mazur")
    panel = texts(window).panel
    assert panel.isVisible()
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    assert not panel.isVisible()
    window.lecture.leave()
    assert panel.isVisible() and panel.name.startswith("Matt Mazur")


def test_lesson_properties_edit_undo_save_and_title(lesson_window, qtbot, tmp_path, monkeypatch):
    window = lesson_window("xor_script")
    lessons = texts(window)
    file_menu = next(m for m in window.menuBar().actions() if m.text() == "&File").menu()
    assert lessons.properties_action in file_menu.actions()
    original = json.loads((LESSONS_DIR / "xor_script.json").read_text(encoding="utf-8"))
    window.model.set_setting("training.learning_rate", 0.5)  # dirty already: the title
    qtbot.waitUntil(lambda: window.latest.run == window.worker.loads, timeout=TIMEOUT)
    assert window.isWindowModified()  # must follow the name without a change of state
    steps = window.model.undo_stack.count()
    loads = window.worker.loads

    def typed(dialog: PropertiesDialog) -> int:
        dialog.name.setText("My XOR")
        dialog.look.setPlainText("Watch the plateau.")
        dialog.try_.setPlainText("")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(PropertiesDialog, "exec", typed)
    lessons.properties_action.trigger()
    assert window.session.name == "My XOR" and window.session.guide.look == "Watch the plateau."
    assert window.windowTitle().startswith("My XOR") and window.isWindowModified()
    assert window.model.undo_stack.count() == steps + 1 and window.worker.loads == loads
    assert window.session.training.learning_rate == 0.5  # not a training setting: kept
    assert lessons.panel.name == "My XOR" and "Watch the plateau." in lessons.panel.plain_text()
    window.model.undo_stack.undo()
    assert window.session.name == original["name"]
    assert window.session.guide.look == original["guide"]["look"]
    assert window.windowTitle().startswith(original["name"])
    window.model.undo_stack.redo()
    target = tmp_path / "mine.json"
    window.files.ask_save_path = lambda suggestion: str(target)
    assert window.save()  # a built-in lesson: Save asks where, as Save As
    assert json.loads((LESSONS_DIR / "xor_script.json").read_text(encoding="utf-8")) == original
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert saved["name"] == "My XOR" and saved["guide"] == {"look": "Watch the plateau."}
    assert saved["description"] == original["description"]
    assert saved["training"]["learning_rate"] == 0.5
    assert not window.isWindowModified() and window.windowTitle().startswith("My XOR")
    again = load_session(target)
    assert again.name == "My XOR" and again.guide == window.session.guide


def test_texts_too_long_are_named_and_the_dialog_stays_open(lesson_window, qtbot):
    window = lesson_window("mazur")
    dialog = texts(window).properties_dialog()
    qtbot.addWidget(dialog)
    dialog.name.setText("n" * (MAX_NAME + 1))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.isVisible() or not dialog.error.isHidden()
    assert f"at most {MAX_NAME:,}" in dialog.error.text() and "“name”" in dialog.error.text()
    dialog.name.setText("")
    dialog.accept()
    assert "needs a name" in dialog.error.text()
    dialog.name.setText("Fine")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert set(dialog.texts()) == set(KEYS)
    assert not texts(window).apply_texts(
        dict(zip(KEYS, (window.session.name, window.session.description, *_guide(window))))
    )


def _guide(window):
    guide = window.session.guide
    return guide.look, guide.try_


def test_concepts_on_screen_have_tooltips(lesson_window):
    window = lesson_window("vanishing_gradients")
    plots = window.plots
    assert "vanishing" in plots.grad_plot.toolTip().lower()
    assert "|dL/dW| per layer" in plots.grad_plot.toolTip()
    assert "exploding" in plots.grad_plot.toolTip().lower()
    assert "loss" in plots.loss_plot.toolTip().lower()
    assert "share of samples" in plots.accuracy_plot.toolTip()
    tip = window.banner.label.toolTip()
    assert "Saturation" in tip and "Dead ReLU" in tip
    assert "Hover a symbol" in window.lecture.panel.heading.toolTip()


def test_hovering_a_symbol_shows_its_entry_and_the_keys_are_listed(lesson_window, qtbot):
    window = lesson_window("mazur")
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    window.lecture.controller.go_to(11)  # δ_h1 = σ'(z_h1) · (w5 · δ_o1 + w7 · δ_o2)
    text = window.lecture.panel.text
    rect = text.cursorRect(text.document().find("σ"))
    at = QPoint(rect.left() - 2, rect.center().y())
    event = QHelpEvent(QEvent.Type.ToolTip, at, text.viewport().mapToGlobal(at))
    QApplication.sendEvent(text.viewport(), event)
    assert QToolTip.isVisible() and "Derivative of the activation" in QToolTip.text()
    QToolTip.hideText()
    window.lecture.leave()
    keys = {key for key, _ in shortcut_rows(window)}
    assert {"Shift+F1", "Ctrl+F1", "F2"} <= keys


def test_a_value_card_says_what_its_symbol_is(qapp) -> None:
    assert "Delta (error of a neuron)" in ValueLabel("δ₁² = 0.1385").toolTip()
    assert "Gradient of a weight" in ValueLabel("∂L/∂w5 = 0.08217").toolTip()
    assert ValueLabel("0.4", named=False).toolTip() == ""

"""Training > Check gradients and Training > Bug lab in the real window: the check runs in
the training process and fills the table, the worst parameter is lit on the diagram, the
bug is labelled while it is on, and it is never saved."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

from gui import menus

TIMEOUT = 20_000


@pytest.fixture
def mazur(lesson_window):
    return lesson_window("mazur")


def cells(dialog, column: int) -> list[str]:
    table = dialog.table
    return [table.item(row, column).text() for row in range(table.rowCount())]


def check(window, qtbot):
    gradients = window.tutor.gradients
    gradients.report = None
    gradients.action.trigger()
    assert gradients.dialog.isVisible() and "Checking" in gradients.dialog.heading.text()
    qtbot.waitUntil(lambda: gradients.report is not None, timeout=TIMEOUT)
    return gradients


def switch_on(window, qtbot, bug: str | None) -> None:
    window.tutor.bug_lab.actions[bug].trigger()
    qtbot.waitUntil(lambda: window.latest.bug == bug, timeout=TIMEOUT)


def test_check_gradients_fills_the_table_from_the_training_process(mazur, qtbot):
    gradients = check(mazur, qtbot)
    dialog = gradients.dialog
    assert cells(dialog, 0) == ["1", "2"]
    assert cells(dialog, 6) == ["✔ passed", "✔ passed"]
    assert all("1e-07 + 1e-05" in t for t in cells(dialog, 5))
    assert "Worst parameter: " in dialog.worst.text() and "lit in red" in dialog.worst.text()
    assert "agrees" in dialog.verdict.text()
    assert gradients.action.shortcut().toString() == "Ctrl+Shift+C"


def test_the_worst_parameter_is_lit_on_the_diagram(mazur, qtbot):
    switch_on(mazur, qtbot, "mazur")
    gradients = check(mazur, qtbot)
    worst = gradients.report.worst
    assert worst.layer == 1 and worst.failed  # the hidden layer's gradient used the new W2
    mark = gradients.mark
    assert mark.isVisible() and mark.scene() is mazur.network_view.diagram
    assert len(mark.rings) == (2 if worst.j is not None else 1)
    assert len(mark.segments) == (1 if worst.j is not None else 0)
    assert cells(gradients.dialog, 6) == ["✘ failed", "✔ passed"]
    assert "layer 1" in gradients.dialog.verdict.text()
    gradients.dialog.close()
    assert not mark.isVisible()


def test_a_bug_is_labelled_while_it_is_on_and_the_weights_stay(mazur, qtbot):
    lab = mazur.tutor.bug_lab
    weights = mazur.latest.weights[0].copy()
    assert not lab.banner.isVisible()
    switch_on(mazur, qtbot, "no_fprime")
    assert lab.banner.isVisible() and "Forgetting f′(z)" in lab.banner.label.text()
    assert lab.status.isVisible() and "Forgetting" in lab.status.text()
    assert (mazur.latest.weights[0] == weights).all() and mazur.latest.steps == 0
    mazur.controls.step_action.trigger()
    qtbot.waitUntil(lambda: mazur.latest.steps == 1, timeout=TIMEOUT)
    assert mazur.latest.bug == "no_fprime" and lab.banner.isVisible()
    lab.banner.off.click()
    qtbot.waitUntil(lambda: mazur.latest.bug is None, timeout=TIMEOUT)
    assert not lab.banner.isVisible() and not lab.status.isVisible()
    assert lab.actions[None].isChecked()


def test_an_update_bug_says_the_update_step_is_wrong(mazur, qtbot):
    switch_on(mazur, qtbot, "plus")
    gradients = check(mazur, qtbot)
    assert gradients.report.passed
    assert "the update step is what is wrong" in gradients.dialog.verdict.text()
    assert gradients.report.verdict() == gradients.dialog.verdict.text()


def test_the_bug_lab_menu_explains_each_bug_in_one_line(mazur):
    menu: QMenu = mazur.tutor.bug_lab.menu
    texts = [a.text() for a in menu.actions() if a.text()]
    assert len(texts) == 8 and all("  —  " in t for t in texts)
    training = next(a.menu() for a in mazur.menuBar().actions() if a.text() == "&Training")
    assert menu.menuAction() in training.actions()
    assert mazur.tutor.gradients.action in training.actions()
    assert mazur.tutor.bug_lab.open_action in training.actions()
    keys = dict(menus.shortcut_rows(mazur))
    assert "Ctrl+Shift+C" in keys and "Ctrl+Shift+B" in keys


def test_the_bug_is_never_saved(mazur, qtbot, tmp_path):
    switch_on(mazur, qtbot, "frozen_biases")
    target = tmp_path / "mine.json"
    mazur.files.ask_save_path = lambda suggestion: str(target)
    mazur.files.save_as_action.trigger()
    saved = json.loads(target.read_text(encoding="utf-8"))
    assert "bug" not in saved and "bug" not in saved["training"]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert not [key for key in settings.allKeys() if "bug" in key.lower()]


def test_a_bug_that_cannot_run_is_refused_with_a_message(lesson_window, qtbot):
    window = lesson_window("xor_script")  # 2-2-1: W^2 is not square
    lab = window.tutor.bug_lab
    lab.actions["transposed"].trigger()
    bar = window.statusBar()
    qtbot.waitUntil(lambda: "square" in bar.currentMessage(), timeout=TIMEOUT)
    assert not lab.banner.isVisible() and lab.actions[None].isChecked()
    assert window.latest.bug is None


def test_lecture_mode_traces_the_bug_and_keeps_its_label(mazur, qtbot):
    """With the mazur bug on, the lecture's step ends at the post's published error."""
    switch_on(mazur, qtbot, "mazur")
    mazur.on_lecture_mode(True)
    qtbot.waitUntil(lambda: mazur.lecture.active, timeout=TIMEOUT)
    trace = mazur.lecture.trace
    assert trace.bug == "mazur" and round(trace.loss_after, 9) == 0.291027924
    controller, panel = mazur.lecture.controller, mazur.lecture.panel
    shown = []
    for index in range(controller.count):
        controller.go_to(index)
        shown.append(panel.text.toPlainText())
    assert "0.291027924" in "\n".join(shown)
    assert mazur.tutor.bug_lab.banner.isVisible()


def test_the_worst_parameter_is_named_as_the_formulas_name_it():
    from core.checks.gradcheck import WorstParameter
    from gui.checks.report import parameter_text, worst_text

    labels = {"weights": [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"], ["w7", "w8"]]]}
    w = WorstParameter(1, 1, 0, -0.00117945971, -0.0011567005, 9.742e-3, True)
    assert parameter_text(w, labels) == "w3 (layer 1: into neuron 2 from neuron 1)"
    assert parameter_text(w) == "w₂₁¹ (layer 1: into neuron 2 from neuron 1)"
    bias = WorstParameter(2, 0, None, 0.1, 0.1, 0.0, False)
    assert parameter_text(bias) == "b₁² (layer 2: the bias of neuron 1)"
    text = worst_text(w, True, labels)
    assert "backprop −0.00117945971, numeric −0.0011567005" in text  # a true minus, 9 digits


def test_the_report_says_it_is_outdated_once_the_network_changes(mazur, qtbot):
    gradients = check(mazur, qtbot)
    dialog = gradients.dialog
    qtbot.wait(300)  # snapshots of the network checked change nothing
    assert gradients.report is not None and "Backprop's gradient" in dialog.heading.text()
    assert gradients.mark.isVisible()
    mazur.model.set_weight(1, 0, 0, 0.5)  # w5, edited on the diagram
    qtbot.waitUntil(lambda: "has changed since" in dialog.heading.text(), timeout=TIMEOUT)
    assert not dialog.table.isEnabled() and dialog.worst.text() == ""
    assert not gradients.mark.isVisible()
    gradients.run()  # Check again: the network now
    qtbot.waitUntil(lambda: gradients.report is not None, timeout=TIMEOUT)
    assert dialog.table.isEnabled() and "Backprop's gradient" in dialog.heading.text()

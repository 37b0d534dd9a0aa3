"""Importing in the window: Data > Import CSV…, the Dataset list's "From a CSV file…" and
File > Open of a .csv open the dialog; its OK changes the session as one undo step (the
network's inputs and outputs follow, training restarts on the new rows), and lecture mode
says that x is standardised."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from core.data.scaling import INPUT_NOTE
from gui.data.import_dialog import ImportDialog

TIMEOUT = 20_000
NAMES = ("setosa", "versicolor", "virginica")


def flowers(folder: Path) -> Path:
    rng = np.random.default_rng(1)
    rows = [
        f"{1.5 + 2.5 * (i % 3) + rng.normal(0, 0.3):.3f},{0.3 + (i % 3) + rng.normal(0, 0.2):.3f},"
        f"{NAMES[i % 3]}"
        for i in range(90)
    ]
    file = folder / "flowers.csv"
    file.write_text("petal_length,petal_width,species\n" + "\n".join(rows) + "\n")
    return file


@pytest.fixture
def window(lesson_window, tmp_path):
    """A window whose import dialog picks flowers.csv and presses Import by itself."""
    w = lesson_window("playground_default")
    importer, file = w.explorer.importer, flowers(tmp_path)
    w.asked = []
    make = importer.make_dialog

    def made() -> ImportDialog:
        dialog = make()
        dialog.ask_path = lambda: str(file)
        return dialog

    def ask(dialog: ImportDialog) -> bool:
        w.asked.append(dialog)
        while dialog.reader.busy or dialog.scan is None:
            w.qtbot.wait(10)
        dialog.ok.click()
        w.qtbot.waitUntil(lambda: dialog.spec is not None, timeout=TIMEOUT)
        return True

    importer.make_dialog, importer.ask = made, ask
    return w


@pytest.fixture(autouse=True)
def _qtbot_on_window(qtbot, request):
    if "window" in request.fixturenames:
        request.getfixturevalue("window").qtbot = qtbot


def trains_on_the_import(window, qtbot) -> None:
    qtbot.waitUntil(lambda: window.latest.run == window.worker.loads, timeout=TIMEOUT)
    steps = window.latest.steps
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == steps + 1, timeout=TIMEOUT)
    assert list(window.latest.layers) == window.session.network.layers
    assert window.network_view.layers == window.session.network.layers


def test_data_import_csv_changes_the_session_and_training_restarts(window, qtbot) -> None:
    action = window.explorer.importer.action
    assert action.shortcut().toString() == "Ctrl+Shift+I"
    data_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Data")
    assert action in data_menu.actions() and data_menu.menuAction().isVisible()
    hidden = window.session.network.layers[1:-1]
    action.trigger()
    s = window.session
    assert s.network.layers == [2, *hidden, 3]
    assert s.network.activation_names[-1] == "softmax" and s.loss == "cce"
    assert s.data["csv"] == str(window.asked[0].scan.path)  # unsaved: absolute
    assert s.dataset.kind == "classification" and s.dataset.target_names == NAMES
    assert s.dataset.input_names == ("petal_length", "petal_width")
    assert len(s.dataset.x_train) == 72 and len(s.dataset.x_test) == 18
    np.testing.assert_allclose(s.dataset.x_train.mean(axis=0), 0.0, atol=1e-12)
    data = window.panel.data
    assert data.dataset.currentText() == "CSV: flowers.csv"
    assert data.problem.text() == "classification, 3 classes"
    assert not data.test_ratio.isEnabled()  # chosen in the dialog: the statistics follow it
    assert data.table_inputs.text() == "Inputs: the table's 2 columns (standardised: z-score)."
    plan = window.output_view._plan  # the output map over the two (standardised) inputs
    assert plan.mode == "map" and plan.class_names == NAMES
    assert plan.axis_names == ("petal_length (z-score)", "petal_width (z-score)")
    trains_on_the_import(window, qtbot)
    window.model.undo_stack.undo()
    assert "builtin" in window.session.data and window.session.network.layers[0] == 2


def test_saving_writes_the_path_relative_to_the_session(window, qtbot, tmp_path) -> None:
    window.explorer.importer.action.trigger()
    (tmp_path / "sessions").mkdir()
    assert window.files.save(window.session, tmp_path / "sessions" / "iris.json")
    assert window.session.data["csv"] == "../flowers.csv"


def test_the_dataset_list_entry_opens_the_dialog(window, qtbot) -> None:
    combo = window.panel.data.dataset
    before = combo.currentIndex()
    combo.setCurrentIndex(combo.findData("__import__"))
    assert len(window.asked) == 1 and window.session.dataset.target_names == NAMES
    assert combo.currentText() == "CSV: flowers.csv" and combo.currentIndex() != before


def test_file_open_of_a_csv_goes_to_the_dialog(window, qtbot, tmp_path) -> None:
    window.files.show_error = lambda title, text: pytest.fail(text)
    assert window.files.open_path(flowers(tmp_path)) is None
    qtbot.waitUntil(lambda: window.session.dataset.target_names == NAMES, timeout=TIMEOUT)
    assert len(window.asked) == 1
    assert window.asked[0].path_edit.text() == str(tmp_path / "flowers.csv")
    assert window.session.dataset.target_names == NAMES


def test_lecture_mode_says_the_inputs_are_standardised(window, qtbot) -> None:
    window.explorer.importer.action.trigger()
    trains_on_the_import(window, qtbot)
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: window.lecture.active, timeout=TIMEOUT)
    assert window.lecture.panel.plain_text().startswith(INPUT_NOTE)
    x = window.lecture.trace.x
    rows = np.vstack([window.session.dataset.x_train, window.session.dataset.x_test])
    assert any(np.array_equal(x[0], row) for row in rows)  # the standardised x itself
    window.lecture.leave()


def test_names_from_the_file_are_shown_as_text_not_markup(window, qtbot, tmp_path) -> None:
    rows = "".join(f"{i},{i % 4},{'<b>cat</b>' if i % 2 else 'dog'}\n" for i in range(20))
    (tmp_path / "flowers.csv").write_text("<i>x</i>,y,kind\n" + rows)
    window.explorer.importer.action.trigger()
    assert window.session.dataset.target_names == ("<b>cat</b>", "dog")
    axis = window.output_view.plot.getPlotItem().getAxis("bottom")
    assert "&lt;i&gt;x&lt;/i&gt;" in axis.labelText
    assert window.output_view._readout.textFormat() == Qt.TextFormat.PlainText
    assert window.output_view.legend.texts() == ["<b>cat</b>", "dog"]


def test_a_csv_given_at_launch_opens_the_dialog_once_the_window_runs(qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from gui.app import open_window

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = open_window(str(flowers(tmp_path)), settings)
    asked = []
    window.explorer.importer.ask = lambda d: asked.append(d.path_edit.text()) or False  # Cancel
    try:
        window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        assert not asked  # not before the event loop runs
        qtbot.waitUntil(lambda: len(asked) == 1, timeout=TIMEOUT)
        assert asked == [str(tmp_path / "flowers.csv")]
        assert window.session.name.startswith("Playground")  # cancelled: nothing changed
    finally:
        window.close()
    assert not window.worker.is_running()

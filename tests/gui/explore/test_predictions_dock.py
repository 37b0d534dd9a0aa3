"""View > Predictions in the window: xor_script's four rows before and after training, an
edit's new numbers, a new session's rows, the row lecture mode traces, CSV and Ctrl+C."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from core.explore.predictions import TEST, TRAIN, csv_text, predictions
from core.snapshot import snapshot_network
from core.trace.notation import format_number
from gui.explore import evaluation
from gui.lecture.trace_chooser import TraceChoice

TIMEOUT = 20_000


def open_table(lesson_window, qtbot, lesson: str):
    """A window on ``lesson`` with View > Predictions on and its first rows shown."""
    window = lesson_window(lesson)
    dock = window.explorer.predictions
    assert dock.isHidden()  # hidden by default, and it does no work then
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    toggle = next(a for a in view_menu.actions() if a.text() == "&Predictions")
    toggle.trigger()
    assert dock.isVisible()
    qtbot.waitUntil(lambda: dock.rows.pred is not None, timeout=TIMEOUT)
    return window, dock


def expected(window):
    """The predictions of the newest snapshot's network, computed here."""
    network = snapshot_network(window.latest)
    return predictions(network, window.session.dataset, window.session.loss)


def shows(dock, pred) -> bool:
    """Whether the table holds exactly these numbers."""
    got = dock.rows.pred
    return (
        got is not None
        and len(got) == len(pred)
        and np.array_equal(got.output, pred.output)
        and np.array_equal(got.loss_term, pred.loss_term)
    )


def column(dock, name: str) -> int:
    return dock.rows._names.index(name)


def test_xor_script_shows_its_four_rows_before_and_after_training(lesson_window, qtbot):
    window, dock = open_table(lesson_window, qtbot, "xor_script")
    rows, digits = dock.rows, window.lecture.panel.precision
    before = predictions(window.session.network, window.session.dataset, "sse")
    assert shows(dock, before) and rows.rowCount() == 4
    assert rows._names == [
        "split", "row", "x1", "x2", "class", "target y", "output", "predicted", "loss term",
        "correct",
    ]  # fmt: skip
    out, term = column(dock, "output"), column(dock, "loss term")
    for r in range(4):
        assert rows.text(r, 0) == "train" and rows.text(r, 1) == str(r + 1)
        assert rows.text(r, out) == format_number(before.output[r, 0], digits)
        half_square = 0.5 * (before.y[r, 0] - before.output[r, 0]) ** 2
        assert rows.text(r, term) == format_number(half_square, digits)
    assert rows.text(0, out) == "0.6881"  # the script's first output, before training
    assert [rows.text(r, column(dock, "correct")) for r in range(4)] == ["✗", "✓", "✓", "✗"]
    assert "4 training rows: L = " in dock.summary.text() and "sum of ℓ" in dock.summary.text()
    window.lecture.panel.set_digits(9, decimals=True)  # the lecture's precision, as the lesson's
    assert rows.text(0, out) == format_number(before.output[0, 0], window.lecture.panel.precision)
    assert rows.text(0, out) == "0.688089253"
    window.lecture.panel.set_digits(4)
    window.worker.set_speed(None)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.latest.epoch == 10_000, timeout=60_000)
    qtbot.waitUntil(lambda: not window.worker.playing, timeout=TIMEOUT)
    after = expected(window)
    qtbot.waitUntil(lambda: shows(dock, after), timeout=TIMEOUT)
    assert [rows.text(r, column(dock, "correct")) for r in range(4)] == ["✓"] * 4
    assert float(rows.text(0, out)) < 0.1 and float(rows.text(1, out)) > 0.9
    total = dock.rows.pred.loss_term.sum()
    assert total == pytest.approx(window.latest.evaluation["train_loss"], rel=1e-12)


def test_clicking_a_title_sorts_and_the_selection_follows_its_row(lesson_window, qtbot):
    window, dock = open_table(lesson_window, qtbot, "playground_default")
    rows, table = dock.rows, dock.table
    assert rows.rowCount() == 500
    table.selectRow(7)
    chosen = rows.table_row(7)
    term = column(dock, "loss term")
    table.horizontalHeader().sectionClicked.emit(term)  # as a click on its title does
    table.sortByColumn(term, Qt.SortOrder.DescendingOrder)
    values = rows.pred.loss_term[rows.shown]
    assert np.all(np.diff(values) <= 0) and len(values) == 500
    assert dock.selected_rows() == [rows.view_row(chosen)]
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by row number: train, test mixed
    assert [rows.text(r, 1) for r in range(4)] == ["1", "1", "2", "2"]
    dock.filter_box.setCurrentIndex(2)  # test rows
    assert rows.rowCount() == len(window.session.dataset.x_test)
    assert {rows.text(r, 0) for r in range(rows.rowCount())} == {"test"}
    dock.filter_box.setCurrentIndex(3)  # wrong only
    assert not rows.pred.correct[rows.shown].any()
    assert rows.rowCount() == int((~rows.pred.correct).sum())


def test_an_edited_weight_shows_its_new_numbers(lesson_window, qtbot):
    window, dock = open_table(lesson_window, qtbot, "xor_script")
    window.network_view.weightEdited.emit(1, 0, 0, -3.0)  # as typing -3 on the edge does
    qtbot.waitUntil(lambda: window.latest.weights[1][0, 0] == -3.0, timeout=TIMEOUT)
    now = expected(window)
    qtbot.waitUntil(lambda: shows(dock, now), timeout=TIMEOUT)
    assert window.session.network.weights[1][0, 0] == -3.0


def test_new_data_starts_the_table_over(lesson_window, qtbot):
    window, dock = open_table(lesson_window, qtbot, "playground_default")
    old = dock.rows.pred.x.copy()
    window.model.set_setting("data.n", 200)
    qtbot.waitUntil(lambda: dock.rows.pred is not None and len(dock.rows.pred) == 200)
    qtbot.waitUntil(lambda: window.latest.run == window.worker.loads, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: shows(dock, expected(window)), timeout=TIMEOUT)
    assert not np.array_equal(dock.rows.pred.x[:5], old[:5])


def test_a_hidden_table_waits_and_catches_up_when_shown(lesson_window, qtbot):
    window, dock = open_table(lesson_window, qtbot, "xor_script")
    dock.hide()
    shown = dock.rows.pred
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    assert dock.rows.pred is shown and dock.evaluator.pending
    dock.show()
    qtbot.waitUntil(lambda: shows(dock, expected(window)), timeout=TIMEOUT)


def test_large_sets_are_evaluated_off_the_gui_thread(lesson_window, qtbot, monkeypatch):
    monkeypatch.setattr(evaluation, "SYNC_WORK", 0)
    window, dock = open_table(lesson_window, qtbot, "playground_default")
    assert shows(dock, expected(window))
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: shows(dock, expected(window)), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not dock.evaluator.background.busy, timeout=TIMEOUT)


def select(dock, view_row: int) -> None:
    flag = QItemSelectionModel.SelectionFlag
    flags = flag.ClearAndSelect | flag.Rows
    dock.table.selectionModel().setCurrentIndex(dock.rows.index(view_row, 0), flags)


def test_the_row_chosen_is_the_one_lecture_mode_traces(lesson_window, qtbot):
    window, dock = open_table(lesson_window, qtbot, "playground_default")
    lecture, pred = window.lecture, dock.rows.pred
    select(dock, dock.rows.view_row(pred.row_of(TRAIN, 6)))
    assert lecture.choice == TraceChoice(sample=6)
    assert "Training row 7 chosen" in window.statusBar().currentMessage()
    window.on_lecture_mode(True)
    qtbot.waitUntil(lambda: lecture.trace is not None, timeout=TIMEOUT)
    np.testing.assert_array_equal(lecture.trace.x, window.session.dataset.x_train[[6]])
    test_row = pred.row_of(TEST, 3)
    select(dock, dock.rows.view_row(test_row))
    point, target = window.session.dataset.points_test[3], window.session.dataset.y_test[3]
    assert lecture.choice.mode == "own" and lecture.choice.input == tuple(point)
    qtbot.waitUntil(lambda: lecture.trace.x[0, 0] == point[0], timeout=TIMEOUT)
    np.testing.assert_array_equal(lecture.trace.x, window.session.dataset.x_test[[3]])
    np.testing.assert_array_equal(lecture.trace.y, [target])
    lecture.choose_row(11)  # the other way: lecture mode's row is selected in the table
    assert dock.selected_rows() == [dock.rows.view_row(pred.row_of(TRAIN, 11))]
    lecture.chooser.show_choice(TraceChoice(input=tuple(point), target=tuple(target)))
    lecture.chooser.choiceMade.emit(TraceChoice(input=tuple(point), target=tuple(target)))
    assert dock.selected_rows() == [dock.rows.view_row(test_row)]


def test_csv_export_and_copy_hold_the_rows_listed(lesson_window, qtbot, tmp_path):
    window, dock = open_table(lesson_window, qtbot, "playground_default")
    dock.table.sortByColumn(column(dock, "loss term"), Qt.SortOrder.DescendingOrder)
    dock.filter_box.setCurrentIndex(1)  # training rows
    path = tmp_path / "rows"
    dock.ask_path = lambda suggestion: str(path)
    menu = dock.context_menu()
    assert [a.text() for a in menu.actions()] == ["&Copy rows", "&Export as CSV…"]
    menu.actions()[1].trigger()  # as the button does
    dock.writer.wait()
    written = (tmp_path / "rows.csv").read_text(encoding="utf-8")
    assert written == csv_text(dock.rows.pred, dock.rows.shown)
    table = list(csv.reader(io.StringIO(written)))
    assert len(table) == 1 + len(window.session.dataset.x_train)
    terms = [float(r[table[0].index("loss term")]) for r in table[1:]]
    assert terms == sorted(terms, reverse=True) and {r[0] for r in table[1:]} == {"train"}
    assert "Exported 250 rows" in window.statusBar().currentMessage()
    dock.table.selectRow(0)
    dock.table.setFocus()
    qtbot.keyClick(dock.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].split("\t") == table[0] and len(lines) == 2
    cells = lines[1].split("\t")
    assert cells[:2] == ["train", table[1][1]] and "−" not in lines[1]
    assert float(cells[-2]) == pytest.approx(terms[0], rel=1e-3)


def test_an_export_that_cannot_be_written_says_why(lesson_window, qtbot, tmp_path, monkeypatch):
    window, dock = open_table(lesson_window, qtbot, "xor_script")
    said = []
    monkeypatch.setattr(dock, "_write_failed", lambda path, exc: said.append(str(exc)))
    dock.ask_path = lambda suggestion: str(tmp_path / "missing" / "rows.csv")
    dock.export_csv()
    dock.writer.wait()
    assert said and "cannot save the file" in said[0]

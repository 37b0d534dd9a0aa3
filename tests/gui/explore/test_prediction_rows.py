"""The predictions table's parts on their own: the NumPy-backed model (100,000 rows sorted,
filtered and updated with the selection kept) and the throttled, off-thread evaluator."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QMainWindow, QTableView

from core.explore.predictions import TEST, TRAIN, predictions
from core.session.format import session_from_dict
from core.trace.notation import Precision, format_number
from gui.explore import evaluation
from gui.explore import predictions as dock_module
from gui.explore.evaluation import Background, Evaluator
from gui.explore.predictions import PredictionsDock
from gui.explore.rows import PredictionRows
from gui.lecture.trace_chooser import TraceChoice
from tests.clock import FakeClock


@pytest.fixture(scope="module")
def big():
    """A session of 100,000 points (half of them test rows) and its predictions."""
    session = session_from_dict(
        {
            "format": "backprop-lab/1",
            "network": {"layers": [2, 4, 2, 1], "activations": ["tanh", "tanh", "tanh"]},
            "data": {"builtin": "circle", "n": 100_000, "noise": 0.2},
        }
    )
    return session, predictions(session.network, session.dataset, session.loss)


def test_100000_rows_sort_filter_and_keep_the_selection_when_updated(qtbot, big):
    session, pred = big
    rows = PredictionRows()
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(rows)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    rows.set_predictions(pred)
    assert rows.rowCount() == 100_000 and rows.columnCount() == 10
    term = rows._names.index("loss term")
    rows.sort(term, Qt.SortOrder.DescendingOrder)
    shown = pred.loss_term[rows.shown]
    assert np.array_equal(shown, np.sort(pred.loss_term)[::-1])
    assert rows.text(0, term) == format_number(pred.loss_term.max(), Precision())
    table.selectRow(3)
    chosen = rows.table_row(3)
    changed = dataclasses.replace(pred, loss_term=pred.loss_term[::-1].copy())
    rows.set_predictions(changed)  # a new evaluation: same rows, new numbers, new order
    assert np.array_equal(changed.loss_term[rows.shown], np.sort(changed.loss_term)[::-1])
    selected = [i.row() for i in table.selectionModel().selectedRows()]
    assert [rows.table_row(r) for r in selected] == [chosen]
    rows.set_filter("test")
    assert rows.rowCount() == int((pred.split == TEST).sum())
    assert set(changed.split[rows.shown]) == {TEST}
    rows.set_filter("wrong")
    assert rows.rowCount() == int((~pred.correct).sum())
    learnt = dataclasses.replace(changed, correct=pred.correct | (pred.index % 2 == 0))
    rows.set_predictions(learnt)  # fewer wrong rows: the rows listed change
    assert rows.rowCount() == int((~learnt.correct).sum()) < int((~pred.correct).sum())
    assert not learnt.correct[rows.shown].any()
    rows.set_predictions(changed)
    rows.set_filter("all")
    rows.sort(0, Qt.SortOrder.AscendingOrder)  # by split, stable: training rows in order
    assert np.array_equal(rows.shown[: pred.n_train], np.arange(pred.n_train))


def test_cells_say_what_they_hold(big):
    _session, pred = big
    rows = PredictionRows()
    rows.set_predictions(pred)
    rows.set_precision(Precision(6))
    r = int(np.flatnonzero(pred.output[:, 0] < 0)[0])
    out = rows._names.index("output")
    assert rows.text(r, out).startswith("\u2212")  # a true minus on screen
    assert rows.text(r, out, "ascii").startswith("-")  # a hyphen for other programs
    tip = rows.data(rows.index(r, out), Qt.ItemDataRole.ToolTipRole)
    assert tip == repr(float(pred.output[r, 0]))
    meaning = rows.headerData(rows._names.index("loss term"), Qt.Orientation.Horizontal, 3)
    assert "mean of its rows" in meaning and "mse" in meaning
    assert rows.headerData(2, Qt.Orientation.Horizontal, 0) == "x₁"
    text = rows.rows_text([0, 1]).splitlines()
    assert text[0].split("\t") == rows._names and text[1].split("\t")[0] == "train"


def _small():
    return session_from_dict(
        {
            "format": "backprop-lab/1",
            "network": {"layers": [2, 3, 1], "activations": ["tanh", "tanh"]},
            "data": {"builtin": "xor", "n": 60},
        }
    )


def test_requests_are_throttled_and_only_the_newest_is_evaluated(qtbot):
    session, clock = _small(), FakeClock()
    evaluator = Evaluator(interval=0.25, clock=clock)
    got = []
    evaluator.ready.connect(got.append)
    net = session.network
    evaluator.request(net, session.dataset, session.loss)
    assert got == [] and evaluator.pending  # nothing while the table is not seen
    evaluator.set_enabled(True)
    assert len(got) == 1 and not evaluator.pending
    later = [net.copy() for _ in range(3)]
    for i, other in enumerate(later):
        other.weights[0][0, 0] = i + 1.0
        evaluator.request(other, session.dataset, session.loss)
    assert len(got) == 1 and evaluator.pending  # within a quarter of a second: waits
    clock.advance(0.25)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5_000)
    newest = predictions(later[-1], session.dataset, session.loss)
    assert np.array_equal(got[1].output, newest.output)
    qtbot.wait(300)
    assert len(got) == 2  # the two earlier requests were never evaluated


def test_off_thread_results_of_an_earlier_session_are_dropped(qtbot, monkeypatch):
    monkeypatch.setattr(evaluation, "SYNC_ROWS", 0)
    session = _small()
    evaluator = Evaluator(interval=0.0)
    got = []
    evaluator.ready.connect(got.append)
    evaluator.set_enabled(True)
    evaluator.request(session.network, session.dataset, session.loss)
    assert evaluator.background.busy and got == []
    evaluator.new_session()
    evaluator.background.wait()
    assert got == []
    evaluator.request(session.network, session.dataset, session.loss)
    evaluator.background.wait()
    assert len(got) == 1 and list(got[0].split[:2]) == [TRAIN, TRAIN]


def test_a_failing_job_is_reported_on_the_gui_thread(qtbot):
    background, failures = Background(), []
    background.run(lambda: 1 / 0, lambda _r: None, failures.append)
    background.wait()
    assert isinstance(failures[0], ZeroDivisionError) and not background.busy
    background.run(lambda: 1 / 0, lambda _r: None)
    with pytest.raises(ZeroDivisionError):
        background.wait()


class Lecture(QObject):
    """What the dock uses of lecture mode: its choice, its signal, its precision."""

    choiceChanged = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.panel = type("Panel", (QObject,), {"digitsChanged": Signal(int)})()
        self.panel.precision = Precision()
        self.chooser = type("Chooser", (QObject,), {"choiceMade": Signal(object)})()
        self.chooser.show_choice = lambda choice: None
        self.chooser.choiceMade.connect(lambda choice: setattr(self, "choice", choice))
        self.choice = TraceChoice()
        self.active = False

    def choose_row(self, row: int) -> None:
        self.choice = TraceChoice(sample=row)


class Status:
    def __init__(self) -> None:
        self.said: list[str] = []

    def say(self, text: str, milliseconds: int = 5000) -> None:
        self.said.append(text)


def test_a_large_selection_is_not_followed_through_every_reordering(qtbot, big, monkeypatch):
    session, pred = big
    window, status = QMainWindow(), Status()
    qtbot.addWidget(window)
    dock = PredictionsDock(window, Lecture(), status)
    dock.session = session
    dock.show_predictions(pred)
    dock.table.sortByColumn(dock.rows._names.index("loss term"), Qt.SortOrder.DescendingOrder)
    rows, selection = dock.rows, dock.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag
    few = QItemSelection(rows.index(10, 0), rows.index(109, 0))
    selection.select(few, flags.ClearAndSelect | flags.Rows)
    chosen = {rows.table_row(r) for r in dock.selected_rows()}
    changed = dataclasses.replace(pred, loss_term=pred.loss_term[::-1].copy())
    dock.show_predictions(changed)
    assert {rows.table_row(r) for r in dock.selected_rows()} == chosen  # 100 rows: followed
    monkeypatch.setattr(dock_module, "MANY_COPIED", 50)
    dock.copy_rows()
    assert "100 rows are too many to copy" in status.said[-1]
    many = QItemSelection(rows.index(0, 0), rows.index(2_500, 0))
    selection.select(many, flags.ClearAndSelect | flags.Rows)
    selection.setCurrentIndex(rows.index(5, 0), flags.NoUpdate)
    current = rows.table_row(5)
    dock.show_predictions(pred)
    assert [rows.table_row(r) for r in dock.selected_rows()] == [current]
    assert dock.lecture.choice.mode != "batch"  # choosing rows chose them for lecture mode

"""Draw mode on the output map (Data > Draw points, D): a click adds a point of the chosen
class, a drag sprays, a right click or Shift removes the nearest; each stroke is one undo
step; training goes on with the new rows and the same weights; the rows are saved inline."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMenuBar, QToolButton

from core.engine.trainer import trainer_for
from core.session.format import load_session, save_session, session_from_dict
from gui.output.drawing import SPACING_PX, Drawing
from gui.output.picker import ClassPicker, class_colours, class_count
from gui.restart import replayed
from tests import paths

TIMEOUT = 20_000
SHOTS = Path(os.environ["DRAW_SHOTS"]) if os.environ.get("DRAW_SHOTS") else None
SIZE = (1280, 720)


def drawing_on(window) -> Drawing:
    window.worker.pause()
    draw = window.explorer.drawing
    draw.action.trigger()
    assert draw.active and draw.picker.isVisible()
    QApplication.processEvents()  # the map's new room laid out
    return draw


def at(window, x: float, y: float) -> QPoint:
    """The viewport position of the data point (x, y)."""
    plot = window.output_view.plot
    scene = plot.getPlotItem().vb.mapViewToScene(QPointF(x, y))
    return plot.mapFromScene(scene)


def click(qtbot, window, x, y, button=Qt.MouseButton.LeftButton, shift=False) -> None:
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(window.output_view.plot.viewport(), button, modifier, at(window, x, y))


def train_rows(window) -> int:
    return len(window.session.dataset.x_train)


def test_d_is_draw_mode_and_discretize_moved_to_shift_d(lesson_window):
    window = lesson_window("playground_default", SIZE)
    draw = window.explorer.drawing
    assert draw.action.shortcut() == QKeySequence("D")
    assert window.view_actions["discretize"].shortcut() == QKeySequence("Shift+D")
    data_menu = [a for a in window.findChild(QMenuBar).actions() if "Data" in a.text()][0]
    assert draw.action in data_menu.menu().actions()
    keys = [a.shortcut().toString() for a in window.findChildren(type(draw.action))]
    assert keys.count("D") == 1 and keys.count("Shift+D") == 1
    draw.action.trigger()
    assert draw.picker.isVisible() and len(draw.picker.group.buttons()) == 2
    draw.picker.done.click()
    assert not draw.active and not draw.picker.isVisible()


def test_a_click_adds_a_point_of_the_chosen_class_on_a_training_only_table(lesson_window, qtbot):
    window = lesson_window("playground_default", SIZE)
    draw = drawing_on(window)
    before = train_rows(window)
    points = window.session.dataset.points_train.copy()
    draw.picker.group.button(0).click()  # class 1: tanh's low code, -1
    click(qtbot, window, 1.0, 2.0)
    data = window.session.data
    assert "inline" in data and data["test_ratio"] == 0.0  # the test rows are left out
    assert train_rows(window) == before + 1 and len(window.session.dataset.x_test) == 0
    assert np.array_equal(window.session.dataset.x_train[:-1], points)  # the rows as they were
    assert np.allclose(window.session.dataset.x_train[-1], [1.0, 2.0], atol=0.05)
    assert window.session.dataset.y_train[-1].tolist() == [-1.0]
    draw.picker.group.button(1).click()
    click(qtbot, window, -1.0, 2.0)
    assert window.session.dataset.y_train[-1].tolist() == [1.0]
    assert window.model.undo_stack.undoText() == "Draw 1 point"
    drawn = window.output_view.plot.train_points.getData()
    assert len(drawn[0]) == before + 2  # drawn at once


def test_a_drag_sprays_points_as_one_undo_step(lesson_window):
    window = lesson_window("playground_default", SIZE)
    draw = drawing_on(window)
    builtin = dict(window.session.data)
    before, count = train_rows(window), window.model.undo_stack.count()
    sx, _ = draw._pixel()
    draw.press(-4.0, 0.0)
    for x in np.linspace(-4.0, 4.0, 40)[1:]:
        draw.move(float(x), 0.0)
    draw.release()
    expected = 1 + int(8.0 / sx / SPACING_PX)  # the press, then one per SPACING_PX moved
    added = train_rows(window) - before
    assert abs(added - expected) <= 1 and added > 8
    assert window.model.undo_stack.count() == count + 1
    assert window.model.undo_stack.undoText() == f"Draw {added} points"
    new = window.session.dataset.x_train[before:]
    assert np.all(np.abs(new[:, 1]) < 0.5) and new[:, 0].min() < -3.5 < 3.0 < new[:, 0].max()
    window.model.undo_stack.undo()
    assert window.session.data == builtin and train_rows(window) == before
    window.model.undo_stack.redo()
    assert train_rows(window) == before + added
    assert np.array_equal(window.session.dataset.x_train[before:], new)


def test_the_spray_is_the_same_every_time(lesson_window):
    runs = []
    for _ in range(2):
        window = lesson_window("playground_default", SIZE)
        draw = drawing_on(window)
        draw.press(0.0, 0.0)
        draw.move(3.0, 3.0)
        draw.release()
        runs.append(window.session.dataset.x_train.copy())
        window.close()
    assert np.array_equal(*runs)


def test_right_click_and_shift_click_remove_the_nearest_point(lesson_window, qtbot):
    window = lesson_window("playground_default", SIZE)
    drawing_on(window)
    points = window.session.dataset.points_train
    before = len(points)
    target = points[17]
    click(qtbot, window, target[0] + 0.05, target[1], Qt.MouseButton.RightButton)
    assert train_rows(window) == before - 1
    assert not np.any(np.all(window.session.dataset.x_train == target, axis=1))
    assert window.model.undo_stack.undoText() == "Remove 1 point"
    other = window.session.dataset.x_train[3].copy()
    click(qtbot, window, *other, shift=True)
    assert train_rows(window) == before - 2
    click(qtbot, window, 5.9, 5.9, Qt.MouseButton.RightButton)  # nothing near: nothing goes
    assert train_rows(window) == before - 2
    window.model.undo_stack.undo()
    assert train_rows(window) == before - 1


def test_classes_of_a_softmax_output_are_one_hot(lesson_window, qtbot):
    window = lesson_window("softmax_blobs", SIZE)
    draw = drawing_on(window)
    assert len(draw.picker.group.buttons()) == 3
    draw.picker.group.button(2).click()
    click(qtbot, window, 0.5, -0.5)
    assert window.session.dataset.y_train[-1].tolist() == [0.0, 0.0, 1.0]
    assert window.session.dataset.kind == "classification"
    assert window.session.dataset.target_names == ("class 1", "class 2", "class 3")


def test_data_that_cannot_be_drawn_on_says_why(lesson_window):
    window = lesson_window("spiral", SIZE)
    said = []
    window.explorer.drawing.say = said.append
    window.explorer.drawing.action.trigger()
    assert not window.explorer.drawing.active
    assert "x1 and x2 only" in said[-1]


def test_a_click_on_1d_regression_sets_a_point_x_y(lesson_window, qtbot):
    window = lesson_window("sine_regression", SIZE)
    draw = drawing_on(window)
    assert window.output_view.mode == "curve" and not draw.picker.group.buttons()
    before = train_rows(window)
    click(qtbot, window, 2.0, 0.75)
    assert train_rows(window) == before + 1
    assert np.allclose(window.session.dataset.x_train[-1], [2.0], atol=0.05)
    assert np.allclose(window.session.dataset.y_train[-1], [0.75], atol=0.05)


def test_training_goes_on_with_the_same_weights_on_the_new_rows(lesson_window, qtbot):
    window = lesson_window("playground_default", SIZE)
    window.worker.set_stop(6, None)
    window.worker.play()
    qtbot.waitUntil(lambda: window.latest.epoch == 6 and not window.worker.playing, timeout=TIMEOUT)
    weights = [w.copy() for w in window.latest.weights]
    loads, curves = window.worker.loads, window.plots.epochs
    draw = drawing_on(window)
    draw.press(-3.0, -3.0)
    draw.move(3.0, 3.0)
    draw.release()
    qtbot.waitUntil(lambda: window.latest.steps > 0 and window.latest.epoch == 6, timeout=TIMEOUT)
    assert window.worker.loads == loads  # no restart
    assert all(np.array_equal(a, b) for a, b in zip(window.latest.weights, weights))
    states = []
    window.worker.stateReady.connect(states.append)
    window.worker.request_state()
    qtbot.waitUntil(lambda: bool(states), timeout=TIMEOUT)
    assert states[0]["data"] == window.session.data  # the process trains on the drawn rows
    window.worker.set_stop(7, None)
    window.worker.play()
    qtbot.waitUntil(lambda: window.latest.epoch == 7 and not window.worker.playing, timeout=TIMEOUT)
    assert window.plots.epochs == curves + 1  # the curves went on, not started again


def test_the_drawn_rows_are_saved_inline_and_load_again(lesson_window, tmp_path):
    window = lesson_window("playground_default", SIZE)
    draw = drawing_on(window)
    draw.press(1.0, 1.0)
    draw.move(2.0, 1.5)
    draw.release()
    path = tmp_path / "drawn.json"
    save_session(window.session, path)
    again = load_session(path)
    assert again.data == window.session.data and "inline" in again.data
    assert np.array_equal(again.dataset.x_train, window.session.dataset.x_train)
    assert np.array_equal(again.dataset.y_train, window.session.dataset.y_train)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_a_two_moons_set_drawn_and_trained(lesson_window, qtbot, size, tmp_path):
    window = lesson_window("playground_default", size)
    draw = drawing_on(window)
    draw.picker.clear.click()  # the first stroke replaces the circle
    two_moons(draw)
    qtbot.wait(50)
    assert window.model.undo_stack.undoText().startswith("Draw")
    stack = window.model.undo_stack
    assert stack.text(stack.count() - 6).startswith("Clear and draw")
    ds = window.session.dataset
    assert 60 < len(ds.x_train) < 600 and set(ds.y_train[:, 0]) == {-1.0, 1.0}
    window.worker.set_stop(window.latest.epoch + 150, None)
    window.worker.play()
    qtbot.waitUntil(lambda: not window.worker.playing, timeout=60_000)
    session = window.session  # its weights follow the snapshots
    trained = trainer_for(dataclasses.replace(session, network=session.network.copy()))
    assert trained.history.last("train_accuracy") > 0.9
    if SHOTS:
        window.grab().save(str(SHOTS / f"draw_{size[0]}x{size[1]}.png"))


def two_moons(draw: Drawing) -> None:
    """Two interleaved half circles, each drawn as three strokes (a lecturer's scribble)."""
    t = np.linspace(0.0, np.pi, 30)
    for chosen, (cx, cy, sign) in enumerate([(-1.2, -0.8, 1), (1.2, 0.8, -1)]):
        draw.choose(chosen)
        for radius in (2.6, 3.0, 3.4):
            xs, ys = cx + radius * np.cos(t), cy + sign * radius * np.sin(t)
            draw.press(float(xs[0]), float(ys[0]))
            for px, py in zip(xs[1:], ys[1:]):
                draw.move(float(px), float(py))
            draw.release()


def test_the_drawn_rows_survive_a_restart_of_the_training_process(lesson_window, qtbot):
    window = lesson_window("playground_default", SIZE)
    draw = drawing_on(window)
    for x in (-2.0, 2.0):  # two strokes: a restarted process is told the last rows only
        draw.press(x, 1.0)
        draw.move(x + 1.5, 2.0)
        draw.release()
    replay = [m for m in window.worker._replay if m[0] == "data"]
    assert len(replay) == 1 and replay[0][1] == window.session.data
    errors = []
    window.worker.errorOccurred.connect(errors.append)
    os.kill(window.worker.process.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: bool(errors), timeout=TIMEOUT)
    states = []
    window.worker.stateReady.connect(states.append)
    window.worker.request_state()  # starts a new process: the load, then the drawn rows
    qtbot.waitUntil(lambda: bool(states), timeout=TIMEOUT)
    assert states[0]["data"] == window.session.data


def test_replayed_keeps_only_the_newest_rows() -> None:
    replay = replayed([("lr", 0.1)], ("data", {"inline": 1}))
    replay = replayed(replay, ("speed", None))
    replay = replayed(replay, ("data", {"inline": 2}))
    assert replay == [("lr", 0.1), ("speed", None), ("data", {"inline": 2})]


def test_the_picker_offers_one_class_per_output_neuron_up_to_ten(qtbot) -> None:
    d = json.loads((paths.LESSONS / "softmax_blobs.json").read_text())
    one_hot = np.eye(10).tolist()  # ten classes: a table (blobs has at most eight)
    d["data"] = {"inline": {"inputs": [[k, -k] for k in range(10)], "targets": one_hot}}
    d.pop("features", None)
    d["network"]["layers"][-1] = 10
    d["network"].pop("weights", None), d["network"].pop("biases", None)
    session = session_from_dict(d)
    assert class_count(session) == 10
    colours = [c.getRgb()[:3] for c in class_colours(session, "standard")]
    assert len(set(colours)) == 10  # no class shares a colour
    picker = ClassPicker()
    qtbot.addWidget(picker)
    picker.set_classes(class_colours(session, "standard"), [f"c{k}" for k in range(10)], 9)
    assert len(picker.group.buttons()) == 10 and picker.group.checkedId() == 9


def test_during_a_stroke_the_process_gets_the_rows_at_most_ten_times_a_second(lesson_window):
    window = lesson_window("playground_default", SIZE)
    draw = drawing_on(window)
    now = [0.0]
    draw.clock = lambda: now[0]
    sent = []
    send = window.worker.set_data
    window.worker.set_data = lambda data: (sent.append(len(data["inline"]["inputs"])), send(data))
    draw.press(-5.0, -5.0)
    for k in range(1, 101):  # 100 moves in one second
        now[0] = k / 100
        draw.move(-5.0 + k / 10, -5.0 + k / 10)
    during = len(sent)
    assert 9 <= during <= 10 and sent == sorted(sent)  # every 0.1 s (give or take rounding)
    draw.release()
    assert len(sent) == during + 1 and sent[-1] == train_rows(window)  # and once more at the end


def test_a_drag_with_the_mouse_sprays_and_a_new_session_updates_the_picker(lesson_window, qtbot):
    window = lesson_window("playground_default", SIZE)
    drawing_on(window)
    viewport = window.output_view.plot.viewport()
    before = train_rows(window)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at(window, -4.0, 0.0))
    for x in np.linspace(-4.0, 4.0, 30)[1:]:
        qtbot.mouseMove(viewport, at(window, float(x), 0.0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at(window, 4.0, 0.0))
    assert train_rows(window) - before > 8
    assert window.model.undo_stack.undoText() == f"Draw {train_rows(window) - before} points"
    window.model.replace(load_session(paths.LESSONS / "softmax_blobs.json"))
    assert len(window.explorer.drawing.picker.group.buttons()) == 3
    said = []
    window.explorer.drawing.say = said.append
    window.model.replace(load_session(paths.LESSONS / "spiral.json"))
    assert not window.explorer.drawing.active and "x1 and x2 only" in said[-1]


def test_the_toolbar_toggles_draw_mode_and_the_training_menu_does_not_list_it(lesson_window):
    window = lesson_window("playground_default")
    action = window.explorer.drawing.action
    buttons = [w for w in window.controls.findChildren(QToolButton) if w.defaultAction() is action]
    assert len(buttons) == 1 and buttons[0].isVisible()
    buttons[0].click()
    assert action.isChecked()
    buttons[0].click()
    assert not action.isChecked()
    training = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Training")
    assert action not in training.actions()

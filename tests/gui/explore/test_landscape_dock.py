"""View > Loss landscape: what the dock asks the training process for, and when; what it
draws from the answers; the diagram's clicks; Shift+L; the exports; the real window."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from core.engine.trainer import trainer_for
from core.explore.jobs import LandscapeJob, LandscapeRequest
from core.session.format import load_session
from core.snapshot import take_snapshot
from gui.explore import landscape as dock_module
from gui.explore.cues import profile_under_cursor
from gui.explore.landscape import LandscapeDock, parameter_name
from tests import paths
from tests.clock import FakeClock

TIMEOUT = 20_000


class FakeWorker(QObject):
    """The worker's landscape end: records requests; the test answers them."""

    landscapeReady = Signal(object)
    landscapeProgress = Signal(int, float)
    landscapeFailed = Signal(int, str)

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[LandscapeRequest | None] = []

    def request_landscape(self, request) -> None:
        self.requests.append(request)


class Run:
    """A session, its trainer and a dock fed by a fake worker, on a fake clock."""

    def __init__(self, qtbot, lesson: str = "playground_default") -> None:
        self.session = load_session(paths.LESSONS / f"{lesson}.json")
        self.trainer = trainer_for(self.session)
        self.clock, self.worker = FakeClock(), FakeWorker()
        self.window = QMainWindow()
        qtbot.addWidget(self.window)
        self.dock = LandscapeDock(self.window, self.worker, clock=self.clock)
        self.window.addDockWidget(dock_module.Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.set_session(self.session)

    def snapshot(self, epochs: int = 1):
        self.trainer.run(epochs=epochs)
        return take_snapshot(self.trainer, evaluate=True)

    def answer(self, request: LandscapeRequest | None = None):
        """Compute the last request (or ``request``) as the training process would."""
        request = request or self.worker.requests[-1]
        t = self.trainer
        job = LandscapeJob(request, t.network, t.x_train, t.y_train, self.session.loss)
        result = dataclasses.replace(job.run(), epoch=t.epoch, steps=t.steps)
        self.worker.landscapeReady.emit(result)
        return result


@pytest.fixture
def run(qtbot) -> Run:
    r = Run(qtbot)
    r.window.resize(900, 700)
    r.window.show()
    qtbot.waitExposed(r.window)
    return r


def test_a_hidden_dock_asks_for_nothing(qtbot):
    r = Run(qtbot)
    r.dock.hide()
    r.dock.take(r.snapshot())
    assert r.worker.requests == []
    assert r.dock.toggleViewAction().text() == "Loss &landscape"


def test_it_asks_at_most_once_a_second_and_never_over_a_request_under_way(run):
    run.dock.take(run.snapshot())
    assert len(run.worker.requests) == 1
    run.dock.take(run.snapshot())  # one under way: no second request
    assert len(run.worker.requests) == 1
    run.answer()
    assert len(run.worker.requests) == 1 and run.dock.timer.isActive()  # due a second later
    run.clock.advance(0.5)
    run.dock.take(run.snapshot())
    assert len(run.worker.requests) == 1
    run.clock.advance(0.5)
    run.dock.refresh()  # what the timer does
    assert len(run.worker.requests) == 2
    run.answer()
    run.clock.advance(5)
    run.dock.refresh()  # nothing new since: nothing asked
    assert len(run.worker.requests) == 2


def test_the_drawing_is_the_result_with_the_current_point_at_the_centre(run):
    snap = run.snapshot(3)
    run.dock.take(snap)
    result = run.answer()
    surface = run.dock.surface
    np.testing.assert_array_equal(surface.image.image, result.losses)
    assert abs(result.losses[30, 30] - snap.evaluation["train_loss"]) <= 1e-12
    x, y = surface.point.getData()
    assert (x[0], y[0]) == pytest.approx(result.values)  # the centre: the parameters' values
    names = [parameter_name(p, None) for p in result.params]
    item = surface.getPlotItem()
    assert item.getAxis("bottom").labelText == names[0]
    assert item.getAxis("left").labelText == names[1]
    assert len(surface.contours) == 10
    tip = np.array(surface.shaft.getData())[:, 1] - [x[0], y[0]]
    cosine = tip @ result.arrow / np.linalg.norm(tip) / np.linalg.norm(result.arrow)
    assert cosine == pytest.approx(1.0)  # the arrow points along -dL/dtheta in the plane


def test_the_trajectory_is_the_snapshots_projected(run):
    snaps = []
    for _ in range(4):
        run.clock.advance(0.1)
        snaps.append(run.snapshot())
        run.dock.take(snaps[-1])
    result = run.answer()
    xs, ys = run.dock.surface.trajectory.getData()
    assert len(xs) == 4
    l1, i1, j1 = result.params[0]
    want = [(s.biases[l1][i1] if j1 < 0 else s.weights[l1][i1, j1]) for s in snaps]
    np.testing.assert_allclose(xs, want, atol=1e-12)
    for _ in range(2):  # later snapshots are projected onto the same plane as they come
        run.clock.advance(0.1)
        snaps.append(run.snapshot())
        run.dock.take(snaps[-1])
    xs, ys = run.dock.surface.trajectory.getData()
    want = [(s.biases[l1][i1] if j1 < 0 else s.weights[l1][i1, j1]) for s in snaps]
    np.testing.assert_allclose(xs, want, atol=1e-12)
    assert run.dock.surface.point.getData()[0][0] == pytest.approx(want[-1], abs=1e-12)


def test_two_clicked_parameters_make_the_plane_and_a_newer_request_wins(run):
    run.dock.take(run.snapshot())
    first = run.worker.requests[-1]
    run.dock.choose_parameter(0, 1, 0)
    assert len(run.worker.requests) == 1  # one click: wait for the second
    assert "w₂₁¹ chosen" in run.dock.choice.text()
    run.dock.choose_parameter(1, 0, -1)
    second = run.worker.requests[-1]
    assert second.params == ((0, 1, 0), (1, 0, -1)) and second.ident > first.ident
    run.answer(first)  # the older answer arrives late: dropped
    assert run.dock.result is None
    result = run.answer()
    assert run.dock.result is result
    assert run.dock.surface.getPlotItem().getAxis("left").labelText == "b₁²"


def test_random_directions_and_the_profile(run):
    run.dock.take(run.snapshot())
    run.dock.mode.setCurrentIndex(1)
    run.dock.seed.setValue(4)
    request = run.worker.requests[-1]
    assert (request.mode, request.seed) == ("random", 4)
    run.answer()
    assert "seed 4" in run.dock.surface.getPlotItem().getAxis("bottom").labelText
    run.dock.show_profile((0, 0, 1))
    request = run.worker.requests[-1]
    assert (request.mode, request.params) == ("profile", ((0, 0, 1),))
    result = run.answer()
    assert run.dock.stack.currentWidget() is run.dock.profile
    xs, ys = run.dock.profile.tangent.getData()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(result.slope)


def test_progress_cancel_and_failure(run):
    run.dock.take(run.snapshot())
    ident = run.worker.requests[-1].ident
    run.worker.landscapeProgress.emit(ident, 0.5)
    assert run.dock.progress.isVisible() and run.dock.progress.value() == 50
    run.dock.cancel.click()
    assert run.worker.requests[-1] is None and not run.dock.progress.isVisible()
    run.clock.advance(5)
    run.dock.take(run.snapshot())
    assert run.worker.requests[-1] is None  # cancelled: no refresh until asked
    run.dock.again.click()
    ident = run.worker.requests[-1].ident
    run.worker.landscapeFailed.emit(ident, "<b>no</b> such parameter")
    assert run.dock.message.text().startswith("The loss landscape cannot be drawn: <b>no</b>")
    assert run.dock.message.textFormat() == dock_module.Qt.TextFormat.PlainText


def test_export_png_and_svg(run, tmp_path):
    run.dock.take(run.snapshot())
    run.answer()
    for kind in ("png", "svg"):
        run.dock.ask_path = lambda kind, k=kind: str(tmp_path / f"landscape.{k}")
        written = run.dock.export(kind)
        assert written is not None and written.stat().st_size > 1000
    assert (tmp_path / "landscape.svg").read_text().lstrip().startswith("<?xml")
    run.dock.ask_path = lambda kind: str(tmp_path / "missing" / "x.svg")
    assert run.dock.export("svg") is None and "Could not write" in run.dock.message.text()


def test_names_in_the_apps_notation_and_the_lessons_labels():
    labels = load_session(paths.LESSONS / "mazur.json").fitting_labels()
    assert parameter_name((1, 0, 0), labels) == "w5"
    assert parameter_name((1, 0, 1), labels) == "w6"
    assert parameter_name((0, 1, 0), None) == "w₂₁¹"
    assert parameter_name((1, 0, -1), None) == "b₁²"


def test_shift_l_over_an_edge_shows_its_profile(run, monkeypatch):
    hits = {"edge": SimpleNamespace(kind="edge", key=(0, 2, 1)), "none": None}
    for where, hit in hits.items():
        view = SimpleNamespace(
            text=object(),
            hit_at=lambda pos, h=hit: h,
            viewport=lambda: SimpleNamespace(mapFromGlobal=lambda p: p),
        )
        said = profile_under_cursor(view, run.dock)
        if where == "edge":
            assert said == "" and run.dock.current_mode == "profile"
            assert run.dock.clicked[-1] == (0, 2, 1)
        else:
            assert "Hover an edge or a bias" in said


def test_the_window_opens_the_dock_from_the_view_menu(lesson_window, qtbot):
    window = lesson_window("playground_default", (1280, 720))
    action = window.explorer.landscape.toggleViewAction()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert action in view_menu.actions() and not window.explorer.landscape.isVisible()
    shift_l = window.explorer.profile_action
    assert shift_l in view_menu.actions() and shift_l.shortcut().toString() == "Shift+L"
    action.trigger()
    dock = window.explorer.landscape
    qtbot.waitUntil(lambda: dock.result is not None, timeout=TIMEOUT)
    centre = dock.result.losses[30, 30]
    assert abs(centre - window.latest.evaluation["train_loss"]) <= 1e-12
    for mode in (1, 2, 0):  # the dock fits beside the rest at 720p, whatever it shows
        dock.mode.setCurrentIndex(mode)
        qtbot.wait(20)
        assert window.width() == 1280
    window.network_view.parameterClicked.emit(0, 0, 0)
    window.network_view.parameterClicked.emit(0, 1, 1)
    qtbot.waitUntil(lambda: dock.result.params == ((0, 0, 0), (0, 1, 1)), timeout=TIMEOUT)


def test_mazurs_update_is_a_step_on_the_plane_of_w5_and_w6(lesson_window, qtbot):
    window = lesson_window("mazur", (1280, 720))
    dock = window.explorer.landscape
    dock.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: dock.result is not None, timeout=TIMEOUT)
    window.lecture.enter()
    qtbot.waitUntil(lambda: window.lecture.trace is not None, timeout=TIMEOUT)
    plan = window.lecture.controller.plan
    window.lecture.controller.go_to(
        next(k for k, f in enumerate(plan.frames) if f.phase == "update")
    )
    qtbot.waitUntil(lambda: dock.result.params == ((1, 0, 0), (1, 0, 1)), timeout=TIMEOUT)
    trace = window.lecture.trace
    xs, ys = dock.surface.step.getData()
    assert list(xs) == [trace.weights_before[1][0, 0], trace.weights_after[1][0, 0]]
    assert list(ys) == [trace.weights_before[1][0, 1], trace.weights_after[1][0, 1]]
    assert dock.result.values == (xs[0], ys[0])  # the plane is through the weights before it
    assert "w5" in dock.surface.getPlotItem().getAxis("bottom").labelText
    window.lecture.controller.go_to(0)
    xs, _ = dock.surface.step.getData()
    assert xs is None or len(xs) == 0

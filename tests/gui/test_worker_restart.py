"""The training worker starts a new process after its process dies, from the last state."""

from __future__ import annotations

import os
import signal

import numpy as np
import pytest

from core.session.format import load_session
from gui.restart import Offset, shifted, stop_epochs
from gui.worker import GONE, TrainingWorker
from tests import paths
from tests.gui.recording import Recorder

START = 15_000  # ms: the process imports NumPy and the core first
PLAYGROUND = paths.LESSONS / "playground_default.json"


@pytest.fixture
def worker(qtbot):
    w = TrainingWorker()
    w.start()
    recorder = Recorder(w)
    with qtbot.waitSignal(w.snapshotReady, timeout=START):
        w.load(load_session(PLAYGROUND))
    w.recorder = recorder
    yield w
    w.shutdown()
    assert not w.process.is_alive()


def kill(qtbot, worker: TrainingWorker) -> None:
    """SIGKILL the training process and wait until the worker has noticed."""
    errors = len(worker.recorder.errors)
    os.kill(worker.process.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: worker.recorder.errors[errors:] == [GONE], timeout=START)
    assert not worker.is_running() and not worker.playing


def test_play_after_a_kill_goes_on_from_the_last_weights_three_times(qtbot, worker):
    worker.set_stop(None, None)
    for round_ in range(3):
        worker.play()
        qtbot.waitUntil(lambda r=round_: worker.latest.epoch >= 3 * (r + 1), timeout=START)
        kill(qtbot, worker)
        last, pid = worker.latest, worker.process.pid
        seen = len(worker.recorder.snapshots)
        with qtbot.waitSignal(worker.restarted, timeout=START):
            worker.play()  # no RuntimeError: a new process takes over
        assert worker.process.pid != pid and worker.playing
        qtbot.waitUntil(lambda last=last: worker.latest.epoch >= last.epoch + 2, timeout=START)
        first = worker.recorder.snapshots[seen]
        assert first.history_start == last.epoch  # its loss row replaces the last one shown
        assert all(s.steps >= last.steps for s in worker.recorder.snapshots[seen:])
        assert str(last.epoch) in worker.recorder.notes[-1]
    assert len(worker.recorder.notes) == 3


def test_the_new_process_holds_the_last_snapshots_weights(qtbot, worker):
    worker.set_lr(0.07)
    worker.step_epoch()
    qtbot.waitUntil(lambda: worker.latest.epoch == 1, timeout=START)
    worker.set_weight(1, 0, 3, 2.5)
    qtbot.waitUntil(lambda: worker.latest.weights[1][0, 3] == 2.5, timeout=START)
    last = worker.latest
    kill(qtbot, worker)
    with qtbot.waitSignal(worker.stateReady, timeout=START):
        worker.request_state()
    state = worker.recorder.states[-1]
    for mine, theirs in zip(last.weights, state["network"]["weights"]):
        np.testing.assert_array_equal(mine, np.array(theirs))
    for mine, theirs in zip(last.biases, state["network"]["biases"]):
        np.testing.assert_array_equal(mine, np.array(theirs))
    assert state["training"]["learning_rate"] == 0.07  # the live setting came along
    worker.step()
    qtbot.waitUntil(lambda: worker.latest.steps == last.steps + 1, timeout=START)
    assert worker.latest.epoch == 1


def test_the_epoch_limit_counts_the_epochs_before_the_restart(qtbot, worker):
    worker.set_stop(3, None)
    with qtbot.waitSignal(worker.playingChanged, timeout=START, check_params_cb=lambda p: not p):
        worker.play()
    assert worker.latest.epoch == 3 and worker.latest.status == "max_epochs"
    kill(qtbot, worker)
    worker.play()  # the limit is reached already: it stops at once, still at epoch 3
    qtbot.waitUntil(lambda: not worker.playing, timeout=START)
    qtbot.waitUntil(lambda: worker.latest.status == "max_epochs", timeout=START)
    assert worker.latest.epoch == 3


def test_a_load_after_a_kill_starts_the_new_session_quietly(qtbot, worker):
    kill(qtbot, worker)
    with qtbot.waitSignal(worker.snapshotReady, timeout=START):
        worker.load(load_session(paths.LESSONS / "mazur.json"))
    assert worker.latest.layers == (2, 2, 2) and worker.latest.epoch == 0
    assert worker.recorder.notes == [] and worker.is_running()


def test_commands_after_shutdown_still_refuse(qtbot, worker):
    kill(qtbot, worker)
    worker.shutdown()
    with pytest.raises(RuntimeError, match="not running"):
        worker.play()


def test_shifted_snapshots_and_stop_limits() -> None:
    assert stop_epochs(None, Offset(5, 50)) is None
    assert stop_epochs(30, Offset(12, 100)) == 18
    assert stop_epochs(10, Offset(12, 100)) == 0

    class Fake:  # only the fields shifted() reads and replaces
        pass

    assert shifted(Fake, Offset()) is Fake  # nothing to shift: the same snapshot


def test_the_window_plays_steps_resets_and_opens_after_kills(qtbot, lesson_window):
    window = lesson_window("playground_default")
    window.worker.recorder = Recorder(window.worker)
    notes = window.worker.recorder.notes
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == 1, timeout=START)

    kill(qtbot, window.worker)
    window.controls.step_action.trigger()  # Step: the run goes on from step 1
    qtbot.waitUntil(lambda: window.latest.steps == 2, timeout=START)
    assert len(notes) == 1 and window.worker.is_running()

    kill(qtbot, window.worker)
    window.controls.play_action.trigger()  # Play
    qtbot.waitUntil(lambda: window.latest.epoch >= 2, timeout=START)
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: not window.worker.playing, timeout=START)
    assert len(notes) == 2

    kill(qtbot, window.worker)
    window.controls.reset_action.trigger()  # Reset: a fresh run of the same session
    qtbot.waitUntil(lambda: window.latest.steps == 0, timeout=START)

    kill(qtbot, window.worker)
    window.files.open_path(paths.LESSONS / "mazur.json", wait=True)  # File > Open
    qtbot.waitUntil(lambda: tuple(window.latest.layers) == (2, 2, 2), timeout=START)
    assert window.worker.is_running()

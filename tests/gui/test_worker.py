"""The training worker: a real training process, driven from the GUI thread."""

from __future__ import annotations

import copy
import dataclasses
import multiprocessing
import time

import numpy as np
import pytest

from core.data.planes import Maps
from core.engine.trainer import trainer_for
from core.session.format import load_session, session_from_dict, session_to_dict
from core.snapshot import history_rows, merged, take_snapshot
from gui.worker import GONE, PipeReader, TrainingWorker
from tests import paths
from tests.gui.recording import Recorder

LESSONS = paths.LESSONS
TIMEOUT = 20_000  # ms: the process imports NumPy and the core first, on a loaded machine too
PLAYGROUND = LESSONS / "playground_default.json"


def loaded(qtbot, worker: TrainingWorker, session=None) -> Recorder:
    recorder = Recorder(worker)
    with qtbot.waitSignal(worker.snapshotReady, timeout=TIMEOUT):
        worker.load(session or load_session(PLAYGROUND))
    return recorder


def test_play_trains_and_pause_stops(qtbot, worker):
    recorder = loaded(qtbot, worker)
    assert worker.latest.status == "ready" and worker.latest.steps == 0
    worker.set_stop(None, None)
    worker.play()
    assert worker.playing and recorder.playing == [True]  # at once, before any reply
    qtbot.waitUntil(lambda: worker.latest.epoch >= 5, timeout=TIMEOUT)
    assert worker.latest.status == "running"
    worker.pause()
    assert not worker.playing and recorder.playing == [True, False]
    qtbot.waitUntil(lambda: worker.latest.status == "paused", timeout=TIMEOUT)
    paused = worker.latest
    state = recorder.nothing_more(qtbot)
    assert worker.latest is paused  # no snapshot since: nothing moves
    assert state["network"]["weights"] == [w.tolist() for w in paused.weights]
    assert len(recorder.losses()) == worker.latest.epoch + 1  # every row once


def test_step_and_epoch(qtbot, worker):
    loaded(qtbot, worker)
    worker.step()
    qtbot.waitUntil(lambda: worker.latest.steps == 1, timeout=TIMEOUT)
    worker.step_epoch()
    qtbot.waitUntil(lambda: worker.latest.epoch == 1, timeout=TIMEOUT)
    assert worker.latest.steps == 25  # 250 training points in batches of 10
    assert worker.latest.status == "paused"


def test_reset_replays_the_same_trajectory(qtbot, worker):
    session = load_session(PLAYGROUND)
    runs = []
    for _ in range(2):
        recorder = loaded(qtbot, worker, session)
        worker.set_stop(30, None)
        with qtbot.waitSignal(
            worker.playingChanged, timeout=TIMEOUT, check_params_cb=lambda p: not p
        ):
            worker.play()
        assert worker.latest.status == "max_epochs" and worker.latest.epoch == 30
        runs.append((worker.latest, recorder.losses()))
    (first, first_losses), (second, second_losses) = runs
    assert len(first_losses) == 31
    np.testing.assert_array_equal(first_losses, second_losses)
    for a, b in zip(first.weights + first.biases, second.weights + second.biases):
        np.testing.assert_array_equal(a, b)


def made_up_snapshots(count: int) -> list:
    """Snapshots of a trainer in this process, one per epoch, each with the rows since the
    last (as the process sends them)."""
    trainer = trainer_for(load_session(PLAYGROUND))
    snapshots = [take_snapshot(trainer)]
    for _ in range(count - 1):
        sent = trainer.history.rows
        trainer.run_epoch()
        snapshots.append(take_snapshot(trainer, sent))
    return snapshots


def test_what_arrived_since_the_last_tick_is_emitted_once_merged(qtbot):
    worker = TrainingWorker()  # never started: the test fills its inbox and ticks by hand
    recorder = Recorder(worker)
    made_up = made_up_snapshots(12)
    worker._inbox = [("snapshot", s) for s in made_up[:5]]
    worker._on_tick()
    worker._on_tick()  # nothing new: nothing emitted
    worker._inbox = [("snapshot", s) for s in made_up[5:]]
    worker._on_tick()
    first, second = recorder.snapshots  # however many arrived, one per tick
    assert (first.history_start, history_rows(first), first.steps) == (0, 5, made_up[4].steps)
    assert (second.history_start, history_rows(second)) == (5, 7)
    assert second.steps == made_up[-1].steps and worker.latest is second
    np.testing.assert_array_equal(second.weights[0], made_up[-1].weights[0])
    rows = np.concatenate([s.history["train_loss"] for s in made_up])
    np.testing.assert_array_equal(recorder.losses(), rows)  # every row once, in order
    assert not second.history["train_loss"].flags.writeable
    again = made_up_snapshots(2)  # a new run: its history starts again, so it stays apart
    worker._inbox = [("snapshot", made_up[0]), ("snapshot", again[0]), ("snapshot", again[1])]
    worker._on_tick()
    assert [(s.history_start, history_rows(s)) for s in recorder.snapshots[2:]] == [(0, 1), (0, 2)]


def test_a_merged_snapshot_carries_the_newest_maps_either_had(qtbot):
    first, second, third = made_up_snapshots(3)
    old, new = Maps((np.zeros((2, 2, 2), np.uint8),), None), Maps((), None)
    first = dataclasses.replace(first, maps=old)
    assert merged(first, second).maps is old  # none came with the later one
    assert merged(merged(first, second), dataclasses.replace(third, maps=new)).maps is new


def test_snapshots_are_coalesced(qtbot, worker):
    recorder = loaded(qtbot, worker)
    worker.set_stop(None, None)
    worker.play()
    qtbot.waitUntil(lambda: worker.latest.epoch > 0, timeout=TIMEOUT)
    start, epoch = len(recorder.snapshots), worker.latest.epoch
    began = time.perf_counter()
    qtbot.waitUntil(lambda: worker.latest.epoch >= epoch + 500, timeout=TIMEOUT)
    elapsed = time.perf_counter() - began
    emitted = len(recorder.snapshots) - start
    # The process sends at most 60 a second and a tick merges what it finds (plus one for
    # what was already on its way): a bound that only loosens on a slow machine.
    assert 1 <= emitted <= 60 * elapsed + 2
    assert all(s.steps > 0 for s in recorder.snapshots[1:])
    recorder.losses()  # the rows still join up


def test_a_busy_gui_gets_one_merged_snapshot_per_run(qtbot, worker):
    recorder = loaded(qtbot, worker)
    worker.set_stop(None, None)
    worker.play()
    qtbot.waitUntil(lambda: worker.latest.epoch > 0, timeout=TIMEOUT)
    worker._timer.stop()  # the GUI thread is busy: nothing drains the pipe on its own
    before = len(recorder.snapshots)

    def inbox() -> list:  # what has arrived, read from the pipe by hand and not emitted
        worker._read()
        return [message[1] for message in worker._inbox if message[0] == "snapshot"]

    qtbot.waitUntil(lambda: sum(map(history_rows, inbox())) > 5, timeout=TIMEOUT)
    worker.load(load_session(PLAYGROUND))  # a reset: the history starts again
    qtbot.waitUntil(lambda: inbox()[-1].run == worker.loads, timeout=TIMEOUT)
    assert len(recorder.snapshots) == before
    worker._on_tick()  # the GUI is free again: one tick drains it all
    old_run, new_run = recorder.snapshots[before:]
    assert old_run.history_start + len(old_run.history["train_loss"]) == old_run.epoch + 1
    assert len(old_run.history["train_loss"]) > 5  # many snapshots' rows in one
    assert new_run.history_start == 0 and new_run.steps == 0
    assert not old_run.weights[0].flags.writeable
    assert not old_run.history["train_loss"].flags.writeable


def test_learning_rate_and_state(qtbot, worker):
    recorder = loaded(qtbot, worker)
    worker.set_lr(0.1)
    worker.step_epoch()
    qtbot.waitUntil(lambda: worker.latest.epoch == 1, timeout=TIMEOUT)
    assert worker.latest.lr == 0.1
    with qtbot.waitSignal(worker.stateReady, timeout=TIMEOUT):
        worker.request_state()
    state = recorder.states[-1]
    assert state["training"]["learning_rate"] == 0.1
    assert state["network"]["weights"][0] == worker.latest.weights[0].tolist()
    worker.set_lr(-1)
    with qtbot.waitSignal(worker.errorOccurred, timeout=TIMEOUT):
        pass
    assert "learning rate must be > 0" in recorder.errors[-1]


def test_weight_edits_reach_the_network(qtbot, worker):
    loaded(qtbot, worker)
    worker.set_weight(1, 0, 3, 2.5)
    qtbot.waitUntil(lambda: worker.latest.weights[1][0, 3] == 2.5, timeout=TIMEOUT)
    worker.set_bias(2, 0, -1.5)
    qtbot.waitUntil(lambda: worker.latest.biases[2][0] == -1.5, timeout=TIMEOUT)


def test_divergence_pauses_and_restore_goes_back(qtbot, worker):
    d = session_to_dict(load_session(PLAYGROUND))
    d = copy.deepcopy(d)
    d["network"]["activations"] = ["linear", "linear", "linear"]
    d["training"]["learning_rate"] = 5.0
    loaded(qtbot, worker, session_from_dict(d))
    with qtbot.waitSignal(worker.playingChanged, timeout=TIMEOUT, check_params_cb=lambda p: not p):
        worker.play()
    assert worker.latest.status == "diverged" and "learning rate" in worker.latest.message
    worker.restore()
    qtbot.waitUntil(lambda: worker.latest.status == "paused", timeout=TIMEOUT)
    assert all(np.all(np.isfinite(w)) for w in worker.latest.weights)


def test_shutdown_while_playing_quits_by_itself_and_cleanly(qtbot):
    worker = TrainingWorker()
    worker.start()
    loaded(qtbot, worker)
    worker.set_stop(None, None)
    worker.play()
    qtbot.waitUntil(lambda: worker.latest.epoch > 2, timeout=TIMEOUT)
    worker.shutdown(timeout=TIMEOUT / 1000)  # time enough to quit by itself on any machine
    assert not worker.process.is_alive() and worker.process.exitcode == 0  # not terminated
    assert not worker.playing and not worker.is_running()
    worker.shutdown()  # twice is fine


def test_shutdown_before_start_and_commands_without_a_process(qtbot):
    worker = TrainingWorker()
    worker.shutdown()
    assert worker.process is None and worker.latest is None
    with pytest.raises(RuntimeError, match="start"):
        worker.play()


def test_a_process_that_dies_is_reported(qtbot, worker):
    recorder = loaded(qtbot, worker)
    worker.set_stop(None, None)
    worker.play()
    worker.process.kill()
    qtbot.waitUntil(lambda: recorder.errors == [GONE], timeout=TIMEOUT)
    assert not worker.playing and not worker.is_running()


def test_the_pipe_is_read_off_the_gui_thread_in_order_to_its_end() -> None:
    here, there = multiprocessing.Pipe()
    reader = PipeReader(here)
    big = np.arange(3_000_000.0)  # 24 MB: read by the reader's thread, not the caller's
    for message in [("a", 1), ("big", big), ("c", 3)]:
        there.send(message)
    there.close()  # the other end goes away after its last message
    reader.thread.join(TIMEOUT / 1000)
    assert reader.gone and not reader.thread.is_alive()
    taken = reader.take()
    assert [m[0] for m in taken] == ["a", "big", "c"]
    np.testing.assert_array_equal(taken[1][1], big)
    assert reader.take() == []
    here.close()


def test_a_scrubbed_epoch_comes_on_its_own_signal_and_is_never_the_latest(qtbot, worker):
    session = load_session(LESSONS / "xor_script.json")
    loaded(qtbot, worker, session)
    for epoch in range(1, 6):
        worker.step_epoch()
        qtbot.waitUntil(lambda e=epoch: worker.latest.epoch == e, timeout=TIMEOUT)
    latest = worker.latest
    with qtbot.waitSignal(worker.scrubbed, timeout=TIMEOUT) as shown:
        worker.scrub(2)
    snapshot = shown.args[0]
    assert snapshot.scrubbed and snapshot.epoch == 2 and worker.latest is latest
    trainer = trainer_for(session)
    trainer.run(epochs=2)
    assert all(np.array_equal(a, b) for a, b in zip(snapshot.weights, trainer.network.weights))
    worker.resume(2)  # the later epochs dropped: the run's latest state is epoch 2's
    qtbot.waitUntil(lambda: worker.latest.epoch == 2, timeout=TIMEOUT)
    assert np.array_equal(worker.latest.weights[0], snapshot.weights[0])

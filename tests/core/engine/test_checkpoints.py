"""The history scrubber's exactness: an epoch rebuilt from checkpoints is bit for bit the
run's state after that epoch, also across thinning and across changes made mid-run."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.engine.checkpoints import Checkpoints, capture, rebuild, restore, twin
from core.engine.trainer import trainer_for
from core.session.format import load_session
from core.session.lessons import resolve

SETTINGS = {  # lesson -> training settings that exercise every part of the state
    "xor_script": {},
    "spiral": {"optimizer": "adam", "batch_size": 10, "shuffle": True, "seed": 3},
    "softmax_blobs": {"optimizer": "momentum", "batch_size": 7, "l2": 0.001},
    "sine_regression": {"batch_size": 16, "shuffle": True, "train_biases": False},
}


def trainer_of(name: str):
    session = load_session(resolve(name))
    session.training = dataclasses.replace(session.training, **SETTINGS[name])
    return trainer_for(session)


def same_state(a, b) -> None:
    assert (a.epoch, a.steps, a._pos) == (b.epoch, b.steps, b._pos)
    assert np.array_equal(a._flat, b._flat)
    sa, sb = a.optimizer.saved(), b.optimizer.saved()
    assert sa.keys() == sb.keys() and sa["t"] == sb["t"] and sa["lr"] == sb["lr"]
    for key in sa["slots"]:
        assert np.array_equal(sa["slots"][key], sb["slots"][key])


def recorded_run(name: str, epochs: int, budget: int) -> tuple:
    run = trainer_of(name)
    store = Checkpoints(budget)
    store.record(run, pinned=True)
    for _ in range(epochs):
        run.run_epoch()
        store.record(run)
    return run, store


@pytest.mark.parametrize("name", list(SETTINGS))
def test_an_epoch_rebuilt_from_thinned_checkpoints_is_the_runs_state_bit_for_bit(name) -> None:
    run, store = recorded_run(name, 24, budget=6 * 2_000 + 4 * capture(trainer_of(name)).nbytes)
    assert store.stride > 1 and store.nbytes <= store.budget  # thinned to fit
    for k in (0, 1, 5, 13, 24):
        rebuilt = twin(run)
        rebuild(rebuilt, store, k)
        reference = trainer_of(name)
        reference.run(epochs=k)
        same_state(rebuilt, reference)
        assert rebuilt.history.last("train_loss") == reference.history.last("train_loss")


def test_a_rebuild_never_trains_across_a_change_made_mid_epoch() -> None:
    """Steps into epoch 3, a new learning rate, on to epoch 6: epochs 4 and 6 come back
    exactly, from the pinned checkpoint taken at the change."""
    run = trainer_of("spiral")
    store = Checkpoints()
    store.record(run, pinned=True)
    for _ in range(2):
        run.run_epoch()
        store.record(run)
    for _ in range(5):
        run.step()
    run.lr = 0.003
    store.record(run, pinned=True)
    reference = trainer_of("spiral")
    reference.run(epochs=2)
    for _ in range(5):
        reference.step()
    reference.lr = 0.003
    rebuilt = twin(run)
    rebuild(rebuilt, store, 3)  # from the change's own checkpoint, 5 steps into epoch 3
    reference.run_epoch()
    same_state(rebuilt, reference)
    for epoch in (4, 6):
        while run.epoch < epoch:
            run.run_epoch()
            store.record(run)
        while reference.epoch < epoch:
            reference.run_epoch()
        rebuilt = twin(run)
        rebuild(rebuilt, store, epoch)
        same_state(rebuilt, reference)
    rebuilt = twin(run)
    rebuild(rebuilt, store, 2)  # before the change: the old learning rate
    assert rebuilt.lr == trainer_of("spiral").lr != 0.003


def test_training_on_from_a_rebuilt_epoch_is_the_run_continued() -> None:
    run, store = recorded_run("softmax_blobs", 12, budget=2**20)
    rebuilt = twin(run)
    rebuild(rebuilt, store, 7)
    rebuilt.run(epochs=5)
    same_state(rebuilt, run)
    assert np.array_equal(
        rebuilt.history.column("train_loss")[-6:], run.history.column("train_loss")[-6:]
    )


def test_restore_gives_back_the_state_and_the_settings_in_force() -> None:
    run = trainer_of("sine_regression")
    run.run(epochs=3)
    point = capture(run)
    run.update_config(l2=0.01, learning_rate=0.5)
    run.run(epochs=4)
    restore(run, point)
    assert run.config == point.config and run.lr == point.optimizer["lr"]
    reference = trainer_of("sine_regression")
    reference.run(epochs=3)
    same_state(run, reference)
    run.run(epochs=2)
    reference.run(epochs=2)
    same_state(run, reference)


def test_thinning_keeps_pinned_checkpoints_and_the_first() -> None:
    run = trainer_of("xor_script")
    size = capture(run).nbytes
    store = Checkpoints(budget=10 * size)
    store.record(run, pinned=True)
    for epoch in range(1, 200):
        run.run_epoch()
        store.record(run, pinned=epoch in (37, 101))
    assert store.nbytes <= store.budget
    epochs = [p.epoch for p in store.points]
    assert epochs[0] == 0 and {37, 101} <= set(epochs)
    assert all(p.pinned or p.epoch % store.stride == 0 for p in store.points)
    assert epochs == sorted(epochs)


def test_forgetting_after_a_checkpoint_drops_the_later_ones() -> None:
    run, store = recorded_run("xor_script", 10, budget=2**20)
    point = store.nearest(4)
    store.forget_after(point)
    assert [p.epoch for p in store.points] == [0, 1, 2, 3, 4]
    assert store.nbytes == sum(p.nbytes for p in store.points)
    with pytest.raises(ValueError, match="no checkpoint"):
        Checkpoints().nearest(3)

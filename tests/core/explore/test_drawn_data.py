"""Points drawn on the map reach the training process as new rows (core.runner's "data"):
training goes on with the same weights, optimiser state, epoch and history, on the new rows;
an epoch before the change is still rebuilt bit for bit (on the rows it was trained on), and
resuming from it goes on on the new rows."""

from __future__ import annotations

import dataclasses

import numpy as np

from core.engine.trainer import trainer_for
from core.session.format import session_to_dict
from tests.core.explore.test_scrubber import loop_on, same_network, session_of

SGD = {"optimizer": "adam", "batch_size": 4, "shuffle": True, "seed": 3}


def inline_of(session, extra: int = 0) -> dict:
    """The session's training rows as an inline table, plus ``extra`` new rows."""
    ds = session.dataset
    x, y = ds.points_train, ds.y_train
    if extra:
        rng = np.random.default_rng(7)
        x = np.vstack([x, rng.uniform(-5, 5, (extra, 2))])
        y = np.vstack([y, rng.choice([-1.0, 1.0], (extra, 1))])  # tanh's class codes
    return {"inline": {"inputs": x.tolist(), "targets": y.tolist()}, "test_ratio": 0.0}


def headless_with_change(session, before: int, data: dict, after: int):
    """A trainer trained ``before`` epochs on the session's rows, then ``after`` on
    ``data``'s (as Trainer.set_data does it)."""
    trainer = trainer_for(dataclasses.replace(session, network=session.network.copy()))
    for _ in range(before):
        trainer.run_epoch()
    changed = dataclasses.replace(session, data=data)
    changed.reload_dataset()
    ds = changed.dataset
    trainer.set_data(ds.x_train, ds.y_train, ds.x_test, ds.y_test)
    for _ in range(after):
        trainer.run_epoch()
    return trainer


def test_set_data_keeps_the_weights_epoch_optimiser_and_history():
    session = session_of("playground_default", **SGD)
    trainer = trainer_for(session)
    for _ in range(3):
        trainer.run_epoch()
    weights = [w.copy() for w in trainer.network.weights]
    steps, epoch, rows = trainer.steps, trainer.epoch, trainer.history.rows
    slots = {k: v.copy() for k, v in trainer.optimizer.saved()["slots"].items()}
    changed = dataclasses.replace(session, data=inline_of(session, extra=9))
    changed.reload_dataset()
    ds = changed.dataset
    trainer.set_data(ds.x_train, ds.y_train, ds.x_test, ds.y_test)
    assert all(np.array_equal(a, b) for a, b in zip(trainer.network.weights, weights))
    assert (trainer.steps, trainer.epoch, trainer.history.rows) == (steps, epoch, rows)
    for k, v in trainer.optimizer.saved()["slots"].items():
        assert np.array_equal(v, slots[k])
    assert len(trainer.x_train) == len(session.dataset.x_train) + 9
    trainer.run_epoch()
    assert trainer.epoch == epoch + 1
    assert trainer.steps == steps + trainer.steps_per_epoch  # one pass over the new rows
    loss, _ = trainer.evaluate(trainer.x_train, trainer.y_train)
    assert trainer.history.last("train_loss") == loss  # recorded on the new rows


def test_the_runner_trains_on_the_drawn_rows_and_keeps_the_run():
    session = session_of("playground_default", **SGD)
    loop, pipe = loop_on(session)
    for _ in range(4):
        loop.handle(("epoch",))
    data = inline_of(session, extra=12)
    loop.handle(("data", data))
    snap = pipe.last("snapshot")
    assert snap.epoch == 4 and not any(m[0] == "error" for m in pipe.sent)
    assert len(loop.trainer.x_train) == len(session.dataset.x_train) + 12
    assert loop.session.data == data  # what a "state" or a lecture trace reads
    for _ in range(3):
        loop.handle(("epoch",))
    same_network(pipe.last("snapshot"), headless_with_change(session, 4, data, 3))
    loop.handle(("state",))
    assert pipe.last("state")["data"] == data


def test_scrubbing_across_a_data_change_is_exact_and_resume_keeps_the_new_rows():
    session = session_of("playground_default", **SGD)
    loop, pipe = loop_on(session)
    for _ in range(5):
        loop.handle(("epoch",))
    data = inline_of(session, extra=12)
    loop.handle(("data", data))
    for _ in range(4):
        loop.handle(("epoch",))
    for k in (2, 5, 7, 9):  # before, at and after the change
        loop.handle(("scrub", k))
        want = headless_with_change(session, min(k, 5), data, max(0, k - 5))
        same_network(pipe.last("snapshot"), want)
    loop.handle(("resume", 3))  # back before the change: training goes on on the new rows
    assert len(loop.trainer.x_train) == len(session.dataset.x_train) + 12
    loop.handle(("epoch",))
    want = headless_with_change(session, 3, data, 1)
    same_network(pipe.last("snapshot"), want)
    loop.handle(("scrub", 2))  # still exact before the resume point
    same_network(pipe.last("snapshot"), headless_with_change(session, 2, data, 0))


def test_bad_data_is_an_error_and_the_old_rows_stay():
    session = session_of("playground_default", **SGD)
    loop, pipe = loop_on(session)
    rows = len(loop.trainer.x_train)
    loop.handle(("data", {"inline": {"inputs": [[0, 0]], "targets": [[0, 1, 0]]}}))
    assert "output layer has 1 neuron" in pipe.last("error")
    assert len(loop.trainer.x_train) == rows
    assert loop.session.data == session_to_dict(session)["data"]

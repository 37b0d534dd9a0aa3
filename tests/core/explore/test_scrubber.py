"""The history scrubber in the training process (core.runner's "scrub" and "resume"): the
network shown at epoch k is bit for bit a headless run's after k epochs, the run itself
stays where it was, and resuming trains on from k as a run that never went further."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.engine.trainer import trainer_for
from core.runner import TrainingLoop
from core.session.format import load_session, session_to_dict
from tests import paths
from tests.clock import FakeClock

SPIRAL = {"optimizer": "adam", "batch_size": 25, "shuffle": True, "seed": 5}


class Pipe:
    """The loop's end of the pipe, keeping what the loop sends."""

    def __init__(self) -> None:
        self.sent: list[tuple] = []

    def send(self, message: tuple) -> None:
        self.sent.append(message)

    def poll(self, timeout: float | None = 0.0) -> bool:
        return False

    def last(self, kind: str):
        return next(m[1] for m in reversed(self.sent) if m[0] == kind)


def session_of(name: str, **training):
    session = load_session(paths.LESSONS / f"{name}.json")
    session.training = dataclasses.replace(session.training, **training)
    return session


def loop_on(session) -> tuple[TrainingLoop, Pipe]:
    pipe = Pipe()
    loop = TrainingLoop(pipe, FakeClock())
    loop.handle(("load", session_to_dict(session), None))
    return loop, pipe


def headless(session, epochs: int, lr_at: tuple[int, float] | None = None):
    """A trainer of ``session`` after ``epochs`` epochs (the learning rate changed after
    epoch lr_at[0], as the loop was told)."""
    trainer = trainer_for(dataclasses.replace(session, network=session.network.copy()))
    for epoch in range(epochs):
        if lr_at and epoch == lr_at[0]:
            trainer.lr = lr_at[1]
        trainer.run_epoch()
    return trainer


def same_network(snapshot, trainer) -> None:
    net = trainer.network
    for got, want in zip(snapshot.weights + snapshot.biases, net.weights + net.biases):
        assert np.array_equal(got, want)


@pytest.mark.parametrize("name, training", [("xor_script", {}), ("spiral", SPIRAL)])
def test_a_scrubbed_epoch_is_the_headless_runs_bit_for_bit_and_the_run_stays(name, training):
    session = session_of(name, **training)
    loop, pipe = loop_on(session)
    for epoch in range(12):
        if epoch == 7:
            loop.handle(("lr", 0.02))
        loop.handle(("epoch",))
    live = pipe.last("snapshot")
    for k in (0, 3, 7, 9, 12):
        loop.handle(("scrub", k))
        shown = pipe.last("snapshot")
        assert shown.scrubbed and shown.epoch == k and shown.maps is not None
        assert shown.history["train_loss"].size == 0  # the window has the run's rows
        reference = headless(session, k, lr_at=(7, 0.02))
        same_network(shown, reference)
        assert shown.evaluation["train_loss"] == reference.history.last("train_loss")
    assert loop.trainer.epoch == 12
    same_network(live, loop.trainer)


def test_resume_trains_on_from_the_epoch_and_undo_brings_the_later_epochs_back() -> None:
    session = session_of("spiral", **SPIRAL)
    loop, pipe = loop_on(session)
    for _ in range(10):
        loop.handle(("epoch",))
    before = [p.copy() for p in loop.trainer.network.parameters()]
    loop.handle(("resume", 4))
    resumed = pipe.last("snapshot")
    assert resumed.epoch == 4 and not resumed.scrubbed and resumed.history["train_loss"].size == 0
    same_network(resumed, headless(session, 4))
    for _ in range(3):
        loop.handle(("epoch",))
    same_network(pipe.last("snapshot"), headless(session, 7))
    loop.handle(("scrub", 6))
    same_network(pipe.last("snapshot"), headless(session, 6))
    loop.handle(("resume", None))  # undo: the run of 10 epochs is back, its epochs too
    assert loop.trainer.epoch == 10
    for got, want in zip(loop.trainer.network.parameters(), before):
        assert np.array_equal(got, want)
    loop.handle(("scrub", 9))
    same_network(pipe.last("snapshot"), headless(session, 9))


def test_epochs_outside_the_run_are_refused_in_a_sentence() -> None:
    loop, pipe = loop_on(session_of("xor_script"))
    loop.handle(("epoch",))
    loop.handle(("scrub", 5))
    assert pipe.sent[-1] == ("error", "epoch 5 is not in this run: choose 0 to 1")
    loop.handle(("resume", None))
    assert pipe.sent[-1] == ("error", "there is no resume to undo")

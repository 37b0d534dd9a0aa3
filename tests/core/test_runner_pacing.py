"""The training loop's pacing and snapshot rate (core.runner.TrainingLoop), on a clock that
moves only when the test moves it: the arithmetic, not the machine's speed, is checked."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core import runner
from core.playing import MAX_BACKLOG_SECONDS
from core.runner import MAPS_SECONDS, MAPS_SHARE, SNAPSHOT_SECONDS, TrainingLoop
from core.session.format import load_session, session_to_dict
from core.snapshot import session_maps
from tests import paths
from tests.clock import FakeClock

PLAYGROUND = paths.LESSONS / "playground_default.json"


class Pipe:
    """The loop's end of the pipe: what the loop sends is kept, with the clock's time."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[tuple[float, tuple]] = []

    def send(self, message: tuple) -> None:
        self.sent.append((self.clock(), message))

    def poll(self, timeout: float | None = 0.0) -> bool:
        return False

    def snapshots(self) -> list:
        return [message[1] for _, message in self.sent if message[0] == "snapshot"]

    def snapshot_times(self) -> list[float]:
        return [t for t, message in self.sent if message[0] == "snapshot"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def playing(clock: FakeClock, speed: float) -> tuple[TrainingLoop, Pipe]:
    """A loop on the playground lesson, told to play at ``speed`` steps a second."""
    pipe = Pipe(clock)
    loop = TrainingLoop(pipe, clock)
    loop.handle(("load", session_to_dict(load_session(PLAYGROUND)), None))
    loop.handle(("stop_at", None, None))
    loop.handle(("speed", speed))
    loop.handle(("play",))
    assert pipe.sent[-1][1][:2] == ("playing", True)
    return loop, pipe


def at(loop: TrainingLoop, clock: FakeClock, seconds: float) -> int:
    """The loop's steps after a look at the clock ``seconds`` after play."""
    clock.now = loop.pace_start + seconds
    loop.train()
    return loop.trainer.steps


def test_a_paced_run_takes_the_steps_that_are_due_by_the_clock(clock):
    loop, _ = playing(clock, 20.0)
    start = loop.pace_start
    assert at(loop, clock, 0.0) == 1  # the first step at once
    assert at(loop, clock, 0.0) == 1  # the clock stands still: nothing more is due
    assert at(loop, clock, 0.04) == 1
    assert at(loop, clock, 0.25) == 6  # 0.25 s at 20 a second: 5 more
    assert at(loop, clock, 0.26) == 6
    assert at(loop, clock, 0.5) == 11
    assert loop.pace_start == start  # kept up: the pace never restarted
    clock.now = start + 0.51
    wait = loop.train()
    assert wait == pytest.approx(0.04)  # until step 12, due at 0.55 s
    assert loop.trainer.steps == 11


def test_a_backlog_is_caught_up_but_a_run_that_fell_far_behind_starts_afresh(clock):
    loop, _ = playing(clock, 20.0)
    assert at(loop, clock, 0.0) == 1
    assert at(loop, clock, MAX_BACKLOG_SECONDS) == 6  # 5 due at once, within the backlog: all
    start = loop.pace_start
    clock.advance(10.0)  # e.g. the machine was busy: 200 steps due
    loop.train()
    assert loop.trainer.steps == 7  # no burst: one step, and the count starts again
    assert loop.pace_start == clock.now > start
    assert at(loop, clock, 0.1) == 9


def test_a_new_speed_restarts_the_pace(clock):
    loop, _ = playing(clock, 20.0)
    assert [at(loop, clock, t) for t in (0.0, 0.25, 0.5)] == [1, 6, 11]
    clock.advance(0.01)
    loop.handle(("speed", 2.0))
    assert loop.pace_start == clock.now and loop.paced_steps == 0
    assert at(loop, clock, 0.0) == 12  # one at once at the new speed
    assert at(loop, clock, 0.49) == 12
    assert at(loop, clock, 0.5) == 13  # two a second
    assert at(loop, clock, 1.0) == 14


def test_snapshots_go_out_at_most_60_times_a_second_of_the_clock(clock):
    loop, pipe = playing(clock, 1000.0)
    loaded = len(pipe.snapshots())
    for _ in range(1000):  # one second in steps of a millisecond, a step each
        clock.advance(0.001)
        loop.train()
    steps = loop.trainer.steps
    assert 999 <= steps <= 1001
    times = pipe.snapshot_times()[loaded:]
    gaps = np.diff([pipe.snapshot_times()[loaded - 1], *times])
    assert len(times) <= math.floor(1 / SNAPSHOT_SECONDS)
    assert gaps.min() >= SNAPSHOT_SECONDS - 1e-9  # never two within 1/60 s
    assert gaps.max() <= SNAPSHOT_SECONDS + 0.001 + 1e-9  # and none held back longer
    snapshots = pipe.snapshots()
    starts = [s.history_start for s in snapshots]
    ends = [s.history_start + len(s.history["train_loss"]) for s in snapshots]
    assert starts[1:] == ends[:-1]  # every row once, in order


def test_pause_sends_the_steps_since_the_last_snapshot(clock):
    loop, pipe = playing(clock, 20.0)
    assert [at(loop, clock, t) for t in (0.0, 0.25, 0.5)] == [1, 6, 11]
    loop.handle(("pause",))
    last = pipe.snapshots()[-1]
    assert last.steps == 11 and last.status == "paused"
    assert pipe.sent[-1][1][:2] == ("playing", False)
    assert loop.train() is None  # paused: nothing to wait for
    assert loop.trainer.steps == 11


def test_the_process_forgets_history_rows_once_a_snapshot_has_carried_them(clock) -> None:
    loop, pipe = playing(clock, 10_000.0)
    for second in range(1, 40):
        at(loop, clock, second / 10)
    history = loop.trainer.history
    rows = np.concatenate([s.history["train_loss"] for s in pipe.snapshots()])
    assert history.rows > 100 and len(rows) == history.rows  # every row went out once
    assert history.first == history.rows - 1  # and only the newest is still held
    assert len(history._data) <= 1024  # the buffers never grew with the run


def test_a_paused_snapshot_carries_the_maps_of_the_parameters_now(clock) -> None:
    pipe = Pipe(clock)
    loop = TrainingLoop(pipe, clock)
    loop.handle(("load", session_to_dict(load_session(PLAYGROUND)), None))
    loop.handle(("step",))
    loop.handle(("set_weight", 0, 1, 0, 0.75))
    for snapshot in pipe.snapshots():  # the load's, the step's and the edit's
        assert snapshot.maps is not None
    session = loop.session
    expected = session_maps(session, loop.trainer.network)
    sent = pipe.snapshots()[-1].maps
    for mine, theirs in zip(sent.neurons, expected.neurons):
        np.testing.assert_array_equal(mine, theirs)
    np.testing.assert_array_equal(sent.output, expected.output)
    assert not np.array_equal(pipe.snapshots()[0].maps.output, sent.output)


def test_while_playing_maps_go_out_as_often_as_their_time_allows(clock, monkeypatch) -> None:
    loop, pipe = playing(clock, 10_000.0)
    for tenth in range(1, 30):
        at(loop, clock, tenth / 100)
    times = [t for t, m in pipe.sent if m[0] == "snapshot" and m[1].maps is not None]
    assert len(times) > 5 and min(np.diff(times)) >= MAPS_SECONDS - 1e-12

    real = runner.session_maps

    def slow(session, network, cut=None):  # maps that take 0.1 s of the loop's time
        clock.now += 0.1
        return real(session, network, cut)

    monkeypatch.setattr(runner, "session_maps", slow)
    pipe.sent.clear()
    for tenth in range(30, 300):
        at(loop, clock, tenth / 100)
    times = [t for t, m in pipe.sent if m[0] == "snapshot" and m[1].maps is not None]
    assert len(times) > 3 and min(np.diff(times)) >= 0.1 / MAPS_SHARE - 1e-9
    loop.handle(("pause",))
    assert pipe.snapshots()[-1].maps is not None  # the state it stops at, with its maps


def test_a_large_networks_snapshots_come_less_often(clock) -> None:
    loop, pipe = playing(clock, 10_000.0)
    assert loop.snapshot_seconds == SNAPSHOT_SECONDS  # Playground's sizes: 60 a second
    d = session_to_dict(load_session(PLAYGROUND))
    d["network"] = {"layers": [2, 400, 400, 1], "activations": ["tanh"] * 3}
    loop.handle(("load", d, None))
    loop.handle(("speed", 200.0))
    loop.handle(("play",))
    parameters = 2 * 400 + 400 + 400 * 400 + 400 + 400 + 1
    assert loop.snapshot_seconds == 16 * parameters / runner.SNAPSHOT_BYTES_PER_SECOND
    pipe.sent.clear()
    for hundredth in range(1, 100):
        at(loop, clock, hundredth / 100)
    times = pipe.snapshot_times()
    assert len(times) >= 2 and min(np.diff(times)) >= loop.snapshot_seconds - 1e-9

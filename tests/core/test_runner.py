"""The training process's loop (core.runner.serve), driven through a pipe from a thread."""

from __future__ import annotations

import copy
import dataclasses
import multiprocessing
import threading
import time

import numpy as np

from core.engine.optimizers import Optimizer
from core.engine.trainer import trainer_for
from core.runner import serve
from core.session.format import load_session, session_from_dict, session_to_dict
from tests import paths

LESSONS = paths.LESSONS
TIMEOUT = 20.0  # seconds: generous, for things that will happen (a loaded machine is slow)


def lesson(name: str) -> dict:
    """A built-in lesson as the plain dict the GUI sends."""
    return session_to_dict(load_session(LESSONS / f"{name}.json"))


def direct(session_dict: dict):
    """A trainer on the same session, run in this thread, to compare with."""
    return trainer_for(session_from_dict(copy.deepcopy(session_dict)))


def assert_same_parameters(snapshot, trainer) -> None:
    net = trainer.network
    for mine, theirs in zip(snapshot.weights + snapshot.biases, net.weights + net.biases):
        np.testing.assert_array_equal(mine, theirs)


class Client:
    """The GUI's end of the pipe, with serve() running in a thread at the other end."""

    def __init__(self) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.thread = threading.Thread(target=serve, args=(child,), daemon=True)
        self.thread.start()
        self.playing: list[tuple[bool, int]] = []

    def send(self, *message) -> None:
        self.conn.send(message)

    def expect(self, kind: str, timeout: float = TIMEOUT):
        """The next message's payload, which must be of ``kind`` ("playing" ones are noted)."""
        while True:
            assert self.conn.poll(timeout), f"no {kind!r} message within {timeout} s"
            message = self.conn.recv()
            if message[0] == "playing" and kind != "playing":
                self.playing.append(message[1:])
                continue
            assert message[0] == kind, message
            return message[1] if len(message) == 2 else message[1:]

    def until(self, status: str, timeout: float = TIMEOUT) -> list:
        """Every snapshot up to and including the first with ``status``."""
        snapshots = []
        while not snapshots or snapshots[-1].status != status:
            snapshots.append(self.expect("snapshot", timeout))
        return snapshots

    def quiet(self) -> dict:
        """Nothing but "playing" messages comes before the answer to a "state" sent now
        (commands are answered in order, so whatever the loop sent before it is here);
        returns that state."""
        self.send("state")
        return self.expect("state")

    def close(self) -> None:
        if self.thread.is_alive():
            self.send("quit")
            self.thread.join(TIMEOUT)
        self.conn.close()


def loaded(client: Client, name_or_dict: str | dict):
    d = lesson(name_or_dict) if isinstance(name_or_dict, str) else name_or_dict
    client.send("load", d, None)
    return client.expect("snapshot"), d


def test_load_replies_with_the_session_from_history_row_0(client):
    snapshot, d = loaded(client, "mazur")
    assert snapshot.status == "ready" and snapshot.steps == 0 and snapshot.epoch == 0
    assert snapshot.history_start == 0 and len(snapshot.history["train_loss"]) == 1
    np.testing.assert_array_equal(snapshot.weights[1], [[0.4, 0.45], [0.5, 0.55]])
    assert snapshot.lr == 0.5


def test_step_and_epoch_match_a_direct_trainer(client):
    _, d = loaded(client, "playground_default")
    trainer = direct(d)
    client.send("step")
    one = client.expect("snapshot")
    trainer.step()
    assert (one.steps, one.epoch, one.status) == (1, 0, "paused")
    np.testing.assert_array_equal(one.weights[0], trainer.network.weights[0])
    client.send("epoch")
    rest = client.expect("snapshot")
    trainer.run_epoch()
    assert (rest.steps, rest.epoch) == (trainer.steps_per_epoch, 1)
    assert rest.history_start == 1 and len(rest.history["train_loss"]) == 1
    assert_same_parameters(rest, trainer)


def test_history_rows_arrive_exactly_once_in_order_while_playing(client):
    first, d = loaded(client, "playground_default")
    client.send("stop_at", 60, None)
    client.send("play")
    snapshots = [first, *client.until("max_epochs")]
    assert len(snapshots) < 60 * 25  # never one per step
    starts = [s.history_start for s in snapshots]
    ends = [s.history_start + len(s.history["train_loss"]) for s in snapshots]
    assert starts[1:] == ends[:-1]
    losses = np.concatenate([s.history["train_loss"] for s in snapshots])
    trainer = direct(d)
    trainer.run(epochs=60)
    np.testing.assert_array_equal(losses, trainer.history.column("train_loss"))
    norms = np.concatenate([s.history["grad_norm"] for s in snapshots])
    np.testing.assert_array_equal(norms, trainer.history.grad_norm)
    assert snapshots[-1].epoch == 60 and "60 epochs" in snapshots[-1].message
    client.quiet()  # the stop is announced after its final snapshot, and nothing more
    assert client.playing == [(True, 3), (False, 3)]


def test_learning_rate_changes_at_once_and_keeps_the_optimiser_state(client):
    d = lesson("mazur")
    d["training"]["optimizer"] = "adam"
    loaded(client, d)
    trainer = direct(d)
    for lr in (0.5, 0.5, 0.05, 0.05):
        client.send("lr", lr)
        client.send("step")
        snapshot = client.expect("snapshot")
        trainer.lr = lr
        trainer.step()
    assert snapshot.lr == 0.05
    np.testing.assert_array_equal(snapshot.weights[0], trainer.network.weights[0])
    fresh = direct(d)  # a reset optimiser would have landed elsewhere
    fresh.run(epochs=2)
    fresh.optimizer = Optimizer("adam", 0.05)
    fresh.run(epochs=2)
    assert not np.array_equal(snapshot.weights[0], fresh.network.weights[0])


def test_pause_stops_the_steps(client):
    loaded(client, "playground_default")
    client.send("stop_at", None, None)
    client.send("play")
    client.expect("snapshot")
    client.send("pause")
    paused = client.until("paused")[-1]
    state = client.quiet()  # no snapshot: nothing moves
    assert state["network"]["weights"] == [w.tolist() for w in paused.weights]
    client.send("step")
    assert client.expect("snapshot").steps == paused.steps + 1
    client.send("pause")  # pausing when paused says nothing
    heard = len(client.playing)
    client.quiet()
    assert len(client.playing) == heard


def test_speed_paces_the_steps(client):
    loaded(client, "playground_default")
    client.send("speed", 20.0)
    start = time.perf_counter()
    client.send("play")
    while client.expect("snapshot").steps < 3:
        pass
    client.send("pause")
    steps = client.until("paused")[-1].steps
    elapsed = time.perf_counter() - start
    assert 3 <= steps <= 20 * elapsed + 1  # never faster than asked, however slow the machine
    client.send("speed", 0)
    assert "speed must be > 0" in client.expect("error")


def test_stop_at_target_loss(client):
    _, d = loaded(client, "mazur")
    client.send("stop_at", None, 0.05)
    client.send("play")
    last = client.until("target_loss")[-1]
    assert last.history["train_loss"][-1] <= 0.05 < direct(d).history.last("train_loss")
    assert "target 0.05" in last.message
    client.send("play")  # the condition still holds: it stops at once
    assert client.expect("snapshot").status == "target_loss"


def diverging(d: dict) -> dict:
    d = copy.deepcopy(d)
    d["network"]["activations"] = ["linear", "linear"]
    d["training"]["learning_rate"] = 50.0
    return d


def test_divergence_pauses_with_a_message_and_restore_goes_back(client):
    loaded(client, diverging(lesson("mazur")))
    client.send("play")
    last = client.until("diverged")[-1]
    assert "diverged in epoch" in last.message and "learning rate" in last.message
    assert client.playing[-1][0] is False
    client.send("step")  # still diverged: the status says so
    assert client.expect("snapshot").status == "diverged"
    client.send("restore")
    back = client.expect("snapshot")
    assert back.status == "paused" and back.message == ""
    assert all(np.all(np.isfinite(w)) for w in back.weights)


def test_set_weight_changes_the_next_step_as_in_a_direct_trainer(client):
    _, d = loaded(client, "mazur")  # one sample: the next step could reuse the last forward pass
    trainer = direct(d)
    client.send("set_weight", 1, 0, 1, 0.7)
    edited = client.expect("snapshot")
    assert edited.weights[1][0, 1] == 0.7 and edited.steps == 0
    client.send("step")
    trainer.network.weights[1][0, 1] = 0.7
    trainer.parameters_changed()
    trainer.step()
    assert_same_parameters(client.expect("snapshot"), trainer)
    client.send("set_bias", 0, 1, -0.2)
    assert client.expect("snapshot").biases[0][1] == -0.2
    client.send("step")
    trainer.network.biases[0][1] = -0.2
    trainer.parameters_changed()
    trainer.step()
    assert_same_parameters(client.expect("snapshot"), trainer)
    client.send("set_weight", 5, 0, 0, 1.0)
    assert "index" in client.expect("error")
    client.send("set_bias", 0, 0, float("nan"))
    assert "finite" in client.expect("error")


def test_state_is_the_session_with_the_current_weights(client):
    loaded(client, "mazur")
    client.send("lr", 0.25)
    client.send("epoch")
    snapshot = client.expect("snapshot")
    client.send("state")
    state = client.expect("state")
    assert state["network"]["weights"] == [w.tolist() for w in snapshot.weights]
    assert state["training"]["learning_rate"] == 0.25
    assert state["name"] == "Matt Mazur's step-by-step example"
    again = session_from_dict(state)
    np.testing.assert_array_equal(again.network.weights[0], snapshot.weights[0])


def test_live_settings_change_without_reset(client):
    _, d = loaded(client, "playground_default")
    client.send("config", {"l2": 0.01, "epochs": 2})
    client.send("play")
    last = client.until("max_epochs")[-1]
    assert last.epoch == 2 and not np.isnan(last.history["penalty"][-1])
    client.send("config", {"batch_size": 5})
    assert "cannot change" in client.expect("error")


def test_a_bad_session_is_an_error_and_the_previous_one_stays(client):
    loaded(client, "mazur")
    client.send("load", {"format": "backprop-lab/1", "network": {"layers": [2]}}, None)
    assert "network" in client.expect("error")
    client.send("step")
    assert client.expect("snapshot").steps == 1


def test_commands_before_load_and_unknown_ones_are_errors(client):
    client.send("step")
    assert "no session" in client.expect("error")
    client.send("fly")
    assert "fly" in client.expect("error")


def test_a_reload_starts_the_history_again_and_replays_the_run(client):
    first, d = loaded(client, "playground_default")
    client.send("epoch")
    trained = client.expect("snapshot")
    again, _ = loaded(client, d)
    assert again.history_start == 0 and again.steps == 0
    np.testing.assert_array_equal(again.weights[0], first.weights[0])
    client.send("epoch")
    np.testing.assert_array_equal(client.expect("snapshot").weights[0], trained.weights[0])


def test_quit_and_a_closed_pipe_end_the_loop():
    c = Client()
    c.send("quit")
    c.thread.join(TIMEOUT)
    assert not c.thread.is_alive()
    c.conn.close()
    gone = Client()  # the GUI dies: its end of the pipe closes
    loaded(gone, "mazur")
    gone.send("play")
    gone.conn.close()
    gone.thread.join(TIMEOUT)
    assert not gone.thread.is_alive()


def test_snapshots_are_frozen_copies(client):
    snapshot, _ = loaded(client, "mazur")
    assert isinstance(snapshot.weights, tuple)
    assert dataclasses.is_dataclass(snapshot)
    client.send("step")
    client.expect("snapshot")
    np.testing.assert_array_equal(snapshot.weights[1], [[0.4, 0.45], [0.5, 0.55]])

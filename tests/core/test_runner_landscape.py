"""The training process's "landscape" command: computed in slices between commands and
training chunks, a newer request cancelling an older one, progress on the way."""

from __future__ import annotations

from core.explore.jobs import LandscapeRequest, LandscapeResult
from tests.core.test_runner import TIMEOUT, Client, loaded

LONG = LandscapeRequest(1, "random", steps=201)  # 40,401 points of the spiral: ~1-3 s


def messages_until(client: Client, done) -> list[tuple]:
    """Every message up to and including the first for which ``done(message)`` holds."""
    seen: list[tuple] = []
    while not seen or not done(seen[-1]):
        assert client.conn.poll(TIMEOUT), f"waited {TIMEOUT} s; had {[m[0] for m in seen]}"
        seen.append(client.conn.recv())
    return seen


def is_result(ident: int):
    return lambda m: m[0] == "landscape" and m[1].ident == ident


def test_a_landscape_of_the_parameters_on_screen(client):
    snapshot, _ = loaded(client, "playground_default")
    client.send("landscape", LandscapeRequest(7, "parameters", steps=21))
    result = messages_until(client, is_result(7))[-1][1]
    assert isinstance(result, LandscapeResult)
    assert (result.epoch, result.steps, result.losses.shape) == (0, 0, (21, 21))
    assert abs(result.losses[10, 10] - snapshot.evaluation["train_loss"]) <= 1e-12
    assert abs(result.centre_loss - snapshot.evaluation["train_loss"]) <= 1e-12


def test_a_newer_request_cancels_the_older_and_progress_comes_on_the_way(client):
    loaded(client, "spiral")
    client.send("landscape", LONG)
    progress = messages_until(client, lambda m: m[0] == "landscape_progress")[-1]
    assert progress[1] == 1 and 0 < progress[2] < 1
    client.send("landscape", LandscapeRequest(2, "parameters", steps=11))
    seen = messages_until(client, is_result(2))
    assert not [m for m in seen if m[0] == "landscape" and m[1].ident == 1]
    client.quiet()  # nothing of the cancelled request comes after
    assert not client.conn.poll(0.2)


def test_training_commands_are_handled_while_a_landscape_is_computed(client):
    loaded(client, "spiral")
    client.send("landscape", LONG)
    messages_until(client, lambda m: m[0] == "landscape_progress")
    client.send("play")
    seen = messages_until(client, lambda m: m[0] == "snapshot" and m[1].steps > 0)
    assert not [m for m in seen if m[0] == "landscape"]  # playing started before it was done
    client.send("pause")
    seen = messages_until(client, is_result(1))
    result = seen[-1][1]
    assert result.steps == 0  # the plane is of the parameters when it was asked for


def test_none_cancels_and_a_wrong_request_says_why(client):
    loaded(client, "spiral")
    client.send("landscape", LONG)
    messages_until(client, lambda m: m[0] == "landscape_progress")
    client.send("landscape", None)
    client.quiet()
    assert not client.conn.poll(0.3)
    client.send("landscape", LandscapeRequest(3, "random", ((0, 0, 0),)))
    failed = messages_until(client, lambda m: m[0] == "landscape_failed")[-1]
    assert failed[1] == 3 and "takes 0 different" in failed[2]

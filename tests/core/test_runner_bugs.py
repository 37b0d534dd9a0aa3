"""The bug lab and the gradient check in the training process: ("bug", name) switches a
bug on for this and later loads (never into the session), ("gradcheck",) answers with the
report of the network now."""

from __future__ import annotations

import json

import numpy as np

from tests.core.test_runner import direct, lesson, loaded


def test_a_bug_is_a_setting_of_the_run_never_of_the_session(client):
    snapshot, d = loaded(client, "mazur")
    assert snapshot.bug is None
    client.send("bug", "mazur")
    assert client.expect("snapshot").bug == "mazur"
    client.send("step")
    after = client.expect("snapshot")
    assert after.bug == "mazur" and after.steps == 1
    trainer = direct(d)
    trainer.bug = "mazur"
    trainer.step()
    np.testing.assert_array_equal(after.weights[0], trainer.network.weights[0])
    assert round(trainer.history.last("train_loss"), 9) == 0.291027924
    state = client.quiet()
    assert '"bug"' not in json.dumps(state) and "mazur" not in json.dumps(state["training"])
    client.send("lecture", None, None)
    assert client.expect("lecture")["bug"] == "mazur"


def test_the_bug_stays_across_loads_and_goes_where_it_cannot_run(client):
    loaded(client, "mazur")
    client.send("bug", "transposed")
    client.expect("snapshot")
    client.send("load", lesson("mazur"), None)
    assert client.expect("snapshot").bug == "transposed"
    client.send("load", lesson("xor_script"), None)  # 2-2-1: W^2 is not square
    assert client.expect("snapshot").bug is None
    assert "switched off" in client.expect("error")
    client.send("bug", "transposed")
    assert "cannot switch on transposed" in client.expect("error")
    client.send("bug", None)
    assert client.expect("snapshot").bug is None


def test_gradcheck_answers_with_the_report_of_the_network_now(client):
    loaded(client, "mazur")
    client.send("gradcheck")
    report = client.expect("gradcheck")
    assert report.passed and report.bug is None
    client.send("bug", "mazur")
    client.expect("snapshot")
    client.send("gradcheck")
    report = client.expect("gradcheck")
    assert not report.passed and {r.layer for r in report.layers if r.failures} == {1}
    assert report.worst.layer == 1

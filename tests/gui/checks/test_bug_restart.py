"""The bug lab's bug outlives a new load and a training process that died: the worker
tells a restarted process again (gui.restart's replay)."""

from __future__ import annotations

from core.session.format import load_session
from gui.restart import kept_across_loads, replayed
from tests import paths
from tests.gui.test_worker_restart import START, kill, worker  # noqa: F401 (the fixture)


def test_a_new_bug_replaces_the_last_and_only_the_bug_outlives_a_load():
    replay = replayed([("lr", 0.1), ("bug", "plus")], ("bug", "mazur"))
    assert replay == [("lr", 0.1), ("bug", "mazur")]
    assert kept_across_loads(replay) == [("bug", "mazur")]


def test_the_bug_is_on_again_after_a_load_and_a_kill(qtbot, worker):  # noqa: F811
    worker.set_bug("no_mean")
    qtbot.waitUntil(lambda: worker.latest.bug == "no_mean", timeout=START)
    with qtbot.waitSignal(worker.snapshotReady, timeout=START):
        worker.load(load_session(paths.LESSONS / "mazur.json"))
    assert worker.latest.bug == "no_mean"
    kill(qtbot, worker)
    with qtbot.waitSignal(worker.restarted, timeout=START):
        worker.step()
    qtbot.waitUntil(
        lambda: worker.latest.steps >= 1 and worker.latest.bug == "no_mean", timeout=START
    )

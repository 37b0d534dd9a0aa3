"""The worker's landscape requests: a real training process answers with signals."""

from __future__ import annotations

from core.explore.jobs import LandscapeRequest
from core.session.format import load_session
from gui.worker import TrainingWorker
from tests.gui.test_worker import PLAYGROUND, TIMEOUT, loaded


def test_a_request_is_answered_with_progress_and_a_result(qtbot, worker: TrainingWorker):
    loaded(qtbot, worker, load_session(PLAYGROUND))
    progress = []
    worker.landscapeProgress.connect(lambda ident, done: progress.append((ident, done)))
    with qtbot.waitSignal(worker.landscapeReady, timeout=TIMEOUT) as ready:
        worker.request_landscape(LandscapeRequest(5, "random", seed=1, steps=121))
    result = ready.args[0]
    assert result.ident == 5 and result.losses.shape == (121, 121)
    assert abs(result.centre_loss - worker.latest.evaluation["train_loss"]) <= 1e-12
    assert all(ident == 5 and 0 < f < 1 for ident, f in progress)


def test_a_wrong_request_is_answered_with_why(qtbot, worker: TrainingWorker):
    loaded(qtbot, worker, load_session(PLAYGROUND))
    with qtbot.waitSignal(worker.landscapeFailed, timeout=TIMEOUT) as failed:
        worker.request_landscape(LandscapeRequest(6, "parameters", ((0, 9, 9), (0, 0, 0))))
    assert failed.args[0] == 6 and "has no parameter (0, 9, 9)" in failed.args[1]

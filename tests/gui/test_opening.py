"""Opening a session is all or nothing: whatever fails while the window takes the new session
(showing it, restarting the trainer, taking its lecture set-up), the window stays on the
previous one, consistent, and says why in a message."""

from __future__ import annotations

import pytest

from core.session.lessons import LESSONS_DIR

TIMEOUT = 20_000
MAZUR = LESSONS_DIR / "mazur.json"


def failing_once(original, when=lambda *args: True):
    """``original``, except that its first call for which ``when(*args)`` holds raises."""
    calls = []

    def call(*args, **kwargs):
        if not calls and when(*args):
            calls.append(args)
            raise ValueError("a view cannot show this")
        return original(*args, **kwargs)

    return call


@pytest.fixture
def window(lesson_window, qtbot):
    """A window one edit and one epoch into its session, collecting its error messages."""
    w = lesson_window("playground_default")
    w.errors = []
    w.files.show_error = lambda title, text: w.errors.append(text)
    w.model.set_setting("training.learning_rate", 0.3)
    w.controls.epoch_action.trigger()
    qtbot.waitUntil(lambda: w.latest.epoch == 1 and w.latest.run == w.worker.loads, timeout=TIMEOUT)
    return w


def trains_its_own_session(window, qtbot) -> None:
    steps = window.latest.steps
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.latest.steps == steps + 1, timeout=TIMEOUT)
    assert window.latest.run == window.worker.loads
    assert list(window.latest.layers) == window.session.network.layers
    assert window.network_view.layers == window.session.network.layers


def test_a_view_that_fails_leaves_everything_on_the_previous_session(window, qtbot):
    old, loads, name = window.session, window.worker.loads, window.windowTitle()
    view = window.output_view
    view.set_session = failing_once(view.set_session, lambda s: s.name.startswith("Matt Mazur"))
    assert (
        window.files.open_path(MAZUR, remember=False, wait=True) is not None
    )  # read, then refused
    assert window.session is old and window.worker.loads == loads
    assert window.model.undo_stack.count() == 1 and window.windowTitle() == name
    assert "could not be shown (ValueError: a view cannot show this)" in window.errors[0]
    assert "unchanged" in window.errors[0]
    trains_its_own_session(window, qtbot)


def test_a_slot_that_fails_while_restarting_puts_the_previous_session_back(window, qtbot):
    old, loads = window.session, window.worker.loads
    weights = [w.copy() for w in old.network.weights]
    window.status.new_run = failing_once(window.status.new_run)  # in _on_restart, a slot
    window.files.open_path(MAZUR, remember=False, wait=True)
    assert window.session is old and window.worker.loads > loads  # restarted from the old
    assert "restarted from its current weights" in window.errors[0]
    qtbot.waitUntil(lambda: window.latest.run == window.worker.loads, timeout=TIMEOUT)
    assert [w.tolist() for w in window.latest.weights] == [w.tolist() for w in weights]
    trains_its_own_session(window, qtbot)


def test_a_lecture_set_up_that_fails_puts_the_previous_session_back(window, qtbot):
    old = window.session
    window.lecture.apply_setup = failing_once(window.lecture.apply_setup)  # the new one's
    window.files.open_path(MAZUR, remember=False, wait=True)
    assert window.session is old and len(window.errors) == 1
    trains_its_own_session(window, qtbot)


def test_opening_still_opens(window, qtbot):
    window.files.open_path(MAZUR, remember=False, wait=True)
    assert window.session.name.startswith("Matt Mazur") and not window.errors
    trains_its_own_session(window, qtbot)

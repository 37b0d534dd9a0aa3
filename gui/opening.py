"""Opening a session in the window, all or nothing.

The window takes a new session in two phases.  First a rehearsal: the views are shown
the new session while the model, its undo history, the plots and the training process
still hold the previous one; if any view fails, the views are shown the previous session
again and nothing else has changed.  Then the switch: plots cleared, model replaced, the
trainer restarted, lecture set-up taken.  If anything fails there (a slot included:
Qt would only print its exception), the previous session is put back and the trainer
restarted from its current weights; its undo history and plots start afresh, which the
message says.  Either way the window stays consistent and says what went wrong.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QMainWindow

from core.session.format import Session


@contextmanager
def _slot_errors() -> Iterator[list[BaseException]]:
    """Collect the exceptions raised in slots meanwhile (PySide passes them to
    sys.excepthook, not to whoever emitted the signal)."""
    caught: list[BaseException] = []
    previous = sys.excepthook
    sys.excepthook = lambda kind, value, tb: caught.append(value)
    try:
        yield caught
    finally:
        sys.excepthook = previous


def take(window: QMainWindow, session: Session) -> bool:
    """Show ``session`` in ``window`` (a MainWindow) all or nothing: True if it is shown,
    False if the window stays on its previous session (the user is told why)."""
    old = window.model.session
    window.worker.pause()  # nothing trains the old session while the new one is tried
    try:
        _rehearse(window, session)
    except Exception as exc:  # noqa: BLE001 (any failure: stay on the previous session)
        _show_again(window)
        _tell(window, session, exc, afresh=False)
        return False
    loads = window.worker.loads
    try:
        with _slot_errors() as caught:
            window.plots.clear()
            window.panel.clear_hints()  # "training restarts" spoke of the previous session
            window.model.replace(session)
            window.lecture.apply_setup(session.lecture)
        if caught:
            raise caught[0]
        if window.model.session is not session or window.worker.loads == loads:
            raise RuntimeError("the training process was not given the new session")
    except Exception as exc:  # noqa: BLE001
        window.model.replace(old)  # the trainer restarts from the old session's weights
        window.lecture.apply_setup(old.lecture)
        _tell(window, session, exc, afresh=True)
        return False
    return True


def _rehearse(window: QMainWindow, session: Session) -> None:
    """Show ``session`` in the views only; the model keeps the previous session."""
    old = window.model.session
    window.model.session = session  # the views read the window's session
    try:
        with _slot_errors() as caught:
            window._show_session(restart=False)  # noqa: SLF001 (the window's own step)
        if caught:
            raise caught[0]
    finally:
        window.model.session = old


def _show_again(window: QMainWindow) -> None:
    """The views back on the model's (previous) session and its newest weights."""
    window._show_session(restart=False)  # noqa: SLF001
    window.redraw()


def _tell(window: QMainWindow, session: Session, exc: BaseException, afresh: bool) -> None:
    name = session.name or "the session"
    text = f"“{name}” could not be shown ({type(exc).__name__}: {exc}). "
    text += "The previous session is back"
    text += ", its training restarted from its current weights." if afresh else ", unchanged."
    window.files.show_error("Open session", text.encode("utf-8", "backslashreplace").decode())

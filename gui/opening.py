"""Opening a session in the window: read off the GUI thread, then taken all or nothing.

Reading (DESIGN.md, "How data flows" 6): :class:`SessionLoader` runs a read
(``gui.files.open_session``: read, parse, check, build the data set) on a thread of its own
pool and hands the result back to the GUI thread through a queued signal; the thread never
touches a widget.  A busy dialog appears only if the read takes longer than SHOW_AFTER_MS.
Its Cancel, like a newer load, means that the result, when it comes, is ignored: a thread
cannot be stopped safely halfway through a read, so it is left to finish and its answer
dropped.

Taking (:func:`take`): the window takes a new session in two phases.  First a rehearsal: the
views are shown the new session while the model, its undo history, the plots and the
training process still hold the previous one; if any view fails, the views are shown the
previous session again and nothing else has changed.  Then the switch: plots cleared, model
replaced, the trainer restarted, lecture set-up taken.  If anything fails there (a slot
included: Qt would only print its exception), the previous session is put back and the
trainer restarted from its current weights; its undo history and plots start afresh, which
the message says.  Either way the window stays consistent and says what went wrong.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMainWindow, QProgressDialog, QWidget

from core.session.format import Session
from gui.jobs.background import BackgroundJob, Done, Work

SHOW_AFTER_MS = 300  # a quick load shows no dialog at all (it would only flicker)


class SessionLoader(QObject):
    """Reads sessions in a worker thread, one wanted result at a time, with a busy dialog.

    ``pending`` counts the reads still running (cancelled ones too); ``busy`` says whether a
    result is awaited.  ``settled`` is emitted when a load ends: delivered, or cancelled.
    """

    settled = Signal()

    def __init__(self, window: QWidget, show_after_ms: int = SHOW_AFTER_MS) -> None:
        super().__init__(window)
        self.window, self.show_after_ms = window, show_after_ms
        self.job = BackgroundJob(self, QThreadPool(self))  # a pool of its own: see shutdown
        self.dialog: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        """Whether a load's result is awaited (not cancelled, not superseded, not delivered)."""
        return self.job.busy

    @property
    def pending(self) -> int:
        """The reads still running, cancelled ones too."""
        return self.job.pending

    def start(self, read: Work, label: str, done: Done) -> None:
        """Run ``read()`` in a worker thread; then ``done(result, None)`` or ``done(None,
        exception)`` on the GUI thread, unless cancelled or superseded by a newer start."""
        self._drop()  # a newer load supersedes the one still running
        self.dialog = self._busy_dialog(label)
        self.job.start(read, lambda result, error: self._deliver(done, result, error))

    def _busy_dialog(self, label: str) -> QProgressDialog:
        """A busy indicator (range 0..0) that shows itself after ``show_after_ms``."""
        dialog = QProgressDialog(label, "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Open session")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(self.show_after_ms)
        dialog.setValue(0)  # starts the timer that shows it after show_after_ms
        dialog.canceled.connect(self.cancel)
        return dialog

    @Slot()
    def cancel(self) -> None:
        """Stop waiting: the running read's result will be ignored; the window stays as it is."""
        if self.busy:
            self._drop()
            self.settled.emit()

    def _drop(self) -> None:
        """Forget the awaited result and close its dialog."""
        self.job.cancel()
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.reset()  # stops its show timer and hides it
            dialog.deleteLater()

    def _deliver(self, done: Done, result: Any, error: BaseException | None) -> None:
        self._drop()
        try:
            done(result, error)  # may start another load (e.g. asked to allow a file)
        finally:
            if not self.busy:
                self.settled.emit()

    def wait(self) -> None:
        """Return once no load is awaited, the GUI thread serving events meanwhile."""
        loop = QEventLoop()
        self.settled.connect(loop.quit)
        try:
            while self.busy:
                loop.exec()
        finally:
            self.settled.disconnect(loop.quit)

    def shutdown(self) -> None:
        """Ignore any awaited result and wait for the reads still running (the window closes)."""
        self._drop()
        self.job.pool.waitForDone()


# --- taking the session read --------------------------------------------------------------


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
            window.explorer.apply_setup(session)
        if caught:
            raise caught[0]
        if window.model.session is not session or window.worker.loads == loads:
            raise RuntimeError("the training process was not given the new session")
    except Exception as exc:  # noqa: BLE001
        window.model.replace(old)  # the trainer restarts from the old session's weights
        window.explorer.apply_setup(old)
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

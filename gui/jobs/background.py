"""A job on a pool thread whose answer comes back to the GUI thread: one wanted answer at
a time.

:class:`BackgroundJob` runs a function on a thread of a pool and hands its result (or
exception) back by a signal queued to the thread the job lives on (the GUI thread); the
pool thread never touches a widget.  A newer start supersedes an older one and a cancel
drops it: a thread cannot be stopped safely halfway, so it is left to finish and its
answer is ignored.  Reading a session (gui.opening), a CSV file (gui.data) and writing
worksheets (gui.quiz) all go through it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

Work = Callable[[], Any]
Done = Callable[[Any, BaseException | None], None]


class _Run(QRunnable):
    """``work`` on a pool thread; its result (or exception) goes back by ``job.finished``."""

    def __init__(self, job: BackgroundJob, ticket: int, work: Work) -> None:
        super().__init__()
        self.job, self.ticket, self.work = job, ticket, work

    def run(self) -> None:
        try:
            result, error = self.work(), None
        except BaseException as exc:  # noqa: BLE001 (any failure must reach the window)
            result, error = None, exc
        # A RuntimeError: the job's owner (a window, a dialog) has gone meanwhile, and
        # nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self.job.finished.emit(self.ticket, result, error)


class BackgroundJob(QObject):
    """Runs work on ``pool`` (default: the application's); ``done(result, error)`` is
    called on this object's thread for the newest start, unless it was cancelled.
    ``pending`` counts the runs not yet back (cancelled and superseded ones too)."""

    finished = Signal(int, object, object)  # ticket, result, exception (from the thread)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self.pending = 0
        self._ticket = 0
        self._done: Done | None = None
        self.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """Whether an answer is awaited (not cancelled, not superseded, not delivered)."""
        return self._done is not None

    def start(self, work: Work, done: Done) -> None:
        """Run ``work()`` on a pool thread, then ``done`` with its answer (an earlier
        start's answer is dropped)."""
        self._ticket += 1
        self._done = done
        self.pending += 1
        self.pool.start(_Run(self, self._ticket, work))

    def cancel(self) -> None:
        """Drop the awaited answer."""
        self._done = None

    @Slot(int, object, object)
    def _on_finished(self, ticket: int, result: Any, error: BaseException | None) -> None:
        self.pending -= 1
        if ticket != self._ticket or self._done is None:
            return  # cancelled or superseded
        done, self._done = self._done, None
        done(result, error)

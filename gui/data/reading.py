"""Reading a data file off the GUI thread: one wanted result at a time.

:class:`BackgroundRead` runs a function on a thread of its own pool and hands its result (or
exception) back to the GUI thread by a queued signal; the thread never touches a widget.  A
newer start supersedes an older one, whose answer is then dropped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

Done = Callable[[Any, BaseException | None], None]


class _Run(QRunnable):
    def __init__(self, owner: BackgroundRead, ticket: int, read: Callable[[], Any]) -> None:
        super().__init__()
        self.owner, self.ticket, self.read = owner, ticket, read

    def run(self) -> None:
        try:
            result, error = self.read(), None
        except Exception as exc:  # noqa: BLE001 (any failure goes back to the dialog)
            result, error = None, exc
        with contextlib.suppress(RuntimeError):  # the dialog has gone meanwhile
            self.owner.finished.emit(self.ticket, result, error)


class BackgroundRead(QObject):
    """Runs reads in a worker thread; ``done(result, error)`` on the GUI thread."""

    finished = Signal(int, object, object)  # ticket, result, exception (from the thread)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The application's pool: one owned by the dialog would make closing it wait for a
        # large file's read; a read whose dialog has gone finishes and is dropped.
        self.pool = QThreadPool.globalInstance()
        self._ticket = 0
        self._done: Done | None = None
        self.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)

    @property
    def busy(self) -> bool:
        """Whether a result is awaited."""
        return self._done is not None

    def start(self, read: Callable[[], Any], done: Done) -> None:
        """Run ``read()`` in a worker thread, then ``done`` with its answer."""
        self._ticket += 1
        self._done = done
        self.pool.start(_Run(self, self._ticket, read))

    def cancel(self) -> None:
        """Drop the awaited answer."""
        self._done = None

    @Slot(int, object, object)
    def _on_finished(self, ticket: int, result: Any, error: BaseException | None) -> None:
        if ticket != self._ticket or self._done is None:
            return
        done, self._done = self._done, None
        done(result, error)

"""Work that must not freeze the window: run on a plain Python thread, collected by a timer
on the GUI thread (as the worker reads its pipe: no Qt object is touched off the GUI thread
and no signal crosses threads), and the predictions' evaluation, throttled.

Measured here (2 cores, one BLAS thread): every row of a 100,000-point data set takes 55 ms
through Playground's 2-4-2-1 network and 60-90 ms through a 7-8-8-1 one, and its CSV text
0.6 s: too long for the GUI thread at a few updates a second.  500 rows take 0.06 ms and
5,000 rows 0.4 ms.  So sets of up to SYNC_ROWS rows and SYNC_WORK multiply-adds are
evaluated at once, larger ones on a thread (NumPy releases the GIL in its array loops, so
the window keeps drawing).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from core.data.dataset import Dataset
from core.engine.network import Network, parameter_count
from core.explore.predictions import predictions

SYNC_ROWS = 10_000  # rows evaluated on the GUI thread (about a millisecond) ...
SYNC_WORK = 2_000_000  # ... if they need at most this many multiply-adds
POLL_MS = 15  # how often the GUI thread looks whether a job has finished


class Background(QObject):
    """One job at a time on a plain thread; ``done(result)`` is called on the GUI thread
    when it finishes.  An exception in the job goes to ``failed`` there, or without one
    is raised there, for the app's handler."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job: tuple[threading.Thread, dict, Callable, Callable | None] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check)

    @property
    def busy(self) -> bool:
        """Whether a job is running (or finished and not yet collected)."""
        return self._job is not None

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Start ``work()`` on a thread (one job at a time: ValueError when busy)."""
        if self._job is not None:
            raise ValueError("a job is still running")
        box: dict = {}

        def target() -> None:
            try:
                box["result"] = work()
            except BaseException as exc:  # handed to the GUI thread, raised there
                box["error"] = exc

        thread = threading.Thread(target=target, name="backprop-lab-explore", daemon=True)
        self._job = (thread, box, done, failed)
        thread.start()
        self._poll.start()

    def wait(self, seconds: float = 30.0) -> None:
        """Block until the running job ends and deliver it (tests; closing)."""
        if self._job is not None:
            self._job[0].join(seconds)
            self._check()

    def _check(self) -> None:
        if self._job is None or self._job[0].is_alive():
            return
        _thread, box, done, failed = self._job
        self._job = None
        self._poll.stop()
        if "error" in box and failed is not None:
            failed(box["error"])
            return
        if "error" in box:
            raise box["error"]
        done(box["result"])


class Evaluator(QObject):
    """The predictions of the newest network it is asked about, at most once every
    ``interval`` seconds (by ``clock``), only while enabled; ``ready(Predictions)`` on the
    GUI thread.  Results of an earlier session (before :meth:`new_session`) are dropped."""

    ready = Signal(object)

    def __init__(
        self,
        parent: QObject | None = None,
        interval: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.interval, self.clock = interval, clock
        self.enabled = False
        self.background = Background(self)
        self._pending: tuple[int, Network, Dataset, str] | None = None
        self._session = 0
        self._started = -math.inf
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start)

    def new_session(self) -> None:
        """A new session (or data): forget what was asked, drop what is running."""
        self._session += 1
        self._pending = None

    def set_enabled(self, on: bool) -> None:
        """Evaluate only while the table is seen; what was asked meanwhile waits."""
        self.enabled = on
        self._schedule()

    def request(self, network: Network, dataset: Dataset, loss: str) -> None:
        """Evaluate ``network`` on every row of ``dataset`` (replacing an earlier request
        that has not started).  ``network`` must not change afterwards."""
        self._pending = (self._session, network, dataset, loss)
        self._schedule()

    @property
    def pending(self) -> bool:
        """Whether a request waits (for the throttle, the running job or visibility)."""
        return self._pending is not None

    def _schedule(self) -> None:
        if not self.enabled or self._pending is None or self.background.busy:
            return
        wait = self._started + self.interval - self.clock()
        if wait > 0:
            if not self._timer.isActive():
                self._timer.start(math.ceil(wait * 1000))
            return
        self._start()

    def _start(self) -> None:
        if not self.enabled or self._pending is None or self.background.busy:
            return
        session, network, dataset, loss = self._pending
        self._pending = None
        self._started = self.clock()
        rows = len(dataset.x_train) + len(dataset.x_test)
        if rows <= SYNC_ROWS and rows * parameter_count(network.layers) <= SYNC_WORK:
            self._deliver(session, predictions(network, dataset, loss))
            return
        work = lambda: predictions(network, dataset, loss)  # noqa: E731
        self.background.run(work, lambda result: self._finished(session, result))

    def _finished(self, session: int, result) -> None:
        self._deliver(session, result)
        self._schedule()

    def _deliver(self, session: int, result) -> None:
        if session == self._session:
            self.ready.emit(result)

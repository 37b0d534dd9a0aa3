"""The training process killed and brought back (issue 10 §3): 10 times in a row, SIGKILL the
process while it plays, press Play again, and time until training goes on from the last
state shown. Each round must continue (epoch and steps never go back) for the round to count.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_restart.py [--rounds N]

Qt and the app are imported inside main(): the training process is started with "spawn",
re-imports this file as __mp_main__ and needs only the core.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from core.threads import one_blas_thread  # noqa: E402

one_blas_thread()  # as main.py does, before NumPy loads

TIMEOUT = 60.0


def wait_for(done: Callable[[], bool], app) -> float:
    """Run the event loop until ``done()``; the seconds it took (fails after TIMEOUT)."""
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > TIMEOUT:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.002)
    return time.perf_counter() - start


def main() -> int:
    """Kill and restart ``--rounds`` times; print one line per round and a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds
    from PySide6.QtCore import QCoreApplication

    from core.session.format import load_session
    from core.session.lessons import LESSONS_DIR
    from gui.worker import TrainingWorker

    app = QCoreApplication.instance() or QCoreApplication([])
    worker = TrainingWorker()
    worker.start()
    worker.load(load_session(LESSONS_DIR / "playground_default.json"))
    worker.set_stop(None, None)
    wait_for(lambda: worker.latest is not None, app)
    notes: list[str] = []
    worker.restarted.connect(notes.append)
    times, ok = [], 0
    for round_ in range(1, rounds + 1):
        worker.play()
        target = worker.latest.epoch + 3
        wait_for(lambda t=target: worker.latest.epoch >= t, app)
        os.kill(worker.process.pid, signal.SIGKILL)
        wait_for(lambda: not worker.is_running(), app)
        last = worker.latest
        worker.play()
        seconds = wait_for(lambda e=last.epoch: worker.latest.epoch > e, app)
        went_on = worker.latest.steps > last.steps and len(notes) == round_
        ok += went_on
        times.append(seconds)
        print(f"round {round_:2d}: killed at epoch {last.epoch:4d}, training again after "
              f"{seconds * 1000:6.0f} ms, {'went on' if went_on else 'DID NOT go on'}")  # fmt: skip
    worker.shutdown()
    print(f"{ok} of {rounds} went on from the last state; restart to the next epoch: median "
          f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")  # fmt: skip
    return 0 if ok == rounds else 1


if __name__ == "__main__":
    sys.exit(main())

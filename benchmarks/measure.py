"""Measuring helpers shared by the window's benchmarks: the machine, summary statistics,
a shown widget, the real event loop and a process's CPU time.

Qt is imported inside the functions, so a benchmark's training process (started with
"spawn") can import this module without it.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
from pathlib import Path


def machine() -> dict:
    """CPU model, cores, load averages, versions and the date."""
    import numpy
    import pyqtgraph
    import PySide6

    cpus = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((c.split(":", 1)[1].strip() for c in cpus if c.startswith("model name")), "?")
    return dict(cpu=cpu, cores=os.cpu_count(), load=[round(x, 2) for x in os.getloadavg()],
                python=platform.python_version(), numpy=numpy.__version__,
                pyside6=PySide6.__version__, pyqtgraph=pyqtgraph.__version__,
                qpa=os.environ["QT_QPA_PLATFORM"],
                date=datetime.datetime.now().isoformat(timespec="minutes"))  # fmt: skip


def stats(times_ms: list[float]) -> dict:
    """Mean and 90th percentile of times in ms."""
    p90 = statistics.quantiles(times_ms, n=10, method="inclusive")[-1]
    return {"mean": statistics.fmean(times_ms), "p90": p90}


def application():
    """The QApplication (made here if need be), offscreen unless a platform is set."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["benchmark"])


def shown(widget, width: int, height: int):
    """``widget`` resized, shown and laid out."""
    from PySide6.QtWidgets import QApplication

    widget.resize(width, height)
    widget.show()
    QApplication.processEvents()
    return widget


def spin(seconds: float) -> None:
    """Run the real event loop for ``seconds`` (QTest.qWait sleeps 10 ms between events)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_window(session):
    """A MainWindow on ``session`` (not shown yet), its settings in a temporary folder (the
    window saves its geometry on close); returns the window and the folder."""
    import tempfile

    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow

    folder = tempfile.TemporaryDirectory()
    settings = QSettings(f"{folder.name}/settings.ini", QSettings.Format.IniFormat)
    return MainWindow(session, settings), folder


def close_window(window, folder) -> None:
    """Close ``window`` as a user who discards the changes, and remove its folder."""
    from PySide6.QtWidgets import QMessageBox

    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.close()
    window.deleteLater()
    spin(0.2)  # deleteLater needs an event loop
    folder.cleanup()


def measured_play(window, meter, seconds: float, measuring=lambda on: None) -> dict:
    """Play ``window`` (its first snapshot come) for ``seconds`` with ``meter.on``, then pause:
    the wall time, and the CPU seconds of the GUI process, its GUI thread and the trainer.
    ``measuring(True)`` and ``measuring(False)`` are called as the measurement starts and
    ends."""
    import time

    child = window.worker.process.pid
    cpu0, gui0, start = cpu_seconds(child), time.process_time(), time.perf_counter()
    thread0 = time.thread_time()
    meter.on = True
    measuring(True)
    spin(seconds)
    measuring(False)
    meter.on, elapsed = False, time.perf_counter() - start
    figures = dict(start=start, elapsed=elapsed, gui_cpu=time.process_time() - gui0,
                   thread_cpu=time.thread_time() - thread0,
                   child_cpu=cpu_seconds(child) - cpu0)  # fmt: skip
    window.controls.play_action.trigger()
    return figures

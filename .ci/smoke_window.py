"""Smoke test of the real window on a real X server (.ci/run starts Xvfb for it).

Start the app, open a lesson from the Lessons menu, play for a second, enter lecture mode,
show one frame, leave, quit; exit 0 if every step did what it should, else 1 with the step
that failed. Runs from the checkout: python .ci/smoke_window.py (DISPLAY set, QT_QPA_PLATFORM
unset or xcb).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from core.session.lessons import DEFAULT_LESSON  # noqa: E402
from gui.app import application  # noqa: E402
from gui.files import open_session  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402

TIMEOUT = 60.0  # seconds for any one step: a loaded CI machine is slow, never this slow


def wait_for(what: str, done: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    """Run the event loop until ``done()``; fail naming ``what`` after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise SystemExit(f"smoke test failed: {what} (waited {timeout:.0f} s)")
        QApplication.processEvents()
        time.sleep(0.01)


def run_for(seconds: float) -> None:
    """Let the event loop run for ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def on_the_x_server(title: str) -> bool:
    """Whether a window whose title contains ``title`` is mapped on the X server (xdotool);
    True when xdotool is not installed (the rest of the test still runs)."""
    if shutil.which("xdotool") is None:
        return True
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", title], capture_output=True, timeout=30
    )
    return found.returncode == 0 and bool(found.stdout.strip())


def main() -> int:
    """The smoke test; an exit status."""
    platform = os.environ.get("QT_QPA_PLATFORM", "xcb")
    if not os.environ.get("DISPLAY") or platform != "xcb":
        print("smoke test: needs an X display (DISPLAY) and QT_QPA_PLATFORM unset or xcb")
        return 2
    app = application()
    with tempfile.TemporaryDirectory() as folder:  # the user's own preferences stay untouched
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        return smoke(app, MainWindow(open_session(DEFAULT_LESSON), settings))


def smoke(app: QApplication, window: MainWindow) -> int:
    """Open a lesson, play, lecture, quit in ``window``; an exit status."""
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.lecture.ask_leave = lambda: QMessageBox.StandardButton.Reset
    window.resize(1280, 800)
    window.show()
    wait_for("the window is exposed", window.isVisible)
    wait_for("the first snapshot arrives", lambda: window.latest is not None)
    print(f"smoke test: platform {app.platformName()}, window up")
    wait_for("the window is on the X server", lambda: on_the_x_server("Backprop Lab"))

    menu = next(a.menu() for a in window.menuBar().actions() if "Lessons" in a.text())
    mazur = next(a for a in menu.actions() if "Mazur" in a.text())
    mazur.trigger()
    wait_for("the Mazur lesson opens", lambda: "Mazur" in window.session.name)
    wait_for("its first snapshot arrives", lambda: tuple(window.latest.layers) == (2, 2, 2))
    print(f"smoke test: opened {window.session.name!r}")

    window.controls.play_action.trigger()
    wait_for("play starts training", lambda: window.worker.playing)
    run_for(1.0)
    wait_for("training moves on", lambda: window.latest.steps > 0)
    window.controls.play_action.trigger()
    wait_for("pause stops training", lambda: not window.worker.playing)
    print(f"smoke test: trained {window.latest.steps} steps")

    window.on_lecture_mode(True)
    wait_for("lecture mode traces a step", lambda: window.lecture.controller.plan is not None)
    frames = window.lecture.controller.count
    window.lecture.controller.next()
    wait_for("the next frame shows", lambda: window.lecture.controller.index == 1)
    run_for(0.3)
    print(f"smoke test: lecture mode, frame 2 of {frames}")
    window.lecture.leave_by_user()
    wait_for("lecture mode ends", lambda: not window.lecture.active)

    window.close()
    wait_for("the window closes", lambda: not window.isVisible())
    if window.worker.is_running():
        raise SystemExit("smoke test failed: the training process outlived the window")
    app.quit()
    print("smoke test: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

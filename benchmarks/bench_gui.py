"""The window's figures (issue 3 §10): training speed in the real window against the headless
core, frames painted while training, the cost of one diagram repaint and of one output-map
refresh, and the time from process start to the window on screen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py [--quick] [--json]
    .venv/bin/python benchmarks/bench_gui.py --profile   # cProfile of the GUI thread and diagram

Qt and the app are imported inside the functions: the training process is started with
"spawn" and re-imports this file as __mp_main__, and it needs only the core.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LESSON = ROOT / "resources" / "lessons" / "playground_default.json"
WINDOW_SIZE = (1600, 1000)
DIAGRAMS = {"2-8-8-8-1": ([2, 8, 8, 8, 1], 8.0), "64-32-10": ([64, 32, 10], 30.0)}
STARTUP_SCRIPT = """
import os, sys, time
t0 = float(os.environ["BENCH_T0"])
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(["bench"])
class Spy(QObject):
    shown = painted = None
    def eventFilter(self, obj, event):
        kind = event.type()
        if self.shown is None and kind == QEvent.Type.Show and isinstance(obj, QMainWindow):
            self.shown = time.time() - t0
        elif self.shown is not None and self.painted is None and kind == QEvent.Type.Paint:
            self.painted = -1.0  # the first frame ends when the event loop is free again
            QTimer.singleShot(0, lambda: self.frame_done(obj.window()))
        return False
    def frame_done(self, window):
        self.painted = time.time() - t0
        window.close()
spy = Spy()
app.installEventFilter(spy)
from gui.app import run_gui
run_gui(None, settings=QSettings(sys.argv[1], QSettings.Format.IniFormat))
print(spy.shown, spy.painted)
"""


def machine() -> dict:
    """CPU model, cores, load averages, versions and the date."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor())
    import numpy
    import PySide6
    import pyqtgraph

    return {"cpu": cpu, "cores": os.cpu_count(), "load": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "numpy": numpy.__version__,
            "pyside6": PySide6.__version__, "pyqtgraph": pyqtgraph.__version__,
            "platform": os.environ["QT_QPA_PLATFORM"],
            "date": datetime.datetime.now().isoformat(timespec="minutes")}


def stats(times_ms: list[float]) -> dict:
    """Mean and 90th percentile of a list of times in ms."""
    return {"mean": statistics.fmean(times_ms),
            "p90": statistics.quantiles(times_ms, n=10, method="inclusive")[-1]}


def playground(epochs: int = 10**9):
    """The Playground default session, with a stop far away so that play runs on."""
    from core.session import load_session

    session = load_session(LESSON)
    session.training = dataclasses.replace(session.training, epochs=epochs)
    return session


# --------------------------------------------------------------- 1. training speed and frames

def headless_rate(seconds: float) -> float:
    """Steps per second of trainer_for(session).run_epoch() for ``seconds``."""
    from core.trainer import trainer_for

    trainer = trainer_for(playground())
    trainer.run_epoch()  # warm-up
    steps, start = trainer.steps, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        trainer.run_epoch()
    return (trainer.steps - steps) / elapsed


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def spin(seconds: float) -> None:
    """Run the real event loop for ``seconds`` (QTest.qWait would sleep between events)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def window_run(seconds: float, profile: cProfile.Profile | None = None) -> dict:
    """Play the default lesson in a real 1600x1000 MainWindow; steps/s, frames/s, CPU use."""
    from PySide6.QtCore import QEvent, QObject, QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from gui.main_window import MainWindow

    class Meter(QObject):
        """Counts paint events of the views and times every snapshot the window handles."""

        def __init__(self, window: MainWindow) -> None:
            super().__init__()
            self.window, self.on = window, False
            self.widgets = {"diagram": window.network_view.viewport(),
                            "output": window.output_view.plot.viewport(),
                            "plots": window.plots.loss_plot.viewport()}
            self.frames = dict.fromkeys(self.widgets, 0)
            self.names = {w: name for name, w in self.widgets.items()}
            self.arrivals: list[tuple[float, int]] = []
            self.handler_ms: list[float] = []
            for widget in self.widgets.values():
                widget.installEventFilter(self)
            window.worker.snapshotReady.disconnect(window._on_snapshot)
            window.worker.snapshotReady.connect(self.on_snapshot)

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if self.on and event.type() == QEvent.Type.Paint and obj in self.names:
                self.frames[self.names[obj]] += 1
            return False

        def on_snapshot(self, snap: object) -> None:
            start = time.perf_counter()
            self.window._on_snapshot(snap)
            if self.on:
                self.handler_ms.append(1000 * (time.perf_counter() - start))
                self.arrivals.append((start, snap.steps))

    settings = QSettings(tempfile.mktemp(suffix=".ini"), QSettings.Format.IniFormat)
    window = MainWindow(playground(), settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    meter = Meter(window)
    while window.latest is None:
        spin(0.05)  # the training process starts and sends its first snapshot
    window.controls.play_action.trigger()
    spin(0.3)  # the first snapshots: the plots get their first rows, pyqtgraph settles
    child = window.worker.process.pid
    cpu0, gui0, start = cpu_seconds(child), time.process_time(), time.perf_counter()
    meter.on = True
    if profile is not None:
        profile.enable()
    spin(seconds)
    if profile is not None:
        profile.disable()
    meter.on, elapsed = False, time.perf_counter() - start
    gui_cpu, child_cpu = time.process_time() - gui0, cpu_seconds(child) - cpu0
    window.controls.play_action.trigger()
    (t0, s0), (t1, s1) = meter.arrivals[0], meter.arrivals[-1]
    window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return {"steps_per_s": (s1 - s0) / (t1 - t0),
            "fps": {name: n / elapsed for name, n in meter.frames.items()},
            "snapshots_per_s": len(meter.arrivals) / elapsed,
            "handler_ms": stats(meter.handler_ms),
            "cpu": {"gui": gui_cpu / elapsed, "trainer": child_cpu / elapsed}}


def training_speed(rounds: int, seconds: float) -> dict:
    """Headless and window runs, interleaved ``rounds`` times."""
    headless, window = [], []
    for _ in range(rounds):
        headless.append(headless_rate(seconds))
        window.append(window_run(seconds))
        print(f"  headless {headless[-1]:8,.0f} steps/s   window {window[-1]['steps_per_s']:8,.0f}"
              f" steps/s  {min(window[-1]['fps'].values()):5.1f} fps   load "
              f"{os.getloadavg()[0]:.2f}", file=sys.stderr)
    return {"headless": headless, "window": window}


# --------------------------------------------------------------- 2. and 3. one repaint

def diagram_repaint(layers: list[int], repeats: int) -> list[float]:
    """ms of set_network(fresh weights) plus a full render of the viewport, 900x600."""
    from PySide6.QtWidgets import QApplication

    from core.network import Network
    from core.snapshot import network_snapshot
    from gui.network_view import NetworkView

    view = NetworkView()
    view.resize(900, 600)
    view.show()
    QApplication.processEvents()
    names = [f"x{i + 1}" for i in range(layers[0])]
    acts = ["tanh"] * (len(layers) - 2) + ["sigmoid"]
    times = []
    for seed in range(repeats + 1):  # the first builds the items: not counted
        snap = network_snapshot(Network.initialized(layers, acts, "xavier_uniform", seed))
        start = time.perf_counter()
        view.set_network(snap, names)
        view.viewport().grab()
        times.append(1000 * (time.perf_counter() - start))
        QApplication.processEvents()  # the update() it scheduled, outside the timing
    view.close()
    return times[1:]


def heatmap_refresh(repeats: int) -> list[float]:
    """ms of OutputView.set_network for the default network (a 100x100 map)."""
    from PySide6.QtWidgets import QApplication

    from core.network import Network
    from gui.output_view import OutputView

    session = playground()
    view = OutputView()
    view.resize(480, 520)
    view.show()
    view.set_session(session)
    QApplication.processEvents()
    layers, acts = session.network.layers, session.network.activation_names
    times = []
    for seed in range(repeats):
        network = Network.initialized(layers, acts, "xavier_uniform", seed)
        start = time.perf_counter()
        view.set_network(network)
        times.append(1000 * (time.perf_counter() - start))
        QApplication.processEvents()
    view.close()
    return times


# --------------------------------------------------------------- 4. time to window shown

def startup(repeats: int) -> list[tuple[float, float]]:
    """(shown, first frame painted) in s from just before the process starts, per run."""
    runs = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, BENCH_T0=repr(time.time()))
            out = subprocess.run([sys.executable, "-c", STARTUP_SCRIPT, f"{tmp}/s.ini"],
                                 cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        shown, painted = out.stdout.split()[-2:]
        runs.append((float(shown), float(painted)))
    return runs


# --------------------------------------------------------------- the report

def verdicts(r: dict) -> list[tuple[str, str, str, bool]]:
    """(figure, target, measured, passed) rows."""
    head, win = r["speed"]["headless"], [w["steps_per_s"] for w in r["speed"]["window"]]
    fps = [min(w["fps"].values()) for w in r["speed"]["window"]]
    rows = [("window / headless steps/s", ">= 0.80x",
             f"{max(win) / max(head):.2f}x best ({statistics.median(win) / statistics.median(head):.2f}x median)",
             max(win) / max(head) >= 0.8),
            ("frames painted while training", ">= 30 fps",
             f"{max(fps):.0f} best ({statistics.median(fps):.0f} median), slowest view",
             max(fps) >= 30)]
    for name, (_, target) in DIAGRAMS.items():
        s = r["diagram"][name]
        rows.append((f"diagram repaint {name}", f"<= {target:g} ms",
                     f"{s['mean']:.1f} ms mean, {s['p90']:.1f} p90", s["mean"] <= target))
    h = r["heatmap"]
    rows.append(("100x100 output map refresh", "<= 5 ms",
                 f"{h['mean']:.2f} ms mean, {h['p90']:.2f} p90", h["mean"] <= 5.0))
    shown, painted = (statistics.median(x) for x in zip(*r["startup"]))
    rows.append(("process start to window shown", "<= 1.5 s",
                 f"{shown:.2f} s shown, {painted:.2f} s painted (median)", painted <= 1.5))
    return rows


def print_report(r: dict) -> None:
    m = r["machine"]
    print(f"{m['cpu']}, {m['cores']} cores, load {m['load']}, {m['date']}, {m['platform']}")
    print("\nsteps/s and frames/s, interleaved rounds")
    for h, w in zip(r["speed"]["headless"], r["speed"]["window"]):
        fps = "  ".join(f"{k} {v:4.0f}" for k, v in w["fps"].items())
        print(f"  headless {h:7,.0f}  window {w['steps_per_s']:7,.0f}  fps: {fps}  "
              f"snapshots {w['snapshots_per_s']:3.0f}/s, handler {w['handler_ms']['mean']:.1f} ms "
              f"(p90 {w['handler_ms']['p90']:.1f})  CPU gui {w['cpu']['gui']:.0%} "
              f"trainer {w['cpu']['trainer']:.0%}")
    print(f"\n{'figure':32} {'target':10} {'measured':50} result")
    for figure, target, measured, passed in verdicts(r):
        print(f"{figure:32} {target:10} {measured:50} {'PASS' if passed else 'FAIL'}")


def profiles(seconds: float) -> None:
    """cProfile of the GUI thread while the window trains, and of the big diagram's repaint."""
    profile = cProfile.Profile()
    window_run(seconds, profile)
    print("\n--- GUI thread while training (the whole event loop), by total time")
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    profile = cProfile.Profile()
    profile.runcall(diagram_repaint, DIAGRAMS["64-32-10"][0], 30)
    print("\n--- 30 repaints of the 64-32-10 diagram, by cumulative time")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run (~20 s)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--profile", action="store_true", help="print cProfiles instead")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (kept alive)
    if args.profile:
        profiles(5.0)
        return
    rounds, seconds, n = (1, 1.5, 10) if args.quick else (3, 5.0, 30)
    r = {"machine": machine(), "speed": training_speed(rounds, seconds)}
    r["diagram"] = {name: stats(diagram_repaint(layers, n)) for name, (layers, _) in DIAGRAMS.items()}
    r["heatmap"] = stats(heatmap_refresh(20 if args.quick else 100))
    r["startup"] = startup(2 if args.quick else 5)
    r["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        r["verdicts"] = [dict(zip(("figure", "target", "measured", "pass"), v)) for v in verdicts(r)]
        print(json.dumps(r, indent=2))
    else:
        print_report(r)


if __name__ == "__main__":
    main()

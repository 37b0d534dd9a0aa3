"""The window's figures (issue 3 §10): training speed in the real window against the headless
core, frames painted while training, one diagram repaint, one output-map refresh, and the time
from process start to the window on screen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_gui.py [--quick] [--json]
    .venv/bin/python benchmarks/bench_gui.py --profile   # where the GUI thread's time goes

Qt and the app are imported inside the functions: the training process is started with
"spawn", re-imports this file as __mp_main__ and needs only the core.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from core.threads import one_blas_thread  # noqa: E402

one_blas_thread()  # as main.py does, before NumPy loads
from measure import (  # noqa: E402
    application,
    close_window,
    machine,
    measured_play,
    open_window,
    shown,
    spin,
    stats,
)

LESSON = ROOT / "resources" / "lessons" / "playground_default.json"
WINDOW_SIZE = (1600, 1000)
# name: (layers, target ms, every edge drawn); at 900x600 the view elides a column beyond 16
# neurons, so "64-32-10" draws 375 edges, and "64-32-10 all" forces all 2,368 (4.5 px nodes).
DIAGRAMS = {
    "2-8-8-8-1": ([2, 8, 8, 8, 1], 8.0, False),
    "64-32-10": ([64, 32, 10], 30.0, False),
    "64-32-10 all": ([64, 32, 10], 30.0, True),
}
# Run by `python -c` with BENCH_T0 = time.time() taken just before the process started:
# prints the seconds to the main window's first Show event and to the end of its first frame.
STARTUP_SCRIPT = """
import os, sys, time
t0 = float(os.environ["BENCH_T0"])
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(["bench"])
class Spy(QObject):
    shown = painted = None
    def eventFilter(self, obj, event):
        if self.shown is None and event.type() == QEvent.Type.Show and isinstance(obj, QMainWindow):
            self.shown = time.time() - t0
        elif self.shown and self.painted is None and event.type() == QEvent.Type.Paint:
            self.painted = -1.0  # the frame is done when the event loop is free again
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


def playground():
    """The Playground default session, with its epoch limit far away so that play runs on."""
    from core.session.format import load_session
    from core.session.schema import MAX_EPOCHS

    session = load_session(LESSON)
    session.training = dataclasses.replace(session.training, epochs=MAX_EPOCHS)
    return session


def headless_rate(seconds: float) -> float:
    """Steps per second of trainer_for(session).run_epoch() for ``seconds``."""
    from core.engine.trainer import trainer_for

    trainer = trainer_for(playground())
    trainer.run_epoch()  # warm-up
    steps, start = trainer.steps, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        trainer.run_epoch()
    return (trainer.steps - steps) / elapsed


def meter_for(window):
    """A Meter on ``window``: it counts the paint events of the diagram's, the map's and the
    loss plot's viewports, and times every snapshot the window handles (with its steps)."""
    from PySide6.QtCore import QEvent, QObject

    class Meter(QObject):
        """Counts the views' paint events; times each snapshot the window handles."""

        def __init__(self) -> None:
            super().__init__()
            self.window, self.on, self.arrivals, self.handler_ms = window, False, [], []
            self.views = {window.network_view.viewport(): "diagram",
                          window.output_view.plot.viewport(): "map",
                          window.plots.loss_plot.viewport(): "plots"}  # fmt: skip
            self.frames = dict.fromkeys(self.views.values(), 0)
            for view in self.views:
                view.installEventFilter(self)
            window.worker.snapshotReady.disconnect(window._on_snapshot)
            window.worker.snapshotReady.connect(self.on_snapshot)

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if self.on and event.type() == QEvent.Type.Paint and obj in self.views:
                self.frames[self.views[obj]] += 1
            return False

        def on_snapshot(self, snap: object) -> None:
            start = time.perf_counter()
            self.window._on_snapshot(snap)
            if self.on:
                self.handler_ms.append(1000 * (time.perf_counter() - start))
                self.arrivals.append((start, snap.steps))

    return Meter()


def window_run(seconds: float, measuring: Callable[[bool], object] = lambda on: None) -> dict:
    """Play the default lesson in a shown 1600x1000 MainWindow for ``seconds``: steps/s from
    the snapshots, frames painted per second by each view, the snapshot handler, CPU use.
    ``measuring(True)`` and ``measuring(False)`` are called when the measurement starts and ends."""
    window, folder = open_window(playground())
    shown(window, *WINDOW_SIZE)
    meter = meter_for(window)
    while window.latest is None:
        spin(0.05)  # the training process starts and sends its first snapshot
    window.controls.play_action.trigger()
    spin(0.3)  # the plots get their first rows and settle
    m = measured_play(window, meter, seconds, measuring)
    elapsed, gui_cpu, child_cpu = m["elapsed"], m["gui_cpu"], m["child_cpu"]
    close_window(window, folder)
    (t0, s0), (t1, s1) = meter.arrivals[0], meter.arrivals[-1]
    rate, frames = (s1 - s0) / (t1 - t0), max(meter.frames.values())
    return dict(steps_per_s=rate, fps={k: n / elapsed for k, n in meter.frames.items()},
                handler_ms=stats(meter.handler_ms),
                cpu={"gui": gui_cpu / elapsed, "trainer": child_cpu / elapsed},
                gui_cpu_ms_per_frame=1000 * gui_cpu / max(frames, 1),
                steps_per_trainer_cpu_s=rate * elapsed / child_cpu,
                load=os.getloadavg()[0])  # fmt: skip


def training_speed(rounds: int, seconds: float) -> dict:
    """Headless and window runs, interleaved ``rounds`` times."""
    headless, window = [], []
    for _ in range(rounds):
        headless.append(headless_rate(seconds))
        window.append(window_run(seconds))
        w, fps = window[-1], min(window[-1]["fps"].values())
        print(f"  headless {headless[-1]:7,.0f} steps/s, window {w['steps_per_s']:7,.0f} at "
              f"{fps:.0f} fps, load {w['load']:.2f}", file=sys.stderr)  # fmt: skip
    return {"headless": headless, "window": window}


def diagram_repaint(layers: list[int], repeats: int, every_edge: bool) -> tuple[list, int]:
    """ms of set_network(fresh weights) plus a full render of the viewport at 900x600, and
    how many edges are drawn; ``every_edge``: no neuron is elided (tiny nodes)."""
    from PySide6.QtWidgets import QApplication

    from core.engine.network import Network
    from core.snapshot import network_snapshot
    from gui.diagram.view import NetworkView

    view = shown(NetworkView(), 900, 600)
    if every_edge:
        view.max_shown, view.min_node = max(layers), 4.0
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
    return times[1:], len(view.diagram.edges.ends)


def heatmap_refresh(repeats: int) -> list[float]:
    """ms of OutputView.set_network for the default network (a 100x100 map)."""
    from PySide6.QtWidgets import QApplication

    from core.engine.network import Network
    from gui.output.view import OutputView

    session = playground()
    view = shown(OutputView(), 480, 520)
    view.set_session(session)
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


def startup(repeats: int) -> list[tuple[float, float]]:
    """(shown, first frame painted) in s after just before the process started, per run."""
    runs = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, BENCH_T0=repr(time.time()))
            command = [sys.executable, "-c", STARTUP_SCRIPT, f"{tmp}/settings.ini"]
            out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
        shown, painted = out.stdout.split()[-2:]
        runs.append((float(shown), float(painted)))
    return runs


def verdicts(r: dict) -> list[tuple[str, str, str, bool]]:
    """(figure, target, measured, passed) rows; speed and frames are judged on the best."""
    head, win = r["speed"]["headless"], [w["steps_per_s"] for w in r["speed"]["window"]]
    fps = [min(w["fps"].values()) for w in r["speed"]["window"]]
    best, median = max(win) / max(head), statistics.median(win) / statistics.median(head)
    rows = [
        ("window / headless steps/s", ">= 0.80x", f"{best:.2f}x best, {median:.2f}x median",
         best >= 0.8),
        ("frames painted while training", ">= 30 fps",
         f"{max(fps):.0f} best, {statistics.median(fps):.0f} median", max(fps) >= 30),
    ]  # fmt: skip
    for name, (_, target, _) in DIAGRAMS.items():
        s = r["diagram"][name]
        text = f"{s['mean']:.1f} ms mean, {s['p90']:.1f} p90 ({s['edges']:,} edges)"
        rows.append((f"diagram repaint {name}", f"<= {target:g} ms", text, s["mean"] <= target))
    h = r["heatmap"]
    text = f"{h['mean']:.2f} ms mean, {h['p90']:.2f} p90"
    rows.append(("100x100 output map refresh", "<= 5 ms", text, h["mean"] <= 5.0))
    shown, painted = (statistics.median(x) for x in zip(*r["startup"]))
    text = f"{shown:.2f} s shown, {painted:.2f} s painted"
    rows.append(("start to window shown (median)", "<= 1.5 s", text, shown <= 1.5))
    return rows


def print_report(r: dict) -> None:
    m = r["machine"]
    print(f"{m['cpu']}, {m['cores']} cores, load {m['load']} -> {m['load_after']}, "
          f"{m['date']}, QT_QPA_PLATFORM={m['qpa']}\n")  # fmt: skip
    print("headless   window  frames/s: diagram map plots   handler ms (p90)   GUI CPU "
          "ms/frame   CPU: GUI trainer   trainer steps/CPU-s   load")  # fmt: skip
    for h, w in zip(r["speed"]["headless"], r["speed"]["window"]):
        fps, cpu, handler = w["fps"], w["cpu"], w["handler_ms"]
        print(f"{h:8,.0f} {w['steps_per_s']:8,.0f} {fps['diagram']:16.0f} {fps['map']:3.0f} "
              f"{fps['plots']:5.0f} {handler['mean']:12.1f} ({handler['p90']:4.1f}) "
              f"{w['gui_cpu_ms_per_frame']:17.1f} {cpu['gui']:10.0%} {cpu['trainer']:7.0%} "
              f"{w['steps_per_trainer_cpu_s']:21,.0f} {w['load']:6.2f}")  # fmt: skip
    print(f"\n{'figure':31} {'target':10} {'measured':42} result")
    for figure, target, measured, passed in verdicts(r):
        print(f"{figure:31} {target:10} {measured:42} {'PASS' if passed else 'FAIL'}")


def profiles(seconds: float) -> None:
    """The GUI thread's CPU per frame by part (timers around the window's own methods), its
    cProfile while training, and a cProfile of 30 repaints of the 64-32-10 diagram."""
    import pyqtgraph as pg
    from PySide6.QtCore import QEvent

    from gui.diagram.view import NetworkView
    from gui.output.view import OutputView
    from gui.plots.training import TrainingPlots

    spent: defaultdict[str, float] = defaultdict(float)
    on = {"now": False}
    parts = [(TrainingPlots, "append"), (NetworkView, "set_network"), (OutputView, "set_network"),
             (NetworkView, "set_neuron_maps"), (pg.GraphicsView, "paintEvent"),
             (NetworkView, "viewportEvent")]  # fmt: skip
    originals = [getattr(cls, name) for cls, name in parts]
    for (cls, name), method in zip(parts, originals):

        def timed(self, *args, _method=method, _name=name):
            start = time.thread_time()  # CPU time: a busy machine stretches the wall time
            try:
                return _method(self, *args)
            finally:
                if on["now"] and (_name != "viewportEvent" or args[0].type() == QEvent.Type.Paint):
                    kind = "paint" if "Event" in _name else "snapshot handler"
                    spent[f"{kind}: {type(self).__name__}.{_name}"] += time.thread_time() - start

        setattr(cls, name, timed)
    result = window_run(seconds, lambda measure: on.update(now=measure))
    for (cls, name), method in zip(parts, originals):
        setattr(cls, name, method)
    frames = max(result["fps"].values()) * seconds
    print(f"GUI thread CPU per frame: {result['gui_cpu_ms_per_frame']:.1f} ms at "
          f"{frames / seconds:.0f} frames/s; of which (ms per frame):")  # fmt: skip
    for part, total in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {1000 * total / frames:6.2f}  {part}")
    rest = result["gui_cpu_ms_per_frame"] - 1000 * sum(spent.values()) / frames
    print(f"  {rest:6.2f}  everything else: Qt's widgets, labels and layouts, the event loop")
    profile = cProfile.Profile()
    window_run(seconds, lambda measure: profile.enable() if measure else profile.disable())
    print("\n--- cProfile of the GUI thread while training, by total time")
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    profile = cProfile.Profile()
    profile.runcall(diagram_repaint, [64, 32, 10], 30, True)
    print("\n--- cProfile of 30 repaints of the 64-32-10 diagram, all edges, by cumulative time")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run (~15 s)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--profile", action="store_true", help="print profiles instead")
    args = parser.parse_args()

    app = application()  # noqa: F841 (kept alive)
    if args.profile:
        profiles(5.0)
        return
    rounds, seconds, n = (1, 1.5, 10) if args.quick else (3, 5.0, 30)
    r = {"machine": machine(), "speed": training_speed(rounds, seconds), "diagram": {}}
    for name, (layers, _, every_edge) in DIAGRAMS.items():
        times, edges = diagram_repaint(layers, n, every_edge)
        r["diagram"][name] = {**stats(times), "edges": edges}
    r["heatmap"] = stats(heatmap_refresh(20 if args.quick else 100))
    r["startup"] = startup(2 if args.quick else 5)
    r["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        keys = ("figure", "target", "measured", "pass")
        r["verdicts"] = [dict(zip(keys, row)) for row in verdicts(r)]
        print(json.dumps(r, indent=2))
    else:
        print_report(r)


if __name__ == "__main__":
    main()

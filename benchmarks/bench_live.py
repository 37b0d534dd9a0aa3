"""Live training as its users see it (issue 11): the real window trains TensorFlow Playground's
three reference set-ups, and we count what it draws.

    .venv/bin/python benchmarks/bench_live.py [--seconds 10] [--sizes 1600x1000,full]
        [--setups a,b,c] [--json out.json]
    .venv/bin/python benchmarks/bench_live.py --profile [--setups b]   # where a frame goes

The window is a real X window when Xvfb is installed (the benchmark starts its own server,
1920x1080, and runs Qt on xcb), else offscreen.  For each window size (1600x1000, and full
screen on the 1920x1080 screen) and set-up it plays for ``--seconds`` and reports:

- epochs/s (from the snapshots' epochs);
- repaints/s of each view: the diagram, the output map and the loss plot (paint events of
  their viewports), and the longest gap between two repaints of the diagram;
- the GUI process's CPU (all its threads) and the training process's, in cores, and the GUI's
  CPU per diagram repaint.

Set-ups (Playground's own, as its URL would give them): a, the default: circle, x1 x2, 4-2
tanh, batch 10; b: circle, all 7 inputs, 6 hidden layers of 8, batch 10; c: spiral, x1 x2,
8-8-8, batch 1.  Playground trains one epoch per animation frame.

Qt and the app are imported inside the functions: the training process is started with
"spawn", re-imports this file as __mp_main__ and needs only the core.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from core.threads import one_blas_thread  # noqa: E402

if "--blas-pool" not in sys.argv:  # as main.py does, before NumPy loads
    one_blas_thread()
from measure import close_window, machine, measured_play, open_window, shown, spin  # noqa: E402

LESSON = ROOT / "resources" / "lessons" / "playground_default.json"
SCREEN = (1920, 1080)
WINDOW = (1600, 1000)
DISPLAY_NUMBER = 77
ALL_INPUTS = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
SETUPS = {
    "a": ("circle, x1 x2, 4-2 tanh, batch 10", "circle", ["x1", "x2"], [4, 2], 10),
    "b": ("circle, 7 inputs, 6x8 tanh, batch 10", "circle", ALL_INPUTS, [8] * 6, 10),
    "c": ("spiral, x1 x2, 8-8-8 tanh, batch 1", "spiral", ["x1", "x2"], [8, 8, 8], 1),
}
PLAYGROUND_EPOCHS = {"a": 45, "b": 11, "c": 18}  # measured side by side (issue 11)
TARGET_REPAINTS = 30.0
TARGET_GAP_MS = 100.0


def session_for(setup: str):
    """Set-up ``setup`` as a Session: Playground's default lesson with its data set, inputs,
    hidden layers and batch size, trained on and on."""
    from core.session.format import session_from_dict
    from core.session.schema import MAX_EPOCHS

    _, data, features, hidden, batch = SETUPS[setup]
    d = copy.deepcopy(json.loads(LESSON.read_text()))
    d["name"] = f"set-up {setup}"
    d["data"]["builtin"] = data
    d["features"] = features
    d["network"]["layers"] = [len(features), *hidden, 1]
    d["network"]["activations"] = ["tanh"] * (len(hidden) + 1)
    d["training"]["batch_size"] = batch
    d["training"]["epochs"] = MAX_EPOCHS
    return session_from_dict(d)


def start_xvfb() -> subprocess.Popen | None:
    """Our own Xvfb at SCREEN, with DISPLAY and QT_QPA_PLATFORM set for it; None if there is
    no Xvfb (then the window runs offscreen)."""
    if shutil.which("Xvfb") is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        return None
    display = f":{DISPLAY_NUMBER}"
    socket = Path(f"/tmp/.X11-unix/X{DISPLAY_NUMBER}")
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if socket.exists():
            break
        time.sleep(0.05)
    os.environ["DISPLAY"], os.environ["QT_QPA_PLATFORM"] = display, "xcb"
    return server


def meter_for(window):
    """Counts the paint events of the diagram's, the map's and the loss plot's viewports (with
    the diagram's paint times) and notes each snapshot's arrival and epoch."""
    from PySide6.QtCore import QEvent, QObject

    class Meter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.on = False
            self.views = {
                window.network_view.viewport(): "diagram",
                window.output_view.plot.viewport(): "map",
                window.plots.loss_plot.viewport(): "plots",
            }
            self.frames: dict[str, int] = dict.fromkeys(self.views.values(), 0)
            self.diagram_times: list[float] = []
            self.arrivals: list[tuple[float, int]] = []
            for view in self.views:
                view.installEventFilter(self)
            window.worker.snapshotReady.connect(self.on_snapshot)

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
            if self.on and event.type() == QEvent.Type.Paint and obj in self.views:
                name = self.views[obj]
                self.frames[name] += 1
                if name == "diagram":
                    self.diagram_times.append(time.perf_counter())
            return False

        def on_snapshot(self, snap: object) -> None:
            if self.on:
                self.arrivals.append((time.perf_counter(), snap.epoch))

    return Meter()


def live_run(setup: str, size: str, seconds: float, measuring=lambda on: None) -> dict:
    """Play set-up ``setup`` in the window (``size``: "1600x1000" or "full") for ``seconds``."""
    from PySide6.QtWidgets import QApplication

    window, folder = open_window(session_for(setup))
    if size == "full":  # no window manager under Xvfb: the screen's size, set by hand
        window.setGeometry(QApplication.primaryScreen().geometry())
        window.showFullScreen()
        QApplication.processEvents()
    else:
        shown(window, *WINDOW)
    meter = meter_for(window)
    while window.latest is None:
        spin(0.05)  # the training process starts and sends its first snapshot
    window.controls.play_action.trigger()
    spin(1.0)  # the plots get their first rows, the caches warm up
    m = measured_play(window, meter, seconds, measuring)
    start, elapsed = m["start"], m["elapsed"]
    gui_cpu, child_cpu, thread_cpu = m["gui_cpu"], m["child_cpu"], m["thread_cpu"]
    geometry = window.width(), window.height()
    close_window(window, folder)
    (t0, e0), (t1, e1) = meter.arrivals[0], meter.arrivals[-1]
    times = [start, *meter.diagram_times, start + elapsed]
    gaps = [b - a for a, b in zip(times, times[1:])]
    repaints = meter.frames["diagram"]
    return {
        "setup": setup,
        "size": f"{geometry[0]}x{geometry[1]}",
        "epochs_per_s": (e1 - e0) / (t1 - t0),
        "repaints_per_s": {k: n / elapsed for k, n in meter.frames.items()},
        "longest_gap_ms": 1000 * max(gaps),
        "cores": {
            "gui": gui_cpu / elapsed,
            "gui_thread": thread_cpu / elapsed,
            "trainer": child_cpu / elapsed,
        },
        "gui_ms_per_repaint": 1000 * gui_cpu / max(repaints, 1),
        "load": os.getloadavg()[0],
    }


def print_table(results: list[dict]) -> None:
    print(
        "set-up  window      epochs/s (x Playground)  repaints/s diagram map plots  "
        "longest gap  cores gui trainer  GUI ms/repaint"
    )
    for r in results:
        fps = r["repaints_per_s"]
        ratio = r["epochs_per_s"] / PLAYGROUND_EPOCHS[r["setup"]]
        print(
            f"{r['setup']:6}  {r['size']:10}  {r['epochs_per_s']:8,.0f} ({ratio:5.1f}x)       "
            f"{fps['diagram']:7.1f} {fps['map']:5.1f} {fps['plots']:5.1f}  "
            f"{r['longest_gap_ms']:8.0f} ms  {r['cores']['gui']:8.2f} {r['cores']['trainer']:7.2f}"
            f"  {r['gui_ms_per_repaint']:10.1f}"
        )


def profile(setup: str, size: str, seconds: float) -> None:
    """The GUI thread's CPU per diagram repaint by part: timers around the window's own
    methods (per view, the neuron maps, the plots), while ``setup`` plays."""
    import pyqtgraph as pg
    from PySide6.QtCore import QEvent

    import gui.main_window as main_window
    from gui.diagram.view import NetworkView
    from gui.output.view import OutputView
    from gui.plots.training import TrainingPlots
    from gui.status_line import StatusLine

    spent: defaultdict[str, float] = defaultdict(float)
    on = {"now": False}
    parts = [
        (TrainingPlots, "append", "snapshot: plots, take the rows"),
        (TrainingPlots, "flush", "snapshot: plots, redraw the curves"),
        (NetworkView, "set_network", "snapshot: diagram, edges and neurons"),
        (NetworkView, "set_neuron_maps", "snapshot: diagram, neuron maps to images"),
        (OutputView, "set_network", "snapshot: output map"),
        (StatusLine, "take", "snapshot: status line"),
        (main_window, "fill_neurons", "snapshot: neuron maps, computed and drawn"),
        (NetworkView, "viewportEvent", "paint: diagram"),
        (pg.GraphicsView, "paintEvent", "paint: {}"),
    ]
    originals = []
    for owner, name, label in parts:
        method = getattr(owner, name, None)
        originals.append(method)
        if method is None:
            continue

        def timed(*args, _method=method, _label=label, _name=name):
            started = time.thread_time()  # CPU: a busy machine stretches the wall time
            try:
                return _method(*args)
            finally:
                paint = _name == "viewportEvent"
                if on["now"] and (not paint or args[1].type() == QEvent.Type.Paint):
                    what = _label
                    if "{}" in _label:
                        kind = type(args[0]).__name__
                        what = _label.format("output map" if kind == "OutputPlot" else kind)
                    spent[what] += time.thread_time() - started

        setattr(owner, name, timed)
    try:
        result = live_run(setup, size, seconds, lambda measure: on.update(now=measure))
    finally:
        for (owner, name, _), method in zip(parts, originals):
            if method is not None:
                setattr(owner, name, method)
    repaints = result["repaints_per_s"]["diagram"] * seconds
    print(
        f"set-up {setup} at {result['size']}: {result['repaints_per_s']['diagram']:.1f} "
        f"repaints/s, GUI process CPU {result['gui_ms_per_repaint']:.1f} ms per repaint "
        f"(all threads), of which on the GUI thread (ms per repaint):"
    )
    for part, total in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {1000 * total / repaints:6.2f}  {part}")
    thread_ms = 1000 * result["cores"]["gui_thread"] * seconds / repaints
    rest = thread_ms - 1000 * sum(spent.values()) / repaints
    print(f"  {rest:6.2f}  everything else on the GUI thread: Qt's widgets, the event loop")
    others = result["gui_ms_per_repaint"] - thread_ms
    print(f"  {others:6.2f}  the GUI process's other threads (BLAS, Qt's)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--sizes", default="1600x1000,full")
    parser.add_argument("--setups", default="a,b,c")
    parser.add_argument("--profile", action="store_true", help="where one frame's time goes")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--blas-pool", action="store_true", help="leave NumPy's BLAS threads as they come"
    )
    args = parser.parse_args()
    server = start_xvfb()
    try:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 (kept alive)
        print(json.dumps(machine()))
        print(f"BLAS threads: OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
        setups, sizes = args.setups.split(","), args.sizes.split(",")
        if args.profile:
            for setup in setups:
                profile(setup, sizes[0], args.seconds)
            return
        results = [live_run(s, size, args.seconds) for size in sizes for s in setups]
        print_table(results)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1))
    finally:
        if server is not None:
            server.terminate()


if __name__ == "__main__":
    main()

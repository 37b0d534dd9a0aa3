"""The largest networks the session format allows (issue 10): 4096 neurons in a layer, 16
hidden layers, 10 million parameters.  Offscreen, for each network: NetworkView.set_network's
first draw and a recolour with new weights (the items drawn, the edges), the neuron maps
(computed by the training process, drawn by the view), and the whole window: opening, the
first maps, one snapshot of it, and how late its event loop runs while it trains.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_largest.py [--repeats N]

Qt and the app are imported inside the functions, as in bench_gui.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from core.threads import one_blas_thread  # noqa: E402

one_blas_thread()  # as main.py does, before NumPy loads
from measure import application, close_window, machine, open_window, shown, spin  # noqa: E402

LESSON = ROOT / "resources" / "lessons" / "playground_default.json"
NETWORKS = {
    "2-4096-2048-1": [2, 4096, 2048, 1],  # 8.4 M parameters, the widest layers
    "2-256x16-1": [2] + [256] * 16 + [1],  # 16 hidden layers, 1.0 M parameters
    "2-4096x2-1": [2, 4096, 4096, 1],  # 16.8 M: over the limit, refused by the format
}


def session_with(layers: list[int], seed: int = 0):
    """The Playground default session with ``layers`` (tanh throughout), initialised."""
    from core.session.format import load_session, session_from_dict, session_to_dict

    d = session_to_dict(load_session(LESSON))
    d["network"] = dict(layers=layers, activations=["tanh"] * (len(layers) - 1),
                        init=dict(scheme="xavier_uniform", seed=seed))  # fmt: skip
    return session_from_dict(d)


def ms(start: float) -> float:
    return 1000 * (time.perf_counter() - start)


def view_figures(layers: list[int], repeats: int) -> dict:
    """First draw and recolours of a 900x600 NetworkView; items and edges drawn."""
    from PySide6.QtWidgets import QApplication

    from core.engine.network import Network
    from core.snapshot import network_snapshot
    from gui.diagram.view import NetworkView

    view = shown(NetworkView(), 900, 600)
    names = [f"x{i + 1}" for i in range(layers[0])]
    acts = ["tanh"] * (len(layers) - 2) + ["sigmoid"]
    snaps = [
        network_snapshot(Network.initialized(layers, acts, "xavier_uniform", seed))
        for seed in range(repeats + 1)
    ]
    start = time.perf_counter()
    view.set_network(snaps[0], names)
    view.viewport().grab()
    first = ms(start)
    QApplication.processEvents()
    recolours = []
    for snap in snaps[1:]:
        start = time.perf_counter()
        view.set_network(snap, names)
        view.viewport().grab()
        recolours.append(ms(start))
        QApplication.processEvents()
    items, edges = len(view.scene().items()), len(view.diagram.edges.ends)
    neurons = len(view.diagram.neurons)
    view.close()
    return dict(first_ms=first, recolour_ms=statistics.median(recolours), items=items,
                edges=edges, neurons=neurons)  # fmt: skip


def maps_figures(layers: list[int], repeats: int) -> dict:
    """ms of the maps the training process computes (core.snapshot.session_maps: every
    neuron's and the output's) and of drawing the neurons' from them (fill_neurons)."""
    from core.snapshot import network_snapshot, session_maps
    from gui.diagram.neurons import fill_neurons
    from gui.diagram.view import NetworkView

    session = session_with(layers)
    network = session.network
    view = shown(NetworkView(), 900, 600)
    view.set_network(network_snapshot(network), session.dataset.input_names)
    core_ms, fill_ms = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        maps = session_maps(session, network)
        core_ms.append(ms(start))
        start = time.perf_counter()
        fill_neurons(view, network, session, maps)
        fill_ms.append(ms(start))
    cells = sum(m.size for m in maps.neurons)
    images = sum(item.image is not None for item in view.diagram.neurons.values())
    view.close()
    return dict(core_ms=statistics.median(core_ms), fill_ms=statistics.median(fill_ms),
                map_cells=cells, output_cells=maps.output.size, images=images)  # fmt: skip


def lateness(seconds: float) -> float:
    """The longest a 10 ms timer waited beyond its time over ``seconds`` of the event loop."""
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer

    clock, worst, last = QElapsedTimer(), [0.0], [0.0]
    clock.start()

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        worst[0] = max(worst[0], now - last[0] - 10.0)
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    timer.start(10)
    spin(seconds)
    timer.stop()
    return worst[0]


def window_figures(layers: list[int], repeats: int) -> dict:
    """The shown 1600x1000 MainWindow on the network: ms to open, to the first maps from the
    training process, to handle one snapshot with maps (as the process sends it), and the
    event loop's worst lateness while it trains for 5 s."""
    from core.snapshot import network_snapshot, session_maps

    session = session_with(layers)
    start = time.perf_counter()
    window, folder = open_window(session)
    shown(window, 1600, 1000)
    open_ms = ms(start)
    while window.neurons.latest is None:
        spin(0.02)
    maps_ms = ms(start)
    times = []
    for seed in range(repeats):
        network = session_with(layers, seed + 1).network
        snap = dataclasses.replace(
            network_snapshot(network), run=window.worker.loads, maps=session_maps(session, network)
        )
        start = time.perf_counter()
        window._on_snapshot(snap)
        window.network_view.viewport().grab()
        times.append(ms(start))
    window.controls.play_action.trigger()
    late = lateness(5.0)
    window.controls.play_action.trigger()
    close_window(window, folder)
    return dict(open_ms=open_ms, maps_ms=maps_ms, snapshot_ms=statistics.median(times),
                late_ms=late)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", choices=list(NETWORKS), help="one network")
    parser.add_argument("--no-window", action="store_true", help="the view and maps only")
    args = parser.parse_args()

    from core.engine.network import check_size

    app = application()  # noqa: F841 (kept alive)
    m = machine()
    print(f"{m['cpu']}, {m['cores']} cores, load {m['load']}, {m['date']}, "
          f"QT_QPA_PLATFORM={m['qpa']}\n")  # fmt: skip
    for name, layers in NETWORKS.items():
        if args.only not in (None, name):
            continue
        try:
            check_size(layers)
        except ValueError as exc:
            print(f"{name}: refused by the format ({exc})\n")
            continue
        v = view_figures(layers, args.repeats)
        print(f"{name}: view first draw {v['first_ms']:.0f} ms, recolour "
              f"{v['recolour_ms']:.1f} ms; {v['items']} scene items, {v['neurons']} neurons, "
              f"{v['edges']:,} edges")  # fmt: skip
        mp = maps_figures(layers, args.repeats)
        print(f"  maps in the training process {mp['core_ms']:.0f} ms ({mp['map_cells']:,} "
              f"neuron cells, {mp['output_cells']:,} output cells); fill_neurons "
              f"{mp['fill_ms']:.1f} ms ({mp['images']} thumbnails)")  # fmt: skip
        if args.no_window:
            continue
        w = window_figures(layers, args.repeats)
        print(f"  window: opened in {w['open_ms']:.0f} ms, first maps at {w['maps_ms']:.0f} ms; "
              f"one snapshot with maps handled in {w['snapshot_ms']:.0f} ms; event loop at "
              f"most {w['late_ms']:.0f} ms late while training\n")  # fmt: skip
    print(f"load at the end {[round(x, 2) for x in os.getloadavg()]}")


if __name__ == "__main__":
    main()

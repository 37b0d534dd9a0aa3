"""Lecture mode's costs: an animation frame, a step to the next frame, the exports.

Targets (issue 4): each animation frame at most 16 ms for nets up to 2-8-8-8-1 (60 fps),
the GIF of the whole Mazur iteration in at most 10 s.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_lecture.py

An animation frame is what the lecture's 16 ms timer does: move the pulse dots along a
frame's edges (forward and backward frames) or morph every edge to a blend of the old and
new weights (update frames), then paint the diagram's viewport synchronously
(``repaint``), at 1920x1080 (the diagram about 1450x900).  A step is
``show_frame`` for the next frame plus its paint.  Times are medians and p95 over every
frame of the plan, repeated; the exports are wall clock, best of 3, side by side.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from core.engine.trainer import trainer_for  # noqa: E402
from core.session.format import load_session  # noqa: E402
from core.session.lessons import resolve  # noqa: E402
from core.trace.iteration import trace_next_step  # noqa: E402
from gui.exports.animation import save_gif, save_mp4, stage_view  # noqa: E402
from gui.lecture.frames import (  # noqa: E402
    fill_from_trace,
    moves,
    show_frame,
    show_motion,
    traced_pictures,
)
from gui.lecture.plan import LecturePlan  # noqa: E402

SIZE = (1450, 900)
REPEATS = 5
MOTION_STEPS = 12


def deep_session():
    """The Playground circle with three hidden layers of 8 tanh neurons: 2-8-8-8-1."""
    import json

    from core.session.format import loads_session

    d = json.loads(resolve("playground_default").read_text())
    d["network"] = {"layers": [2, 8, 8, 8, 1], "activations": ["tanh"] * 4}
    return loads_session(json.dumps(d))


def frame_times(session, granularity: str) -> dict[str, list[float]]:
    """ms per step (show_frame + paint) and per animation frame (motion + paint)."""
    view = stage_view(session, SIZE)
    plan = LecturePlan(trace_next_step(trainer_for(session), session.labels), granularity)
    pictures = traced_pictures(plan.trace)
    fill_from_trace(view, plan.trace)
    out: dict[str, list[float]] = {"step": [], "pulse": [], "morph": []}
    for _ in range(REPEATS):
        for frame in plan.frames:
            t0 = time.perf_counter()
            stage = show_frame(view, frame, pictures, session, 4)
            view.viewport().repaint()
            out["step"].append(1000 * (time.perf_counter() - t0))
            if not moves(frame):
                continue
            kind = "morph" if frame.phase == "update" else "pulse"
            for k in range(MOTION_STEPS):
                t0 = time.perf_counter()
                show_motion(view, frame, stage, pictures, k / MOTION_STEPS)
                view.viewport().repaint()
                out[kind].append(1000 * (time.perf_counter() - t0))
    view.close()
    return out


def export_times(session) -> dict[str, float]:
    """Best of 3 seconds for the whole iteration as GIF and as MP4 (1280x720, 4 fps), per
    neuron (the mazur lesson's own set-up: the most frames)."""
    plan = LecturePlan(trace_next_step(trainer_for(session), session.labels), "neuron")
    best = {"gif": float("inf"), "mp4": float("inf")}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(3):
            for kind, save in (("gif", save_gif), ("mp4", save_mp4)):
                view = stage_view(session, (1280, 720))
                t0 = time.perf_counter()
                save(view, plan, session, Path(folder) / f"step.{kind}", 4.0)
                best[kind] = min(best[kind], time.perf_counter() - t0)
                view.close()
    return best


def summary(times: list[float]) -> str:
    if not times:
        return "-"
    ranked = sorted(times)
    p95 = ranked[min(len(ranked) - 1, int(0.95 * len(ranked)))]
    return f"{statistics.median(times):5.1f} / {p95:5.1f}"


def main() -> None:
    QApplication.instance() or QApplication([])
    nets = {"Mazur 2-2-2": load_session(resolve("mazur")), "2-8-8-8-1": deep_session()}
    print(f"{'net':<13}{'granularity':<13}{'step ms':>16}{'pulse ms':>16}{'morph ms':>16}")
    print(f"{'':<26}{'(median / p95)':>16}")
    for name, session in nets.items():
        for granularity in ("layer", "neuron"):
            t = frame_times(session, granularity)
            cells = "".join(f"{summary(t[k]):>16}" for k in ("step", "pulse", "morph"))
            print(f"{name:<13}{granularity:<13}{cells}")
    best = export_times(nets["Mazur 2-2-2"])
    print(f"\nMazur iteration per neuron: GIF {best['gif']:.2f} s, MP4 {best['mp4']:.2f} s")


if __name__ == "__main__":
    main()

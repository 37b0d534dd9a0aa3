"""Time to compute a loss landscape (core.explore.jobs.LandscapeJob) on one BLAS thread.

For each built-in lesson given (default: Playground's default net and the spiral's 8,8,8),
after 20 epochs of training, the whole job is timed: the full-batch gradient, the plane and
every grid point, for the plane of the two steepest parameters and for two random
filter-normalised directions.  The best of the repeats is reported beside the target.

    .venv/bin/python benchmarks/bench_landscape.py [--steps 61] [--repeats 7] [--json]
"""

# ruff: noqa: E402  (the thread counts must be in the environment before numpy loads)
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from core.engine.trainer import trainer_for
from core.explore.jobs import LandscapeJob, LandscapeRequest
from core.session.format import load_session
from core.session.lessons import resolve

TARGETS = {"playground_default": 0.3, "spiral": 2.0}  # seconds for a 61 x 61 grid (the issue)


def measure(lesson: str, mode: str, steps: int, repeats: int) -> dict:
    """Best and median seconds of one landscape job of ``mode`` on ``lesson``."""
    session = load_session(resolve(lesson))
    trainer = trainer_for(session)
    trainer.run(epochs=20)
    net, x, y = trainer.network, trainer.x_train, trainer.y_train
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = LandscapeJob(LandscapeRequest(1, mode, steps=steps), net, x, y, session.loss).run()
        times.append(time.perf_counter() - start)
    centre = result.losses[steps // 2, steps // 2] - trainer.history.last("train_loss")
    return dict(lesson=lesson, mode=mode, layers=net.layers, rows=len(x), steps=steps,
                best=min(times), median=float(np.median(times)), centre_error=abs(centre),
                target=TARGETS.get(lesson))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=61)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--lessons", nargs="*", default=list(TARGETS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = [
        measure(lesson, mode, args.steps, args.repeats)
        for lesson in args.lessons
        for mode in ("parameters", "random")
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    cpus = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((c.split(":", 1)[1].strip() for c in cpus if c.startswith("model name")), "?")
    print(f"{cpu} ({platform.machine()}), {os.cpu_count()} cores, numpy {np.__version__}, load "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")  # fmt: skip
    print(f"{'lesson':20} {'layers':26} {'rows':>5} {'mode':11} {'grid':>7} "
          f"{'best s':>7} {'median s':>8} {'target s':>8} {'|centre - L|':>12}")  # fmt: skip
    for r in rows:
        grid = f"{r['steps']}x{r['steps']}"
        target = "-" if r["target"] is None else f"{r['target']:.1f}"
        times = f"{r['best']:7.3f} {r['median']:8.3f} {target:>8} {r['centre_error']:12.1e}"
        print(f"{r['lesson']:20} {str(r['layers']):26} {r['rows']:5d} {r['mode']:11} {grid:>7} "
              f"{times}")  # fmt: skip


if __name__ == "__main__":
    main()

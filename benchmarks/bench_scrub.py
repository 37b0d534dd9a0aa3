"""The history scrubber's costs, side by side in one run (see README.md, bench_scrub.py):

1. what keeping a checkpoint after every epoch costs training in the training process:
   epochs a second of Trainer.run_epoch alone and with Scrubber.epoch_ended after it,
   interleaved repeats, best of each;
2. what showing an epoch costs the training process: core.runner's "scrub" (rebuild from
   the nearest checkpoint, the snapshot with its evaluation and maps), for random epochs
   of a 10,000-epoch xor_script run and a 2,000-epoch spiral run (2-8-8-8-1 on its own
   features); the window needs one within 100 ms for xor_script, 30 a second for spiral;
3. with --window, the same in the window (offscreen, 1280x720): the slider moved epoch by
   epoch as a drag does, each epoch shown (asked, rebuilt, sent, drawn: diagram, neurons,
   output map, plots' cursor) before the next: epochs shown a second; and random epochs
   of a 10,000-epoch xor_script run: ms from the slider to the drawn epoch.

    .venv/bin/python benchmarks/bench_scrub.py [--quick] [--window]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import threads  # noqa: E402

threads.one_blas_thread()

from core.engine.trainer import trainer_for  # noqa: E402
from core.explore.scrubber import Scrubber  # noqa: E402
from core.runner import TrainingLoop  # noqa: E402
from core.session.format import load_session, session_to_dict  # noqa: E402

LESSONS = ROOT / "resources" / "lessons"


def epochs_per_second(name: str, epochs: int, repeats: int) -> tuple[float, float]:
    """Best epochs/s without and with a checkpoint after every epoch."""
    best = {False: 0.0, True: 0.0}
    for r in range(repeats + 1):
        for keep in (False, True) if r % 2 else (True, False):
            trainer = trainer_for(load_session(LESSONS / f"{name}.json"))
            scrubber = Scrubber(trainer)
            gc.disable()
            start = time.perf_counter()
            for _ in range(epochs):
                trainer.run_epoch()
                if keep:
                    scrubber.epoch_ended(trainer)
            rate = epochs / (time.perf_counter() - start)
            gc.enable()
            if r:  # the first round warms up
                best[keep] = max(best[keep], rate)
    return best[False], best[True]


class Pipe:
    def send(self, message: tuple) -> None:
        self.last = message

    def poll(self, timeout: float | None = 0.0) -> bool:
        return False


def scrub_times(name: str, epochs: int, shows: int) -> list[float]:
    """Milliseconds of the training process's "scrub" for random epochs of a run."""
    loop = TrainingLoop(Pipe())
    loop.handle(("load", session_to_dict(load_session(LESSONS / f"{name}.json")), None))
    loop.handle(("stop_at", None, None))
    for _ in range(epochs):
        loop.trainer.run_epoch()
        loop.scrubber.epoch_ended(loop.trainer)
    picks = random.Random(1).sample(range(epochs + 1), shows)
    times = []
    for epoch in picks:
        start = time.perf_counter()
        loop.handle(("scrub", epoch))
        times.append((time.perf_counter() - start) * 1000)
        assert loop.conn.last[1].epoch == epoch
    return times


def window_scrub(name: str, epochs: int, picks: list[int] | None) -> list[float]:
    """Milliseconds from a slider move to the drawn epoch in the window: each epoch in
    turn (``picks`` None: the last tenth of the run, backwards) or the ``picks``."""
    from benchmarks.measure import application, close_window, open_window, shown, spin

    app = application()
    window, folder = open_window(load_session(LESSONS / f"{name}.json"))
    shown(window, 1280, 720)
    while window.latest is None:
        spin(0.05)
    window.worker.set_stop(epochs, None)
    window.worker.play()
    while window.latest.epoch < epochs or window.worker.playing:
        spin(0.05)
    history = window.explorer.history
    targets = picks or list(range(epochs - 1, epochs - 1 - max(2, epochs // 10), -1))
    times = []
    for epoch in targets:
        start = time.perf_counter()
        history.bar.slider.setValue(epoch)
        while history.epoch != epoch:
            app.processEvents()
        window.network_view.viewport().repaint()  # drawn, not only asked to be
        times.append((time.perf_counter() - start) * 1000)
    close_window(window, folder)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs and repeats")
    parser.add_argument("--window", action="store_true", help="also scrub in the window")
    args = parser.parse_args()
    quick = args.quick
    repeats = 2 if quick else 5
    print("epochs/s in the training process, without and with a checkpoint every epoch")
    for name, epochs in (("xor_script", 20_000), ("playground_default", 300), ("spiral", 300)):
        plain, kept = epochs_per_second(name, epochs // (4 if quick else 1), repeats)
        print(f"  {name:20s} {plain:10.0f} {kept:10.0f}   ratio {kept / plain:.2f}")
    print("scrub: ms per epoch shown (rebuild + snapshot + maps), median / max")
    for name, epochs in (("xor_script", 10_000), ("spiral", 2_000)):
        times = scrub_times(name, epochs // (10 if quick else 1), 20 if quick else 60)
        print(f"  {name:20s} {statistics.median(times):8.1f} {max(times):8.1f}")
    if not args.window:
        return
    times = window_scrub("spiral", 300 if quick else 2_000, None)
    print(f"window, spiral epoch by epoch: {1000 / statistics.mean(times):.0f} epochs shown/s")
    picks = random.Random(2).sample(range(10_000), 10 if quick else 40)
    times = window_scrub("xor_script", 10_000, picks)
    print(
        f"window, xor_script random epochs of 10,000: median {statistics.median(times):.1f} ms,"
        f" max {max(times):.1f} ms"
    )


if __name__ == "__main__":
    main()

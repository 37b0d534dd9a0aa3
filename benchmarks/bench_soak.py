"""The soak (issue 10): the real window plays a lesson at full speed for a long time, and we
watch the resident memory of both processes, how late the event loop runs, and whether
anything crashed.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_soak.py [--minutes 30]
        [--warmup 1] [--lesson playground_default] [--json soak.json]

Every 10 s: VmRSS (/proc/PID/status) of the GUI process and of the training process. Every
50 ms a single-shot precise QTimer fires; its lateness (now - when it was due) is recorded.
The figures cover the ``--minutes`` after a ``--warmup`` of play (the caches, the plots'
history arrays and the allocator settle first): RSS at the start and the end and its growth,
lateness p50 / p99 / max, epochs trained, the training process's restarts, exceptions.

Targets: no crash (the window up and the training process alive, never restarted), RSS growth
under 50 MB in each process, lateness p99 under 100 ms.

Qt and the app are imported inside main(): the training process is started with "spawn",
re-imports this file as __mp_main__ and needs only the core.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from core.threads import one_blas_thread  # noqa: E402

one_blas_thread()  # as main.py does, before NumPy loads
from measure import application, cpu_seconds, machine, shown, spin  # noqa: E402

WINDOW_SIZE = (1600, 1000)
RSS_EVERY_S = 10.0
TICK_MS = 50
TARGET_GROWTH_MB = 50.0
TARGET_P99_MS = 100.0


def rss_mb(pid: int) -> float | None:
    """VmRSS of process ``pid`` in MB (None when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def lesson(name: str):
    """Lesson ``name`` with its epoch limit far away, so that play runs on."""
    from core.session.format import load_session
    from core.session.lessons import LESSONS_DIR
    from core.session.schema import MAX_EPOCHS

    session = load_session(LESSONS_DIR / f"{name}.json")
    return dataclasses.replace(
        session, training=dataclasses.replace(session.training, epochs=MAX_EPOCHS)
    )


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0..100) of ``values``, inclusive method."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


class Soak:
    """The window, its two timers and what they recorded."""

    def __init__(self, session, warmup_s: float, measure_s: float) -> None:
        from PySide6.QtCore import QSettings, Qt, QTimer

        from gui.main_window import MainWindow

        self.folder = tempfile.TemporaryDirectory()  # the window saves its geometry on close
        settings = QSettings(f"{self.folder.name}/settings.ini", QSettings.Format.IniFormat)
        self.window = MainWindow(session, settings)
        shown(self.window, *WINDOW_SIZE)
        self.warmup_s, self.measure_s = warmup_s, measure_s
        self.samples: list[dict] = []  # t, gui_mb, trainer_mb, trainer_pid, epoch
        self.lateness_ms: list[float] = []  # after the warm-up
        self.warmup_lateness_ms: list[float] = []
        self.exceptions: list[str] = []
        self.restarts: list[str] = []
        self.window.worker.restarted.connect(self.restarts.append)
        self._hook = sys.excepthook
        sys.excepthook = self._on_exception
        self.tick = QTimer()
        self.tick.setSingleShot(True)
        self.tick.setTimerType(Qt.TimerType.PreciseTimer)
        self.tick.timeout.connect(self._on_tick)
        self.sampler = QTimer()
        self.sampler.setTimerType(Qt.TimerType.PreciseTimer)
        self.sampler.timeout.connect(self._sample)
        self.start = self.due = 0.0

    def _on_exception(self, kind, value, tb) -> None:
        self.exceptions.append(f"{kind.__name__}: {value}")
        self._hook(kind, value, tb)

    def _on_tick(self) -> None:
        now = time.perf_counter()
        late = 1000 * (now - self.due)
        (self.lateness_ms if now - self.start >= self.warmup_s else self.warmup_lateness_ms).append(
            late
        )
        self.due = now + TICK_MS / 1000
        self.tick.start(TICK_MS)

    def _sample(self) -> None:
        worker, latest = self.window.worker, self.window.latest
        pid = worker.process.pid if worker.process is not None else None
        sample = dict(
            t=round(time.perf_counter() - self.start, 1),
            gui_mb=rss_mb(os.getpid()),
            trainer_mb=rss_mb(pid) if pid else None,
            trainer_pid=pid,
            running=worker.is_running(),
            epoch=latest.epoch if latest is not None else None,
            steps=latest.steps if latest is not None else None,
        )
        self.samples.append(sample)
        if len(self.samples) % 6 == 0:  # a line a minute
            print(
                f"  {sample['t'] / 60:5.1f} min  GUI {sample['gui_mb']:7.1f} MB  trainer "
                f"{sample['trainer_mb'] or 0:7.1f} MB  epoch {sample['epoch']:,}  "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )

    def run(self) -> dict:
        from PySide6.QtCore import QEventLoop, QTimer
        from PySide6.QtWidgets import QMessageBox

        self.window.controls.play_action.trigger()
        while self.window.latest is None:
            spin(0.05)  # the training process loads the session and sends its first snapshot
        trainer_pid = self.window.worker.process.pid
        self.start = time.perf_counter()
        self.due = self.start + TICK_MS / 1000
        self.tick.start(TICK_MS)
        self._sample()
        self.sampler.start(int(RSS_EVERY_S * 1000))
        cpu0, gui0 = cpu_seconds(trainer_pid), time.process_time()
        loop = QEventLoop()
        QTimer.singleShot(int((self.warmup_s + self.measure_s) * 1000) + 100, loop.quit)
        loop.exec()
        elapsed = time.perf_counter() - self.start
        self.sampler.stop()
        self.tick.stop()
        self._sample()
        alive = self.window.isVisible() and self.window.worker.is_running()
        cpu = {
            "gui": (time.process_time() - gui0) / elapsed,
            "trainer": (cpu_seconds(trainer_pid) - cpu0) / elapsed
            if rss_mb(trainer_pid) is not None
            else None,
        }
        self.window.controls.play_action.trigger()
        self.window.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
        self.window.close()
        self.window.worker.shutdown()
        sys.excepthook = self._hook
        return self.figures(alive, trainer_pid, cpu)

    def figures(self, alive: bool, trainer_pid: int, cpu: dict) -> dict:
        measured = [s for s in self.samples if s["t"] >= self.warmup_s - 0.5]
        first, last = measured[0], measured[-1]
        rss = {}
        for key in ("gui_mb", "trainer_mb"):
            values = [s[key] for s in measured if s[key] is not None]
            start, end = first[key], last[key]
            rss[key[:-3]] = dict(
                start=start,
                end=end,
                growth=(end - start) if start is not None and end is not None else None,
                max=max(values) if values else None,
                min=min(values) if values else None,
            )
        late = self.lateness_ms
        return dict(
            duration_s=round(last["t"] - first["t"], 1),
            warmup_s=self.warmup_s,
            alive=alive,
            trainer_pid_changed=any(s["trainer_pid"] != trainer_pid for s in self.samples),
            restarts=self.restarts,
            exceptions=self.exceptions,
            epochs=dict(
                start=first["epoch"], end=last["epoch"], trained=last["epoch"] - first["epoch"]
            ),  # fmt: skip
            steps=dict(start=first["steps"], end=last["steps"]),
            rss_mb=rss,
            lateness_ms=dict(
                ticks=len(late),
                p50=percentile(late, 50),
                p99=percentile(late, 99),
                max=max(late),
                over_100=sum(x > 100 for x in late),
                warmup_max=max(self.warmup_lateness_ms, default=float("nan")),
            ),
            cpu=cpu,
            samples=self.samples,
        )


def verdicts(r: dict) -> list[tuple[str, str, str, bool]]:
    """(figure, target, measured, passed) rows."""
    crash_free = r["alive"] and not r["restarts"] and not r["trainer_pid_changed"]
    crash_free = crash_free and not r["exceptions"]
    rows = [
        ("crashes", "none", f"window {'up' if r['alive'] else 'DOWN'}, "
         f"{len(r['restarts'])} restarts, {len(r['exceptions'])} exceptions", crash_free),
    ]  # fmt: skip
    for name in ("gui", "trainer"):
        m = r["rss_mb"][name]
        ok = m["growth"] is not None and m["growth"] < TARGET_GROWTH_MB
        text = f"{m['start']:.1f} -> {m['end']:.1f} MB ({m['growth']:+.1f}), max {m['max']:.1f}"
        rows.append((f"RSS growth, {name}", f"< {TARGET_GROWTH_MB:g} MB", text, ok))
    lat = r["lateness_ms"]
    text = f"p50 {lat['p50']:.1f}, p99 {lat['p99']:.1f}, max {lat['max']:.0f} ms"
    rows.append(("event-loop lateness p99", f"< {TARGET_P99_MS:g} ms", text,
                 lat["p99"] < TARGET_P99_MS))  # fmt: skip
    return rows


def print_report(r: dict) -> None:
    m = r["machine"]
    print(f"\n{m['cpu']}, {m['cores']} cores, QT_QPA_PLATFORM={m['qpa']}, {m['date']}")
    print(f"lesson {r['lesson']}, load {m['load']} at start -> {m['load_after']} at end")
    e, lat = r["epochs"], r["lateness_ms"]
    print(f"{r['duration_s'] / 60:.1f} min measured after {r['warmup_s'] / 60:.1f} min warm-up: "
          f"epochs {e['start']:,} -> {e['end']:,} ({e['trained']:,} trained), "
          f"{lat['ticks']:,} ticks, {lat['over_100']} over 100 ms; CPU GUI "
          f"{r['cpu']['gui']:.0%}, trainer {r['cpu']['trainer'] or 0:.0%}\n")  # fmt: skip
    print(f"{'figure':26} {'target':10} {'measured':48} result")
    for figure, target, measured, passed in verdicts(r):
        print(f"{figure:26} {target:10} {measured:48} {'PASS' if passed else 'FAIL'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="measured, after warm-up")
    parser.add_argument("--warmup", type=float, default=1.0, help="minutes before measuring")
    parser.add_argument("--lesson", default="playground_default")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args()

    app = application()  # noqa: F841 (kept alive)
    info = machine()
    print(f"soak: {args.lesson}, {args.warmup:g} min warm-up + {args.minutes:g} min, "
          f"load {info['load']}", flush=True)  # fmt: skip
    soak = Soak(lesson(args.lesson), 60 * args.warmup, 60 * args.minutes)
    r = soak.run()
    info["load_after"] = [round(x, 2) for x in os.getloadavg()]
    r = {"machine": info, "lesson": args.lesson, **r}
    keys = ("figure", "target", "measured", "pass")
    r["verdicts"] = [dict(zip(keys, row)) for row in verdicts(r)]
    print_report(r)
    if args.json:
        Path(args.json).write_text(json.dumps(r, indent=2))
    return 0 if all(v["pass"] for v in r["verdicts"]) else 1


if __name__ == "__main__":
    sys.exit(main())

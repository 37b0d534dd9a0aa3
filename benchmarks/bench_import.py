"""Data > Import CSV…: how long a file takes to be looked at (the dialog's scan), imported
(the whole file read, the standardisation computed) and loaded by the session, cold and
from the kept copy; and how soon a file over the limit is refused.

    .venv/bin/python benchmarks/bench_import.py [--repeats N]

The core alone (no Qt): the dialog runs the same calls on a worker thread.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from core.data import imported  # noqa: E402
from core.data.dataset import load  # noqa: E402
from core.data.scan import CLASSIFICATION, scan_csv  # noqa: E402
from core.data.tabular import DataError  # noqa: E402

SIZES = [(10_000, 10), (100_000, 10), (10_000, 256)]  # rows x columns (the last: labels)
CLASSES = ("setosa", "versicolor", "virginica")


def write(folder: Path, rows: int, columns: int) -> Path:
    """A CSV of ``columns - 1`` random inputs and a string class label."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, columns - 1)) * 10.0
    labels = rng.integers(0, len(CLASSES), size=rows)
    head = ",".join(f"x{j + 1}" for j in range(columns - 1)) + ",species\n"
    lines = (",".join(f"{v:.6g}" for v in row) + f",{CLASSES[c]}\n" for row, c in zip(x, labels))
    file = folder / f"t{rows}x{columns}.csv"
    file.write_text(head + "".join(lines))
    return file


def timed(call, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = call(*args)
    return time.perf_counter() - start, result


def measure(file: Path, repeats: int) -> dict:
    times: dict[str, list[float]] = {"scan": [], "import": [], "load (cold)": [], "load (kept)": []}
    for _ in range(repeats):
        imported._cache.clear()
        t, found = timed(scan_csv, file)
        times["scan"].append(t)
        args = (found, ["species"], CLASSIFICATION, 0.2, 0, True, str(file))
        t, spec = timed(imported.import_spec, *args)
        times["import"].append(t)
        t, _ = timed(load, spec, ["x1"], "softmax", 3, None, "cce", True)
        times["load (kept)"].append(t)
        imported._cache.clear()
        t, _ = timed(load, spec, ["x1"], "softmax", 3, None, "cce", True)
        times["load (cold)"].append(t)
    return {key: statistics.median(values) for key, values in times.items()}


def refusal(folder: Path) -> float:
    """Seconds to refuse a file of 100,001 data rows."""
    file = folder / "too_many.csv"
    file.write_text("x,y\n" + "1,2\n" * 100_001)
    start = time.perf_counter()
    try:
        scan_csv(file)
    except DataError:
        return time.perf_counter() - start
    raise AssertionError("not refused")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    with tempfile.TemporaryDirectory() as folder:
        print("| rows x columns | MB | scan | import | scan + import | load cold | load kept |")
        print("|---|---|---|---|---|---|---|")
        for rows, columns in SIZES:
            file = write(Path(folder), rows, columns)
            m = measure(file, repeats)
            both = m["scan"] + m["import"]
            print(
                f"| {rows:,} x {columns} | {file.stat().st_size / 2**20:.1f} "
                f"| {m['scan']:.3f} s | {m['import']:.3f} s | {both:.3f} s "
                f"| {m['load (cold)']:.3f} s | {m['load (kept)']:.4f} s |"
            )
        print(f"\n100,001 rows refused in {refusal(Path(folder)) * 1000:.1f} ms")


if __name__ == "__main__":
    main()

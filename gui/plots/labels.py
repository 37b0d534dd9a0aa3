"""What an earlier run is called, and where its tag goes: pure functions, no Qt.

An earlier run is labelled by what differs from the current run, among the five settings a
lecturer varies to compare runs (learning rate, batch size, initial seed, optimiser and
layers): "lr 0.3", or "batch 1, Adam".  A run whose learning rate was changed while it
trained shows its path: "lr 0.03→0.3".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from core.session.format import Session

OPTIMISER_NAMES = {"sgd": "SGD", "momentum": "SGD + momentum", "adam": "Adam"}
SAME = "same settings"


class RunSettings(TypedDict):
    """The settings runs are told apart by (the keys of :func:`settings_of`)."""

    lr: float  # the learning rate the run started with
    batch: int | None  # samples per step; None: the whole training set
    seed: int  # the seed of the initial weights
    optimizer: str  # "sgd", "momentum" or "adam"
    layers: tuple[int, ...]  # neurons per layer, input to output


def settings_of(session: Session) -> RunSettings:
    """The run settings of a session, as a run started from it trains with."""
    t = session.training
    return RunSettings(
        lr=float(t.learning_rate),
        batch=t.batch_size,
        seed=int(session.init_seed),
        optimizer=t.optimizer,
        layers=tuple(int(n) for n in session.network.layers),
    )


def lr_text(lrs: Sequence[float]) -> str:
    """A learning rate, or the path of one changed while training: "lr 0.03",
    "lr 0.03→0.3", "lr 0.03→…→1" (first and last of three or more)."""
    values = [f"{lr:g}" for lr in lrs]
    if len(values) > 2:
        values = [values[0], "…", values[-1]]
    return "lr " + "→".join(values)


def run_label(run: RunSettings, current: RunSettings, lrs: Sequence[float] = ()) -> str:
    """What ``run`` did differently from the ``current`` run (current["lr"] being the rate it
    trains with now), in the order lr, batch, seed, optimiser, layers; "same settings" if
    nothing of these differs.  ``lrs`` are the rates ``run`` changed to while it trained."""
    path = [run["lr"], *lrs]
    parts = []
    if any(lr != current["lr"] for lr in path):
        parts.append(lr_text(path))
    if run["batch"] != current["batch"]:
        parts.append("full batch" if run["batch"] is None else f"batch {run['batch']}")
    if run["seed"] != current["seed"]:
        parts.append(f"seed {run['seed']}")
    if run["optimizer"] != current["optimizer"]:
        parts.append(OPTIMISER_NAMES.get(run["optimizer"], run["optimizer"]))
    if tuple(run["layers"]) != tuple(current["layers"]):
        parts.append("layers " + "-".join(str(n) for n in run["layers"]))
    return ", ".join(parts) or SAME


def stack_offsets(points: Sequence[tuple[float, float]], width: float, height: float) -> list[int]:
    """How many tag heights to move each tag up so that no two tags of ``width`` x ``height``
    pixels, placed at ``points`` (pixels, y down), overlap: the lowest stays, each next one
    moves up past those it would cover (runs that end in the same place stay readable)."""
    order = sorted(range(len(points)), key=lambda i: (-points[i][1], points[i][0]))
    placed: list[tuple[float, float]] = []
    offsets = [0] * len(points)
    for i in order:
        x, y = points[i]
        while any(abs(x - px) < width and abs(y - py) < height for px, py in placed):
            offsets[i] += 1
            y -= height
        placed.append((x, y))
    return offsets

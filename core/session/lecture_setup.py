"""The lecture set-up a session keeps, so that a prepared lesson opens ready to present.

The session's optional "lecture" section (docs/session-format.md) says what
lecture mode traces and how it shows it:

    {"active": true,          open straight into lecture mode
     "sample": 3,             a training row (from 0); null: the next mini-batch
     "input": [0.05, 0.1],    or an input of one's own (raw point, before features),
     "target": [0.01, 0.99],  with its target as the network's outputs should be
     "shown": 0,              which sample of a traced batch the neurons show
     "unfold": false,         show each sample's part of the batch's dL/dw
     "granularity": "layer",  a frame per layer, or "neuron"
     "digits": 4,             significant digits of every number,
     "decimals": false,       or, if true, decimal places (as a worked example prints)
     "palette": "standard",   the colours (see PALETTES); left as the user has it if absent
     "step": 0,               the frame the lecture opens at
     "detail": [1],           per layer, but these layers' steps neuron by neuron
     "notes": {"Forward: layer 1 (hidden)": "ask what z means"},
                              speaker notes, by frame title (the lecturer's view shows them)
     "reveal": {"z": "revealed", "delta": "hidden"},
                              per quantity kind (REVEAL_KINDS): "shown" at once (the
                              default), "revealed" on click (symbols, numbers, result), or
                              "hidden" (never its number: an exercise)
     "pin_weights": true,     every weight's value on its edge in every frame
     "pinned": [[1, 0, 0], [1, 0]],  these values in every frame: a weight (l, i, j) =
                              weights[l][i, j], or a neuron's activation (layer, i)
     "path": [0, 0, 0]}       the path from the loss back to this weight, lit throughout

Every key is optional.  This module checks the section on its own; the
checks that need the network and the data (input and target lengths, the row
number) are :func:`check_against`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from core.data.dataset import Dataset, apply_features
from core.engine import losses
from core.session.checks import (
    INVALID,
    Problems,
    boolean,
    checked_section,
    choice,
    describe,
    invalid,
    items,
    join,
    number,
    or_null,
    string,
    whole,
)

GRANULARITIES = ("layer", "neuron")
MAX_NOTES, MAX_TITLE, MAX_NOTE = 1_000, 300, 10_000  # notes, and characters of each
MAX_DETAIL = 64  # the deepest a network may be
MAX_PINS, MAX_INDEX = 4_096, 1_048_576  # pinned values, and the largest index of one
# What the lecturer may reveal step by step: what a frame computes (z, a, L, δ, ∂L/∂w, the
# update) and the traced sample's inputs and targets (x, y).
REVEAL_KINDS = ("x", "z", "a", "y", "L", "delta", "dL/dw", "update")
REVEAL_MODES = ("shown", "revealed", "hidden")
PALETTES = ("standard", "high_contrast", "colour_blind")
DIGITS_RANGE = (2, 12)


@dataclass(frozen=True)
class LectureSetup:
    """What lecture mode traces and how it shows it (every field has a default)."""

    active: bool = False
    sample: int | None = None
    input: tuple[float, ...] | None = None
    target: tuple[float, ...] | None = None
    shown: int = 0
    unfold: bool = False
    granularity: str = "layer"
    digits: int = 4
    decimals: bool = False
    palette: str | None = None
    step: int = 0
    detail: tuple[int, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    reveal: dict[str, str] = field(default_factory=dict)
    pin_weights: bool = False
    pinned: tuple[tuple[int, ...], ...] = ()
    path: tuple[int, int, int] | None = None

    @property
    def own_input(self) -> bool:
        """Whether the lecture traces an input of its own rather than the data's."""
        return self.input is not None

    def to_dict(self) -> dict[str, Any]:
        """The section as JSON data; the input pair and the palette only when set."""
        out = asdict(self)
        out["reveal"] = {kind: way for kind, way in self.reveal.items() if way != "shown"}
        out["pinned"] = [list(key) for key in self.pinned]
        for key in ("notes", "reveal", "pin_weights", "pinned"):
            if not out[key]:
                del out[key]
        if self.detail:
            out["detail"] = list(self.detail)
        else:
            del out["detail"]
        for key in ("input", "target", "palette", "path"):
            if out[key] is None:
                del out[key]
            elif key != "palette":
                out[key] = list(out[key])
        return out


def _floats(value: Any, path: str, pr: Problems) -> tuple[float, ...]:
    listed = items(value, path, pr)
    if listed is INVALID:
        return INVALID
    if not listed:
        return pr.add(path, "expected at least one number")
    got = tuple(number(v, join(path, k), pr) for k, v in enumerate(listed))
    return INVALID if invalid(*got) else got


def _notes(value: Any, path: str, pr: Problems) -> dict[str, str]:
    """Speaker notes: an object of frame titles and their notes, bounded in number and size."""
    if not isinstance(value, dict):
        return pr.add(path, f"expected an object of frame titles and notes, got {describe(value)}")
    if len(value) > MAX_NOTES:
        return pr.add(path, f"{len(value):,} notes; at most {MAX_NOTES:,}")
    notes = {}
    for title, text in value.items():
        if len(title) > MAX_TITLE:
            pr.add(path, f"a frame title of {len(title):,} characters; at most {MAX_TITLE}")
        elif string(text, join(path, title), pr) is not INVALID and len(text) > MAX_NOTE:
            pr.add(join(path, title), f"{len(text):,} characters; at most {MAX_NOTE:,}")
        elif isinstance(text, str):
            notes[title] = text
    return notes if len(notes) == len(value) else INVALID


def _detail(value: Any, path: str, pr: Problems) -> tuple[int, ...]:
    """Layer numbers (1 and up), each once."""
    listed = items(value, path, pr)
    if listed is INVALID:
        return INVALID
    got = tuple(whole(v, join(path, k), pr, 1, MAX_DETAIL) for k, v in enumerate(listed))
    return INVALID if invalid(*got) else tuple(sorted(set(got)))


def _reveal(value: Any, path: str, pr: Problems) -> dict[str, str]:
    """Per quantity kind of REVEAL_KINDS, one of REVEAL_MODES."""
    if not isinstance(value, dict):
        return pr.add(path, f"expected an object of quantity kinds, got {describe(value)}")
    got = {}
    for kind, mode in value.items():
        if kind not in REVEAL_KINDS:
            pr.add(path, f"unknown quantity kind {kind!r}; choose from {', '.join(REVEAL_KINDS)}")
            continue
        got[kind] = choice(mode, join(path, kind), pr, REVEAL_MODES, "way to reveal")
    return INVALID if len(got) != len(value) or invalid(*got.values()) else got


def _key(value: Any, path: str, pr: Problems, sizes: tuple[int, ...] = (2, 3)) -> tuple:
    """A diagram element's indices: (layer, i) of a neuron or (l, i, j) of a weight."""
    listed = items(value, path, pr)
    if listed is INVALID:
        return INVALID
    if len(listed) not in sizes:
        what = " or ".join(str(n) for n in sizes)
        return pr.add(path, f"expected {what} indices, got {len(listed)}")
    got = tuple(whole(v, join(path, k), pr, 0, MAX_INDEX) for k, v in enumerate(listed))
    return INVALID if invalid(*got) else got


def _pinned(value: Any, path: str, pr: Problems) -> tuple[tuple[int, ...], ...]:
    """Pinned values: a weight's (l, i, j) or a neuron's (layer, i), each once."""
    listed = items(value, path, pr)
    if listed is INVALID:
        return INVALID
    if len(listed) > MAX_PINS:
        return pr.add(path, f"{len(listed):,} pinned values; at most {MAX_PINS:,}")
    got = [_key(v, join(path, k), pr) for k, v in enumerate(listed)]
    return INVALID if invalid(*got) else tuple(dict.fromkeys(got))


RULES = {
    "active": boolean,
    "sample": or_null(whole),
    "input": _floats,
    "target": _floats,
    "shown": whole,
    "unfold": boolean,
    "granularity": lambda v, p, pr: choice(v, p, pr, GRANULARITIES, "granularity"),
    "digits": lambda v, p, pr: _digits(v, p, pr),
    "decimals": boolean,
    "palette": lambda v, p, pr: choice(v, p, pr, PALETTES, "palette"),
    "step": whole,
    "detail": _detail,
    "notes": _notes,
    "reveal": _reveal,
    "pin_weights": boolean,
    "pinned": _pinned,
    "path": or_null(lambda v, p, pr: _key(v, p, pr, (3,))),
}


def _digits(value: Any, path: str, pr: Problems) -> int:
    got = whole(value, path, pr)
    lo, hi = DIGITS_RANGE
    if got is not INVALID and not lo <= got <= hi:
        return pr.add(path, f"must be from {lo} to {hi}, got {describe(value)}")
    return got


def check_lecture(value: Any, pr: Problems) -> LectureSetup:
    """The "lecture" section as a LectureSetup (INVALID with its problems in ``pr``)."""
    given = checked_section(value, "lecture", pr, RULES)
    if given is INVALID:
        return INVALID
    if ("input" in given) != ("target" in given):
        missing = "target" if "input" in given else "input"
        return pr.add(join("lecture", missing), "input and target go together; give both")
    if "input" in given and given.get("sample") is not None:
        return pr.add("lecture.sample", "give a training row or an input of your own, not both")
    return LectureSetup(**given)


def raw_width(dataset: Dataset) -> int:
    """How many numbers an input of one's own has: the raw point's (x1, x2; sine: x), or,
    for inline and CSV data, the network's inputs."""
    points = dataset.points_train
    return dataset.x_train.shape[1] if points is None else points.shape[1]


def own_row(
    dataset: Dataset, features: Sequence[str], point: Sequence[float], target: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """The network's (1, d) input and (1, k) target for an input of one's own: a raw point
    goes through the session's features, as the data's points do."""
    x = np.asarray([point], dtype=np.float64)
    if dataset.points_train is not None:
        x = apply_features(x, features)
    return x, np.asarray([target], dtype=np.float64)


def check_against(setup: LectureSetup, dataset: Dataset, pr: Problems, loss: str) -> None:
    """What the set-up says must fit the data: its row number, the widths of the input
    and the target, and a target that ``loss`` is defined for."""
    n_train = len(dataset.x_train)
    if setup.sample is not None and setup.sample >= n_train:
        pr.add("lecture.sample", f"row {setup.sample}, but the training rows are 0..{n_train - 1}")
    n_inputs, n_outputs = raw_width(dataset), dataset.y_train.shape[1]
    for key, width, what in (("input", n_inputs, "inputs"), ("target", n_outputs, "outputs")):
        values = getattr(setup, key)
        if values is not None and len(values) != width:
            pr.add(join("lecture", key), f"{len(values)} numbers, but there are {width} {what}")
            return
    problem = target_problem(loss, setup.target)
    if problem is not None:
        pr.add("lecture.target", problem)


def target_problem(loss: str, target: Sequence[float] | None) -> str | None:
    """Why ``loss`` is not defined for an own input's ``target``, or None."""
    if target is None:
        return None
    found = losses.get(loss).target_problem(np.asarray([target], dtype=np.float64))
    return None if found is None else found[2]

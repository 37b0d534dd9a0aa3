"""What the window explores a session with, kept in its optional "explore" section so that a
saved session opens as it was left (docs/session-format.md):

    {"landscape": {"mode": "parameters",      "parameters", "random" or "profile"
                   "params": [[1, 0, 0], [1, 0, -1]],  weights (l, i, j), biases (l, i, -1)
                   "seed": 0,                  the random directions' seed
                   "span": 0.5,                half-width of each axis; null: automatic
                   "log": false,               colours on a log scale
                   "shown": true},             the dock open
     "slice": {"axes": [0, 2],                 the inputs across and up on the maps of
               "held": [5.8, 3.0, 3.7, 1.2]},  more than two inputs, and the others' values
     "predictions": true}                      View > Predictions open

Every key is optional; indices are checked against the network and the data when the
window takes them (ones that no longer fit are left out).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from core.session.checks import (
    INVALID,
    Problems,
    boolean,
    bounded,
    checked_section,
    choice,
    describe,
    invalid,
    items,
    join,
    number,
    or_null,
    whole,
)

LANDSCAPE_MODES = ("parameters", "random", "profile")
MAX_INDEX = 1_048_576  # the largest index of a layer, neuron or input
MAX_INPUTS = 256  # as many values as an imported table has columns, at most
MAX_SPAN = 1e6


@dataclass(frozen=True)
class LandscapeSetup:
    """The loss landscape dock's choices (core.explore.jobs.LandscapeRequest's)."""

    mode: str = "parameters"
    params: tuple[tuple[int, int, int], ...] = ()
    seed: int = 0
    span: float | None = None
    log: bool = False
    shown: bool = False


@dataclass(frozen=True)
class ExploreSetup:
    """The "explore" section: the landscape's choices, the maps' slice, open docks."""

    landscape: LandscapeSetup = field(default_factory=LandscapeSetup)
    slice_axes: tuple[int, int] | None = None
    slice_held: tuple[float, ...] = ()
    predictions: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The section as JSON data (the slice only when there is one)."""
        landscape = asdict(self.landscape)
        landscape["params"] = [list(p) for p in self.landscape.params]
        out: dict[str, Any] = {"landscape": landscape, "predictions": self.predictions}
        if self.slice_axes is not None:
            out["slice"] = {"axes": list(self.slice_axes), "held": list(self.slice_held)}
        return out


def _param(value: Any, path: str, pr: Problems) -> tuple[int, int, int]:
    listed = items(value, path, pr, 3, "l, i, j; j = -1 for a bias")
    if listed is INVALID:
        return INVALID
    l, i = (whole(v, join(path, k), pr, 0, MAX_INDEX) for k, v in enumerate(listed[:2]))
    j = whole(listed[2], join(path, 2), pr, -1, MAX_INDEX)
    return INVALID if invalid(l, i, j) else (l, i, j)


def _params(value: Any, path: str, pr: Problems) -> tuple[tuple[int, int, int], ...]:
    listed = items(value, path, pr)
    if listed is INVALID:
        return INVALID
    if len(listed) > 2:
        return pr.add(path, f"{len(listed)} parameters; a plane has at most 2")
    got = tuple(_param(v, join(path, k), pr) for k, v in enumerate(listed))
    return INVALID if invalid(*got) else got


LANDSCAPE_RULES = {
    "mode": lambda v, p, pr: choice(v, p, pr, LANDSCAPE_MODES, "landscape mode"),
    "params": _params,
    "seed": bounded(0, 999),
    "span": or_null(lambda v, p, pr: number(v, p, pr, ("from 0 to 1e6", _in_span))),
    "log": boolean,
    "shown": boolean,
}


def _in_span(value: float) -> bool:
    return 0 <= value <= MAX_SPAN


def _slice(value: Any, path: str, pr: Problems) -> tuple[tuple[int, int], tuple[float, ...]]:
    given = checked_section(value, path, pr, {"axes": items, "held": items})
    if given is INVALID:
        return INVALID
    if set(given) != {"axes", "held"}:
        return pr.add(path, "give both the axes and the held values")
    axes, held = given["axes"], given["held"]
    if len(axes) != 2 or not 2 < len(held) <= MAX_INPUTS:
        return pr.add(path, f"expected 2 axes and 3 to {MAX_INPUTS} held values")
    a = tuple(
        whole(v, join(join(path, "axes"), k), pr, 0, len(held) - 1) for k, v in enumerate(axes)
    )
    h = tuple(number(v, join(join(path, "held"), k), pr) for k, v in enumerate(held))
    if invalid(*a, *h):
        return INVALID
    if a[0] == a[1]:
        return pr.add(join(path, "axes"), f"two different inputs, not {describe(axes)}")
    return a, h


RULES = {
    "landscape": lambda v, p, pr: checked_section(v, p, pr, LANDSCAPE_RULES),
    "slice": _slice,
    "predictions": boolean,
}


def check_explore(value: Any, pr: Problems) -> ExploreSetup:
    """The "explore" section as an ExploreSetup (INVALID with its problems in ``pr``)."""
    given = checked_section(value, "explore", pr, RULES)
    if given is INVALID:
        return INVALID
    landscape = LandscapeSetup(**given.get("landscape", {}))
    axes, held = given.get("slice", (None, ()))
    return ExploreSetup(landscape, axes, held, given.get("predictions", False))

"""A seeded, bounded generator of hostile session files (issue 10, DESIGN.md's "Tests").

Each file is a valid session with one or a few mutations: wrong types, huge or negative
numbers, integers too long for Python, NaN markers, deep nesting (up to 100 levels), long
strings, odd unicode (lone surrogates, control characters, right-to-left marks), many
keys, hostile CSV paths.  Every file must be refused cleanly (a SessionError with a
bounded message) or load safely.  The same seed always gives the same files.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable, Iterator
from typing import Any

from core.session.format import FORMAT

BASE: dict[str, Any] = {
    "format": FORMAT,
    "name": "hostile",
    "network": {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"]},
    "loss": "mse",
    "training": {"epochs": 2, "batch_size": 2, "seed": 0},
    "data": {
        "inline": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]}
    },
}

PATHS = [  # where a mutation lands: (dotted path, whether it is a list index)
    "format",
    "name",
    "description",
    "loss",
    "features",
    "network",
    "network.layers",
    "network.layers.1",
    "network.activations",
    "network.activations.0",
    "network.init",
    "network.init.seed",
    "network.init.scheme",
    "network.weights",
    "network.labels",
    "training",
    "training.epochs",
    "training.batch_size",
    "training.seed",
    "training.learning_rate",
    "training.shuffle",
    "data",
    "data.seed",
    "data.test_ratio",
    "data.inline",
    "data.inline.inputs",
    "data.inline.inputs.0",
    "data.inline.targets.0.0",
    "lecture",
    "lecture.sample",
    "lecture.step",
    "lecture.digits",
    "slides",
]

NAN = "\x00NaN\x00"  # placeholders replaced in the JSON text by bare NaN / Infinity / long ints
INF = "\x00Infinity\x00"
LONG_INT = "\x00LONG\x00"

CSV_PATHS = [
    "/etc/shadow",
    "/etc/passwd",
    "/proc/self/environ",
    "/proc/self/mem",
    "/dev/zero",
    "/dev/stdin",
    "../../../../etc/hostname",
    "..",
    ".",
    "",
    "a\x00b.csv",
    "x" * 5000,
    "~/.ssh/id_rsa",
    "\ud800.csv",
    "C:\\Windows\\win.ini",
    "//server/share/x.csv",
]


def _nested(depth: int, leaf: Any, as_list: bool) -> Any:
    for _ in range(depth):
        leaf = [leaf] if as_list else {"a": leaf}
    return leaf


def _values(rng: random.Random) -> list[Callable[[], Any]]:
    """Makers of hostile values, each cheap and bounded in size."""
    return [
        lambda: None,
        lambda: True,
        lambda: -1,
        lambda: 0,
        lambda: 2**31,
        lambda: 2**63,
        lambda: -(10 ** rng.randint(20, 400)),
        lambda: 10**4000,  # just under Python's int-string limit: slow to print, far too large
        lambda: LONG_INT,  # a 5,000-digit literal in the JSON text
        lambda: 1e308,
        lambda: -0.0,
        lambda: 2.5,
        lambda: NAN,
        lambda: INF,
        lambda: "",
        lambda: "x" * rng.choice([100, 10_000, 200_000]),
        lambda: "\ud800\udfff\u202e\x1b[2J\n\r\t\u2028",
        lambda: "relu\nrelu",
        lambda: "backprop-lab/" + "9" * 5000,
        lambda: [],
        lambda: {},
        lambda: [1] * rng.choice([5, 1000, 50_000]),
        lambda: ["x1"] * rng.choice([2, 50_000]),
        lambda: {f"k{i}": i for i in range(rng.choice([3, 300, 30_000]))},
        lambda: _nested(rng.randint(2, 100), 1, as_list=True),
        lambda: _nested(rng.randint(2, 100), NAN, as_list=False),
        lambda: [[0.1] * 3] * 3,
        lambda: {"csv": rng.choice(CSV_PATHS), "targets": ["y"]},
    ]


def _set(d: dict, path: str, value: Any) -> None:
    """Set ``value`` at a dotted path of ``d``, making objects on the way (a number names a
    list item, replaced only if it exists); a path that an earlier mutation broke is left."""
    *parents, last = path.split(".")
    target: Any = d
    for key in parents:
        if isinstance(target, list):
            if not key.isdigit() or int(key) >= len(target):
                return
            target = target[int(key)]
        else:
            if not isinstance(target.get(key), dict | list):
                target[key] = {}
            target = target[key]
        if not isinstance(target, dict | list):
            return
    if isinstance(target, dict):
        target[last] = value
    elif last.isdigit() and int(last) < len(target):
        target[int(last)] = value


def text_of(d: Any) -> str:
    """JSON text of ``d``, with the placeholders made into bare NaN, Infinity and a
    5,000-digit integer (json.dumps cannot write them on purpose)."""
    text = json.dumps(d, ensure_ascii=True)  # lone surrogates as \\ud800 escapes
    return (
        text.replace(json.dumps(NAN), "NaN")
        .replace(json.dumps(INF), "-Infinity")
        .replace(json.dumps(LONG_INT), "9" * 5000)
    )


def hostile_sessions(count: int = 300, seed: int = 10) -> Iterator[tuple[str, str]]:
    """``count`` (name, JSON text) pairs: a valid session with 1 to 3 hostile mutations,
    or (one in ten) a hostile CSV path or a top level that is not an object."""
    rng = random.Random(seed)
    makers = _values(rng)
    for i in range(count):
        d = copy.deepcopy(BASE)
        kind = rng.random()
        if kind < 0.1:
            d["data"] = {"csv": rng.choice(CSV_PATHS), "targets": ["y"]}
            name = f"{i}: data.csv = {d['data']['csv'][:30]!r}"
        elif kind < 0.13:
            d = rng.choice(makers)()
            name = f"{i}: the whole file"
        else:
            changes = []
            for _ in range(rng.randint(1, 3)):
                path, maker = rng.choice(PATHS), rng.randrange(len(makers))
                _set(d, path, makers[maker]())
                changes.append(f"{path}#{maker}")
            name = f"{i}: " + ", ".join(changes)
        yield name, text_of(d)

"""The rules of the session format, section by section, and the error that reports them.

Each ``check_*`` function checks one section (training, network and its parts,
data, features) with the path-aware checks of :mod:`core.session.checks`, records
every problem in a :class:`~core.session.checks.Problems` collector and returns the
checked value, or :data:`~core.session.checks.INVALID` when it recorded a problem.

:class:`SessionError` lives here, below both :mod:`core.session.storage` (which
raises it for unreadable files) and :mod:`core.session.format` (which raises it for
invalid contents), so that the session modules import in one direction only:
checks <- schema <- storage <- format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import partial
from typing import Any

import numpy as np

from core.data.dataset import BUILTIN_DATASETS, FEATURES
from core.data.generators import MAX_CLASSES, MAX_N, MIN_CLASSES, MIN_N
from core.data.tabular import MAX_ROWS
from core.engine import initializers, network
from core.engine.activations import ACTIVATIONS
from core.engine.config import TrainingConfig
from core.engine.losses import pairing_problem
from core.engine.optimizers import OPTIMIZERS
from core.session.checks import (
    INVALID,
    NON_NEGATIVE,
    POSITIVE,
    UNIT,
    Check,
    Problems,
    boolean,
    bounded,
    checked_section,
    choice,
    describe,
    invalid,
    items,
    join,
    known_part,
    number,
    number_problem,
    obj,
    or_null,
    report_non_finite,
    shaped,
    string,
    string_problem,
    whole,
)
from core.session.limits import MAX_KEPT, clip, more_line
from core.session.tables import TABLE_RULES


class SessionError(Exception):
    """A session that cannot be loaded (or saved): every problem, each as "path: message".

    ``str()`` starts with the file name, so that a command line tool can print it as
    is.  It stays bounded whatever the file holds: at most MAX_KEPT problems, each one
    line of at most MAX_MESSAGE characters, then a line counting the rest (``total``
    counts them all, including those a :class:`~core.session.limits.Capped` list
    only counted).
    """

    def __init__(self, problems: list[str], file: str | None = None) -> None:
        self.total = max(getattr(problems, "total", 0), len(problems))
        self.problems = [clip(p) for p in problems[:MAX_KEPT]]
        self.file = file
        prefix = f"{clip(file, 120)}: " if file else ""
        if self.total == 1:
            text = prefix + self.problems[0]
        else:
            more = more_line(len(self.problems), self.total, "problem")
            lines = "".join(f"\n  {p}" for p in self.problems + ([more] if more else []))
            text = f"{prefix}{self.total:,} problems:{lines}"
        super().__init__(text)


# --- the training section -----------------------------------------------------------------

MAX_EPOCHS = 10_000_000  # the Max epochs field's maximum (gui/controls/training_section.py)

TRAINING_RULES: dict[str, Check] = {
    "optimizer": partial(choice, choices=OPTIMIZERS, kind="optimizer"),
    "learning_rate": partial(number, bound=POSITIVE),
    "momentum": partial(number, bound=UNIT),
    "beta1": partial(number, bound=UNIT),
    "beta2": partial(number, bound=UNIT),
    "eps": partial(number, bound=POSITIVE),
    "batch_size": or_null(bounded(1, MAX_ROWS)),
    "epochs": bounded(1, MAX_EPOCHS),
    "target_loss": or_null(partial(number, bound=NON_NEGATIVE)),
    "l1": partial(number, bound=NON_NEGATIVE),
    "l2": partial(number, bound=NON_NEGATIVE),
    "train_biases": boolean,
    "shuffle": boolean,
    "seed": whole,
}
assert list(TRAINING_RULES) == [f.name for f in fields(TrainingConfig)]


def check_training(value: Any, pr: Problems) -> TrainingConfig:
    """The "training" section as a TrainingConfig, with its defaults for keys not given."""
    given = checked_section(value, "training", pr, TRAINING_RULES)
    return INVALID if given is INVALID else TrainingConfig(**given)


# --- the network section ------------------------------------------------------------------

NETWORK_KEYS = ("layers", "activations", "weights", "biases", "init", "labels")
LABEL_KEYS = ("neurons", "weights", "biases")
DEFAULT_INIT = {"scheme": "xavier_uniform", "seed": 0}


@dataclass
class NetworkSpec:
    """The checked parts of the "network" section; INVALID where a part had problems."""

    layers: list[int] = INVALID
    activations: list[str] = INVALID
    weights: list[np.ndarray] | None = None
    biases: list[np.ndarray] | None = None
    scheme: str = DEFAULT_INIT["scheme"]
    seed: int = DEFAULT_INIT["seed"]
    labels: dict[str, Any] | None = None


def check_layers(value: Any, pr: Problems) -> list[int]:
    """Layer sizes, input first, refused before anything of that size is allocated."""
    path = "network.layers"
    if items(value, path, pr) is INVALID:
        return INVALID
    if len(value) > network.MAX_HIDDEN_LAYERS + 2:  # before walking a list of any length
        hidden = network.MAX_HIDDEN_LAYERS
        return pr.add(path, f"{len(value):,} layers; at most {hidden + 2} ({hidden} hidden)")
    sizes = [whole(n, join(path, l), pr, lo=1) for l, n in enumerate(value)]
    for l, n in enumerate(sizes):
        if n is not INVALID and n > network.MAX_NEURONS:
            sizes[l] = pr.add(
                join(path, l), f"{n} neurons; at most {network.MAX_NEURONS} per layer"
            )
    if invalid(sizes):
        return INVALID
    if len(sizes) < 2:
        return pr.add(
            path,
            f"{len(sizes)} layer{'' if len(sizes) == 1 else 's'}; "
            "a network needs at least 2 (inputs, outputs)",
        )
    try:
        network.check_size(sizes)
    except ValueError as err:
        return pr.add(path, str(err))
    return sizes


def check_activations(value: Any, layers: list[int], pr: Problems) -> list[str]:
    """One known activation per non-input layer; softmax only on the output layer."""
    path = "network.activations"
    count = None if layers is INVALID else len(layers) - 1
    if items(value, path, pr, count, "one per non-input layer") is INVALID:
        return INVALID
    names = [choice(a, join(path, i), pr, ACTIVATIONS, "activation") for i, a in enumerate(value)]
    for i, name in enumerate(names[:-1]):
        if name == "softmax":
            names[i] = pr.add(join(path, i), "softmax is only allowed on the output layer")
    return INVALID if invalid(names) else names


def _each(value: Any, path: str, pr: Problems, shapes: list[tuple], leaf: Check, what: str) -> list:
    """A list with one entry per shape in ``shapes``, each shaped so, entries passing ``leaf``."""
    if items(value, path, pr, len(shapes), what) is INVALID:
        return INVALID
    checked = [shaped(v, join(path, l), pr, shapes[l], leaf) for l, v in enumerate(value)]
    return INVALID if invalid(checked) else checked


def _length(value: Any) -> int:
    return len(value) if isinstance(value, list) else 0


def check_parameters(section: dict[str, Any], layers: list[int], pr: Problems) -> tuple:
    """Weights W^l of shape (n_l, n_(l-1)) and biases b^l (n_l), as arrays, or (None, None)."""
    if ("weights" in section) != ("biases" in section):
        missing = "network.biases" if "weights" in section else "network.weights"
        pr.add(missing, "missing; weights and biases are given together or not at all")
        return INVALID, INVALID
    if "weights" not in section:
        return None, None
    if layers is INVALID:  # shapes unknown: only the numbers are checked
        w_shapes = [(None, None)] * _length(section["weights"])
        b_shapes = [(None,)] * _length(section["biases"])
    else:
        w_shapes = list(zip(layers[1:], layers))
        b_shapes = [(n,) for n in layers[1:]]
    what = "one per non-input layer"
    weights = _each(section["weights"], "network.weights", pr, w_shapes, number_problem, what)
    biases = _each(section["biases"], "network.biases", pr, b_shapes, number_problem, what)
    if weights is not INVALID:
        weights = [np.array(w, dtype=float) for w in weights]
    if biases is not INVALID:
        biases = [np.array(b, dtype=float) for b in biases]
    return weights, biases


def check_init(value: Any, pr: Problems) -> tuple[str, int]:
    """The initialiser scheme and seed, with the defaults for what is not given."""
    section = obj(value, "network.init", pr, DEFAULT_INIT)
    if section is INVALID:
        return INVALID, INVALID
    scheme = section.get("scheme", DEFAULT_INIT["scheme"])
    seed = section.get("seed", DEFAULT_INIT["seed"])
    scheme = choice(scheme, "network.init.scheme", pr, initializers.SCHEMES, "init scheme")
    return scheme, whole(seed, "network.init.seed", pr)


def check_labels(value: Any, layers: list[int], pr: Problems) -> dict[str, Any]:
    """Display labels of neurons, weights and biases, each shaped like what it labels."""
    path = "network.labels"
    section = obj(value, path, pr, LABEL_KEYS)
    if section is INVALID or layers is INVALID:
        return INVALID
    shapes = {
        "neurons": [(n,) for n in layers],
        "weights": list(zip(layers[1:], layers)),
        "biases": [(n,) for n in layers[1:]],
    }
    what = {"neurons": "layer", "weights": "weight matrix", "biases": "non-input layer"}
    checked = {}
    for key in LABEL_KEYS:
        if key in section:
            part, where, each = section[key], join(path, key), f"one per {what[key]}"
            checked[key] = _each(part, where, pr, shapes[key], string_problem, each)
    if invalid(*checked.values()):
        return INVALID
    return INVALID if _repeated_labels(checked, path, pr) else checked


def _repeated_labels(checked: dict[str, Any], path: str, pr: Problems) -> bool:
    """Whether a label names two neurons, or two parameters (weights and biases share
    dL/d<label>): one symbol must name one number.  Each repeat is a problem."""
    repeated = False
    for keys in (("neurons",), ("weights", "biases")):
        first: dict[str, str] = {}
        for key in keys:
            for where, label in _label_paths(checked.get(key) or [], join(path, key)):
                if label in first:
                    repeated = True
                    pr.add(
                        where,
                        f"{label!r} already labels {first[label]}; give each its own label "
                        f"({label} and {label}\u2032, say), so that every symbol names one number",
                    )
                first.setdefault(label, where)
    return repeated


def _label_paths(value: Any, path: str):
    """(JSON path, label) of every label in nested lists."""
    if isinstance(value, list):
        for k, item in enumerate(value):
            yield from _label_paths(item, join(path, k))
    else:
        yield path, value


def check_network(value: Any, pr: Problems) -> NetworkSpec:
    """The "network" section; every part checked, INVALID parts left in the spec."""
    spec = NetworkSpec()
    section = obj(value, "network", pr, NETWORK_KEYS, required=("layers", "activations"))
    if section is INVALID:
        return spec
    if "layers" in section:
        spec.layers = check_layers(section["layers"], pr)
    if "activations" in section:
        spec.activations = check_activations(section["activations"], spec.layers, pr)
    spec.weights, spec.biases = check_parameters(section, spec.layers, pr)
    if "init" in section:
        spec.scheme, spec.seed = check_init(section["init"], pr)
    if "labels" in section:
        spec.labels = check_labels(section["labels"], spec.layers, pr)
    return spec


# --- the data section and the features ----------------------------------------------------

DATA_KEYS = {  # the keys core.data.dataset accepts; unknown ones are set aside before loading
    "builtin": ("builtin", "n", "noise", "seed", "test_ratio", "classes"),
    "inline": ("inline", "test_ratio", "seed", "input_shape", "extent"),
    "csv": ("csv", "targets", "test_ratio", "seed", "input_shape"),
}
INLINE_KEYS = ("inputs", "targets")


def names(value: Any, path: str, pr: Problems) -> list[str]:
    """A list of strings."""
    return shaped(value, path, pr, (None,), string_problem)


DATA_RULES: dict[str, Check] = {  # types and whole numbers' ranges: load checks the rest
    "builtin": partial(choice, choices=BUILTIN_DATASETS, kind="data set"),
    "n": bounded(MIN_N, MAX_N),
    "noise": number,
    "classes": bounded(MIN_CLASSES, MAX_CLASSES),
    "seed": whole,
    "test_ratio": number,
    "csv": string,
    "targets": names,
    "inline": lambda value, path, pr: obj(value, path, pr, INLINE_KEYS),
    "input_shape": items,  # a list here; its numbers against the data's inputs in load
    "extent": items,  # where the map of drawn points is drawn: its numbers checked in load
}


DATA_RULES |= TABLE_RULES  # the keys of Data > Import CSV…
for _table in ("inline", "csv"):
    DATA_KEYS[_table] += tuple(TABLE_RULES)


def check_data(value: Any, pr: Problems) -> dict[str, Any]:
    """The "data" section without its unknown keys, types checked; load does the rest."""
    if not isinstance(value, dict):
        return pr.add("data", f"expected an object {{...}}, got {describe(value)}")
    sources = [key for key in DATA_KEYS if key in value]
    if len(sources) != 1:
        return pr.add("data", "give exactly one of 'builtin', 'inline' or 'csv'")
    spec = known_part(obj(value, "data", pr, DATA_KEYS[sources[0]]), DATA_KEYS[sources[0]])
    checked = [DATA_RULES[key](item, join("data", key), pr) for key, item in spec.items()]
    if isinstance(spec.get("inline"), dict):
        spec["inline"] = known_part(spec["inline"], INLINE_KEYS)
        checked.append(report_non_finite(spec["inline"], "data.inline", pr) or INVALID)
    return INVALID if invalid(checked) else spec


def default_features(data: dict[str, Any]) -> list[str]:
    """x1 and x2; x1 alone for the 1-D sine data set."""
    return ["x1"] if data is not INVALID and data.get("builtin") == "sine" else ["x1", "x2"]


def check_features(value: Any, pr: Problems) -> list[str]:
    """Input features of built-in data: at least one, known names, each once."""
    given = names(value, "features", pr)
    if given is INVALID:
        return INVALID
    if not given:
        return pr.add("features", "none chosen; choose at least one input feature, e.g. x1")
    if len(given) > len(FEATURES):  # before walking a list of any length
        return pr.add("features", f"{len(given):,} listed; there are {len(FEATURES)} features")
    checked, seen = [], set()
    for i, name in enumerate(given):
        path = join("features", i)
        if name in seen:
            checked.append(pr.add(path, f"{name!r} is listed twice; list each feature once"))
        else:
            checked.append(choice(name, path, pr, FEATURES, "feature"))
        seen.add(name)
    return INVALID if invalid(checked) else given


# --- the whole file: its format version, the loss against the output layer ---------------

FORMAT = "backprop-lab/1"


def check_format(value: Any, pr: Problems) -> bool:
    """True if this app can read the file's format; a newer version stops the checks."""
    if value == FORMAT:
        return True
    version = re.fullmatch(r"backprop-lab/(\d{1,9})", value) if isinstance(value, str) else None
    if version and int(version.group(1)) > 1:
        pr.add("format", f"version {int(version.group(1))} is newer than this app understands (1)")
        return False
    shown = repr(value) if isinstance(value, str) else describe(value)
    pr.add("format", f"expected {FORMAT!r}, got {shown}; is this a Backprop Lab session?")
    return False


def check_pairing(spec: NetworkSpec, loss: str, pr: Problems) -> bool:
    """The loss must suit the output layer (losses.pairing_problem); softmax needs 2+ outputs."""
    if invalid(spec.layers, spec.activations, loss):
        return False
    before = pr.count
    output, n_outputs = spec.activations[-1], spec.layers[-1]
    if output == "softmax" and n_outputs < 2:
        pr.add(
            join("network.activations", len(spec.activations) - 1),
            f"softmax needs at least 2 output neurons, but the output layer has {n_outputs}",
        )
    reason = pairing_problem(loss, output, max(n_outputs, 2))
    if reason:
        pr.add("loss", reason)
    return pr.count == before

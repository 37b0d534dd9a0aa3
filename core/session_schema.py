"""Validation of the session format, section by section, collecting every problem.

Each checker takes a JSON value and its path (``training.learning_rate``,
``network.weights[1][0][2]``), records what is wrong with it in a
:class:`Problems` collector and returns the checked value, or :data:`INVALID`
when it recorded a problem, so that the caller skips the checks that depend
on that value and still goes on with the independent ones.

Unknown keys are not problems: they become warnings and are kept aside, by
the path of the object that holds them, so that saving writes them back.
"""

from __future__ import annotations

import difflib
import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any

import numpy as np

from core import datasets, initializers, network
from core.activations import ACTIVATIONS
from core.optimizers import OPTIMIZERS
from core.trainer import TrainingConfig

INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()
"""Returned by a checker that recorded a problem; the value must not be used."""

MAX_LISTED = 10  # bad entries of one array reported one by one; the rest are counted

Check = Callable[..., Any]


class NonFinite:
    """A ``NaN``, ``Infinity`` or ``-Infinity`` constant met while parsing JSON text.

    Python's json module accepts these non-standard constants; the session
    parser turns them into this marker so that the checks report them at
    their JSON path instead of failing the whole parse.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


@dataclass
class Problems:
    """The problems and warnings found so far, and the unknown keys kept aside.

    ``extra`` maps the path of an object ("" for the top level, else e.g.
    "training" or "network.init") to its unknown keys and values, in file order.
    """

    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, path: str, message: str) -> Any:
        """Record ``path: message`` and return :data:`INVALID`."""
        self.problems.append(f"{path}: {message}" if path else message)
        return INVALID


def join(path: str, key: str | int) -> str:
    """The JSON path of ``key`` inside the value at ``path``: ``a.b`` or ``a[0]``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def invalid(*values: Any) -> bool:
    """True if any of ``values`` (or of the lists among them) is INVALID."""
    return any(
        v is INVALID or (isinstance(v, list) and any(x is INVALID for x in v)) for v in values
    )


def entries(n: int) -> str:
    """'1 entry' or '3 entries'."""
    return f"{n} entry" if n == 1 else f"{n} entries"


def describe(value: Any) -> str:
    """A JSON value as a user reads it in a "got ..." message."""
    if value is None:
        return "null"
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"a string ({value if len(value) <= 40 else value[:37] + '...'!r})"
    if isinstance(value, list | tuple | dict):
        return "an object" if isinstance(value, dict) else "a list"
    return repr(value)


def is_non_finite(value: Any) -> bool:
    """True for NaN and the infinities, as parsed constants or as floats."""
    return isinstance(value, NonFinite) or (isinstance(value, float) and not math.isfinite(value))


def number_problem(value: Any) -> str | None:
    """Why ``value`` is not a finite number (true/false are not numbers), or None."""
    kind = type(value)
    if kind is float and math.isfinite(value):
        return None
    if kind is int or isinstance(value, np.integer):
        return None if abs(value) <= sys.float_info.max else f"{str(value)[:12]}... is too large"
    if is_non_finite(value) or (isinstance(value, np.floating) and not np.isfinite(value)):
        return f"{value!r} is not allowed; numbers must be finite"
    if isinstance(value, bool | np.bool_) or not isinstance(value, float | np.floating):
        return f"expected a number, got {describe(value)}"
    return None


def string_problem(value: Any) -> str | None:
    """Why ``value`` is not a string, or None."""
    return None if isinstance(value, str) else f"expected a string, got {describe(value)}"


# --- scalars: each returns the checked value or INVALID -----------------------------------

Bound = tuple[str, Callable[[float], bool]]
POSITIVE: Bound = ("> 0", lambda x: x > 0)
NON_NEGATIVE: Bound = (">= 0", lambda x: x >= 0)
UNIT: Bound = ("in [0, 1)", lambda x: 0 <= x < 1)


def number(value: Any, path: str, pr: Problems, bound: Bound | None = None) -> float:
    """A finite number, within ``bound`` if given, as a float."""
    reason = number_problem(value)
    if reason:
        return pr.add(path, reason)
    if bound and not bound[1](value):
        return pr.add(path, f"must be {bound[0]}, got {value!r}")
    return float(value)


def whole(value: Any, path: str, pr: Problems, lo: int = 0) -> int:
    """A whole number >= ``lo``; 2.0 is refused, since the file should say 2."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        shown = repr(value) if number_problem(value) is None else describe(value)
        return pr.add(path, f"expected a whole number, got {shown}")
    if value < lo:
        return pr.add(path, f"must be >= {lo}, got {value}")
    return int(value)


def or_null(check: Check) -> Check:
    """``check``, except that null is accepted (for values whose default is null)."""
    return lambda value, path, pr: None if value is None else check(value, path, pr)


def boolean(value: Any, path: str, pr: Problems) -> bool:
    """A JSON true or false (not 0 or 1)."""
    if isinstance(value, bool):
        return value
    return pr.add(path, f"expected true or false, got {describe(value)}")


def string(value: Any, path: str, pr: Problems) -> str:
    """A JSON string."""
    reason = string_problem(value)
    return pr.add(path, reason) if reason else value


def choice(value: Any, path: str, pr: Problems, choices: Iterable[str], kind: str) -> str:
    """One of the names in ``choices``; an unknown name gets the list of choices."""
    if string(value, path, pr) is INVALID:
        return INVALID
    if value not in choices:
        return pr.add(path, f"unknown {kind} {value!r}; choose one of {', '.join(choices)}")
    return value


# --- containers ---------------------------------------------------------------------------


def obj(
    value: Any, path: str, pr: Problems, known: Iterable[str], required: Iterable[str] = ()
) -> dict[str, Any]:
    """An object; unknown keys are warned about and kept aside, missing required ones reported.

    The object is returned even when required keys are missing, so that the
    keys that are there are still checked.
    """
    if not isinstance(value, dict):
        return pr.add(path, f"expected an object {{...}}, got {describe(value)}")
    known = tuple(known)
    for key, item in value.items():
        if key not in known:
            hint = difflib.get_close_matches(str(key), known, n=1, cutoff=0.8)
            tail = f" (did you mean {hint[0]!r}?)" if hint else ""
            pr.warnings.append(f"{join(path, str(key))}: unknown key, kept as is{tail}")
            pr.extra.setdefault(path, {})[key] = item
    for key in getattr(value, "duplicates", ()):
        pr.warnings.append(
            f"{join(path, key)}: the key appears more than once; the last one is used"
        )
    for key in required:
        if key not in value:
            pr.add(join(path, key), "missing; this key is required")
    return value


def known_part(value: dict[str, Any], known: Iterable[str]) -> dict[str, Any]:
    """The entries of ``value`` whose keys are in ``known``, in file order."""
    return {key: item for key, item in value.items() if key in known}


def items(value: Any, path: str, pr: Problems, length: int | None = None, what: str = "") -> list:
    """A list, of ``length`` entries if given; ``what`` says what each entry stands for."""
    if not isinstance(value, list):
        return pr.add(path, f"expected a list, got {describe(value)}")
    if length is not None and len(value) != length:
        return pr.add(path, f"{entries(len(value))}, expected {length} ({what})")
    return value


def _shape_of(value: Any, path: str, pr: Problems, ndim: int) -> tuple[int, ...]:
    """(n,) of a list, or (rows, columns) of a list of equally long lists."""
    if not isinstance(value, list):
        return pr.add(path, f"expected a list{' of rows' * (ndim == 2)}, got {describe(value)}")
    if ndim == 1:
        return (len(value),)
    for i, row in enumerate(value):
        if not isinstance(row, list):
            return pr.add(join(path, i), f"expected a row (a list), got {describe(row)}")
        if len(row) != len(value[0]):
            return pr.add(
                path, f"rows of different lengths: row 0 has {len(value[0])}, row {i} {len(row)}"
            )
    return (len(value), len(value[0]) if value else 0)


def finite_numbers(row: list) -> bool:
    """A quick True when ``row`` holds only finite ints and floats (a False may be wrong)."""
    if not set(map(type, row)) <= {int, float}:
        return False
    try:
        return math.isfinite(sum(row))  # NaN and infinities make the sum non-finite
    except OverflowError:  # an int beyond the float range (or a sum of huge floats)
        return False


def _surely_passes(row: list, leaf: Callable[[Any], str | None]) -> bool:
    """A quick True when every entry of ``row`` passes ``leaf``, so that it need not be walked."""
    if leaf is string_problem:
        return set(map(type, row)) <= {str}
    return leaf is number_problem and finite_numbers(row)


def shaped(
    value: Any, path: str, pr: Problems, shape: tuple, leaf: Callable[[Any], str | None]
) -> list:
    """A list (shape (n,)) or list of rows (shape (r, c)) whose entries pass ``leaf``.

    A None in ``shape`` accepts any length there.  At most MAX_LISTED bad
    entries are reported one by one; the rest are counted.
    """
    found = _shape_of(value, path, pr, len(shape))
    if found is INVALID:
        return INVALID
    if any(want is not None and want != got for want, got in zip(shape, found)):
        if len(shape) == 1:
            return pr.add(path, f"{entries(found[0])}, expected {shape[0]}")
        return pr.add(path, f"shape {found}, expected {shape}")
    rows = value if len(shape) == 2 else [value]
    bad = 0
    for i, row in enumerate(rows):
        if _surely_passes(row, leaf):
            continue
        for j, x in enumerate(row):
            reason = leaf(x)
            if reason:
                bad += 1
                if bad <= MAX_LISTED:
                    pr.add(f"{path}[{i}][{j}]" if len(shape) == 2 else join(path, j), reason)
    if bad > MAX_LISTED:
        pr.add(path, f"{bad - MAX_LISTED} more entries with problems like these")
    return INVALID if bad else value


def report_non_finite(value: Any, path: str, pr: Problems) -> bool:
    """Report every NaN or infinity inside ``value`` (walked without recursion); True if none."""
    found = 0
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, list) and finite_numbers(item):
            continue
        if isinstance(item, dict | list):
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            stack.extend(  # paths are made only for what may hold a problem
                (join(where, key if isinstance(key, int) else str(key)), child)
                for key, child in reversed(list(pairs))
                if isinstance(child, dict | list) or is_non_finite(child)
            )
        elif is_non_finite(item):
            found += 1
            if found <= MAX_LISTED:
                pr.add(where, f"{item!r} is not allowed; numbers must be finite")
    if found > MAX_LISTED:
        pr.add(path, f"{found - MAX_LISTED} more NaN or infinite values")
    return found == 0


# --- the training section -----------------------------------------------------------------

TRAINING_RULES: dict[str, Check] = {
    "optimizer": partial(choice, choices=OPTIMIZERS, kind="optimizer"),
    "learning_rate": partial(number, bound=POSITIVE),
    "momentum": partial(number, bound=UNIT),
    "beta1": partial(number, bound=UNIT),
    "beta2": partial(number, bound=UNIT),
    "eps": partial(number, bound=POSITIVE),
    "batch_size": or_null(partial(whole, lo=1)),
    "epochs": whole,
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
    section = obj(value, "training", pr, TRAINING_RULES)
    if section is INVALID:
        return INVALID
    given = {
        key: rule(section[key], join("training", key), pr)
        for key, rule in TRAINING_RULES.items()
        if key in section
    }
    return INVALID if invalid(*given.values()) else TrainingConfig(**given)


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

    def buildable(self) -> bool:
        """True when a Network can be built from it (labels aside)."""
        return not invalid(
            self.layers, self.activations, self.weights, self.biases, self.scheme, self.seed
        )


def check_layers(value: Any, pr: Problems) -> list[int]:
    """Layer sizes, input first, refused before anything of that size is allocated."""
    path = "network.layers"
    if items(value, path, pr) is INVALID:
        return INVALID
    sizes = [whole(n, join(path, l), pr, lo=1) for l, n in enumerate(value)]
    for l, n in enumerate(sizes):
        if n is not INVALID and n > network.MAX_NEURONS:
            sizes[l] = pr.add(
                join(path, l), f"{n} neurons; at most {network.MAX_NEURONS} per layer"
            )
    if invalid(sizes):
        return INVALID
    if len(sizes) < 2:
        return pr.add(path, f"{len(sizes)} layers; a network needs at least 2 (inputs, outputs)")
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
    what = {"neurons": "one per layer", "weights": "one per weight matrix"}
    checked = {
        key: _each(
            section[key],
            join(path, key),
            pr,
            shapes[key],
            string_problem,
            what.get(key, "one per non-input layer"),
        )
        for key in LABEL_KEYS
        if key in section
    }
    return INVALID if invalid(*checked.values()) else checked


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

DATA_KEYS = {  # the keys core.datasets accepts; unknown ones are set aside before loading
    "builtin": ("builtin", "n", "noise", "seed", "test_ratio", "classes"),
    "inline": ("inline", "test_ratio", "seed"),
    "csv": ("csv", "targets", "test_ratio", "seed"),
}
INLINE_KEYS = ("inputs", "targets")


def names(value: Any, path: str, pr: Problems) -> list[str]:
    """A list of strings."""
    return shaped(value, path, pr, (None,), string_problem)


DATA_RULES: dict[str, Check] = {  # types only: datasets.load checks ranges and contents
    "builtin": partial(choice, choices=datasets.BUILTIN_DATASETS, kind="data set"),
    "n": whole,
    "noise": number,
    "classes": whole,
    "seed": whole,
    "test_ratio": number,
    "csv": string,
    "targets": names,
    "inline": lambda value, path, pr: obj(value, path, pr, INLINE_KEYS),
}


def check_data(value: Any, pr: Problems) -> dict[str, Any]:
    """The "data" section without its unknown keys, types checked; datasets.load does the rest."""
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
    checked = []
    for i, name in enumerate(given):
        path = join("features", i)
        if name in given[:i]:
            checked.append(pr.add(path, f"{name!r} is listed twice; list each feature once"))
        else:
            checked.append(choice(name, path, pr, datasets.FEATURES, "feature"))
    return INVALID if invalid(checked) else given

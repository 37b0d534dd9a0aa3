"""The session: a versioned, human-readable JSON document (docs/session-format.md).

Loading checks everything (:mod:`core.session.schema`) and reports every
problem at once, each with its JSON path, in a :class:`SessionError`.  Keys
this version does not know are kept and written back on save, with a warning.
Saving is atomic and writes the network's current weights with full float
precision, so that load -> save -> load gives the same numbers exactly.
Nothing is ever pickled or evaluated: the file is parsed by :mod:`json` only.

This module holds the Session and its conversion from and to plain data; the
file and its text (size limit, parsing, formatting, atomic writes) are in
:mod:`core.session.storage`, the general checks in :mod:`core.session.checks`.  The
imports run one way, checks <- schema <- storage <- format,
and this module is the public face: the names in ``__all__`` are imported
from here.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.data.dataset import Dataset
from core.data.files import relative_csv
from core.engine.config import TrainingConfig
from core.engine.losses import LOSSES
from core.engine.network import Network
from core.session import schema
from core.session.checks import (
    INVALID,
    Problems,
    choice,
    describe,
    invalid,
    obj,
    report_non_finite,
    string,
)
from core.session.explore_setup import ExploreSetup, check_explore
from core.session.fit import dataset_for
from core.session.guide import LessonGuide, check_guide
from core.session.lecture_setup import LectureSetup, check_against, check_lecture
from core.session.lessons import is_builtin
from core.session.schema import SessionError
from core.session.storage import (
    MAX_FILE_BYTES,
    check_tree,
    format_json,
    parse_json,
    read_text,
    rebase_csv,
    write_text,
)

__all__ = [
    "FORMAT",
    "MAX_FILE_BYTES",
    "Session",
    "SessionError",
    "dumps_session",
    "load_session",
    "loads_session",
    "save_session",
    "session_from_dict",
    "session_to_dict",
]

FORMAT = schema.FORMAT
TOP_KEYS = (
    "format",
    "name",
    "description",
    "network",
    "loss",
    "training",
    "data",
    "features",
    "lecture",
    "explore",
    "guide",
)
DEFAULTS = {"name": "Untitled", "description": "", "loss": "mse"}


@dataclass
class Session:
    """A loaded session: the current network, its settings and its data.

    ``data`` is the data spec as given (defaults not filled in); ``extra``
    holds the unknown keys by the path of the object that held them ("" for
    the top level, else e.g. "training"), and :func:`save_session` writes
    them back in place.
    """

    name: str
    description: str
    network: Network
    init_scheme: str
    init_seed: int
    loss: str
    training: TrainingConfig
    data: dict
    features: list[str]
    labels: dict | None
    extra: dict[str, dict[str, Any]]
    warnings: list[str]
    path: Path | None
    dataset: Dataset
    origin: Path | None = field(default=None, repr=False)
    """The folder relative CSV paths are resolved from when ``path`` is None."""
    lecture: LectureSetup | None = None
    """The lecture set-up (core.session.lecture_setup), or None: lecture mode's defaults."""
    explore: ExploreSetup | None = None
    """The landscape's choices, the maps' slice, the open docks (core.session.explore_setup)."""
    guide: LessonGuide | None = None  # what to look at and try (core.session.guide)
    edits: int = field(default=0, repr=False)
    """Architecture edits so far: each draws its new weights from its own seeded stream."""
    allow_outside: bool = field(default=False, repr=False)
    """The user allowed its CSV file to lie outside the session's folder."""

    def edit_rng(self) -> np.random.Generator:
        """The generator for the next architecture edit's new weights.

        Edits draw from the session's initialiser (``init_scheme``) with this
        generator, seeded by ``init_seed`` and the edit's number, so the same
        edits on the same session always give the same weights.
        """
        self.edits += 1
        return np.random.default_rng([self.init_seed, self.edits])

    def base_dir(self) -> Path:
        """The folder that relative CSV paths start from: the file's, else the origin or cwd."""
        if self.path is not None:
            return self.path.parent
        return self.origin if self.origin is not None else Path.cwd()

    def reload_dataset(self) -> None:
        """Rebuild ``dataset`` from data, features and the network's input and output layers.

        Raises SessionError (and keeps the old dataset) if they do not fit together.
        """
        pr = Problems()
        net = self.network
        found = dataset_for(
            self.data,
            self.features,
            net.layers,
            net.activation_names,
            self.loss,
            self.base_dir(),
            pr,
            self.training,
            self.allow_outside,
        )
        if pr.problems:
            raise SessionError(pr.problems, _file_name(self.path))
        self.dataset = found

    def fitting_labels(self) -> dict | None:
        """The display labels that still fit the network (after edits, some may not)."""
        return _fitting_labels(self.labels, self.network.layers)

    def initial_network(self) -> Network:
        """A fresh network from init scheme and seed, with the current layers and activations."""
        return Network.initialized(
            self.network.layers,
            list(self.network.activation_names),
            self.init_scheme,
            self.init_seed,
        )


def _file_name(path: Path | None) -> str | None:
    return None if path is None else str(path)


# --- from and to plain data -----------------------------------------------------------------


def session_from_dict(
    d: dict, base_dir: Path | None = None, file: str | None = None, allow_outside: bool = False
) -> Session:
    """A Session from parsed JSON, every problem collected into one SessionError.

    ``base_dir`` resolves relative CSV paths (default: the working folder); the CSV file
    must lie there or below unless ``allow_outside`` (the user allowed it; the session
    keeps the permission).  ``file`` names the source in the error message.  ``d`` is not changed,
    and the session shares nothing with it.  Data nested deeper than MAX_DEPTH, or with
    strings that no file can store, is refused before anything is copied.
    """
    check_tree(d, file)
    return _session(d, base_dir, file, copy.deepcopy, allow_outside)


def _session(
    d: Any, base_dir: Path | None, file: str | None, copied: Callable, allow_outside: bool = False
) -> Session:
    """session_from_dict, with ``copied`` applied to the parts of ``d`` that the session keeps."""
    if not isinstance(d, dict):
        raise SessionError(
            [f"the top level must be a JSON object {{...}}, got {describe(d)}"], file
        )
    pr = Problems()
    obj(d, "", pr, TOP_KEYS, required=("format", "network", "data"))
    if "format" in d and not schema.check_format(d["format"], pr):
        raise SessionError(pr.problems, file)
    got = _check_sections(d, pr)
    spec, dataset = got["network"], None
    if schema.check_pairing(spec, got["loss"], pr) and not invalid(got["data"], got["features"]):
        training = None if invalid(got["training"]) else got["training"]
        args = (got["data"], got["features"], spec.layers, spec.activations, got["loss"])
        dataset = dataset_for(*args, base_dir, pr, training, allow_outside)
    if dataset is not None and not invalid(got["lecture"]) and got["lecture"] is not None:
        check_against(got["lecture"], dataset, pr, got["loss"])
    if pr.problems:
        raise SessionError(pr.problems, file)
    return Session(
        name=got["name"],
        description=got["description"],
        network=_build_network(spec),
        init_scheme=spec.scheme,
        init_seed=spec.seed,
        loss=got["loss"],
        training=got["training"],
        data=copied(got["data"]),
        features=list(got["features"]),
        labels=copied(spec.labels),
        extra=copied(pr.extra),
        warnings=pr.warnings,
        path=None,
        dataset=dataset,
        origin=None if base_dir is None else Path(base_dir),
        **{key: got[key] for key in ("lecture", "explore", "guide")},
        allow_outside=allow_outside,
    )


def _check_sections(d: dict, pr: Problems) -> dict[str, Any]:
    """Every top-level section checked, in file order, with its default when absent."""
    got = {key: string(d.get(key, DEFAULTS[key]), key, pr) for key in ("name", "description")}
    got["network"] = (
        schema.check_network(d["network"], pr) if "network" in d else schema.NetworkSpec()
    )
    got["loss"] = choice(d.get("loss", DEFAULTS["loss"]), "loss", pr, LOSSES, "loss")
    got["training"] = (
        schema.check_training(d["training"], pr) if "training" in d else TrainingConfig()
    )
    got["data"] = schema.check_data(d["data"], pr) if "data" in d else INVALID
    if "features" in d:
        got["features"] = schema.check_features(d["features"], pr)
    else:
        got["features"] = schema.default_features(got["data"])
    got["lecture"] = check_lecture(d["lecture"], pr) if "lecture" in d else None
    got["explore"] = check_explore(d["explore"], pr) if "explore" in d else None
    got["guide"] = check_guide(d["guide"], pr) if "guide" in d else None
    for path, keys in pr.extra.items():  # unknown keys are kept, so they must be valid JSON
        report_non_finite(keys, path, pr)
    return got


def _build_network(spec: schema.NetworkSpec) -> Network:
    """The file's weights and biases if given, else fresh ones from the init scheme and seed."""
    if spec.weights is None:
        return Network.initialized(spec.layers, spec.activations, spec.scheme, spec.seed)
    return Network(spec.weights, spec.biases, spec.activations)


def session_to_dict(s: Session) -> dict:
    """The session as plain JSON data: every section, defaults written out, current weights.

    Unknown keys go back where they were.  Labels that no longer fit the
    network (after its layers were edited) are left out.  Nothing in the
    result is shared with the session.
    """
    return _tree(s, copy.deepcopy)


def _tree(s: Session, copied: Callable[[Any], Any]) -> dict:
    """session_to_dict, with ``copied`` applied to the parts that the session holds."""
    net = s.network
    network: dict[str, Any] = {
        "layers": [int(n) for n in net.layers],
        "activations": list(net.activation_names),
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
        "init": {"scheme": s.init_scheme, "seed": s.init_seed},
    }
    labels = copied(_fitting_labels(s.labels, net.layers))
    if labels:
        network["labels"] = labels
    out = {
        "format": FORMAT,
        "name": s.name,
        "description": s.description,
        "network": network,
        "loss": s.loss,
        "training": dataclasses.asdict(s.training),
        "data": copied(s.data),
        "features": list(s.features),
    }
    for key in ("lecture", "explore", "guide"):  # the optional sections, when there
        if getattr(s, key):
            out[key] = getattr(s, key).to_dict()
    for path, keys in s.extra.items():
        target = _at(out, path)
        if isinstance(target, dict):  # a section that no longer exists takes its keys along
            for key, value in keys.items():
                target.setdefault(key, copied(value))
    return out


def _fitting_labels(labels: dict | None, layers: list[int]) -> dict | None:
    """The parts of ``labels`` that still have the shape of what they label."""
    if not labels:
        return None
    fitting = {}
    for key, part in labels.items():
        if schema.check_labels({key: part}, layers, Problems()) is not INVALID:
            fitting[key] = part
    return fitting or None


def _at(tree: dict, path: str) -> Any:
    """The value at a dotted path of object keys ("" is the tree itself), or None."""
    for key in path.split(".") if path else ():
        tree = tree.get(key) if isinstance(tree, dict) else None
    return tree


# --- JSON text and files --------------------------------------------------------------------


def loads_session(
    text: str, base_dir: Path | None = None, file: str | None = None, allow_outside: bool = False
) -> Session:
    """A Session from JSON text; NaN and Infinity are reported at their JSON paths.  Its CSV
    file must lie in ``base_dir`` or below unless ``allow_outside``."""
    d = parse_json(text, file)
    return _session(d, base_dir, file, lambda part: part, allow_outside)  # nothing to copy


def load_session(path: str | Path, allow_outside: bool = False) -> Session:
    """Read, check and build the session in the file at ``path`` (at most 50 MB of UTF-8
    JSON); its CSV file only from the session's folder and below unless ``allow_outside``."""
    path, file = Path(path), str(path)
    session = loads_session(read_text(path, file), path.parent, file, allow_outside)
    session.path = path
    return session


def dumps_session(s: Session) -> str:
    """The session as the JSON text that save_session writes.

    Raises SessionError when a weight or bias is NaN or infinite (a diverged
    network): JSON cannot hold it, and the file could not be loaded again.
    """
    pr = Problems()
    for kind, arrays in (("weights", s.network.weights), ("biases", s.network.biases)):
        for l, array in enumerate(arrays):
            if not np.all(np.isfinite(array)):
                where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
                path = f"network.{kind}[{l}]" + "".join(f"[{i}]" for i in where)
                pr.add(path, f"{array[where]} cannot be saved; reset or re-randomise the network")
    if pr.problems:
        raise SessionError(pr.problems, _file_name(s.path))
    tree = _tree(s, lambda part: part)
    check_tree(tree, _file_name(s.path))  # a name or kept key that cannot be written, at its path
    return format_json(tree) + "\n"


def save_session(
    s: Session, path: str | Path | None = None, replace_read_only: bool = False
) -> Path:
    """Save atomically to ``path`` (default: where it came from); ``s.path`` becomes the file.

    The text is made in full before the disk is touched, so a failure leaves
    any existing file as it was.  A relative CSV path is rewritten for a new folder.
    A symbolic link is written through to its target (``s.path`` stays the link); a
    read-only file raises ``storage.ReadOnlyFile`` unless ``replace_read_only``.
    """
    target = Path(path) if path is not None else s.path
    if target is None:
        raise ValueError("the session has no file yet; give a path to save it to")
    if is_builtin(target):
        why = "built-in lessons are read-only templates; save your copy under another name"
        raise SessionError([why], str(target))
    data = relative_csv(rebase_csv(s.data, s.base_dir(), target.parent), target.parent)
    text = dumps_session(dataclasses.replace(s, data=data))
    write_text(target, text, replace_read_only)
    s.data, s.path = data, target
    return target

"""How each control of the window changes a session: pure functions, no Qt.

Every edit keeps the trained weights that still fit (core.engine.network's edits) and
draws new weights from the session's initialiser.  ``apply_setting`` maps a
control's key (see gui.controls.panel) onto the session and says whether the
running trainer can take the change at once ("live") or must restart.
"""

from __future__ import annotations

import dataclasses

from core.data.dataset import REGRESSION, default_test_ratio
from core.data.generators import GATES
from core.engine.losses import pairing_problem
from core.engine.trainer import Trainer
from core.session.format import Session

DATA_DEFAULTS = {"n": 500, "noise": 0.0, "seed": 0, "test_ratio": 0.5}


def is_live(key: str) -> bool:
    """Whether a running trainer takes this setting without a restart."""
    return key.startswith("training.") and key.split(".", 1)[1] in Trainer.LIVE_SETTINGS


def apply_setting(session: Session, key: str, value: object) -> None:
    """Change one setting of ``session`` (raises ValueError or SessionError if it cannot)."""
    section, _, name = key.partition(".")
    if section == "training":
        session.training = dataclasses.replace(session.training, **{name: value})
    elif section == "data":
        set_data(session, name, value)
    elif key == "features":
        set_features(session, list(value))
    elif key == "loss":
        set_loss(session, str(value))
    elif key == "network.hidden":
        set_hidden_sizes(session, list(value))
    elif key == "network.hidden_activations":
        for layer, name_ in enumerate(value, start=1):
            session.network.set_activation(layer, name_)
    elif key == "network.output_activation":
        session.network.set_activation(len(session.network.weights), str(value))
        fit_outputs(session)
    elif key == "network.init.scheme":
        session.init_scheme = str(value)
        session.network = session.initial_network()
    elif key == "network.init.seed":
        session.init_seed = int(value)
        session.network = session.initial_network()
    else:
        raise ValueError(f"unknown setting {key!r}")
    if section in ("data", "network", "features", "loss"):
        check_pairing(session)
        session.reload_dataset()


def check_pairing(session: Session) -> None:
    """Refuse a loss and output layer that make no sense together."""
    net = session.network
    problem = pairing_problem(session.loss, net.activation_names[-1], net.layers[-1])
    if problem:
        raise ValueError(problem)


PARTNERS = {"cce": "softmax", "bce": "sigmoid"}


def set_loss(session: Session, loss: str) -> None:
    """Change the loss; an output layer that cannot go with it changes to its partner."""
    session.loss = loss
    net = session.network
    out = net.activation_names[-1]
    wanted = PARTNERS.get(loss, "sigmoid" if out == "softmax" else out)
    if wanted != out:
        net.set_activation(len(net.weights), wanted)
        fit_outputs(session)


def set_data(session: Session, name: str, value: object) -> None:
    """Change the built-in data set or one of its parameters; the network follows."""
    if name == "builtin":
        old = session.data
        was_builtin = "builtin" in old
        base = old if was_builtin else DATA_DEFAULTS
        session.data = {k: base.get(k, v) for k, v in DATA_DEFAULTS.items()} | {"builtin": value}
        if value in GATES or old.get("builtin") in GATES:  # a truth table trains on every row
            session.data["test_ratio"] = default_test_ratio({"builtin": value})
        if "classes" in old:
            session.data["classes"] = old["classes"]
        if value == "sine":
            features = ["x1"]
        elif not was_builtin or old.get("builtin") == "sine":
            features = ["x1", "x2"]
        else:
            features = session.features
        if not was_builtin:  # the input layer followed a table's columns, not features
            resize_layer(session, 0, len(features))
            session.features = list(features)
        set_features(session, features)
    else:
        if "builtin" not in session.data:
            raise ValueError("only built-in data sets have these settings")
        session.data = dict(session.data) | {name: value}
    fit_outputs(session)


def set_features(session: Session, features: list[str]) -> None:
    """Add or remove input neurons so the input layer matches the features, keeping the
    weights of the features that stay (new ones get weights from the initialiser)."""
    net = session.network
    current = list(session.features)
    for feature in features:
        if feature not in current:
            net.add_neuron(0, net.layers[0], session.init_scheme, session.edit_rng())
            current.append(feature)
    for index in reversed(range(len(current))):
        if current[index] not in features:
            net.remove_neuron(0, index)
            del current[index]
    order = [current.index(f) for f in features]
    net.weights[0] = net.weights[0][:, order]
    session.features = list(features)


def set_hidden_sizes(session: Session, sizes: list[int]) -> None:
    """Resize, add (before the output) or remove (from the end) hidden layers."""
    net = session.network
    while len(net.layers) - 2 > len(sizes):
        net.remove_layer(len(net.layers) - 2, session.init_scheme, session.edit_rng())
    while len(net.layers) - 2 < len(sizes):
        act = net.activation_names[-2] if len(net.layers) > 2 else "tanh"
        index = len(net.layers) - 1
        net.insert_layer(index, sizes[index - 1], act, session.init_scheme, session.edit_rng())
    for layer, size in enumerate(sizes, start=1):
        resize_layer(session, layer, size)


def resize_layer(session: Session, layer: int, size: int) -> None:
    """Add neurons at the end of a layer or remove its last ones."""
    net = session.network
    while net.layers[layer] < size:
        net.add_neuron(layer, net.layers[layer], session.init_scheme, session.edit_rng())
    while net.layers[layer] > size:
        net.remove_neuron(layer, net.layers[layer] - 1)


def fit_outputs(session: Session) -> None:
    """Give the output layer the size, activation and loss the data needs."""
    spec = session.data
    if "builtin" not in spec:
        return
    net = session.network
    name = spec["builtin"]
    out = net.activation_names[-1]
    if name in REGRESSION:
        size, out = 1, ("linear" if out in ("softmax", "sigmoid") else out)
        session.loss = "mse" if session.loss in ("bce", "cce") else session.loss
    elif name == "blobs" and spec.get("classes", 3) > 2:
        size, out, session.loss = int(spec.get("classes", 3)), "softmax", "cce"
    else:
        size = 2 if out == "softmax" else 1
    resize_layer(session, len(net.layers) - 1, size)
    if out != net.activation_names[-1]:
        net.set_activation(len(net.weights), out)
    if pairing_problem(session.loss, out, size):
        session.loss = {"softmax": "cce", "sigmoid": "bce"}.get(out, "mse")


# --- edits made on the diagram ---------------------------------------------------------------

MAX_NEW_LAYER = 2  # a new hidden layer starts small, as in Playground


def add_neuron(session: Session, layer: int) -> None:
    """One more neuron at the end of hidden layer ``layer``."""
    resize_layer(session, layer, session.network.layers[layer] + 1)


def remove_neuron(session: Session, layer: int) -> None:
    """Remove the last neuron of hidden layer ``layer`` (a layer keeps at least one)."""
    resize_layer(session, layer, session.network.layers[layer] - 1)


def add_layer(session: Session, index: int) -> None:
    """A new hidden layer that becomes layer ``index``, with the activation of its neighbour."""
    net = session.network
    hidden = net.activation_names[:-1]
    activation = hidden[min(index, len(hidden)) - 1] if hidden else "tanh"
    net.insert_layer(index, MAX_NEW_LAYER, activation, session.init_scheme, session.edit_rng())


def remove_layer(session: Session, layer: int) -> None:
    """Remove hidden layer ``layer``; its neighbours are joined by new weights."""
    session.network.remove_layer(layer, session.init_scheme, session.edit_rng())


def set_activation(session: Session, layer: int, name: str) -> None:
    """Change layer ``layer``'s activation (the output's also fixes the loss and targets)."""
    session.network.set_activation(layer, name)
    if layer == len(session.network.weights):
        fit_outputs(session)
    check_pairing(session)
    session.reload_dataset()

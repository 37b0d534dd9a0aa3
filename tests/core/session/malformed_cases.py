"""Malformed sessions, one problem each: the case table (a name, the session as a dictionary
or as JSON text, and the message expected at its JSON path)."""

from __future__ import annotations

import copy
import json
from typing import Any

from core.session.format import FORMAT

BASE = {
    "format": FORMAT,
    "network": {"layers": [2, 2, 1], "activations": ["sigmoid", "sigmoid"]},
    "loss": "mse",
    "data": {
        "inline": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]}
    },
}
WEIGHTS = [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]]
BIASES = [[0.0, 0.0], [0.0]]


def edit(*changes: tuple[str, Any]) -> dict:
    """BASE with each (dotted path, value) set; the value DELETE removes the key."""
    d = copy.deepcopy(BASE)
    for path, value in changes:
        *parents, last = path.split(".")
        target = d
        for key in parents:
            target = target.setdefault(key, {})
        if value is DELETE:
            del target[last]
        else:
            target[last] = value
    return d


DELETE = object()
TWO_OUT = ("data.inline.targets", [[1, 0], [0, 1], [0, 1], [1, 0]])


def text_with(old: str, new: str, d: dict | None = None) -> str:
    """The JSON text of ``d`` (default: BASE with weights) with ``old`` replaced by ``new``."""
    d = d or edit(("network.weights", WEIGHTS), ("network.biases", BIASES))
    text = json.dumps(d)
    assert old in text
    return text.replace(old, new, 1)


CASES: list[tuple[str, dict | str, str]] = [
    ("missing format", edit(("format", DELETE)), "format: missing; this key is required"),
    (
        "wrong format",
        edit(("format", "tf-playground")),
        "format: expected 'backprop-lab/1', got 'tf-playground'",
    ),
    ("format not a string", edit(("format", 1)), "format: expected 'backprop-lab/1', got 1"),
    (
        "newer format",
        edit(("format", "backprop-lab/3")),
        "format: version 3 is newer than this app understands (1)",
    ),
    ("top level a list", "[1, 2]", "the top level must be a JSON object {...}, got a list"),
    ("nested too deeply", "[" * 100_000 + "]" * 100_000, "the JSON is nested too deeply"),
    ("network missing", edit(("network", DELETE)), "network: missing; this key is required"),
    ("network a list", edit(("network", [2, 1])), "network: expected an object {...}, got a list"),
    (
        "layers missing",
        edit(("network.layers", DELETE)),
        "network.layers: missing; this key is required",
    ),
    ("layers not a list", edit(("network.layers", 3)), "network.layers: expected a list, got 3"),
    ("a layer of 0", edit(("network.layers", [2, 0, 1])), "network.layers[1]: must be >= 1, got 0"),
    (
        "a layer of 2.0",
        edit(("network.layers", [2, 2.0, 1])),
        "network.layers[1]: expected a whole number, got 2.0",
    ),
    (
        "a layer too wide",
        edit(("network.layers", [2, 5000, 1])),
        "network.layers[1]: 5000 neurons; at most 4096 per layer",
    ),
    (
        "one layer",
        edit(("network.layers", [2]), ("network.activations", [])),
        "network.layers: 1 layer; a network needs at least 2",
    ),
    (
        "layers[0] != inputs",
        edit(("network.layers", [3, 2, 1])),
        "network.layers[0]: 3 inputs, but the data gives 2 (x1, x2); make them equal",
    ),
    (
        "activations wrong length",
        edit(("network.activations", ["sigmoid"])),
        "network.activations: 1 entry, expected 2 (one per non-input layer)",
    ),
    (
        "unknown activation",
        edit(("network.activations", ["sigmoidd", "sigmoid"])),
        "network.activations[0]: unknown activation 'sigmoidd'; "
        "choose one of sigmoid, tanh, relu, leaky_relu, linear, softmax",
    ),
    (
        "activation not a string",
        edit(("network.activations", ["sigmoid", None])),
        "network.activations[1]: expected a string, got null",
    ),
    (
        "softmax in a hidden layer",
        edit(("network.activations", ["softmax", "sigmoid"])),
        "network.activations[0]: softmax is only allowed on the output layer",
    ),
    (
        "softmax with mse",
        edit(("network.layers", [2, 2, 2]), ("network.activations", ["tanh", "softmax"]), TWO_OUT),
        "loss: a softmax output needs the cce loss, not mse",
    ),
    (
        "cce with sigmoid",
        edit(("loss", "cce")),
        "loss: the cce loss needs a softmax output layer, not sigmoid",
    ),
    (
        "bce with tanh",
        edit(("loss", "bce"), ("network.activations", ["sigmoid", "tanh"])),
        "loss: the bce loss needs a sigmoid output layer, not tanh",
    ),
    (
        "softmax with 1 output",
        edit(("loss", "cce"), ("network.activations", ["sigmoid", "softmax"])),
        "network.activations[1]: softmax needs at least 2 output neurons, "
        "but the output layer has 1",
    ),
    (
        "weights wrong shape",
        edit(("network.weights", [WEIGHTS[0], [[1, 2, 3]]]), ("network.biases", BIASES)),
        "network.weights[1]: shape (1, 3), expected (1, 2)",
    ),
    (
        "weights ragged",
        edit(("network.weights", [[[1, 2], [3]], WEIGHTS[1]]), ("network.biases", BIASES)),
        "network.weights[0]: rows of different lengths: row 0 has 2, row 1 1",
    ),
    (
        "too many weight matrices",
        edit(("network.weights", [*WEIGHTS, [[1]]]), ("network.biases", BIASES)),
        "network.weights: 3 entries, expected 2 (one per non-input layer)",
    ),
    (
        "weights without biases",
        edit(("network.weights", WEIGHTS)),
        "network.biases: missing; weights and biases are given together or not at all",
    ),
    (
        "biases without weights",
        edit(("network.biases", BIASES)),
        "network.weights: missing; weights and biases are given together or not at all",
    ),
    (
        "biases wrong length",
        edit(("network.weights", WEIGHTS), ("network.biases", [[0, 0, 0], [0]])),
        "network.biases[0]: 3 entries, expected 2",
    ),
    (
        "weight NaN",
        text_with("0.3", "NaN"),
        "network.weights[0][1][0]: NaN is not allowed; numbers must be finite",
    ),
    (
        "bias -Infinity",
        text_with("[0.0]", "[-Infinity]"),
        "network.biases[1][0]: -Infinity is not allowed; numbers must be finite",
    ),
    (
        "weight overflowing to inf",
        text_with("0.6", "1e999"),
        "network.weights[1][0][1]: inf is not allowed; numbers must be finite",
    ),
    (
        "a weight given as true",
        text_with("0.2", "true"),
        "network.weights[0][0][1]: expected a number, got true",
    ),
    (
        "a weight given as a string",
        text_with("0.4", '"0.4"'),
        "network.weights[0][1][1]: expected a number, got a string ('0.4')",
    ),
    (
        "learning_rate negative",
        edit(("training.learning_rate", -0.1)),
        "training.learning_rate: must be > 0, got -0.1",
    ),
    (
        "learning_rate zero",
        edit(("training.learning_rate", 0)),
        "training.learning_rate: must be > 0, got 0",
    ),
    (
        "learning_rate a string",
        edit(("training.learning_rate", "0.1")),
        "training.learning_rate: expected a number, got a string ('0.1')",
    ),
    (
        "learning_rate true",
        edit(("training.learning_rate", True)),
        "training.learning_rate: expected a number, got true",
    ),
    ("batch_size 0", edit(("training.batch_size", 0)), "training.batch_size: must be >= 1, got 0"),
    (
        "batch_size 2.5",
        edit(("training.batch_size", 2.5)),
        "training.batch_size: expected a whole number, got 2.5",
    ),
    (
        "batch_size 2.0",
        edit(("training.batch_size", 2.0)),
        "training.batch_size: expected a whole number, got 2.0",
    ),
    (
        "epochs true",
        edit(("training.epochs", True)),
        "training.epochs: expected a whole number, got true",
    ),
    ("epochs negative", edit(("training.epochs", -1)), "training.epochs: must be >= 1, got -1"),
    (
        "momentum 1.0",
        edit(("training.momentum", 1.0)),
        "training.momentum: must be in [0, 1), got 1.0",
    ),
    (
        "beta2 negative",
        edit(("training.beta2", -0.5)),
        "training.beta2: must be in [0, 1), got -0.5",
    ),
    (
        "eps Infinity",
        text_with('"eps": 1e-08', '"eps": Infinity', edit(("training.eps", 1e-8))),
        "training.eps: Infinity is not allowed; numbers must be finite",
    ),
    (
        "target_loss negative",
        edit(("training.target_loss", -1)),
        "training.target_loss: must be >= 0, got -1",
    ),
    ("l2 null", edit(("training.l2", None)), "training.l2: expected a number, got null"),
    ("shuffle 1", edit(("training.shuffle", 1)), "training.shuffle: expected true or false, got 1"),
    ("seed negative", edit(("training.seed", -3)), "training.seed: must be >= 0, got -3"),
    ("training a list", edit(("training", [])), "training: expected an object {...}, got a list"),
    (
        "unknown optimizer",
        edit(("training.optimizer", "rmsprop")),
        "training.optimizer: unknown optimizer 'rmsprop'; choose one of sgd, momentum, adam",
    ),
    (
        "unknown init scheme",
        edit(("network.init.scheme", "glorot")),
        "network.init.scheme: unknown init scheme 'glorot'; "
        "choose one of zeros, uniform01, uniform, xavier_uniform",
    ),
    (
        "init seed 1.5",
        edit(("network.init.seed", 1.5)),
        "network.init.seed: expected a whole number, got 1.5",
    ),
    (
        "unknown loss",
        edit(("loss", "hinge")),
        "loss: unknown loss 'hinge'; choose one of mse, sse, bce, cce",
    ),
    ("name not a string", edit(("name", 3)), "name: expected a string, got 3"),
    (
        "unknown feature",
        edit(("features", ["x1", "x3"])),
        "features[1]: unknown feature 'x3'; "
        "choose one of x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)",
    ),
    (
        "feature listed twice",
        edit(("features", ["x1", "x1"])),
        "features[1]: 'x1' is listed twice; list each feature once",
    ),
    (
        "no features",
        edit(("features", [])),
        "features: none chosen; choose at least one input feature",
    ),
    (
        "invalid JSON",
        '{\n  "format": "backprop-lab/1",\n  "network": {]\n}',
        "line 3, column 15: not valid JSON (Expecting property name enclosed in double quotes)",
    ),
    (
        "labels neurons of wrong shape",
        edit(("network.labels.neurons", [["a", "b"], ["c"], ["d"]])),
        "network.labels.neurons[1]: 1 entry, expected 2",
    ),
    (
        "labels weights of wrong shape",
        edit(("network.labels.weights", [[["a"], ["b"]], [["c", "d"]]])),
        "network.labels.weights[0]: shape (2, 1), expected (2, 2)",
    ),
    (
        "label not a string",
        edit(("network.labels.biases", [["b1", 2], ["b2"]])),
        "network.labels.biases[0][1]: expected a string, got 2",
    ),
    (
        "NaN in an unknown section",
        text_with('"loss"', '"slides": {"speed": NaN}, "loss"', BASE),
        "slides.speed: NaN is not allowed; numbers must be finite",
    ),
    ("data missing", edit(("data", DELETE)), "data: missing; this key is required"),
    (
        "data with two sources",
        edit(("data.builtin", "xor")),
        "data: give exactly one of 'builtin', 'inline' or 'csv'",
    ),
    (
        "unknown data set",
        edit(("data", {"builtin": "mnist"})),
        "data.builtin: unknown data set 'mnist'; choose one of xor_gate",
    ),
    (
        "data n 2.5",
        edit(("data", {"builtin": "xor", "n": 2.5})),
        "data.n: expected a whole number, got 2.5",
    ),
    (
        "data n out of range (the data controls' range)",
        edit(("data", {"builtin": "xor", "n": 1})),
        "data.n: must be >= 4, got 1",
    ),
    (
        "targets too wide (from datasets)",
        edit(TWO_OUT),
        "data.inline.targets[0]: 2 values, but the output layer has 1 neuron",
    ),
    (
        "inline NaN",
        text_with("[1, 1]]", "[1, NaN]]", BASE),
        "data.inline.inputs[3][1]: NaN is not allowed; numbers must be finite",
    ),
    (
        "csv missing (from datasets)",
        edit(("data", {"csv": "no/such.csv", "targets": ["y"]})),
        "data.csv: file not found: 'no/such.csv'",
    ),
]

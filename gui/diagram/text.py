"""The words and numbers of the network diagram: layer titles, captions, neuron names and
the hover texts of edges and neurons.  Pure functions of the snapshot (no Qt), so the
texts are tested directly and every number is shown at full precision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.trace.notation import activation_name, count, feature_name

HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
OUTPUT_ACTIVATIONS = (*HIDDEN_ACTIVATIONS, "softmax")


def fmt(value: float) -> str:
    """A number at full useful precision: 6 significant digits, with a true minus sign."""
    return f"{float(value):.6g}".replace("-", "−")


def _label(labels: dict | None, key: str, *path: int) -> str:
    """labels[key][path...] if the session has it, else ""."""
    try:
        part = labels[key]  # type: ignore[index]
        for k in path:
            part = part[k]
    except (KeyError, IndexError, TypeError):
        return ""
    return part if isinstance(part, str) else ""


def sample_numbers(sample: tuple, layer: int, i: int) -> dict[str, float]:
    """z, a and delta of neuron (layer, i) from ``sample`` = (z, a, delta), where given:
    z and delta per non-input layer, a per layer (a[0] = the inputs, shown as x)."""
    z, a, delta = sample
    found = {}
    for name, arrays, k in (("z", z, layer - 1), ("a", a, layer), ("delta", delta, layer - 1)):
        if arrays is None or k < 0 or k >= len(arrays):
            continue
        values = np.asarray(arrays[k]).ravel()
        if i < len(values):
            found["x" if layer == 0 and name == "a" else name] = float(values[i])
    return found


@dataclass(frozen=True)
class DiagramText:
    """Names for one network: layer sizes and activations, input feature names and the
    session's display labels (``labels["neurons"]``, ``["weights"]``, ``["biases"]``)."""

    layers: tuple[int, ...]
    activation_names: tuple[str, ...]
    input_names: tuple[str, ...]
    labels: dict | None = None

    @property
    def last(self) -> int:
        """The output layer's number."""
        return len(self.layers) - 1

    def layer_title(self, layer: int, short: bool = False) -> str:
        """'Input', 'Hidden 2' or 'Output' ('In', 'H2', 'Out' if ``short``)."""
        if layer == 0:
            return "In" if short else "Input"
        if layer == self.last:
            return "Out" if short else "Output"
        return f"H{layer}" if short else f"Hidden {layer}"

    def layer_name(self, layer: int) -> str:
        """'the input layer', 'hidden layer 2' or 'the output layer'."""
        if layer == 0:
            return "the input layer"
        return "the output layer" if layer == self.last else f"hidden layer {layer}"

    def caption(self, layer: int, narrow: bool = False, compact: bool = False) -> str:
        """Size and activation under a column: '4 neurons · tanh', on two lines if
        ``narrow``, and '4' over 'tanh' if ``compact`` (the column's title says what)."""
        n = self.layers[layer]
        if layer == 0:
            return str(n) if compact else count(n, "inputs")
        name = activation_name(self.activation_names[layer - 1])
        if compact:
            return f"{n}\n{name}"
        return count(n, "neurons") + ("\n" if narrow else " · ") + name

    def neuron_label(self, layer: int, i: int) -> str:
        """The display label drawn on a neuron (e.g. 'h1'), or ''."""
        return _label(self.labels, "neurons", layer, i)

    def input_name(self, i: int) -> str:
        """The feature fed to input neuron i ('x₁', 'sin x₁', a CSV column's name)."""
        name = self.input_names[i] if i < len(self.input_names) else f"x{i + 1}"
        return feature_name(name, "unicode")

    def neuron_name(self, layer: int, i: int) -> str:
        """A short name: its label, else its feature (inputs), else 'neuron 2 of hidden layer 1'."""
        label = self.neuron_label(layer, i)
        if label:
            return label
        if layer == 0:
            return self.input_name(i)
        if layer == self.last and self.layers[layer] == 1:
            return "the output neuron"
        return f"neuron {i + 1} of {self.layer_name(layer).removeprefix('the ')}"

    def edge_tooltip(self, weight: float, gradient: float | None, l: int, i: int, j: int) -> str:
        """Hover text of edge weights[l][i, j]: the weight and dL/dw of the last step."""
        name = _label(self.labels, "weights", l, i, j) or "weight"
        lines = [
            f"<b>{name}</b>: from {self.neuron_name(l, j)} to {self.neuron_name(l + 1, i)}",
            f"w = {fmt(weight)}",
            "dL/dw = no gradient yet (take a training step)"
            if gradient is None
            else f"dL/dw = {fmt(gradient)} (last step)",
            "<i>Click to type a weight, or turn the wheel to nudge it (Shift: finer).</i>",
        ]
        return "<br>".join(lines)

    def neuron_tooltip(
        self,
        layer: int,
        i: int,
        bias: tuple[float, float | None] | None,
        sample: dict[str, float],
    ) -> str:
        """Hover text of a neuron: bias b and dL/db (non-input), and z, a, delta for the
        selected sample where known."""
        what = f"input {i + 1} ({self.input_name(i)})" if layer == 0 else self.layer_name(layer)
        if layer:
            what += f", neuron {i + 1}, {activation_name(self.activation_names[layer - 1])}"
        lines = [f"<b>{self.neuron_name(layer, i)}</b>: {what}"]
        if bias is not None:
            b, db = bias
            name = _label(self.labels, "biases", layer - 1, i) or "b"
            grad = "no gradient yet" if db is None else fmt(db)
            lines.append(f"bias {name} = {fmt(b)}, dL/db = {grad}")
        shown = [f"{k} = {fmt(v)}" for k, v in sample.items()]
        if shown:
            lines.append("selected sample: " + ", ".join(shown))
        return "<br>".join(lines)

    def edge_text(self, snapshot, l: int, i: int, j: int) -> str:
        """The hover text of edge weights[l][i, j] from a core.snapshot.Snapshot."""
        gradient = float(snapshot.dW[l][i, j]) if snapshot.steps > 0 else None
        return self.edge_tooltip(float(snapshot.weights[l][i, j]), gradient, l, i, j)

    def neuron_text(self, snapshot, sample: tuple, layer: int, i: int) -> str:
        """The hover text of neuron (layer, i): bias and dL/db from the snapshot, and z, a,
        delta from ``sample`` = (z, a, delta) lists (each may be None)."""
        bias = None
        if layer > 0:
            db = float(snapshot.db[layer - 1][i]) if snapshot.steps > 0 else None
            bias = (float(snapshot.biases[layer - 1][i]), db)
        return self.neuron_tooltip(layer, i, bias, sample_numbers(sample, layer, i))

    def marker_tooltip(self, layer: int, shown: Sequence[int], hidden: int) -> str:
        """Hover text of an ellipsis marker."""
        jumps = np.flatnonzero(np.diff(np.asarray(shown)) > 1)
        head = int(jumps[0]) + 1 if len(jumps) else len(shown)
        first, last = shown[head - 1] + 2, shown[head - 1] + 1 + hidden
        return (
            f"{count(hidden, 'neurons')} of {self.layer_name(layer)} not drawn "
            f"(neurons {first} to {last}); enlarge the view to see more."
        )

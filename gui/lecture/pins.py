"""Pinned values and the pinned path: what stays on the stage through every frame.

Mazur's figure shows w1 .. w8 on the edges the whole time; a lecturer pins them (every
weight, or single weights and neurons from their context menu) and pins one weight's path
from the loss back to it, so that the room keeps the chain in sight while the frames move.
A pinned weight shows its value in the frame's picture: before the update, and w⁺ in the
update frames, which draw the network after it.  A pinned neuron shows its activation for
the traced sample.  The frame's own cards come first (gui.lecture.frames.stage_for).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from core.trace.expr import Symbol
from core.trace.iteration import IterationTrace
from core.trace.notation import Precision, format_number, render_symbol
from gui.lecture.plan import Frame
from gui.lecture.reveal import Reveal, veil

MAX_ALL = 256  # "every weight" pins at most this many (larger nets: pin single weights)
AFTER = ("update", "result")  # the frames that draw the network after the update


@dataclass(frozen=True)
class Pins:
    """``weights``: every weight pinned; ``keys``: single pins, a weight's (l, i, j) or a
    neuron's (layer, i); ``path``: the weight (l, i, j) whose path from the loss is lit."""

    weights: bool = False
    keys: tuple[tuple[int, ...], ...] = ()
    path: tuple[int, int, int] | None = None

    def toggled(self, key: tuple[int, ...]) -> Pins:
        """These pins with ``key`` pinned, or unpinned if it was."""
        key = tuple(int(v) for v in key)
        keys = tuple(k for k in self.keys if k != key)
        return dataclasses.replace(self, keys=keys if len(keys) < len(self.keys) else (*keys, key))

    def fitting(self, layers: list[int]) -> Pins:
        """The pins that name an element of a network of ``layers`` (an edit may have
        removed the others)."""

        def fits(key: tuple[int, ...]) -> bool:
            if len(key) == 2:
                return 0 < key[0] < len(layers) and key[1] < layers[key[0]]
            l, i, j = key
            return l < len(layers) - 1 and i < layers[l + 1] and j < layers[l]

        path = self.path if self.path is not None and fits(self.path) else None
        return Pins(self.weights, tuple(k for k in self.keys if fits(k)), path)


def path_to(weight: tuple[int, int, int], layers: list[int]) -> tuple[tuple, tuple]:
    """The neurons and edges from the loss back to ``weight`` (l, i, j): the weight, its
    neuron i of layer l + 1, and every way from there to the outputs (all the edges out of
    that neuron and every edge after its layer)."""
    l, i, _ = weight
    edges = [weight]
    if l + 2 < len(layers):  # out of neuron i of layer l + 1
        edges += [(l + 1, k, i) for k in range(layers[l + 2])]
    neurons = [(l + 1, i)]
    for m in range(l + 2, len(layers)):  # every neuron and edge after that layer
        neurons += [(m, k) for k in range(layers[m])]
        if m + 1 < len(layers):
            edges += [(m, k, j) for k in range(layers[m + 1]) for j in range(layers[m])]
    return tuple(neurons), tuple(edges)


def weight_symbol(trace: IterationTrace, l: int, i: int, j: int, new: bool = False) -> Symbol:
    """Weight (l, i, j) as the lesson names it (w5), from its gradient's term."""
    step = next(s for s in trace.steps if s.phase == "backward" and s.layer == l + 1)
    (term,) = step.terms.of(step.terms.blocks[0], i=i, j=j)
    return dataclasses.replace(term.target, name="w", new=new)


def pinned_cards(
    pins: Pins, trace: IterationTrace, frame: Frame, digits: int | Precision, reveal: Reveal
) -> tuple[dict, dict]:
    """The pinned values' cards in ``frame``: ({(layer, i): 'aₕ₁ = 0.5933'},
    {(l, i, j): 'w5 = 0.4'}); a hidden quantity as 'aₕ₁ = ?'."""
    layers, after = trace.layers, frame.phase in AFTER
    keys = [k for k in pins.keys if len(k) == 3]
    if pins.weights and sum(a * b for a, b in zip(layers, layers[1:])) <= MAX_ALL:
        keys += [
            (l, i, j)
            for l in range(len(layers) - 1)
            for i in range(layers[l + 1])
            for j in range(layers[l])
        ]
    weights = trace.weights_after if after else trace.weights_before
    edges = {}
    for l, i, j in dict.fromkeys(keys):
        name = render_symbol(weight_symbol(trace, l, i, j, new=after), "unicode")
        edges[(l, i, j)] = f"{name} = {format_number(weights[l][i, j], digits)}"
    nodes = {}
    for layer, i in (k for k in pins.keys if len(k) == 2):
        step = next(s for s in trace.steps if s.phase == "forward" and s.layer == layer)
        (term,) = step.select(sample=frame.sample, i=i, kind="a")
        text = f"{render_symbol(term.target, 'unicode')} = {format_number(term.result, digits)}"
        nodes[(layer, i)] = veil(text) if reveal.veiled(term.target) else text
    return nodes, edges

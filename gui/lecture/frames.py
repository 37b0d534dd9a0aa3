"""What the diagram shows for each frame of a traced step (no Qt widgets here but the view's).

A traced step gives the diagram a few pictures (Snapshots): the network before the
update with the batch's dL/dw, the same with one sample's part of it (the batch
unfolded), and the network after the update; with them, the traced sample's inputs and
targets.  :func:`show_frame` puts a frame on a NetworkView: the right picture, the right
colour scale, and a Stage that lights the frame's neurons and edges with the values its
terms compute, the sample's x on the input nodes and its y beside the outputs.
:func:`morph` is the update frame's animation: each edge from its old weight to its new
one.
Lecture mode and the GIF/MP4 export both draw through these functions.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, QTimer, Slot

from core.engine.network import Network
from core.snapshot import Snapshot, network_snapshot
from core.trace.expr import Term, Value, leaves, sample_parts
from core.trace.notation import Precision, format_number, render_symbol
from gui.diagram.stage import Stage
from gui.lecture.plan import Frame
from gui.lecture.reveal import RESULT, Reveal, veil

NEURON_VALUES = ("z", "a", "delta", "L")
EDGE_VALUES = ("dL/dw", "w")
GRADIENT_PHASES = ("output_delta", "backward")


def traced_snapshot(weights, biases, trace, gradients=None) -> Snapshot:
    """The diagram's picture of the traced step: these weights, with the step's gradients
    (or ``gradients`` = (dW, db), one sample's part of them)."""
    dW, db = gradients if gradients is not None else (trace.dW, trace.db)
    snap = network_snapshot(Network(list(weights), list(biases), list(trace.activation_names)))
    return dataclasses.replace(snap, dW=tuple(dW), db=tuple(db), steps=1)


class Pictures(dict):
    """The pictures of a traced step by name ('before', 'after', 'part'), and ``shown``:
    the traced sample's inputs x and targets y, as the trace's own formula leaves."""

    def __init__(self, pictures: dict[str, Snapshot], shown: tuple[Value, ...] = ()) -> None:
        super().__init__(pictures)
        self.shown = shown


def sample_leaves(trace, sample: int) -> tuple[Value, ...]:
    """Sample ``sample``'s inputs and targets as the trace writes them in its formulas
    (their symbols carry the lesson's labels): each x_j from the first layer's z_1 and each
    y_k from the output delta δ_k, which every loss writes with (a_k - y_k)."""
    steps = {step.phase: step for step in reversed(trace.steps)}
    terms = steps["forward"].select(sample=sample, i=0, kind="z")
    terms += steps["output_delta"].select(sample=sample)
    found = {}
    for term in terms:
        for leaf in leaves(term.expr):
            s = leaf.symbol
            # a single sample's symbols carry no sample number (sample None)
            if s is not None and s.name in ("x", "y") and s.sample in (None, sample):
                found.setdefault((s.name, s.i), leaf)
    return tuple(found[key] for key in sorted(found))


def traced_pictures(trace, shown: int = 0) -> Pictures:
    """The pictures of a traced step: 'before' and 'after' its update, and 'part', the
    batch's gradients unfolded to sample ``shown``'s part; with that sample's x and y."""
    before = (trace.weights_before, trace.biases_before)
    pictures = {
        "before": traced_snapshot(*before, trace),
        "after": traced_snapshot(trace.weights_after, trace.biases_after, trace),
        "part": traced_snapshot(*before, trace, trace.sample_gradients(shown)),
    }
    return Pictures(pictures, sample_leaves(trace, shown))


def fill_from_trace(view, trace, sample: int = 0) -> None:
    """Neurons filled with the traced row's activations (where they show no heatmap)."""
    view.set_sample_values([z[sample] for z in trace.z], [a[sample] for a in trace.a])


def picture_for(frame: Frame, pictures: dict[str, Snapshot], unfold: bool = False) -> Snapshot:
    """Update and result frames show the weights after the step; gradient frames of an ``unfold``ed
    batch show one sample's part ('part'); the rest the network before the step."""
    if frame.phase in ("update", "result"):
        return pictures["after"]
    if unfold and frame.phase in GRADIENT_PHASES:
        return pictures["part"]
    return pictures["before"]


@dataclass(frozen=True)
class Look:
    """What a frame shows besides its own cards: how far it is revealed (``reveal`` at
    ``level``, an index of gui.lecture.reveal.LEVELS), the pinned values that stay on
    screen through every frame (``nodes`` and ``edges`` texts, the frame's own first) and
    the pinned path from the loss back to a weight (``path``: its neurons and edges)."""

    reveal: Reveal = field(default_factory=Reveal)
    level: int = RESULT
    nodes: dict[tuple[int, int], str] = field(default_factory=dict)
    edges: dict[tuple[int, int, int], str] = field(default_factory=dict)
    path: tuple[tuple, tuple] = ((), ())


def show_frame(
    view,
    frame: Frame,
    pictures: dict[str, Snapshot],
    session,
    digits: int | Precision,
    part: int | None = None,
    look: Look | None = None,
) -> Stage:
    """Put ``frame`` on the diagram: the right picture and colour scale, lit and labelled,
    with the traced sample's inputs and targets (``pictures.shown``); with ``part``, a
    batch's gradients unfolded to that sample's share (the pictures' 'part' must be of that
    sample: traced_pictures(trace, part)); ``look``: revealed so far, pins and path."""
    picture = picture_for(frame, pictures, part is not None)
    view_mode = "gradients" if frame.phase in GRADIENT_PHASES else "weights"
    shown = getattr(pictures, "shown", ())
    stage = stage_for(frame, len(session.network.layers) - 1, digits, part, shown, look)
    view.set_frame(picture, session.dataset.input_names, session.fitting_labels(), view_mode, stage)
    return stage


def morph(pictures: dict[str, Snapshot], t: float) -> Snapshot:
    """The update at fraction ``t`` (0: the old weights, 1: the new ones), for animating it."""
    before, after = pictures["before"], pictures["after"]
    t = float(np.clip(t, 0.0, 1.0))

    def blend(old, new) -> tuple[np.ndarray, ...]:
        return tuple(o + t * (n - o) for o, n in zip(old, new))

    return dataclasses.replace(
        after,
        weights=blend(before.weights, after.weights),
        biases=blend(before.biases, after.biases),
    )


NEURON_NAMES = ("x", "y", "z", "a", "delta")


def formulas_about(
    trace, layer: int, i: int, j: int = -1, parameter: bool = False
) -> tuple[str, list[Term]]:
    """A title and every term of the traced step about neuron ``i`` of ``layer`` (z, a, δ,
    its loss term), or with ``parameter`` about its weight from neuron ``j`` (its bias for
    j = -1): the gradient, the optimiser's state, the update."""
    key = (layer, i, None if j < 0 else j)
    terms = [
        term
        for step in trace.steps
        for term in step.terms
        if (term.target.layer, term.target.i, term.target.j) == key
        and (term.target.name not in NEURON_NAMES) == parameter
    ]
    label = terms[0].target.label if terms else None
    if parameter and terms:
        name = render_symbol(dataclasses.replace(terms[-1].target, new=False), "unicode")
    else:
        name = f"neuron {label}" if label else f"neuron {i + 1} of layer {layer}"
    return f"Everything about {name} in this step", terms


def moves(frame: Frame) -> bool:
    """Whether ``frame`` animates: a pulse along its edges, or the update's morph."""
    return frame.phase == "update" or (frame.direction is not None and bool(frame.edges))


def show_motion(
    view, frame: Frame, stage: Stage, pictures: dict[str, Snapshot], t: float | None
) -> None:
    """``frame`` (shown by show_frame as ``stage``) at moment ``t`` (0..1) of its motion:
    the update's weights part-way to the new ones, or the pulse part-way along the edges;
    None: the motion is over (new weights; the dots gone)."""
    if frame.phase == "update":
        picture = morph(pictures, 1.0 if t is None else t)
        text = view.text  # the frame's own names and labels: a tick only recolours
        view.set_network(picture, text.input_names, text.labels)
    else:
        view.set_stage(dataclasses.replace(stage, pulse=t))


PULSE_SECONDS = 0.8  # how long the signal takes to run along a frame's edges (or to morph)
PULSE_FRAME_MS = 16


class Motion(QObject):
    """A frame's motion on ``view``, PULSE_SECONDS long: the pulse along its edges, or the
    update's morph (see show_motion).  ``stage`` is the frame's stage as shown now (a
    reveal click shows it again while the pulse runs on)."""

    def __init__(self, view, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view, self.stage = view, None
        self._frame, self._pictures, self._start = None, {}, 0.0
        self.timer = QTimer(self)
        self.timer.setInterval(PULSE_FRAME_MS)
        self.timer.timeout.connect(self._tick)

    def start(self, frame: Frame | None, pictures: dict[str, Snapshot]) -> None:
        """Play ``frame``'s motion from its start (none if it does not move)."""
        self._frame, self._pictures = frame, pictures
        if frame is None or not moves(frame):
            self.timer.stop()
            return
        self._start = time.monotonic()
        self.timer.start()
        self._tick()

    def stop(self) -> None:
        """No motion (leaving the lecture)."""
        self.timer.stop()
        self.stage = self._frame = None

    @Slot()
    def _tick(self) -> None:
        if self.stage is None or self._frame is None:
            self.timer.stop()
            return
        t = (time.monotonic() - self._start) / PULSE_SECONDS
        moment = None if t >= 1.0 else t
        if moment is None:
            self.timer.stop()
        show_motion(self.view, self._frame, self.stage, self._pictures, moment)


def value_text(term: Term, digits: int | Precision, part: int | None = None) -> str:
    """'∂L/∂w5 = 0.08217': the term's symbol and its result; with ``part``, and when the
    term sums over the batch, sample ``part``'s share of it: '∂L/∂w5[2] = 0.0123'."""
    if part is not None:
        for s, item in sample_parts(term):
            if s == part:
                symbol = dataclasses.replace(term.target, sample=s)
                text = render_symbol(symbol, "unicode", samples=True)
                return f"{text} = {format_number(item.value, digits)}"
    return f"{render_symbol(term.target, 'unicode')} = {format_number(term.result, digits)}"


def update_text(term: Term, digits: int | Precision) -> str:
    """'w5: 0.4 → 0.3589': a parameter's update, from the old value in its formula to the
    new one (the plain value text when the formula holds no old value)."""
    t = term.target
    old = next(
        (
            leaf.value
            for leaf in leaves(term.expr)
            if leaf.symbol is not None
            and (leaf.symbol.name, leaf.symbol.layer, leaf.symbol.i, leaf.symbol.j)
            == (t.name, t.layer, t.i, t.j)
            and not leaf.symbol.new
        ),
        None,
    )
    if old is None:
        return value_text(term, digits)
    name = render_symbol(dataclasses.replace(t, new=False), "unicode")
    return f"{name}: {format_number(old, digits)} → {format_number(term.result, digits)}"


NODE_INPUTS = ("a", "z", "delta")  # a formula's inputs shown beside their neurons
SAMPLE_VALUES = ("x", "y")  # the sample's inputs and targets: on the input and output nodes


def leaf_text(leaf: Value, digits: int | Precision) -> str:
    """'x₁ = 0.05': a formula leaf's symbol and number."""
    return f"{render_symbol(leaf.symbol, 'unicode')} = {format_number(leaf.value, digits)}"


def _label_inputs(
    frame: Frame, output_layer: int, digits, nodes: dict, edges: dict, veiled: Callable
) -> None:
    """Add the numbers a frame's formulas take in (weights on their edges, a, z, δ beside
    their neurons) where the diagram shows nothing yet: the chain rule's inputs in place;
    a number ``veiled`` (kept back) as its symbol = ?."""
    for term in frame.terms:
        for leaf in leaves(term.expr):
            s = leaf.symbol
            if s is None or s.i is None or s.new or s.sample not in (None, frame.sample):
                continue  # a batch sum's other samples are in the panel, not on the diagram
            text = veil(leaf_text(leaf, digits)) if veiled(s) else leaf_text(leaf, digits)
            if s.name == "w" and s.j is not None:
                edges.setdefault((s.layer - 1, s.i, s.j), text)
            elif s.name in NODE_INPUTS and s.j is None:
                lines = nodes.setdefault((output_layer if s.layer is None else s.layer, s.i), [])
                if text not in lines:
                    lines.append(text)


def _sample_cards(
    frame: Frame, digits, shown: Sequence[Value], veiled: Callable
) -> tuple[dict, dict]:
    """The inputs {j: 'x_j = ...'} and targets {k: 'y_k = ...'} of the frame's sample: all
    of ``shown`` (the traced sample's x and y), and those its formulas take in; those
    ``veiled`` as 'x_j = ?'."""
    found = [leaf for t in frame.terms for leaf in leaves(t.expr)] if frame.part is not None else []
    cards: dict[str, dict[int, str]] = {"x": {}, "y": {}}
    for leaf in (*shown, *found):
        s = leaf.symbol
        if s is not None and s.name in SAMPLE_VALUES and s.sample in (None, frame.sample):
            text = leaf_text(leaf, digits)
            cards[s.name].setdefault(s.i, veil(text) if veiled(s) else text)
    return cards["x"], cards["y"]


def stage_for(
    frame: Frame,
    output_layer: int,
    digits: int | Precision = 4,
    part: int | None = None,
    shown: Sequence[Value] = (),
    look: Look | None = None,
) -> Stage:
    """What the diagram shows for one frame: its neurons and edges lit, with the values
    its terms compute beside them (weights after the update, not the optimiser's state);
    with ``part``, a batch's gradients as sample ``part``'s share of them.  The frame's
    sample's inputs and targets (``shown``, and those its formulas take in) go on the
    input nodes and beside the outputs, never into a neuron's stack of values.  ``look``
    says how far the frame is revealed (a value not shown yet reads 'z₁ = ?'; the numbers
    its formula takes in appear from the numbers level on) and adds the pinned values and
    the pinned path."""
    look = look or Look()
    reveal, level = look.reveal, look.level
    nodes: dict[tuple[int, int], list[str]] = {}
    edges: dict[tuple[int, int, int], str] = {}
    for term in frame.terms:
        t = term.target
        whole = reveal.shown_level(term, level) == RESULT
        if t.name in EDGE_VALUES and t.j is not None and (t.name != "w" or t.new):
            text = update_text(term, digits) if t.new else value_text(term, digits, part)
            edges[(t.layer - 1, t.i, t.j)] = text if whole else veil(text)
        elif t.name in NEURON_VALUES and t.i is not None and t.j is None:
            layer = output_layer if t.layer is None else t.layer
            text = value_text(term, digits)
            nodes.setdefault((layer, t.i), []).append(text if whole else veil(text))
    veiled = reveal.veiled_in(frame.terms, level)
    if frame.part is not None and level >= 1:  # one neuron's frame: its formula's inputs
        _label_inputs(frame, output_layer, digits, nodes, edges, veiled)
    if frame.phase == "result":
        _losses_after(frame, output_layer, digits, nodes, reveal, level)
    for key, text in look.nodes.items():  # pinned values, where the frame says nothing
        lines = nodes.setdefault(key, [])
        if text not in lines and not any(line.startswith(text.split(" = ")[0]) for line in lines):
            lines.append(text)
    pinned = tuple(key for key in look.edges if key not in edges)
    for key in pinned:
        edges[key] = look.edges[key]
    inputs, targets = _sample_cards(frame, digits, shown, veiled)
    return Stage(
        neurons=frame.neurons,
        edges=frame.edges,
        direction=frame.direction,
        node_values={key: "\n".join(lines) for key, lines in nodes.items()},
        edge_values=edges,
        inputs=inputs,
        targets=targets,
        path_neurons=look.path[0],
        path_edges=look.path[1],
        pinned=pinned,
    )


def _losses_after(frame: Frame, output_layer: int, digits, nodes: dict, reveal, level) -> None:
    """Each output's loss after the update, beside it: L⁺ₒ₁ ... (kept back as the frame's
    result where the loss is revealed or hidden)."""
    for leaf in (leaf for term in frame.terms for leaf in leaves(term.expr)):
        s = leaf.symbol
        if s is not None and s.name == "L" and s.i is not None and s.sample in (None, frame.sample):
            lines = nodes.setdefault((output_layer, s.i), [])
            way, text = reveal.way(s), leaf_text(leaf, digits)
            if way == "hidden" or (way == "revealed" and level < RESULT):
                text = veil(text)
            if text not in lines:
                lines.append(text)

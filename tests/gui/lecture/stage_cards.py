"""Lecture frames walked on a stage view, and what each value card there belongs to.

A card's owner is read from the stage (the text it was given for a neuron, an edge, an input
or a target; among equal texts, the element the card sits on).  What its text claims is
checked against the trace's own terms, independently of how the stage formatted it: each
name must be a quantity of the card's owner, with that quantity's number.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import numpy as np
from PySide6.QtCore import QRectF

from core.engine.trainer import trainer_for
from core.session.format import Session, load_session, session_from_dict
from core.trace.expr import Symbol, leaves
from core.trace.iteration import IterationTrace, trace_next_step
from core.trace.notation import format_number, render_symbol
from gui.diagram.cards import ValueLabel, crossed, number_alone, stacked
from gui.diagram.items import LabelItem
from gui.diagram.stage import LABEL_GAP, Stage
from gui.diagram.view import NetworkView
from gui.lecture.frames import fill_from_trace, show_frame, traced_pictures
from gui.lecture.plan import Frame, LecturePlan
from tests import paths

LESSONS = sorted(path.stem for path in paths.LESSONS.glob("*.json"))
# The diagram's viewport in lecture mode in a window of 1280x720 and of 1920x1080.
SIZES = {"1280x720": (826, 587), "1920x1080": (1246, 947)}


def net_23241() -> Session:
    """Playground's circle on a 2-3-2-4-1 tanh net (issue 9's example)."""
    tree = json.loads((paths.LESSONS / "playground_default.json").read_text())
    tree["network"]["layers"] = [2, 3, 2, 4, 1]
    tree["network"]["activations"] = ["tanh"] * 4
    return session_from_dict(tree, paths.LESSONS)


def session_named(name: str) -> Session:
    """A built-in lesson, or 'net_23241'."""
    return net_23241() if name == "net_23241" else load_session(paths.LESSONS / f"{name}.json")


def lecture_view(size: str) -> NetworkView:
    """A shown NetworkView of the lecture diagram's ``size`` (a key of SIZES), presenting,
    without its controls, as lecture mode draws it."""
    view = NetworkView()
    view.resize(*SIZES[size])
    view.show()
    view.set_presenting(True)
    view.set_controls_visible(False)
    return view


def walk(
    view: NetworkView, session: Session, granularity: str, digits=4, sample: int = 0
) -> Iterator[tuple[Frame, Stage, IterationTrace]]:
    """Every frame of the session's next step, shown on ``view`` as lecture mode does, the
    neurons following the batch's ``sample`` (its last, in a smaller batch)."""
    trace = trace_next_step(trainer_for(session), session.labels)
    plan = LecturePlan(trace, granularity, min(sample, trace.n - 1))
    pictures = traced_pictures(trace, plan.sample)
    fill_from_trace(view, trace, plan.sample)
    for frame in plan.frames:
        yield frame, show_frame(view, frame, pictures, session, digits), trace


def cards(view: NetworkView) -> list[ValueLabel]:
    return [item for item in view.diagram.items() if isinstance(item, ValueLabel)]


def texts_of(view: NetworkView) -> list[LabelItem]:
    """The diagram's own texts shown: titles, input names, captions, markers."""
    items = view.diagram.items()
    return [item for item in items if isinstance(item, LabelItem) and item.isVisible()]


# --- what belongs to what ---


def element_of(symbol: Symbol, last: int) -> tuple:
    """('edge', l, i, j) for a weight's quantities, ('neuron', layer, i) for a neuron's
    (x of an input, y of an output, the loss terms of the output layer)."""
    if symbol.j is not None:
        return ("edge", symbol.layer - 1, symbol.i, symbol.j)
    return ("neuron", last if symbol.layer is None else symbol.layer, symbol.i)


def element(owner: tuple) -> tuple:
    """A card's owner as an element: its neuron for a node's, an input's or a target's."""
    return owner if owner[0] == "edge" else ("neuron", *owner[1:])


def quantities(frame: Frame, trace: IterationTrace, labels, digits) -> dict[str, set[tuple]]:
    """name -> {(element, number as shown)} of every quantity the frame and its sample have:
    its terms' results, their leaves, the sample's inputs and targets from the trace."""
    last = len(trace.layers) - 1
    found: dict[str, set[tuple]] = {}

    def add(symbol: Symbol, number: str) -> None:
        if symbol.i is None or symbol.sample not in (None, frame.sample):
            return
        plain = dataclasses.replace(symbol, sample=None)
        found.setdefault(render_symbol(plain, "unicode"), set()).add(
            (element_of(symbol, last), number)
        )

    for term in frame.terms:
        t = term.target
        add(t, format_number(term.result, digits))
        for leaf in leaves(term.expr):
            if leaf.symbol is not None:
                add(leaf.symbol, format_number(leaf.value, digits))
                if t.new and dataclasses.replace(leaf.symbol, new=True) == t:
                    old, new = (format_number(v, digits) for v in (leaf.value, term.result))
                    add(dataclasses.replace(t, new=False), f"{old} → {new}")
    s = frame.sample
    for j, x in enumerate(trace.x[s]):
        add(Symbol("x", 0, j, None, neuron_label(labels, 0, j), s), format_number(x, digits))
    for k, y in enumerate(trace.y[s]):
        add(Symbol("y", last, k, None, neuron_label(labels, last, k), s), format_number(y, digits))
    return found


def neuron_label(labels: dict | None, layer: int, i: int) -> str | None:
    """The lesson's label of neuron i of ``layer`` (None without labels)."""
    neurons = ((labels or {}).get("neurons") or [])[layer : layer + 1]
    return str(neurons[0][i]) if neurons and neurons[0] is not None else None


def claims(text: str) -> list[tuple[str, str]] | None:
    """The (name, number) pairs a card's text states, one a line ('w5: 0.4 → 0.3589' states
    ('w5', '0.4 → 0.3589')); None for a number alone."""
    text = text.replace("\n= ", " = ").replace(":\n", ": ")
    out = []
    for line in text.split("\n"):
        if " = " in line:
            name, _, number = line.rpartition(" = ")
        elif ": " in line:
            name, _, number = line.partition(": ")
        else:
            return None
        out.append((name, number))
    return out


def owners_of(stage: Stage, last: int) -> dict[str, list[tuple]]:
    """Every text the stage may put on a card -> the elements it was given for."""
    owners: dict[str, list[tuple]] = {}
    for key, text in stage.node_values.items():
        owners.setdefault(text, []).append(("node", *key))
    for key, text in stage.edge_values.items():
        for form in {text, stacked(text), number_alone(text)}:
            owners.setdefault(form, []).append(("edge", *key))
    for kind, layer, values in (("input", 0, stage.inputs), ("target", last, stage.targets)):
        for i, text in values.items():
            for form in {text, number_alone(text)}:
                owners.setdefault(form, []).append((kind, layer, i))
    return owners


def body(view: NetworkView, layer: int, i: int) -> QRectF:
    item = view.diagram.neurons[(layer, i)]
    return item.body().translated(item.pos())


def distance(a: QRectF, b: QRectF) -> float:
    """The gap between two rectangles (0 if they touch or overlap)."""
    dx = max(a.left() - b.right(), b.left() - a.right(), 0.0)
    dy = max(a.top() - b.bottom(), b.top() - a.bottom(), 0.0)
    return float(np.hypot(dx, dy))


def edge_ends(view: NetworkView, key: tuple) -> np.ndarray:
    ids = [tuple(row) for row in view.diagram.edges.ids.tolist()]
    return view.diagram.edges.ends[ids.index(tuple(key))]


def along(view: NetworkView, card: ValueLabel, key: tuple) -> tuple[float, float]:
    """(how far the card's anchor is from the edge's line, the fraction along it)."""
    x0, y0, x1, y1 = edge_ends(view, key)
    px, py = card.pos().x(), card.pos().y()
    t = ((px - x0) * (x1 - x0) + (py - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2)
    return float(np.hypot(x0 + t * (x1 - x0) - px, y0 + t * (y1 - y0) - py)), float(t)


def owner_of(view: NetworkView, card: ValueLabel, stage: Stage, last: int) -> tuple:
    """The element the stage gave the card's text for: among equal texts, the nearest."""
    candidates = owners_of(stage, last).get(card.text(), [])
    assert candidates, f"{card.text()!r} is not a text this frame's stage gave anything"

    def off(owner: tuple) -> float:
        if owner[0] == "edge":
            return along(view, card, owner[1:])[0]
        return distance(card.sceneBoundingRect(), body(view, *owner[1:]))

    return min(candidates, key=off)


def problems(view: NetworkView, frame, stage: Stage, trace, labels, digits=4) -> list[str]:
    """What is wrong with the cards on ``view`` for ``frame``: a name that is not its
    element's, a number that is not the name's, a card away from its element, a number
    alone that is not unmistakably on its own edge."""
    last = len(trace.layers) - 1
    truth = quantities(frame, trace, labels, digits)
    shown = cards(view)
    found = []
    for card in shown:
        owner = owner_of(view, card, stage, last)
        rect, text = card.sceneBoundingRect(), card.text()
        said = claims(text)
        where = f"{frame.title}: {text!r} of {owner}"
        for name, number in said or ():
            if (element(owner), number) not in truth.get(name, set()):
                found.append(f"{where}: {name} = {number} is not its {owner}'s")
        if owner[0] == "edge":
            off, t = along(view, card, owner[1:])
            if off > 0.5 or not 0.25 <= t <= 0.75:
                found.append(f"{where}: not on its edge (off by {off:.1f}, t = {t:.2f})")
        elif distance(rect, body(view, *owner[1:])) > 2 * LABEL_GAP + 1:
            found.append(f"{where}: not beside its neuron")
        if said is None:
            found += [f"{where}: {p}" for p in alone_problems(view, card, owner, stage, shown)]
            ((name, number),) = claims(given(stage, owner, last))
            if number != text or (element(owner), number) not in truth.get(name, set()):
                found.append(f"{where}: the number is not its {owner}'s")
    return found


def given(stage: Stage, owner: tuple, last: int) -> str:
    """The text the stage gave ``owner``."""
    kind, *key = owner
    if kind in ("input", "target"):
        return (stage.inputs if kind == "input" else stage.targets)[key[-1]]
    return (stage.node_values if kind == "node" else stage.edge_values)[tuple(key)]


def alone_problems(view, card: ValueLabel, owner: tuple, stage: Stage, shown) -> list[str]:
    """Why a number alone is not unmistakably its owner's: an input's or a target's must
    be on its own neuron; an edge's must have no other card or neuron within LABEL_GAP
    (it would read as part of a stack) and no other strong edge running through it."""
    rect = card.sceneBoundingRect()
    if owner[0] in ("input", "target"):
        own = body(view, *owner[1:])
        return [] if own.contains(rect.center()) else ["a number alone off its neuron"]
    if owner[0] != "edge":
        return ["a number alone beside a neuron"]
    out = []
    near = rect.adjusted(-LABEL_GAP + 1, -LABEL_GAP + 1, LABEL_GAP - 1, LABEL_GAP - 1)
    for other in shown:
        if other is not card and near.intersects(other.sceneBoundingRect()):
            out.append(f"stacked with {other.text()!r}")
    for key, neuron in view.diagram.neurons.items():
        drawn = neuron.body() if neuron.bias is None else neuron.body().united(neuron.bias_rect())
        if near.intersects(drawn.translated(neuron.pos())):  # its square and bias glyph
            out.append(f"against neuron {key}")
    ids = [tuple(row) for row in view.diagram.edges.ids.tolist()]
    strong = [k for k in ids if k[0] == owner[1] and (k in stage.edges or not stage.dim_others)]
    ends = np.array([edge_ends(view, k) for k in strong]).reshape(-1, 4)
    own = np.array([strong.index(owner[1:]) if owner[1:] in strong else -1])
    if crossed(np.array([[*rect.getCoords()]]), ends, own).any():
        out.append("another strong edge runs through it")
    return out


# --- the traced sample's inputs and targets ---


def sample_texts(trace, labels, sample: int, digits) -> dict[tuple, set[str]]:
    """owner -> the texts its card may show: 'x₁ = 0.05' or its number alone, from the
    trace's own rows (not from the stage)."""
    last = len(trace.layers) - 1
    texts = {}
    for kind, layer, row, name in (("input", 0, trace.x, "x"), ("target", last, trace.y, "y")):
        for i, value in enumerate(row[sample]):
            symbol = Symbol(name, layer, i, None, neuron_label(labels, layer, i))
            number = format_number(value, digits)
            texts[(kind, layer, i)] = {f"{render_symbol(symbol, 'unicode')} = {number}", number}
    return texts


def sample_problems(view: NetworkView, frame: Frame, trace, labels, digits=4) -> list[str]:
    """What is wrong with the frame's sample's input and target cards: one missing or
    showing another number, or one over another card, a text, another neuron, or outside."""
    shown = cards(view)
    by_owner = {card.owner: card for card in shown if card.owner[0] != "edge"}
    fixed = [item.sceneBoundingRect() for item in (*texts_of(view), *shown)]
    found = []
    for owner, texts in sample_texts(trace, labels, frame.sample, digits).items():
        card = by_owner.get(owner)
        if card is None or card.text() not in texts:
            found.append(f"{frame.title}: {owner} shows {card and card.text()!r}, not {texts}")
            continue
        rect = card.sceneBoundingRect()
        own = view.diagram.neurons[owner[1:]]
        others = [n.sceneBoundingRect() for n in view.diagram.neurons.values() if n is not own]
        clash = [o for o in (*fixed, *others) if o != rect and rect.intersects(o)]
        if clash or not view.diagram.sceneRect().contains(rect):
            found.append(f"{frame.title}: {card.text()!r} over {clash} or outside the scene")
    return found

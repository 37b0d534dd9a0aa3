"""The scalar computational graph of one neuron (or of a small network) for a traced sample.

As micrograd draws it: each input a_j and weight w_ij meet in a × node, the products go
into a Σ, + b gives z, the activation f gives a, and an output neuron's a goes on into its
loss term and L.  Every node holds its forward value and the gradient arriving from above,
∂L/∂node; every edge the local derivative ∂target/∂source, so that at every node

    ∂L/∂source = Σ over its edges (∂L/∂target · ∂target/∂source)     (upstream × local).

The numbers are the trace's: z, a, δ, the weights before the step and the loss terms are
read from :class:`~core.trace.iteration.IterationTrace` (so a graph follows whatever the
trace holds); the local derivatives are computed from the forward values (f'(z), a_j,
w_ij, ∂L_k/∂a_k).  Gradients are of the trace's batch loss L for sample s's path: every
loss term carries the 1/n (mse, bce: 1/(n k)), so ∂L/∂w_ij here is sample s's share
δ_i[s] a_j[s], and the batch's ∂L/∂w_ij = Σ_s of the shares (the trace's dW, ``total``).

bce with sigmoid and cce with softmax combine: their loss node takes z directly with
∂L/∂z = (a − y)/(n k) (bce) or (a − y)/n (cce), and the a node is forward only.
A hidden neuron's graph goes on through the next layer, each neuron k of it collapsed to
z_k ⇒ L (the edge's local derivative is δ_k = ∂L/∂z_k); ``expand`` opens them one level.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from core.engine import activations, losses
from core.trace.chain import COMBINED
from core.trace.expr import leaves
from core.trace.notation import render_symbol

if TYPE_CHECKING:
    from core.trace.iteration import IterationTrace

WHOLE_NEURONS = 12  # the whole network's graph for up to this many neurons (inputs counted)
WHOLE_WEIGHTS = 24  # ... and this many weights
OPS = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU"}
OPS |= {"linear": "id", "softmax": "softmax"}
LOSS_OPS = {"sse": "½(a−y)²", "mse": "(a−y)²/nk", "bce": "σ + BCE", "cce": "softmax + CE"}


@dataclass(frozen=True)
class Node:
    """A scalar of the graph: ``op`` is x, a (an input), w, b, ×, Σ, +, f, loss or L;
    ``name`` its symbol (w5, zₒ₁, aₕ₁; "" for × and Σ); ``caption`` the operation as drawn
    (×, Σ, +, σ, ½(a−y)²); ``grad`` ∂L/∂node (None: forward only); ``total`` for a weight
    or bias with a batch, the batch's ∂L/∂w (the trace's dW, db); ``column``, ``row``
    where it sits (left to right, top to bottom); ``neuron`` the diagram's (layer, i)."""

    key: str
    op: str
    name: str
    caption: str
    value: float
    grad: float | None
    column: float
    row: float
    neuron: tuple[int, int] | None = None
    total: float | None = None
    collapsed: bool = False  # stands for everything from here to L


@dataclass(frozen=True)
class Edge:
    """source → target with the local derivative ∂target/∂source at the forward values
    (None: forward only); ``collapsed``: the path from source to L in one step."""

    source: str
    target: str
    local: float | None
    collapsed: bool = False


@dataclass(frozen=True)
class ScalarGraph:
    """A scalar computational graph of the traced sample ``sample``; ``order`` is the
    backward pass node by node, right to left; ``note`` says what is left out and how the
    batch enters."""

    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    order: tuple[str, ...]
    sample: int
    n: int
    note: str

    def node(self, key: str) -> Node:
        """The node called ``key``."""
        return next(node for node in self.nodes if node.key == key)

    def out_of(self, key: str) -> list[Edge]:
        """The edges leaving ``key`` (towards L) that carry a local derivative."""
        return [e for e in self.edges if e.source == key and e.local is not None]

    def downstream(self, key: str) -> float:
        """Σ over ``key``'s edges of upstream × local: what its gradient must be."""
        return sum(self.node(e.target).grad * e.local for e in self.out_of(key))


def whole_network_problem(trace: IterationTrace) -> str | None:
    """Why the whole network's graph would be unreadable, or None when it fits."""
    neurons = sum(trace.layers)
    weights = sum(a * b for a, b in zip(trace.layers, trace.layers[1:]))
    if neurons > WHOLE_NEURONS or weights > WHOLE_WEIGHTS:
        return (
            f"the network has {neurons} neurons and {weights} weights; the whole graph is "
            f"drawn for up to {WHOLE_NEURONS} neurons and {WHOLE_WEIGHTS} weights"
        )
    return None


class _Builder:
    """Collects nodes and edges from the trace's numbers for sample s."""

    def __init__(self, trace: IterationTrace, sample: int) -> None:
        if not 0 <= sample < trace.n:
            raise ValueError(f"the batch has {trace.n} samples (0 to {trace.n - 1}), not {sample}")
        self.t, self.s, self.L = trace, sample, len(trace.z)
        self.nodes: dict[str, Node] = {}
        self.edges: list[Edge] = []
        self.combined = trace.loss_name in COMBINED

    # --- numbers and names, read from the trace ---

    def term_names(self, l: int, i: int) -> dict:
        """The symbols of z_i's forward term (layer l): w, a (or x), b by index, and z."""
        step = next(st for st in self.t.steps if st.phase == "forward" and st.layer == l)
        (term,) = step.select(sample=self.s, i=i, kind="z")
        names = {"z": render_symbol(term.target, "unicode")}
        for v in leaves(term.expr):
            if v.symbol is not None:
                sym = v.symbol
                key = ("w", sym.j) if sym.name == "w" else (sym.name, sym.i)
                names[key] = render_symbol(sym, "unicode")
        return names

    def a_name(self, l: int, i: int) -> str:
        if l == 0:
            return self.term_names(1, 0)[("x", i)]
        return self.term_names(l + 1, 0)[("a", i)] if l < self.L else self._out_name(l, i)

    def _out_name(self, l: int, i: int) -> str:
        step = next(st for st in self.t.steps if st.phase == "forward" and st.layer == l)
        (term,) = step.select(sample=self.s, i=i, kind="a")
        return render_symbol(term.target, "unicode")

    def a(self, l: int, i: int) -> float:
        return float(self.t.a[l][self.s, i])

    def w(self, l: int, i: int, j: int) -> float:
        return float(self.t.weights_before[l - 1][i, j])

    def delta(self, l: int, i: int) -> float:
        return float(self.t.delta[l - 1][self.s, i])

    def a_grad(self, l: int, i: int) -> float:
        """∂L/∂a_i of a hidden neuron (or an input): Σ_k δ_k w_ki, the trace's δ."""
        return float((self.t.delta[l][self.s] @ self.t.weights_before[l])[i])

    def slope(self, l: int, i: int) -> float:
        """f'(z_i) at the forward value z (the local derivative of the f node)."""
        name = self.t.activation_names[l - 1]
        return float(activations.get(name).df(self.t.z[l - 1][self.s])[i])

    # --- pieces ---

    def add(self, key: str, op: str, name: str, caption: str, value: float, grad, col, row, **kw):
        self.nodes[key] = Node(key, op, name, caption, float(value), grad, col, row, **kw)

    def link(self, source: str, target: str, local, collapsed: bool = False) -> None:
        self.edges.append(Edge(source, target, None if local is None else float(local), collapsed))

    def neuron(self, l: int, i: int, col: float, row: float, inputs: bool, **places) -> None:
        """Neuron i of layer l from its inputs to a: products, Σ, + b, f.  ``inputs``: add
        the a_j (or x_j) nodes of layer l-1 too (as leaves: their path through i only)."""
        t, names, d = self.t, self.term_names(l, i), self.delta(l, i)
        n_in = t.layers[l - 1]
        rows = places.get("rows") or [row + 2 * j - (n_in - 1) for j in range(n_in)]
        w_col, w_dr = (col + 1, -1.0) if places.get("w_above") else (col - 0.35, 0.5)
        for j in range(n_in):
            a_key, w_key, m_key = f"a{l - 1}_{j}", f"w{l}_{i}_{j}", f"m{l}_{i}_{j}"
            a_j, w_ij = self.a(l - 1, j), self.w(l, i, j)
            if inputs:
                op, name = ("x" if l == 1 else "a"), self.a_name(l - 1, j)
                grad = d * w_ij
                self.add(
                    a_key, op, name, "", a_j, grad, col - 0.35, rows[j] - 0.5, neuron=(l - 1, j)
                )
            total = float(t.dW[l - 1][i, j]) if t.n > 1 else None
            w_row = rows[j] + w_dr
            self.add(w_key, "w", names[("w", j)], "", w_ij, d * a_j, w_col, w_row, total=total)
            m_name = f"{names[('w', j)]}·{self.a_name(l - 1, j)}"
            self.add(m_key, "×", m_name, "×", w_ij * a_j, d, col + 1, rows[j], neuron=(l, i))
            self.link(a_key, m_key, w_ij)
            self.link(w_key, m_key, a_j)
            self.link(m_key, f"s{l}_{i}", 1.0)
        z = float(t.z[l - 1][self.s, i])
        b = float(t.biases_before[l - 1][i])
        products = sum(self.nodes[f"m{l}_{i}_{j}"].value for j in range(n_in))
        s_name = "Σ w·a"
        self.add(f"s{l}_{i}", "Σ", s_name, "Σ", products, d, col + 2, row, neuron=(l, i))
        total = float(t.db[l - 1][i]) if t.n > 1 else None
        self.add(f"b{l}_{i}", "b", names[("b", i)], "", b, d, col + 3, row + 1.0, total=total)
        self.add(f"z{l}_{i}", "+", names["z"], "+", z, d, col + 3, row, neuron=(l, i))
        self.link(f"s{l}_{i}", f"z{l}_{i}", 1.0)
        self.link(f"b{l}_{i}", f"z{l}_{i}", 1.0)
        self.activation(l, i, col + 4, row)

    def activation(self, l: int, i: int, col: float, row: float) -> None:
        """The f node a_i = f(z_i); with bce / cce on the output it is forward only."""
        name, caption = self.a_name(l, i), OPS[self.t.activation_names[l - 1]]
        if l == self.L and self.combined:
            self.add(f"a{l}_{i}", "f", name, caption, self.a(l, i), None, col, row - 0.9)
            self.link(f"z{l}_{i}", f"a{l}_{i}", None)
            return
        grad = self.head_grad(i) if l == self.L else self.a_grad(l, i)
        self.add(f"a{l}_{i}", "f", name, caption, self.a(l, i), grad, col, row, neuron=(l, i))
        self.link(f"z{l}_{i}", f"a{l}_{i}", self.slope(l, i))

    def head_grad(self, k: int) -> float:
        """∂L/∂a_k of an output neuron: ∂L_k/∂a_k (sse a − y, mse 2 (a − y)/(n k))."""
        t = self.t
        return float(losses.get(t.loss_name).grad_a(t.a[-1], t.y)[self.s, k])

    def head(self, ks: list[int], col: float, rows: dict[int, float]) -> None:
        """The loss terms of outputs ``ks`` (one per output, or the sample's cross-entropy
        for cce) at column ``col`` and L after them."""
        t, s, L = self.t, self.s, self.L
        terms = t.loss_terms[s]
        caption = LOSS_OPS[t.loss_name]
        sample = f"[{s}]" if t.n > 1 else ""
        if t.loss_name == "cce":
            mid = float(np.mean([rows[k] for k in ks]))
            self.add("loss", "loss", f"L{sample}", caption, terms.sum(), 1.0, col, mid)
        for k in ks:
            a, y = self.a(L, k), float(t.y[s, k])
            if t.loss_name == "cce":
                self.link(f"z{L}_{k}", "loss", (a - y) / t.n)
                continue
            key, name = f"loss{k}", f"L{_subscript(self.a_name(L, k))}{sample}"
            self.add(key, "loss", name, caption, terms[k], 1.0, col, rows[k])
            if t.loss_name == "bce":
                self.link(f"z{L}_{k}", key, (a - y) / t.y.size)
            else:
                self.link(f"a{L}_{k}", key, self.head_grad(k))
        mid = float(np.mean([rows[k] for k in ks]))
        self.add("L", "L", "L", "L", t.loss, 1.0, col + 1, mid)
        for key in [k for k in self.nodes if self.nodes[k].op == "loss"]:
            self.link(key, "L", 1.0)

    def graph(self, title: str, note: str) -> ScalarGraph:
        """The graph, its backward order right to left: a node once every node its
        gradient needs (the targets of its edges) has its own."""
        nodes = tuple(self.nodes.values())
        left = sorted((n for n in nodes if n.grad is not None), key=lambda n: (-n.column, n.row))
        needs = {
            n.key: {e.target for e in self.edges if e.source == n.key and e.local is not None}
            for n in left
        }
        order: list[str] = []
        while left:
            ready = next(n for n in left if needs[n.key] <= set(order))
            order.append(ready.key)
            left.remove(ready)
        return ScalarGraph(title, nodes, tuple(self.edges), tuple(order), self.s, self.t.n, note)


def _subscript(name: str) -> str:
    """aₒ₁ -> ₒ₁ (the neuron's part of its a's name), w5 -> 5."""
    return name[1:] if name[:1] in ("a", "z") else name


def neuron_graph(
    trace: IterationTrace, layer: int, i: int, sample: int = 0, expand: bool = False
) -> ScalarGraph:
    """The scalar graph of neuron i of ``layer`` (1 = first hidden) for batch row
    ``sample``: its inputs and weights to a_i, then the loss (output neuron) or the next
    layer's neurons, each collapsed to z_k ⇒ L (``expand``: opened one level, to a_k)."""
    if not 1 <= layer < len(trace.layers) or not 0 <= i < trace.layers[layer]:
        raise ValueError(f"there is no neuron {i} in layer {layer} of {trace.layers}")
    g = _Builder(trace, sample)
    g.neuron(layer, i, 0.0, 0.0, inputs=True)
    name = g.a_name(layer, i)
    if layer == g.L:
        g.head([i], 5.0, {i: 0.0})
    else:
        _next_layer(g, layer, i, expand)
    kind = "output neuron" if layer == g.L else "hidden neuron"
    return g.graph(f"The {kind} {name}", _note(trace, sample, layer, expand=expand))


def _next_layer(g: _Builder, l: int, i: int, expand: bool) -> None:
    """a_i's paths through each neuron k of layer l+1: w_ki × a_i into z_k, then z_k ⇒ L
    (collapsed, local δ_k) or, expanded, z_k → f → a_k and a_k ⇒ L (or the loss)."""
    t, n_next = g.t, g.t.layers[l + 1]
    rows = {k: 2.0 * k - (n_next - 1) for k in range(n_next)}
    last = l + 1 == g.L
    for k in range(n_next):
        r, d, w_ki = rows[k], g.delta(l + 1, k), g.w(l + 1, k, i)
        names = g.term_names(l + 1, k)
        total = float(t.dW[l][k, i]) if t.n > 1 else None
        w_key, m_key, z_key = f"w{l + 1}_{k}_{i}", f"m{l + 1}_{k}_{i}", f"z{l + 1}_{k}"
        g.add(w_key, "w", names[("w", i)], "", w_ki, d * g.a(l, i), 5.0, r - 1.0, total=total)
        m_name = f"{names[('w', i)]}·{g.a_name(l, i)}"
        g.add(m_key, "×", m_name, "×", w_ki * g.a(l, i), d, 5.0, r, neuron=(l + 1, k))
        g.link(f"a{l}_{i}", m_key, w_ki)
        g.link(w_key, m_key, g.a(l, i))
        z = float(t.z[l][g.s, k])
        collapsed = not expand
        caption = "+ (z ⇒ L)" if collapsed else "+"
        g.add(z_key, "+", names["z"], caption, z, d, 6.0, r, neuron=(l + 1, k), collapsed=collapsed)
        g.link(m_key, z_key, 1.0)
        if collapsed:
            g.link(z_key, "L", d, collapsed=True)
            continue
        g.activation(l + 1, k, 7.0, r)
        if not last:
            a_k = g.nodes[f"a{l + 1}_{k}"]
            g.nodes[a_k.key] = replace(a_k, caption=a_k.caption + " (a ⇒ L)", collapsed=True)
            g.link(f"a{l + 1}_{k}", "L", g.a_grad(l + 1, k), collapsed=True)
    if expand and last:
        g.head(list(range(n_next)), 8.0, rows)
        return
    g.add("L", "L", "L", "L", t.loss, 1.0, 8.0 if expand else 7.0, 0.0)


def network_graph(trace: IterationTrace, sample: int = 0) -> ScalarGraph:
    """The whole network's scalar graph for batch row ``sample`` (see
    :func:`whole_network_problem` for the sizes it is drawn for)."""
    problem = whole_network_problem(trace)
    if problem:
        raise ValueError(problem)
    g = _Builder(trace, sample)
    layers, rows = trace.layers, {}
    for j in range(layers[0]):  # x_j: the middle of the products it feeds
        prods = [2 * (i * layers[0] + j) for i in range(layers[1])]
        rows[j] = float(np.mean(prods)) - (layers[0] * layers[1] - 1)
        x_j, grad = g.a(0, j), g.a_grad(0, j)
        g.add(f"a0_{j}", "x", g.a_name(0, j), "", x_j, grad, 0.0, rows[j], neuron=(0, j))
    for l in range(1, g.L + 1):
        n_in, n_out = layers[l - 1], layers[l]
        centre = n_in * n_out - 1
        new_rows = {}
        for i in range(n_out):
            prod_rows = [2 * (i * n_in + j) - centre for j in range(n_in)]
            row = float(np.mean(prod_rows))
            g.neuron(l, i, 4.0 * (l - 1), row, False, rows=prod_rows, w_above=True)
            new_rows[i] = row
        rows = new_rows
    g.head(list(range(layers[-1])), 4.0 * g.L + 1, rows)
    name = "·".join(str(n) for n in layers)
    return g.graph(f"The whole {name} network", _note(trace, sample, g.L, whole=True))


def _note(
    trace: IterationTrace, sample: int, layer: int, whole: bool = False, expand: bool = False
) -> str:
    """What the graph leaves out and how the batch enters, in a sentence or three."""
    parts, out = [], len(trace.layers) - 1
    output, last = layer == out, layer + 1 == out
    if trace.n > 1:
        scale = {"mse": "1/(n k)", "bce": "1/(n k)", "cce": "1/n"}.get(trace.loss_name)
        each = f"each with its {scale}" if scale else "sse: no 1/n"
        parts.append(
            f"Sample {sample + 1} of a batch of {trace.n}: L sums the terms of all {trace.n} "
            f"samples ({each}), so every gradient here is this sample's share; a weight's "
            "batch gradient ∂L/∂w is the sum of the shares (Σ_s)."
        )
    if output and not whole and trace.layers[-1] > 1:
        parts.append("L also sums the other outputs' terms (not drawn).")
    if not output and not expand:
        parts.append(
            "Each neuron k of the next layer is collapsed to z_k ⇒ L: the dashed edge's local "
            "derivative is δ_k = ∂L/∂z_k (Expand opens them one level)."
        )
    elif not output and not last:
        parts.append("a_k ⇒ L is collapsed: its local derivative is ∂L/∂a_k = Σ_m δ_m w_mk.")
    if trace.loss_name in COMBINED:
        parts.append("The loss takes z directly: ∂L/∂z = a − y (with its 1/n).")
    return " ".join(parts)

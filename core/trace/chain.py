"""The chain rule of one weight or bias, factor by factor, from a traced iteration.

For the weight w_ij into neuron i of layer l (j of layer l-1), sample s, as Matt Mazur's
"A Step by Step Backpropagation Example" writes it:

    ∂L/∂w_ij = ∂L/∂a_i · ∂a_i/∂z_i · ∂z_i/∂w_ij,   ∂z_i/∂w_ij = a_j,  ∂z_i/∂b_i = 1
    output i:  ∂L/∂a_i = a_i − y_i (sse), 2/(n k) (a_i − y_i) (mse)
    hidden i:  ∂L/∂a_i = Σ_k ∂L/∂z_k · ∂z_k/∂a_i = Σ_k δ_k w_ki   (k: the next layer)
    ∂a_i/∂z_i: sigmoid a (1 − a), tanh 1 − a², linear 1, ReLU and leaky ReLU f'(z)

bce with a sigmoid output and cce with softmax combine the loss and the activation into one
factor ∂L/∂z_i = (a_i − y_i)/(n k), (a_i − y_i)/n (softmax's ∂a/∂z is a Jacobian, no
single factor).  A batch's gradient is the sum of the samples' shares, ∂L/∂w = Σ_s ∂L/∂w[s].

Every leaf is a number of the trace with the trace's own name (its terms' leaves), every
node computes its value, and each term's ``result`` is the engine's number: the tests hold
the two together.  Old (before-update) weights throughout, as the engine uses them.

With the bug lab's bug on (``trace.bug``), the chain is the one the bug computes
(:mod:`core.trace.buggy`): no ∂a/∂z factor for no_fprime, f′(a) for fprime_of_a, ∂L/∂a
without the 1/n for no_mean, and a hidden ∂L/∂a summed over the weights the bug takes
(wᵢₖ for transposed, wₖᵢ⁺ for mazur: written as those weights, not as ∂zₖ/∂aᵢ).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from core.engine import activations, losses
from core.trace.buggy import MEAN_LOSSES, back_edge, back_matrix, times
from core.trace.expr import (
    Apply,
    Diff,
    Expr,
    Power,
    Product,
    Symbol,
    Term,
    Value,
    add,
    leaves,
    number,
)
from core.trace.formula import render_expr, render_numeric, render_symbolic, render_term
from core.trace.notation import MINUS, Precision, format_number, render_symbol

if TYPE_CHECKING:
    from core.trace.iteration import IterationTrace

Neuron = tuple[int, int]  # (app layer, i), 0 = input
Edge = tuple[int, int, int]  # (l, i, j): weights[l][i, j], neuron j of layer l to i of l+1
COMBINED = ("bce", "cce")  # losses whose output delta is ∂L/∂z directly


@dataclass(frozen=True)
class Factor:
    """One factor of the chain: its term (∂aₒ₁/∂zₒ₁ = aₒ₁ · (1 − aₒ₁), result the engine's
    number) and the neurons and edges of the diagram it lights."""

    term: Term
    neurons: tuple[Neuron, ...] = ()
    edges: tuple[Edge, ...] = ()


@dataclass(frozen=True)
class ChainRule:
    """The chain rule of one weight or bias for one sample.

    ``product``: ∂L/∂w5 = ∂L/∂aₒ₁ · ∂aₒ₁/∂zₒ₁ · ∂zₒ₁/∂w5, a Product of the factors' values
    named as derivatives; result the sample's share δ_i[s] a_j[s] (δ_i[s] for a bias).
    ``factors``: the product's factors in order.  ``paths``: for a weight into a hidden
    layer, one per neuron k of the next layer, ∂L_k/∂a_i = ∂L/∂z_k · ∂z_k/∂a_i (the share of
    ∂L/∂a_i through k); they sum to factors[0].  The name ∂L_k/∂a_i is Mazur's
    ∂E_o1/∂out_h1, the derivative of the loss term L_k itself where k is an output of an
    element-wise loss (sse, mse, bce); elsewhere read it as "through k" (:func:`chain_lines`
    writes the path without it).  ``expansions``:
    where that next layer is the output, δ_k = ∂L/∂z_k = ∂L/∂a_k · ∂a_k/∂z_k per k (or the
    combined ∂L/∂z_k).  ``total``: with a batch, ∂L/∂w = Σ_s ∂L/∂w[s] (the trace's dW),
    else None.  ``combined``: the loss and the output activation combine into one ∂L/∂z
    factor (bce with sigmoid, cce with softmax).
    """

    product: Term
    factors: tuple[Factor, ...]
    paths: tuple[Factor, ...] = ()
    expansions: tuple[Factor, ...] = ()
    total: Term | None = None
    combined: bool = False
    sample: int = 0


def derivative(top: Symbol, wrt: Symbol, sample: int | None = None) -> Symbol:
    """∂top/∂wrt as a symbol (rendered ∂L/∂aₒ₁), the batch row its own."""
    return replace(top, sample=sample, wrt=replace(wrt, sample=None))


class _Leaves:
    """The trace's own leaves (numbers named as in the lesson) of one sample."""

    def __init__(self, trace: IterationTrace, sample: int) -> None:
        self.trace, self.s = trace, sample
        self.L, self.row = len(trace.z), (sample if trace.n > 1 else None)

    def term(self, phase: str, layer: int, **fixed) -> Term:
        step = next(st for st in self.trace.steps if st.phase == phase and st.layer == layer)
        (found,) = step.select(**fixed)
        return found

    def forward(self, l: int, i: int, kind: str) -> Term:
        return self.term("forward", l, sample=self.s, i=i, kind=kind)

    def inside(self, l: int, i: int, name: str, index: int | None = None) -> Value:
        """A leaf of z_i's sum (layer l): w_i·index, a_index of layer l-1, or b_i."""
        field = "j" if name == "w" else "i"
        found = leaves(self.forward(l, i, "z").expr)
        return next(
            v
            for v in found
            if v.symbol.name == name and (index is None or getattr(v.symbol, field) == index)
        )

    def z(self, l: int, i: int) -> Value:
        t = self.forward(l, i, "z")
        return Value(t.target, t.result)

    def a(self, l: int, i: int) -> Value:
        if l == 0:
            return self.inside(1, 0, "x", i)
        t = self.forward(l, i, "a")
        return Value(t.target, t.result)

    def delta(self, l: int, k: int) -> Term:
        if l == self.L:
            return self.term("output_delta", l, sample=self.s, i=k)
        return self.term("backward", l + 1, sample=self.s, i=k)

    def gradient(self, l: int, i: int, j: int | None) -> Symbol:
        """The symbol of ∂L/∂w (or ∂L/∂b) in the backward step, as the trace names it."""
        step = next(st for st in self.trace.steps if st.phase == "backward" and st.layer == l)
        what = "weight gradients" if j is not None else "bias gradients"
        block = next(b for b in step.terms.blocks if b.what == what)
        fixed = {"i": i} if j is None else {"i": i, "j": j}
        (found,) = step.terms.of(block, **fixed)
        return found.target


def chain_rule(
    trace: IterationTrace, layer: int, i: int, j: int | None = None, sample: int = 0
) -> ChainRule:
    """The chain rule of weights[layer-1][i, j] (j None: the bias b_i) for one sample:
    ∂L/∂w_ij[s] = ∂L/∂a_i · ∂a_i/∂z_i · ∂z_i/∂w_ij = δ_i[s] a_j[s], its factors, paths and
    expansions, and with a batch ∂L/∂w_ij = Σ_s ∂L/∂w_ij[s]."""
    _check(trace, layer, i, j, sample)
    c = _Leaves(trace, sample)
    paths, expansions = (), ()
    if layer == c.L and trace.loss_name in COMBINED:
        first = [_combined(c, i)]
    elif layer == c.L:
        first = [_loss_slope(c, i), _slope(c, layer, i)]
    else:
        paths = tuple(_path(c, layer, i, k) for k in range(trace.layers[layer + 1]))
        if layer + 1 == c.L:
            expansions = tuple(_expansion(c, k) for k in range(trace.layers[c.L]))
        first = [_hidden_slope(c, layer, i), _slope(c, layer, i)]
    factors = (*(f for f in first if f is not None), _input(c, layer, i, j))
    target = c.gradient(layer, i, j)
    share = _share(trace, layer, i, j, sample)
    items = tuple(Value(f.term.target, f.term.result) for f in factors)
    product = Term(replace(target, sample=c.row), Product(items), share, sample)
    total = _total(trace, target, layer, i, j) if trace.n > 1 else None
    combined = trace.loss_name in COMBINED
    return ChainRule(product, factors, paths, expansions, total, combined, sample)


def _total(trace: IterationTrace, target: Symbol, layer: int, i: int, j: int | None) -> Term:
    """∂L/∂w = Σ_s ∂L/∂w[s], the trace's dW (db for a bias)."""
    shares = [_share(trace, layer, i, j, s) for s in range(trace.n)]
    parts = [Value(replace(target, sample=s), share) for s, share in enumerate(shares)]
    grads = trace.dW[layer - 1] if j is not None else trace.db[layer - 1]
    result = grads[i, j] if j is not None else grads[i]
    return Term(target, add(parts, "s"), float(result))


def _check(trace: IterationTrace, layer: int, i: int, j: int | None, sample: int) -> None:
    layers = trace.layers
    if not 1 <= layer < len(layers):
        raise ValueError(f"layer {layer} has no weights; choose one from 1 to {len(layers) - 1}")
    if not 0 <= i < layers[layer] or (j is not None and not 0 <= j < layers[layer - 1]):
        raise ValueError(
            f"weights[{layer - 1}] has shape {layers[layer]}x{layers[layer - 1]}: no ({i}, {j})"
        )
    if not 0 <= sample < trace.n:
        raise ValueError(f"the batch has {trace.n} samples (0 to {trace.n - 1}), not {sample}")


def _share(trace: IterationTrace, layer: int, i: int, j: int | None, s: int) -> float:
    """Sample s's share of ∂L/∂w_ij: δ_i[s] a_j[s] (δ_i[s] for the bias), as
    IterationTrace.sample_gradients computes it."""
    delta = float(trace.delta[layer - 1][s, i])
    return delta if j is None else delta * float(trace.a[layer - 1][s, j])


def _loss_slope(c: _Leaves, i: int) -> Factor:
    """∂L/∂a_i of an output neuron: a − y (sse), 2/(n k) (a − y) (mse)."""
    trace = c.trace
    a = c.a(c.L, i)
    (y,) = (v for v in leaves(c.delta(c.L, i).expr) if v.symbol and v.symbol.name == "y")
    error = Diff(a, y)
    n, k = trace.y.shape
    no_mean = trace.bug == "no_mean" and trace.loss_name in MEAN_LOSSES
    if trace.loss_name == "mse":
        scale = number(2.0 / k, "2/k") if no_mean else number(2.0 / (n * k), "2/(n k)")
        error = Product((scale, error))
    result = losses.get(trace.loss_name).grad_a(trace.a[-1], trace.y)[c.s, i] * (
        n if no_mean else 1
    )
    target = derivative(Symbol("L"), a.symbol, c.row)
    return Factor(Term(target, error, float(result), c.s), ((c.L, i),))


def _combined(c: _Leaves, i: int) -> Factor:
    """∂L/∂z_i of the output where loss and activation combine: the trace's output delta,
    (a − y)/(n k) for bce with sigmoid, (a − y)/n for cce with softmax."""
    delta = c.delta(c.L, i)
    target = derivative(Symbol("L"), c.z(c.L, i).symbol, c.row)
    return Factor(Term(target, delta.expr, delta.result, c.s), ((c.L, i),))


def _slope(c: _Leaves, l: int, i: int) -> Factor | None:
    """∂a_i/∂z_i = f'(z_i): sigmoid a (1 − a), tanh 1 − a², linear 1, else f'(z); with the
    bugs, none (no_fprime) or f'(a_i) (fprime_of_a)."""
    name, bug = c.trace.activation_names[l - 1], c.trace.bug
    a, z, one = c.a(l, i), c.z(l, i), number(1.0, "1")
    expr: Expr
    if bug == "no_fprime":
        return None
    if bug == "fprime_of_a":
        expr = Apply(name + "'", a)
        result = activations.get(name).df(c.trace.a[l][c.s])[i]
        return Factor(
            Term(derivative(a.symbol, z.symbol, c.row), expr, float(result), c.s), ((l, i),)
        )
    if name == "sigmoid":
        expr = Product((a, Diff(one, a)))
    elif name == "tanh":
        expr = Diff(one, Power(a, number(2.0, "2")))
    elif name == "linear":
        expr = one
    else:  # ReLU, leaky ReLU: their derivative of z
        expr = Apply(name + "'", z)
    result = activations.get(name).df(c.trace.z[l - 1][c.s])[i]
    target = derivative(a.symbol, z.symbol, c.row)
    return Factor(Term(target, expr, float(result), c.s), ((l, i),))


def _input(c: _Leaves, l: int, i: int, j: int | None) -> Factor:
    """∂z_i/∂w_ij = a_j (the input along the edge), ∂z_i/∂b_i = 1."""
    z = c.z(l, i)
    if j is None:
        b = c.inside(l, i, "b")
        return Factor(Term(derivative(z.symbol, b.symbol, c.row), number(1.0, "1"), 1.0, c.s))
    w, a = c.inside(l, i, "w", j), c.inside(l, i, "a" if l > 1 else "x", j)
    term = Term(derivative(z.symbol, w.symbol, c.row), a, a.value, c.s)
    return Factor(term, ((l - 1, j),), ((l - 1, i, j),))


def _back_weights(c: _Leaves, l: int, i: int) -> list[Value]:
    """The weights that carry the next layer's deltas back to neuron i of layer l, per k:
    the leaves of its δ's term (old wₖᵢ; the bug's wᵢₖ or wₖᵢ⁺)."""
    found = leaves(c.delta(l, i).expr)
    return [v for v in found if v.symbol is not None and v.symbol.name == "w"]


def _hidden_slope(c: _Leaves, l: int, i: int) -> Factor:
    """∂L/∂a_i of a hidden neuron: Σ_k δ_k w_ki over the next layer (old weights); the
    engine's number is (δ^(l+1) W^(l+1))_i (the bug's weights: core.trace.buggy)."""
    trace = c.trace
    n_next = trace.layers[l + 1]
    items = []
    weights = _back_weights(c, l, i)
    for k in range(n_next):
        delta = c.delta(l + 1, k)
        items.append(Product((Value(delta.target, delta.result), weights[k])))
    result = (trace.delta[l][c.s] @ back_matrix(trace, l))[i]
    target = derivative(Symbol("L"), c.a(l, i).symbol, c.row)
    neurons = ((l, i), *((l + 1, k) for k in range(n_next)))
    edges = tuple(back_edge(trace.bug, l, k, i) for k in range(n_next))
    return Factor(Term(target, add(items, "k"), float(result), c.s), neurons, edges)


def _path(c: _Leaves, l: int, i: int, k: int) -> Factor:
    """∂L_k/∂a_i = ∂L/∂z_k · ∂z_k/∂a_i = δ_k w_ki: the share of ∂L/∂a_i through neuron k
    (a bug's other weight is written as itself: δ_k w_ik, δ_k w_ki⁺)."""
    z, a = c.z(l + 1, k), c.a(l, i)
    delta, w = c.delta(l + 1, k), _back_weights(c, l, i)[k]
    moved = c.trace.bug in ("transposed", "mazur")
    local = w if moved else Value(derivative(z.symbol, a.symbol, c.row), w.value)
    expr = Product((Value(derivative(Symbol("L"), z.symbol, c.row), delta.result), local))
    top = Symbol("L", l + 1, k, None, z.symbol.label)
    term = Term(derivative(top, a.symbol, c.row), expr, expr.value, c.s)
    return Factor(term, ((l + 1, k), (l, i)), (back_edge(c.trace.bug, l, k, i),))


def _expansion(c: _Leaves, k: int) -> Factor:
    """δ_k = ∂L/∂z_k = ∂L/∂a_k · ∂a_k/∂z_k of an output neuron, or the combined ∂L/∂z_k
    (no_fprime: δ_k = ∂L/∂a_k alone)."""
    delta = c.delta(c.L, k)
    target = derivative(Symbol("L"), c.z(c.L, k).symbol, c.row)
    if c.trace.loss_name in COMBINED:
        return Factor(Term(target, delta.expr, delta.result, c.s), ((c.L, k),))
    parts = [f.term for f in (_loss_slope(c, k), _slope(c, c.L, k)) if f is not None]
    expr = times([Value(t.target, t.result) for t in parts])
    return Factor(Term(target, expr, delta.result, c.s), ((c.L, k),))


# --- the lecture's lines ---


def chain_lines(
    chain: ChainRule, digits: int | Precision = 4, style: str = "text", max_items: int = 4
) -> list[str]:
    """The lines a lecture shows, each ``target = symbols = numbers = result``: the product,
    then each factor (for a hidden neuron ∂L/∂a_i as the sum over its paths, each path and
    each δ_k's expansion), then with a batch the sum over its samples."""
    lines = [render_term(chain.product, digits, style)]
    for n, factor in enumerate(chain.factors):
        if n == 0 and chain.paths:
            lines += _path_lines(chain, digits, style, max_items)
        else:
            lines.append(_line(factor.term, digits, style))
    if chain.total is not None:
        lines.append(render_term(chain.total, digits, style, max_items=max_items))
    return lines


def _line(term: Term, digits: int | Precision, style: str) -> str:
    """render_term's line; a constant (∂z/∂b = 1, linear's ∂a/∂z = 1) said once."""
    if isinstance(term.expr, Value) and term.expr.symbol is None:
        return render_symbolic(term, style)
    return render_term(term, digits, style)


def _path_lines(chain: ChainRule, digits: int | Precision, style: str, max_items: int) -> list:
    """∂L/∂a_i = Σ over paths (in derivatives), = Σ_k δ_k w_ki = numbers = each path's value
    = result; then each path (∂L/∂z_k · ∂z_k/∂a_i = ...) and each expansion."""
    term, paths = chain.factors[0].term, chain.paths
    target = render_symbol(term.target, style, True)
    sums = _elided([render_expr(p.term.expr, style) for p in paths], style, max_items)
    lines = [f"{target} = {sums}"]
    numbers = render_expr(term.expr, style, True, digits, max_items=max_items)
    stages = [render_symbolic(term, style, max_items=max_items), numbers]
    if len(paths) > 1:
        values = [format_number(p.term.result, digits, style) for p in paths]
        values = [v if n == 0 or v[0] != MINUS else f"({v})" for n, v in enumerate(values)]
        stages.append(_elided(values, style, max_items))
    lines.append(" = ".join([*stages, format_number(term.result, digits, style)]))
    lines += [  # the path's own name, ∂L_k/∂a_i, is exact only for some losses: left out
        f"{render_expr(p.term.expr, style)} = {render_numeric(p.term, digits, style)}"
        for p in paths
    ]
    lines += [render_term(e.term, digits, style) for e in chain.expansions]
    return lines


def _elided(items: list[str], style: str, max_items: int) -> str:
    """a + b + c, or a + b + … + z where more than ``max_items`` + 1 would be long."""
    if len(items) > max(max_items, 2) + 1:
        dots = "..." if style == "text" else "…"
        items = [*items[: max(max_items, 2) - 1], dots, items[-1]]
    return " + ".join(items)

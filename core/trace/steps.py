"""The lecture's steps of one traced iteration, each term a formula of the trace's numbers.

Layer numbers as on screen (0 = input, L = output):

    forward       z^l_i = sum_j w^l_ij a^(l-1)_j + b^l_i,  a^l_i = f(z^l_i)
    loss          L = sum_(s,k) L_(s,k), one term per sample and output
    output_delta  delta^L_k = dL/da_k f'(z_k)   (bce: (a_k - y_k)/(n k), cce: (a_k - y_k)/n)
    backward      dL/dw^l_ij = sum_s delta^l_i a^(l-1)_j,  dL/db^l_i = sum_s delta^l_i,
                  and for l > 1  delta^(l-1)_i = f'(z^(l-1)_i) sum_k w^l_ki delta^l_k
    update        the optimiser's rule (core.engine.optimizers) for every weight and bias
    result        L⁺ = the loss of the same batch through the updated network, ΔL = L⁺ - L

Every leaf is a number of the trace, named as in the lesson; every node
computes its value, so the tests hold each tree to the engine's result.  With the bug
lab's bug on, the terms write the bug's formula (:mod:`core.trace.buggy`).
"""

from __future__ import annotations

import numpy as np

from core.engine.optimizers import Optimizer
from core.trace.buggy import back_weight, gradient_sign, note, output_scale, slope, times
from core.trace.expr import (
    Apply,
    Diff,
    Power,
    Product,
    Quotient,
    Sqrt,
    Sum,
    Symbol,
    Term,
    Value,
    add,
    number,
)
from core.trace.terms import Block, Step, Terms

# --- the leaves of the formulas: the trace's numbers, named as in the lesson ---


def _fit(part, shape: tuple[int, ...]) -> np.ndarray | None:
    """A label array of ``shape``, or None when the lesson's labels do not fit (any more)."""
    try:
        array = np.array(part, dtype=object)
    except (TypeError, ValueError):
        return None
    return array if array.shape == shape else None


class _Sheet:
    """The numbers of one iteration and the lesson's labels, handed out as formula leaves."""

    def __init__(self, fields: dict, labels: dict | None, opt: Optimizer, bug: str | None) -> None:
        self.f, self.opt, self.bug = fields, opt, bug
        self.n, self.layers = len(fields["x"]), [fields["x"].shape[1]]
        self.layers += [z.shape[1] for z in fields["z"]]
        self.L = len(self.layers) - 1
        labels = labels or {}
        neurons = labels.get("neurons") or [None] * (self.L + 1)
        weights, biases = labels.get("weights") or [], labels.get("biases") or []
        self.neuron_labels = [
            _fit(neurons[l] if l < len(neurons) else None, (n,)) for l, n in enumerate(self.layers)
        ]
        self.weight_labels = [
            _fit(weights[l] if l < len(weights) else None, (n_out, n_in))
            for l, (n_in, n_out) in enumerate(zip(self.layers, self.layers[1:]))
        ]
        self.bias_labels = [
            _fit(biases[l] if l < len(biases) else None, (n,))
            for l, n in enumerate(self.layers[1:])
        ]

    def neuron(self, name: str, l: int, s: int, i: int) -> Value:
        """x, y, z, a or delta of neuron i of layer l for sample s."""
        f = self.f
        if name == "a" and l == 0:
            name = "x"
        array = {"x": f["x"], "y": f["y"]}.get(name)
        if array is None:
            array = f["a"][l] if name == "a" else f[name][l - 1]
        labels = self.neuron_labels[l]
        label = None if labels is None else str(labels[i])
        return Value(Symbol(name, l, i, None, label, self.sample(s)), float(array[s, i]))

    def sample(self, s: int) -> int | None:
        """The sample index a per-sample symbol carries: batch row s, or None when the
        batch is one sample (nothing to tell apart)."""
        return s if self.n > 1 else None

    def param(self, name: str, l: int, i: int, j: int | None = None, new: bool = False) -> Value:
        """w, b, their gradients (dL/dw, g) or optimiser state, of layer l (j None: bias)."""
        f = self.f
        if name in ("w", "b"):
            key = "after" if new else "before"
            pair = (f[f"weights_{key}"], f[f"biases_{key}"])
        elif name in ("dL/dw", "dL/db"):
            pair = (f["dW"], f["db"])
        elif name == "g":
            pair = (f["step_dW"], f["step_db"])
        else:
            pair = f["internals" if new or name.endswith("_hat") else "internals_before"][name]
        array = pair[0][l - 1] if j is not None else pair[1][l - 1]
        value = array[i, j] if j is not None else array[i]
        value = value * gradient_sign(self.bug) if name == "g" else value  # plus: -g is stored
        labels = self.weight_labels[l - 1] if j is not None else self.bias_labels[l - 1]
        label = None if labels is None else str(labels[i, j] if j is not None else labels[i])
        return Value(Symbol(name, l, i, j, label, None, new), float(value))

    def const(self, name: str) -> Value:
        """The optimiser's lr, mu, beta1, beta2, eps, t, or the config's l1, l2."""
        opt, cfg = self.opt, self.f["config"]
        value = {"lr": opt.lr, "mu": opt.momentum, "beta1": opt.beta1, "beta2": opt.beta2}
        value |= {"eps": opt.eps, "t": opt.t, "l1": cfg.l1, "l2": cfg.l2}
        return Value(Symbol(name), float(value[name]))


# --- the steps ---


PHASE_NAMES = {
    "forward": "Forward",
    "loss": "Loss",
    "output_delta": "Output delta",
    "backward": "Backward",
    "update": "Update",
    "result": "After the update",
}


def step_title(phase: str, layer: int | None, output_layer: int, loss_name: str = "") -> str:
    """A step's title, or a frame's about a quantity of ``layer``: 'Forward: layer 1
    (hidden)', 'Output delta: layer 2 (output)', 'Loss: sse · L of the traced batch', ...
    The loss steps say whose L they are: the traced batch's, not the whole set's (which the
    status bar and the plots show)."""
    if phase == "loss":
        return f"Loss: {loss_name} · L of the traced batch"
    if phase == "result":
        return "After the update: the loss of the same batch again"
    role = "output" if layer == output_layer else "hidden"
    return f"{PHASE_NAMES[phase]}: layer {layer} ({role})"


def build_steps(
    fields: dict, labels: dict | None, opt: Optimizer, bug: str | None = None
) -> list[Step]:
    """The lecture's steps of one traced iteration (``fields`` as in IterationTrace):
    forward 1..L, loss, output delta, backward L..1, update 1..L; with the bug lab's
    ``bug``, in the bug's formulas (core.trace.buggy), noted in the titles it changes."""
    c = _Sheet(fields, labels, opt, bug)
    L, loss = c.L, c.f["loss_name"]

    def step(phase: str, layer: int | None, blocks: list[Block]) -> Step:
        title = step_title(phase, layer, L, loss) + note(bug, phase, layer, loss)
        return Step(phase, layer, title, Terms(blocks))

    steps = [step("forward", l, _forward_blocks(c, l)) for l in range(1, L + 1)]
    steps.append(step("loss", None, _loss_blocks(c)))
    steps.append(step("output_delta", L, [_output_delta_block(c)]))
    steps += [step("backward", l, _backward_blocks(c, l)) for l in range(L, 0, -1)]
    steps += [step("update", l, _update_blocks(c, l)) for l in range(1, L + 1)]
    steps.append(step("result", None, _result_blocks(c)))
    return steps


def _neuron_term(c: _Sheet, name: str, l: int, sample: int, i: int, expr) -> Term:
    target = c.neuron(name, l, sample, i)
    return Term(target.symbol, expr, target.value, sample)


def _forward_blocks(c: _Sheet, l: int) -> list[Block]:
    """z^l_i = sum_j w^l_ij a^(l-1)_j + b^l_i and a^l_i = f(z^l_i), per sample and neuron."""
    f = c.f["activation_names"][l - 1]

    def build(sample: int, i: int, kind: str) -> Term:
        if kind == "z":
            products = [
                Product((c.param("w", l, i, j), c.neuron("a", l - 1, sample, j)))
                for j in range(c.layers[l - 1])
            ]
            expr = Sum((add(products, "j"), c.param("b", l, i)))
        elif f == "softmax":
            exps, _ = _exps(c, l, sample)
            expr = Quotient(exps[i], add(exps, "j"))
        else:
            expr = Apply(f, c.neuron("z", l, sample, i))
        return _neuron_term(c, kind, l, sample, i, expr)

    dims = (("sample", range(c.n)), ("i", range(c.layers[l])), ("kind", ("z", "a")))
    return [Block("neurons", dims, build)]


def _exps(c: _Sheet, l: int, sample: int) -> tuple[list, Value | None]:
    """e^(z_j) of a row, shifted by m = max z (and m) where e^z would leave the float range."""
    zs = [c.neuron("z", l, sample, j) for j in range(c.layers[l])]
    top = max(z.value for z in zs)
    if abs(top) <= 700:
        return [Apply("exp", z) for z in zs], None
    shift = number(top, "max z")
    return [Apply("exp", Diff(z, shift)) for z in zs], shift


def _loss_blocks(c: _Sheet) -> list[Block]:
    """The per-element terms L_(s,k) of the loss, then L = their sum."""
    n, k, L, name = c.n, c.layers[-1], c.L, c.f["loss_name"]
    terms = c.f["loss_terms"]
    labels = c.neuron_labels[L]

    def symbol(s: int, i: int) -> Symbol:
        label = None if labels is None else str(labels[i])
        return Symbol("L", None, i, None, label, c.sample(s))

    def element(sample: int, i: int) -> Term:
        y, a, z = (c.neuron(q, L, sample, i) for q in ("y", "a", "z"))
        square = Power(Diff(y, a), number(2.0, "2"))
        if name == "sse":
            expr = Product((number(0.5, "1/2"), square))
        elif name == "mse":
            expr = Product((number(1.0 / (n * k), "1/(n k)"), square))
        elif name == "bce":
            hit = Product((y, Apply("log_sigmoid", z)))
            miss = Product((Diff(number(1.0, "1"), y), Apply("log_one_minus_sigmoid", z)))
            expr = Product((number(-1.0 / (n * k), "-1/(n k)"), Sum((hit, miss))))
        else:  # cce: -1/n y_k log softmax(z)_k, log softmax(z)_k = z_k - log sum_j e^(z_j)
            exps, shift = _exps(c, L, sample)
            log_sum = Apply("log", add(exps, "j"))
            log_sum = log_sum if shift is None else Sum((shift, log_sum))
            expr = Product((number(-1.0 / n, "-1/n"), y, Diff(z, log_sum)))
        return Term(symbol(sample, i), expr, float(terms[sample, i]), sample)

    def total() -> Term:
        items = [Value(symbol(s, i), float(terms[s, i])) for s in range(n) for i in range(k)]
        return Term(Symbol("L"), add(items, "k"), float(c.f["loss"]))

    return [
        Block("loss terms", (("sample", range(n)), ("i", range(k))), element),
        Block("loss", (), total),
    ]


def _result_blocks(c: _Sheet) -> list[Block]:
    """L⁺ = the sum of the loss terms of the same batch through the updated network, and
    the change it made, ΔL = L⁺ - L."""
    n, k, L = c.n, c.layers[-1], c.L
    terms, labels = c.f["loss_terms_after"], c.neuron_labels[L]

    def after(s: int, i: int) -> Value:
        label = None if labels is None else str(labels[i])
        return Value(Symbol("L", None, i, None, label, c.sample(s), True), float(terms[s, i]))

    def total() -> Term:
        items = [after(s, i) for s in range(n) for i in range(k)]
        return Term(Symbol("L", new=True), add(items, "k"), c.f["loss_after"])

    def change() -> Term:
        new, old = c.f["loss_after"], c.f["loss"]
        expr = Diff(Value(Symbol("L", new=True), new), Value(Symbol("L"), old))
        return Term(Symbol("ΔL"), expr, new - old)

    return [Block("loss after", (), total), Block("loss change", (), change)]


def _output_delta_block(c: _Sheet) -> Block:
    """delta^L_k = dL/da_k f'(z_k), or the direct (a_k - y_k)/(n k) of bce, (a_k - y_k)/n of cce."""
    n, k, L, name = c.n, c.layers[-1], c.L, c.f["loss_name"]
    f = c.f["activation_names"][-1]

    def build(sample: int, i: int) -> Term:
        a = c.neuron("a", L, sample, i)
        error = Diff(a, c.neuron("y", L, sample, i))
        scale = output_scale(c.bug, name, n, k)
        if name in ("bce", "cce"):  # dL/dz directly: (a - y) / (n k), (a - y) / n
            expr = times((scale, error))
        else:  # dL/da f'(z): sse (a - y) f'(z), mse 2/(n k) (a - y) f'(z)
            expr = times((scale, error, slope(c.bug, f, c.neuron("z", L, sample, i), a)))
        return _neuron_term(c, "delta", L, sample, i, expr)

    return Block("deltas", (("sample", range(n)), ("i", range(k))), build)


def _backward_blocks(c: _Sheet, l: int) -> list[Block]:
    """dL/dw^l_ij = sum_s delta^l_i a^(l-1)_j, dL/db^l_i = sum_s delta^l_i, and for l > 1
    delta^(l-1)_i = f'(z^(l-1)_i) sum_k w^l_ki delta^l_k."""
    n, n_out, n_in = c.n, c.layers[l], c.layers[l - 1]

    def weight(i: int, j: int) -> Term:
        target = c.param("dL/dw", l, i, j)
        items = [
            Product((c.neuron("delta", l, s, i), c.neuron("a", l - 1, s, j))) for s in range(n)
        ]
        return Term(target.symbol, add(items, "s"), target.value)

    def bias(i: int) -> Term:
        target = c.param("dL/db", l, i)
        return Term(
            target.symbol, add([c.neuron("delta", l, s, i) for s in range(n)], "s"), target.value
        )

    def hidden(sample: int, i: int) -> Term:
        back = [
            Product((back_weight(c.bug, c.param, l, k, i), c.neuron("delta", l, sample, k)))
            for k in range(n_out)
        ]
        z, a = (c.neuron(q, l - 1, sample, i) for q in ("z", "a"))
        f_prime = slope(c.bug, c.f["activation_names"][l - 2], z, a)
        return _neuron_term(c, "delta", l - 1, sample, i, times((f_prime, add(back, "k"))))

    blocks = [
        Block("weight gradients", (("i", range(n_out)), ("j", range(n_in))), weight),
        Block("bias gradients", (("i", range(n_out)),), bias),
    ]
    if l > 1:
        blocks.append(Block("deltas", (("sample", range(n)), ("i", range(n_in))), hidden))
    return blocks


RULES = {
    "sgd": ("new",),
    "momentum": ("velocity", "new"),
    "adam": ("m", "v", "m_hat", "v_hat", "new"),
}


def _update_blocks(c: _Sheet, l: int) -> list[Block]:
    """Per weight: g (with L1/L2), the optimiser's state, and w(new); then per bias."""
    cfg, rule = c.f["config"], RULES[c.opt.name]
    penalties = bool(cfg.l1 or cfg.l2)
    kinds = ("g", *rule) if penalties else rule

    def weight(i: int, j: int, kind: str) -> Term:
        return _update_term(c, l, i, j, kind)

    def bias(i: int, kind: str) -> Term:
        return _update_term(c, l, i, None, kind)

    n_out, n_in = c.layers[l], c.layers[l - 1]
    return [
        Block("weights", (("i", range(n_out)), ("j", range(n_in)), ("kind", kinds)), weight),
        Block("biases", (("i", range(n_out)), ("kind", rule)), bias),
    ]


def _update_term(c: _Sheet, l: int, i: int, j: int | None, kind: str) -> Term:
    cfg = c.f["config"]
    if j is None:
        frozen = not cfg.train_biases or c.bug == "frozen_biases"
        grad = number(0.0, "0") if frozen else c.param("dL/db", l, i)
    else:
        grad = c.param("g" if cfg.l1 or cfg.l2 else "dL/dw", l, i, j)
    expr = _rule(c, l, i, j, kind, grad)
    name = ("w" if j is not None else "b") if kind == "new" else kind
    target = c.param(name, l, i, j, new=kind in ("new", "velocity", "m", "v"))
    return Term(target.symbol, expr, target.value)


def _rule(c: _Sheet, l: int, i: int, j: int | None, kind: str, grad: Value):
    """One line of the optimiser's rule (core.engine.optimizers), as a formula."""

    def p(name: str, new: bool = False) -> Value:
        return c.param(name, l, i, j, new)

    k, one, cfg = c.const, number(1.0, "1"), c.f["config"]
    if kind == "g":  # g = dL/dw + l2 w + l1 sign(w)
        items = [p("dL/dw")]
        items += [Product((k("l2"), p("w")))] if cfg.l2 else []
        items += [Product((k("l1"), Apply("sign", p("w"))))] if cfg.l1 else []
        return add(items)
    plus = c.bug == "plus"  # the optimiser is handed -g
    if kind == "velocity":  # v <- mu v + g  (plus: mu v - g)
        old = Product((k("mu"), p("velocity")))
        return Diff(old, grad) if plus else Sum((old, grad))
    if kind in ("m", "v"):  # m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
        beta = k("beta1" if kind == "m" else "beta2")
        new_part = grad if kind == "m" else Power(grad, number(2.0, "2"))
        old, new = Product((beta, p(kind))), Product((Diff(one, beta), new_part))
        return Diff(old, new) if plus and kind == "m" else Sum((old, new))
    if kind in ("m_hat", "v_hat"):  # m_hat = m / (1 - b1^t)
        beta = k("beta1" if kind == "m_hat" else "beta2")
        return Quotient(p(kind[0], True), Diff(one, Power(beta, k("t"))))
    step = {
        "sgd": lambda: grad,
        "momentum": lambda: p("velocity", True),
        "adam": lambda: Quotient(p("m_hat"), Sum((Sqrt(p("v_hat")), k("eps")))),
    }[c.opt.name]()
    old = p("w" if j is not None else "b")
    if c.opt.name == "sgd" and j is None and c.bug == "frozen_biases":
        return old  # b⁺ = b: the bug never updates a bias
    change = Product((k("lr"), step))
    return Sum((old, change)) if plus and c.opt.name == "sgd" else Diff(old, change)

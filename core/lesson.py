"""One training iteration, traced step by step for lecture mode and ``main.py step``.

:func:`trace_iteration` runs the readable equations of :mod:`core.network`
and the trainer's own optimiser on copies, and returns every array together
with the ordered steps the lecture plays (layer numbers as on screen):

    forward       z^l = W^l a^(l-1) + b^l,  a^l = f(z^l)                  l = 1..L
    loss          L = the sum of the per-element terms of the batch
    output_delta  delta^L = dL/da^L f'(z^L)   (bce: (a - y)/(n k), cce: (a - y)/n)
    backward      dW^l = sum_s delta^l a^(l-1)^T,  db^l = sum_s delta^l,
                  and for l > 1  delta^(l-1) = f'(z^(l-1)) (W^l^T delta^l)   l = L..1
    update        the optimiser's rule for every weight and bias             l = 1..L

The backward step of layer l holds what uses W^l on the way back: dW^l,
db^l and, for l > 1, delta^(l-1).  delta carries the loss's 1/n, so
dW^l = delta^l^T a^(l-1) needs no further averaging.

A batch's trees can run to millions of nodes while a lecture looks at a
few, so each step's terms are built on first use: ``Step.terms`` is a
read-only sequence, and ``Step.select(i=0, j=1)`` picks one neuron or edge.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core import losses
from core.formula import (
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
)
from core.network import Network
from core.optimizers import Optimizer
from core.params import FlatLayout
from core.trainer import TrainingConfig, step_gradient

PHASES = ("forward", "loss", "output_delta", "backward", "update")


@dataclass(frozen=True)
class Block:
    """A grid of terms, one per combination of the dims' values, built by ``build(**values)``.

    ``dims`` are (name, values) pairs such as ("sample", range(n)), ("i", range(3)),
    ("kind", ("z", "a")); ``what`` says what the grid holds ("weights", "deltas").
    """

    what: str
    dims: tuple[tuple[str, Sequence], ...]
    build: Callable[..., Term]

    @property
    def size(self) -> int:
        """Number of terms."""
        return math.prod(len(values) for _, values in self.dims)

    def position(self, values: dict) -> int:
        """Row-major position of the term with these dim values."""
        k = 0
        for name, options in self.dims:
            k = k * len(options) + options.index(values[name])
        return k

    def values(self, k: int) -> dict:
        """The dim values of the term at position k."""
        out = {}
        for name, options in reversed(self.dims):
            k, r = divmod(k, len(options))
            out[name] = options[r]
        return out


class Terms(Sequence[Term]):
    """The terms of one step, block after block, each built (and kept) on first use."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = tuple(blocks)
        self._starts = [0, *itertools.accumulate(b.size for b in self.blocks)]
        self._built: dict[int, Term] = {}

    def __len__(self) -> int:
        return self._starts[-1]

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[n] for n in range(*k.indices(len(self)))]
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(f"a step with {len(self)} terms has no term {k}")
        if k not in self._built:
            b = bisect.bisect_right(self._starts, k) - 1
            block = self.blocks[b]
            self._built[k] = block.build(**block.values(k - self._starts[b]))
        return self._built[k]

    def select(self, **fixed) -> list[Term]:
        """The terms whose dims have these values, e.g. select(sample=0, i=1) or
        select(kind="new"); blocks without one of the named dims are left out."""
        return [term for block in self.blocks for term in self.of(block, **fixed)]

    def of(self, block: Block, **fixed) -> list[Term]:
        """The terms of one of this step's blocks with these dim values."""
        start = self._starts[self.blocks.index(block)]
        dims = dict(block.dims)
        if any(key not in dims or value not in dims[key] for key, value in fixed.items()):
            return []
        free = [(name, options) for name, options in block.dims if name not in fixed]
        out = []
        for combo in itertools.product(*(options for _, options in free)):
            values = {**fixed, **{name: v for (name, _), v in zip(free, combo)}}
            out.append(self[start + block.position(values)])
        return out


@dataclass(frozen=True)
class Step:
    """One step of the lecture: a phase, the app's layer number (None for the loss),
    a title and its terms."""

    phase: str
    layer: int | None
    title: str
    terms: Terms

    def select(self, **fixed) -> list[Term]:
        """This step's terms with the given dim values (sample, i, j, kind)."""
        return self.terms.select(**fixed)


@dataclass(frozen=True, eq=False)
class IterationTrace:
    """Every number of one training iteration (read-only copies) and its steps.

    Lists run over the non-input layers (index l-1 is the app's layer l),
    except ``a``, whose a[0] is x.  ``delta`` is dL/dz of the batch loss with
    its 1/n; ``dW``, ``db`` are data-loss gradients, ``step_dW``, ``step_db``
    what the optimiser saw (with L1/L2; zero for frozen biases).
    ``update_*`` is the optimiser's actual change, ``*_after - *_before``.
    ``internals`` maps velocity / m / v / m_hat / v_hat (after the step) and
    ``internals_before`` the state before it to (weights list, biases list).
    ``optimizer_after`` is the traced copy of the optimiser after the step: a GUI
    applies the update exactly with weights_after, biases_after and it (it is live
    state, so copy it first if the trace is to be kept unchanged).
    """

    x: np.ndarray
    y: np.ndarray
    z: list[np.ndarray]
    a: list[np.ndarray]
    loss: float
    loss_terms: np.ndarray
    delta: list[np.ndarray]
    dW: list[np.ndarray]
    db: list[np.ndarray]
    step_dW: list[np.ndarray]
    step_db: list[np.ndarray]
    weights_before: list[np.ndarray]
    biases_before: list[np.ndarray]
    weights_after: list[np.ndarray]
    biases_after: list[np.ndarray]
    update_weights: list[np.ndarray]
    update_biases: list[np.ndarray]
    internals: dict[str, tuple[list[np.ndarray], list[np.ndarray]]]
    internals_before: dict[str, tuple[list[np.ndarray], list[np.ndarray]]]
    optimizer_after: Optimizer
    loss_name: str
    activation_names: list[str]
    config: TrainingConfig
    steps: list[Step]

    @property
    def n(self) -> int:
        """Samples in the batch."""
        return len(self.x)

    @property
    def layers(self) -> list[int]:
        """Neurons per layer, input first."""
        return [self.x.shape[1]] + [z.shape[1] for z in self.z]


def trace_iteration(
    network: Network,
    loss: str,
    optimizer: Optimizer,
    config: TrainingConfig,
    x: np.ndarray,
    y: np.ndarray,
    labels: dict | None = None,
) -> IterationTrace:
    """One iteration on the batch (x, y), on copies: forward, loss, backward, and the
    update w <- w + optimiser(g), g = dL/dw (+ L1/L2, as :func:`core.trainer.step_gradient`).

    ``optimizer`` is a trainer's optimiser (one flat parameter) or a fresh one; it and
    ``network`` are left untouched.  ``labels`` are the session's display labels.
    """
    loss_fn, x, y = _checked(network, loss, x, y)
    net = network.copy()
    fp = net.forward(x)  # z^l, a^l
    grads = net.backward(fp, y, loss_fn)  # delta^l, dW^l, db^l
    layout = FlatLayout(net.layers)  # the trainer's one flat array: W^1, b^1, W^2, ...
    flat = layout.pack(net.weights, net.biases)
    data_grad = layout.pack(grads.dW, grads.db)
    g = step_gradient(config, flat, data_grad, layout.weight_mask(), np.empty(layout.size))
    opt = copy.deepcopy(optimizer)
    state_before = _state_before(opt, layout)
    (record,) = opt.step([flat], [g], record=True)  # flat now holds the weights after
    fields = _frozen(
        dict(
            x=x,
            y=y,
            z=fp.z,
            a=fp.a,
            loss=loss_fn.value(fp.z[-1], fp.a[-1], y),
            loss_terms=loss_fn.terms(fp.z[-1], fp.a[-1], y),
            delta=grads.delta,
            dW=grads.dW,
            db=grads.db,
            weights_before=net.weights,
            biases_before=net.biases,
            internals={k: layout.views(v) for k, v in record.internals.items()},
            internals_before=state_before,
        )
    )
    fields |= _per_layer(layout, step=g, after=flat, update=record.update)
    fields |= dict(optimizer_after=opt, loss_name=loss_fn.name, config=config)
    fields["activation_names"] = list(net.activation_names)
    return IterationTrace(**fields, steps=_steps(_Sheet(fields, labels, opt)))


PER_LAYER = {
    "step": ("step_dW", "step_db"),
    "after": ("weights_after", "biases_after"),
    "update": ("update_weights", "update_biases"),
}


def _per_layer(layout: FlatLayout, **flat: np.ndarray) -> dict:
    """Flat arrays (the optimiser's gradient, the parameters after, the update) as
    read-only per-layer copies, named as in PER_LAYER."""
    out = {}
    for key, array in flat.items():
        out.update(zip(PER_LAYER[key], _frozen(layout.views(array))))
    return out


def trace_sample(
    network: Network,
    loss: str,
    optimizer: Optimizer,
    config: TrainingConfig,
    x_row: np.ndarray,
    y_row: np.ndarray,
    labels: dict | None = None,
) -> IterationTrace:
    """:func:`trace_iteration` on a batch of one sample (x_row, y_row)."""
    x = np.asarray(x_row, dtype=float).reshape(1, -1)
    y = np.asarray(y_row, dtype=float).reshape(1, -1)
    return trace_iteration(network, loss, optimizer, config, x, y, labels)


def _checked(network: Network, loss: str, x, y) -> tuple[losses.Loss, np.ndarray, np.ndarray]:
    loss_fn = losses.get(loss)
    layers = network.layers
    problem = losses.pairing_problem(loss, network.activation_names[-1], layers[-1])
    if problem:
        raise ValueError(problem)
    x, y = np.array(x, dtype=float), np.array(y, dtype=float)
    if x.ndim != 2 or x.shape[1] != layers[0] or len(x) == 0:
        raise ValueError(f"x must have shape (n, {layers[0]}) with n >= 1, not {x.shape}")
    if y.shape != (len(x), layers[-1]):
        raise ValueError(f"y must have shape ({len(x)}, {layers[-1]}), not {y.shape}")
    return loss_fn, x, y


def _state_before(opt: Optimizer, layout: FlatLayout) -> dict:
    """The optimiser's state before the step, per layer (zeros where it starts empty)."""
    state = opt.state(0)
    if any(v.shape != (layout.size,) for v in state.values()) or opt.state(1):
        raise ValueError(
            "the optimizer's state belongs to other parameters; trace with the trainer's "
            "optimizer (one flat parameter array) or a fresh one"
        )
    names = {"momentum": ("velocity",), "adam": ("m", "v")}.get(opt.name, ())
    # copies: the step updates the state in place
    return {k: layout.views(state.get(k, np.zeros(layout.size)).copy()) for k in names}


def _frozen(value):
    """Read-only copies of the arrays in a (nested) dict, list or tuple; floats as floats."""
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_frozen(v) for v in value)
    if isinstance(value, np.ndarray):
        value = value.copy()
        value.flags.writeable = False
        return value
    return float(value)


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

    def __init__(self, fields: dict, labels: dict | None, opt: Optimizer) -> None:
        self.f, self.opt = fields, opt
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
        return Value(Symbol(name, l, i, None, label, s), float(array[s, i]))

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
        labels = self.weight_labels[l - 1] if j is not None else self.bias_labels[l - 1]
        label = None if labels is None else str(labels[i, j] if j is not None else labels[i])
        return Value(Symbol(name, l, i, j, label, None, new), float(value))

    def const(self, name: str) -> Value:
        """The optimiser's lr, mu, beta1, beta2, eps, t, or the config's l1, l2."""
        opt, cfg = self.opt, self.f["config"]
        value = {"lr": opt.lr, "mu": opt.momentum, "beta1": opt.beta1, "beta2": opt.beta2}
        value |= {"eps": opt.eps, "t": opt.t, "l1": cfg.l1, "l2": cfg.l2}
        return Value(Symbol(name), float(value[name]))


def number(value: float, text: str) -> Value:
    """A constant written as ``text`` (1/2, 1/n ...)."""
    return Value(None, float(value), text)


def add(items: Sequence, index: str | None = None):
    """Sum of the items; a single item stands alone."""
    return items[0] if len(items) == 1 else Sum(tuple(items), index)


# --- the steps ---


def _steps(c: _Sheet) -> list[Step]:
    """forward 1..L, loss, output delta, backward L..1, update 1..L."""
    L = c.L

    def role(l: int) -> str:
        return "output" if l == L else "hidden"

    steps = [
        Step("forward", l, f"Forward: layer {l} ({role(l)})", Terms(_forward_blocks(c, l)))
        for l in range(1, L + 1)
    ]
    steps.append(Step("loss", None, f"Loss: {c.f['loss_name']}", Terms(_loss_blocks(c))))
    title = f"Output delta: layer {L}"
    steps.append(Step("output_delta", L, title, Terms([_output_delta_block(c)])))
    steps += [
        Step("backward", l, f"Backward: layer {l} ({role(l)})", Terms(_backward_blocks(c, l)))
        for l in range(L, 0, -1)
    ]
    steps += [
        Step("update", l, f"Update: layer {l} ({role(l)})", Terms(_update_blocks(c, l)))
        for l in range(1, L + 1)
    ]
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
        return Symbol("L", None, i, None, None if labels is None else str(labels[i]), s)

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


def _output_delta_block(c: _Sheet) -> Block:
    """delta^L_k = dL/da_k f'(z_k), or the direct (a_k - y_k)/(n k) of bce, (a_k - y_k)/n of cce."""
    n, k, L, name = c.n, c.layers[-1], c.L, c.f["loss_name"]
    f = c.f["activation_names"][-1]

    def build(sample: int, i: int) -> Term:
        error = Diff(c.neuron("a", L, sample, i), c.neuron("y", L, sample, i))
        if name in ("bce", "cce"):  # dL/dz directly: (a - y) / (n k), (a - y) / n
            scale = number(1.0 / (n * k), "1/(n k)") if name == "bce" else number(1.0 / n, "1/n")
            expr = Product((scale, error))
        else:  # dL/da f'(z): sse (a - y) f'(z), mse 2/(n k) (a - y) f'(z)
            slope = Apply(f + "'", c.neuron("z", L, sample, i))
            expr = Product((error, slope))
            expr = (
                expr if name == "sse" else Product((number(2.0 / (n * k), "2/(n k)"), *expr.items))
            )
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
            Product((c.param("w", l, k, i), c.neuron("delta", l, sample, k))) for k in range(n_out)
        ]
        slope = Apply(c.f["activation_names"][l - 2] + "'", c.neuron("z", l - 1, sample, i))
        return _neuron_term(c, "delta", l - 1, sample, i, Product((slope, add(back, "k"))))

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
        grad = c.param("dL/db", l, i) if cfg.train_biases else number(0.0, "0")
    else:
        grad = c.param("g" if cfg.l1 or cfg.l2 else "dL/dw", l, i, j)
    expr = _rule(c, l, i, j, kind, grad)
    name = ("w" if j is not None else "b") if kind == "new" else kind
    target = c.param(name, l, i, j, new=kind in ("new", "velocity", "m", "v"))
    return Term(target.symbol, expr, target.value)


def _rule(c: _Sheet, l: int, i: int, j: int | None, kind: str, grad: Value):
    """One line of the optimiser's rule (core.optimizers), as a formula."""

    def p(name: str, new: bool = False) -> Value:
        return c.param(name, l, i, j, new)

    k, one, cfg = c.const, number(1.0, "1"), c.f["config"]
    if kind == "g":  # g = dL/dw + l2 w + l1 sign(w)
        items = [p("dL/dw")]
        items += [Product((k("l2"), p("w")))] if cfg.l2 else []
        items += [Product((k("l1"), Apply("sign", p("w"))))] if cfg.l1 else []
        return add(items)
    if kind == "velocity":  # v <- mu v + g
        return Sum((Product((k("mu"), p("velocity"))), grad))
    if kind in ("m", "v"):  # m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
        beta = k("beta1" if kind == "m" else "beta2")
        new_part = grad if kind == "m" else Power(grad, number(2.0, "2"))
        return Sum((Product((beta, p(kind))), Product((Diff(one, beta), new_part))))
    if kind in ("m_hat", "v_hat"):  # m_hat = m / (1 - b1^t)
        beta = k("beta1" if kind == "m_hat" else "beta2")
        return Quotient(p(kind[0], True), Diff(one, Power(beta, k("t"))))
    step = {
        "sgd": lambda: grad,
        "momentum": lambda: p("velocity", True),
        "adam": lambda: Quotient(p("m_hat"), Sum((Sqrt(p("v_hat")), k("eps")))),
    }[c.opt.name]()
    return Diff(p("w" if j is not None else "b"), Product((k("lr"), step)))

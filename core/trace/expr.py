"""Formulas as expression trees: the nodes, the named quantities and the lecture's lines.

A :class:`Term` is one line of the lecture: what is computed (a
:class:`Symbol`), how (an expression tree) and the engine's number.  Every
node computes its ``value`` from its children when it is built, so a tree
that shows a formula also checks it: the tests hold each tree's value to
the engine's result.  :mod:`core.trace.formula` renders the trees; it never
computes maths.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from core.engine import activations


@dataclass(frozen=True, slots=True)
class Symbol:
    """A named quantity: z, a, delta of neuron i of layer l; w from neuron j to i; ...

    ``layer`` is the app's layer number (0 = input); ``label`` the lesson's
    name ("h1" for a neuron's z, a and delta, "w5" for a weight and its
    gradient and optimiser state); ``sample`` the batch row; ``new`` marks
    the value after the update (w⁺).  With ``wrt`` the symbol is the partial derivative
    ∂(this)/∂(wrt): ∂L/∂a_o1 is Symbol("L", wrt=a_o1), ∂z_o1/∂w5 is z_o1 with wrt=w5 (the
    batch row, if any, is the derivative's own ``sample``; :mod:`core.trace.chain`).
    """

    name: str
    layer: int | None = None
    i: int | None = None
    j: int | None = None
    label: str | None = None
    sample: int | None = None
    new: bool = False
    wrt: Symbol | None = None


def _set_value(node: object, value: float) -> None:
    object.__setattr__(node, "value", float(value))


def _quiet(fn, *args: float) -> float:
    """fn on float64 scalars; overflow and log(0) give inf/nan as the engine's arrays do."""
    with np.errstate(all="ignore"):
        return float(fn(*(np.asarray(v, dtype=float) for v in args)))


@dataclass(frozen=True, slots=True)
class Value:
    """A leaf: a symbol's number, or a constant (symbol None) written as ``text``."""

    symbol: Symbol | None
    value: float
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Sum:
    """items[0] + items[1] + ...; ``index`` names the index of the compact form Σₖ."""

    items: tuple[Expr, ...]
    index: str | None = None
    value: float = field(init=False)

    def __post_init__(self) -> None:
        values = [item.value for item in self.items]
        try:
            _set_value(self, math.fsum(values))
        except (OverflowError, ValueError):  # inf - inf, or a sum past the float range
            _set_value(self, _quiet(np.sum, values))


@dataclass(frozen=True, slots=True)
class Product:
    """items[0] · items[1] · ..."""

    items: tuple[Expr, ...]
    value: float = field(init=False)

    def __post_init__(self) -> None:
        _set_value(self, math.prod(item.value for item in self.items))


@dataclass(frozen=True, slots=True)
class Diff:
    """left - right."""

    left: Expr
    right: Expr
    value: float = field(init=False)

    def __post_init__(self) -> None:
        _set_value(self, self.left.value - self.right.value)


@dataclass(frozen=True, slots=True)
class Quotient:
    """num / den."""

    num: Expr
    den: Expr
    value: float = field(init=False)

    def __post_init__(self) -> None:
        _set_value(self, _quiet(np.divide, self.num.value, self.den.value))


@dataclass(frozen=True, slots=True)
class Power:
    """base ^ exponent."""

    base: Expr
    exponent: Expr
    value: float = field(init=False)

    def __post_init__(self) -> None:
        _set_value(self, _quiet(np.power, self.base.value, self.exponent.value))


@dataclass(frozen=True, slots=True)
class Sqrt:
    """√arg."""

    arg: Expr
    value: float = field(init=False)

    def __post_init__(self) -> None:
        _set_value(self, _quiet(np.sqrt, self.arg.value))


# Apply's functions besides the activations ("sigmoid") and their derivatives ("sigmoid'")
FUNCTIONS = {
    "exp": np.exp,
    "log": np.log,
    "sign": np.sign,
    "log_sigmoid": lambda z: -np.logaddexp(0.0, -z),  # log σ(z), exact for large |z|
    "log_one_minus_sigmoid": lambda z: -np.logaddexp(0.0, z),  # log(1 - σ(z))
}


def function(fn: str) -> Callable[[np.ndarray], np.ndarray]:
    """The function called ``fn``: an activation, its derivative ("tanh'"), or in FUNCTIONS."""
    if fn in FUNCTIONS:
        return FUNCTIONS[fn]
    act = activations.get(fn.removesuffix("'"))
    return act.df if fn.endswith("'") else act.f


@dataclass(frozen=True, slots=True)
class Apply:
    """fn(arg), e.g. sigmoid(z) or sigmoid'(z)."""

    fn: str
    arg: Expr
    value: float = field(init=False)

    def __post_init__(self) -> None:
        _set_value(self, _quiet(function(self.fn), self.arg.value))


Expr = Value | Sum | Product | Diff | Quotient | Power | Sqrt | Apply


@dataclass(frozen=True, slots=True)
class Term:
    """target = expr, whose value the engine computed as ``result``; ``sample`` is the
    batch row of a per-sample quantity (None for batch-level ones such as dW)."""

    target: Symbol
    expr: Expr
    result: float
    sample: int | None = None


# --- walking trees ---


def children(node: Expr) -> tuple[Expr, ...]:
    """The sub-expressions of ``node`` (none for a leaf)."""
    if isinstance(node, Sum | Product):
        return node.items
    if isinstance(node, Diff):
        return (node.left, node.right)
    if isinstance(node, Quotient):
        return (node.num, node.den)
    if isinstance(node, Power):
        return (node.base, node.exponent)
    return (node.arg,) if isinstance(node, Apply | Sqrt) else ()


def leaves(node: Expr) -> list[Value]:
    """The leaves of ``node``, left to right."""
    if isinstance(node, Value):
        return [node]
    return [leaf for child in children(node) for leaf in leaves(child)]


def sample_parts(term: Term) -> list[tuple[int, Expr]]:
    """A batch quantity's parts, one per sample: (sample, item) for each item of a sum
    over the batch (dL/dw = Σ_s δ[s]·a[s]); [] when ``term`` is not such a sum."""
    if not isinstance(term.expr, Sum):
        return []
    parts = []
    for item in term.expr.items:
        samples = {leaf.symbol.sample for leaf in leaves(item) if leaf.symbol is not None}
        samples.discard(None)
        if len(samples) != 1:
            return []
        parts.append((samples.pop(), item))
    return parts if len({s for s, _ in parts}) == len(parts) > 1 else []


# --- building trees ---


def number(value: float, text: str) -> Value:
    """A constant written as ``text`` (1/2, 1/n ...)."""
    return Value(None, float(value), text)


def add(items: Sequence, index: str | None = None) -> Expr:
    """Sum of the items; a single item stands alone."""
    return items[0] if len(items) == 1 else Sum(tuple(items), index)

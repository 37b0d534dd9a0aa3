"""Formulas in words: expression trees (:mod:`core.trace.expr`) rendered in text, unicode and html.

A line of the lecture reads ``target = symbols = numbers = result``; the
renderers only walk trees (whose nodes computed their values when built),
they never compute maths.  :func:`format_walkthrough` writes a whole traced
iteration (:mod:`core.trace.iteration`) that way, step by step.

Styles: ``"text"`` (plain lines: ``delta^1_1``, ``w^2_11``, ``*``, ``sum_k``),
``"unicode"`` (``δ₁¹``, ``w₁₁²``, ``·``, ``Σₖ``) and ``"html"`` (Qt rich
text, with ``<sub>`` and ``<sup>``); symbols and numbers are written by
:mod:`core.trace.notation`, every minus as a true minus sign (−).  With a batch, every
per-sample quantity carries its sample (``z^1_1[3]``, ``δ₁¹[3]``).
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from core.trace.expr import (
    Apply,
    Diff,
    Expr,
    Power,
    Product,
    Quotient,
    Sqrt,
    Sum,
    Symbol,
    Term,
    Value,
    children,
    leaves,
)
from core.trace.notation import (
    ACTIVATION_NAMES,
    MINUS,
    Precision,
    activation_name,
    count,
    feature_name,
    format_number,
    render_symbol,
    script,
)

if TYPE_CHECKING:  # the walk-through reads a trace; core.trace.iteration never imports this module
    from core.trace.iteration import IterationTrace
    from core.trace.terms import Block, Terms

STYLES = ("text", "unicode", "html")

# --- expressions ---

SUM, PRODUCT, POWER, ATOM = 1, 2, 3, 4
_SIGMA = ACTIVATION_NAMES | {"sigmoid": "σ"}
_OPS = {  # style -> (times symbolic, times numeric, minus, ellipsis, sigma, sqrt, function map)
    "text": (" * ", " * ", f" {MINUS} ", "...", "sum", "sqrt", ACTIVATION_NAMES),
    "unicode": (" · ", " × ", f" {MINUS} ", "…", "Σ", "√", _SIGMA),
    "html": (" · ", " × ", f" {MINUS} ", "…", "Σ", "√", _SIGMA),
}
_FN_FORMS = {
    "log_sigmoid": "log {f}({x})",
    "log_one_minus_sigmoid": "log(1{minus}{f}({x}))",
}


class _Renderer:
    """Walks a tree; numeric mode writes numbers and shows nested sub-results by value."""

    def __init__(
        self,
        style: str,
        numeric: bool,
        digits: int | Precision,
        samples: bool | None,
        max_items: int,
        veiled: Callable[[Symbol], bool] | None = None,
    ) -> None:
        if style not in STYLES:
            raise ValueError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}")
        self.style, self.numeric, self.digits = style, numeric, digits
        self.samples, self.max_items = samples, max(max_items, 2)
        self.veiled = veiled or (lambda symbol: False)  # numbers kept back: the symbol instead
        self.times_sym, self.times_num, self.minus, self.dots, self.sigma, self.root, self.fns = (
            _OPS[style]
        )
        self.letters: dict[int, dict] = {}

    def number(self, value: float, first: bool) -> tuple[str, int]:
        text = format_number(value, self.digits, self.style)
        return (text if first or value >= 0 or text[0] not in "-−" else f"({text})"), ATOM

    def render(self, node: Expr, first: bool = True, parent: Expr | None = None) -> tuple[str, int]:
        """The node's text and its precedence (SUM, PRODUCT, POWER, ATOM)."""
        if self.numeric and not isinstance(node, Value) and self.collapsed(node, parent):
            return self.number(node.value, first)
        method = getattr(self, "_" + type(node).__name__.lower())
        return method(node, first)

    @staticmethod
    def collapsed(node: Expr, parent: Expr | None) -> bool:
        """In numbers, a nested f(...) and a Σ over an index inside a product show their value:
        delta_h1 = f'(z_h1) · Σ w δ is written 0.2413 × 0.03635.  Differences and short sums
        keep their numbers: (a − y) is written (0.7514 − 0.01), y's value in sight."""
        if parent is None:
            return False
        return isinstance(node, Apply) or (
            isinstance(node, Sum) and node.index is not None and isinstance(parent, Product)
        )

    def wrap(self, node: Expr, first: bool, parent: Expr, least: int) -> str:
        text, prec = self.render(node, first, parent)
        if prec >= least:
            return text
        if not first:  # inside its own parentheses it leads: (−2.837 − 10.34)
            text, _ = self.render(node, True, parent)
        return f"({text})"

    def _value(self, node: Value, first: bool) -> tuple[str, int]:
        if self.numeric and (node.symbol is None or not self.veiled(node.symbol)):
            return self.number(node.value, first)
        if node.symbol is None:
            text = node.text if node.text is not None else format_number(node.value, 4, self.style)
            text = text.replace("-", MINUS)
            text = html.escape(text, quote=False) if self.style == "html" else text
            return text, ATOM if text.replace(".", "").isalnum() else PRODUCT
        letters = self.letters.get(id(node))
        samples = self.samples is not False  # by default, a per-sample symbol shows its sample
        return render_symbol(node.symbol, self.style, samples, letters), ATOM

    def _sum(self, node: Sum, first: bool) -> tuple[str, int]:
        items = node.items
        if len(items) > self.max_items and not self.numeric:
            compact = self.compact(node)
            if compact is not None:
                return compact, SUM
        # elide only when that hides at least two items
        shown = items if len(items) <= self.max_items + 1 else items[: self.max_items - 1]
        parts = [self.wrap(item, first and k == 0, node, SUM) for k, item in enumerate(shown)]
        if len(shown) < len(items):
            hidden = len(items) - len(shown) - 1
            parts.append(f"{self.dots} ({hidden} more) {self.dots}" if self.numeric else self.dots)
            parts.append(self.wrap(items[-1], False, node, SUM))
        return " + ".join(parts), SUM

    def _product(self, node: Product, first: bool) -> tuple[str, int]:
        times = self.times_num if self.numeric else self.times_sym
        parts = [
            self.wrap(item, first and k == 0, node, PRODUCT) for k, item in enumerate(node.items)
        ]
        return times.join(parts), PRODUCT

    def _diff(self, node: Diff, first: bool) -> tuple[str, int]:
        left = self.wrap(node.left, first, node, SUM)
        return left + self.minus + self.wrap(node.right, False, node, PRODUCT), SUM

    def _quotient(self, node: Quotient, first: bool) -> tuple[str, int]:
        num = self.wrap(node.num, first, node, PRODUCT)
        return f"{num} / {self.wrap(node.den, False, node, POWER)}", PRODUCT

    def _power(self, node: Power, first: bool) -> tuple[str, int]:
        base, prec = self.render(node.base, False, node)  # (-0.3)^2, never -0.3^2
        if prec < ATOM:
            base = f"({self.render(node.base, True, node)[0]})"  # (−1 − 0.5)^2
        elif any(c in base for c in "^⁰¹²³⁴⁵⁶⁷⁸⁹⁺ⁿⁱᵗ") or "<sup>" in base:
            base = f"({base})"  # (z^1_1)^2, not z^1_1^2
        exponent, _ = self.render(node.exponent, True, node)
        if self.style == "text":
            return f"{base}^{exponent}", POWER
        if self.style == "html":
            return f"{base}<sup>{exponent}</sup>", POWER
        return base + script(exponent, self.style, sup=True), POWER

    def _sqrt(self, node: Sqrt, first: bool) -> tuple[str, int]:
        arg, prec = self.render(node.arg, True, node)
        if self.style == "text" or prec < ATOM:
            return f"{self.root}({arg})", ATOM
        return self.root + arg, ATOM

    def _apply(self, node: Apply, first: bool) -> tuple[str, int]:
        arg, _ = self.render(node.arg, True, node)
        sigmoid = self.fns.get("sigmoid", "sigmoid")
        if node.fn in _FN_FORMS:
            form = _FN_FORMS[node.fn]
            return form.format(f=sigmoid, x=arg, minus=self.minus), ATOM
        base = node.fn.removesuffix("'")
        name = self.fns.get(base, base) + node.fn[len(base) :]
        return f"{html.escape(name, quote=False) if self.style == 'html' else name}({arg})", ATOM

    def compact(self, node: Sum) -> str | None:
        """Σ_k item(k), when the items share one shape; the varying indices become letters."""
        items = node.items
        probes = (items[0], items[1], items[-1])
        if len({_shape(item) for item in probes}) != 1:
            return None
        index = node.index or "k"
        found = [leaves(item) for item in probes]
        used: list[str] = []
        for k, leaf in enumerate(found[0]):
            symbols = [ls[k].symbol for ls in found]
            if symbols[0] is None:
                continue
            varying = {f for f in ("i", "j", "sample") if len({getattr(s, f) for s in symbols}) > 1}
            letters = {f: ("s" if f == "sample" else index) for f in varying}
            self.letters[id(leaf)] = letters
            used += [v for v in letters.values() if v not in used]
        used.sort(key=lambda letter: letter != "s")  # Σ over samples first: Σ_(s,k)
        body, prec = self.render(items[0], True, node)
        body = body if prec >= PRODUCT else f"({body})"
        return f"{self.sigma}{script(','.join(used), self.style)} {body}"


def _shape(node: Expr) -> tuple:
    if isinstance(node, Value):
        return ("value", node.symbol.name if node.symbol else node.text)
    parts = tuple(_shape(c) for c in children(node))
    return (type(node).__name__, getattr(node, "fn", None), parts)


def render_expr(
    expr: Expr,
    style: str = "text",
    numeric: bool = False,
    digits: int | Precision = 4,
    samples: bool | None = None,
    max_items: int = 4,
) -> str:
    """An expression in symbols (or numbers); sums longer than ``max_items`` are shortened.
    ``samples``: per-sample symbols show their sample (None, True) or not (False)."""
    return _Renderer(style, numeric, digits, samples, max_items).render(expr)[0]


def render_symbolic(
    term: Term, style: str = "text", samples: bool | None = None, max_items: int = 4
) -> str:
    """target = formula in symbols, e.g. ``delta_h1 = sigmoid'(z_h1) * (w5 * delta_o1 + ...)``;
    with a batch, ``z^1_1[3] = ...`` (``samples=False`` leaves the samples out)."""
    target = render_symbol(term.target, style, samples is not False)
    return f"{target} = {render_expr(term.expr, style, False, 4, samples, max_items)}"


def render_numeric(
    term: Term,
    digits: int | Precision = 4,
    style: str = "text",
    max_items: int = 4,
    result: bool = True,
    veiled: Callable[[Symbol], bool] | None = None,
) -> str:
    """The formula in numbers and its result, e.g. ``0.2413 * 0.03635 = 0.008771``;
    without ``result``, "?" in its place; leaves whose symbol is ``veiled`` keep their
    symbol instead of their number (a quantity the lecture keeps back).

    A product of differences or short sums shows them with their numbers, then by value:
    delta_o1 = (a_o1 - y_o1) * f'(z_o1) is ``(0.7514 − 0.01) * 0.1868 = 0.7414 * 0.1868
    = 0.1385``, so that both the target and the error a − y are in sight.
    """
    end = format_number(term.result, digits, style) if result else "?"
    renderer = _Renderer(style, True, digits, True, max_items, veiled)
    if isinstance(term.expr, Value):
        return end
    stages = [renderer.render(term.expr)[0]]
    expr = term.expr
    if isinstance(expr, Product) and any(_additive(item) for item in expr.items):
        factors = [
            renderer.render(item, k == 0)[0] if isinstance(item, Value) else
            renderer.number(item.value, k == 0)[0]
            for k, item in enumerate(expr.items)
        ]  # fmt: skip
        stages.append(renderer.times_num.join(factors))
    return " = ".join([*stages, end])


def _additive(node: Expr) -> bool:
    """A difference or a sum that a product shows with its numbers (not a Σ over an index)."""
    return isinstance(node, Diff) or (isinstance(node, Sum) and node.index is None)


def render_term(
    term: Term,
    digits: int | Precision = 4,
    style: str = "text",
    samples: bool | None = None,
    max_items: int = 4,
) -> str:
    """The whole line: target = symbols = numbers = result."""
    symbolic = render_symbolic(term, style, samples, max_items)
    return f"{symbolic} = {render_numeric(term, digits, style, max_items)}"


# --- the walk-through of ``main.py step`` ---


def format_walkthrough(
    trace: IterationTrace,
    digits: int | Precision = 6,
    style: str = "text",
    inputs: Sequence[str] = (),
    row: int | None = None,
) -> str:
    """The chain rule of the whole iteration in numbers, step by step, one line per term.

    For a batch, per-sample lines (forward, loss, deltas) show the first sample
    and gradients show their sums over the batch; wide layers show the first
    few neurons or edges and how many more there are.  ``inputs`` are the session's
    features ("sin(x1)"), named in a line of their own where they are not just x1, x2 ...;
    ``row`` is the training row (from 0) that a traced sample came from.
    """
    html_style = style == "html"
    lines = [_header(trace, row)]
    named = _inputs_line(trace, inputs, style)
    lines += [_escape(named) if html_style else named] if named else []
    for step in trace.steps:
        per_sample = any("sample" in dict(b.dims) for b in step.terms.blocks)
        title = step.title
        if per_sample and trace.n > 1:
            title += f" (per-sample lines: sample 1 of {trace.n})"
        lines += ["", f"<b>{_escape(title)}</b>" if html_style else title]
        for block in step.terms.blocks:
            lines += _block_lines(trace, step.terms, block, digits, style)
    if html_style:
        return "<br>\n".join(line.replace("  ", "&nbsp;&nbsp;", 1) for line in lines)
    return "\n".join(lines)


WALKTHROUGH_ITEMS = 8  # neurons or edges shown per block


def _block_lines(
    trace: IterationTrace, terms: Terms, block: Block, digits: int | Precision, style: str
) -> list[str]:
    frozen = not trace.config.train_biases or trace.bug == "frozen_biases"  # config or bug
    if block.what == "biases" and frozen and not any(np.any(u) for u in trace.update_biases):
        return ["  biases are frozen: they keep their values"]
    dims = dict(block.dims)
    fixed = {"sample": 0} if "sample" in dims else {}
    items = [(name, options) for name, options in block.dims if name not in ("sample", "kind")]
    total = math.prod(len(options) for _, options in items)
    lines = []
    combos = itertools.product(*(options for _, options in items))
    for combo in itertools.islice(combos, WALKTHROUGH_ITEMS):
        chosen = {name: v for (name, _), v in zip(items, combo)}
        for term in terms.of(block, **fixed, **chosen):
            text = render_term(term, digits, style)
            lines.append("  " + text)
    if total > WALKTHROUGH_ITEMS:
        dots = "..." if style == "text" else "…"
        lines.append(f"  {dots} ({count(total - WALKTHROUGH_ITEMS, 'more ' + block.what)})")
    return lines


def _inputs_line(trace: IterationTrace, inputs: Sequence[str], style: str) -> str:
    """'Inputs: x_1 = x1, x_2 = x2, x_3 = sin x1, x_4 = sin x2' when the inputs are features
    other than x1, x2, ... (or columns with names of their own); '' otherwise."""
    if len(inputs) != trace.layers[0] or all(f == f"x{j + 1}" for j, f in enumerate(inputs)):
        return ""
    (z,) = trace.steps[0].select(sample=0, i=0, kind="z")
    xs = {leaf.symbol.i: leaf.symbol for leaf in leaves(z.expr) if _is_input(leaf.symbol)}
    names = [
        f"{render_symbol(xs[j], style) if j in xs else f'x{j + 1}'} = {feature_name(f, style)}"
        for j, f in enumerate(inputs)
    ]
    return "Inputs: " + ", ".join(names)


def _is_input(symbol) -> bool:
    return symbol is not None and symbol.name == "x"


def _header(trace: IterationTrace, row: int | None = None) -> str:
    opt = trace.optimizer_after
    cfg = trace.config
    layers = "-".join(str(n) for n in trace.layers)
    samples = "1 sample" if trace.n == 1 else f"a batch of {trace.n} samples"
    samples += f" (training row {row + 1})" if row is not None and trace.n == 1 else ""
    activations = ", ".join(activation_name(name) for name in trace.activation_names)
    parts = [
        f"One training iteration on {samples}: network {layers} ({activations}), "
        f"loss {trace.loss_name}, optimizer {opt.name} (lr {opt.lr:g}, step {opt.t})"
    ]
    parts += [f"L1 {cfg.l1:g}"] if cfg.l1 else []
    parts += [f"L2 {cfg.l2:g}"] if cfg.l2 else []
    parts += [] if cfg.train_biases else ["biases frozen"]
    parts += [trace.bug_label.removesuffix(" · ")] if trace.bug else []  # Bug lab: <the bug>
    return "; ".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""One traced iteration's numbers as a table: CSV, Markdown and LaTeX, for handouts and slides.

:func:`iteration_rows` lists every quantity of a :class:`core.trace.iteration.IterationTrace`
in the order of the iteration (layer numbers as on screen, 1..L):

    forward       z^l_i = sum_j w^l_ij a^(l-1)_j + b^l_i,  a^l_i = f(z^l_i)    l = 1..L
    loss          L_k, the term of output k, then L = the batch loss
    output_delta  delta^L_k = dL/dz^L_k
    backward      dL/dw^l_ij, dL/db^l_i and, for l > 1, delta^(l-1)_i         l = L..1
    update        per weight and bias: w, [g], the optimiser's state, Δw = w(new) - w, w(new)

Neuron quantities (z, a, delta, the loss terms) are those of batch row ``sample``, and
with a batch they carry it, counted from 1 (``z^1_1[3]``); gradients, the loss and the
update belong to the whole batch.  Names follow the lesson's labels where the session has
them (``z_h1``, ``dL/dw5``, ``w5 (new)``) and :mod:`core.trace.notation`'s generic form
otherwise (``z^1_1``, ``w^2_11``).  The writers only format: every number is the trace's,
written by :func:`core.trace.notation.format_number` at a :class:`Precision` (significant
digits or decimal places) with a true minus sign, except in CSV (full precision unless asked,
a hyphen) and LaTeX (siunitx's ``\num{}``, which sets its own minus).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, replace

import numpy as np

from core.trace.buggy import gradient_sign
from core.trace.expr import Symbol
from core.trace.iteration import IterationTrace
from core.trace.notation import Precision, format_number, render_symbol
from core.trace.steps import PHASE_NAMES as PHASE_TITLES

STATE_ORDER = ("velocity", "m", "v", "m_hat", "v_hat")  # the optimiser's internals, as traced


@dataclass(frozen=True, slots=True)
class Row:
    """One number of the iteration: its phase, the app's layer (or None), its names, its value."""

    phase: str
    layer: int | None
    quantity: str
    symbol_latex: str
    value: float


# --- the rows ---


class _Labels:
    """The lesson's labels, per layer, where they fit the traced network (else None)."""

    def __init__(self, labels: dict | None, layers: list[int], sample: int | None) -> None:
        self.sample = sample  # the batch row per-sample symbols carry (None: one sample)
        labels = labels or {}
        shapes = {
            "neurons": [(n,) for n in layers],
            "weights": list(zip(layers[1:], layers)),
            "biases": [(n,) for n in layers[1:]],
        }
        self.parts = {key: _fitted(labels.get(key), shape) for key, shape in shapes.items()}

    def get(self, key: str, l: int, *index: int) -> str | None:
        """The label of neuron (l, i), weight (l, i, j) or bias (l, i); l from 0 for neurons."""
        array = self.parts[key][l if key == "neurons" else l - 1]
        return None if array is None else str(array[index])


def _fitted(part, shapes: list[tuple[int, ...]]) -> list[np.ndarray | None]:
    part = part or []
    out = []
    for l, shape in enumerate(shapes):
        try:
            array = np.array(part[l], dtype=object) if l < len(part) else None
        except (TypeError, ValueError):
            array = None
        out.append(array if array is not None and array.shape == shape else None)
    return out


def iteration_rows(trace: IterationTrace, labels: dict | None = None, sample: int = 0) -> list[Row]:
    """Every number of the traced iteration, one row per quantity, in the lecture's order."""
    if not 0 <= sample < trace.n:
        raise ValueError(f"sample must be a batch row from 0 to {trace.n - 1}, not {sample}")
    names = _Labels(labels, trace.layers, sample if trace.n > 1 else None)
    L = len(trace.z)
    rows = [r for l in range(1, L + 1) for r in _forward_rows(trace, names, sample, l)]
    rows += _loss_rows(trace, names, sample)
    deltas = range(trace.layers[L])
    rows += [_neuron_row("output_delta", trace.delta, names, sample, L, i, "delta") for i in deltas]
    rows += [r for l in range(L, 0, -1) for r in _backward_rows(trace, names, sample, l)]
    rows += [r for l in range(1, L + 1) for r in _update_rows(trace, names, l)]
    return rows + _loss_rows(trace, names, sample, after=True)


def _row(phase: str, layer: int | None, symbol: Symbol, value: float) -> Row:
    return Row(phase, layer, _quantity(symbol), _latex(symbol), float(value))


def _neuron_row(
    phase: str, arrays: list, names: _Labels, sample: int, l: int, i: int, name: str
) -> Row:
    """z, a or delta of neuron i of layer l (arrays indexed from layer 1) for batch row sample."""
    symbol = Symbol(name, l, i, label=names.get("neurons", l, i), sample=names.sample)
    return _row(phase, l, symbol, arrays[l - 1][sample, i])


def _forward_rows(trace: IterationTrace, names: _Labels, sample: int, l: int) -> list[Row]:
    """z^l_i and a^l_i of each neuron of layer l."""
    rows = []
    for i in range(trace.layers[l]):
        rows.append(_neuron_row("forward", trace.z, names, sample, l, i, "z"))
        rows.append(_neuron_row("forward", trace.a[1:], names, sample, l, i, "a"))
    return rows


def _loss_rows(
    trace: IterationTrace, names: _Labels, sample: int, after: bool = False
) -> list[Row]:
    """The term L_k of each output for batch row sample, then the batch loss L; ``after``:
    the same through the updated network (L⁺, phase "result")."""
    L = len(trace.z)
    phase, terms = ("result", trace.loss_terms_after) if after else ("loss", trace.loss_terms)
    labels = [names.get("neurons", L, k) for k in range(len(terms[sample]))]
    rows = [
        _row(phase, None, Symbol("L", None, k, None, labels[k], names.sample, after), term)
        for k, term in enumerate(terms[sample])
    ]
    total = trace.loss_after if after else trace.loss
    return rows + [_row(phase, None, Symbol("L", new=after), total)]


def _backward_rows(trace: IterationTrace, names: _Labels, sample: int, l: int) -> list[Row]:
    """dL/dw^l_ij, dL/db^l_i, and delta^(l-1)_i = f'(z^(l-1)_i) sum_k w^l_ki delta^l_k."""
    n_out, n_in = trace.layers[l], trace.layers[l - 1]
    rows = [
        _row("backward", l, _param("dL/dw", names, l, i, j), trace.dW[l - 1][i, j])
        for i in range(n_out)
        for j in range(n_in)
    ]
    rows += [
        _row("backward", l, _param("dL/db", names, l, i), trace.db[l - 1][i]) for i in range(n_out)
    ]
    if l > 1:
        rows += [
            _neuron_row("backward", trace.delta, names, sample, l - 1, i, "delta")
            for i in range(n_in)
        ]
    return rows


def _param(name: str, names: _Labels, l: int, i: int, j: int | None = None, new: bool = False):
    label = names.get("weights", l, i, j) if j is not None else names.get("biases", l, i)
    return Symbol(name, l, i, j, label, None, new)


def _update_rows(trace: IterationTrace, names: _Labels, l: int) -> list[Row]:
    """Per weight, then per bias: p, [g with L1/L2], the optimiser's state, Δp, p(new),
    where p(new) = p + Δp and Δp is the optimiser's actual change (-lr g for sgd)."""
    rows = []
    for part, param in enumerate(("w", "b")):
        shape = (trace.weights_before, trace.biases_before)[part][l - 1].shape
        for index in np.ndindex(shape):
            rows += _param_update_rows(trace, names, l, param, index)
    return rows


def _param_update_rows(
    trace: IterationTrace, names: _Labels, l: int, param: str, index: tuple[int, ...]
) -> list[Row]:
    part = 0 if param == "w" else 1
    arrays = {
        param: (trace.weights_before, trace.biases_before)[part],
        "g": (trace.step_dW, trace.step_db)[part],
        "update": (trace.update_weights, trace.update_biases)[part],
        "new": (trace.weights_after, trace.biases_after)[part],
    }
    arrays |= {s: trace.internals[s][part] for s in STATE_ORDER if s in trace.internals}
    penalties = param == "w" and bool(trace.config.l1 or trace.config.l2)
    kinds = [param, *(["g"] if penalties else []), *STATE_ORDER, "update", "new"]
    rows = []
    for kind in (k for k in kinds if k in arrays):
        symbol = _param(param if kind == "new" else kind, names, l, *index, new=kind == "new")
        sign = gradient_sign(trace.bug) if kind == "g" else 1.0  # plus: the optimiser saw -g
        rows.append(_row("update", l, symbol, sign * arrays[kind][l - 1][index]))
    return rows


# --- names ---


def _quantity(symbol: Symbol) -> str:
    """The plain-text name: z_h1, dL/dw5, w5 (new), update(w5); z^1_1, w^2_11 without labels;
    a batch's sample in brackets: z^1_1[3], L_1[3] (new)."""
    param = "w" if symbol.j is not None else "b"
    if symbol.name == "update":
        return f"update({render_symbol(replace(symbol, name=param))})"
    text = render_symbol(replace(symbol, new=False), samples=True)
    return f"{text} (new)" if symbol.new else text


_LATEX_NEURON = {"delta": r"\delta"}
_LATEX_STATE = {"g": "g", "velocity": "v", "m": "m", "v": "v", "m_hat": r"\hat{m}"}
_LATEX_STATE |= {"v_hat": r"\hat{v}"}


def latex_symbol(symbol: Symbol) -> str:
    """The symbol in LaTeX math, as the LaTeX tables write it (z^{1}_{1}, \\delta_{o1})."""
    return _latex(symbol)


def _latex(symbol: Symbol) -> str:
    """The symbol in LaTeX math: z^{1}_{1}, z_{h1}, \\delta_{o1}, w_{5}, b^{\\prime}_{1},
    \\Delta w_{5}; a batch's sample in brackets: z^{1}_{1}[3]."""
    name = symbol.name
    sample = "" if symbol.sample is None else f"[{symbol.sample + 1}]"
    if name in ("z", "a", "delta", "L", "x", "y"):
        base = _LATEX_NEURON.get(name, name)
        base = rf"{base}^{{\mathrm{{new}}}}" if symbol.new else base  # the loss after (L⁺)
        if symbol.i is None:
            return base
        if symbol.label is not None:
            return f"{base}_{{{_latex_math(symbol.label)}}}{sample}"
        sup = None if name == "L" else str(symbol.layer)
        return _scripted(base, sup, str(symbol.i + 1)) + sample
    own = _latex_param(symbol)
    if name in ("w", "b"):
        return own
    if name.startswith("dL/"):
        return rf"\partial L/\partial {own}"
    if name == "update":
        return rf"\Delta {own}"
    return rf"{_LATEX_STATE[name]}({own})"


def _latex_param(symbol: Symbol) -> str:
    """The weight or bias a symbol belongs to: w_{5} (label "w5"), b^{\\prime}_{1} ("b1′"),
    w^{2}_{11}; new: w^{new}_{5}."""
    param = "w" if symbol.j is not None else "b"
    label = symbol.label
    match = re.fullmatch(r"([A-Za-z]+)(\d+)([′']*)", label) if label is not None else None
    if match:
        primes = [r"\prime"] * len(match[3])
        base, sup, sub = match[1], ",".join(primes) or None, match[2]
    elif label is not None:
        base, sup, sub = rf"\mathrm{{{_latex_math(label)}}}", None, None
    else:
        idx = [symbol.i + 1] + ([] if symbol.j is None else [symbol.j + 1])
        sep = "" if all(k < 10 for k in idx) else ","
        base, sup, sub = param, str(symbol.layer), sep.join(map(str, idx))
    if symbol.new:
        sup = r"\mathrm{new}" if sup is None else sup + r",\mathrm{new}"
    return _scripted(base, sup, sub)


def _scripted(base: str, sup: str | None, sub: str | None) -> str:
    return base + (f"^{{{sup}}}" if sup else "") + (f"_{{{sub}}}" if sub else "")


_MATH_ESCAPES = {c: "\\" + c for c in "#$%&_{}"}
_MATH_ESCAPES |= {"\\": r"\backslash{}", "^": r"\hat{\ }", "~": r"\sim{}", " ": r"\ "}
_MATH_ESCAPES |= {"′": "'"}
_TEXT_ESCAPES = {c: "\\" + c for c in "#$%&_{}"}
_TEXT_ESCAPES |= {"\\": r"\textbackslash{}", "^": r"\textasciicircum{}"}
_TEXT_ESCAPES |= {"~": r"\textasciitilde{}"}


def _latex_math(text: str) -> str:
    """A label set inside math mode, LaTeX's special characters escaped."""
    return "".join(_MATH_ESCAPES.get(c, c) for c in text)


def _latex_text(text: str) -> str:
    """Text set in text mode, LaTeX's special characters escaped."""
    return "".join(_TEXT_ESCAPES.get(c, c) for c in text)


# --- the writers ---


def _layer(row: Row) -> str:
    return "" if row.layer is None else str(row.layer)


def _sections(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """Consecutive rows of the same phase, grouped."""
    sections: list[tuple[str, list[Row]]] = []
    for row in rows:
        if not sections or sections[-1][0] != row.phase:
            sections.append((row.phase, []))
        sections[-1][1].append(row)
    return sections


def bug_heading(trace: IterationTrace, suffix: str) -> str:
    """What opens a Markdown (".md") or LaTeX (".tex") table of a step traced with a bug
    lab's bug, so that its numbers are never taken for correct backpropagation ("" for no
    bug, and for CSV, whose first line is its header)."""
    if trace.bug is None:
        return ""
    line = f"{trace.bug_label.removesuffix(' · ')}: the step as this bug computes it"
    if suffix == ".tex":
        return f"\\noindent\\textbf{{{_latex_text(line)}}}\\par\n"
    return f"> **{line}**\n\n" if suffix == ".md" else ""


def to_csv(rows: list[Row], digits: int | Precision | None = None) -> str:
    """CSV with the header phase,layer,quantity,value; values at ``digits`` (significant
    digits or a Precision) with a hyphen for minus, or the exact ``repr`` of the float
    (which parses back to the same value) if None."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["phase", "layer", "quantity", "value"])
    for row in rows:
        value = repr(row.value) if digits is None else format_number(row.value, digits, "ascii")
        writer.writerow([row.phase, _layer(row), row.quantity, value])
    return out.getvalue()


def to_markdown(rows: list[Row], digits: int | Precision = 6) -> str:
    """A GitHub table (layer, quantity, value), with a bold line opening each phase; numbers
    at ``digits`` (significant digits or a Precision), with a true minus sign."""
    lines = ["| Layer | Quantity | Value |", "|---:|:---|---:|"]
    for phase, section in _sections(rows):
        lines.append(f"| **{PHASE_TITLES.get(phase, phase)}** | | |")
        for row in section:
            name = row.quantity.replace("|", r"\|")
            value = format_number(row.value, digits, "text")
            lines.append(f"| {_layer(row)} | `{name}` | {value} |")
    return "\n".join(lines) + "\n"


LONG_TABLE = 40  # lines (rows and phase headings) past which LaTeX gets a longtable
_PREAMBLE = (
    "% One training step's numbers, from Backprop Lab.  Needs in the preamble:\n"
    "%   \\usepackage{{booktabs}}  \\usepackage{{siunitx}}{longtable}\n"
    "% Numbers are set by siunitx's \\num{{}}; \\sisetup{{group-digits=false}} keeps\n"
    "% their digits together (0.000438568, not 0.000 438 568).\n"
)


def to_latex(rows: list[Row], digits: int | Precision = 6) -> str:
    """A booktabs table (layer, $symbol$, value): a bold line per phase, numbers at
    ``digits`` in siunitx's \\num{}; a ``longtable`` (which breaks across pages) when it is
    long, else a ``tabular``.  A comment first says which packages it needs."""
    sections = _sections(rows)
    long = len(rows) + len(sections) > LONG_TABLE
    env = "longtable" if long else "tabular"
    lines = [rf"\begin{{{env}}}{{rlr}}", r"\toprule", r"Layer & Quantity & Value \\", r"\midrule"]
    lines += [r"\endhead", r"\bottomrule", r"\endlastfoot"] if long else []
    for k, (phase, section) in enumerate(sections):
        title = _latex_text(PHASE_TITLES.get(phase, phase))
        lines += [r"\midrule"] if k else []
        lines.append(rf"\multicolumn{{3}}{{l}}{{\textbf{{{title}}}}} \\")
        for row in section:
            lines.append(
                f"{_layer(row)} & ${row.symbol_latex}$ & {_latex_number(row, digits)} \\\\"
            )
    lines += [] if long else [r"\bottomrule"]
    lines.append(rf"\end{{{env}}}")
    preamble = _PREAMBLE.format(longtable="  \\usepackage{longtable}" if long else "")
    return preamble + "\n".join(lines) + "\n"


def _latex_number(row: Row, digits: int | Precision) -> str:
    """\\num{0.082167041}, \\num{-3.7e-05} (siunitx sets the minus and the power of ten);
    NaN as text, infinities as math symbols."""
    if math.isnan(row.value):
        return "NaN"
    if math.isinf(row.value):
        return r"$\infty$" if row.value > 0 else r"$-\infty$"
    return rf"\num{{{format_number(row.value, digits, 'ascii')}}}"

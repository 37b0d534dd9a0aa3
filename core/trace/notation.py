"""How numbers, named quantities, activations and features are written.

Styles: ``"text"`` (plain lines for a terminal: ``delta^1_1``, ``w^2_11``), ``"unicode"``
(``δ₁¹``, ``w₁₁²``) and ``"html"`` (Qt rich text, with ``<sub>`` and ``<sup>``); numbers
shown in any of them carry a true minus sign (U+2212); :func:`format_number`'s ``"ascii"``
writes numbers for files that programs read (CSV) with a hyphen.  Indices are 0-based in a
Symbol and shown from 1, neurons' as subscripts and a batch sample's in brackets
(``z₁²[3]``); a lesson label ("h1", "w5") replaces the neuron's or parameter's indices.
"""

from __future__ import annotations

import html
import math
from contextlib import suppress
from dataclasses import dataclass, replace

from core.trace.expr import Symbol

# --- numbers ---


@dataclass(frozen=True)
class Precision:
    """How many digits numbers show: ``digits`` significant digits, or with ``decimals``
    that many decimal places (as a worked example prints them: 0.082167041 at 9)."""

    digits: int = 4
    decimals: bool = False


MINUS = "\u2212"  # the minus sign of every number shown (not a hyphen)


def format_number(value: float, digits: int | Precision = 4, style: str = "text") -> str:
    """``value`` to ``digits`` significant digits; plain decimals for 1e-4 <= |v| < 1e6.
    A :class:`Precision` with ``decimals`` gives that many decimal places instead.

    Trailing zeros go, as with the ``g`` format, but never into scientific
    notation inside that range: 0.000438568 stays 0.000438568.  The sign is a true
    minus (−0.038) in every style but ``"ascii"`` (-0.038, for CSV).
    """
    v = float(value)
    if isinstance(digits, Precision):
        digits, places = digits.digits, digits.decimals
    else:
        places = False
    if places and math.isfinite(v):
        text = f"{v:.{digits}f}"  # the binary value rounded once, correctly
        text = text.rstrip("0").rstrip(".") if "." in text else text
        text = "0" if text in ("-0", "") else text
    elif v == 0 or not math.isfinite(v):
        text = "0" if v == 0 else str(v)
    elif 1e-4 <= abs(v) < 1e6:
        decimals = digits - 1 - math.floor(math.log10(abs(v)))
        text = f"{round(v, decimals):.{max(decimals, 0)}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    else:
        text = f"{v:.{digits}g}"
    return text if style == "ascii" else text.replace("-", MINUS)


SINGULAR = {"biases": "bias"}  # where dropping the last s is not the singular


def count(n: int, noun: str) -> str:
    """'1 step', '3 steps', '1 more bias': ``n`` and the noun (given in the plural, its
    last word the noun) in the right number."""
    if n == 1:
        *head, last = noun.split(" ")
        noun = " ".join([*head, SINGULAR.get(last, last.removesuffix("s"))])
    return f"{n} {noun}"


# --- names of activations and features, as the control panel writes them ---

ACTIVATION_NAMES = {
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "linear": "linear",
    "softmax": "softmax",
}
FEATURE_NAMES = {  # feature -> (text, unicode)
    "x1": ("x1", "x₁"),
    "x2": ("x2", "x₂"),
    "x1^2": ("x1^2", "x₁²"),
    "x2^2": ("x2^2", "x₂²"),
    "x1*x2": ("x1 x2", "x₁x₂"),
    "sin(x1)": ("sin x1", "sin x₁"),
    "sin(x2)": ("sin x2", "sin x₂"),
}


def activation_name(name: str) -> str:
    """An activation as the app writes it everywhere: 'ReLU', 'leaky ReLU', 'tanh'."""
    return ACTIVATION_NAMES.get(name, name)


def feature_name(feature: str, style: str = "text") -> str:
    """An input feature as the app writes it: 'sin x1' (text), 'sin x₁' (unicode, html);
    a name that is no built-in feature (a CSV column) as it is."""
    pair = FEATURE_NAMES.get(feature)
    if pair is None:
        return feature
    return pair[0] if style in ("text", "ascii") else pair[1]


# --- symbols ---

_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx,", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ,"))
_SUP = dict(zip("0123456789+-=()nit", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵗ"))

# name -> (text, unicode/html)
NAMES = {
    "delta": ("delta", "δ"),
    "dL/dw": ("dL/dw", "∂L/∂w"),
    "dL/db": ("dL/db", "∂L/∂b"),
    "lr": ("lr", "η"),
    "velocity": ("v", "v"),
    "m_hat": ("m_hat", "m̂"),
    "v_hat": ("v_hat", "v̂"),
    "mu": ("mu", "μ"),
    "beta1": ("beta1", "β₁"),
    "beta2": ("beta2", "β₂"),
    "eps": ("eps", "ε"),
    "l1": ("l1", "λ₁"),
    "l2": ("l2", "λ₂"),
}
STATE_NAMES = ("g", "velocity", "m", "v", "m_hat", "v_hat")  # belong to a weight or bias
PLAIN_LAYER = ("x", "y", "L")  # neuron quantities shown without their layer number


def script(text: str, style: str, sup: bool = False) -> str:
    """``text`` as a subscript (or superscript) in ``style``."""
    if not text:
        return ""
    if style == "html":
        tag = "sup" if sup else "sub"
        return f"<{tag}>{html.escape(text, quote=False)}</{tag}>"
    table = _SUP if sup else _SUB
    if style == "unicode" and all(c in table for c in text):
        return "".join(table[c] for c in text)
    mark = "^" if sup else "_"
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"


def _index(*parts: int | str) -> str:
    """1-based indices, run together when each is one character (w_12), else w_(12,3)."""
    shown = [str(p + 1) if isinstance(p, int) else p for p in parts]
    return "".join(shown) if all(len(s) == 1 for s in shown) else ",".join(shown)


def render_symbol(
    symbol: Symbol, style: str = "text", samples: bool = False, letters: dict | None = None
) -> str:
    """A symbol in ``style``: z^1_1, w^2_12, δ_h1, ∂L/∂w5, m̂(w5), w5⁺ ...

    ``letters`` replaces fields by index letters ({"i": "k"}) for the Σ form;
    ``samples`` shows the batch row as [s].  A symbol with ``wrt`` is the partial
    derivative ∂top/∂wrt: dL/da_o1, ∂zₒ₁/∂w5, ∂a₁²/∂z₁² (``letters`` apply to the top).
    """
    letters = letters or {}
    if symbol.wrt is not None:
        return _derivative(symbol, style, samples, letters)
    i, j = letters.get("i", symbol.i), letters.get("j", symbol.j)
    label = None if ("i" in letters or "j" in letters) else symbol.label
    pair = NAMES.get(symbol.name, (symbol.name, symbol.name))
    base = pair[0] if style == "text" else pair[1]
    name = symbol.name
    if name in ("w", "b", "dL/dw", "dL/db") or name in STATE_NAMES:
        param = "w" if j is not None else "b"
        own = _param(param, symbol.layer, i, j, style) if label is None else label
        own = html.escape(own, quote=False) if style == "html" and label is not None else own
        if name in ("w", "b"):
            text = own
        elif name.startswith("dL/"):
            text = base[:-1] + own
        else:
            text = f"{base}({own})"
    elif i is not None:
        if label is not None:
            scriptable = style == "html" or all(c in _SUB for c in label)
            text = base + (script(label, style) if style != "text" and scriptable else "_" + label)
        else:
            text = _neuron(base, symbol.layer, i, name in PLAIN_LAYER, style)
    else:
        text = base
    if symbol.new:
        text += {"text": "(new)", "unicode": "⁺", "html": "<sup>+</sup>"}[style]
    sample = letters.get("sample", symbol.sample)
    if sample is not None and (samples or "sample" in letters):
        text += f"[{_index(sample)}]"
    return text


def _derivative(symbol: Symbol, style: str, samples: bool, letters: dict) -> str:
    """∂top/∂wrt in ``style`` (d in text), the derivative's batch row once at the end."""
    d = "d" if style == "text" else "∂"
    top = render_symbol(replace(symbol, wrt=None, sample=None), style, False, letters)
    wrt = render_symbol(replace(symbol.wrt, sample=None), style, False)
    text = f"{d}{top}/{d}{wrt}"
    sample = letters.get("sample", symbol.sample)
    if sample is not None and (samples or "sample" in letters):
        text += f"[{_index(sample)}]"
    return text


def _param(param: str, layer: int | None, i, j, style: str) -> str:
    idx = _index(i) if j is None else _index(i, j)
    if style == "text":
        return f"{param}^{layer}_{f'({idx})' if ',' in idx else idx}"
    return param + script(idx, style) + script(str(layer), style, sup=True)


def _neuron(base: str, layer: int | None, i, plain: bool, style: str) -> str:
    idx = _index(i)
    if style == "text":
        return f"{base}_{idx}" if plain else f"{base}^{layer}_{idx}"
    return base + script(idx, style) + ("" if plain else script(str(layer), style, sup=True))


def parameter_name(param: tuple[int, int, int], labels: dict | None) -> str:
    """The app's name of weight (l, i, j) (W^(l+1)[i, j]) or of bias (l, i, -1): w₁₂¹,
    b₁², or the lesson's own label (w5)."""
    l, i, j = param
    label = None
    with suppress(KeyError, IndexError, TypeError):
        label = labels["biases"][l][i] if j < 0 else labels["weights"][l][i][j]
    symbol = Symbol("b" if j < 0 else "w", layer=l + 1, i=i, j=None if j < 0 else j, label=label)
    return render_symbol(symbol, "unicode")

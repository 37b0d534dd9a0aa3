"""Which glossary entries (core.trace.glossary) a formula names: from its symbols and
expression trees (what a traced step holds), or from its text as the equation panel shows
it (δ₁², ∂L/∂w₅, tanh′), or from a value card's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from core.trace.expr import Apply, Expr, Symbol, Term, Value, children
from core.trace.glossary import tip_html

_FUNCTION_KEYS = {"log_sigmoid": "log", "log_one_minus_sigmoid": "log"}


def symbol_keys(symbol: Symbol) -> list[str]:
    """The entries of ``symbol``: its own (z, δ, ∂L/∂w ...), "L'" or "new" for a value after
    the update, "partial" for a derivative (and its parts), "sample" for a batch row."""
    if symbol.wrt is not None:
        top = symbol_keys(Symbol(symbol.name, symbol.layer, symbol.i, symbol.j))
        return ["partial", *top, *symbol_keys(symbol.wrt)]
    name = symbol.name
    keys = [name]
    if symbol.new:
        keys = ["L'"] if name == "L" else [name, "new"]
    if symbol.sample is not None:
        keys.append("sample")
    return keys


def function_keys(fn: str) -> list[str]:
    """The entries of a formula's function: f and f′ for an activation's derivative."""
    if fn.endswith("'"):
        return ["f'", fn.removesuffix("'")]
    return [_FUNCTION_KEYS.get(fn, fn)]


def constant_keys(text: str) -> list[str]:
    """The entries of a constant's letters: n in 1/n, n and k in 1/(n k)."""
    return [letter for letter in ("n", "k") if letter in text]


def expr_keys(node: Expr) -> list[str]:
    """Every entry of an expression tree, left to right, repeats included."""
    if isinstance(node, Value):
        if node.symbol is not None:
            return symbol_keys(node.symbol)
        return constant_keys(node.text or "")
    own = function_keys(node.fn) if isinstance(node, Apply) else []
    sums = ["sum"] if getattr(node, "index", None) else []
    return own + sums + [key for child in children(node) for key in expr_keys(child)]


def entry_keys(terms: Iterable[Term], limit: int = 200) -> list[str]:
    """The glossary entries of the symbols in ``terms`` (at most ``limit`` terms read), each
    once, in the order they first appear: what the shown formulas use."""
    seen: dict[str, None] = {}
    for count, term in enumerate(terms):
        if count >= limit:
            break
        for key in symbol_keys(term.target) + expr_keys(term.expr):
            seen.setdefault(key, None)
    return list(seen)


# --- symbols in rendered text (a formula as the equation panel shows it) ---

_WORDS = {  # a whole token -> its entry
    "tanh": "tanh", "σ": "sigmoid", "sigmoid": "sigmoid", "relu": "relu", "softmax": "softmax",
    "exp": "exp", "log": "log", "sign": "sign", "linear": "linear", "leaky": "leaky_relu",
    "σ′": "f'", "tanh′": "f'", "relu′": "f'", "linear′": "f'", "η": "lr", "lr": "lr",
    "μ": "mu", "ε": "eps", "Σ": "sum", "ΔL": "ΔL", "δ": "delta",
}  # fmt: skip
_HEADS = {"β₁": "beta1", "β₂": "beta2", "λ₁": "l1", "λ₂": "l2", "m̂": "m_hat", "v̂": "v_hat"}
_LETTERS = "zawbxyLgmv"  # a letter that is a symbol when an index follows it
_INDEX = "0123456789₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹ᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ⁺[]"
TOKEN = re.compile(r"∂[^\s=·×()]*|[^\W\d_][\w′'̂⁺₀-₉⁰-⁹ᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ¹²³]*")


def token_key(token: str) -> str | None:
    """The entry of one token of a rendered formula (δ₁², ∂L/∂w₅, tanh′, z1, η), or None
    for a word that is no symbol ("layer", "the")."""
    if not token:
        return None
    if token.startswith("∂"):
        return {"∂L/∂w": "dL/dw", "∂L/∂b": "dL/db"}.get(token[:5], "partial")
    word = _WORDS.get(token, _WORDS.get(token.casefold()))
    if word is not None:
        return word
    if token.endswith("′") or token.endswith("'"):
        return "f'"
    for head, key in _HEADS.items():
        if token.startswith(head):
            return key
    if token[0] in "δΔΣση":
        return _WORDS.get(token[:2] if token[:2] == "ΔL" else token[0])
    rest = token[1:]
    if token == "L" or (token[0] in _LETTERS and rest and all(c in _INDEX for c in rest)):
        return token[0]  # a bare letter in words is no symbol ("a neuron"), except L
    return None


def keys_in_text(text: str) -> list[str]:
    """The entries of the symbols in ``text`` (a formula's plain text), each once, in order."""
    seen: dict[str, None] = {}
    for token in TOKEN.findall(text):
        key = token_key(token)
        if key is not None:
            seen.setdefault(key, None)
    return list(seen)


def card_tip(text: str) -> str:
    """The tooltip of a value card that names its symbol ("δ₁² = 0.1385"): that symbol's
    entry; '' when the text starts with no symbol."""
    first = TOKEN.match(text.strip())
    key = token_key(first.group()) if first else None
    return tip_html(key) if key else ""

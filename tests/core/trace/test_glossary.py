"""The glossary: one entry per symbol, and every symbol, function and constant that a traced
formula can hold (any loss, activation, optimiser, penalty, batch, chain rule) has one."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.activations import ACTIVATIONS
from core.engine.config import TrainingConfig
from core.engine.losses import LOSSES
from core.engine.network import Network
from core.engine.optimizers import OPTIMIZERS, Optimizer
from core.trace.chain import chain_rule
from core.trace.expr import Symbol, Term, Value
from core.trace.glossary import ENTRIES, GLOSSARY, search, tip_html
from core.trace.iteration import trace_iteration
from core.trace.lookup import card_tip, entry_keys, keys_in_text, symbol_keys, token_key

OUTPUTS = {"mse": "tanh", "sse": "sigmoid", "bce": "sigmoid", "cce": "softmax"}


def _traces():
    rng = np.random.default_rng(0)
    hidden = [name for name in ACTIVATIONS if name != "softmax"]
    for loss, hid, optimizer in zip(
        sorted(LOSSES) * 3, hidden * 3, list(OPTIMIZERS) * 5, strict=False
    ):
        k = 3 if loss == "cce" else 1
        net = Network.initialized([2, 3, k], [hid, OUTPUTS[loss]], "xavier_uniform", 0)
        for l1, l2, n in ((0.0, 0.0, 1), (0.01, 0.02, 3)):
            config = TrainingConfig(optimizer=optimizer, l1=l1, l2=l2)
            x = rng.normal(size=(n, 2))
            y = np.eye(k)[rng.integers(0, k, n)] if k > 1 else rng.uniform(0, 1, (n, 1))
            yield trace_iteration(net, loss, Optimizer(optimizer, 0.1), config, x, y)


def _every_term(trace):
    for step in trace.steps:
        yield from step.terms
    for layer in (1, 2):
        rule = chain_rule(trace, layer, 0, 0, 0)
        yield rule.product
        yield from (factor.term for factor in rule.factors)


def test_every_entry_has_its_own_key_a_symbol_a_name_and_a_sentence() -> None:
    assert len(GLOSSARY) == len(ENTRIES)
    for entry in ENTRIES:
        assert entry.symbol and entry.name and entry.text.endswith(".")
        assert "  " not in entry.text and len(entry.text) < 600


def test_every_symbol_of_every_traced_formula_has_an_entry() -> None:
    used: set[str] = set()
    for trace in _traces():
        used |= set(entry_keys(_every_term(trace), limit=10_000))
    assert used - set(GLOSSARY) == set()
    for key in ("delta", "z", "a", "w", "b", "dL/dw", "L", "lr", "f'", "partial", "sample"):
        assert key in used  # what the test walked through really is the formulas


@pytest.mark.parametrize(
    "key",
    ["x", "y", "z", "a", "w", "b", "f", "f'", "L", "delta", "dL/dw", "lr", "n", "batch", "epoch"]
    + ["velocity", "mu", "m", "v", "m_hat", "v_hat", "beta1", "beta2", "eps", "softmax", "cce"]
    + ["mse", "sse", "bce", "gradient_norm", "vanishing", "exploding", "saturation", "dead"],
)
def test_the_notation_of_the_brief_is_there(key) -> None:
    assert key in GLOSSARY


def test_the_losses_conventions_are_the_engines() -> None:
    assert "1/(n k) Σ (y − a)²" in GLOSSARY["mse"].text and "no 1/2" in GLOSSARY["mse"].text
    assert "1/2 Σ (y − a)²" in GLOSSARY["sse"].text and "no 1/n" in GLOSSARY["sse"].text
    assert "(a − y)/n" in GLOSSARY["cce"].text
    assert "∂L/∂z" in GLOSSARY["delta"].text


def test_a_formulas_keys_come_once_in_order_of_appearance() -> None:
    delta = Symbol("delta", 1, 0)
    term = Term(delta, Value(Symbol("a", 1, 0, sample=2), 0.5), 0.5)
    assert entry_keys([term, term]) == ["delta", "a", "sample"]
    assert symbol_keys(Symbol("w", 2, 0, 1, new=True)) == ["w", "new"]
    assert symbol_keys(Symbol("L", new=True)) == ["L'"]
    assert symbol_keys(Symbol("L", wrt=Symbol("a", 2, 0))) == ["partial", "L", "a"]


def test_search_finds_by_symbol_name_and_text() -> None:
    assert search("δ")[0].key == "delta"
    assert search("learning rate")[0].key == "lr"
    assert [e.key for e in search("  ")] == [e.key for e in ENTRIES]
    assert "vanishing" in [e.key for e in search("orders of magnitude")]
    assert search("no such words zzz") == []


def test_the_symbols_of_a_rendered_formula_are_found_in_its_text() -> None:
    from core.trace.formula import render_numeric, render_symbolic

    found: set[str] = set()
    for trace in _traces():
        for term in _every_term(trace):
            text = render_symbolic(term, "unicode") + " = " + render_numeric(term, 4, "unicode")
            keys = keys_in_text(text)
            assert set(keys) <= set(GLOSSARY), text
            found |= set(keys)
    assert {"delta", "z", "a", "w", "dL/dw", "lr", "f'", "L", "sum", "m_hat", "beta1"} <= found


@pytest.mark.parametrize(
    "token, key",
    [("δ₁²", "delta"), ("∂L/∂w₅", "dL/dw"), ("∂a₁/∂z₁", "partial"), ("σ′", "f'"), ("η", "lr")]
    + [("z1", "z"), ("w₁₁²", "w"), ("tanh", "tanh"), ("ΔL", "ΔL"), ("v̂", "v_hat")]
    + [("a", None), ("layer", None), ("the", None), ("L", "L")],
)
def test_one_token_names_its_entry_or_none(token, key) -> None:
    assert token_key(token) == key


def test_tooltips_escape_and_cards_name_their_symbol() -> None:
    assert "&lt;" in tip_html("relu") or "<" not in GLOSSARY["relu"].text
    assert tip_html("delta").startswith("<p><b>Delta (error of a neuron)</b> (δᵢˡ):")
    assert card_tip("δ₁² = 0.1385") == tip_html("delta")
    assert card_tip("w5 = 0.4") == tip_html("w")
    assert card_tip("0.4") == ""

"""The chain rule of one weight, factor by factor: Mazur's numbers, the engine's numbers for
every lesson and random nets, finite differences, PyTorch, and the lines in every style."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.engine import losses
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.trace.chain import ChainRule, chain_lines, chain_rule
from core.trace.expr import Term, leaves
from core.trace.formula import render_term
from core.trace.iteration import IterationTrace, trace_iteration
from core.trace.notation import MINUS, Precision, format_number
from tests import paths
from tests.core.trace.traces import mazur_trace, random_data

NINE = Precision(9, decimals=True)

# --- Mazur's post, number for number ---


def shown(value: float) -> str:
    return format_number(value, NINE, "ascii")


def test_output_weight_w5_is_mazurs_product_of_three_factors():
    chain = chain_rule(mazur_trace(), 2, 0, 0)
    dL_da, da_dz, dz_dw = (f.term.result for f in chain.factors)
    assert [shown(v) for v in (dL_da, da_dz, dz_dw)] == ["0.74136507", "0.186815602", "0.593269992"]
    assert shown(chain.product.result) == "0.082167041"
    assert chain.product.result == pytest.approx(0.082167041, abs=5e-10)
    assert chain.paths == () and chain.expansions == () and chain.total is None
    assert not chain.combined
    assert [f.neurons for f in chain.factors] == [((2, 0),), ((2, 0),), ((1, 0),)]
    assert chain.factors[2].edges == ((1, 0, 0),)  # w5: from h1 (layer 1) to o1


def test_hidden_weight_w1_sums_its_paths_with_the_old_weights():
    chain = chain_rule(mazur_trace(), 1, 0, 0)
    assert [shown(f.term.result) for f in chain.factors] == ["0.036350306", "0.241300709", "0.05"]
    assert shown(chain.product.result) == "0.000438568"
    first, second = chain.paths
    assert shown(first.term.result) == "0.055399425"  # δ_o1 w5 = 0.138498562 × 0.40
    assert second.term.result == pytest.approx(-0.0380982366 * 0.50, abs=1e-10)  # δ_o2 w7
    assert [leaf.value for leaf in leaves(first.term.expr)][1] == 0.40  # w5 before the update
    assert first.neurons == ((2, 0), (1, 0)) and first.edges == ((1, 0, 0),)
    assert second.edges == ((1, 1, 0),)  # w7: from h1 to o2
    assert [shown(e.term.result) for e in chain.expansions] == ["0.138498562", "-0.038098237"]
    expanded = [leaf.value for leaf in leaves(chain.expansions[0].term.expr)]
    assert [shown(v) for v in expanded] == ["0.74136507", "0.186815602"]
    assert chain.factors[0].edges == ((1, 0, 0), (1, 1, 0))


def test_biases_end_their_chain_with_one():
    trace = mazur_trace()
    output, hidden = chain_rule(trace, 2, 0), chain_rule(trace, 1, 0)
    assert shown(output.product.result) == "0.138498562"  # ∂L/∂b2 = δ_o1
    assert shown(hidden.product.result) == "0.008771355"  # ∂L/∂b1 = δ_h1
    assert output.factors[-1].term.result == 1.0 == hidden.factors[-1].term.result
    assert output.factors[-1].edges == ()


W5_LINES = [
    "∂L/∂w5 = ∂L/∂aₒ₁ · ∂aₒ₁/∂zₒ₁ · ∂zₒ₁/∂w5 = 0.74136507 × 0.186815602 × 0.593269992"
    " = 0.082167041",
    "∂L/∂aₒ₁ = aₒ₁ − yₒ₁ = 0.75136507 − 0.01 = 0.74136507",
    "∂aₒ₁/∂zₒ₁ = aₒ₁ · (1 − aₒ₁) = 0.75136507 × (1 − 0.75136507) = 0.75136507 × 0.24863493"
    " = 0.186815602",
    "∂zₒ₁/∂w5 = aₕ₁ = 0.593269992",
]
W1_LINES = [
    "∂L/∂w1 = ∂L/∂aₕ₁ · ∂aₕ₁/∂zₕ₁ · ∂zₕ₁/∂w1 = 0.036350306 × 0.241300709 × 0.05 = 0.000438568",
    "∂L/∂aₕ₁ = ∂L/∂zₒ₁ · ∂zₒ₁/∂aₕ₁ + ∂L/∂zₒ₂ · ∂zₒ₂/∂aₕ₁",
    "∂L/∂aₕ₁ = δₒ₁ · w5 + δₒ₂ · w7 = 0.138498562 × 0.4 + (−0.038098237) × 0.5"
    " = 0.055399425 + (−0.019049118) = 0.036350306",
    "∂L/∂zₒ₁ · ∂zₒ₁/∂aₕ₁ = 0.138498562 × 0.4 = 0.055399425",
    "∂L/∂zₒ₂ · ∂zₒ₂/∂aₕ₁ = −0.038098237 × 0.5 = −0.019049118",
    "∂L/∂zₒ₁ = ∂L/∂aₒ₁ · ∂aₒ₁/∂zₒ₁ = 0.74136507 × 0.186815602 = 0.138498562",
    "∂L/∂zₒ₂ = ∂L/∂aₒ₂ · ∂aₒ₂/∂zₒ₂ = −0.217071535 × 0.175510053 = −0.038098237",
    "∂aₕ₁/∂zₕ₁ = aₕ₁ · (1 − aₕ₁) = 0.593269992 × (1 − 0.593269992) = 0.593269992 × 0.406730008"
    " = 0.241300709",
    "∂zₕ₁/∂w1 = xᵢ₁ = 0.05",
]


def test_the_lecture_lines_of_w5_and_w1_in_unicode():
    trace = mazur_trace()
    assert chain_lines(chain_rule(trace, 2, 0, 0), NINE, "unicode") == W5_LINES
    assert chain_lines(chain_rule(trace, 1, 0, 0), NINE, "unicode") == W1_LINES
    assert chain_lines(chain_rule(trace, 2, 0), NINE, "unicode")[-1] == "∂zₒ₁/∂b2 = 1"


def test_the_lines_in_text_and_html():
    trace = mazur_trace()
    text = "\n".join(chain_lines(chain_rule(trace, 1, 0, 0), NINE, "text"))
    for part in ("dL/dw1 = dL/da_h1 * da_h1/dz_h1 * dz_h1/dw1", "dz_o1/da_h1", "dL/dz_o2"):
        assert part in text
    path = chain_rule(trace, 1, 0, 0).paths[0].term  # its own name: Mazur's ∂E_o1/∂out_h1
    named = "∂Lₒ₁/∂aₕ₁ = ∂L/∂zₒ₁ · ∂zₒ₁/∂aₕ₁ = 0.1385 × 0.4 = 0.0554"
    assert render_term(path, 4, "unicode") == named
    assert "a_h1 * (1 − a_h1)" in text and "(−0.038098237)" in text and "-0" not in text
    html = "\n".join(chain_lines(chain_rule(trace, 2, 0, 0), NINE, "html"))
    assert "∂L/∂a<sub>o1</sub> · ∂a<sub>o1</sub>/∂z<sub>o1</sub> · ∂z<sub>o1</sub>/∂w5" in html
    assert "a<sub>o1</sub> · (1 − a<sub>o1</sub>)" in html
    term = chain_rule(trace, 2, 0, 0).factors[0].term
    assert render_term(term, 4, "text") == "dL/da_o1 = a_o1 − y_o1 = 0.7514 − 0.01 = 0.7414"


def test_unlabelled_batches_carry_their_sample_and_sum_to_the_batch_gradient():
    trace = random_trace([2, 3, 1], ["tanh", "linear"], "mse", 6, seed=4)
    chain = chain_rule(trace, 1, 2, 1, sample=3)
    lines = chain_lines(chain, 4, "unicode")
    assert lines[0].startswith("∂L/∂w₃₂¹[4] = ∂L/∂a₃¹[4] · ∂a₃¹/∂z₃¹[4] · ∂z₃¹/∂w₃₂¹[4] = ")
    assert "∂a₃¹/∂z₃¹[4] = 1 − (a₃¹[4])² = 1 − 0.9479² = 0.1015" in lines
    assert "∂L/∂z₁²[4] · ∂z₁²/∂a₃¹[4] = −1.336 × (−1.608) = 2.149" in lines
    assert lines[-1].startswith("∂L/∂w₃₂¹ = Σₛ ∂L/∂w₃₂¹[s] = ")
    output = chain_lines(chain_rule(trace, 2, 0, None, 5), 4, "unicode")
    assert "∂a₁²/∂z₁²[6] = 1" in output  # linear
    assert output[1].startswith("∂L/∂a₁²[6] = 2/(n k) · (a₁²[6] − y₁[6])")


def test_bce_and_cce_combine_the_loss_and_the_activation_into_one_factor():
    for loss, names in (("bce", ["relu", "sigmoid"]), ("cce", ["leaky_relu", "softmax"])):
        trace = random_trace([2, 3, 2], names, loss, 3, seed=5)
        chain = chain_rule(trace, 2, 1, 0, sample=2)
        assert chain.combined and len(chain.factors) == 2
        assert chain_lines(chain, 4, "unicode")[1].startswith("∂L/∂z₂²[3] = ")
        hidden = chain_rule(trace, 1, 0, 1, sample=2)
        assert hidden.combined and len(hidden.factors) == 3
        assert all(e.term.target.wrt.name == "z" for e in hidden.expansions)
        slope = render_term(hidden.factors[1].term, 4, "unicode")
        assert slope.startswith("∂a₁¹/∂z₁¹[3] = " + ("ReLU'" if loss == "bce" else "leaky ReLU'"))


def test_a_weight_that_is_not_there_is_refused():
    trace = mazur_trace()
    for args in ((0, 0, 0), (3, 0, 0), (1, 2, 0), (2, 0, 5)):
        with pytest.raises(ValueError):
            chain_rule(trace, *args)
    with pytest.raises(ValueError, match="samples"):
        chain_rule(trace, 1, 0, 0, sample=1)


# --- every weight and bias of lessons and random nets: the engine's numbers ---


def random_trace(layers, names, loss, n, seed=0) -> IterationTrace:
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, 1.0, (o, i)) for i, o in zip(layers, layers[1:])]
    biases = [rng.normal(0.0, 0.5, o) for o in layers[1:]]
    x, y = random_data(n, layers[0], layers[-1], loss, seed)
    config = TrainingConfig(optimizer="sgd", learning_rate=0.1)
    net = Network(weights, biases, names)
    return trace_iteration(net, loss, Optimizer("sgd", lr=0.1), config, x, y)


RANDOM = [
    ([3, 4, 2], ["tanh", "sigmoid"], "mse", 3),
    ([2, 3, 3, 2], ["relu", "leaky_relu", "softmax"], "cce", 4),
    ([2, 3, 2, 1], ["linear", "tanh", "sigmoid"], "bce", 2),
    ([2, 4, 3, 2], ["sigmoid", "tanh", "linear"], "sse", 1),
    ([3, 2, 2], ["leaky_relu", "relu"], "sse", 3),
]


def lesson_trace(name: str) -> IterationTrace:
    from core.engine.trainer import trainer_for
    from core.session.format import load_session
    from core.trace.iteration import trace_next_step

    session = load_session(paths.LESSONS / f"{name}.json")
    return trace_next_step(trainer_for(session), session.labels)


def parameters(trace: IterationTrace):
    for l in range(1, len(trace.layers)):
        for i in range(trace.layers[l]):
            yield from ((l, i, j) for j in range(trace.layers[l - 1]))
            yield l, i, None


def terms(chain: ChainRule) -> list[Term]:
    found = [chain.product, *(f.term for f in (*chain.factors, *chain.paths, *chain.expansions))]
    return found + ([chain.total] if chain.total is not None else [])


def scale(term: Term) -> float:
    """The largest number a tree adds: the room its rounding has."""
    return max([abs(term.result), *(abs(leaf.value) for leaf in leaves(term.expr))])


def check(trace: IterationTrace, l: int, i: int, j: int | None, s: int) -> ChainRule:
    chain = chain_rule(trace, l, i, j, s)
    for term in terms(chain):  # every tree computes the engine's number
        assert term.expr.value == pytest.approx(term.result, rel=1e-12, abs=1e-14 * scale(term))
    dW, db = trace.sample_gradients(s)
    assert chain.product.result == (dW[l - 1][i, j] if j is not None else db[l - 1][i])
    first = chain.factors[0].term
    if chain.paths:  # ∂L/∂a_i = Σ over the paths through the next layer
        sums = math.fsum(p.term.result for p in chain.paths)
        assert sums == pytest.approx(first.result, rel=1e-12, abs=1e-14 * scale(first))
        slope = chain.factors[1].term.result
        assert first.result * slope == pytest.approx(trace.delta[l - 1][s, i], rel=1e-12)
    expansions = [e.term.result for e in chain.expansions]
    assert expansions == [trace.delta[-1][s, k] for k in range(len(expansions))]
    if chain.total is not None:
        grads = trace.dW[l - 1][i, j] if j is not None else trace.db[l - 1][i]
        assert chain.total.result == grads
    return chain


@pytest.mark.parametrize("name", sorted(p.stem for p in paths.LESSONS.glob("*.json")))
def test_every_lessons_chains_are_the_engines_numbers(name: str):
    trace = lesson_trace(name)
    for l, i, j in parameters(trace):
        for s in sorted({0, trace.n - 1}):
            check(trace, l, i, j, s)


@pytest.mark.parametrize(("layers", "names", "loss", "n"), RANDOM)
def test_random_nets_agree_with_the_engine_and_finite_differences(layers, names, loss, n):
    trace = random_trace(layers, names, loss, n, seed=len(layers) + n)
    for l, i, j in parameters(trace):
        for s in range(n):
            chain = check(trace, l, i, j, s)
            numeric = sample_loss_slope(trace, l, i, j, s)
            assert chain.product.result == pytest.approx(numeric, rel=1e-6, abs=1e-8)


def sample_loss_slope(trace: IterationTrace, l: int, i: int, j: int | None, s: int) -> float:
    """Central differences of sample s's part of the batch loss, Σ_k L_(s,k)."""

    def loss_at(shift: float) -> float:
        weights = [w.copy() for w in trace.weights_before]
        biases = [b.copy() for b in trace.biases_before]
        if j is None:
            biases[l - 1][i] += shift
        else:
            weights[l - 1][i, j] += shift
        fp = Network(weights, biases, trace.activation_names).forward(trace.x)
        terms = losses.get(trace.loss_name).terms(fp.z[-1], fp.a[-1], trace.y)
        return float(terms[s].sum())

    h = 1e-6
    return (loss_at(h) - loss_at(-h)) / (2 * h)


# --- against PyTorch ---


@pytest.mark.parametrize(("layers", "names", "loss", "n"), RANDOM)
def test_factors_match_torch_autograd(layers, names, loss, n):
    pytest.importorskip("torch")
    from tests.core.torch_reference import TORCH_ACTIVATIONS, assert_close, t, torch_loss

    trace = random_trace(layers, names, loss, n, seed=len(layers) + n)
    weights = [t(w).requires_grad_() for w in trace.weights_before]
    biases = [t(b).requires_grad_() for b in trace.biases_before]
    zs, acts = forward(weights, biases, trace.activation_names, t(trace.x), TORCH_ACTIVATIONS)
    torch_loss(loss, zs[-1], acts[-1], t(trace.y)).backward()
    for l, i, j in parameters(trace):
        for s in range(n):
            chain = chain_rule(trace, l, i, j, s)
            first = chain.factors[0].term.result
            if chain.combined and l == len(layers) - 1:
                assert_close(first, zs[l - 1].grad[s, i])  # ∂L/∂z directly
            else:
                assert_close(first, acts[l].grad[s, i])  # ∂L/∂a_i
                z = t(trace.z[l - 1]).requires_grad_()
                TORCH_ACTIVATIONS[names[l - 1]](z).sum().backward()
                assert_close(chain.factors[1].term.result, z.grad[s, i])  # f'(z_i)
            share = sample_share(trace, l, i, j, s, TORCH_ACTIVATIONS, torch_loss)
            assert_close(chain.product.result, share)
            if chain.total is not None:
                grad = weights[l - 1].grad[i, j] if j is not None else biases[l - 1].grad[i]
                assert_close(chain.total.result, grad)


def forward(weights, biases, names, x, functions):
    """z^l and a^l with their gradients kept (a^0 = x)."""
    import torch

    zs, acts = [], [x]
    for w, b, name in zip(weights, biases, names):
        zs.append(torch.nn.functional.linear(acts[-1], w, b))
        zs[-1].retain_grad()
        acts.append(functions[name](zs[-1]))
        acts[-1].retain_grad()
    return zs, acts


def sample_share(trace, l, i, j, s, functions, torch_loss) -> float:
    """∂L/∂w of sample s's part of the batch loss: its row's loss, a mean loss's 1/n kept."""
    from tests.core.torch_reference import t

    weights = [t(w).requires_grad_() for w in trace.weights_before]
    biases = [t(b).requires_grad_() for b in trace.biases_before]
    row = t(trace.x[s : s + 1])
    zs, acts = forward(weights, biases, trace.activation_names, row, functions)
    part = torch_loss(trace.loss_name, zs[-1], acts[-1], t(trace.y[s : s + 1]))
    (part if trace.loss_name == "sse" else part / trace.n).backward()
    grad = weights[l - 1].grad[i, j] if j is not None else biases[l - 1].grad[i]
    return float(grad)


def test_numbers_in_every_line_use_a_true_minus():
    trace = random_trace([2, 3, 2], ["tanh", "sigmoid"], "sse", 2, seed=1)
    for style in ("text", "unicode", "html"):
        for l, i, j in parameters(trace):
            for line in chain_lines(chain_rule(trace, l, i, j, 1), 6, style):
                assert "-0" not in line and "-1" not in line
    assert MINUS == "\u2212"


def test_derivative_symbols_in_every_style():
    from core.trace.chain import derivative
    from core.trace.expr import Symbol
    from core.trace.notation import render_symbol

    a, z = Symbol("a", 2, 0, None, "o1"), Symbol("z", 2, 0, None, "o1")
    cases = [
        (derivative(Symbol("L"), a), ("dL/da_o1", "∂L/∂aₒ₁", "∂L/∂a<sub>o1</sub>")),
        (derivative(a, z), ("da_o1/dz_o1", "∂aₒ₁/∂zₒ₁", "∂a<sub>o1</sub>/∂z<sub>o1</sub>")),
        (
            derivative(z, Symbol("w", 2, 0, 0, "w5")),
            ("dz_o1/dw5", "∂zₒ₁/∂w5", "∂z<sub>o1</sub>/∂w5"),
        ),
        (
            derivative(Symbol("a", 2, 0), Symbol("z", 2, 0, sample=1), sample=1),
            (
                "da^2_1/dz^2_1[2]",
                "∂a₁²/∂z₁²[2]",
                "∂a<sub>1</sub><sup>2</sup>/∂z<sub>1</sub><sup>2</sup>[2]",
            ),
        ),
    ]
    for symbol, styles in cases:
        assert tuple(render_symbol(symbol, s, True) for s in ("text", "unicode", "html")) == styles

"""The traced steps and their terms: lecture order, counts, optimiser internals, walkthroughs."""

from __future__ import annotations

import numpy as np
import pytest

from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.trace.expr import Term, Value
from core.trace.formula import format_walkthrough, render_numeric, render_symbolic
from core.trace.iteration import trace_iteration, trace_sample
from tests.core.trace.traces import (
    MAZUR_LABELS,
    SETTINGS,
    mazur_network,
    mazur_trace,
    random_data,
    trace_2321,
)


def find(trace, phase: str, name: str, label: str) -> Term:
    """The term of ``phase`` whose target is ``name`` with lesson label ``label``."""
    for step in trace.steps:
        if step.phase == phase:
            for term in step.terms:
                if term.target.name == name and term.target.label == label:
                    return term
    raise LookupError(f"no {name} {label} in {phase}")


def test_mazur_terms_carry_the_lesson_labels_and_the_lecture_numbers():
    t = mazur_trace()
    assert find(t, "forward", "z", "h1").result == pytest.approx(0.3775, abs=1e-12)
    assert find(t, "loss", "L", "o1").result == pytest.approx(0.274811083, abs=1e-9)
    assert find(t, "output_delta", "delta", "o1").result == pytest.approx(0.138498562, abs=1e-9)
    dw5 = find(t, "backward", "dL/dw", "w5")
    assert dw5.result == t.dW[1][0, 0]
    symbolic = render_symbolic(dw5)
    assert symbolic == "dL/dw5 = delta_o1 * a_h1"
    delta_h1 = find(t, "backward", "delta", "h1")
    symbolic = render_symbolic(delta_h1)
    assert symbolic == "delta_h1 = sigmoid'(z_h1) * (w5 * delta_o1 + w7 * delta_o2)"
    assert render_numeric(delta_h1, 4) == "0.2413 * 0.03635 = 0.008771"
    slope, back = delta_h1.expr.items
    assert slope.value == pytest.approx(0.241300709, abs=1e-9)
    assert back.value == pytest.approx(0.036350306, abs=1e-9)
    assert delta_h1.result == pytest.approx(0.008771355, abs=1e-9)
    assert render_numeric(find(t, "backward", "dL/dw", "w1"), 6).endswith("= 0.000438568")
    w5 = find(t, "update", "w", "w5")
    assert w5.target.new
    assert render_symbolic(w5, "unicode") == "w5⁺ = w5 − η · ∂L/∂w5"
    assert render_numeric(w5, 8) == "0.4 − 0.5 * 0.082167041 = 0.35891648"


def test_mazur_walkthrough_reads_like_the_blog_post():
    text = format_walkthrough(mazur_trace(), digits=6)
    assert "z_h1 = w1 * x_i1 + w2 * x_i2 + b1 = 0.15 * 0.05 + 0.2 * 0.1 + 0.35 = 0.3775" in text
    assert "dL/dw5 = delta_o1 * a_h1 = 0.138499 * 0.59327 = 0.082167" in text
    assert "w1(new) = w1 − lr * dL/dw1 = 0.15 − 0.5 * 0.000438568 = 0.149781" in text
    assert "biases are frozen" in text
    order = [text.index(s.title) for s in mazur_trace().steps]
    assert order == sorted(order)


# --- steps, terms and trees ---


def _value_of(trace, symbol) -> float:
    """The trace's array entry that a symbol names."""
    name, l, i, j, s = symbol.name, symbol.layer, symbol.i, symbol.j, symbol.sample
    s = 0 if s is None else s  # a batch of one: its symbols carry no sample
    neurons = {"x": trace.x, "y": trace.y}
    if name in neurons:
        return neurons[name][s, i]
    if name in ("z", "delta"):
        return getattr(trace, name)[l - 1][s, i]
    if name == "a":
        return trace.a[l][s, i]
    if name == "L":
        if symbol.new:
            return trace.loss_after if i is None else trace.loss_terms_after[s, i]
        return trace.loss if i is None else trace.loss_terms[s, i]
    if name == "ΔL":
        return trace.loss_after - trace.loss
    if name in ("w", "b"):
        pair = (
            (trace.weights_after, trace.biases_after)
            if symbol.new
            else (trace.weights_before, trace.biases_before)
        )
    elif name in ("dL/dw", "dL/db"):
        pair = (trace.dW, trace.db)
    elif name == "g":
        pair = (trace.step_dW, trace.step_db)
    elif symbol.new or name.endswith("_hat"):
        pair = trace.internals[name]
    else:
        pair = trace.internals_before[name]
    return pair[0][l - 1][i, j] if j is not None else pair[1][l - 1][i]


def _leaves(expr):
    if isinstance(expr, Value):
        return [expr]
    children = []
    for attr in ("items", "left", "right", "num", "den", "base", "exponent", "arg"):
        part = getattr(expr, attr, None)
        if part is not None:
            children += list(part) if isinstance(part, tuple) else [part]
    return [leaf for child in children for leaf in _leaves(child)]


@pytest.mark.parametrize("settings", SETTINGS)
def test_steps_come_in_lecture_order_and_every_term_is_true(settings):
    trace = trace_2321(settings)
    phases = [(s.phase, s.layer) for s in trace.steps]
    assert phases == [
        ("forward", 1),
        ("forward", 2),
        ("forward", 3),
        ("loss", None),
        ("output_delta", 3),
        ("backward", 3),
        ("backward", 2),
        ("backward", 1),
        ("update", 1),
        ("update", 2),
        ("update", 3),
        ("result", None),
    ]
    assert trace.steps[0].title == "Forward: layer 1 (hidden)"
    for step in trace.steps:
        assert len(step.terms) > 0
        for term in step.terms:
            assert term.result == _value_of(trace, term.target), (step.title, term.target)
            assert term.expr.value == pytest.approx(term.result, rel=1e-12, abs=1e-12)
            for leaf in _leaves(term.expr):
                if leaf.symbol is not None and leaf.symbol.name not in CONSTANTS:
                    assert leaf.value == _value_of(trace, leaf.symbol)


CONSTANTS = ("lr", "mu", "beta1", "beta2", "eps", "l1", "l2", "t")


def test_term_counts_per_step_for_a_batch():
    n = 4
    trace = trace_2321(SETTINGS[0], n=n)  # sgd with l1 and l2: g, then w(new), per weight
    counts = [len(s.terms) for s in trace.steps]
    forward = [n * 3 * 2, n * 2 * 2, n * 1 * 2]
    loss = [n * 1 + 1]
    backward = [1 * 2 + 1 + n * 2, 2 * 3 + 2 + n * 3, 3 * 2 + 3]
    update = [3 * 2 * 2 + 3, 2 * 3 * 2 + 2, 1 * 2 * 2 + 1]
    assert counts == forward + loss + [n] + backward + update + [2]
    step = trace.steps[5]  # backward, layer 3: dW^3, db^3, delta^2
    assert [b.what for b in step.terms.blocks] == ["weight gradients", "bias gradients", "deltas"]
    assert {t.target.name for t in step.select(sample=2)} == {"delta"}
    assert [t.sample for t in step.select(sample=2)] == [2, 2]
    (edge,) = step.select(i=0, j=1)
    assert (edge.target.name, edge.target.i, edge.target.j, edge.sample) == ("dL/dw", 0, 1, None)
    assert [t.target.name for t in trace.steps[8].select(i=1, j=0)] == ["g", "w"]
    assert step.terms[-1] is step.terms[len(step.terms) - 1]
    assert len(step.terms[1:3]) == 2


@pytest.mark.parametrize("settings", SETTINGS[1:])
def test_update_terms_show_the_optimizer_internals(settings):
    trace = trace_2321(settings)
    names = {"momentum": ["velocity"], "adam": ["m", "v", "m_hat", "v_hat"]}[settings["optimizer"]]
    assert sorted(trace.internals) == sorted(names)
    for step in trace.steps[-4:-1]:
        l = step.layer
        for name in names:
            terms = step.select(kind=name)
            weights, biases = trace.internals[name]
            assert len(terms) == weights[l - 1].size + biases[l - 1].size
            for term in terms:
                own = weights if term.target.j is not None else biases
                index = (
                    (term.target.i, term.target.j) if term.target.j is not None else term.target.i
                )
                assert term.result == own[l - 1][index]
    step = trace.steps[-2]  # the update of the last layer (the result step follows)
    (w,) = step.select(i=0, j=1, kind="new")
    if settings["optimizer"] == "adam":
        assert (
            render_symbolic(w)
            == "w^3_12(new) = w^3_12 − lr * m_hat(w^3_12) / (sqrt(v_hat(w^3_12)) + eps)"
        )
        (m_hat,) = step.select(i=0, j=1, kind="m_hat")
        assert render_symbolic(m_hat) == "m_hat(w^3_12) = m(w^3_12)(new) / (1 − beta1^t)"
    else:
        assert render_symbolic(w) == "w^3_12(new) = w^3_12 − lr * v(w^3_12)(new)"
        (v,) = step.select(i=0, j=1, kind="velocity")
        assert render_symbolic(v) == "v(w^3_12)(new) = mu * v(w^3_12) + dL/dw^3_12"
        assert v.expr.items[0].items[1].value == trace.internals_before["velocity"][0][2][0, 1]


def test_softmax_cce_and_every_loss_build_true_trees():
    for loss, acts, k in [
        ("cce", ["tanh", "softmax"], 3),
        ("mse", ["sigmoid", "linear"], 2),
        ("sse", ["relu", "tanh"], 2),
        ("bce", ["leaky_relu", "sigmoid"], 2),
    ]:
        x, y = random_data(3, 2, k, loss, seed=7)
        net = Network.initialized([2, 3, k], acts, "xavier_normal", 3)
        trace = trace_iteration(net, loss, Optimizer("sgd"), TrainingConfig(), x, y)
        assert trace.loss_terms.sum() == pytest.approx(trace.loss, rel=1e-12)
        for step in trace.steps:
            for term in step.terms:
                assert term.expr.value == pytest.approx(term.result, rel=1e-12, abs=1e-12)


def test_saturated_outputs_keep_the_trees_finite_and_true():
    net = Network(
        [np.array([[400.0], [-300.0]]), np.array([[4.0, 1.0], [-2.0, 3.0]])],
        [np.zeros(2), np.zeros(2)],
        ["linear", "softmax"],
    )
    x, y = np.array([[2.0]]), np.array([[0.0, 1.0]])
    trace = trace_iteration(net, "cce", Optimizer("sgd"), TrainingConfig(), x, y)
    assert np.isfinite(trace.loss)
    for step in trace.steps[:4]:
        for term in step.terms:
            assert term.expr.value == pytest.approx(term.result, rel=1e-12, abs=1e-12)
    net = Network([np.array([[60.0]])], [np.zeros(1)], ["sigmoid"])
    trace = trace_iteration(net, "bce", Optimizer("sgd"), TrainingConfig(), [[1.0]], [[0.0]])
    (term, total) = trace.steps[1].terms
    assert term.expr.value == pytest.approx(60.0, rel=1e-12)


def test_labels_that_no_longer_fit_are_left_out():
    labels = dict(MAZUR_LABELS, weights=[[["w1", "w2", "w9"]], MAZUR_LABELS["weights"][1]])
    config = TrainingConfig(learning_rate=0.5)
    trace = trace_sample(
        mazur_network(), "sse", Optimizer("sgd", 0.5), config, [0.05, 0.1], [0.01, 0.99], labels
    )
    first = trace.steps[0].terms[0]
    assert render_symbolic(first) == "z_h1 = w^1_11 * x_i1 + w^1_12 * x_i2 + b1"
    assert find(trace, "backward", "dL/dw", "w5").result == trace.dW[1][0, 0]


def test_walkthrough_of_a_wide_batch_shows_sample_one_and_elides():
    x, y = random_data(30, 3, 2, "mse", seed=1)
    net = Network.initialized([3, 12, 2], ["tanh", "linear"], "xavier_uniform", 0)
    trace = trace_iteration(
        net, "mse", Optimizer("momentum", 0.1), TrainingConfig(optimizer="momentum"), x, y
    )
    text = format_walkthrough(trace, digits=4)
    assert "a batch of 30 samples" in text
    assert "Forward: layer 1 (hidden) (per-sample lines: sample 1 of 30)" in text
    assert "... (4 more neurons)" in text
    assert "dL/dw^2_11 = sum_s delta^2_1[s] * a^1_1[s] = " in text
    assert "(26 more)" in text
    html = format_walkthrough(trace, digits=4, style="html")
    assert "<b>Loss: mse" in html and "<sub>" in html
    assert "δ" in format_walkthrough(trace, style="unicode")

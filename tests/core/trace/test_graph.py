"""The computational graph of a neuron: every node's value and gradient is the trace's (z, a,
δ, dW, db, the loss terms), upstream × local = downstream at every node, and the gradients
are the loss's derivatives (finite differences)."""

from __future__ import annotations

import re

import pytest

from core.engine import activations, losses
from core.trace.chain import chain_rule
from core.trace.graph import (
    ScalarGraph,
    network_graph,
    neuron_graph,
    whole_network_problem,
)
from core.trace.graph_lines import frame_text
from core.trace.iteration import IterationTrace
from tests.core.trace.test_chain import RANDOM, lesson_trace, random_trace
from tests.core.trace.traces import mazur_trace


def traces() -> dict[str, IterationTrace]:
    found = {"mazur": mazur_trace()}
    for name in ("xor_script", "softmax_blobs"):
        found[name] = lesson_trace(name)
    for n, (layers, names, loss, batch) in enumerate(RANDOM):
        found["-".join(map(str, layers)) + f" {'/'.join(names)} {loss} n={batch}"] = random_trace(
            layers, names, loss, batch, seed=n
        )
    return found


TRACES = traces()


def neurons(trace: IterationTrace):
    for l in range(1, len(trace.layers)):
        yield from ((l, i) for i in range(trace.layers[l]))


def samples(trace: IterationTrace) -> list[int]:
    return sorted({0, trace.n - 1})


def close(a: float, b: float, scale: float = 1.0) -> bool:
    return abs(a - b) <= 1e-12 * max(1.0, abs(scale))


def check_against_trace(trace: IterationTrace, graph: ScalarGraph) -> int:
    """Every node of ``graph`` against the trace's own numbers; returns how many."""
    s, t, checked = graph.sample, trace, 0
    for node in graph.nodes:
        kind, rest = node.key[0], re.sub(r"^[a-zA-Z]+", "", node.key)
        idx = [int(v) for v in rest.split("_")] if rest else []
        if node.key == "L":
            assert node.value == t.loss and node.grad == 1.0
        elif node.op == "loss" and t.loss_name == "cce":
            assert node.value == pytest.approx(t.loss_terms[s].sum(), abs=1e-15)
        elif node.op == "loss":
            assert node.value == t.loss_terms[s, int(node.key[4:])]
        elif kind == "z":
            l, i = idx
            assert node.value == t.z[l - 1][s, i] and node.grad == t.delta[l - 1][s, i]
        elif kind == "a":
            l, i = idx
            assert node.value == t.a[l][s, i]
        elif kind == "w":
            l, i, j = idx
            assert node.value == t.weights_before[l - 1][i, j]
            assert node.grad == t.sample_gradients(s)[0][l - 1][i, j]
            if t.n == 1:
                assert node.grad == pytest.approx(t.dW[l - 1][i, j], rel=1e-15, abs=1e-300)
            else:
                assert node.total == t.dW[l - 1][i, j]
        elif kind == "b":
            l, i = idx
            assert node.value == t.biases_before[l - 1][i] and node.grad == t.delta[l - 1][s, i]
            assert t.n == 1 or node.total == t.db[l - 1][i]
        elif kind == "s":
            l, i = idx
            z, b = t.z[l - 1][s, i], t.biases_before[l - 1][i]
            assert close(node.value + b, z, abs(node.value) + abs(b))
        checked += 1
    for key in graph.order:  # upstream × local = downstream, node by node
        node = graph.node(key)
        if node.op != "L":
            assert close(graph.downstream(key), node.grad, node.grad), (key, frame_text(graph, key))
    return checked


@pytest.mark.parametrize("name", list(TRACES))
def test_every_neurons_graph_holds_the_traces_numbers(name):
    trace = TRACES[name]
    for l, i in neurons(trace):
        for s in samples(trace):
            for expand in (False, True):
                graph = neuron_graph(trace, l, i, s, expand)
                assert check_against_trace(trace, graph) == len(graph.nodes)
                assert graph.order[0] == "L" and len(set(graph.order)) == len(graph.order)
                for n, key in enumerate(graph.order):  # upstream first, always
                    assert {e.target for e in graph.out_of(key)} <= set(graph.order[:n])


@pytest.mark.parametrize("name", list(TRACES))
def test_a_hidden_neurons_gradient_is_the_chain_rules_sum_over_the_next_layer(name):
    trace = TRACES[name]
    for l, i in neurons(trace):
        if l == len(trace.layers) - 1:
            continue
        graph, chain = neuron_graph(trace, l, i), chain_rule(trace, l, i, 0)
        assert graph.node(f"a{l}_{i}").grad == chain.factors[0].term.result
        paths = [graph.node(f"m{l + 1}_{k}_{i}").grad * graph.node(f"w{l + 1}_{k}_{i}").value
                 for k in range(trace.layers[l + 1])]  # fmt: skip
        assert [p.term.result for p in chain.paths] == paths


def test_mazurs_output_neuron_o1_reads_as_his_post():
    graph = neuron_graph(mazur_trace(), 2, 0)
    digits = {k: round(graph.node(k).grad, 9) for k in ("a2_0", "z2_0", "w2_0_0")}
    assert digits == {"a2_0": 0.74136507, "z2_0": 0.138498562, "w2_0_0": 0.082167041}
    assert graph.node("L").value == pytest.approx(0.298371109, abs=1e-9)
    assert graph.order[:4] == ("L", "loss0", "a2_0", "z2_0")
    assert frame_text(graph, "w2_0_0") == "∂L/∂w5 = 0.1385 × 0.5933 = 0.08217"
    assert frame_text(graph, "a2_0") == "∂L/∂aₒ₁ = 1 × 0.7414 = 0.7414"
    names = {node.name for node in graph.nodes}
    assert {"w5", "w6", "b2", "aₕ₁", "aₕ₂", "zₒ₁", "aₒ₁", "L"} <= names


def test_mazurs_hidden_neuron_h1_collapses_then_expands_the_outputs():
    trace = mazur_trace()
    graph = neuron_graph(trace, 1, 0)
    collapsed = [e for e in graph.edges if e.collapsed]
    assert [(e.source, e.local) for e in collapsed] == [
        ("z2_0", trace.delta[1][0, 0]),
        ("z2_1", trace.delta[1][0, 1]),
    ]
    assert round(graph.node("w1_0_0").grad, 9) == 0.000438568  # Mazur's ∂E/∂w1
    assert "aₒ₁" not in {n.name for n in graph.nodes}
    open_ = neuron_graph(trace, 1, 0, expand=True)
    assert not any(e.collapsed for e in open_.edges)
    assert {"aₒ₁", "aₒ₂", "Lₒ₁", "Lₒ₂"} <= {n.name for n in open_.nodes}
    assert open_.node("w1_0_0").grad == graph.node("w1_0_0").grad


def test_the_whole_network_fits_for_mazur_and_xor_not_for_the_spiral():
    for name in ("mazur", "xor_script"):
        trace = TRACES[name]
        assert whole_network_problem(trace) is None
        graph = network_graph(trace)
        assert check_against_trace(trace, graph) == len(graph.nodes)
        weights = sum(a * b for a, b in zip(trace.layers, trace.layers[1:]))
        assert sum(n.op == "w" for n in graph.nodes) == weights
    spiral = lesson_trace("spiral")
    assert "neurons" in whole_network_problem(spiral)
    with pytest.raises(ValueError, match="up to 12 neurons"):
        network_graph(spiral)


def test_softmax_cross_entropy_takes_z_directly():
    trace = TRACES["softmax_blobs"]
    graph = neuron_graph(trace, 2, 1, sample=3)
    a = graph.node("a2_1")
    assert a.grad is None and a.key not in graph.order  # forward only
    (edge,) = [e for e in graph.edges if e.target == "loss"]
    expected = (trace.a[-1][3, 1] - trace.y[3, 1]) / trace.n
    assert edge.source == "z2_1" and edge.local == expected
    assert graph.node("z2_1").grad == trace.delta[-1][3, 1]
    assert "1/n" in graph.note and "batch of 16" in graph.note


def test_batches_show_the_samples_share_and_the_sum():
    trace = TRACES["xor_script"]
    graph = neuron_graph(trace, 2, 0, sample=2)
    w = graph.node("w2_0_1")
    shares = [neuron_graph(trace, 2, 0, s).node("w2_0_1").grad for s in range(trace.n)]
    assert w.total == trace.dW[1][0, 1] and sum(shares) == pytest.approx(w.total, rel=1e-13)
    assert "Σ_s" in frame_text(graph, "w2_0_1")


def test_a_neuron_or_sample_that_is_not_there_is_refused():
    trace = mazur_trace()
    for layer, i in ((0, 0), (3, 0), (1, 2)):
        with pytest.raises(ValueError, match="no neuron"):
            neuron_graph(trace, layer, i)
    with pytest.raises(ValueError, match="samples"):
        neuron_graph(trace, 1, 0, sample=1)


# --- finite differences: ∂L/∂node is the derivative of the batch loss ---


def batch_loss(trace: IterationTrace, where: tuple, eps: float) -> float:
    """The trace's batch loss with one number nudged by eps: ("w", l, i, j), ("b", l, i),
    ("a", l, s, i) (l = 0: x) or ("z", l, s, i)."""
    weights = [w.copy() for w in trace.weights_before]
    biases = [b.copy() for b in trace.biases_before]
    if where[0] == "w":
        weights[where[1] - 1][where[2], where[3]] += eps
    if where[0] == "b":
        biases[where[1] - 1][where[2]] += eps
    a = trace.x.copy()
    z = a
    for l, (w, b, name) in enumerate(zip(weights, biases, trace.activation_names), start=1):
        if where[0] == "a" and where[1] == l - 1:
            a[where[2], where[3]] += eps
        z = a @ w.T + b
        if where[0] == "z" and where[1] == l:
            z[where[2], where[3]] += eps
        a = activations.get(name).f(z)
    if where[0] == "a" and where[1] == len(weights):
        a[where[2], where[3]] += eps
    return losses.get(trace.loss_name).value(z, a, trace.y)


def derivative(trace: IterationTrace, where: tuple) -> float:
    h = 1e-6
    return (batch_loss(trace, where, h) - batch_loss(trace, where, -h)) / (2 * h)


@pytest.mark.parametrize("name", ["mazur", "xor_script", "softmax_blobs", *list(TRACES)[3:5]])
def test_gradients_are_the_losss_derivatives(name):
    trace = TRACES[name]
    s = trace.n - 1
    last = len(trace.layers) - 1
    for l, i in neurons(trace):
        graph = neuron_graph(trace, l, i, s)
        wanted = {
            f"z{l}_{i}": ("z", l, s, i),
            f"a{l - 1}_0": ("a", l - 1, s, 0),
        }
        if l < last or trace.loss_name not in ("bce", "cce"):
            wanted[f"a{l}_{i}"] = ("a", l, s, i)
        for key, where in wanted.items():
            node = graph.node(key)
            expected = derivative(trace, where)
            if key.startswith("a") and where[1] == l - 1:  # a_j's path through i only
                whole = network_graph(trace, s) if whole_network_problem(trace) is None else None
                if whole is None:
                    continue
                node = whole.node(key)
            assert node.grad == pytest.approx(expected, rel=1e-5, abs=1e-9), key
        w, b = graph.node(f"w{l}_{i}_0"), graph.node(f"b{l}_{i}")
        for node, where in ((w, ("w", l, i, 0)), (b, ("b", l, i))):
            total = node.grad if trace.n == 1 else node.total
            assert total == pytest.approx(derivative(trace, where), rel=1e-5, abs=1e-9)


def test_the_graph_follows_a_buggy_trace_and_shows_where_the_chain_rule_breaks():
    from dataclasses import replace

    from core.trace.graph_lines import holds

    trace = mazur_trace()
    grad_a = trace.a[2] - trace.y  # "forgot f'(z)": the output delta without σ'(z)
    buggy = replace(trace, delta=[trace.delta[0], grad_a])
    graph = neuron_graph(buggy, 2, 0)
    assert graph.node("z2_0").grad == grad_a[0, 0]
    assert graph.node("w2_0_0").grad == grad_a[0, 0] * trace.a[1][0, 0]  # follows the trace
    broken = [key for key in graph.order if not holds(graph, key)]
    assert broken == ["z2_0"]
    assert "breaks the chain rule" in frame_text(graph, "z2_0")
    assert all(holds(neuron_graph(trace, 2, 0), key) for key in graph.order)

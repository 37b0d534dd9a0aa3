"""The traced iteration: Mazur's numbers, agreement with the trainer, steps, terms and trees."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from core.engine import losses
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.trainer import Trainer, TrainingConfig
from core.trace.expr import Term, Value
from core.trace.formula import format_walkthrough, render_numeric, render_symbolic
from core.trace.iteration import trace_iteration, trace_sample

MAZUR_LABELS = {
    "neurons": [["i1", "i2"], ["h1", "h2"], ["o1", "o2"]],
    "weights": [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"], ["w7", "w8"]]],
    "biases": [["b1", "b1"], ["b2", "b2"]],
}


def mazur_network() -> Network:
    weights = [np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])]
    biases = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]
    return Network(weights, biases, ["sigmoid", "sigmoid"])


def mazur_trace():
    config = TrainingConfig(optimizer="sgd", learning_rate=0.5, train_biases=False)
    optimizer = Optimizer("sgd", lr=0.5)
    x, y = [0.05, 0.10], [0.01, 0.99]
    return trace_sample(mazur_network(), "sse", optimizer, config, x, y, MAZUR_LABELS)


def close(actual: float, printed: str) -> None:
    """actual agrees with a number printed in the blog post to its last printed decimal."""
    decimals = len(printed.split(".")[1])
    assert abs(actual - float(printed)) <= 10.0**-decimals, (actual, printed)


def find(trace, phase: str, name: str, label: str) -> Term:
    """The term of ``phase`` whose target is ``name`` with lesson label ``label``."""
    for step in trace.steps:
        if step.phase == phase:
            for term in step.terms:
                if term.target.name == name and term.target.label == label:
                    return term
    raise LookupError(f"no {name} {label} in {phase}")


def test_mazur_step_by_step_example_number_for_number():
    t = mazur_trace()
    close(t.z[0][0, 0], "0.3775")
    close(t.a[1][0, 0], "0.593269992")
    close(t.a[1][0, 1], "0.596884378")
    close(t.a[2][0, 0], "0.75136507")
    close(t.a[2][0, 1], "0.772928465")
    close(t.loss, "0.298371109")
    close(t.loss_terms[0, 0], "0.274811083")
    close(t.loss_terms[0, 1], "0.023560026")
    close(t.delta[1][0, 0], "0.138498562")
    close(t.dW[1][0, 0], "0.082167041")
    close(t.dW[0][0, 0], "0.000438568")
    after = t.weights_after
    for value, printed in zip(
        after[1].ravel(), ["0.35891648", "0.408666186", "0.511301270", "0.561370121"]
    ):
        close(value, printed)
    for value, printed in zip(
        after[0].ravel(), ["0.149780716", "0.19956143", "0.24975114", "0.29950229"]
    ):
        close(value, printed)
    np.testing.assert_array_equal(t.biases_after[0], [0.35, 0.35])
    np.testing.assert_array_equal(t.update_biases[1], [0.0, 0.0])
    new = Network(t.weights_after, t.biases_after, ["sigmoid", "sigmoid"])
    fp = new.forward(t.x)
    loss_after = losses.get("sse").value(fp.z[-1], fp.a[-1], t.y)
    assert loss_after == pytest.approx(0.29102777369, abs=1e-10)
    assert t.loss_after == loss_after  # the trace's own: the corrected error after the step
    change = t.steps[-1].terms[1]  # ΔL = L⁺ - L
    assert change.result == pytest.approx(0.29102777369 - 0.298371109, abs=1e-9)


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
    assert render_numeric(w5, 8) == "0.4 - 0.5 * 0.082167041 = 0.35891648"


def test_mazur_walkthrough_reads_like_the_blog_post():
    text = format_walkthrough(mazur_trace(), digits=6)
    assert "z_h1 = w1 * x_i1 + w2 * x_i2 + b1 = 0.15 * 0.05 + 0.2 * 0.1 + 0.35 = 0.3775" in text
    assert "dL/dw5 = delta_o1 * a_h1 = 0.138499 * 0.59327 = 0.082167" in text
    assert "w1(new) = w1 - lr * dL/dw1 = 0.15 - 0.5 * 0.000438568 = 0.149781" in text
    assert "biases are frozen" in text
    order = [text.index(s.title) for s in mazur_trace().steps]
    assert order == sorted(order)


# --- agreement with the fast trainer ---


def _data(n: int, d: int, k: int, loss: str, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    if loss == "cce":
        y = np.eye(k)[rng.integers(0, k, n)]
    elif loss == "bce":
        y = rng.integers(0, 2, (n, k)).astype(float)
    else:
        y = rng.normal(size=(n, k))
    return x, y


TRAINER_CASES = [
    ([3, 5, 2], ["tanh", "linear"], "mse", dict(optimizer="sgd", learning_rate=0.1)),
    ([2, 4, 3, 1], ["relu", "tanh", "sigmoid"], "bce", dict(optimizer="momentum", l2=0.01)),
    ([3, 6, 3], ["sigmoid", "softmax"], "cce", dict(optimizer="adam", learning_rate=0.01, l1=1e-3)),
    ([2, 3, 2], ["leaky_relu", "sigmoid"], "sse", dict(optimizer="adam", train_biases=False)),
    (
        [2, 5, 4, 2],
        ["tanh", "relu", "linear"],
        "mse",
        dict(optimizer="momentum", l1=1e-3, l2=1e-2, train_biases=False, shuffle=True, seed=4),
    ),
]


def _snapshot(trainer: Trainer):
    return (
        [w.copy() for w in trainer.network.weights],
        [b.copy() for b in trainer.network.biases],
        copy.deepcopy(trainer.optimizer.state(0)),
        trainer.optimizer.t,
        trainer.optimizer.lr,
    )


@pytest.mark.parametrize("warmup", [0, 3])
@pytest.mark.parametrize(("layers", "acts", "loss", "settings"), TRAINER_CASES)
def test_trace_agrees_with_the_fast_trainer(layers, acts, loss, settings, warmup):
    x, y = _data(20, layers[0], layers[-1], loss)
    config = TrainingConfig(batch_size=7, **settings)
    net = Network.initialized(layers, acts, "xavier_uniform", 5)
    trainer = Trainer(net, loss, config, x, y)
    for _ in range(warmup):
        trainer.step()
    rows = trainer.next_batch()
    before = _snapshot(trainer)
    trace = trace_iteration(trainer.network, loss, trainer.optimizer, config, x[rows], y[rows])
    after_trace = _snapshot(trainer)  # tracing touched nothing
    for was, now in zip(before[:2], after_trace[:2]):
        for a, b in zip(was, now):
            np.testing.assert_array_equal(a, b)
    assert before[2].keys() == after_trace[2].keys()
    for key in before[2]:
        np.testing.assert_array_equal(before[2][key], after_trace[2][key])
    assert before[3:] == after_trace[3:]
    value = trainer.step()
    assert trace.loss == pytest.approx(value, rel=1e-12, abs=1e-15)
    for l in range(len(layers) - 1):
        np.testing.assert_allclose(trace.dW[l], trainer.fast.dW[l], rtol=0, atol=1e-12)
        np.testing.assert_allclose(trace.db[l], trainer.fast.db[l], rtol=0, atol=1e-12)
        np.testing.assert_allclose(trace.weights_after[l], net.weights[l], rtol=0, atol=1e-12)
        np.testing.assert_allclose(trace.biases_after[l], net.biases[l], rtol=0, atol=1e-12)
        update = trace.weights_after[l] - trace.weights_before[l]
        np.testing.assert_array_equal(trace.update_weights[l], update)
    if not config.train_biases:
        assert all(not np.any(u) for u in trace.update_biases)
        np.testing.assert_array_equal(trace.db[0], trace.delta[0].sum(axis=0))


def test_the_traced_optimizer_continues_the_run_exactly():
    """Two traced iterations, the second from the first's weights and optimizer_after,
    land where two trainer steps do: the trace's update can be applied as it is."""
    x, y = _data(12, 2, 1, "mse")
    config = TrainingConfig(optimizer="adam", learning_rate=0.05, l2=1e-3)
    net = Network.initialized([2, 4, 1], ["tanh", "linear"], "xavier_uniform", 1)
    trainer = Trainer(net, "mse", config, x, y)
    trainer.step()
    first = trace_iteration(net, "mse", trainer.optimizer, config, x, y)
    traced = Network(first.weights_after, first.biases_after, net.activation_names)
    second = trace_iteration(traced, "mse", first.optimizer_after, config, x, y)
    trainer.step()
    trainer.step()
    assert second.optimizer_after.t == trainer.optimizer.t == 3
    for a, b in zip(second.weights_after + second.biases_after, net.weights + net.biases):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


# --- steps, terms and trees ---


def _value_of(trace, symbol) -> float:
    """The trace's array entry that a symbol names."""
    name, l, i, j, s = symbol.name, symbol.layer, symbol.i, symbol.j, symbol.sample
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


SETTINGS = [
    dict(optimizer="sgd", learning_rate=0.3, l1=1e-3, l2=1e-2),
    dict(optimizer="momentum", learning_rate=0.1),
    dict(optimizer="adam", learning_rate=0.01, train_biases=False),
]


def _trace_2321(settings: dict, loss: str = "bce", n: int = 4, warmup: int = 2):
    x, y = _data(n, 2, 1, loss, seed=3)
    config = TrainingConfig(**settings)
    net = Network.initialized([2, 3, 2, 1], ["tanh", "relu", "sigmoid"], "xavier_uniform", 2)
    trainer = Trainer(net, loss, config, x, y)
    for _ in range(warmup):
        trainer.step()
    return trace_iteration(trainer.network, loss, trainer.optimizer, config, x, y)


@pytest.mark.parametrize("settings", SETTINGS)
def test_steps_come_in_lecture_order_and_every_term_is_true(settings):
    trace = _trace_2321(settings)
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


def test_traced_gradients_match_central_differences():
    trace = _trace_2321(SETTINGS[0], loss="bce", n=5, warmup=0)
    acts = trace.activation_names
    bce = losses.get("bce")

    def loss_with(l: int, i: int, j: int, step: float) -> float:
        weights = [w.copy() for w in trace.weights_before]
        weights[l][i, j] += step
        fp = Network(weights, trace.biases_before, acts).forward(trace.x)
        return bce.value(fp.z[-1], fp.a[-1], trace.y)

    h = 1e-6
    for l, dW in enumerate(trace.dW):
        for (i, j), analytic in np.ndenumerate(dW):
            numeric = (loss_with(l, i, j, h) - loss_with(l, i, j, -h)) / (2 * h)
            assert analytic == pytest.approx(numeric, abs=1e-8)


def test_term_counts_per_step_for_a_batch():
    n = 4
    trace = _trace_2321(SETTINGS[0], n=n)  # sgd with l1 and l2: g, then w(new), per weight
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
    trace = _trace_2321(settings)
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
            == "w^3_12(new) = w^3_12 - lr * m_hat(w^3_12) / (sqrt(v_hat(w^3_12)) + eps)"
        )
        (m_hat,) = step.select(i=0, j=1, kind="m_hat")
        assert render_symbolic(m_hat) == "m_hat(w^3_12) = m(w^3_12)(new) / (1 - beta1^t)"
    else:
        assert render_symbolic(w) == "w^3_12(new) = w^3_12 - lr * v(w^3_12)(new)"
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
        x, y = _data(3, 2, k, loss, seed=7)
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


def test_trace_sample_is_a_batch_of_one_and_the_arrays_are_read_only():
    net = mazur_network()
    config = TrainingConfig(optimizer="sgd", learning_rate=0.5)
    one = trace_sample(net, "sse", Optimizer("sgd", 0.5), config, [0.05, 0.1], [0.01, 0.99])
    batch = trace_iteration(
        net, "sse", Optimizer("sgd", 0.5), config, [[0.05, 0.1]], [[0.01, 0.99]]
    )
    for a, b in zip(one.weights_after, batch.weights_after):
        np.testing.assert_array_equal(a, b)
    assert one.n == 1 and one.layers == [2, 2, 2]
    with pytest.raises(ValueError):
        one.weights_after[0][0, 0] = 1.0
    with pytest.raises(ValueError):
        one.a[0][0, 0] = 1.0
    assert not np.array_equal(one.biases_after[0], one.biases_before[0])  # biases train here


def test_bad_inputs_and_foreign_optimizer_state_are_refused():
    net = mazur_network()
    config = TrainingConfig()
    with pytest.raises(ValueError, match="x must have shape"):
        trace_iteration(net, "sse", Optimizer(), config, np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="y must have shape"):
        trace_iteration(net, "sse", Optimizer(), config, np.zeros((2, 2)), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="cce"):
        trace_iteration(net, "cce", Optimizer(), config, np.zeros((1, 2)), np.zeros((1, 2)))
    per_array = Optimizer("momentum")
    per_array.step(net.parameters(), [np.ones_like(p) for p in net.parameters()])
    with pytest.raises(ValueError, match="optimizer's state"):
        trace_iteration(net, "sse", per_array, config, np.zeros((1, 2)), np.zeros((1, 2)))


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
    x, y = _data(30, 3, 2, "mse", seed=1)
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


def test_trace_next_step_is_the_step_the_trainer_takes_next():
    from core.engine.trainer import trainer_for
    from core.session.format import load_session
    from core.session.lessons import resolve
    from core.trace.iteration import trace_next_step

    session = load_session(resolve("spiral"))
    trainer = trainer_for(session)
    for _ in range(3):
        trainer.step()  # adam's state and the shuffled order are under way
    trace = trace_next_step(trainer, session.labels)
    loss = trainer.step()
    assert trace.loss == pytest.approx(loss, rel=1e-12)
    for after, now in zip(trace.weights_after, session.network.weights):
        np.testing.assert_allclose(after, now, rtol=1e-12, atol=1e-15)


def test_a_batchs_gradient_unfolds_into_per_sample_parts_that_sum_to_it():
    from core.engine.trainer import trainer_for
    from core.session.format import load_session
    from core.session.lessons import resolve
    from core.trace.expr import sample_parts
    from core.trace.iteration import trace_next_step

    session = load_session(resolve("playground_default"))
    trace = trace_next_step(trainer_for(session), session.labels)
    assert trace.n > 1
    parts = [trace.sample_gradients(s) for s in range(trace.n)]
    for l in range(len(trace.dW)):
        np.testing.assert_allclose(sum(p[0][l] for p in parts), trace.dW[l], rtol=0, atol=1e-15)
        np.testing.assert_allclose(sum(p[1][l] for p in parts), trace.db[l], rtol=0, atol=1e-15)
    backward = next(step for step in trace.steps if step.phase == "backward")
    block = next(b for b in backward.terms.blocks if b.what == "weight gradients")
    term = backward.terms.of(block)[0]
    t = term.target
    found = sample_parts(term)
    assert [s for s, _ in found] == list(range(trace.n))
    for s, item in found:  # the formula's parts are the same numbers, to the bit
        assert item.value == trace.sample_gradients(s)[0][t.layer - 1][t.i, t.j]

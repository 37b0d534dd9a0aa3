"""The traced iteration: Mazur's numbers, the fast trainer, finite differences, per-sample parts."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from core.engine import losses
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.trainer import Trainer, trainer_for
from core.session.format import load_session
from core.trace.iteration import layer_norms, trace_iteration, trace_next_step, trace_sample
from tests import paths
from tests.core.trace.traces import (
    SETTINGS,
    mazur_network,
    mazur_trace,
    random_data,
    trace_2321,
)


def close(actual: float, printed: str) -> None:
    """actual agrees with a number printed in the blog post to its last printed decimal."""
    decimals = len(printed.split(".")[1])
    assert abs(actual - float(printed)) <= 10.0**-decimals, (actual, printed)


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
    x, y = random_data(20, layers[0], layers[-1], loss)
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
    x, y = random_data(12, 2, 1, "mse")
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


def test_traced_gradients_match_central_differences():
    trace = trace_2321(SETTINGS[0], loss="bce", n=5, warmup=0)
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


def test_layer_norms_show_the_gradient_vanishing_on_its_way_back() -> None:
    session = load_session(paths.LESSONS / "vanishing_gradients.json")
    trace = trace_next_step(trainer_for(session), session.labels)
    norms = layer_norms(trace)
    assert len(norms) == len(session.network.layers) - 1
    for (delta, grad), d, g in zip(norms, trace.delta, trace.dW):
        assert delta == pytest.approx(np.sqrt((d * d).sum()), rel=1e-14)
        assert grad == pytest.approx(np.sqrt((g * g).sum()), rel=1e-14)
    assert norms[0][1] < norms[-1][1] / 100  # the lesson's point: two decades and more

"""Issue 9: one convention in every text the trace writes: a true minus sign, the controls'
activation names, counts that agree with their nouns, each per-sample quantity of a batch
with its sample (and a batch of one without), the target's value in sight."""

from __future__ import annotations

import re

import numpy as np

from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.trainer import TrainingConfig
from core.trace import tables
from core.trace.formula import format_walkthrough, render_numeric, render_symbolic
from core.trace.iteration import trace_iteration
from core.trace.notation import Precision, count, feature_name, format_number
from tests.core.trace.traces import MAZUR_LABELS, mazur_trace, random_data, trace_2321


def _term(trace, phase: str, name: str, layer: int | None = None, **fixed):
    step = next(s for s in trace.steps if s.phase == phase and layer in (None, s.layer))
    return next(t for t in step.select(**fixed) if t.target.name == name)


def test_every_number_shown_has_a_true_minus_sign_but_csv_keeps_a_hyphen():
    trace = mazur_trace()
    text = format_walkthrough(trace, Precision(9, decimals=True))
    assert "= −0.038098237" in text and "0.5 − 0.5 * (−0.02260254)" in text
    assert not re.search(r"(?<!\w)-\d", text)  # no hyphen for a sign (2-2-2 is a shape)
    rows = tables.iteration_rows(trace, MAZUR_LABELS)
    assert "| −0.0380982 |" in tables.to_markdown(rows)
    csv = tables.to_csv(rows, 6)
    assert ",-0.0380982\n" in csv and "−" not in csv
    assert format_number(-3.7e-05, 2) == "−3.7e−05"


def test_activations_are_named_as_the_controls_name_them():
    net = Network.initialized([2, 3, 2, 1], ["relu", "leaky_relu", "sigmoid"], "he_normal", 0)
    config = TrainingConfig(learning_rate=0.1)
    trace = trace_iteration(net, "mse", Optimizer("sgd", 0.1), config, [[0.5, -1.0]], [[1.0]])
    text = format_walkthrough(trace)
    assert "(ReLU, leaky ReLU, sigmoid)" in text
    assert "a^1_1 = ReLU(z^1_1) = ReLU(" in text and "a^2_1 = leaky ReLU(z^2_1)" in text
    assert "relu" not in text
    delta = _term(trace, "backward", "delta", 2, i=0, sample=0)
    assert render_symbolic(delta, "unicode").startswith("δ₁¹ = ReLU'(z₁¹) · ")
    delta = _term(trace, "backward", "delta", 3, i=0, sample=0)
    assert render_symbolic(delta, "unicode").startswith("δ₁² = leaky ReLU'(z₁²) · ")


def test_counts_agree_with_their_nouns():
    assert [count(1, "steps"), count(2, "steps"), count(1, "more biases")] == [
        "1 step",
        "2 steps",
        "1 more bias",
    ]
    net = Network.initialized([2, 9, 1], ["tanh", "linear"], "xavier_uniform", 0)
    config = TrainingConfig(learning_rate=0.1)
    trace = trace_iteration(net, "mse", Optimizer("sgd", 0.1), config, [[1.0, 2.0]], [[0.5]])
    text = format_walkthrough(trace)
    assert "... (1 more neuron)" in text and "more neurons" not in text


def test_each_per_sample_quantity_of_a_batch_carries_its_sample():
    trace = trace_2321(dict(optimizer="sgd", learning_rate=0.1), loss="mse", n=4)
    z = _term(trace, "forward", "z", sample=2, i=0)
    assert render_symbolic(z) == "z^1_1[3] = w^1_11 * x_1[3] + w^1_12 * x_2[3] + b^1_1"
    assert render_symbolic(z, "unicode").startswith("z₁¹[3] = ")
    loss = _term(trace, "loss", "L", sample=1, i=0)
    assert render_symbolic(loss).startswith("L_1[2] = 1/(n k) * (y_1[2] − a^3_1[2])^2")
    text = format_walkthrough(trace)
    assert "z^1_1[1] = w^1_11 * x_1[1]" in text
    assert "L = L_1[1] + L_1[2] + L_1[3] + L_1[4] = " in text
    assert "delta^3_1[1] = " in text and "[k]" not in text
    names = [row.quantity for row in tables.iteration_rows(trace, sample=2)]
    assert "z^1_1[3]" in names and "delta^2_1[3]" in names and "L_1[3] (new)" in names
    assert "dL/dw^1_11" in names  # a batch's gradient belongs to no one sample


def test_a_batch_of_one_shows_no_sample_and_every_name_is_one_number():
    trace = mazur_trace()
    assert "[" not in format_walkthrough(trace)
    rows = tables.iteration_rows(trace, MAZUR_LABELS)
    names = [row.quantity for row in rows]
    assert len(set(names)) == len(names)  # dL/db1 and dL/db1′: two biases, two names
    values = {row.quantity: row.value for row in rows}
    assert values["dL/db1"] != values["dL/db1′"]


def test_the_target_is_in_the_output_delta_and_the_loss():
    trace = mazur_trace()
    delta = _term(trace, "output_delta", "delta", sample=0, i=0)
    assert (
        render_numeric(delta, 4, "unicode") == "(0.7514 − 0.01) × 0.1868 = 0.7414 × 0.1868 = 0.1385"
    )
    x, y = random_data(4, 2, 1, "bce", seed=3)
    net = Network.initialized([2, 3, 1], ["tanh", "sigmoid"], "xavier_uniform", 2)
    config = TrainingConfig(learning_rate=0.1)
    bce = trace_iteration(net, "bce", Optimizer("sgd", 0.1), config, x, y)
    target = format_number(y[0, 0], 4)
    loss = render_numeric(_term(bce, "loss", "L", sample=0, i=0), 4)
    assert loss.startswith(f"−0.25 * ({target} * (−") and f"(1 − {target}) * (−" in loss
    out = render_numeric(_term(bce, "output_delta", "delta", sample=0, i=0), 4)
    a = format_number(bce.a[-1][0, 0], 4)
    assert out.startswith(f"0.25 * ({a} − {target}) = 0.25 * ")


def test_features_are_named_as_the_controls_name_them():
    assert [feature_name(f) for f in ("sin(x1)", "x1*x2", "x2^2", "petal")] == [
        "sin x1",
        "x1 x2",
        "x2^2",
        "petal",
    ]
    assert feature_name("sin(x2)", "unicode") == "sin x₂"
    net = Network.initialized([3, 2, 1], ["tanh", "sigmoid"], "xavier_uniform", 0)
    config = TrainingConfig(learning_rate=0.1)
    x = np.array([[0.5, 1.0, np.sin(0.5)]])
    trace = trace_iteration(net, "sse", Optimizer("sgd", 0.1), config, x, [[1.0]])
    text = format_walkthrough(trace, inputs=("x1", "x2", "sin(x1)"))
    assert "Inputs: x_1 = x1, x_2 = x2, x_3 = sin x1" in text
    assert "Inputs" not in format_walkthrough(trace, inputs=("x1", "x2", "x3"))

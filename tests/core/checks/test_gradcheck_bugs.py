"""The gradient check with the bug lab's bugs: it fails on exactly the layers whose
gradient a bug changes, passes for the bugs of the update, and names the worst parameter."""

from __future__ import annotations

import numpy as np
import pytest

from core.checks.gradcheck import gradcheck, trainer_gradcheck
from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.trainer import trainer_for
from core.session.format import load_session
from tests import paths


def failing(report) -> set[int]:
    return {r.layer for r in report.layers if r.failures}


def net_and_rows(layers, activations, rows=4, seed=3):
    rng = np.random.default_rng(seed)
    net = Network.initialized(layers, activations, "xavier_uniform", seed)
    x = rng.normal(size=(rows, layers[0]))
    y = rng.uniform(0.1, 0.9, size=(rows, layers[-1]))
    return net, x, y


# (bug, layers failing) on 2-3-3-3: tanh, tanh, sigmoid with mse on four rows
DEEP = {
    None: set(),
    "no_fprime": {1, 2, 3},  # every delta loses its f'
    "fprime_of_a": {1, 2, 3},
    "transposed": {1, 2},  # the output layer's own gradient is right
    "no_mean": {1, 2, 3},  # delta^L is n times too large, and every delta after it
    "plus": set(),  # the gradient is right: the update is wrong
    "frozen_biases": set(),
    "mazur": {1, 2},  # each hidden delta uses the updated W above it
}


@pytest.mark.parametrize("bug", list(DEEP))
def test_the_check_fails_on_exactly_the_layers_the_bug_touches(bug):
    net, x, y = net_and_rows([2, 3, 3, 3], ["tanh", "tanh", "sigmoid"])
    report = gradcheck(net, "mse", x, y, bug=bug, config=TrainingConfig(learning_rate=0.5))
    assert failing(report) == DEEP[bug]
    assert report.passed == (not DEEP[bug])
    assert report.bug == bug and report.rows == 4
    if DEEP[bug]:
        assert report.worst.failed and report.worst.layer in DEEP[bug]


def test_bce_has_no_output_fprime_to_forget():
    net, x, y = net_and_rows([2, 3, 1], ["tanh", "sigmoid"])
    y = (y > 0.5).astype(float)
    assert failing(gradcheck(net, "bce", x, y, bug="no_fprime")) == {1}


def test_sse_has_no_mean_and_relu_no_fprime_of_a_to_get_wrong():
    net, x, y = net_and_rows([2, 3, 2], ["tanh", "sigmoid"])
    assert failing(gradcheck(net, "sse", x, y, bug="no_mean")) == set()
    net, x, y = net_and_rows([2, 4, 2], ["relu", "linear"])
    assert failing(gradcheck(net, "mse", x, y, bug="fprime_of_a")) == set()


def test_the_worst_parameter_is_named_with_both_gradients():
    trainer = trainer_for(load_session(paths.LESSONS / "mazur.json"))
    trainer.bug = "mazur"
    report = trainer_gradcheck(trainer)
    assert failing(report) == {1}
    worst = report.worst
    assert worst.layer == 1 and worst.failed
    assert abs(worst.analytic - worst.numeric) > 1e-4
    rel = abs(worst.analytic - worst.numeric) / (abs(worst.analytic) + abs(worst.numeric))
    assert worst.rel_error == pytest.approx(rel)
    assert worst.name.startswith(("W^1[", "b^1["))
    text = report.format()
    assert "FAILED" in text and f"worst: {worst.name}" in text


def test_the_update_bugs_say_the_update_is_what_is_wrong():
    trainer = trainer_for(load_session(paths.LESSONS / "mazur.json"))
    trainer.bug = "plus"
    report = trainer_gradcheck(trainer)
    assert report.passed
    assert "the update step is what is wrong" in report.format()


def test_a_network_too_large_to_check_is_refused_in_one_sentence():
    trainer = trainer_for(load_session(paths.LESSONS / "mazur.json"))
    with pytest.raises(ValueError, match="smaller network"):
        trainer_gradcheck(trainer, max_parameters=5)

"""Issue 9: the core writes activations and features as the control panel does, and the
panel and the frames name batch samples and hidden deltas without ambiguity."""

from __future__ import annotations

import re

import numpy as np

from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.trainer import TrainingConfig
from core.trace.iteration import trace_iteration
from core.trace.notation import ACTIVATION_NAMES, FEATURE_NAMES
from gui.controls.fields import FEATURE_LABELS
from gui.controls.network_section import ACTIVATION_NAMES as CONTROL_NAMES
from gui.lecture.equation_panel import terms_html
from gui.lecture.frames import formulas_about
from gui.lecture.plan import LecturePlan


def batch_trace(n: int):
    """An unlabelled 2-2-1 net traced on a batch of ``n`` samples."""
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(n, 2)), rng.normal(size=(n, 1))
    net = Network.initialized([2, 2, 1], ["tanh", "linear"], "xavier_uniform", 0)
    config = TrainingConfig(learning_rate=0.1)
    return trace_iteration(net, "mse", Optimizer("sgd", 0.1), config, x, y)


def test_the_core_spells_activations_and_features_as_the_controls():
    assert ACTIVATION_NAMES == CONTROL_NAMES
    assert {feature: pair[1] for feature, pair in FEATURE_NAMES.items()} == FEATURE_LABELS


def test_unlabelled_frames_name_the_layer_and_the_full_name_of_a_delta():
    titles = [f.title for f in LecturePlan(batch_trace(3), "neuron").frames]
    assert "Output delta: layer 2 (output) · δ₁²" in titles
    assert (
        "Backward: layer 1 (hidden) · δ₁¹" in titles
        and "Backward: layer 1 (hidden) · δ₂¹" in titles
    )
    assert "Backward: layer 2 (output) · into neuron 1" in titles
    assert not any("delta of" in title for title in titles)


def test_everything_about_a_neuron_names_each_sample():
    trace = batch_trace(3)
    title, terms = formulas_about(trace, 1, 0)
    html = re.sub("</?span[^>]*>", "", terms_html(title, terms, 4))  # the formulas' pieces
    for s in (1, 2, 3):
        assert f"z<sub>1</sub><sup>1</sup>[{s}] = " in html
        assert f"δ<sub>1</sub><sup>1</sup>[{s}] = " in html


def test_a_long_batch_counts_the_parts_it_leaves_out():
    trace = batch_trace(17)
    backward = next(step for step in trace.steps if step.phase == "backward")
    dw = next(t for t in backward.terms if t.target.name == "dL/dw")
    html = terms_html("", [dw], 4, part=0)
    assert "… and 1 more sample</i>" in html

"""The session model: settings and diagram edits change the session, keep what fits, undo."""

from __future__ import annotations

import numpy as np
import pytest

from core.session.format import load_session
from gui import session_edits
from gui.model import SessionModel
from tests import paths

LESSONS = paths.LESSONS


@pytest.fixture
def model(qtbot):
    return SessionModel(load_session(LESSONS / "playground_default.json"))


def _params(session):
    return [p.copy() for p in session.network.parameters()]


def test_live_setting_does_not_restart(model, qtbot):
    with (
        qtbot.waitSignal(model.liveChanged) as live,
        qtbot.assertNotEmitted(model.restartNeeded),
    ):
        assert model.set_setting("training.learning_rate", 0.3)
    assert live.args == ["learning_rate", 0.3]
    assert model.session.training.learning_rate == 0.3
    assert model.dirty
    model.undo_stack.undo()
    assert model.session.training.learning_rate == 0.03
    assert not model.dirty


def test_hidden_sizes_keep_the_weights_that_fit(model, qtbot):
    before = _params(model.session)
    with qtbot.waitSignal(model.restartNeeded):
        model.set_setting("network.hidden", [5, 2, 3])
    net = model.session.network
    assert net.layers == [2, 5, 2, 3, 1]
    np.testing.assert_array_equal(net.weights[0][:4], before[0])
    np.testing.assert_array_equal(net.weights[1][:, :4], before[2])
    model.undo_stack.undo()
    for u, v in zip(model.session.network.parameters(), before):
        np.testing.assert_array_equal(u, v)


def test_features_add_and_remove_input_neurons(model):
    w = model.session.network.weights[0].copy()
    model.set_setting("features", ["x1", "x2", "x1^2"])
    assert model.session.network.layers[0] == 3
    assert model.session.dataset.x_train.shape[1] == 3
    np.testing.assert_array_equal(model.session.network.weights[0][:, :2], w)
    model.set_setting("features", ["x2"])
    np.testing.assert_array_equal(model.session.network.weights[0][:, 0], w[:, 1])


def test_switching_data_sets_fits_inputs_and_outputs(model):
    model.set_setting("data.builtin", "blobs")
    s = model.session
    assert s.network.layers[-1] == 3 and s.network.activation_names[-1] == "softmax"
    assert s.loss == "cce" and s.dataset.y_train.shape[1] == 3
    model.set_setting("data.builtin", "sine")
    assert s.features == ["x1"] and s.network.layers[0] == 1
    assert s.network.layers[-1] == 1 and s.loss == "mse"
    assert s.network.activation_names[-1] == "linear"
    model.set_setting("data.builtin", "circle")
    assert s.features == ["x1", "x2"] and s.dataset.kind == "classification"


def test_loss_brings_its_output_layer(model):
    assert model.set_setting("loss", "bce")
    assert model.session.network.activation_names[-1] == "sigmoid"
    assert set(np.unique(model.session.dataset.y_train)) == {0.0, 1.0}
    assert model.set_setting("loss", "mse")
    assert model.session.network.activation_names[-1] == "sigmoid"


def test_refused_edit_reports_and_changes_nothing(model, qtbot):
    before = _params(model.session)
    with qtbot.waitSignal(model.failed) as failed:
        assert not model.set_setting("network.hidden", [5000])  # too wide
    assert "4096" in failed.args[0]
    assert model.session.network.layers == [2, 4, 2, 1]
    for u, v in zip(model.session.network.parameters(), before):
        np.testing.assert_array_equal(u, v)
    assert not model.dirty


def test_diagram_edits_and_weight_edits_undo(model, qtbot):
    model.add_layer(1)
    assert model.session.network.layers == [2, 2, 4, 2, 1]
    model.remove_neuron(2)
    model.set_activation(1, "relu")
    assert model.session.network.activation_names[0] == "relu"
    with qtbot.waitSignal(model.parameterChanged) as changed:
        model.set_weight(0, 1, 0, 0.75)
    assert changed.args == [0, 1, 0, 0.75]
    assert model.session.network.weights[0][1, 0] == 0.75
    for _ in range(4):
        model.undo_stack.undo()
    assert model.session.network.layers == [2, 4, 2, 1]
    assert not model.dirty


def test_init_seed_reinitialises_and_reset_returns_to_run_start(model, qtbot):
    start = _params(model.session)
    model.sync_weights([w * 0 for w in model.session.network.weights], model.session.network.biases)
    with qtbot.waitSignal(model.restartNeeded):
        model.reset_weights()
    for u, v in zip(model.session.network.parameters(), start):
        np.testing.assert_array_equal(u, v)
    model.set_setting("network.init.seed", 7)
    assert not np.array_equal(model.session.network.weights[0], start[0])


def test_is_live():
    assert session_edits.is_live("training.learning_rate")
    assert session_edits.is_live("training.l2")
    assert not session_edits.is_live("training.batch_size")
    assert not session_edits.is_live("data.noise")


def test_a_slider_drag_and_a_wheel_turn_are_one_undo_step_each(model):
    for lr in (0.04, 0.05, 0.06):
        model.set_setting("training.learning_rate", lr)
    for value in (0.1, 0.2, 0.3):
        model.set_weight(0, 0, 0, value)
    model.set_weight(0, 0, 1, 0.5)
    assert model.undo_stack.count() == 3
    model.undo_stack.undo()
    model.undo_stack.undo()
    model.undo_stack.undo()
    assert model.session.training.learning_rate == 0.03
    assert not model.dirty


def test_a_truth_table_trains_on_all_its_rows_and_says_so(model, qtbot):
    assert model.set_setting("data.builtin", "xor_gate")
    data = model.session.dataset
    assert model.session.data["test_ratio"] == 0.0
    assert (len(data.x_train), len(data.x_test)) == (4, 0)
    assert model.set_setting("data.builtin", "circle")  # back to a cloud: the usual half
    assert model.session.data["test_ratio"] == 0.5
    assert model.set_setting("data.test_ratio", 0.2)
    assert model.set_setting("data.builtin", "spiral")  # between clouds the split stays
    assert model.session.data["test_ratio"] == 0.2


def test_the_data_panel_says_a_truth_table_trains_on_every_row(qtbot):
    from gui.controls.panel import ControlPanel

    panel = ControlPanel()
    qtbot.addWidget(panel)
    session = load_session(LESSONS / "playground_default.json")
    session_edits.apply_setting(session, "data.builtin", "xor_gate")
    panel.set_session(session)
    assert "all 4 rows train" in panel.data.problem.text()

"""The Network section: hidden layers, initialiser and seed, and only output/loss pairs
that make sense."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
)

from core.engine.losses import pairing_problem
from core.session.format import load_session
from core.session.lessons import LESSONS_DIR
from gui.controls.network_section import OutputRules
from gui.controls.panel import RESET_HINTS
from tests.gui.controls.panels import LESSONS, type_into


def test_hidden_layer_rows_emit_sizes_and_activations(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    hidden = panel.network.hidden
    hidden.rows[0][1].setValue(6)
    combo = hidden.rows[1][2]
    combo.setCurrentIndex(combo.findData("relu"))
    assert emitted == [
        ("network.hidden", [6, 2]),
        ("network.hidden_activations", ["tanh", "relu"]),
    ]
    assert panel.network.shape.text() == "2 → 6 → 2 → 1"


def test_adding_and_removing_layers_emits_sizes_then_activations(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    hidden = panel.network.hidden
    qtbot.mouseClick(hidden.add_button, Qt.MouseButton.LeftButton)
    assert len(hidden.rows) == 3
    qtbot.mouseClick(hidden.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(hidden.remove_button, Qt.MouseButton.LeftButton)
    assert emitted == [
        ("network.hidden", [4, 2, 2]),
        ("network.hidden_activations", ["tanh", "tanh", "tanh"]),
        ("network.hidden", [4, 2]),
        ("network.hidden_activations", ["tanh", "tanh"]),
        ("network.hidden", [4]),
        ("network.hidden_activations", ["tanh"]),
    ]
    assert panel.network.shape.text() == "2 → 4 → 1"


def test_layer_buttons_stop_at_zero_and_ten_layers(make_panel, qtbot) -> None:
    panel, _ = make_panel()
    hidden = panel.network.hidden
    for _ in range(12):
        if hidden.add_button.isEnabled():
            qtbot.mouseClick(hidden.add_button, Qt.MouseButton.LeftButton)
    assert len(hidden.rows) == 10 and not hidden.add_button.isEnabled()
    while hidden.remove_button.isEnabled():
        qtbot.mouseClick(hidden.remove_button, Qt.MouseButton.LeftButton)
    assert hidden.rows == [] and hidden.empty.isVisible()
    assert panel.network.shape.text() == "2 → 1"


def test_init_scheme_seed_and_dice(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    network = panel.network
    network.init.setCurrentIndex(network.init.findData("he_normal"))
    type_into(qtbot, network.seed, "1234")
    with qtbot.waitSignal(panel.newSeedRequested):
        qtbot.mouseClick(network.dice, Qt.MouseButton.LeftButton)
    assert emitted == [("network.init.scheme", "he_normal"), ("network.init.seed", 1234)]
    assert network.hint.isVisible()


# --- loss and output pairs ----------------------------------------------------------------


def enabled_items(combo: QComboBox) -> list[str]:
    return [combo.itemData(i) for i in range(combo.count()) if combo.model().item(i).isEnabled()]


def test_pairs_without_a_partner_cannot_be_chosen(make_panel) -> None:
    panel, _ = make_panel("xor_script")  # inline data, one output neuron
    assert "softmax" not in enabled_items(panel.network.output)
    assert "cce" not in enabled_items(panel.network.loss)
    panel.set_session(load_session(LESSONS_DIR / "sine_regression.json"))
    assert enabled_items(panel.network.loss) == ["mse", "sse"]
    assert "sigmoid" not in enabled_items(panel.network.output)
    assert "softmax" not in enabled_items(panel.network.output)
    panel.set_session(load_session(LESSONS_DIR / "playground_default.json"))
    assert set(enabled_items(panel.network.loss)) == {"mse", "sse", "bce", "cce"}


def test_choosing_softmax_switches_the_loss_to_cce(make_panel) -> None:
    panel, emitted = make_panel()
    output = panel.network.output
    output.setCurrentIndex(output.findData("softmax"))
    assert emitted == [("network.output_activation", "softmax"), ("loss", "cce")]
    assert panel.network.loss.currentData() == "cce"
    assert panel.network.shape.text() == "2 → 4 → 2 → 2"
    assert panel.network.hint.text() == RESET_HINTS["network"]


def test_choosing_bce_switches_the_output_to_sigmoid(make_panel) -> None:
    panel, emitted = make_panel()
    loss = panel.network.loss
    loss.setCurrentIndex(loss.findData("bce"))
    assert emitted == [("loss", "bce"), ("network.output_activation", "sigmoid")]
    emitted.clear()
    output = panel.network.output
    output.setCurrentIndex(output.findData("tanh"))  # tanh cannot go with bce
    assert emitted == [("network.output_activation", "tanh"), ("loss", "mse")]
    emitted.clear()
    output.setCurrentIndex(output.findData("sigmoid"))  # mse fits sigmoid: no fix-up
    assert emitted == [("network.output_activation", "sigmoid")]


def test_a_fitting_pair_changes_one_key(make_panel) -> None:
    panel, emitted = make_panel("softmax_blobs")
    loss = panel.network.loss
    loss.setCurrentIndex(loss.findData("mse"))
    assert emitted == [("loss", "mse"), ("network.output_activation", "sigmoid")]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_choice_leaves_a_broken_pair(make_panel, path) -> None:
    panel, _ = make_panel(path.stem)
    network = panel.network
    rules = network.rules
    for combo in (network.output, network.loss, network.output):
        for key in enabled_items(combo):
            combo.setCurrentIndex(combo.findData(key))
            output, loss = network.output.currentData(), network.loss.currentData()
            assert rules.problem(loss, output) is None, (key, output, loss)


def test_output_rules_follow_the_core_pairing() -> None:
    rules = OutputRules(n_outputs=1, classes=2)
    assert rules.neurons("softmax") == 2 and rules.neurons("tanh") == 1
    assert rules.partner_loss("softmax", "mse") == "cce"
    assert rules.partner_output("bce", "tanh") == "sigmoid"
    assert rules.partner_output("mse", "softmax") == "sigmoid"
    table = OutputRules(n_outputs=1, classes=None)
    assert table.output_problem("softmax") == pairing_problem("cce", "softmax", 1)

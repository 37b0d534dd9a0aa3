"""The control panel: each control emits its setting, set_session fills every control in
silently, the learning rate is exact and live, and only sensible loss/output pairs exist."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollArea,
)

from core.engine.losses import pairing_problem
from core.session.format import load_session
from core.session.lessons import LESSONS_DIR
from gui.controls.network_section import OutputRules
from gui.controls.panel import RESET_HINTS, ControlPanel

LESSONS = sorted(LESSONS_DIR.glob("*.json"))


@pytest.fixture
def make_panel(qtbot):
    """make_panel(lesson) -> (panel, emitted): a shown panel and the settings it emits."""

    def make(lesson: str = "playground_default"):
        session = load_session(LESSONS_DIR / f"{lesson}.json")
        panel = ControlPanel()
        qtbot.addWidget(panel)
        emitted: list[tuple[str, object]] = []
        panel.settingChanged.connect(lambda key, value: emitted.append((key, value)))
        panel.set_session(session)
        panel.resize(340, panel.sizeHint().height())
        panel.show()
        return panel, emitted

    return make


def type_into(qtbot, spin: QAbstractSpinBox, text: str) -> None:
    """Select the field's text, type ``text`` and press Enter, as a user does."""
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


# --- set_session --------------------------------------------------------------------------


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_set_session_fills_every_control_and_emits_nothing(qtbot, path) -> None:
    session = load_session(path)
    panel = ControlPanel()
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.assertNotEmitted(panel.settingChanged):
        panel.set_session(session)
        panel.set_session(session)  # again, as the window does after every change

    net, config = session.network, session.training
    assert panel.network.hidden.sizes() == list(net.layers[1:-1])
    assert panel.network.hidden.activation_names() == list(net.activation_names[:-1])
    assert panel.network.output.currentData() == net.activation_names[-1]
    assert panel.network.loss.currentData() == session.loss
    assert panel.network.init.currentData() == session.init_scheme
    assert panel.network.seed.value() == session.init_seed
    arrow = " → " if len(net.layers) <= 5 else "→"
    assert panel.network.shape.text() == arrow.join(map(str, net.layers))
    training = panel.training
    assert training.optimizer.currentData() == config.optimizer
    assert training.lr.value() == config.learning_rate
    assert training.fields["beta2"].value() == config.beta2
    assert training.full_batch.isChecked() == (config.batch_size is None)
    if config.batch_size is not None:
        assert training.batch_size.value() == config.batch_size
    assert training.freeze.isChecked() == (not config.train_biases)
    assert training.epochs.value() == config.epochs
    assert training.use_target.isChecked() == (config.target_loss is not None)
    assert (training.l1.value(), training.l2.value()) == (config.l1, config.l2)
    assert not any(section.hint.isVisible() for section in panel.sections.values())


def test_set_session_shows_the_data_settings(make_panel) -> None:
    panel, _ = make_panel("softmax_blobs")
    data = panel.data
    assert data.dataset.currentText() == "Blobs (k classes)"
    assert data.noise.value() == 0.2 and data.noise.label.text() == "0.20"
    assert data.test_ratio.value() == 0.3 and data.test_ratio.label.text() == "70:30"
    assert data.n.value() == 300
    assert data.classes.value() == 3 and data.classes.isVisible()
    assert data.problem.text() == "classification, 3 classes"
    assert data.features.checked() == ["x1", "x2"]


def test_inline_data_is_shown_as_a_disabled_entry_without_features(make_panel) -> None:
    panel, _ = make_panel("xor_script")
    data = panel.data
    assert data.dataset.currentText() == "Inline data (4 rows)"
    assert not data.dataset.model().item(data.dataset.currentIndex()).isEnabled()
    assert not data.features.isVisible()
    assert not data.noise.isVisible() and not data.n.isVisible()
    assert "2 columns" in data.table_inputs.text()
    assert not data.regenerate.isVisible()


def test_a_builtin_session_after_inline_data_drops_the_inline_entry(make_panel) -> None:
    panel, emitted = make_panel("xor_script")
    panel.set_session(load_session(LESSONS_DIR / "spiral.json"))
    texts = [panel.data.dataset.itemText(i) for i in range(panel.data.dataset.count())]
    assert not any(text.startswith("Inline") for text in texts)
    assert panel.data.dataset.currentText() == "Spiral"
    assert panel.data.features.checked() == ["x1", "x2", "sin(x1)", "sin(x2)"]
    assert panel.data.features.isVisible()
    assert emitted == []


# --- each control emits its key and value ------------------------------------------------


def test_data_controls_emit_their_settings(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    data = panel.data
    data.dataset.setCurrentIndex(data.dataset.findData("spiral"))
    data.noise.slider.setValue(5)  # steps of 0.05
    data.test_ratio.slider.setValue(6)
    data.n.setValue(1000)
    data.dataset.setCurrentIndex(data.dataset.findData("blobs"))
    assert data.classes.isVisible()
    data.classes.setValue(5)
    with qtbot.waitSignal(panel.regenerateRequested):
        qtbot.mouseClick(data.regenerate, Qt.MouseButton.LeftButton)
    assert emitted == [
        ("data.builtin", "spiral"),
        ("data.noise", 0.25),
        ("data.test_ratio", 0.3),
        ("data.n", 1000),
        ("data.builtin", "blobs"),
        ("data.classes", 5),
    ]
    assert data.problem.text() == "classification, 5 classes"


def test_typing_the_number_of_points_emits_once(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    type_into(qtbot, panel.data.n, "2000")
    assert emitted == [("data.n", 2000)]


def test_feature_toggles_emit_the_features_in_order(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    buttons = panel.data.features.buttons
    qtbot.mouseClick(buttons["sin(x2)"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(buttons["x1^2"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(buttons["x1"], Qt.MouseButton.LeftButton)
    assert emitted == [
        ("features", ["x1", "x2", "sin(x2)"]),
        ("features", ["x1", "x2", "x1^2", "sin(x2)"]),
        ("features", ["x2", "x1^2", "sin(x2)"]),
    ]


def test_the_last_feature_cannot_be_switched_off(make_panel, qtbot) -> None:
    panel, emitted = make_panel("sine_regression")
    button = panel.data.features.buttons["x1"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.isChecked()
    assert emitted == []
    assert "at least one input" in panel.data.hint.text() and panel.data.hint.isVisible()


def test_sine_offers_only_the_features_of_x1(make_panel) -> None:
    panel, _ = make_panel("sine_regression")
    shown = [f for f, b in panel.data.features.buttons.items() if b.isVisible()]
    assert shown == ["x1", "x1^2", "sin(x1)"]
    assert panel.data.problem.text() == "regression"


def test_choosing_sine_limits_the_features_at_once(make_panel) -> None:
    panel, emitted = make_panel("spiral")
    panel.data.dataset.setCurrentIndex(panel.data.dataset.findData("sine"))
    shown = [f for f, b in panel.data.features.buttons.items() if b.isVisible()]
    assert shown == ["x1", "x1^2", "sin(x1)"]
    assert panel.data.features.checked() == ["x1", "sin(x1)"]
    assert emitted == [("data.builtin", "sine")]  # the session edit fixes its features


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


def test_training_controls_emit_their_settings(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    training = panel.training
    training.optimizer.setCurrentIndex(training.optimizer.findData("momentum"))
    type_into(qtbot, training.fields["momentum"], "0.95")
    training.optimizer.setCurrentIndex(training.optimizer.findData("adam"))
    type_into(qtbot, training.fields["beta1"], "0.8")
    type_into(qtbot, training.fields["beta2"], "0.99")
    type_into(qtbot, training.fields["eps"], "1e-7")
    type_into(qtbot, training.l1, "0.001")
    type_into(qtbot, training.l2, "0.003")
    qtbot.mouseClick(training.freeze, Qt.MouseButton.LeftButton)
    type_into(qtbot, training.epochs, "250")
    assert emitted == [
        ("training.optimizer", "momentum"),
        ("training.momentum", 0.95),
        ("training.optimizer", "adam"),
        ("training.beta1", 0.8),
        ("training.beta2", 0.99),
        ("training.eps", 1e-7),
        ("training.l1", 0.001),
        ("training.l2", 0.003),
        ("training.train_biases", False),
        ("training.epochs", 250),
    ]


def test_optimizer_parameters_show_only_when_they_apply(make_panel) -> None:
    panel, _ = make_panel()
    training = panel.training

    def shown() -> list[str]:
        return [key for key, field in training.fields.items() if field.isVisible()]

    assert shown() == []
    training.optimizer.setCurrentIndex(training.optimizer.findData("momentum"))
    assert shown() == ["momentum"]
    training.optimizer.setCurrentIndex(training.optimizer.findData("adam"))
    assert shown() == ["beta1", "beta2", "eps"]


def test_batch_size_and_full_batch(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    training = panel.training
    assert training.batch_size.maximum() == 250  # the training points
    type_into(qtbot, training.batch_size, "32")
    qtbot.mouseClick(training.full_batch, Qt.MouseButton.LeftButton)
    assert not training.batch_size.isEnabled()
    qtbot.mouseClick(training.full_batch, Qt.MouseButton.LeftButton)
    assert emitted == [
        ("training.batch_size", 32),
        ("training.batch_size", None),
        ("training.batch_size", 32),
    ]


def test_target_loss_is_optional(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    training = panel.training
    assert not training.target.isEnabled()
    qtbot.mouseClick(training.use_target, Qt.MouseButton.LeftButton)
    type_into(qtbot, training.target, "0.005")
    qtbot.mouseClick(training.use_target, Qt.MouseButton.LeftButton)
    assert emitted == [
        ("training.target_loss", 0.01),
        ("training.target_loss", 0.005),
        ("training.target_loss", None),
    ]


# --- the learning rate --------------------------------------------------------------------


def test_typing_a_learning_rate_gives_exactly_that_number(make_panel, qtbot) -> None:
    panel, emitted = make_panel("spiral")
    lr = panel.training.lr
    type_into(qtbot, lr.spin, "0.03")
    assert emitted == [("training.learning_rate", 0.03)]
    assert emitted[0][1] == 0.03 and lr.spin.text() == "0.03"
    assert lr.slider.value() == lr.position_of(0.03)


def test_the_lr_slider_and_field_stay_in_sync(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    lr = panel.training.lr
    lr.slider.setValue(lr.position_of(0.3))
    assert lr.spin.value() == 0.3 and lr.spin.text() == "0.3"
    lr.slider.setValue(0)
    assert lr.spin.text() == "0.00001"
    lr.slider.setValue(lr.slider.maximum())
    type_into(qtbot, lr.spin, "0.0012")
    assert lr.slider.value() == lr.position_of(0.0012)
    assert emitted == [
        ("training.learning_rate", 0.3),
        ("training.learning_rate", 1e-5),
        ("training.learning_rate", 10.0),
        ("training.learning_rate", 0.0012),
    ]


def test_every_slider_position_gives_a_round_rate_in_range(make_panel) -> None:
    panel, _ = make_panel()
    lr = panel.training.lr
    values = [lr.value_at(p) for p in range(lr.slider.maximum() + 1)]
    assert values == sorted(values) and values[0] == 1e-5 and values[-1] == 10.0
    assert {0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0} <= set(values)


def test_the_lr_arrows_step_through_1_2_3_5(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    spin = panel.training.lr.spin
    spin.stepBy(1)
    spin.stepBy(1)
    spin.stepBy(-3)
    assert [value for _, value in emitted] == [0.05, 0.1, 0.02]


def test_a_rate_that_can_be_off_steps_from_0_to_a_useful_value(make_panel) -> None:
    panel, emitted = make_panel()
    l2 = panel.training.l2
    l2.stepBy(1)
    l2.stepBy(1)
    l2.stepBy(-5)
    assert emitted == [("training.l2", 0.0001), ("training.l2", 0.0002), ("training.l2", 0.0)]


def test_letters_cannot_be_typed_into_a_number_field(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    type_into(qtbot, panel.training.lr.spin, "abc")
    assert emitted == [] and panel.training.lr.value() == 0.03


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


# --- hints, tooltips, scrolling -----------------------------------------------------------


def test_a_change_that_restarts_says_so_and_the_learning_rate_does_not(make_panel, qtbot):
    panel, _ = make_panel()
    training = panel.training
    training.lr.slider.setValue(training.lr.position_of(0.1))
    type_into(qtbot, training.l2, "0.01")
    type_into(qtbot, training.epochs, "900")
    assert not training.hint.isVisible() and not panel.data.hint.isVisible()
    training.optimizer.setCurrentIndex(training.optimizer.findData("adam"))
    assert training.hint.isVisible() and training.hint.text() == RESET_HINTS["training"]
    assert not panel.data.hint.isVisible()
    panel.data.noise.slider.setValue(4)
    assert panel.data.hint.isVisible() and panel.data.hint.text() == RESET_HINTS["data"]
    panel.set_session(load_session(LESSONS_DIR / "playground_default.json"))
    assert panel.data.hint.isVisible()  # the window re-populates after every change
    panel.clear_hints()
    assert not any(section.hint.isVisible() for section in panel.sections.values())


def test_show_hint_puts_text_under_a_section(make_panel) -> None:
    panel, _ = make_panel()
    panel.show_hint("network", "Weights kept where they fit.")
    assert panel.network.hint.isVisible()
    assert panel.network.hint.text() == "Weights kept where they fit."
    panel.show_hint("network", "")
    assert not panel.network.hint.isVisible()


def test_every_control_has_a_tooltip(make_panel) -> None:
    panel, _ = make_panel("softmax_blobs")
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QAbstractSlider)
    controls = [w for kind in kinds for w in panel.findChildren(kind) if w.isVisibleTo(panel)]
    assert len(controls) > 25
    assert [w for w in controls if not w.toolTip().strip()] == []
    live = (panel.training.lr.spin, panel.training.l1, panel.training.epochs)
    assert all("immediately" in w.toolTip() for w in live)
    assert all(w.font().pointSizeF() >= 10 for w in controls)


def test_the_panel_fits_a_340_pixel_dock(make_panel) -> None:
    for lesson in ("playground_default", "softmax_blobs", "vanishing_gradients", "mazur"):
        panel, _ = make_panel(lesson)
        assert panel.minimumSizeHint().width() <= 310, lesson


def test_the_wheel_scrolls_the_dock_instead_of_changing_a_setting(make_panel, qtbot) -> None:
    panel, emitted = make_panel()
    area = QScrollArea()
    qtbot.addWidget(area)
    area.setWidgetResizable(True)
    area.setWidget(panel)
    area.resize(340, 400)
    area.show()
    spin = panel.training.epochs
    spin.clearFocus()
    event = QWheelEvent(
        QPointF(5, 5),
        QPointF(spin.mapToGlobal(QPoint(5, 5))),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(spin, event)
    assert spin.value() == 500 and emitted == []
    assert area.verticalScrollBar().value() > 0


def test_lesson_config_round_trip_through_the_controls(make_panel) -> None:
    """Setting every training control to what a session says emits nothing new."""
    panel, emitted = make_panel("vanishing_gradients")
    session = load_session(LESSONS_DIR / "vanishing_gradients.json")
    session.training = dataclasses.replace(session.training, target_loss=0.02, l1=0.003)
    panel.set_session(session)
    assert panel.training.use_target.isChecked() and panel.training.target.value() == 0.02
    assert panel.training.l1.text() == "0.003"
    assert emitted == []

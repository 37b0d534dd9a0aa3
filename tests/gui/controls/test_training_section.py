"""The Training section: optimiser and its parameters, batch size, stop conditions and the
learning-rate field and slider."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.controls.panels import type_into


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

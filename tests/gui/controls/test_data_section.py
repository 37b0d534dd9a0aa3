"""The Data section: its controls, points, features and the sine set."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.controls.panels import type_into

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

"""The control panel as a whole: filled from a session without a signal, hints, tooltips,
its width, the wheel, and a lesson's settings round trip."""

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

from core.session.format import load_session
from core.session.lessons import LESSONS_DIR
from gui.controls.panel import RESET_HINTS, ControlPanel
from tests.gui.controls.panels import LESSONS, type_into

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

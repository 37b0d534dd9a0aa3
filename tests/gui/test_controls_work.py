"""Every visible control works in the real window: the diagram's layer menu, values out of
range (changed, and said so), Space in a number field, notes that belong to one session."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.engine.network import MAX_NEURONS
from tests import paths

TIMEOUT = 20_000


def menu_action(menu, text: str):
    for action in menu.actions():
        if action.text() == text:
            return action
        if action.menu() is not None and (found := menu_action(action.menu(), text)):
            return found
    return None


def test_the_layer_menu_works_in_the_main_window(lesson_window):
    window = lesson_window("playground_default")
    view = window.network_view
    menu_action(view.layer_menu(1), "Add a neuron").trigger()
    assert window.session.network.layers == [2, 5, 2, 1]
    menu_action(view.layer_menu(2), "ReLU").trigger()
    assert window.session.network.activation_names[1] == "relu"
    menu_action(view.layer_menu(2), "Remove layer").trigger()
    assert window.session.network.layers == [2, 5, 1]


def type_and_enter(qtbot, spin, text: str) -> None:
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def test_a_value_out_of_range_is_changed_and_the_status_bar_says_so(lesson_window, qtbot):
    window = lesson_window("playground_default")
    training = window.panel.training
    type_and_enter(qtbot, training.lr.spin, "-5")
    assert training.lr.value() == 1e-5
    assert window.session.training.learning_rate == 1e-5
    message = window.statusBar().currentMessage()
    assert message.startswith("Learning rate: −5" if "−" in message else "Learning rate: -5")
    assert "0.00001" in message and "10" in message
    rows = window.panel.network.hidden
    spin = rows.rows[0][1]
    type_and_enter(qtbot, spin, "5000")
    assert spin.value() == MAX_NEURONS == window.session.network.layers[1]
    assert "Neurons in layer 1: 5,000 is out of range" in window.statusBar().currentMessage()
    assert "Allowed: 1 to 4,096." in spin.toolTip()


def test_a_batch_larger_than_the_data_is_shown_as_it_is_used(lesson_window, qtbot):
    window = lesson_window(paths.LESSONS / "xor_script.json")  # 4 training rows, full batch
    training = window.panel.training
    training.full_batch.setChecked(False)
    type_and_enter(qtbot, training.batch_size, "10")
    assert training.batch_size.value() == 4
    assert "the training rows" in window.statusBar().currentMessage()


def test_space_in_a_number_field_plays_instead_of_typing(lesson_window, qtbot):
    window = lesson_window("playground_default")
    spin = window.panel.training.lr.spin
    type_and_enter(qtbot, spin, "0.1")
    qtbot.keyClick(spin, Qt.Key.Key_Space)  # where the key goes: the field has the focus
    assert spin.lineEdit().text() == "0.1"
    qtbot.waitUntil(lambda: window.worker.playing, timeout=TIMEOUT)
    window.controls.play_action.trigger()
    QApplication.processEvents()


def test_notes_of_one_session_go_with_it(lesson_window):
    window = lesson_window("playground_default")
    window.panel.network.hidden._on_add()  # an edit that restarts training: a note
    assert window.panel.network.hint.isVisible()
    window.files.open_path(paths.LESSONS / "spiral.json", remember=False, wait=True)
    assert not any(s.hint.isVisible() for s in window.panel.sections.values())

"""The panel fixture and typing helpers shared by the control tests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
)

from core.session.format import load_session
from core.session.lessons import LESSONS_DIR
from gui.controls.panel import ControlPanel

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

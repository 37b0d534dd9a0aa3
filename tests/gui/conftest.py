"""Fixtures shared by the GUI tests (pytest-qt provides `qtbot` and `qapp`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QWidget


@pytest.fixture
def show(qtbot) -> Callable[[QWidget, int, int], QWidget]:
    """show(widget, width, height): the widget at that size, shown, exposed, closed after."""

    def shown(widget: QWidget, width: int, height: int) -> QWidget:
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return shown

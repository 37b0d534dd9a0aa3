"""Draw mode's bar above the output map: a button per class in the colour its points get,
Clear (the next stroke starts on an empty map) and Done; its tooltip says what the mouse
does (see :mod:`gui.output.drawing`)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QToolButton

from core.session.format import Session
from gui.output.maps import CLASS_COLORS
from gui.output.plot import font
from gui.presentation import palette

MOST_CLASSES = 10


def class_count(session: Session) -> int:
    """How many classes the picker offers: one per output neuron, or 2 for one output."""
    return min(max(2, session.network.layers[-1]), MOST_CLASSES)


def class_colours(session: Session, palette_name: str) -> list[QColor]:
    """The colour of each class's points on the map: one output's two ends of the map's
    scale, else the class colours."""
    if session.network.layers[-1] == 1:
        scale = palette.palette_named(palette_name).activations
        return [QColor(*(int(v) for v in c[:3])) for c in scale.colors(np.array([-1.0, 1.0]))]
    return [QColor(*CLASS_COLORS[c % len(CLASS_COLORS)]) for c in range(class_count(session))]


class ClassPicker(QFrame):
    """The bar above the map in draw mode: a button per class, what the mouse does, Done."""

    chosen = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.group = QButtonGroup(self)
        self.group.idClicked.connect(self.chosen)
        self.row = QHBoxLayout()
        self.row.setSpacing(3)
        self.title = QLabel("Draw class")
        self.title.setFont(font(10, bold=True))
        self.clear = QToolButton()
        self.clear.setText("Clear")
        self.clear.setCheckable(True)
        self.clear.setToolTip(
            "The next stroke starts on an empty map: its points replace all the others "
            "(Undo brings them back)"
        )
        self.done = QToolButton()
        self.done.setText("Done")
        self.done.setToolTip("Leave draw mode (D)")
        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self.title)
        top.addLayout(self.row)
        top.addStretch(1)
        top.addWidget(self.clear)
        top.addWidget(self.done)
        top.setContentsMargins(6, 2, 6, 2)
        self.setLayout(top)

    def set_classes(self, colours: list[QColor], names: list[str], current: int) -> None:
        """One button per class (none for a curve), ``current`` checked."""
        for button in self.group.buttons():
            self.group.removeButton(button)
            self.row.removeWidget(button)
            button.deleteLater()
        for c, (colour, name) in enumerate(zip(colours, names)):
            button = QToolButton()
            button.setCheckable(True)
            button.setText(str(c + 1))
            button.setFont(font(10, bold=True))
            button.setIcon(_swatch(colour))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setToolTip(f"Draw points of {name}")
            button.setChecked(c == current)
            self.group.addButton(button, c)
            self.row.addWidget(button)
        self.title.setText("Draw class" if colours else "Draw points (x, y)")
        self.setToolTip(hint(bool(colours)))


def hint(classes: bool) -> str:
    """What the mouse does in draw mode (the picker's tooltip, said when it starts)."""
    what = "adds a point" if classes else "sets a point (x, y)"
    return f"Draw: a click {what}, a drag sprays, right click or Shift removes; D: done"


def _swatch(colour: QColor) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(colour)
    return QIcon(pixmap)

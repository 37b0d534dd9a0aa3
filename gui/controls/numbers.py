"""Number fields of the control panel: exactly what is typed, a 1-2-3-5 ladder, the
range said out loud when a typed value is out of it, and Space left to play and pause."""

from __future__ import annotations

import math
import re

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QSpinBox,
)

_NUMBER_SO_FAR = re.compile(r"[+-]?\d*\.?\d*(?:[eE][+-]?\d*)?")
LADDER = tuple(float(f"{m}e{e}") for e in range(-12, 8) for m in (1, 2, 3, 5))
"""1-2-3-5 steps per decade: what the arrows of a log-scale number field step through."""
ZERO_STEP = 1e-4  # a ladder field that can be 0 steps from 0 to this


def shortest_text(value: float) -> str:
    """The shortest text that reads back as ``value``: 0.03, 0.00001, 1e-8, 250000."""
    if value == 0:
        return "0"
    if 1e-5 <= abs(value) < 1e7:
        return np.format_float_positional(value, trim="-")
    return np.format_float_scientific(value, trim="-", exp_digits=1)


def space_is_a_shortcut(event: QEvent) -> bool:
    """Whether ``event`` asks a number field to take Space as text: a number has no spaces,
    so the field declines and Space keeps playing and pausing training."""
    return (
        event.type() == QEvent.Type.ShortcutOverride
        and isinstance(event, QKeyEvent)
        and event.key() == Qt.Key.Key_Space
    )


class ExactSpinBox(QDoubleSpinBox):
    """A number field that keeps exactly what is typed (0.03 gives the float 0.03), shows the
    shortest text, commits on Enter or focus-out, and with ``ladder`` steps 1-2-3-5 per decade."""

    def __init__(self, lo: float, hi: float, *, ladder: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._ladder = ladder
        self.setDecimals(15)  # rounding to 15 decimals keeps every typed value as typed
        self.setRange(lo, hi)
        self.setKeyboardTracking(False)  # "3e-3" must not pass through 3 on the way
        self.setMinimumWidth(80)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        return shortest_text(value)

    def event(self, event: QEvent) -> bool:
        if space_is_a_shortcut(event):
            event.ignore()
            return False
        return super().event(event)

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt override)
        return float(text)

    def validate(self, text: str, pos: int) -> QValidator.State:
        """Acceptable: a number in range; Intermediate: a number being typed; else Invalid."""
        if not _NUMBER_SO_FAR.fullmatch(text.strip()):
            return QValidator.State.Invalid
        try:
            value = float(text)
        except ValueError:
            return QValidator.State.Intermediate
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable
        return QValidator.State.Intermediate

    def stepBy(self, steps: int) -> None:  # noqa: N802 (Qt override)
        """Arrows and the wheel: along the 1-2-3-5 ladder, else by singleStep."""
        if not self._ladder:
            super().stepBy(steps)
            return
        stops = [v for v in LADDER if self.minimum() <= v <= self.maximum()]
        if self.minimum() == 0.0:  # from "off", the first step is a rate that does something
            stops = [0.0, *(v for v in stops if v >= ZERO_STEP)]
        value = self.value()
        if steps > 0:
            above = [v for v in stops if v > value * (1 + 1e-9)]
            target = above[min(steps, len(above)) - 1] if above else self.maximum()
        else:
            below = [v for v in stops if v < value * (1 - 1e-9)]
            target = below[max(steps, -len(below))] if below else self.minimum()
        self.setValue(target)


class WholeSpinBox(QSpinBox):
    """A whole-number field in which any number can be typed: one out of range is not
    refused keystroke by keystroke (5000 would silently become 500); RangeWatch brings it
    into range and says so."""

    def event(self, event: QEvent) -> bool:
        if space_is_a_shortcut(event):
            event.ignore()
            return False
        return super().event(event)

    def validate(self, text: str, pos: int) -> QValidator.State:
        """Acceptable: a whole number in range; Intermediate: one out of range, or being
        typed; else Invalid."""
        digits = text.strip().replace(self.locale().groupSeparator(), "")
        if not re.fullmatch(r"[+-]?\d*", digits):
            return QValidator.State.Invalid
        if digits in ("", "+", "-"):
            return QValidator.State.Intermediate
        inside = self.minimum() <= int(digits) <= self.maximum()
        return QValidator.State.Acceptable if inside else QValidator.State.Intermediate


class RangeWatch(QObject):
    """Says what happened when a number typed into a field was out of its range: the field
    takes the nearest allowed value, and ``noticed`` tells the user which and why.

    A field's name in the message is its accessible name; the range is also added to its
    tooltip ("Allowed: 1 to 4,096.").
    """

    noticed = Signal(str)

    def watch(self, spin: QAbstractSpinBox) -> None:
        """Watch ``spin`` (once; watching it again does nothing)."""
        if spin.property("range_watched"):
            return
        spin.setProperty("range_watched", True)
        typed: list[str] = [""]
        spin.lineEdit().textEdited.connect(lambda text: typed.__setitem__(0, text))
        spin.editingFinished.connect(lambda: self._check(spin, typed))

    def _check(self, spin: QAbstractSpinBox, typed: list[str]) -> None:
        text, typed[0] = typed[0], ""
        try:
            value = float(text.strip().replace(spin.locale().groupSeparator(), ""))
        except ValueError:
            return
        lo, hi = spin.minimum(), spin.maximum()
        if lo <= value <= hi or not math.isfinite(value):
            return
        nearest = lo if value < lo else hi
        spin.setValue(nearest)
        name = spin.accessibleName() or "This field"
        side = "the smallest allowed" if value < lo else "the largest allowed"
        why = spin.property("range_why") or f"allowed: {number_text(lo)} to {number_text(hi)}"
        self.noticed.emit(
            f"{name}: {number_text(value)} is out of range ({why}); "
            f"set to {number_text(nearest)}, {side}"
        )


def range_tip(spin: QAbstractSpinBox) -> str:
    """The sentence a field's tooltip ends with: its allowed range."""
    why = spin.property("range_why")
    return (
        f" Allowed: {why}."
        if why
        else (f" Allowed: {number_text(spin.minimum())} to {number_text(spin.maximum())}.")
    )


def number_text(value: float) -> str:
    """A number as a person types it: 4,096, 0.00001, 1e-8."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{value:,.0f}"
    return shortest_text(value)


def integer_spin(lo: int, hi: int, step: int = 1) -> QSpinBox:
    """An int field that commits on Enter (typing 16 must not pass through 1)."""
    spin = WholeSpinBox()
    spin.setRange(lo, hi)
    spin.setSingleStep(step)
    spin.setKeyboardTracking(False)
    spin.setGroupSeparatorShown(True)
    spin.setAccelerated(True)
    return spin

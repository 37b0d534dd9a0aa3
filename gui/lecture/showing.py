"""What the lecturer chooses the stage to show besides each frame's own cards: how each
quantity is revealed (gui.lecture.reveal), the pinned values and the pinned path
(gui.lecture.pins); their menu entries, and the diagram's right-click menu in lecture mode
(pin this value, pin the path from the loss to this weight, its chain rule factor by
factor).  All of it is saved in the session's lecture set-up."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from core.session.lecture_setup import LectureSetup
from core.trace.iteration import IterationTrace
from core.trace.notation import Precision, render_symbol
from gui.lecture.controller import LectureController
from gui.lecture.frames import Look
from gui.lecture.pins import MAX_ALL, Pins, path_to, pinned_cards, weight_symbol
from gui.lecture.plan import Frame
from gui.lecture.reveal import RESULT, Reveal, RevealDialog


class StageChoices(QObject):
    """The reveal, the pins and the path of a lecture; ``changed`` when any of them does
    (the frame is shown again), ``chainRequested`` (l, i, j; j = -1 for a bias) when the
    lecturer asks for a weight's chain rule factor by factor."""

    changed = Signal()
    chainRequested = Signal(int, int, int)

    def __init__(self, host: QWidget, controller: LectureController) -> None:
        super().__init__(host)
        self.host, self.controller = host, controller
        self.reveal, self.pins = Reveal(), Pins()
        self.reveal_action = QAction("&Reveal step by step…", host)
        self.reveal_action.setToolTip(
            "Per quantity (z, a, δ, ∂L/∂w, …): shown at once, revealed on click (symbols, "
            "then numbers, then the result), or hidden"
        )
        self.reveal_action.triggered.connect(self.choose_reveal)
        self.pin_all_action = QAction("&Pin every weight's value", host)
        self.pin_all_action.setCheckable(True)
        self.pin_all_action.setToolTip(
            f"Every weight's value on its edge in every frame, as Mazur's figure shows w1 … w8 "
            f"(networks of up to {MAX_ALL} weights; right-click an edge to pin one)"
        )
        self.pin_all_action.toggled.connect(self._on_pin_all)
        self.clicked: tuple[int, int, int] | None = None  # the weight last clicked (l, i, j)
        self.chain_action = QAction("&Chain rule of the clicked weight, factor by factor", host)
        self.chain_action.setShortcut(QKeySequence("C"))
        self.chain_action.setToolTip(
            "Click an edge (or a bias) in lecture mode, then C: its chain rule, one factor "
            "at a time on the diagram (Esc goes back to the step)"
        )
        self.chain_action.triggered.connect(self._on_chain_key)
        self.unpin_action = QAction("&Unpin everything", host)
        self.unpin_action.setToolTip("Take every pinned value and the pinned path off the stage")
        self.unpin_action.triggered.connect(lambda: self.set_pins(Pins()))

    @property
    def actions(self) -> tuple[QAction, ...]:
        """The Lecture menu's entries."""
        return (self.reveal_action, self.pin_all_action, self.unpin_action, self.chain_action)

    # --- the choices ---

    def set_reveal(self, ways: dict[str, str]) -> None:
        """Reveal each kind as ``ways`` says (kinds not in it: shown at once)."""
        self.reveal = Reveal(dict(ways))
        self.controller.set_clicks(self.reveal.levels)
        self.changed.emit()

    def set_pins(self, pins: Pins) -> None:
        """Pin these values and this path."""
        self.pins = pins
        self.pin_all_action.blockSignals(True)
        self.pin_all_action.setChecked(pins.weights)
        self.pin_all_action.blockSignals(False)
        self.changed.emit()

    @Slot()
    def choose_reveal(self) -> None:
        """The dialog: per quantity kind, shown, revealed on click or hidden."""
        dialog = RevealDialog(self.reveal.ways, self.host)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.set_reveal(dialog.ways())
        dialog.deleteLater()

    @Slot(bool)
    def _on_pin_all(self, on: bool) -> None:
        self.set_pins(Pins(on, self.pins.keys, self.pins.path))

    def take(self, setup: LectureSetup) -> None:
        """A newly opened session's choices."""
        self.pins = Pins(setup.pin_weights, setup.pinned, setup.path)
        self.set_pins(self.pins)
        self.set_reveal(setup.reveal)

    def fields(self) -> dict:
        """The choices as LectureSetup fields."""
        p = self.pins
        return dict(
            reveal=dict(self.reveal.ways), pin_weights=p.weights, pinned=p.keys, path=p.path
        )

    # --- what a frame shows ---

    def look(self, trace: IterationTrace, frame: Frame, digits: int | Precision) -> Look:
        """The frame's reveal level, pinned values and path, for gui.lecture.frames."""
        level = self.reveal.level_of(frame, self.controller.click)
        return self._look(trace, frame, digits, self.reveal, level)

    def pinned(self, trace: IterationTrace, digits: int | Precision) -> Callable[[Frame], Look]:
        """Each frame's pinned values and path, everything revealed (for the exports)."""
        return lambda frame: self._look(trace, frame, digits, Reveal(), RESULT)

    def _look(self, trace, frame: Frame, digits, reveal: Reveal, level: int) -> Look:
        pins = self.pins.fitting(trace.layers)
        nodes, edges = pinned_cards(pins, trace, frame, digits, reveal)
        path = ((), ()) if pins.path is None else path_to(pins.path, trace.layers)
        return Look(reveal, level, nodes, edges, path)

    def element_menu(self, trace: IterationTrace, kind: str, key: tuple) -> QMenu | None:
        """The right-click menu of a neuron, an edge or a bias in lecture mode."""
        menu = QMenu(self.host)
        if kind == "edge":
            l, i, j = key
            name = render_symbol(weight_symbol(trace, l, i, j), "unicode")
            pinned = key in self.pins.keys
            pin = menu.addAction(f"{'Unpin' if pinned else 'Pin'} {name}'s value")
            pin.triggered.connect(lambda: self.set_pins(self.pins.toggled(key)))
            on_path = self.pins.path == tuple(key)
            path = menu.addAction(
                "Unpin the path" if on_path else f"Pin the path from the loss back to {name}"
            )
            path.triggered.connect(lambda: self._pin_path(None if on_path else tuple(key)))
            chain = menu.addAction(f"Chain rule for {name}, factor by factor")
            chain.triggered.connect(lambda: self.chainRequested.emit(l, i, j))
        elif kind == "neuron" and key[0] > 0:
            pinned = tuple(key) in self.pins.keys
            pin = menu.addAction(f"{'Unpin' if pinned else 'Pin'} this neuron's activation")
            pin.triggered.connect(lambda: self.set_pins(self.pins.toggled(key)))
        elif kind == "bias":
            chain = menu.addAction("Chain rule for this bias, factor by factor")
            chain.triggered.connect(lambda: self.chainRequested.emit(key[0] - 1, key[1], -1))
        else:
            menu.deleteLater()
            return None
        menu.addSeparator()
        menu.addAction(self.unpin_action)
        return menu

    @Slot()
    def _on_chain_key(self) -> None:
        if self.clicked is not None:
            self.chainRequested.emit(*self.clicked)

    def _pin_path(self, weight: tuple[int, int, int] | None) -> None:
        self.set_pins(Pins(self.pins.weights, self.pins.keys, weight))

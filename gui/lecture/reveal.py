"""Progressive reveal: a frame shows its formula in symbols, a click fills in the numbers,
the next click shows the result, as a lecturer builds a slide.

Per quantity kind (core.session.lecture_setup.REVEAL_KINDS: x, z, a, y, L, δ, ∂L/∂w, the
update) the lecturer chooses "shown" (at once), "revealed" (on click) or "hidden" (never its
number, written "?": an exercise for the room).  A frame that computes a revealed kind, or
whose formulas take in a revealed x or y, has three levels (LEVELS); every other frame one.
:class:`Reveal` says what each level shows, for the diagram (gui.lecture.frames.stage_for)
and the equation panel; :class:`RevealDialog` is where the lecturer chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from core.session.lecture_setup import REVEAL_KINDS, REVEAL_MODES
from core.trace.expr import Symbol, Term, leaves

LEVELS = ("symbols", "numbers", "result")
RESULT = len(LEVELS) - 1
UPDATE_NAMES = ("g", "velocity", "m", "v", "m_hat", "v_hat")
KIND_NAMES = {
    "x": "x: the sample's inputs",
    "z": "z: weighted sums",
    "a": "a: activations",
    "y": "y: the sample's targets",
    "L": "L: the loss",
    "delta": "δ: deltas",
    "dL/dw": "∂L/∂w, ∂L/∂b: gradients",
    "update": "w⁺, b⁺: the update (and the optimiser's state)",
}
UNKNOWN = "?"


def kind_of(symbol: Symbol) -> str | None:
    """The reveal kind of a quantity (None: a weight, bias or constant the lecture takes
    as given)."""
    name = symbol.name
    if name in ("x", "y", "z", "a", "delta"):
        return name
    if name in ("L", "ΔL"):
        return "L"
    if name in ("dL/dw", "dL/db"):
        return "dL/dw"
    if name in UPDATE_NAMES or (name in ("w", "b") and symbol.new):
        return "update"
    return None


@dataclass(frozen=True)
class Reveal:
    """How each quantity kind is shown: ``ways`` maps a kind to 'revealed' or 'hidden'
    (a kind not in it is shown at once)."""

    ways: dict[str, str] = field(default_factory=dict)

    def way(self, symbol: Symbol) -> str:
        """'shown', 'revealed' or 'hidden' for this quantity."""
        kind = kind_of(symbol)
        return "shown" if kind is None else self.ways.get(kind, "shown")

    def levels(self, frame) -> int:
        """How many clicks ``frame`` takes: 3 (symbols, numbers, result) where it computes
        a revealed quantity or takes in a revealed input or target; else 1."""
        for term in frame.terms:
            if self.way(term.target) == "revealed":
                return len(LEVELS)
            for leaf in leaves(term.expr):
                s = leaf.symbol
                if s is not None and s.name in ("x", "y") and self.way(s) == "revealed":
                    return len(LEVELS)
        return 1

    def level_of(self, frame, click: int) -> int:
        """The level (an index of LEVELS) that ``frame`` shows after ``click`` clicks: a
        frame of one level shows everything."""
        return RESULT if self.levels(frame) == 1 else max(0, min(click, RESULT))

    def shown_level(self, term: Term, level: int) -> int:
        """How far ``term`` is shown at its frame's ``level``: 0 its symbols, 1 also its
        numbers, 2 also its result.  A hidden quantity stops at its numbers."""
        way = self.way(term.target)
        if way == "hidden":
            return min(level, 1)
        return RESULT if way == "shown" else level

    def veiled(self, symbol: Symbol, level: int = RESULT) -> bool:
        """Whether ``symbol``'s number is kept back at ``level`` where a formula takes it in:
        a hidden kind always; a revealed input or target until the numbers level."""
        way = self.way(symbol)
        return way == "hidden" or (way == "revealed" and symbol.name in ("x", "y") and level < 1)

    def veiled_in(self, terms: Sequence[Term], level: int) -> Callable[[Symbol], bool]:
        """Whether a number is kept back in a frame of ``terms`` at ``level``: as veiled(),
        and also each quantity the frame computes whose result is not shown yet (a_h1 =
        σ(z_h1) does not give z_h1 away while z_h1 = ?)."""
        pending = {t.target for t in terms if self.shown_level(t, level) < RESULT}
        return lambda symbol: symbol in pending or self.veiled(symbol, level)

    @property
    def plain(self) -> bool:
        """Whether every kind is shown at once (nothing to reveal)."""
        return all(way == "shown" for way in self.ways.values())


def veil(text: str) -> str:
    """'z₁ = 0.3775' -> 'z₁ = ?', 'w5: 0.4 → 0.3589' -> 'w5: 0.4 → ?': a card whose number
    is not shown yet."""
    if " → " in text:
        return text.rsplit(" → ", 1)[0] + f" → {UNKNOWN}"
    return text.split(" = ", 1)[0] + f" = {UNKNOWN}"


class RevealDialog(QDialog):
    """Per quantity kind: shown at once, revealed on click, or hidden."""

    def __init__(self, ways: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reveal step by step")
        grid = QGridLayout()
        tips = {
            "shown": "Its numbers appear with the frame",
            "revealed": "Click (→) for the numbers, click again for the result",
            "hidden": "Never its number: '?' on the diagram and in the formulas",
        }
        for column, way in enumerate(REVEAL_MODES, start=1):
            header = QLabel(f"<b>{way.capitalize()}</b>")
            header.setToolTip(tips[way])
            grid.addWidget(header, 0, column)
        self.groups: dict[str, QButtonGroup] = {}
        for row, kind in enumerate(REVEAL_KINDS, start=1):
            grid.addWidget(QLabel(KIND_NAMES[kind]), row, 0)
            group = QButtonGroup(self)
            for column, way in enumerate(REVEAL_MODES, start=1):
                button = QRadioButton()
                button.setToolTip(f"{KIND_NAMES[kind]}: {tips[way].lower()}")
                button.setAccessibleName(f"{kind} {way}")
                group.addButton(button, column - 1)
                grid.addWidget(button, row, column)
            self.groups[kind] = group
        self.set_ways(ways)
        presets = QDialogButtonBox()
        for text, way in (("All at once", "shown"), ("All on click", "revealed")):
            button = QPushButton(text)
            button.clicked.connect(
                lambda _=False, w=way: self.set_ways(dict.fromkeys(REVEAL_KINDS, w))
            )
            presets.addButton(button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        intro = QLabel(
            "A revealed quantity's frame shows its formula in symbols; the next click "
            "(→, Page Down) fills in the numbers, the next shows the result."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (intro, presets):
            layout.addWidget(widget)
        layout.insertLayout(1, grid)
        layout.addWidget(buttons)

    def set_ways(self, ways: dict[str, str]) -> None:
        """Check each kind's way (shown where ``ways`` does not say)."""
        for kind, group in self.groups.items():
            group.button(REVEAL_MODES.index(ways.get(kind, "shown"))).setChecked(True)

    def ways(self) -> dict[str, str]:
        """The kinds not shown at once, and how they are shown."""
        chosen = {kind: REVEAL_MODES[group.checkedId()] for kind, group in self.groups.items()}
        return {kind: way for kind, way in chosen.items() if way != "shown"}

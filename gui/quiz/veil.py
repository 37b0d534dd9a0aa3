"""What a quiz keeps back: the values its open questions ask, on the stage and in the panel.

:class:`QuizReveal` is lecture mode's own reveal (gui.lecture.reveal) with the quantities
still asked marked hidden: the diagram writes them 'z₁ = ?', the equation panel gives their
formula with the numbers and '?' for the result, and no other formula gives them away
(a = σ(z) does not show z while z is asked).  Everything else is as the lecturer chose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.trace.expr import Symbol
from gui.lecture.reveal import Reveal


@dataclass(frozen=True)
class QuizReveal(Reveal):
    """``base``'s ways, with the ``pending`` quantities hidden."""

    pending: frozenset[Symbol] = field(default_factory=frozenset)

    @classmethod
    def over(cls, base: Reveal, pending: frozenset[Symbol]) -> QuizReveal:
        """The lecturer's reveal ``base`` with ``pending`` hidden."""
        base = base.base if isinstance(base, QuizReveal) else base
        return cls(dict(base.ways), frozenset(pending))

    @property
    def base(self) -> Reveal:
        """The lecturer's own reveal, without the quiz."""
        return Reveal(dict(self.ways))

    def way(self, symbol: Symbol) -> str:
        """'hidden' for a quantity the quiz asks; else as the lecturer chose."""
        return "hidden" if symbol in self.pending else super().way(symbol)

    @property
    def plain(self) -> bool:
        """Nothing to keep back: no open question and every kind shown at once."""
        return not self.pending and super().plain

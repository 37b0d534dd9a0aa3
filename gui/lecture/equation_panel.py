"""The equation panel: a step's formulas in symbols and again with the numbers put in.

The terms come from the core's iteration trace (core.trace.iteration); this panel only
sets them in type, with real subscripts and superscripts (Qt rich text, no
LaTeX needed) and the lesson's own labels, at a chosen number of significant
digits, so that small gradients (0.000438568) never show as 0.0004.  With a batch,
every per-sample quantity carries its sample, counted from 1 (z₁²[3]).  A formula too
long for the panel breaks before "=" or a "+" outside parentheses, never inside a term.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont, QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.trace.expr import Term, sample_parts
from core.trace.formula import render_expr, render_numeric, render_symbolic
from core.trace.notation import Precision, count, format_number
from gui.lecture.reveal import RESULT, Reveal

DEFAULT_DIGITS = 4
UNITS = ("significant digits", "decimal places")
MAX_TERMS = 12  # a wide layer shows its first terms and how many more there are
MAX_PARTS = 16  # an unfolded batch shows its first samples' parts


BREAKS = ("= ", "+ ", "− ", "- ")  # a formula breaks before these ...
LONG_PIECE = 48  # ... outside parentheses; a piece longer than this, inside the first ones
FACTORS, LONG_PRODUCT = ("× ", "· "), 24  # a longer piece may break before its factors
JOINER = "\u2060"  # no break here: Qt would break after a "/" inside a term


def typeset(html: str, factors: bool = False) -> str:
    """One formula's rich text that wraps only where a typesetter would break it: before
    "=" or a "+" or "−" outside parentheses (and in a very long piece, inside the first
    parentheses; with ``factors``, a long product also before its × or ·: a chain rule's
    line is all factors); each piece between stays on one line."""
    pieces = []
    for piece in _pieces(html, 0):
        long = len(_visible(piece)) > LONG_PIECE
        pieces += _pieces(piece, 1) if long else [piece]
    pieces = [  # a long product of numbers: before its × too
        part
        for piece in pieces
        for part in (
            _pieces(piece, 0, FACTORS)
            if factors and len(_visible(piece)) > LONG_PRODUCT
            else [piece]
        )
    ]
    glued = (re.sub("(<[^>]*>)|(/)", _joined, p) for p in pieces if p)
    return " ".join(f"<span style='white-space:nowrap'>{p}</span>" for p in glued)


def _pieces(html: str, depth: int, breaks: tuple[str, ...] = BREAKS) -> list[str]:
    """``html`` cut before each operator of ``breaks`` at parenthesis depth ``depth``."""
    pieces, level, start, i = [], 0, 0, 0
    while i < len(html):
        c = html[i]
        if c == "<":  # a tag (sub, sup): not text
            i = html.index(">", i) + 1
            continue
        level += (c in "([") - (c in ")]")
        if c == " " and level == depth and html.startswith(breaks, i + 1):
            pieces.append(html[start:i])
            start = i + 1
        i += 1
    return [*pieces, html[start:]]


def _joined(match: re.Match) -> str:
    """A tag as it is; a "/" with no break after it."""
    return match.group(1) or match.group(2) + JOINER


def _visible(html: str) -> str:
    """The text of ``html`` without its tags."""
    return re.sub("<[^>]*>", "", html)


def parts_html(term: Term, digits: int | Precision, part: int) -> str:
    """A batch sum's parts, one line per sample, sample ``part``'s in bold; '' if ``term``
    is not a sum over the batch."""
    found = sample_parts(term)
    lines = []
    for s, item in found[:MAX_PARTS]:
        symbols = render_expr(item, "html", samples=True)
        numbers = render_expr(item, "html", True, digits)
        line = (
            f"[{s + 1}]&nbsp; {symbols} = {numbers} = {format_number(item.value, digits, 'html')}"
        )
        lines.append(f"<b>{line}</b>" if s == part else line)
    if len(found) > MAX_PARTS:
        lines.append(f"<i>… and {count(len(found) - MAX_PARTS, 'more samples')}</i>")
    if not lines:
        return ""
    body = "<br>".join(lines)
    return f"<br><span style='color:#555'>&nbsp;&nbsp;the parts:<br>{body}</span>"


def terms_html(
    title: str,
    terms: Sequence[Term],
    digits: int | Precision,
    part: int | None = None,
    reveal: Reveal | None = None,
    level: int = RESULT,
) -> str:
    """The rich text of ``terms``: each formula in symbols, then in numbers with its result;
    with ``part``, each sum over the batch unfolded into its per-sample parts.  ``reveal``
    at ``level`` keeps back what is not shown yet: a formula in symbols alone, or in
    numbers with "?" for its result (and for any number the lecture keeps back)."""
    rows = [f"<p style='margin-bottom:6px'><b>{escape(title)}</b></p>"] if title else []
    reveal = reveal or Reveal()
    veiled = None if reveal.plain else reveal.veiled_in(terms, level)
    for term in list(terms)[:MAX_TERMS]:
        symbols = typeset(render_symbolic(term, "html"))
        shown = reveal.shown_level(term, level)
        if shown == 0:
            rows.append(f"<p style='margin:2px 0 10px 0'>{symbols}</p>")
            continue
        numbers = render_numeric(term, digits, "html", result=shown == RESULT, veiled=veiled)
        numbers = typeset("= " + numbers)
        unfolded = "" if part is None or shown < RESULT else parts_html(term, digits, part)
        rows.append(
            f"<p style='margin:2px 0 10px 0'>{symbols}<br>"
            f"<span style='color:#444'>&nbsp;&nbsp;{numbers}</span>{unfolded}</p>"
        )
    if len(terms) > MAX_TERMS:
        rows.append(f"<p><i>… and {len(terms) - MAX_TERMS} more</i></p>")
    return "".join(rows)


class EquationPanel(QWidget):
    """Shows the formulas of the current step, or of the node or edge clicked."""

    digitsChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None, point_size: int = 14) -> None:
        super().__init__(parent)
        self.own_size = point_size
        self._title, self._terms, self._part = "", (), None
        self._reveal, self._level = Reveal(), RESULT
        self._render: Callable[[Precision], str] | None = None  # rich text of its own
        self._note = ""  # a line above every formula (the inputs are standardised)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setWordWrapMode(QTextOption.WrapMode.WordWrap)  # never inside a term
        font = QFont(self.text.font())
        font.setPointSize(point_size)
        self.text.setFont(font)
        self.digits_box = QSpinBox()
        self.digits_box.setRange(2, 12)
        self.digits_box.setValue(DEFAULT_DIGITS)
        self.digits_box.setToolTip("How many digits every number shows")
        self.digits_box.valueChanged.connect(self._on_digits)
        self.unit_box = QComboBox()
        self.unit_box.addItems(UNITS)
        self.unit_box.setToolTip(
            "Significant digits keep small gradients readable (0.000438568); decimal places "
            "print numbers as a worked example does (0.082167041 at 9)"
        )
        self.unit_box.currentIndexChanged.connect(self._on_digits)
        self.heading = QLabel("Equations")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.digits_box, 0, Qt.AlignmentFlag.AlignRight)
        top.addWidget(self.unit_box, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)

    def set_controls_visible(self, on: bool) -> None:
        """Show or hide the precision controls above the formulas (the presentation layout
        shows the formulas alone)."""
        for widget in (self.heading, self.digits_box, self.unit_box):
            widget.setVisible(on)

    @property
    def point_size(self) -> int:
        """The formulas' font size in points."""
        return self.text.font().pointSize()

    def set_point_size(self, points: int) -> None:
        """Set the formulas in ``points``-point type (9 at the least)."""
        font = QFont(self.text.font())
        font.setPointSize(max(9, int(points)))
        self.text.setFont(font)

    def reset_size(self) -> None:
        """The formulas at their own size again."""
        self.set_point_size(self.own_size)

    def zoom_by(self, points: int) -> None:
        """Make the formulas ``points`` larger (or smaller), 9 pt at the least."""
        font = QFont(self.text.font())
        font.setPointSize(max(9, font.pointSize() + points))
        self.text.setFont(font)

    @property
    def digits(self) -> int:
        """The digits the numbers are shown with (significant, or decimal places)."""
        return self.digits_box.value()

    @property
    def decimals(self) -> bool:
        """Whether ``digits`` counts decimal places rather than significant digits."""
        return self.unit_box.currentIndex() == 1

    @property
    def precision(self) -> Precision:
        """How every number is written."""
        return Precision(self.digits, self.decimals)

    def set_digits(self, digits: int, decimals: bool = False) -> None:
        """Show every number with ``digits`` significant digits (or decimal places)."""
        self.unit_box.blockSignals(True)
        self.unit_box.setCurrentIndex(int(decimals))
        self.unit_box.blockSignals(False)
        if digits == self.digits_box.value():
            self._on_digits()
        self.digits_box.setValue(digits)

    def set_terms(
        self,
        title: str,
        terms: Sequence[Term],
        part: int | None = None,
        reveal: Reveal | None = None,
        level: int = RESULT,
    ) -> None:
        """Show ``terms`` (a step's, or one neuron's or edge's) under ``title``; with
        ``part``, batch sums unfolded, sample ``part``'s share in bold; ``reveal`` at
        ``level``: only what is revealed so far."""
        self._title, self._terms, self._part = title, tuple(terms), part
        self._reveal, self._level = reveal or Reveal(), level
        self._render = None
        self._show()

    @property
    def terms(self) -> tuple[Term, ...]:
        """The terms shown (none while it shows rich text of its own: a chain rule)."""
        return () if self._render is not None else self._terms

    def set_render(self, render: Callable[[Precision], str]) -> None:
        """Show the rich text ``render`` writes at the panel's precision (a chain rule's
        frames), again whenever the precision changes."""
        self._render = render
        self._show()

    def set_note(self, note: str | None) -> None:
        """Show ``note`` (plain text) above the formulas, or no note for None."""
        if (note or "") != self._note:
            self._note = note or ""
            self._show()

    def plain_text(self) -> str:
        """What the panel shows, as plain text (spaces as spaces, no hidden joiners)."""
        return self.text.toPlainText().replace("\xa0", " ").replace(JOINER, "")

    def html(self) -> str:
        """What the panel shows, as rich text."""
        if self._render is not None:
            return self._render(self.precision)
        return terms_html(
            self._title, self._terms, self.precision, self._part, self._reveal, self._level
        )

    def _show(self) -> None:
        style = "color:#555; font-size:small"
        note = f"<p style='{style}'><i>{escape(self._note)}</i></p>" if self._note else ""
        self.text.setHtml(note + self.html())

    @Slot()
    def _on_digits(self, *_: int) -> None:
        self._show()
        self.digitsChanged.emit(self.digits)

"""The equation panel sets the core's terms in type: symbols, numbers, significant digits."""

from __future__ import annotations

import pytest

from core.engine.trainer import trainer_for
from core.session.format import load_session
from core.trace.iteration import trace_next_step
from gui.lecture.equation_panel import MAX_TERMS, EquationPanel, terms_html
from tests import paths

LESSONS = paths.LESSONS


@pytest.fixture(scope="module")
def mazur_steps():
    session = load_session(LESSONS / "mazur.json")
    trace = trace_next_step(trainer_for(session), session.labels)
    return {(s.phase, s.layer): s for s in trace.steps}


def test_the_mazur_hidden_delta_reads_as_in_the_lecture(show, mazur_steps):
    panel = show(EquationPanel(), 700, 500)
    step = mazur_steps[("backward", 2)]
    delta_h1 = [t for t in step.terms if t.target.name == "delta" and t.target.label == "h1"]
    panel.set_terms(step.title, delta_h1)
    html = panel.html()
    assert "δ<sub>h1</sub>" in html and "w5" in html
    assert "0.2413 × 0.03635 = 0.008771" in panel.plain_text()
    assert "0.2413" in panel.text.toPlainText()


def test_significant_digits_keep_small_gradients(show, mazur_steps, qtbot):
    panel = show(EquationPanel(), 700, 500)
    step = mazur_steps[("backward", 1)]
    panel.set_terms(step.title, step.terms)
    with qtbot.waitSignal(panel.digitsChanged):
        panel.set_digits(6)
    assert "0.000438568" in panel.html()
    assert "∂L/∂w1" in panel.plain_text()
    panel.set_digits(2)
    assert "0.00044" in panel.html()


def test_wide_layers_are_shortened(mazur_steps):
    terms = list(mazur_steps[("update", 1)].terms) * 3
    html = terms_html("Update", terms, 4)
    assert f"and {len(terms) - MAX_TERMS} more" in html


def formula_lines(panel: EquationPanel) -> list[tuple[str, bool]]:
    """Every laid-out line of the formulas (not the title): its text, and whether it starts
    after a forced break (a new paragraph or a <br>)."""
    doc, lines = panel.text.document(), []
    block = doc.begin().next()  # the first paragraph is the title
    while block.isValid():
        layout, text = block.layout(), block.text()
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            start = line.textStart()
            forced = n == 0 or text[start - 1] == "\u2028"
            lines.append((text[start : start + line.textLength()], forced))
        block = block.next()
    return lines


@pytest.mark.parametrize("lesson", ["mazur", "vanishing_gradients"])
def test_a_long_formula_breaks_before_an_operator_never_inside_a_term(show, lesson):
    session = load_session(LESSONS / f"{lesson}.json")
    trace = trace_next_step(trainer_for(session), session.labels)
    panel = show(EquationPanel(), 300, 700)  # the lecture panel at 1280x720 is about this
    panel.set_digits(6)
    wrapped = 0
    for step in trace.steps:
        panel.set_terms(step.title, step.terms)
        for text, forced in formula_lines(panel):
            if not forced:
                wrapped += 1
                assert text.lstrip("\xa0 ").startswith(("=", "+", "−", "-", "…")), text
    assert wrapped  # the narrow panel did break long formulas

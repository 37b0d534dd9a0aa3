"""Worksheets: the files, their seeds, and keys that a direct computation confirms."""

from __future__ import annotations

import re

import numpy as np

from core.quiz.worksheet import make_sheet, sheet_latex, sheet_markdown, write_sheets
from core.trace.notation import Precision, format_number
from tests.core.quiz.sessions import lesson

NUMBER = r"−?\d+(?:\.\d+)?(?:e[+−-]?\d+)?"


def _numbers(text: str) -> list[float]:
    return [float(v.replace("−", "-")) for v in re.findall(NUMBER, text)]


def _given(md: str) -> dict[str, list[float]]:
    """The Given list of a Markdown sheet: group name -> its numbers in order."""
    groups = {}
    for line in md.splitlines():
        if m := re.match(r"- ([A-Za-z ]+\d?): (.*)", line):
            groups[m[1]] = [_numbers(part.split(" = ")[1])[0] for part in m[2].split(", ")]
    return groups


def _direct(given: dict[str, list[float]], lr: float) -> list[float]:
    """Mazur's 2-2-2 sigmoid network with sse, from the sheet's numbers, by hand: every
    value the sheet asks, in its order."""
    x, y = np.array(given["Inputs"]), np.array(given["Targets"])
    W1 = np.array(given["Weights into layer 1"]).reshape(2, 2)
    W2 = np.array(given["Weights into layer 2"]).reshape(2, 2)
    b1, b2 = np.array(given["Biases of layer 1"]), np.array(given["Biases of layer 2"])
    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z1 = W1 @ x + b1
    a1 = s(z1)
    z2 = W2 @ a1 + b2
    a2 = s(z2)
    terms = 0.5 * (y - a2) ** 2
    d2 = (a2 - y) * a2 * (1 - a2)
    d1 = (W2.T @ d2) * a1 * (1 - a1)
    dW2, dW1 = np.outer(d2, a1), np.outer(d1, x)
    values = [v for pair in zip(z1, a1) for v in pair] + [v for pair in zip(z2, a2) for v in pair]
    values += [*terms, terms.sum(), *d2, *dW2.ravel(), *d2, *d1, *dW1.ravel(), *d1]
    values += [*(W1 - lr * dW1).ravel(), *(b1 - lr * d1), *(W2 - lr * dW2).ravel(), *(b2 - lr * d2)]
    return values


def test_the_key_is_what_a_direct_computation_of_the_sheet_gives():
    mazur, _ = lesson("mazur")
    for seed in (3, 4):
        sheet = make_sheet(mazur, seed)
        md, key = sheet_markdown(sheet), sheet_markdown(sheet, key=True)
        answers = [float(a.replace("−", "-")) for a in re.findall(r"\*\*(.+?)\*\*", key)]
        expected = _direct(_given(md), 0.5)
        assert len(answers) == len(expected) == len(sheet.questions) == 39
        for got, want in zip(answers, expected):
            assert format_number(got, 4) == format_number(want, 4)


def test_every_key_answer_is_its_sheet_trace():
    playground, _ = lesson("playground_default")
    sheet = make_sheet(playground, 99, precision=Precision(6))
    key = sheet_markdown(sheet, key=True)
    shown = re.findall(r"\*\*(.+?)\*\*", key)
    assert shown == [format_number(q.answer, Precision(6), "unicode") for q in sheet.questions]


def test_sheets_are_equivalent_with_different_numbers():
    mazur, _ = lesson("mazur")
    a, b = make_sheet(mazur, 1), make_sheet(mazur, 2)
    assert [q.prompt() for q in a.questions] == [q.prompt() for q in b.questions]
    assert [q.answer for q in a.questions] != [q.answer for q in b.questions]
    assert sheet_markdown(make_sheet(mazur, 1)) == sheet_markdown(a)  # reproducible


def test_the_sheet_asks_without_answers_and_names_its_seed():
    mazur, _ = lesson("mazur")
    sheet = make_sheet(mazur, 42)
    md, tex = sheet_markdown(sheet), sheet_latex(sheet)
    assert "Seed 42." in md and "Seed 42." in tex
    assert "**" not in md and md.count("= ______________") == 39
    assert tex.count(r"\underline") == 39 and tex.count(r"\item $") == 39
    key = sheet_latex(sheet, key=True)
    assert key.startswith(r"\documentclass") and key.rstrip().endswith(r"\end{document}")
    assert key.count(r"\mathbf{") == 39 and all(ord(c) < 128 for c in key)


def test_write_sheets_writes_each_student_a_sheet_and_a_key(tmp_path):
    mazur, _ = lesson("mazur")
    written = write_sheets(mazur, tmp_path / "sheets", 3, 100)
    names = sorted(p.name for p in written)
    assert names == sorted(
        f"{stem}-0{k}.{ext}"
        for k in (1, 2, 3)
        for stem in ("sheet", "answers")
        for ext in ("md", "tex")
    )
    for k in (1, 2, 3):
        text = (tmp_path / "sheets" / f"sheet-0{k}.md").read_text(encoding="utf-8")
        assert f"# Worksheet 0{k}" in text and f"Seed {99 + k}." in text
    only_md = write_sheets(mazur, tmp_path / "md", 2, 5, ("md",))
    assert {p.suffix for p in only_md} == {".md"}

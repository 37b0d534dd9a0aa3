"""Worksheets: one training step's questions in Markdown and LaTeX, with an answer key.

A sheet is drawn from a session and a seed (core.quiz.exercise.exercise_like): the
session gives the network's shape, activations, loss and learning rate, the seed the
weights, biases and the one sample, so every student's sheet asks the same questions
with different numbers.  Sheet k of a run whose first seed is S has seed S + k - 1; its
header names it, and ``worksheet SESSION --seed S+k-1 --count 1`` prints it again.
The key's answers are the traced values (core.quiz.questions), at the sheet's precision,
each with its formula in numbers.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.engine.trainer import trainer_for
from core.quiz.exercise import exercise_like
from core.quiz.questions import Question, step_questions
from core.session.format import Session
from core.trace.expr import Symbol
from core.trace.formula import render_numeric, render_symbolic
from core.trace.iteration import IterationTrace, trace_next_step
from core.trace.notation import Precision, activation_name, format_number, render_symbol
from core.trace.tables import latex_symbol

FORMATS = ("md", "tex")  # what the core writes; "pdf" needs a writer (gui.quiz.pdf)
ALL_FORMATS = (*FORMATS, "pdf")
PdfWriter = Callable[[str, Path, str], Path]  # (markdown, path, title) -> the file
FOUR_DIGITS = Precision(4)
LOSS_TEXT = {
    "sse": ("L = ½ Σₖ (yₖ − aₖ)²", r"L = \tfrac12 \sum_k (y_k - a_k)^2"),
    "mse": ("L = 1/(n k) Σₖ (yₖ − aₖ)²", r"L = \tfrac{1}{n k} \sum_k (y_k - a_k)^2"),
    "bce": (
        "L = −1/(n k) Σₖ [yₖ log aₖ + (1 − yₖ) log(1 − aₖ)]",
        r"L = -\tfrac{1}{n k} \sum_k [y_k \log a_k + (1 - y_k) \log(1 - a_k)]",
    ),
    "cce": ("L = −1/n Σₖ yₖ log aₖ (a = softmax(z))", r"L = -\tfrac1n \sum_k y_k \log a_k"),
}


@dataclass(frozen=True)
class Sheet:
    """One student's sheet: its number, seed, exercise session, trace and questions by step
    (title, questions), and the precision answers are given at."""

    number: int
    seed: int
    session: Session
    trace: IterationTrace
    sections: tuple[tuple[str, tuple[Question, ...]], ...]
    precision: Precision

    @property
    def questions(self) -> list[Question]:
        """Every question of the sheet, in order."""
        return [q for _, qs in self.sections for q in qs]


def make_sheet(
    session: Session, seed: int, number: int = 1, precision: Precision = FOUR_DIGITS
) -> Sheet:
    """Sheet ``number`` of ``session`` drawn from ``seed`` (see the module's docstring)."""
    exercise = exercise_like(session, seed)
    trace = trace_next_step(trainer_for(exercise), exercise.labels)
    sections = []
    for k, step in enumerate(trace.steps):
        questions = tuple(step_questions(trace, k))
        if questions:
            sections.append((step.title, questions))
    return Sheet(number, seed, exercise, trace, tuple(sections), precision)


def _words(p: Precision) -> str:
    unit = "decimal places" if p.decimals else "significant digits"
    return f"{p.digits} {unit}"


def _label(labels: dict | None, key: str, l: int, *index: int) -> str | None:
    """The lesson's label of a neuron (key "neurons", layer l), weight or bias (layer l,
    its parameters at l - 1), or None."""
    try:
        part = labels[key][l if key == "neurons" else l - 1]
        for k in index:
            part = part[k]
        return str(part)
    except (KeyError, IndexError, TypeError):
        return None


def _given(sheet: Sheet, style: str) -> list[tuple[str, list[tuple[str, float]]]]:
    """The numbers a sheet gives: the sample's x and y, the weights, the biases (symbol in
    ``style``: 'unicode' or 'latex', value)."""
    tr, labels = sheet.trace, sheet.session.labels
    L = len(tr.layers) - 1

    def name(symbol: Symbol) -> str:
        if style != "latex":
            return render_symbol(symbol, style)
        if symbol.name in ("x", "y"):
            return f"{symbol.name}_{{{symbol.label or symbol.i + 1}}}"
        return latex_symbol(symbol)

    def sample(kind: str, values, layer: int) -> list[tuple[str, float]]:
        return [
            (name(Symbol(kind, None, i, None, _label(labels, "neurons", layer, i))), float(v))
            for i, v in enumerate(values)
        ]

    groups = [("Inputs", sample("x", tr.x[0], 0)), ("Targets", sample("y", tr.y[0], L))]
    for l, (W, b) in enumerate(zip(tr.weights_before, tr.biases_before), start=1):
        weights = [
            (name(Symbol("w", l, i, j, _label(labels, "weights", l, i, j))), float(W[i, j]))
            for i in range(W.shape[0])
            for j in range(W.shape[1])
        ]
        biases = [
            (name(Symbol("b", l, i, None, _label(labels, "biases", l, i))), float(v))
            for i, v in enumerate(b)
        ]
        groups += [(f"Weights into layer {l}", weights), (f"Biases of layer {l}", biases)]
    return groups


def _header(sheet: Sheet) -> tuple[str, str]:
    """The network's description and how it learns (plain text)."""
    tr = sheet.trace
    shape = "-".join(map(str, tr.layers))
    acts = ", ".join(activation_name(a) for a in tr.activation_names)
    lr = tr.optimizer_after.lr
    return (
        f"Network {shape} ({acts}); loss {tr.loss_name}; one step of SGD on one sample, "
        f"learning rate η = {lr:g}",
        f"Give every answer to {_words(sheet.precision)}.",
    )


def _number(value: float, p: Precision, style: str = "unicode") -> str:
    return format_number(value, p, "ascii" if style == "latex" else "unicode")


def sheet_markdown(sheet: Sheet, key: bool = False) -> str:
    """The sheet (``key``: its answer key) in Markdown."""
    p = sheet.precision
    title = "Answer key" if key else "Worksheet"
    network, rule = _header(sheet)
    lines = [
        f"# {title} {sheet.number:02d}: one step of backpropagation",
        "",
        f"Seed {sheet.seed}. {network}. {LOSS_TEXT[sheet.trace.loss_name][0]}.",
        "",
        rule,
        "",
        "## Given",
        "",
    ]
    for group, values in _given(sheet, "unicode"):
        lines.append(f"- {group}: " + ", ".join(f"{s} = {_number(v, p)}" for s, v in values))
    count = 0
    for title_, questions in sheet.sections:
        lines += ["", f"## {title_}", ""]
        for q in questions:
            count += 1
            target = render_symbol(q.term.target, "unicode", samples=True)
            if key:
                formula = render_symbolic(q.term, "unicode")
                numbers = render_numeric(q.term, p, "unicode")
                answer = _number(q.answer, p)
                lines.append(f"{count}. {target} = **{answer}**  ({formula} = {numbers})")
            else:
                lines.append(f"{count}. {target} = ______________")
    return "\n".join(lines) + "\n"


_TEX_ESCAPES = {c: "\\" + c for c in "#$%&_{}"} | {"\\": r"\textbackslash{}"}
_TEX_ESCAPES |= {"^": r"\textasciicircum{}", "~": r"\textasciitilde{}", "′": "'"}


def _tex_text(text: str) -> str:
    return "".join(_TEX_ESCAPES.get(c, c) for c in text)


def sheet_latex(sheet: Sheet, key: bool = False) -> str:
    """The sheet (``key``: its answer key) as a LaTeX document (pdflatex, ASCII only: the
    key's formulas in plain text)."""
    p = sheet.precision
    tr = sheet.trace
    title = "Answer key" if key else "Worksheet"
    _, rule = _header(sheet)
    shape = "-".join(map(str, tr.layers))
    acts = ", ".join(activation_name(a) for a in tr.activation_names)
    lines = [
        r"\documentclass[11pt]{article}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\usepackage{amsmath}",
        r"\setlength{\parindent}{0pt}",
        r"\begin{document}",
        rf"\section*{{{title} {sheet.number:02d}: one step of backpropagation}}",
        rf"Seed {sheet.seed}. Network {shape} ({_tex_text(acts)}); loss {tr.loss_name}: "
        rf"${LOSS_TEXT[tr.loss_name][1]}$; one step of SGD on one sample, learning rate "
        rf"$\eta = {tr.optimizer_after.lr:g}$.",
        "",
        _tex_text(rule),
        r"\subsection*{Given}",
        r"\begin{itemize}",
    ]
    for group, values in _given(sheet, "latex"):
        items = ", ".join(f"${s} = {_number(v, p, 'latex')}$" for s, v in values)
        lines.append(rf"\item {group}: {items}")
    lines.append(r"\end{itemize}")
    for title_, questions in sheet.sections:
        lines += [rf"\subsection*{{{_tex_text(title_.replace('·', '--'))}}}", r"\begin{enumerate}"]
        lines[-1] += rf"\setcounter{{enumi}}{{{_before(sheet, questions[0])}}}"
        for q in questions:
            target = latex_symbol(q.term.target)
            if key:
                formula = f"{render_symbolic(q.term, 'text')} = {render_numeric(q.term, p, 'text')}"
                formula = formula.replace("\u2212", "-")
                lines.append(
                    rf"\item ${target} = \mathbf{{{_number(q.answer, p, 'latex')}}}$ \\"
                    rf"{{\small\texttt{{{_tex_text(formula)}}}}}"
                )
            else:
                lines.append(rf"\item ${target} = $ \underline{{\hspace{{4cm}}}}")
        lines.append(r"\end{enumerate}")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def _before(sheet: Sheet, first: Question) -> int:
    """How many questions come before ``first`` (LaTeX numbers on across sections)."""
    return next(k for k, q in enumerate(sheet.questions) if q is first)


def write_sheets(
    session: Session,
    out: str | Path,
    count: int,
    seed: int,
    formats: tuple[str, ...] = FORMATS,
    precision: Precision = FOUR_DIGITS,
    pdf: PdfWriter | None = None,
) -> list[Path]:
    """Write ``count`` sheets of ``session`` into the folder ``out`` (made if missing):
    sheet-NN and answers-NN in each of ``formats`` (md, tex, and pdf through ``pdf``, which
    sets Markdown on pages) for NN = 01 ..., sheet k drawn from seed ``seed + k - 1``;
    returns the files written."""
    if "pdf" in formats and pdf is None:
        raise ValueError("PDF worksheets need Qt's PDF writer (gui.quiz.pdf)")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(
            errno.ENOTDIR, "a file, not a folder: name a folder for the sheets", str(folder)
        )
    folder.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(count)))
    written = []
    for k in range(1, count + 1):
        sheet = make_sheet(session, seed + k - 1, k, precision)
        for fmt in formats:
            for stem, key in (("sheet", False), ("answers", True)):
                path = folder / f"{stem}-{k:0{width}d}.{fmt}"
                if fmt == "pdf":
                    title = f"{'Answer key' if key else 'Worksheet'} {k:02d}"
                    written.append(pdf(sheet_markdown(sheet, key), path, title))
                    continue
                render = sheet_markdown if fmt == "md" else sheet_latex
                path.write_text(render(sheet, key), encoding="utf-8")
                written.append(path)
    return written

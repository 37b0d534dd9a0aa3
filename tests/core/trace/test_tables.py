"""The iteration's numbers as a table: Mazur's values, the three formats and the CLI."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import numpy as np
import pytest

from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.engine.optimizers import Optimizer
from core.engine.trainer import trainer_for
from core.session.format import load_session
from core.trace import tables
from core.trace.iteration import trace_iteration, trace_next_step
from tests import paths

ROOT = paths.ROOT
MAZUR = paths.LESSONS / "mazur.json"


@pytest.fixture(scope="module")
def mazur():
    """The Mazur lesson's session and the trace of its trainer's first step."""
    session = load_session(MAZUR)
    return session, trace_next_step(trainer_for(session), session.labels)


@pytest.fixture(scope="module")
def rows(mazur):
    session, trace = mazur
    return tables.iteration_rows(trace, session.labels)


def value(rows: list[tables.Row], quantity: str) -> float:
    (match,) = [r.value for r in rows if r.quantity == quantity]
    return match


def close(actual: float, printed: str) -> None:
    """actual agrees with a number printed in the blog post to its last printed decimal."""
    decimals = len(printed.split(".")[1])
    assert abs(actual - float(printed)) <= 0.5 * 10**-decimals, (actual, printed)


def test_mazur_rows_hold_the_published_numbers(rows):
    close(value(rows, "dL/dw5"), "0.082167041")
    close(value(rows, "w5 (new)"), "0.35891648")
    close(value(rows, "w1 (new)"), "0.149780716")
    close(value(rows, "L"), "0.298371109")
    close(value(rows, "z_h1"), "0.3775")
    close(value(rows, "a_h1"), "0.593269992")
    close(value(rows, "delta_h1"), "0.008771355")


def test_rows_follow_the_iteration(rows):
    phases = [r.phase for r in rows]
    order = ["forward", "loss", "output_delta", "backward", "update", "result"]
    assert [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p] == order
    forward = [(r.layer, r.quantity) for r in rows if r.phase == "forward"]
    assert forward[:4] == [(1, "z_h1"), (1, "a_h1"), (1, "z_h2"), (1, "a_h2")]
    assert [r.quantity for r in rows if r.phase == "loss"] == ["L_o1", "L_o2", "L"]
    backward_layers = [r.layer for r in rows if r.phase == "backward"]
    assert backward_layers == sorted(backward_layers, reverse=True)
    update = [r.quantity for r in rows if r.phase == "update"][:3]
    assert update == ["w1", "update(w1)", "w1 (new)"]
    # 8 forward, 3 loss, 2 output deltas, 2 * (4 + 2) gradients + 2 hidden deltas, 3 * (8 + 4),
    # 3 loss after the update
    assert len(rows) == 8 + 3 + 2 + 14 + 36 + 3
    assert [r.quantity for r in rows if r.phase == "result"] == [
        "L_o1 (new)",
        "L_o2 (new)",
        "L (new)",
    ]
    assert value(rows, "L (new)") == pytest.approx(0.29102777369, abs=1e-11)


def test_update_rows_are_before_plus_change(rows):
    before, change, after = (value(rows, q) for q in ("w5", "update(w5)", "w5 (new)"))
    assert before + change == pytest.approx(after, abs=1e-15)
    assert change == pytest.approx(-0.5 * value(rows, "dL/dw5"), abs=1e-15)


def test_latex_symbols_use_the_labels(rows):
    symbols = {r.quantity: r.symbol_latex for r in rows}
    assert symbols["z_h1"] == "z_{h1}"
    assert symbols["w5"] == "w_{5}"
    assert symbols["delta_o1"] == r"\delta_{o1}"
    assert symbols["dL/dw5"] == r"\partial L/\partial w_{5}"


def test_without_labels_the_names_are_generic(mazur):
    _, trace = mazur
    rows = tables.iteration_rows(trace)
    names = [r.quantity for r in rows]
    assert names[:2] == ["z^1_1", "a^1_1"]
    assert "dL/dw^2_11" in names and "w^2_11 (new)" in names
    assert not any(label in " ".join(names) for label in ("h1", "o1", "w5"))
    symbols = {r.quantity: r.symbol_latex for r in rows}
    assert symbols["z^1_1"] == "z^{1}_{1}"
    assert symbols["w^2_11"] == "w^{2}_{11}"
    assert symbols["w^2_11 (new)"] == r"w^{2,\mathrm{new}}_{11}"
    close(value(rows, "dL/dw^2_11"), "0.082167041")


def test_optimiser_internals_and_penalty_gradient_have_rows():
    net = Network([np.array([[0.3, -0.2]])], [np.array([0.1])], ["sigmoid"])
    x, y = np.array([[0.5, 1.0], [1.0, -1.0]]), np.array([[1.0], [0.0]])
    config = TrainingConfig(optimizer="adam", learning_rate=0.1, l2=0.01)
    trace = trace_iteration(net, "mse", Optimizer("adam", lr=0.1), config, x, y)
    names = [r.quantity for r in tables.iteration_rows(trace, sample=1)]
    weight = names[names.index("w^1_11") : names.index("w^1_12")]
    assert weight == [
        "w^1_11", "g(w^1_11)", "m(w^1_11)", "v(w^1_11)", "m_hat(w^1_11)", "v_hat(w^1_11)",
        "update(w^1_11)", "w^1_11 (new)",
    ]  # fmt: skip
    momentum = TrainingConfig(optimizer="momentum", learning_rate=0.1)
    trace = trace_iteration(net, "mse", Optimizer("momentum", lr=0.1), momentum, x, y)
    assert "v(b^1_1)" in [r.quantity for r in tables.iteration_rows(trace)]
    with pytest.raises(ValueError, match="sample"):
        tables.iteration_rows(trace, sample=2)


def test_markdown_has_a_header_and_one_line_per_row(rows):
    text = tables.to_markdown(rows)
    lines = text.splitlines()
    assert lines[0] == "| Layer | Quantity | Value |" and lines[1].startswith("|---")
    phase_lines = [line for line in lines if line.startswith("| **")]
    assert len(phase_lines) == 6
    assert len(lines) == 2 + len(phase_lines) + len(rows)
    assert "| 2 | `dL/dw5` | 0.082167 |" in lines


def test_latex_is_a_balanced_booktabs_longtable_with_siunitx_numbers(rows):
    text = tables.to_latex(rows, digits=8)
    comments = [line for line in text.splitlines() if line.startswith("%")]
    assert any(r"\usepackage{siunitx}" in line and "longtable" in line for line in comments)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("%"))
    assert body.startswith(r"\begin{longtable}{rlr}") and body.endswith(r"\end{longtable}")
    assert r"\toprule" in text and r"\bottomrule" in text and text.count(r"\midrule") == 6
    assert r"\endhead" in text  # the header repeats on every page
    plain = body.replace(r"\{", "").replace(r"\}", "")
    depth = 0
    for c in plain:
        depth += {"{": 1, "}": -1}.get(c, 0)
        assert depth >= 0
    assert depth == 0
    assert r"2 & $\partial L/\partial w_{5}$ & \num{0.082167041} \\" in text
    assert r"\num{-0.038098237}" in text and "$-0" not in text  # no numbers in math italics


def test_latex_escapes_special_characters_in_labels():
    net = Network([np.array([[0.3, -0.2]])], [np.array([0.1])], ["sigmoid"])
    labels = {"neurons": [["x_1", "x 2"], ["o&1"]], "weights": [[["w_#1", "v%2"]]]}
    config = TrainingConfig(learning_rate=0.1)
    x, y = np.array([[0.5, 1.0]]), np.array([[1.0]])
    trace = trace_iteration(net, "sse", Optimizer("sgd", lr=0.1), config, x, y)
    rows = tables.iteration_rows(trace, labels)
    text = tables.to_latex(rows)
    assert r"$z_{o\&1}$" in text
    assert r"$\mathrm{w\_\#1}$" in text and r"$\mathrm{v\%2}$" in text
    assert r"$\mathrm{w\_\#1}^{\mathrm{new}}$" in text
    assert "| `L_o&1` |" in tables.to_markdown(rows)


def test_csv_parses_and_round_trips_exactly(rows):
    parsed = list(csv.DictReader(io.StringIO(tables.to_csv(rows))))
    assert list(parsed[0]) == ["phase", "layer", "quantity", "value"]
    assert len(parsed) == len(rows)
    for line, row in zip(parsed, rows):
        assert float(line["value"]) == row.value
        assert line["quantity"] == row.quantity
        assert line["layer"] == ("" if row.layer is None else str(row.layer))
    rounded = list(csv.DictReader(io.StringIO(tables.to_csv(rows, digits=4))))
    assert [r["value"] for r in rounded if r["quantity"] == "dL/dw1"] == ["0.0004386"]


# --- the CLI ---


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "table", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_prints_the_markdown_table():
    result = run("mazur", "--format", "md")
    assert result.returncode == 0, result.stderr
    assert "dL/dw5" in result.stdout and "| **Update** |" in result.stdout


def test_cli_rejects_a_bad_sample():
    result = run("mazur", "--sample", "7")
    assert result.returncode == 2
    assert "--sample" in result.stderr and "Traceback" not in result.stderr


def test_cli_writes_the_file_in_the_format_of_its_extension(tmp_path):
    out = tmp_path / "step.tex"
    result = run("mazur", "--sample", "0", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert r"\begin{longtable}" in out.read_text()
    csv_out = tmp_path / "step.csv"
    assert run("mazur", "--format", "csv", "--out", str(csv_out)).returncode == 0
    parsed = list(csv.DictReader(io.StringIO(csv_out.read_text())))
    assert float(next(r for r in parsed if r["quantity"] == "L")["value"]) == pytest.approx(
        0.298371109, abs=5e-10
    )


def test_cli_table_imports_no_qt():
    code = (
        "import sys, io, contextlib\n"
        "import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main.main(['table', 'mazur', '--format', 'tex']) == 0\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))]\n"
        "print('QT' if bad else 'CLEAN', bad)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("CLEAN"), result.stdout


def test_latex_sets_primes_short_tables_and_odd_numbers(rows):
    symbols = {r.quantity: r.symbol_latex for r in rows}
    assert symbols["dL/db1′"] == r"\partial L/\partial b^{\prime}_{1}"  # h2's own bias
    net = Network([np.array([[0.3, -0.2]])], [np.array([0.1])], ["sigmoid"])
    config = TrainingConfig(learning_rate=0.1)
    trace = trace_iteration(net, "sse", Optimizer("sgd", lr=0.1), config, [[0.5, 1.0]], [[1.0]])
    short = tables.iteration_rows(trace)
    odd = [tables.Row("forward", 1, "z", "z", v) for v in (float("nan"), -float("inf"), -3.7e-5)]
    text = tables.to_latex(short + odd, tables.Precision(2))
    comments = [line for line in text.splitlines() if line.startswith("%")]
    assert any(r"\usepackage{siunitx}" in line for line in comments)
    assert not any("longtable" in line for line in comments)
    assert text.split("\n")[len(comments)] == r"\begin{tabular}{rlr}"
    assert r"& NaN \\" in text and r"& $-\infty$ \\" in text and r"\num{-3.7e-05}" in text


def test_a_table_of_a_buggy_step_says_so_above_it():
    from core.engine.trainer import trainer_for
    from core.session.format import load_session
    from core.trace.iteration import trace_next_step
    from core.trace.tables import bug_heading
    from tests import paths

    trainer = trainer_for(load_session(paths.LESSONS / "mazur.json"))
    assert bug_heading(trace_next_step(trainer), ".md") == ""
    trainer.bug = "mazur"
    trace = trace_next_step(trainer)
    said = "Bug lab: Output weights updated too early: the step as this bug computes it"
    assert bug_heading(trace, ".md") == f"> **{said}**\n\n"
    assert bug_heading(trace, ".tex") == rf"\noindent\textbf{{{said}}}\par" + "\n"
    assert bug_heading(trace, ".csv") == ""  # a CSV's first line is its header

"""Issue 9 on the command line: step and table at the lesson's precision or the one asked for,
features named as on screen, a closed pipe ends quietly, an empty file says so."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest

from tests import paths

ROOT = paths.ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_table_follows_the_lessons_lecture_precision_or_the_one_asked_for():
    # mazur.json's lecture shows 9 decimal places, as the blog post prints its numbers
    assert "| 2 | `dL/dw5` | 0.082167041 |" in run("table", "mazur").stdout
    assert "| 2 | `dL/dw5` | 0.0822 |" in run("table", "mazur", "--digits", "3").stdout
    two = run("table", "mazur", "--decimals", "2", "--format", "tex").stdout
    assert r"2 & $\partial L/\partial w_{5}$ & \num{0.08} \\" in two
    both = run("table", "mazur", "--digits", "3", "--decimals", "2")
    assert both.returncode == 2 and "not allowed with" in both.stderr
    assert run("table", "mazur", "--decimals", "-1").returncode == 2


def test_csv_keeps_every_digit_unless_asked():
    full = list(csv.DictReader(io.StringIO(run("table", "mazur", "--format", "csv").stdout)))
    dw7 = next(r["value"] for r in full if r["quantity"] == "dL/dw7")
    assert len(dw7) > 12 and dw7.startswith("-0.0226025")  # a hyphen: CSV is for programs
    short = run("table", "mazur", "--format", "csv", "--decimals", "3").stdout
    assert "backward,2,dL/dw7,-0.023\n" in short


def test_step_shows_the_lessons_precision_and_names_the_features():
    mazur = run("step", "mazur").stdout  # no --digits: the lesson's 9 decimal places
    assert "dL/dw5 = delta_o1 * a_h1 = 0.138498562 * 0.593269992 = 0.082167041" in mazur
    assert "dL/db1′ = delta_h2 = 0.009954255" in mazur
    spiral = run("step", "spiral").stdout
    assert "Inputs: x_1 = x1, x_2 = x2, x_3 = sin x1, x_4 = sin x2" in spiral
    assert "sin(x1)" not in spiral
    row = run("step", "spiral", "--sample", "3").stdout
    assert row.startswith("One training iteration on 1 sample (training row 4):")


def test_the_help_says_where_rows_count_from_zero():
    for command in ("step", "table"):
        text = " ".join(run(command, "--help").stdout.split())
        assert "K counts from 0, as in the JSON" in text and "count from 1" in text
        assert "--decimals N" in text


def test_a_closed_pipe_ends_quietly():
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line, as `| head` leaves it
    try:
        done = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "step", "spiral"],
            cwd=ROOT,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    finally:
        os.close(write)
    assert done.stderr == "" and done.returncode == 141


@pytest.mark.parametrize("command", ["step", "table", "train"])
def test_an_empty_file_says_it_is_empty(tmp_path, command):
    path = tmp_path / "empty.json"
    path.write_text("")
    done = run(command, str(path))
    assert done.returncode == 2
    assert (
        done.stderr.strip() == f"error: {path}: the file is empty; open a session saved by "
        "Backprop Lab or a built-in lesson"
    )
